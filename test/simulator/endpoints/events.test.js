'use strict';

const { startSimulator, DEFAULT_SESSION, DEFAULT_DEVICE } = require('../index.js');
const {
	EVENTS,
	PROFILES,
	AUTH_ONLY,
	headersFor,
	fail,
	post,
	get,
	control,
	useSimulator,
} = require('../testkit');

const sim = useSimulator({ accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' } });

/** POST /1/events.json for a cursor. @param {any} s @param {unknown} body @param {string} [query] @param {Record<string, string>} [headers] */
const cursorFor = (s, body, query = '', headers) => post(s, `${EVENTS}${query}`, body, headers);
/** GET a page with the cursor as given. @param {any} s @param {string} cursor @param {Record<string, string>} [headers] */
const page = (s, cursor, headers) => get(s, `${EVENTS}?cursor=${cursor}`, headers);

const NOT_READY = fail(2, 'Request still in progress, please retry later');
const MARCH = { event_name: 'Charged', from: 20240301, to: 20240331 };

/** Every page's records, following next_cursor. @param {any} s @param {string} cursor */
async function allPages(s, cursor) {
	const pages = [];
	let next = cursor;
	while (next) {
		const r = await page(s, next);
		expect(r.status).toBe(200);
		pages.push(r.json.records ?? []);
		next = r.json.next_cursor;
	}
	return pages;
}

/** The records of a query, all pages. @param {any} s @param {object} body @param {string} [query] */
async function records(s, body, query = '') {
	const r = await cursorFor(s, body, query);
	expect(r.status).toBe(200);
	return (await allPages(s, r.json.cursor)).flat();
}

/** Epoch seconds of a UTC time. @param {string} iso */
const at = (iso) => Date.parse(iso) / 1000;

describe('Get Events: POST /1/events.json → cursor, GET ?cursor= → pages of events', () => {
	test('records in time order across profiles, in the documented shape; other names and days left out', async () => {
		const a = sim.addProfile({
			identity: 'a',
			email: 'a@x.io',
			name: 'Ann',
			profileData: { Plan: 'pro' },
			events: [
				{ name: 'Charged', date: at('2024-03-10T12:00:05Z'), data: { Amount: 5 } },
				{ name: 'Charged', date: at('2024-03-02T08:30:00Z'), data: { Amount: 9 } },
				{ name: 'App Launched', date: at('2024-03-05T00:00:00Z') },
			],
		});
		const b = sim.addProfile({
			identity: 'b',
			events: [
				{
					name: 'Charged',
					date: at('2024-03-05T23:59:59Z'),
					data: { Amount: 7 },
					session: { session_source: 'Direct', utm_source: 'newsletter' },
				},
				{ name: 'Charged', date: '2024-04-01' },
			],
		});
		const r = await cursorFor(sim, MARCH, '?batch_size=50');
		expect(Object.keys(r.json)).toEqual(['cursor', 'status']);
		expect(r.json.status).toBe('success');
		const p = await page(sim, r.json.cursor);
		expect(Object.keys(p.json)).toEqual(['status', 'records']);
		const annEvents = {
			Charged: {
				count: 2,
				first_seen: at('2024-03-02T08:30:00Z'),
				last_seen: at('2024-03-10T12:00:05Z'),
			},
			'App Launched': {
				count: 1,
				first_seen: at('2024-03-05T00:00:00Z'),
				last_seen: at('2024-03-05T00:00:00Z'),
			},
		};
		const ann = {
			objectId: a.objectId,
			identity: 'a',
			email: 'a@x.io',
			name: 'Ann',
			platform: 'Web',
			profileData: { Plan: 'pro' },
			events: annEvents,
		};
		expect(p.json.records).toEqual([
			{
				profile: ann,
				ts: 20240302083000,
				event_props: { Amount: 9 },
				session_props: DEFAULT_SESSION,
			},
			{
				profile: {
					objectId: b.objectId,
					identity: 'b',
					platform: 'Web',
					profileData: {},
					events: {
						Charged: {
							count: 2,
							first_seen: at('2024-03-05T23:59:59Z'),
							last_seen: at('2024-04-01T00:00:00Z'),
						},
					},
				},
				ts: 20240305235959,
				event_props: { Amount: 7 },
				session_props: { session_source: 'Direct', utm_source: 'newsletter' },
			},
			{
				profile: ann,
				ts: 20240310120005,
				event_props: { Amount: 5 },
				session_props: DEFAULT_SESSION,
			},
		]);
		expect(Object.keys(p.json.records[0])).toEqual([
			'profile',
			'ts',
			'event_props',
			'session_props',
		]);
		expect(sim.stats()).toMatchObject({
			requestsByApi: { events: 2, profiles: 0 },
			eventPagesServed: 1,
			pagesServed: 0,
		});
		expect(sim.summary()).toMatch(/2 events\).*; 1 pages of events served/);
	});

	describe('URL flags app, events and profile ([DOC])', () => {
		beforeEach(() => {
			sim.addProfile({
				identity: 'dev',
				profileData: { Plan: 'pro' },
				device: { platform: 'iOS', os_version: '17.2', make: 'Apple' },
				events: [{ name: 'Charged', date: '2024-03-03' }],
			});
		});
		const profileOf = async (query) => (await records(sim, MARCH, query))[0].profile;

		test('app=true adds os_version, app_version, make and model (missing ones from DEFAULT_DEVICE)', async () => {
			const profile = await profileOf('?app=true');
			expect(profile).toMatchObject({
				platform: 'iOS',
				os_version: '17.2',
				app_version: DEFAULT_DEVICE.app_version,
				make: 'Apple',
				model: DEFAULT_DEVICE.model,
			});
			expect(Object.keys(profile).slice(-4)).toEqual([
				'os_version',
				'app_version',
				'make',
				'model',
			]);
			expect(await profileOf('?app=false')).not.toHaveProperty('os_version');
			expect(await profileOf('')).not.toHaveProperty('make');
		});

		test('events=false leaves out the events summary; profile=false leaves out profileData', async () => {
			expect(await profileOf('?events=false')).not.toHaveProperty('events');
			expect(await profileOf('?events=FALSE&profile=false')).toEqual({
				objectId: expect.any(String),
				identity: 'dev',
				platform: 'iOS',
			});
			expect(await profileOf('?events=true&profile=true')).toMatchObject({
				profileData: { Plan: 'pro' },
				events: { Charged: expect.any(Object) },
			});
		});

		test.each(['app=yes', 'events=0', 'profile='])('%s → 400', async (query) => {
			const r = await cursorFor(sim, MARCH, `?${query}`);
			expect(r.status).toBe(400);
			expect(r.json.error).toMatch(/must be true or false/);
		});
	});

	describe('page sizes as for profiles: multiples of 23, under 23 means everything ([L]/[LMCP])', () => {
		test.each([
			['5', [100]],
			['23', [23, 23, 23, 23, 8]],
			['50', [46, 46, 8]],
			[undefined, [100]],
		])('batch_size %s → pages of %j', async (batchSize, sizes) => {
			sim.seedEvents({
				name: 'Charged',
				count: 100,
				from: '2024-03-01',
				to: '2024-03-31',
				profiles: 7,
			});
			const r = await cursorFor(
				sim,
				MARCH,
				batchSize === undefined ? '' : `?batch_size=${batchSize}`,
			);
			const pages = await allPages(sim, r.json.cursor);
			expect(pages.map((p) => p.length)).toEqual(sizes);
			const ts = pages.flat().map((rec) => rec.ts);
			expect(ts).toEqual([...ts].sort((x, y) => x - y));
		});
	});

	test('an empty result: {"status":"success"}, no records key, no next_cursor ([LMCP])', async () => {
		sim.addProfile({ identity: 'x', events: [{ name: 'Charged', date: '2024-02-29' }] });
		const r = await cursorFor(sim, MARCH, '?batch_size=23');
		expect((await page(sim, r.json.cursor)).text).toBe('{"status":"success"}');
	});

	test('event_properties filters the events (query language)', async () => {
		sim.addProfile({
			identity: 'f',
			events: [
				{ name: 'Charged', date: '2024-03-01', data: { item: 'pizza', Amount: 12 } },
				{ name: 'Charged', date: '2024-03-02', data: { item: 'pasta', Amount: 30 } },
				{ name: 'Charged', date: '2024-03-03', data: { item: 'pizza', Amount: 40 } },
			],
		});
		const props = async (event_properties) =>
			(await records(sim, { ...MARCH, event_properties })).map((r) => r.event_props.Amount);
		expect(await props([{ name: 'item', operator: 'contains', value: 'piz' }])).toEqual([12, 40]);
		expect(await props([{ name: 'item', value: 'pasta' }])).toEqual([30]);
		expect(await props([{ name: 'Amount', operator: 'greater_than', value: 20 }])).toEqual([
			30, 40,
		]);
		expect(
			await props([
				{ name: 'item', operator: 'equals', value: ['pizza', 'pasta'] },
				{ name: 'Amount', operator: 'less_than_equals', value: 30 },
			]),
		).toEqual([12, 30]);
		expect(await props([{ name: 'Amount', operator: 'between', value: [13, 39] }])).toEqual([30]);
		expect(await props([{ name: 'coupon', operator: 'not_exists' }])).toEqual([12, 30, 40]);
		const bad = await cursorFor(sim, {
			...MARCH,
			event_properties: [{ name: 'x', operator: 'like' }],
		});
		expect([bad.status, bad.json]).toEqual([400, fail(400, 'Invalid operator: "like"')]);
		expect((await cursorFor(sim, { ...MARCH, event_properties: {} })).status).toBe(400);
	});

	describe('cursors, as for profiles', () => {
		beforeEach(() => {
			sim.seedEvents({ name: 'Charged', count: 30, from: 20240301, to: 20240301 });
		});

		test('already percent-encoded, ~1.6 KB; readable again; raw style on request', async () => {
			const { cursor } = (await cursorFor(sim, MARCH, '?batch_size=23')).json;
			expect(cursor).toMatch(/%2F/);
			expect(cursor.length).toBeGreaterThan(1450);
			const first = await page(sim, cursor);
			expect(await page(sim, cursor)).toMatchObject({ json: first.json });
			expect((await page(sim, first.json.next_cursor)).json.records).toHaveLength(7);
			sim.setCursorStyle('raw');
			const raw = (await cursorFor(sim, MARCH, '?batch_size=23')).json.cursor;
			expect(raw).toMatch(/^[A-Za-z0-9+/]+=$/);
			expect((await page(sim, encodeURIComponent(raw))).json.records).toHaveLength(23);
		});

		test("encoded twice, unknown, another account's, a profiles cursor, or expired → 400", async () => {
			const { cursor } = (await cursorFor(sim, MARCH)).json;
			expect((await page(sim, encodeURIComponent(cursor))).json).toEqual(
				fail(400, 'Invalid cursor'),
			);
			expect((await page(sim, 'nope')).json).toEqual(fail(400, 'Invalid cursor'));
			expect((await get(sim, EVENTS)).json).toEqual(fail(400, 'cursor is required'));
			expect((await page(sim, cursor, headersFor('OTHER', 'other'))).json).toEqual(
				fail(400, 'Invalid cursor'),
			);
			const profilesCursor = (await post(sim, PROFILES, MARCH)).json.cursor;
			expect((await page(sim, profilesCursor)).json).toEqual(fail(400, 'Invalid cursor'));
			expect((await get(sim, `${PROFILES}?cursor=${cursor}`)).json).toEqual(
				fail(400, 'Invalid cursor'),
			);
			sim.expireCursors();
			expect((await page(sim, cursor)).json).toEqual(fail(400, 'Cursor expired'));
			expect(sim.stats().eventPagesServed).toBe(0);
		});

		test('the snapshot: events added after the cursor was made are not on its pages', async () => {
			const { cursor } = (await cursorFor(sim, MARCH)).json;
			sim.seedEvents({
				name: 'Charged',
				count: 5,
				from: 20240302,
				to: 20240302,
				identityPrefix: 'late-',
			});
			expect((await page(sim, cursor)).json.records).toHaveLength(30);
		});
	});

	describe("page not ready: faults '200-not-ready' and '202-not-ready' with api 'events'", () => {
		test.each([
			['200-not-ready', 200],
			['202-not-ready', 202],
		])('%s: HTTP %s, then the same cursor gives the page; never the POST', async (kind, status) => {
			sim.seedEvents({ name: 'Charged', count: 30, from: 20240301, to: 20240301 });
			sim.addFault({ kind: /** @type {any} */ (kind), api: 'events', times: 2 });
			const { cursor } = (await cursorFor(sim, MARCH, '?batch_size=23')).json;
			for (let i = 0; i < 2; i++) {
				const r = await page(sim, cursor);
				expect([r.status, r.json]).toEqual([status, NOT_READY]);
			}
			expect((await page(sim, cursor)).json.records).toHaveLength(23);
			expect(sim.stats()).toMatchObject({ faultsServed: 2, eventPagesServed: 1 });
		});

		test('a profiles page fault does not touch events pages, and the other way round', async () => {
			sim.seedEvents({ name: 'Charged', count: 3, from: 20240301, to: 20240301 });
			sim.addFault({ kind: '202-not-ready' });
			const { cursor } = (await cursorFor(sim, MARCH)).json;
			expect((await page(sim, cursor)).status).toBe(200);
			expect(sim.faults).toHaveLength(1);
			sim.clearFaults();
			sim.addFault({ kind: '202-not-ready', api: 'events' });
			const profilesCursor = (await post(sim, PROFILES, MARCH)).json.cursor;
			expect((await get(sim, `${PROFILES}?cursor=${profilesCursor}`)).status).toBe(200);
			expect((await page(sim, cursor)).status).toBe(202);
		});

		test('scripted through the control API', async () => {
			const s = await startSimulator({ control: true });
			try {
				s.seedEvents({ name: 'Charged', count: 1, from: 20240301, to: 20240301 });
				expect(
					(await control(s, 'POST', 'faults', { kind: '200-not-ready', api: 'events' })).status,
				).toBe(200);
				const { cursor } = (await cursorFor(s, MARCH)).json;
				expect((await page(s, cursor)).json).toEqual(NOT_READY);
				expect((await page(s, cursor)).json.records).toHaveLength(1);
			} finally {
				await s.close();
			}
		});
	});

	describe('validation → 400 envelope naming the field; credentials on both calls', () => {
		test.each([
			['batch_size 0', '?batch_size=0', MARCH, /batch_size/],
			['batch_size 5001', '?batch_size=5001', MARCH, /batch_size/],
			['empty body', '', '', /empty/],
			['malformed JSON', '', '{"event_name":', /not valid JSON/],
			['event_name missing', '', { from: 20240301, to: 20240331 }, /event_name/],
			['from a string', '', { ...MARCH, from: '20240301' }, /from must be a day as a number/],
			['to not a day', '', { ...MARCH, to: 20240332 }, /to must be a day/],
			['from after to', '', { ...MARCH, from: 20240401 }, /is after to/],
		])('%s', async (_name, query, body, error) => {
			const r = await cursorFor(sim, body, query);
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ status: 'fail', code: 400 });
			expect(r.json.error).toMatch(error);
		});

		test('401 without the right passcode, on the POST and on a page', async () => {
			expect((await cursorFor(sim, MARCH, '', { 'Content-Type': 'application/json' })).status).toBe(
				401,
			);
			const { cursor } = (await cursorFor(sim, MARCH)).json;
			expect((await page(sim, cursor, { ...AUTH_ONLY, 'X-CleverTap-Passcode': 'x' })).status).toBe(
				401,
			);
		});
	});
});

describe('seedEvents: many events of one name, fast', () => {
	test('spread evenly over the days and over the profiles in turn; in time order', () => {
		const result = sim.seedEvents({
			name: 'Viewed',
			count: 10,
			from: '2024-03-01',
			to: 20240302,
			profiles: 3,
			data: [{ n: 0 }, { n: 1 }],
		});
		expect(result).toEqual({ events: 10, profiles: 3, created: 3 });
		const profiles = [...sim.profiles.values()];
		expect(profiles.map((p) => [p.identities, p.email, p.name, p.events.length])).toEqual([
			[['seed-0'], 'seed-0@example.com', 'Seed User 0', 4],
			[['seed-1'], 'seed-1@example.com', 'Seed User 1', 3],
			[['seed-2'], 'seed-2@example.com', 'Seed User 2', 3],
		]);
		const start = at('2024-03-01T00:00:00Z');
		// Two days, 10 events: one every 17,280 s.
		expect(profiles[0].events.map((e) => [e.ts - start, e.date, e.data])).toEqual([
			[0, 20240301, { n: 0 }],
			[3 * 17_280, 20240301, { n: 1 }],
			[6 * 17_280, 20240302, { n: 0 }],
			[9 * 17_280, 20240302, { n: 1 }],
		]);
		expect(profiles[1].events[0]).toEqual({
			name: 'Viewed',
			ts: start + 17_280,
			date: 20240301,
			data: { n: 1 },
		});
	});

	test('existing identities are reused; data as one object or a function; session', () => {
		const mine = sim.addProfile({
			identity: 'p-0',
			events: [{ name: 'Other', date: '2024-01-01' }],
		});
		expect(
			sim.seedEvents({
				name: 'E',
				count: 4,
				from: 20240101,
				to: 20240101,
				profiles: 2,
				identityPrefix: 'p-',
				data: { k: 1 },
			}),
		).toEqual({ events: 4, profiles: 2, created: 1 });
		expect(mine.events.map((e) => e.name)).toEqual(['Other', 'E', 'E']);
		expect(mine.events[1].data).toEqual({ k: 1 });
		sim.seedEvents({
			name: 'F',
			count: 3,
			from: 20240101,
			to: 20240101,
			profiles: 1,
			identityPrefix: 'p-',
			data: (i) => ({ i }),
			session: { session_source: 'Direct' },
		});
		expect(mine.events.slice(-3).map((e) => [e.data, e.session])).toEqual([
			[{ i: 0 }, { session_source: 'Direct' }],
			[{ i: 1 }, { session_source: 'Direct' }],
			[{ i: 2 }, { session_source: 'Direct' }],
		]);
		expect(sim.seedEvents({ name: 'G', count: 0, from: 20240101, to: 20240101 })).toEqual({
			events: 0,
			profiles: 0,
			created: 0,
		});
	});

	test.each([
		[{ count: 1, from: 20240101, to: 20240101 }, /name/],
		[{ name: 'E', count: -1, from: 20240101, to: 20240101 }, /count/],
		[{ name: 'E', count: 1.5, from: 20240101, to: 20240101 }, /count/],
		[{ name: 'E', count: 1, from: '2024-02-30', to: 20240301 }, /from must be a day/],
		[{ name: 'E', count: 1, from: 20240102, to: 20240101 }, /after/],
		[{ name: 'E', count: 1, from: 20240101, to: 20240101, profiles: 0 }, /profiles/],
		[{ name: 'E', count: 1, from: 20240101, to: 20240101, data: [] }, /data/],
	])('refuses %j', (spec, error) => {
		expect(() => sim.seedEvents(/** @type {any} */ (spec))).toThrow(error);
	});

	test('100,000 events on 10,000 profiles: well under a second, modest memory; then read back page by page', async () => {
		global.gc?.();
		const before = process.memoryUsage().heapUsed;
		const started = performance.now();
		const result = sim.seedEvents({
			name: 'Bench',
			count: 100_000,
			from: 20240101,
			to: 20240331,
			profiles: 10_000,
			data: { Amount: 10 },
		});
		const ms = performance.now() - started;
		const mb = (process.memoryUsage().heapUsed - before) / 1e6;
		expect(result).toEqual({ events: 100_000, profiles: 10_000, created: 10_000 });
		// ~0.2 s and ~16 MB on a quiet machine; the bounds leave room for a busy CI runner.
		expect(ms).toBeLessThan(1500);
		expect(mb).toBeLessThan(64);
		const r = await cursorFor(
			sim,
			{ event_name: 'Bench', from: 20240101, to: 20240331 },
			'?batch_size=5000&events=false',
		);
		const first = await page(sim, r.json.cursor);
		expect(first.json.records).toHaveLength(4991);
		expect(first.json.records[0]).toMatchObject({
			ts: 20240101000000,
			event_props: { Amount: 10 },
		});
		expect(first.json.records[0].profile).not.toHaveProperty('events');
	}, 60_000);

	test('POST /__simulator/events seeds one spec or a list', async () => {
		const s = await startSimulator({ control: true });
		try {
			const one = await control(s, 'POST', 'events', {
				name: 'A',
				count: 20,
				from: '2024-03-01',
				to: '2024-03-02',
				profiles: 4,
			});
			expect(one.json).toEqual({ status: 'success', events: 20, profiles: 4, created: 4 });
			const many = await control(s, 'POST', 'events', [
				{
					name: 'B',
					count: 6,
					from: 20240301,
					to: 20240301,
					profiles: 4,
					data: [{ x: 1 }, { x: 2 }],
				},
				{ name: 'C', count: 2, from: 20240301, to: 20240301, identityPrefix: 'c-' },
			]);
			expect(many.json).toEqual({ status: 'success', events: 8, profiles: 6, created: 2 });
			expect(s.profiles.size).toBe(6);
			const bad = await control(s, 'POST', 'events', {
				name: 'D',
				count: 1,
				from: 'soon',
				to: 20240301,
			});
			expect(bad.status).toBe(400);
			expect(bad.json.error).toMatch(/from must be a day/);
			const r = await records(s, { event_name: 'B', from: 20240301, to: 20240301 });
			expect(r.map((x) => x.event_props.x)).toEqual([1, 2, 1, 2, 1, 2]);
		} finally {
			await s.close();
		}
	});
});
