'use strict';

const { startSimulator, CURSOR_STYLES, PAGE_FAULT_KINDS } = require('../index.js');
const { pageSizeFor } = require('./profiles');
const {
	PROFILES,
	AUTH_ONLY,
	headersFor,
	fail,
	post,
	get,
	waitFor,
	control,
	useSimulator,
} = require('../testkit');

const sim = useSimulator({ accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' } });

/** POST /1/profiles.json for a cursor. @param {any} s @param {unknown} body @param {string} [query] @param {Record<string, string>} [headers] */
const cursorFor = (s, body, query = '', headers) => post(s, `${PROFILES}${query}`, body, headers);
/** GET a page with the cursor in the URL as given (CleverTap's own client does so [N]). @param {any} s @param {string} cursor @param {Record<string, string>} [headers] */
const page = (s, cursor, headers) => get(s, `${PROFILES}?cursor=${cursor}`, headers);

/** The answer of a page that is not ready yet ([LMCP]). */
const NOT_READY = fail(2, 'Request still in progress, please retry later');

/** Every record, page by page, as a client following next_cursor would. @param {any} s @param {string} cursor */
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

/** The cursor of a query for 'Identity Error' in March 2024. @param {any} s @param {string} [query] */
async function openQuery(s, query = '') {
	const r = await cursorFor(
		s,
		{ event_name: 'Identity Error', from: 20240301, to: 20240331 },
		query,
	);
	expect(r.status).toBe(200);
	return /** @type {string} */ (r.json.cursor);
}

/** n profiles with the event on 2024-03-10, objectIds in creation order. @param {number} n */
function seed(n, event = 'Identity Error', date = '2024-03-10') {
	return Array.from({ length: n }, (_, i) =>
		sim.addProfile({ identity: `u${i}`, events: [{ name: event, date }] }),
	);
}

describe('Get Many by Event: POST /1/profiles.json → cursor, GET ?cursor= → pages', () => {
	test('pages in objectId order, next_cursor only while more remain', async () => {
		const profiles = seed(50);
		sim.addProfile({ identity: 'other-event', events: [{ name: 'Charged', date: '2024-03-10' }] });
		const r = await cursorFor(
			sim,
			{ event_name: 'Identity Error', from: 20240301, to: 20240331 },
			'?batch_size=25',
		);
		expect(r.status).toBe(200);
		// Keys in the order [V] recorded.
		expect(Object.keys(r.json)).toEqual(['cursor', 'status']);
		expect(r.json.status).toBe('success');
		const pages = await allPages(sim, r.json.cursor);
		expect(pages.map((p) => p.length)).toEqual([23, 23, 4]);
		expect(pages.flat().map((rec) => rec.identity)).toEqual(profiles.map((p) => p.identities[0]));
		const day = Date.UTC(2024, 2, 10) / 1000;
		expect(pages[0][0]).toEqual({
			identity: 'u0',
			profileData: {},
			events: { 'Identity Error': { count: 1, first_seen: day, last_seen: day } },
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
		seed(46);
		const cursor = await openQuery(sim, '?batch_size=23');
		const first = await page(sim, cursor);
		const second = await page(sim, first.json.next_cursor);
		expect(second.json.records).toHaveLength(23);
		expect('next_cursor' in second.json).toBe(false);
	});

	describe('page sizes as CleverTap honours batch_size ([L]/[LMCP])', () => {
		test.each([
			// Under 23 it is ignored: the whole result in one page (batch_size 5 gave 989 records).
			['5', [100]],
			['1', [100]],
			['22', [100]],
			// From 23 up, whole multiples of 23 (25 gave 23, 50 gave 46).
			['23', [23, 23, 23, 23, 8]],
			['25', [23, 23, 23, 23, 8]],
			['45', [23, 23, 23, 23, 8]],
			['46', [46, 46, 8]],
			['50', [46, 46, 8]],
			['5000', [100]],
			// Absent: everything in one page (4,991 seen without it).
			[undefined, [100]],
		])('batch_size %s → pages of %j', async (batchSize, sizes) => {
			seed(100);
			const cursor = await openQuery(
				sim,
				batchSize === undefined ? '' : `?batch_size=${batchSize}`,
			);
			expect((await allPages(sim, cursor)).map((p) => p.length)).toEqual(sizes);
		});

		test('batch_size 5 returns all of 989 records in one page, as recorded', async () => {
			seed(989);
			const r = await page(sim, await openQuery(sim, '?batch_size=5'));
			expect(r.json.records).toHaveLength(989);
			expect('next_cursor' in r.json).toBe(false);
		});

		test('a page holds at most floor(5000 / 23) * 23 = 4,991 records', async () => {
			seed(5000);
			for (const query of ['', '?batch_size=5000', '?batch_size=3']) {
				const pages = await allPages(sim, await openQuery(sim, query));
				expect(pages.map((p) => p.length)).toEqual([4991, 9]);
			}
		});

		test('pageSizeFor', () => {
			expect(
				[undefined, 1, 22, 23, 24, 25, 45, 46, 50, 4990, 4991, 5000].map((n) => pageSizeFor(n)),
			).toEqual([4991, 4991, 4991, 23, 23, 23, 23, 46, 46, 4968, 4991, 4991]);
		});
	});

	test('an empty result: the page has no records key at all ([LMCP])', async () => {
		seed(3);
		const none = await cursorFor(sim, { event_name: 'Never', from: 20240301, to: 20240331 });
		expect(none.json.status).toBe('success');
		const r = await page(sim, none.json.cursor);
		expect(r.status).toBe(200);
		expect(r.text).toBe('{"status":"success"}');
		expect(sim.stats().pagesServed).toBe(1);
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
			return (await allPages(sim, r.json.cursor)).flat().map((x) => x.platformInfo[0].objectId);
		};
		expect(await ids(20240309, 20240310)).toEqual([late.objectId, early.objectId]);
		expect(await ids(20240310, 20240310)).toEqual([late.objectId]);
		expect(await ids(20240312, 20240401)).toEqual([]);
	});

	describe('cursors', () => {
		/** What every cursor decodes to: ~1.2 KB of base64 that holds '+', '/' and '='. @param {string} base64 */
		const expectBase64 = (base64) => {
			expect(base64).toMatch(/^[A-Za-z0-9+/]+=$/);
			expect(base64).toHaveLength(1200);
			expect(base64).toMatch(/\+/);
			expect(base64).toMatch(/\//);
		};

		test('by default already percent-encoded, ~1.6 KB with %2F, %2B and %3D, as [V] recorded', async () => {
			seed(30);
			const cursor = await openQuery(sim, '?batch_size=23');
			expect(cursor.length).toBeGreaterThan(1450);
			expect(cursor.length).toBeLessThan(1750);
			expect(cursor).toMatch(/%2F/);
			expect(cursor).toMatch(/%2B/);
			expect(cursor).toMatch(/%3D$/);
			expect(cursor).not.toMatch(/[+/=]/);
			expectBase64(decodeURIComponent(cursor));
			const first = await page(sim, cursor);
			expect(first.status).toBe(200);
			const next = first.json.next_cursor;
			expect(next).toMatch(/%2F/);
			expectBase64(decodeURIComponent(next));
			expect((await page(sim, next)).json.records).toHaveLength(7);
		});

		test('encoded a second time (%252F) it is "Invalid cursor", a 400', async () => {
			seed(1);
			const cursor = await openQuery(sim);
			expect(encodeURIComponent(cursor)).toMatch(/%252F.*%253D$/);
			const twice = await get(sim, `${PROFILES}?cursor=${encodeURIComponent(cursor)}`);
			expect([twice.status, twice.json]).toEqual([400, fail(400, 'Invalid cursor')]);
			// Through URLSearchParams (n8n's `qs` works alike): encoded twice as well.
			const qs = await get(sim, `${PROFILES}?${new URLSearchParams({ cursor })}`);
			expect([qs.status, qs.json]).toEqual([400, fail(400, 'Invalid cursor')]);
			expect((await page(sim, cursor)).status).toBe(200);
			expect(sim.stats().pagesServed).toBe(1);
		});

		test("cursorStyle 'raw': plain base64, which the client must encode itself", async () => {
			seed(30);
			sim.setCursorStyle('raw');
			const cursor = await openQuery(sim, '?batch_size=23');
			expectBase64(cursor);
			// Put in the URL as it is, its '+' arrives as a space.
			const asIs = await get(sim, `${PROFILES}?cursor=${cursor}`);
			expect([asIs.status, asIs.json]).toEqual([400, fail(400, 'Invalid cursor')]);
			const first = await get(sim, `${PROFILES}?cursor=${encodeURIComponent(cursor)}`);
			expect(first.status).toBe(200);
			expectBase64(first.json.next_cursor);
			const second = await get(
				sim,
				`${PROFILES}?${new URLSearchParams({ cursor: first.json.next_cursor })}`,
			);
			expect(second.json.records).toHaveLength(7);
		});

		test('option cursorStyle, restored by reset(); unknown styles are refused', async () => {
			expect(CURSOR_STYLES).toEqual(['encoded', 'raw']);
			expect(sim.cursorStyle).toBe('encoded');
			const s = await startSimulator({ cursorStyle: 'raw' });
			try {
				s.setCursorStyle('encoded');
				s.reset();
				s.addProfile({ identity: 'a', events: [{ name: 'Identity Error', date: '2024-03-10' }] });
				expectBase64(await openQuery(s));
			} finally {
				await s.close();
			}
			expect(() => sim.setCursorStyle(/** @type {any} */ ('double'))).toThrow(/cursorStyle/);
			await expect(startSimulator({ cursorStyle: /** @type {any} */ ('x') })).rejects.toThrow(
				/cursorStyle/,
			);
		});

		test('a cursor can be read again (a retried page) and gives the same page and next_cursor', async () => {
			seed(50);
			const cursor = await openQuery(sim, '?batch_size=23');
			const a = await page(sim, cursor);
			const b = await page(sim, cursor);
			expect(b.json).toEqual(a.json);
			expect(a.json.records).toHaveLength(23);
		});
	});

	describe("page not ready: faults '200-not-ready' and '202-not-ready' ([LMCP], [S])", () => {
		test('the kinds; they default to api profiles and are for it only', () => {
			expect(PAGE_FAULT_KINDS).toEqual(['200-not-ready', '202-not-ready']);
			sim.addFault({ kind: '202-not-ready' });
			expect(sim.faults[0]).toMatchObject({ api: 'profiles', times: 1, after: 0 });
			for (const api of /** @type {const} */ (['demerge', 'delete', 'profile', 'upload'])) {
				expect(() => sim.addFault({ kind: '200-not-ready', api })).toThrow(
					/for api 'profiles' only/,
				);
			}
		});

		test.each([
			['200-not-ready', 200],
			['202-not-ready', 202],
		])(
			'%s: HTTP %s "Request still in progress", then the same cursor gives the page',
			async (kind, status) => {
				seed(30);
				sim.addFault({ kind: /** @type {any} */ (kind), times: 2 });
				// Never the POST that opens the query.
				const cursor = await openQuery(sim, '?batch_size=23');
				for (let i = 0; i < 2; i++) {
					const r = await page(sim, cursor);
					expect([r.status, r.json]).toEqual([status, NOT_READY]);
					expect(r.headers.get('content-type')).toBe('application/json;charset=utf-8');
				}
				const ready = await page(sim, cursor);
				expect(ready.status).toBe(200);
				expect(ready.json.records.map((x) => x.identity)).toEqual(
					Array.from({ length: 23 }, (_, i) => `u${i}`),
				);
				expect((await page(sim, ready.json.next_cursor)).json.records).toHaveLength(7);
				expect(sim.requests.map((r) => [r.method, r.status, r.fault])).toEqual([
					['POST', 200, undefined],
					['GET', status, kind],
					['GET', status, kind],
					['GET', 200, undefined],
					['GET', 200, undefined],
				]);
				expect(sim.stats()).toMatchObject({ faultsServed: 2, pagesServed: 2 });
				expect(sim.faults).toEqual([]);
			},
		);

		test('after counts page reads only; a later page can be the one not ready', async () => {
			seed(30);
			sim.addFault({ kind: '200-not-ready', after: 1 });
			const cursor = await openQuery(sim, '?batch_size=23');
			const first = await page(sim, cursor);
			expect(first.json.records).toHaveLength(23);
			const next = first.json.next_cursor;
			expect((await page(sim, next)).json).toEqual(NOT_READY);
			expect((await page(sim, next)).json.records).toHaveLength(7);
		});

		test('persistent (times Infinity) until cleared; credentials and the cursor are still checked', async () => {
			seed(1);
			sim.addFault({ kind: '202-not-ready', times: Infinity });
			const cursor = await openQuery(sim);
			expect((await page(sim, cursor)).status).toBe(202);
			expect((await page(sim, 'nope')).json).toEqual(fail(400, 'Invalid cursor'));
			expect((await page(sim, cursor, { ...AUTH_ONLY, 'X-CleverTap-Passcode': 'x' })).status).toBe(
				401,
			);
			expect((await page(sim, cursor)).status).toBe(202);
			sim.clearFaults();
			expect((await page(sim, cursor)).json.records).toHaveLength(1);
		});

		test('scripted through the control API, as the e2e tests do', async () => {
			const s = await startSimulator({ control: true });
			try {
				s.addProfile({ identity: 'a', events: [{ name: 'Identity Error', date: '2024-03-10' }] });
				const added = await control(s, 'POST', 'faults', [
					{ kind: '202-not-ready', api: 'profiles', times: 1 },
					{ kind: '200-not-ready', times: 1 },
				]);
				expect(added.json).toEqual({ status: 'success', pending: 2 });
				expect(
					(await control(s, 'POST', 'faults', { kind: '200-not-ready', api: 'upload' })).status,
				).toBe(400);
				const cursor = await openQuery(s);
				expect((await page(s, cursor)).status).toBe(202);
				const second = await page(s, cursor);
				expect([second.status, second.json]).toEqual([200, NOT_READY]);
				expect((await page(s, cursor)).json.records).toHaveLength(1);
			} finally {
				await s.close();
			}
		});
	});

	test('the cursor holds the profiles as they were; a deleted profile still shows on its pages', async () => {
		const [first] = seed(2);
		const cursor = await openQuery(sim);
		sim.addProfile({
			identity: 'newcomer',
			events: [{ name: 'Identity Error', date: '2024-03-10' }],
		});
		await post(sim, '/1/delete/profiles.json', { guid: [first.objectId] });
		const records = (await page(sim, cursor)).json.records;
		expect(records.map((x) => x.identity)).toEqual(['u0', 'u1']);
	});

	test('unknown, missing, other-account and expired cursors → 400', async () => {
		seed(30);
		expect((await page(sim, 'nope')).json).toEqual(fail(400, 'Invalid cursor'));
		expect((await get(sim, PROFILES)).json).toEqual(fail(400, 'cursor is required'));
		const cursor = await openQuery(sim, '?batch_size=23');
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
