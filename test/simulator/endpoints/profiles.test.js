'use strict';

const { startSimulator } = require('../index.js');
const {
	PROFILES,
	AUTH_ONLY,
	headersFor,
	fail,
	post,
	get,
	waitFor,
	useSimulator,
} = require('../testkit');

const sim = useSimulator({ accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' } });

/** POST /1/profiles.json for a cursor. @param {any} s @param {unknown} body @param {string} [query] @param {Record<string, string>} [headers] */
const cursorFor = (s, body, query = '', headers) => post(s, `${PROFILES}${query}`, body, headers);
/** GET a page. @param {any} s @param {string} cursor @param {Record<string, string>} [headers] */
const page = (s, cursor, headers) =>
	get(s, `${PROFILES}?cursor=${encodeURIComponent(cursor)}`, headers);

/** Every record, page by page, as a client following next_cursor would. @param {any} s @param {string} cursor */
async function allPages(s, cursor) {
	const pages = [];
	let next = cursor;
	while (next) {
		const r = await page(s, next);
		expect(r.status).toBe(200);
		pages.push(r.json.records);
		next = r.json.next_cursor;
	}
	return pages;
}

/** n profiles with the event on 2024-03-10, objectIds in creation order. @param {number} n */
function seed(n, event = 'Identity Error', date = '2024-03-10') {
	return Array.from({ length: n }, (_, i) =>
		sim.addProfile({ identity: `u${i}`, events: [{ name: event, date }] }),
	);
}

describe('Get Many by Event: POST /1/profiles.json → cursor, GET ?cursor= → pages', () => {
	test('pages of batch_size in objectId order, next_cursor only while more remain', async () => {
		const profiles = seed(7);
		sim.addProfile({ identity: 'other-event', events: [{ name: 'Charged', date: '2024-03-10' }] });
		const r = await cursorFor(
			sim,
			{ event_name: 'Identity Error', from: 20240301, to: 20240331 },
			'?batch_size=3',
		);
		expect(r.status).toBe(200);
		expect(Object.keys(r.json)).toEqual(['status', 'cursor']);
		expect(r.json.status).toBe('success');
		const pages = await allPages(sim, r.json.cursor);
		expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
		expect(pages.flat().map((rec) => rec.identity)).toEqual(profiles.map((p) => p.identities[0]));
		expect(pages[0][0]).toEqual({
			objectId: profiles[0].objectId,
			identity: 'u0',
			profileData: {},
			platformInfo: [{ platform: 'Web', objectId: profiles[0].objectId }],
		});
		expect(sim.stats()).toMatchObject({
			profilesRequests: 4,
			pagesServed: 3,
			requestsByApi: { profiles: 4 },
		});
		expect(sim.summary()).toMatch(/, 4 profiles\).*; 3 pages of profiles served/);
	});

	test('the last page has no next_cursor key; an exact multiple ends with a full page', async () => {
		seed(4);
		const r = await cursorFor(
			sim,
			{ event_name: 'Identity Error', from: 20240310, to: 20240310 },
			'?batch_size=2',
		);
		const first = await page(sim, r.json.cursor);
		const second = await page(sim, first.json.next_cursor);
		expect(second.json.records).toHaveLength(2);
		expect('next_cursor' in second.json).toBe(false);
	});

	test('batch_size defaults to 10; no match gives one empty page', async () => {
		seed(12);
		const r = await cursorFor(sim, { event_name: 'Identity Error', from: 20240301, to: 20240331 });
		expect((await allPages(sim, r.json.cursor)).map((p) => p.length)).toEqual([10, 2]);
		const none = await cursorFor(sim, { event_name: 'Never', from: 20240301, to: 20240331 });
		expect((await page(sim, none.json.cursor)).json).toEqual({ status: 'success', records: [] });
	});

	test('from..to is inclusive, days in UTC; events given as a Date or epoch seconds count too', async () => {
		const late = sim.addProfile({
			identity: 'late',
			events: [{ name: 'E', date: new Date('2024-03-10T23:59:59Z') }],
		});
		const early = sim.addProfile({
			identity: 'early',
			events: [{ name: 'E', date: Date.UTC(2024, 2, 9) / 1000 }],
		});
		sim.addProfile({ identity: 'after', events: [{ name: 'E', date: '2024-03-11' }] });
		const ids = async (from, to) => {
			const r = await cursorFor(sim, { event_name: 'E', from, to });
			return (await allPages(sim, r.json.cursor)).flat().map((x) => x.objectId);
		};
		expect(await ids(20240309, 20240310)).toEqual([late.objectId, early.objectId]);
		expect(await ids(20240310, 20240310)).toEqual([late.objectId]);
		expect(await ids(20240312, 20240401)).toEqual([]);
	});

	test('cursors are base64 with +, / and =: sent without URL-encoding they are invalid', async () => {
		seed(1);
		const { cursor } = (
			await cursorFor(sim, { event_name: 'Identity Error', from: 20240301, to: 20240331 })
		).json;
		expect(cursor).toMatch(/^[A-Za-z0-9+/]+=*$/);
		expect(cursor).toMatch(/\+/);
		expect(cursor).toMatch(/\//);
		expect(cursor).toMatch(/=$/);
		const unencoded = await get(sim, `${PROFILES}?cursor=${cursor}`);
		expect(unencoded.json).toEqual(fail(400, 'Invalid cursor'));
		expect((await page(sim, cursor)).status).toBe(200);
	});

	test('a cursor can be fetched again (a retried page) and gives the same next_cursor', async () => {
		seed(5);
		const { cursor } = (
			await cursorFor(
				sim,
				{ event_name: 'Identity Error', from: 20240301, to: 20240331 },
				'?batch_size=2',
			)
		).json;
		const a = await page(sim, cursor);
		const b = await page(sim, cursor);
		expect(b.json).toEqual(a.json);
	});

	test('the cursor holds the profiles as they were; a deleted profile still shows on its pages', async () => {
		const [first] = seed(2);
		const { cursor } = (
			await cursorFor(sim, { event_name: 'Identity Error', from: 20240301, to: 20240331 })
		).json;
		sim.addProfile({
			identity: 'newcomer',
			events: [{ name: 'Identity Error', date: '2024-03-10' }],
		});
		await post(sim, '/1/delete/profiles.json', { guid: [first.objectId] });
		const records = (await page(sim, cursor)).json.records;
		expect(records.map((x) => x.identity)).toEqual(['u0', 'u1']);
	});

	test('unknown, missing, other-account and expired cursors → 400', async () => {
		seed(3);
		expect((await page(sim, 'nope')).json).toEqual(fail(400, 'Invalid cursor'));
		expect((await get(sim, PROFILES)).json).toEqual(fail(400, 'cursor is required'));
		const { cursor } = (
			await cursorFor(
				sim,
				{ event_name: 'Identity Error', from: 20240301, to: 20240331 },
				'?batch_size=1',
			)
		).json;
		expect((await page(sim, cursor, headersFor('OTHER', 'other'))).json).toEqual(
			fail(400, 'Invalid cursor'),
		);
		const next = (await page(sim, cursor)).json.next_cursor;
		sim.expireCursors();
		for (const c of [cursor, next]) {
			const r = await page(sim, c);
			expect(r.status).toBe(400);
			expect(r.json).toEqual(fail(400, 'Cursor expired'));
		}
		expect(sim.stats().pagesServed).toBe(1);
	});

	test('option cursorTtlMs: a cursor expires that long after it was made', async () => {
		const s = await startSimulator({ cursorTtlMs: 30 });
		try {
			s.addProfile({ identity: 'a', events: [{ name: 'E', date: '2024-01-01' }] });
			const made = Date.now();
			const { cursor } = (await cursorFor(s, { event_name: 'E', from: 20240101, to: 20240101 }))
				.json;
			// Either still valid (a fast machine) or already expired: never anything else.
			const early = await page(s, cursor);
			expect([200, 400]).toContain(early.status);
			await waitFor(() => Date.now() - made > 60, 5000, 'the TTL to pass');
			expect((await page(s, cursor)).json).toEqual(fail(400, 'Cursor expired'));
		} finally {
			await s.close();
		}
	});

	describe('validation → 400 envelope naming the field', () => {
		const ok = { event_name: 'E', from: 20240101, to: 20240131 };
		test.each([
			['batch_size 0', '?batch_size=0', ok, /batch_size/],
			[
				'batch_size 5001',
				'?batch_size=5001',
				ok,
				/batch_size must be a whole number from 1 to 5000/,
			],
			['batch_size not a number', '?batch_size=ten', ok, /batch_size/],
			['batch_size 1.5', '?batch_size=1.5', ok, /batch_size/],
			['empty body', '', '', /empty/],
			['malformed JSON', '', '{"event_name":', /not valid JSON/],
			['an array', '', '[]', /JSON object/],
			['event_name missing', '', { from: 20240101, to: 20240131 }, /event_name/],
			['event_name empty', '', { ...ok, event_name: ' ' }, /event_name/],
			['event_name a number', '', { ...ok, event_name: 5 }, /event_name/],
			['from missing', '', { event_name: 'E', to: 20240131 }, /from is required/],
			['to missing', '', { event_name: 'E', from: 20240101 }, /to is required/],
			['from a string', '', { ...ok, from: '20240101' }, /from must be a day as a number YYYYMMDD/],
			['from not a day', '', { ...ok, from: 20240230 }, /from must be a day/],
			['to with a time', '', { ...ok, to: 2024013112 }, /to must be a day/],
			[
				'from after to',
				'',
				{ ...ok, from: 20240201 },
				/from \(20240201\) is after to \(20240131\)/,
			],
		])('%s', async (_name, query, body, error) => {
			const r = await cursorFor(sim, body, query);
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ status: 'fail', code: 400 });
			expect(r.json.error).toMatch(error);
		});

		test('batch_size 1 and 5000 are accepted', async () => {
			for (const n of [1, 5000]) {
				expect((await cursorFor(sim, ok, `?batch_size=${n}`)).status).toBe(200);
			}
		});

		test('credentials are checked on both calls', async () => {
			expect((await cursorFor(sim, ok, '', { 'Content-Type': 'application/json' })).status).toBe(
				401,
			);
			const { cursor } = (await cursorFor(sim, ok)).json;
			expect((await page(sim, cursor, { ...AUTH_ONLY, 'X-CleverTap-Passcode': 'x' })).status).toBe(
				401,
			);
		});
	});
});
