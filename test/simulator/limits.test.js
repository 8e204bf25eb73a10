'use strict';

// Concurrency limits per account and per API. Requests are held in service with a long latency
// (no timing assumptions: the test waits until the simulator has them all in service), and the
// simulator is closed at the end, which cancels them.

const { startSimulator, CAMPAIGN_PATHS, SEND_PATHS, EXTERNAL_TRIGGER_PATH } = require('./index.js');
const {
	PROFILES,
	EVENTS,
	SUBSCRIBE,
	DISASSOCIATE,
	COUNTS,
	NOW,
	MESSAGE_REPORT,
	headersFor,
	fail,
	post,
	get,
	demerge,
	del,
	upload,
	getProfile,
	waitFor,
	fillSlots,
} = require('./testkit');

const HOLD_MS = 120_000;
const ACCOUNTS = { A: 'pa', B: 'pb' };
const POST_HEADERS = { A: headersFor('A', 'pa'), B: headersFor('B', 'pb') };
/** GETs carry no Content-Type. @param {'A' | 'B'} account */
const getHeaders = (account) => {
	const { 'Content-Type': _json, ...headers } = POST_HEADERS[account];
	return headers;
};

/** One request of each API for an account (the page GET reads a cursor made before the hold). */
const SENDERS = {
	demerge: (s, i, account = 'A') => demerge(s, { identities: [`d${i}`] }, POST_HEADERS[account]),
	delete: (s, i, account = 'A') => del(s, { identity: [`x${i}`] }, POST_HEADERS[account]),
	profile: (s, i, account = 'A') => getProfile(s, { identity: `p${i}` }, getHeaders(account)),
	'profiles (cursor)': (s, _i, account = 'A') =>
		post(
			s,
			`${PROFILES}?batch_size=1`,
			{ event_name: 'E', from: 20240101, to: 20240102 },
			POST_HEADERS[account],
		),
	'profiles (page)': (s, _i, account = 'A') =>
		// As given: CleverTap's cursors come already percent-encoded.
		get(s, `${PROFILES}?cursor=${s.cursors[account]}`, getHeaders(account)),
	upload: (s, i, account = 'A') =>
		upload(
			s,
			{ d: [{ type: 'profile', identity: `u${i}`, profileData: {} }] },
			POST_HEADERS[account],
		),
	'events (cursor)': (s, _i, account = 'A') =>
		post(
			s,
			`${EVENTS}?batch_size=23`,
			{ event_name: 'E', from: 20240101, to: 20240102 },
			POST_HEADERS[account],
		),
	'events (page)': (s, _i, account = 'A') =>
		get(s, `${EVENTS}?cursor=${s.cursors[`events ${account}`]}`, getHeaders(account)),
	...Object.fromEntries(
		Object.entries(COUNTS).map(([api, path]) => [
			api,
			(/** @type {any} */ s, /** @type {any} */ _i, account = 'A') =>
				post(s, path, countBody(api), POST_HEADERS[account]),
		]),
	),
	'trends (poll)': (s, _i, account = 'A') =>
		get(s, `${COUNTS.trends}?req_id=${s.reqIds[account]}`, getHeaders(account)),
	now: (s, _i, account = 'A') => post(s, NOW, {}, POST_HEADERS[account]),
	messageReport: (s, _i, account = 'A') =>
		post(s, MESSAGE_REPORT, { from: '20240101', to: '20240107' }, POST_HEADERS[account]),
	'campaigns (create)': (s, i, account = 'A') =>
		post(
			s,
			CAMPAIGN_PATHS.create,
			{ name: `C${i}`, target_mode: 'sms', segment: 1, content: { body: 'Hi' } },
			POST_HEADERS[account],
		),
	'campaigns (result)': (s, _i, account = 'A') =>
		post(s, CAMPAIGN_PATHS.result, { id: s.campaignIds[account] }, POST_HEADERS[account]),
	'send (push)': (s, i, account = 'A') =>
		post(
			s,
			SEND_PATHS.push,
			{ to: { Identity: [`s${i}`] }, content: { title: 'T', body: 'B' } },
			POST_HEADERS[account],
		),
	'send (email)': (s, i, account = 'A') =>
		post(
			s,
			SEND_PATHS.email,
			{
				to: { Email: [`s${i}@x.com`] },
				content: { subject: 'S', body: '<p>B</p>', sender_name: 'N' },
			},
			POST_HEADERS[account],
		),
	externalTrigger: (s, i, account = 'A') =>
		post(
			s,
			EXTERNAL_TRIGGER_PATH,
			{ to: { identity: [`t${i}`] }, campaign_id: '1695721550' },
			POST_HEADERS[account],
		),
	subscribe: (s, i, account = 'A') =>
		post(
			s,
			SUBSCRIBE,
			{ d: [{ type: 'email', value: `s${i}@x.com`, status: 'Unsubscribe' }] },
			POST_HEADERS[account],
		),
	// Any number: the checks that come before the limit look at the envelope only.
	disassociate: (s, i, account = 'A') =>
		post(s, DISASSOCIATE, { d: [{ type: 'phone', value: `+1415555${i}` }] }, POST_HEADERS[account]),
};
const API_OF = {
	'campaigns (create)': 'campaigns',
	'campaigns (result)': 'campaigns',
	'send (push)': 'send',
	'send (email)': 'send',
	'profiles (cursor)': 'profiles',
	'profiles (page)': 'profiles',
	'events (cursor)': 'events',
	'events (page)': 'events',
	'trends (poll)': 'trends',
};

/** A Counts body for an API ('Charged' is a system event: known to every account). @param {string} api */
function countBody(api) {
	const groups =
		api === 'top'
			? { g: { property_type: 'event_properties', name: 'Amount' } }
			: { g: { trend_type: 'daily' } };
	return { event_name: 'Charged', from: 20240101, to: 20240102, groups };
}

/** @type {any[]} */
const open = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A simulator with a cursor ready, then slowed down so every request stays in service. */
async function heldSimulator(options = {}) {
	const s = /** @type {any} */ (await startSimulator({ accounts: ACCOUNTS, ...options }));
	open.push(s);
	s.cursors = {};
	s.reqIds = {};
	s.campaignIds = {};
	s.setCountPolls(1000);
	for (const account of ['A', 'B']) {
		s.cursors[account] = (await SENDERS['profiles (cursor)'](s, 0, account)).json.cursor;
		s.cursors[`events ${account}`] = (await SENDERS['events (cursor)'](s, 0, account)).json.cursor;
		s.reqIds[account] = (await SENDERS.trends(s, 0, account)).json.req_id;
		s.campaignIds[account] = (await SENDERS['campaigns (create)'](s, 0, account)).json.id;
	}
	s.reset({ keepProfiles: true });
	s.setLatency(HOLD_MS);
	return s;
}

/** Close the simulator (cancelling what it holds) and let the held requests settle. @param {any} s @param {Promise<any>[]} held */
async function release(s, held) {
	await s.close();
	await Promise.allSettled(held);
}

describe.each(Object.keys(SENDERS))('%s', (name) => {
	const api = API_OF[name] ?? name;
	const limit = api === 'upload' ? 15 : 3;
	const send = SENDERS[name];

	test(`${limit} in service per account; one more → 429 at once; other accounts and APIs unaffected`, async () => {
		const s = await heldSimulator();
		const held = await fillSlots(s, limit, (i) => send(s, i));
		try {
			const over = await send(s, limit);
			expect(over.status).toBe(429);
			expect(over.json).toEqual(fail(429, 'Too many concurrent requests'));
			// The other account has its own slots; so has every other API of the same account.
			held.push(send(s, 'b', 'B'));
			const other = Object.keys(SENDERS).find((n) => (API_OF[n] ?? n) !== api);
			held.push(SENDERS[other](s, 'o'));
			await waitFor(
				() => s.stats().inFlight === limit + 2,
				10_000,
				'the other account and API in service',
			);
			const st = s.stats();
			expect(st.concurrencyRejections).toBe(1);
			expect(st.peakConcurrencyByApi[api]).toBe(limit);
			expect(st.byStatus).toEqual({ 429: 1 });
		} finally {
			await release(s, held);
		}
	});
});

test('the two calls of Get Many by Event share the profiles API limit', async () => {
	const s = await heldSimulator();
	const held = await fillSlots(s, 3, (i) =>
		i < 2 ? SENDERS['profiles (cursor)'](s, i) : SENDERS['profiles (page)'](s, i),
	);
	try {
		expect((await SENDERS['profiles (page)'](s, 9)).status).toBe(429);
		expect((await SENDERS['profiles (cursor)'](s, 9)).status).toBe(429);
		expect(s.stats().peakConcurrencyByApi.profiles).toBe(3);
	} finally {
		await release(s, held);
	}
});

test('the two calls of Get Events share the events API limit; a Counts POST and its polls share theirs', async () => {
	const s = await heldSimulator();
	const held = await fillSlots(s, 6, (i) =>
		i < 3
			? SENDERS[i < 2 ? 'events (cursor)' : 'events (page)'](s, i)
			: SENDERS[i < 5 ? 'trends' : 'trends (poll)'](s, i),
	);
	try {
		expect((await SENDERS['events (page)'](s, 9)).status).toBe(429);
		expect((await SENDERS['events (cursor)'](s, 9)).status).toBe(429);
		expect((await SENDERS['trends (poll)'](s, 9)).status).toBe(429);
		expect((await SENDERS.trends(s, 9)).status).toBe(429);
		// Every Counts API has its own slots.
		held.push(SENDERS.top(s, 0));
		await waitFor(() => s.stats().inFlight === 7, 10_000, 'a top query in service');
		expect(s.stats().peakConcurrencyByApi).toMatchObject({ events: 3, trends: 3, top: 1 });
	} finally {
		await release(s, held);
	}
});

test('the four campaign paths share the campaigns limit, the send paths the send limit; External Trigger has its own', async () => {
	const s = await heldSimulator();
	const held = await fillSlots(s, 9, (i) =>
		i < 3
			? SENDERS[i < 2 ? 'campaigns (create)' : 'campaigns (result)'](s, i)
			: i < 6
				? SENDERS[i < 5 ? 'send (push)' : 'send (email)'](s, i)
				: SENDERS.externalTrigger(s, i),
	);
	try {
		// Each with a body its checks take (a 400 comes before the limit).
		const id = { id: s.campaignIds.A };
		expect((await SENDERS['campaigns (create)'](s, 9)).status).toBe(429);
		for (const [path, body] of [
			[CAMPAIGN_PATHS.list, { from: 20240101, to: 20240101 }],
			[CAMPAIGN_PATHS.result, id],
			[CAMPAIGN_PATHS.stop, id],
		]) {
			expect((await post(s, path, body, POST_HEADERS.A)).status).toBe(429);
		}
		expect((await SENDERS['send (email)'](s, 9)).status).toBe(429);
		expect(
			(
				await post(
					s,
					SEND_PATHS.sms,
					{ to: { Identity: ['x'] }, content: { body: 'B' } },
					POST_HEADERS.A,
				)
			).status,
		).toBe(429);
		expect((await SENDERS.externalTrigger(s, 9)).status).toBe(429);
		expect(s.stats().peakConcurrencyByApi).toMatchObject({
			campaigns: 3,
			send: 3,
			externalTrigger: 3,
		});
		// Nothing refused was recorded.
		expect(s.sends).toHaveLength(0);
	} finally {
		await release(s, held);
	}
});

test('Subscribe and Disassociate: 3 in service each, on their own slots; a 400 for the whole request comes before the limit', async () => {
	const s = await heldSimulator();
	const held = await fillSlots(s, 6, (i) =>
		i < 3 ? SENDERS.subscribe(s, i) : SENDERS.disassociate(s, i),
	);
	try {
		expect((await SENDERS.subscribe(s, 9)).status).toBe(429);
		expect((await SENDERS.disassociate(s, 9)).status).toBe(429);
		// A 400 for the whole request comes before the limit.
		const over = {
			d: Array.from({ length: 1001 }, () => ({ type: 'phone', value: '+14155551234' })),
		};
		expect((await post(s, DISASSOCIATE, over, POST_HEADERS.A)).status).toBe(400);
		expect((await post(s, SUBSCRIBE, { d: [] }, POST_HEADERS.A)).status).toBe(400);
		expect(s.stats()).toMatchObject({
			concurrencyRejections: 2,
			peakConcurrencyByApi: { subscribe: 3, disassociate: 3 },
		});
		// Nothing refused took effect.
		expect(s.subscriptionChanges).toHaveLength(0);
	} finally {
		await release(s, held);
	}
});

test('a slow Message Reports answer holds its slot for its whole service time; a client that gives up frees it', async () => {
	const s = await startSimulator({ accounts: ACCOUNTS, messageReportMsPerDay: 60_000 });
	open.push(s);
	const controllers = [0, 1, 2].map(() => new AbortController());
	const held = controllers.map((c) =>
		fetch(`${s.url}${MESSAGE_REPORT}`, {
			method: 'POST',
			headers: POST_HEADERS.A,
			body: JSON.stringify({ from: '20240101', to: '20240101' }),
			signal: c.signal,
		}).catch((err) => err),
	);
	await waitFor(() => s.stats().inFlight === 3, 10_000, 'three reports in service');
	expect((await SENDERS.messageReport(s, 3)).status).toBe(429);
	controllers[0].abort();
	await waitFor(() => s.stats().inFlight === 2, 10_000, 'the abandoned report to free its slot');
	s.setMessageReportMsPerDay(0);
	expect((await SENDERS.messageReport(s, 4)).status).toBe(200);
	await release(s, held);
});

test('options: concurrencyLimit for the 3-slot APIs, uploadConcurrencyLimit for uploads', async () => {
	const s = await heldSimulator({ concurrencyLimit: 1, uploadConcurrencyLimit: 2 });
	const held = await fillSlots(s, 3, (i) =>
		i === 0 ? SENDERS.delete(s, i) : SENDERS.upload(s, i),
	);
	try {
		expect((await SENDERS.delete(s, 9)).status).toBe(429);
		expect((await SENDERS.upload(s, 9)).status).toBe(429);
		expect(s.stats()).toMatchObject({
			peakUploadConcurrency: 2,
			peakConcurrencyByApi: { delete: 1, upload: 2 },
		});
	} finally {
		await release(s, held);
	}
});

test('slots come back when answers go out: 45 uploads in 3 waves of 15, none refused', async () => {
	const s = await startSimulator({ latencyMs: 20 });
	open.push(s);
	try {
		for (let wave = 0; wave < 3; wave++) {
			const results = await Promise.all(
				Array.from({ length: 15 }, (_, i) =>
					SENDERS.upload(s, `${wave}-${i}`, headersFor('TEST-ACCOUNT', 'test-passcode')),
				),
			);
			expect(results.map((r) => r.status)).toEqual(Array(15).fill(200));
		}
		const st = s.stats();
		expect(st).toMatchObject({
			uploadRequests: 45,
			recordsProcessed: 45,
			concurrencyRejections: 0,
			inFlight: 0,
		});
		expect(st.peakUploadConcurrency).toBeLessThanOrEqual(15);
	} finally {
		await s.close();
	}
});
