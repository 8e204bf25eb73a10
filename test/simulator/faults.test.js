'use strict';

// Every fault kind on every API: what the client sees, that nothing took effect (except the
// documented half of '200-partial'), and that the fault is used up. The lost answers
// (take-then-*): the request took effect and its answer never arrived.

const {
	FAULT_KINDS,
	UPLOAD_FAULT_KINDS,
	PAGE_FAULT_KINDS,
	TAKE_FAULT_KINDS,
	ALL_FAULT_KINDS,
	APIS,
	CAMPAIGN_PATHS,
	SEND_PATHS,
	EXTERNAL_TRIGGER_PATH,
	SUBSCRIBE_PATH,
	DISASSOCIATE_PATH,
} = require('./index.js');
const {
	DEMERGE,
	DELETE,
	PROFILE,
	PROFILES,
	UPLOAD,
	EVENTS,
	COUNTS,
	NOW,
	MESSAGE_REPORT,
	GOOD,
	AUTH_ONLY,
	fail,
	raw,
	waitFor,
	useSimulator,
} = require('./testkit');

const sim = useSimulator({ accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' } });

/** One request of each API, sent with node:http so socket errors are seen too. */
const REQUESTS = {
	demerge: { method: 'POST', path: DEMERGE, body: JSON.stringify({ identities: ['f1', 'f2'] }) },
	delete: { method: 'POST', path: DELETE, body: JSON.stringify({ identity: ['f1', 'f2'] }) },
	profile: { method: 'GET', path: `${PROFILE}?identity=f1`, headers: AUTH_ONLY },
	profiles: {
		method: 'POST',
		path: `${PROFILES}?batch_size=5`,
		body: JSON.stringify({ event_name: 'E', from: 20240101, to: 20240131 }),
	},
	upload: {
		method: 'POST',
		path: UPLOAD,
		body: JSON.stringify({ d: [{ type: 'profile', identity: 'f1', profileData: { A: 1 } }] }),
	},
	events: {
		method: 'POST',
		path: `${EVENTS}?batch_size=5`,
		body: JSON.stringify({ event_name: 'E', from: 20240101, to: 20240131 }),
	},
	// 'Charged' is a system event: known to every account, so no "Invalid event" on an empty store.
	...Object.fromEntries(
		Object.entries(COUNTS).map(([api, path]) => [
			api,
			{
				method: 'POST',
				path,
				body: JSON.stringify({
					event_name: 'Charged',
					from: 20240101,
					to: 20240131,
					groups: {
						g:
							api === 'top'
								? { property_type: 'event_properties', name: 'Amount' }
								: { trend_type: 'daily' },
					},
				}),
			},
		]),
	),
	now: { method: 'POST', path: NOW, body: '{}' },
	messageReport: {
		method: 'POST',
		path: MESSAGE_REPORT,
		body: JSON.stringify({ from: '20240101', to: '20240102' }),
	},
	campaigns: {
		method: 'POST',
		path: CAMPAIGN_PATHS.create,
		body: JSON.stringify({
			name: 'Faulted',
			target_mode: 'sms',
			where: { event_name: 'Charged', from: 20240101, to: 20240131 },
			content: { body: 'Hello' },
		}),
	},
	send: {
		method: 'POST',
		path: SEND_PATHS.sms,
		body: JSON.stringify({ to: { Identity: ['f1', 'f2'] }, content: { body: 'Hello' } }),
	},
	externalTrigger: {
		method: 'POST',
		path: EXTERNAL_TRIGGER_PATH,
		body: JSON.stringify({ to: { identity: ['f1', 'f2'] }, campaign_id: '1695721550' }),
	},
	subscribe: {
		method: 'POST',
		path: SUBSCRIBE_PATH,
		body: JSON.stringify({
			d: [
				{ type: 'email', value: 'f1@example.com', status: 'Unsubscribe' },
				{ type: 'phone', value: '+14155551234', status: 'Unsubscribe' },
			],
		}),
	},
	disassociate: {
		method: 'POST',
		path: DISASSOCIATE_PATH,
		body: JSON.stringify({ d: [{ type: 'phone', value: '+14155551234' }] }),
	},
};

/** What an API's request needs in the store to take effect: Disassociate, a number used as an identity. */
const SEED = {
	disassociate: () => sim.addProfile({ identity: '+14155551234' }),
};
/** Seed the store for this API's request; the profiles there before it. @param {string} api */
const seed = (api) => {
	SEED[api]?.();
	return sim.profiles.size;
};

/** @param {string} api @param {object} [extra] */
const send = (api, extra = {}) => raw(sim, { headers: GOOD, ...REQUESTS[api], ...extra });

/** What took effect: the counters every effect moves. */
const effects = () => ({
	demerged: [...sim.demerged.keys()],
	deleted: [...sim.deleted.keys()],
	uploaded: sim.uploaded.length,
	pages: sim.stats().pagesServed + sim.stats().eventPagesServed,
	profiles: sim.profiles.size,
	sends: sim.sends.length,
	campaigns: sim.campaigns.length,
	subscriptions: sim.subscriptionChanges.length,
	disassociated: [...sim.disassociated.keys()],
	events: sim.eventCount('Faulted'),
});
const NONE = {
	demerged: [],
	deleted: [],
	uploaded: 0,
	pages: 0,
	profiles: 0,
	sends: 0,
	campaigns: 0,
	subscriptions: 0,
	disassociated: [],
	events: 0,
};

const HTML = /^text\/html/;
const json = (r) => JSON.parse(r.text ?? '');

/** What the client sees for each kind (r: the raw() outcome). */
const SEEN = {
	429: (r) => {
		expect([r.status, json(r)]).toEqual([429, fail(429, 'Too many concurrent requests')]);
		expect(r.headers?.['retry-after']).toBeUndefined();
	},
	'429-retry-after': (r) => {
		expect([r.status, r.headers?.['retry-after']]).toEqual([429, '1']);
	},
	500: (r) => expect([r.status, json(r)]).toEqual([500, fail(500, 'Internal error')]),
	502: (r) =>
		expect([r.status, r.headers?.['content-type']]).toEqual([502, expect.stringMatching(HTML)]),
	504: (r) =>
		expect([r.status, r.headers?.['content-type']]).toEqual([504, expect.stringMatching(HTML)]),
	'503-html': (r) => {
		expect([r.status, r.headers?.['content-type']]).toEqual([503, expect.stringMatching(HTML)]);
		expect(r.text).toMatch(/<html>/);
	},
	reset: (r) => expect(r.error?.code).toBe('ECONNRESET'),
	'reset-mid-body': (r) => expect(r.error?.code).toBe('ECONNRESET'),
	'close-mid-body': (r) => expect(r.error?.message).toBe('aborted'),
	hang: (r) => expect(r.error?.code).toBe('CLIENT_TIMEOUT'),
	'200-fail': (r) => expect([r.status, json(r)]).toEqual([200, fail(500, 'Something went wrong')]),
	'200-partial': (r) =>
		expect([r.status, json(r)]).toEqual([
			200,
			{ status: 'partial', error: 'Some identities were not processed', code: 200 },
		]),
	'200-not-json': (r) => {
		expect([r.status, r.text]).toEqual([200, '<html>OK</html>']);
		expect(r.headers?.['content-type']).toMatch(HTML);
	},
	401: (r) => expect([r.status, json(r)]).toEqual([401, fail(401, 'Account ID is not valid')]),
	403: (r) =>
		expect([r.status, json(r)]).toEqual([403, fail(403, 'Not allowed for this passcode')]),
	404: (r) => expect([r.status, json(r)]).toEqual([404, fail(404, 'Not found')]),
	405: (r) => expect([r.status, json(r)]).toEqual([405, fail(405, 'Method not allowed')]),
	redirect: (r) => {
		expect(r.status).toBe(302);
		expect(r.headers?.location).toBe(`http://127.0.0.1:9${REQUESTS[r.api].path}`);
	},
};

test('the table covers every fault kind', () => {
	expect(Object.keys(SEEN).sort()).toEqual([...FAULT_KINDS].sort());
});

describe.each(APIS)('api %s', (api) => {
	test.each(FAULT_KINDS)('%s', async (kind) => {
		const profiles = seed(api);
		sim.addFault({ kind, api, location: 'http://127.0.0.1:9' });
		const r = await send(api, kind === 'hang' ? { timeout: 100 } : {});
		SEEN[kind]({ ...r, api });
		await waitFor(() => sim.requests[0]?.endedAt !== undefined, 5000, 'the faulted request to end');
		expect(sim.requests[0]).toMatchObject({ api, fault: kind });
		expect(sim.stats()).toMatchObject({ faultsServed: 1, requestsByApi: { [api]: 1 } });
		if (kind === '200-partial' && (api === 'demerge' || api === 'delete')) {
			// The first half (rounded down) was taken, and the record says which.
			expect(sim.requests[0].taken).toEqual(['f1']);
			expect(effects()).toEqual({ ...NONE, [api === 'demerge' ? 'demerged' : 'deleted']: ['f1'] });
		} else {
			expect(effects()).toEqual({ ...NONE, profiles });
		}
		// Used up: the next request of this API is served as usual.
		const next = await send(api);
		expect(next.status).toBe(200);
		expect(sim.requests[1]).toMatchObject({ api, fault: undefined, status: 200 });
	});
});

test('a fault applies to its API only', async () => {
	for (const api of APIS) sim.addFault({ kind: '502', api: /** @type {any} */ (api), times: 2 });
	for (const api of APIS) expect((await send(api)).status).toBe(502);
	for (const api of APIS) expect((await send(api)).status).toBe(502);
	for (const api of APIS) expect((await send(api)).status).toBe(200);
	expect(sim.stats().faultsServed).toBe(2 * APIS.length);
});

test('account and after work on every API (upload shown)', async () => {
	sim.addFault({ kind: '500', api: 'upload', account: 'OTHER', after: 1, times: 1 });
	const other = { ...GOOD, 'X-CleverTap-Account-Id': 'OTHER', 'X-CleverTap-Passcode': 'other' };
	const statuses = [];
	for (let i = 0; i < 3; i++) {
		statuses.push((await send('upload')).status);
		statuses.push((await send('upload', { headers: other })).status);
	}
	expect(statuses).toEqual([200, 200, 200, 500, 200, 200]);
});

test('upload fault kinds are for uploads only; they default to api upload', () => {
	expect(UPLOAD_FAULT_KINDS).toEqual(['200-success-unprocessed']);
	sim.addFault({ kind: '200-success-unprocessed' });
	expect(sim.faults[0]).toMatchObject({ api: 'upload', times: 1 });
	for (const api of APIS.filter((a) => a !== 'upload')) {
		expect(() => sim.addFault({ kind: '200-success-unprocessed', api })).toThrow(
			/for api 'upload' only/,
		);
	}
	expect(() => sim.addFault({ kind: '200-success-unprocessed', records: [0] })).toThrow(/records/);
});

test("page fault kinds are for the cursor APIs (profiles, events) only, default to profiles, and never hit the cursor's POST", async () => {
	expect(ALL_FAULT_KINDS).toEqual([
		...FAULT_KINDS,
		...UPLOAD_FAULT_KINDS,
		...PAGE_FAULT_KINDS,
		...TAKE_FAULT_KINDS,
	]);
	for (const kind of PAGE_FAULT_KINDS) {
		sim.addFault({ kind });
		expect(sim.faults[0]).toMatchObject({ api: 'profiles', times: 1 });
		for (const api of APIS.filter((a) => a !== 'profiles' && a !== 'events')) {
			expect(() => sim.addFault({ kind, api })).toThrow(/for api 'profiles' only \(or 'events'\)/);
		}
		sim.addFault({ kind, api: 'events' });
		// The POST that opens the query is answered as usual; the fault waits for a page read.
		for (const api of /** @type {const} */ (['profiles', 'events'])) {
			const r = await send(api);
			expect(r.status).toBe(200);
		}
		expect(sim.faults).toHaveLength(2);
		sim.clearFaults();
	}
	expect(sim.stats().faultsServed).toBe(0);
});

describe('lost answers: the request is taken, then its answer is lost', () => {
	/** What the client sees for each lost-answer kind. */
	const LOST = {
		'take-then-reset': (r) => expect(r.error?.code).toBe('ECONNRESET'),
		'take-then-hang': (r) => expect(r.error?.code).toBe('CLIENT_TIMEOUT'),
		'take-then-503': (r) => {
			expect([r.status, r.headers?.['content-type']]).toEqual([503, expect.stringMatching(HTML)]);
			expect(r.text).toMatch(/Service Temporarily Unavailable/);
		},
	};
	/** What took effect, per API, for its request above. */
	const TOOK = {
		demerge: { demerged: ['f1', 'f2'] },
		delete: { deleted: ['f1', 'f2'] },
		upload: { uploaded: 1, profiles: 1 },
		campaigns: { campaigns: 1 },
		send: { sends: 1 },
		externalTrigger: { sends: 1 },
		subscribe: { subscriptions: 2 },
		// The profile stays; the number is no longer its identity.
		disassociate: { disassociated: ['+14155551234'] },
	};

	test('the table covers every lost-answer kind', () => {
		expect(Object.keys(LOST)).toEqual([...TAKE_FAULT_KINDS]);
	});

	describe.each(APIS)('api %s', (api) => {
		test.each(TAKE_FAULT_KINDS)('%s', async (kind) => {
			const profiles = seed(api);
			sim.addFault({ kind, api });
			const r = await send(api, kind === 'take-then-hang' ? { timeout: 100 } : {});
			LOST[kind](r);
			await waitFor(() => sim.requests[0]?.endedAt !== undefined, 5000, 'the request to end');
			expect(sim.requests[0]).toMatchObject({
				api,
				fault: kind,
				lostStatus: 200,
				status: { 'take-then-reset': 'reset', 'take-then-hang': 'hung', 'take-then-503': 503 }[
					kind
				],
			});
			expect(sim.stats()).toMatchObject({ faultsServed: 1, concurrencyRejections: 0 });
			// Taken: the effect is there, though the client never heard.
			expect(effects()).toEqual({ ...NONE, profiles, ...(TOOK[api] ?? {}) });
			expect((await send(api)).status).toBe(200);
		});
	});

	test('a send taken under take-then-reset is recorded once, with its recipients', async () => {
		sim.addFault({ kind: 'take-then-reset', api: 'send' });
		expect((await send('send')).error?.code).toBe('ECONNRESET');
		expect(sim.recipients()).toEqual([
			{ type: 'identity', id: 'f1', times: 1 },
			{ type: 'identity', id: 'f2', times: 1 },
		]);
		expect(sim.stats()).toMatchObject({ sendsAccepted: 1, messagesQueued: 2 });
	});

	test('a 429 fault is served before processing: it never records a send', async () => {
		for (const api of /** @type {const} */ (['send', 'externalTrigger', 'campaigns'])) {
			sim.addFault({ kind: '429', api, times: 2 });
			expect((await send(api)).status).toBe(429);
			expect((await send(api)).status).toBe(429);
		}
		expect(sim.sends).toEqual([]);
		expect(sim.campaigns).toEqual([]);
		expect(sim.stats()).toMatchObject({ messagesQueued: 0, campaignsCreated: 0, faultsServed: 6 });
	});

	test('a refused request (401, 400, the concurrency 429) does not use a lost answer up; after counts taken requests only', async () => {
		sim.addFault({ kind: 'take-then-503', api: 'send', after: 1 });
		const bad = { ...GOOD, 'X-CleverTap-Passcode': 'wrong' };
		expect((await send('send', { headers: bad })).status).toBe(401);
		const lower = JSON.stringify({ to: { identity: ['x'] }, content: { body: 'x' } });
		expect((await send('send', { body: lower })).status).toBe(400);
		expect(sim.faults).toEqual([expect.objectContaining({ kind: 'take-then-503', after: 1 })]);
		// The first taken request is let through, the second loses its answer.
		expect((await send('send')).status).toBe(200);
		expect((await send('send')).status).toBe(503);
		expect(sim.faults).toEqual([]);
		expect(sim.sends).toHaveLength(2);
		expect(sim.stats().faultsServed).toBe(1);
	});

	test('scoped by API and account; times counts lost answers', async () => {
		sim.addFault({ kind: 'take-then-503', api: 'send', account: 'OTHER', times: 2 });
		expect((await send('externalTrigger')).status).toBe(200);
		expect((await send('send')).status).toBe(200);
		const other = { ...GOOD, 'X-CleverTap-Account-Id': 'OTHER', 'X-CleverTap-Passcode': 'other' };
		expect((await send('send', { headers: other })).status).toBe(503);
		expect((await send('send', { headers: other })).status).toBe(503);
		expect((await send('send', { headers: other })).status).toBe(200);
		expect(sim.sends.map((s) => s.accountId)).toEqual([
			'TEST-ACCOUNT',
			'TEST-ACCOUNT',
			'OTHER',
			'OTHER',
			'OTHER',
		]);
	});

	test('an earlier transport fault is served first; the lost answer waits for the next taken request', async () => {
		sim.addFault({ kind: 'take-then-reset', api: 'send' });
		sim.addFault({ kind: '502', api: 'send' });
		expect((await send('send')).status).toBe(502);
		expect(sim.sends).toHaveLength(0);
		expect((await send('send')).error?.code).toBe('ECONNRESET');
		expect(sim.sends).toHaveLength(1);
	});

	describe.each(TAKE_FAULT_KINDS)('%s on upload', (kind) => {
		const events = JSON.stringify({
			d: [
				{ type: 'event', identity: 'u1', evtName: 'Faulted', evtData: { n: 1 } },
				{ type: 'event', identity: 'u2', evtName: 'Faulted', evtData: { n: 2 } },
				{ type: 'event', identity: 'u1', evtName: 'Other' },
			],
		});
		const post = () => send('upload', { body: events, timeout: 200 });

		test('the events are stored, then the answer is lost: a client that sends again records them twice', async () => {
			sim.addFault({ kind, api: 'upload' });
			const lost = await post();
			expect(lost.status === 200).toBe(false);
			await waitFor(() => sim.requests[0]?.endedAt !== undefined, 5000, 'the request to end');
			expect(sim.requests[0]).toMatchObject({ fault: kind, lostStatus: 200, processed: 3 });
			expect(sim.eventCount('Faulted', 'u1')).toBe(1);
			expect(sim.eventCount('Faulted')).toBe(2);
			// The client does not know, and uploads again: each event is now there twice.
			const again = await post();
			expect([again.status, JSON.parse(again.text ?? '')]).toEqual([
				200,
				{ status: 'success', processed: 3, unprocessed: [] },
			]);
			expect(sim.eventCount('Faulted', 'u1')).toBe(2);
			expect(sim.eventCount('Faulted', { identity: 'u2' })).toBe(2);
			expect(sim.eventCount('Other', 'u1')).toBe(2);
			expect(sim.eventCount('Faulted')).toBe(4);
			expect(sim.eventCount('Faulted', 'nobody')).toBe(0);
			expect(sim.uploaded).toHaveLength(6);
			expect(sim.stats()).toMatchObject({ faultsServed: 1, recordsProcessed: 6 });
		});

		test('refused records are not stored: only the taken ones count', async () => {
			sim.addFault({ kind, api: 'upload' });
			const mixed = JSON.stringify({
				d: [
					{ type: 'event', identity: 'u1', evtName: 'Faulted' },
					{ type: 'event', evtName: 'Faulted' },
				],
			});
			await send('upload', { body: mixed, timeout: 200 });
			await waitFor(() => sim.requests[0]?.endedAt !== undefined, 5000, 'the request to end');
			expect(sim.requests[0]).toMatchObject({ processed: 1, unprocessed: [2] });
			expect(sim.eventCount('Faulted')).toBe(1);
		});
	});

	test('lost-answer kinds take any API and default to demerge', () => {
		for (const kind of TAKE_FAULT_KINDS) {
			sim.addFault({ kind });
			for (const api of APIS) sim.addFault({ kind, api });
		}
		expect(sim.faults[0]).toMatchObject({ api: 'demerge', times: 1 });
		expect(sim.faults).toHaveLength(TAKE_FAULT_KINDS.length * (APIS.length + 1));
	});
});
