'use strict';

const { startSimulator, COUNT_APIS, COUNT_PATHS, SYSTEM_EVENTS } = require('../index.js');
const { isoWeekKey, rangeWidth } = require('./counts');
const {
	COUNTS,
	AUTH_ONLY,
	headersFor,
	fail,
	post,
	get,
	upload,
	control,
	useSimulator,
} = require('../testkit');

const sim = useSimulator({ accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' } });

/** POST a Counts query. @param {any} s @param {keyof typeof COUNTS} api @param {object} body @param {string} [query] @param {Record<string, string>} [headers] */
const start = (s, api, body, query = '', headers = undefined) =>
	post(s, `${COUNTS[api]}${query}`, body, headers);
/** Poll a Counts query. @param {any} s @param {keyof typeof COUNTS} api @param {unknown} reqId @param {Record<string, string>} [headers] */
const poll = (s, api, reqId, headers = undefined) =>
	get(s, `${COUNTS[api]}?req_id=${reqId}`, headers);

const MARCH = { event_name: 'Charged', from: 20240301, to: 20240331 };
const INVALID_REQUEST_ID = fail(400, 'Invalid request id');

/** Three profiles' Charged events in March 2024 (and one in April). */
function seed() {
	sim.addProfile({
		identity: 'a',
		profileData: { Tier: 'Gold' },
		device: { app_version: '2.0.0' },
		events: [
			{ name: 'Charged', date: '2024-03-01', data: { Amount: 10, Item: 'pizza' } },
			{ name: 'Charged', date: '2024-03-01', data: { Amount: 20, Item: 'pasta' } },
			{
				name: 'Charged',
				date: '2024-03-04',
				data: { Amount: 35, Item: 'pizza' },
				session: { session_source: 'Direct' },
			},
			{ name: 'App Launched', date: '2024-03-04' },
		],
	});
	sim.addProfile({
		identity: 'b',
		profileData: { Tier: 'Silver' },
		events: [
			{ name: 'Charged', date: '2024-03-04', data: { Amount: 250, Item: 'pizza' } },
			{ name: 'Charged', date: '2024-03-31', data: { Amount: '5', Item: true } },
		],
	});
	sim.addProfile({
		identity: 'c',
		profileData: { Tier: 'Gold' },
		events: [{ name: 'Charged', date: '2024-04-01', data: { Amount: 1000 } }],
	});
}

describe('Get Event Count and Get Profile Count', () => {
	test('count the matching events, and the distinct profiles that did them', async () => {
		seed();
		const events = await start(sim, 'eventCount', MARCH);
		expect([events.status, events.json]).toEqual([200, { status: 'success', count: 5 }]);
		expect(Object.keys(events.json)).toEqual(['status', 'count']);
		expect((await start(sim, 'profileCount', MARCH)).json).toEqual({ status: 'success', count: 2 });
		const april = { ...MARCH, from: 20240401, to: 20240430 };
		expect((await start(sim, 'eventCount', april)).json.count).toBe(1);
		const pizza = [{ name: 'Item', operator: 'equals', value: 'pizza' }];
		expect((await start(sim, 'eventCount', { ...MARCH, event_properties: pizza })).json.count).toBe(
			3,
		);
		expect(
			(await start(sim, 'profileCount', { ...MARCH, event_properties: pizza })).json.count,
		).toBe(2);
		expect(sim.stats()).toMatchObject({
			requestsByApi: { eventCount: 3, profileCount: 2 },
			countQueries: 5,
			countPolls: 0,
		});
	});

	test('a system event is known to every account: 0, not "Invalid event"', async () => {
		expect([...SYSTEM_EVENTS]).toEqual(
			expect.arrayContaining(['App Uninstalled', 'Charged', 'App Launched']),
		);
		expect(
			(await start(sim, 'eventCount', { ...MARCH, event_name: 'App Uninstalled' })).json,
		).toEqual({
			status: 'success',
			count: 0,
		});
	});

	test('an event name never seen: 400 and the observed body; 200 with invalidEventStatus 200 ([LMCP])', async () => {
		const body = '{"status":"fail","error":"[\\"Invalid event : Uninstalled\\"]","code":400}';
		for (const api of COUNT_APIS) {
			const r = await start(sim, api, { ...MARCH, event_name: 'Uninstalled', groups: {} });
			expect([api, r.status, r.text]).toEqual([api, 400, body]);
		}
		sim.setInvalidEventStatus(200);
		const r = await start(sim, 'trends', { ...MARCH, event_name: 'Uninstalled' });
		expect([r.status, r.text]).toEqual([200, body]);
		expect(() => sim.setInvalidEventStatus(/** @type {any} */ (404))).toThrow(/invalidEventStatus/);
		sim.reset();
		expect(sim.invalidEventStatus).toBe(400);
		expect(sim.stats().countQueries).toBe(0);
	});

	test('a name becomes known once the store holds it: by addProfile, seedEvents or an upload', async () => {
		const count = async (event_name) =>
			(await start(sim, 'eventCount', { ...MARCH, event_name })).json;
		expect((await count('Signed Up')).status).toBe('fail');
		sim.seedEvents({ name: 'Signed Up', count: 2, from: 20240305, to: 20240305 });
		expect(await count('Signed Up')).toEqual({ status: 'success', count: 2 });
		await upload(sim, {
			d: [{ type: 'event', identity: 'u', evtName: 'Rated', ts: 1709294400, evtData: {} }],
		});
		expect(await count('Rated')).toEqual({ status: 'success', count: 1 });
		// Known even when none is left in the range.
		expect(
			(await start(sim, 'eventCount', { event_name: 'Rated', from: 20200101, to: 20200101 })).json
				.count,
		).toBe(0);
	});

	test.each([
		['empty body', '', /empty/],
		['event_name missing', { from: 20240301, to: 20240331 }, /event_name/],
		['from a string', { ...MARCH, from: '20240301' }, /from must be a day as a number/],
		['from after to', { ...MARCH, from: 20240401 }, /is after to/],
		[
			'a bad operator',
			{ ...MARCH, event_properties: [{ name: 'x', operator: '~' }] },
			/Invalid operator/,
		],
	])('%s → 400', async (_name, body, error) => {
		const r = await start(sim, 'eventCount', body);
		expect(r.status).toBe(400);
		expect(r.json.error).toMatch(error);
	});
});

describe('Trends', () => {
	test("daily YYYYMMDD, weekly YYYYWW (ISO), monthly YYYYMM under the caller's labels; every period present", async () => {
		seed();
		const r = await start(sim, 'trends', {
			...MARCH,
			from: 20240301,
			to: 20240401,
			groups: {
				d: { trend_type: 'daily' },
				w: { trend_type: 'weekly' },
				m: { trend_type: 'monthly' },
			},
		});
		expect(Object.keys(r.json)).toEqual(['status', 'd', 'w', 'm']);
		expect(Object.keys(r.json.d)).toHaveLength(32);
		expect(r.json.d).toMatchObject({
			20240301: 2,
			20240302: 0,
			20240304: 2,
			20240331: 1,
			20240401: 1,
		});
		// 1 Mar 2024 is a Friday of ISO week 9; 1 Apr a Monday of week 14.
		expect(r.json.w).toEqual({ 202409: 2, 202410: 2, 202411: 0, 202412: 0, 202413: 1, 202414: 1 });
		expect(r.json.m).toEqual({ 202403: 5, 202404: 1 });
	});

	test('unique counts distinct profiles; sum_event_prop sums a numeric property (numeric text too)', async () => {
		seed();
		const groups = { m: { trend_type: 'monthly' }, w: { trend_type: 'weekly' } };
		expect((await start(sim, 'trends', { ...MARCH, unique: true, groups })).json).toEqual({
			status: 'success',
			m: { 202403: 2 },
			w: { 202409: 1, 202410: 2, 202411: 0, 202412: 0, 202413: 1 },
		});
		expect(
			(await start(sim, 'trends', { ...MARCH, sum_event_prop: 'Amount', groups })).json,
		).toEqual({
			status: 'success',
			m: { 202403: 320 },
			w: { 202409: 30, 202410: 285, 202411: 0, 202412: 0, 202413: 5 },
		});
		expect(
			(await start(sim, 'trends', { ...MARCH, sum_event_prop: 'Nothing', groups: { m: groups.m } }))
				.json,
		).toEqual({ status: 'success', m: { 202403: 0 } });
	});

	test('ISO weeks across the turn of the year', () => {
		expect(
			[
				20160101, 20161224, 20161226, 20170101, 20170102, 20201231, 20210103, 20241230, 20251229,
			].map(isoWeekKey),
		).toEqual([201553, 201651, 201652, 201652, 201701, 202053, 202053, 202501, 202601]);
	});

	test.each([
		['no groups', { ...MARCH }, /groups is required/],
		['empty groups', { ...MARCH, groups: {} }, /groups is required/],
		[
			'a bad trend_type',
			{ ...MARCH, groups: { x: { trend_type: 'hourly' } } },
			/^\["Invalid group : x"\]$/,
		],
		[
			'unique not a boolean',
			{ ...MARCH, unique: 'yes', groups: { x: { trend_type: 'daily' } } },
			/unique/,
		],
		[
			'sum_event_prop a number',
			{ ...MARCH, sum_event_prop: 1, groups: { x: { trend_type: 'daily' } } },
			/sum_event_prop/,
		],
	])('%s → 400', async (_name, body, error) => {
		const r = await start(sim, 'trends', body);
		expect(r.status).toBe(400);
		expect(r.json.error).toMatch(error);
	});
});

describe('Top Property Count', () => {
	test("strings under STR, numbers in ranges under NUMBER, per the caller's labels; top_n and order", async () => {
		seed();
		const r = await start(sim, 'top', {
			...MARCH,
			groups: {
				item: { property_type: 'event_properties', name: 'Item' },
				amount: { property_type: 'event_properties', name: 'Amount' },
				tier: { property_type: 'profile_fields', name: 'Tier', top_n: 1, order: 'asc' },
				source: { property_type: 'session_properties', name: 'session_source' },
				app: { property_type: 'app_fields', name: 'App Version' },
				who: { property_type: 'profile_fields', name: 'Identity' },
				none: { property_type: 'event_properties', name: 'Missing' },
			},
		});
		expect(r.json).toEqual({
			status: 'success',
			// Booleans count as text; '5' is text.
			item: { STR: { pizza: 3, pasta: 1, true: 1 } },
			// 10..250 in ranges of 50: at most 10 ranges of 1, 2 or 5 times a power of ten.
			amount: { NUMBER: { '0-50': 3, '250-300': 1 }, STR: { 5: 1 } },
			tier: { STR: { Silver: 2 } },
			source: { STR: { Others: 4, Direct: 1 } },
			app: { STR: { '2.0.0': 3, '1.1.7': 2 } },
			who: { STR: { a: 3, b: 2 } },
			none: {},
		});
		expect(Object.keys(r.json.item.STR)).toEqual(['pizza', 'pasta', 'true']);
	});

	test('the other property types split the event count over a fixed table', async () => {
		seed();
		const r = await start(sim, 'top', {
			...MARCH,
			groups: {
				geo: { property_type: 'geo_fields', name: 'Country' },
				demo: { property_type: 'demographics', name: 'Gender', top_n: 2 },
				tech: { property_type: 'technographics', name: 'OS' },
				reach: { property_type: 'reachability', name: 'Push' },
			},
		});
		const total = (/** @type {Record<string, number>} */ o) =>
			Object.values(o).reduce((a, b) => a + b, 0);
		expect(total(r.json.geo.STR)).toBe(5);
		expect(total(r.json.tech.STR)).toBe(5);
		expect(total(r.json.reach.STR)).toBe(5);
		expect(Object.keys(r.json.demo.STR)).toHaveLength(2);
		// 50%, 30%, 20% of 5 rounded down, the rest to the first; ties by value.
		expect(r.json.geo.STR).toEqual({ India: 3, Germany: 1, 'United States': 1 });
	});

	test('range widths', () => {
		expect(
			[
				[0, 9],
				[50, 950],
				[10, 250],
				[0, 1000],
				[1, 1],
				[-30, 30],
				[0.5, 2.5],
			].map(([a, b]) => rangeWidth(a, b)),
		).toEqual([1, 100, 50, 200, 1, 10, 1]);
	});

	test.each([
		['no groups', { ...MARCH }, /groups is required/],
		[
			'an unknown property_type',
			{ property_type: 'cohorts', name: 'x' },
			/^\["Invalid group : g"\]$/,
		],
		['no name', { property_type: 'event_properties' }, /Invalid group : g/],
		['top_n 0', { property_type: 'event_properties', name: 'x', top_n: 0 }, /Invalid group : g/],
		[
			'top_n 101',
			{ property_type: 'event_properties', name: 'x', top_n: 101 },
			/Invalid group : g/,
		],
		[
			'order up',
			{ property_type: 'event_properties', name: 'x', order: 'up' },
			/Invalid group : g/,
		],
	])('%s → 400', async (_name, group, error) => {
		const body =
			'property_type' in group || 'name' in group ? { ...MARCH, groups: { g: group } } : group;
		const r = await start(sim, 'top', body);
		expect(r.status).toBe(400);
		expect(r.json.error).toMatch(error);
	});
});

describe('asynchronous answers: countPolls, then GET <same path>?req_id=', () => {
	test.each(COUNT_APIS)(
		'%s: partial with a req_id, partial on polls 1 and 2, the result on poll 3',
		async (api) => {
			seed();
			const groups =
				api === 'top'
					? { g: { property_type: 'event_properties', name: 'Item' } }
					: { g: { trend_type: 'monthly' } };
			const direct = (await start(sim, api, { ...MARCH, groups })).json;
			sim.setCountPolls(3);
			const started = await start(sim, api, { ...MARCH, groups });
			expect(started.status).toBe(200);
			expect(Object.keys(started.json)).toEqual(['req_id', 'status']);
			const reqId = started.json.req_id;
			expect(started.json.status).toBe('partial');
			expect(Number.isSafeInteger(reqId) && String(reqId).length === 15).toBe(true);
			expect(started.text).toBe(`{"req_id":${reqId},"status":"partial"}`);
			for (let i = 0; i < 2; i++) {
				const p = await poll(sim, api, reqId);
				expect([p.status, p.text]).toEqual([200, `{"status":"partial","req_id":${reqId}}`]);
			}
			const done = await poll(sim, api, reqId);
			expect([done.status, done.json]).toEqual([200, direct]);
			expect(sim.stats()).toMatchObject({
				countQueries: 2,
				countPolls: 3,
				countPollsByApi: { [api]: 3 },
				requestsByApi: { [api]: 5 },
			});
			// Asked again, the result again.
			expect((await poll(sim, api, reqId)).json).toEqual(direct);
			expect(sim.summary()).toMatch(/; 2 count queries, 4 polls/);
		},
	);

	test('the result is the store as it was when the query started', async () => {
		seed();
		sim.setCountPolls(1);
		const { req_id } = (await start(sim, 'eventCount', MARCH)).json;
		sim.seedEvents({ name: 'Charged', count: 10, from: 20240310, to: 20240310 });
		expect((await poll(sim, 'eventCount', req_id)).json).toEqual({ status: 'success', count: 5 });
	});

	test('each query keeps the poll count it started with; reset() restores the option', async () => {
		sim.setCountPolls(2);
		const first = (await start(sim, 'eventCount', MARCH)).json.req_id;
		sim.setCountPolls(0);
		expect((await start(sim, 'eventCount', MARCH)).json).toEqual({ status: 'success', count: 0 });
		expect((await poll(sim, 'eventCount', first)).json.status).toBe('partial');
		expect((await poll(sim, 'eventCount', first)).json.status).toBe('success');
		sim.setCountPolls(4);
		sim.reset();
		expect(sim.countPolls).toBe(0);
		const s = await startSimulator({ countPolls: 1 });
		try {
			s.setCountPolls(0);
			s.reset();
			expect((await start(s, 'eventCount', MARCH)).json.status).toBe('partial');
		} finally {
			await s.close();
		}
		expect(() => sim.setCountPolls(-1)).toThrow(/countPolls/);
		expect(() => sim.setCountPolls(1.5)).toThrow(/countPolls/);
	});

	describe('"Invalid request id" (inferred wording) → 400', () => {
		test("unknown, missing, another path's, another account's; a POST with ?req_id=", async () => {
			sim.setCountPolls(5);
			const { req_id } = (
				await start(sim, 'trends', { ...MARCH, groups: { g: { trend_type: 'daily' } } })
			).json;
			expect((await poll(sim, 'trends', 123)).json).toEqual(INVALID_REQUEST_ID);
			expect((await poll(sim, 'trends', 'abc')).json).toEqual(INVALID_REQUEST_ID);
			expect((await get(sim, COUNTS.trends)).json).toEqual(fail(400, 'req_id is required'));
			expect((await poll(sim, 'top', req_id)).json).toEqual(INVALID_REQUEST_ID);
			expect((await poll(sim, 'trends', req_id, headersFor('OTHER', 'other'))).json).toEqual(
				INVALID_REQUEST_ID,
			);
			const again = await start(
				sim,
				'trends',
				{ ...MARCH, groups: { g: { trend_type: 'daily' } } },
				`?req_id=${req_id}`,
			);
			expect([again.status, again.json]).toEqual([400, INVALID_REQUEST_ID]);
			expect((await poll(sim, 'trends', req_id)).json.status).toBe('partial');
			expect(sim.stats().countPolls).toBe(1);
		});

		test('expired: expireCountQueries(), option reqIdTtlMs, and reset()', async () => {
			sim.setCountPolls(1);
			const { req_id } = (await start(sim, 'eventCount', MARCH)).json;
			sim.expireCountQueries();
			expect((await poll(sim, 'eventCount', req_id)).json).toEqual(INVALID_REQUEST_ID);
			const kept = (await start(sim, 'eventCount', MARCH)).json.req_id;
			sim.reset({ keepProfiles: true });
			expect((await poll(sim, 'eventCount', kept)).json.status).toBe('success');
			sim.reset();
			expect((await poll(sim, 'eventCount', kept)).json).toEqual(INVALID_REQUEST_ID);
			const s = await startSimulator({ countPolls: 1, reqIdTtlMs: 1 });
			try {
				const id = (await start(s, 'eventCount', MARCH)).json.req_id;
				await new Promise((r) => setTimeout(r, 10));
				expect((await poll(s, 'eventCount', id)).json).toEqual(INVALID_REQUEST_ID);
			} finally {
				await s.close();
			}
			await expect(startSimulator({ reqIdTtlMs: 0 })).rejects.toThrow(/reqIdTtlMs/);
		});
	});

	test('credentials on the POST and on each poll', async () => {
		sim.setCountPolls(2);
		expect(
			(await start(sim, 'eventCount', MARCH, '', { 'Content-Type': 'application/json' })).status,
		).toBe(401);
		const { req_id } = (await start(sim, 'eventCount', MARCH)).json;
		expect(
			(await poll(sim, 'eventCount', req_id, { ...AUTH_ONLY, 'X-CleverTap-Passcode': 'x' })).status,
		).toBe(401);
	});

	test('faults are scoped by API name, the polls included', async () => {
		sim.setCountPolls(2);
		const { req_id } = (
			await start(sim, 'top', {
				...MARCH,
				groups: { g: { property_type: 'geo_fields', name: 'c' } },
			})
		).json;
		sim.addFault({ kind: '502', api: 'top' });
		expect(
			(await start(sim, 'trends', { ...MARCH, groups: { g: { trend_type: 'daily' } } })).status,
		).toBe(200);
		expect((await poll(sim, 'top', req_id)).status).toBe(502);
		expect((await poll(sim, 'top', req_id)).json.status).toBe('partial');
		expect(sim.stats()).toMatchObject({ faultsServed: 1, countPolls: 1 });
	});

	test('through the control API: count-polls, invalid-event-status, expire', async () => {
		const s = await startSimulator({ control: true });
		try {
			expect((await control(s, 'POST', 'count-polls', { polls: 2 })).json).toEqual({
				status: 'success',
			});
			expect((await control(s, 'POST', 'count-polls', { polls: 'x' })).status).toBe(400);
			const { req_id } = (await start(s, 'profileCount', MARCH)).json;
			expect((await poll(s, 'profileCount', req_id)).json.status).toBe('partial');
			expect((await poll(s, 'profileCount', req_id)).json).toEqual({ status: 'success', count: 0 });
			expect((await control(s, 'GET', 'stats')).json).toMatchObject({
				countPolls: 2,
				countQueries: 1,
			});
			await control(s, 'POST', 'expire', { countQueries: true });
			expect((await poll(s, 'profileCount', req_id)).json).toEqual(INVALID_REQUEST_ID);
			await control(s, 'POST', 'invalid-event-status', { status: 200 });
			expect((await start(s, 'eventCount', { ...MARCH, event_name: 'Nope' })).status).toBe(200);
			expect((await control(s, 'POST', 'invalid-event-status', { status: 500 })).status).toBe(400);
		} finally {
			await s.close();
		}
	});
});

test("COUNT_PATHS names each Counts API's path", () => {
	expect(COUNT_PATHS).toEqual(COUNTS);
});
