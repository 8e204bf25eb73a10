'use strict';

const { startSimulator, REALTIME_SAMPLE } = require('../index.js');
const { NOW, AUTH_ONLY, fail, post, get, control, useSimulator } = require('../testkit');

const sim = useSimulator();

/** @param {any} s @param {unknown} body @param {Record<string, string>} [headers] */
const now = (s, body, headers) => post(s, NOW, body, headers);

const FLAGS = ['user_type', 'session_source', 'browser', 'os', 'device', 'new'];

describe('Real-Time Counts: POST /1/now.json', () => {
	test('{} → count and last_processed_ts only, as [SNIP] sample_now_response_basic.json', async () => {
		const r = await now(sim, {});
		expect(r.status).toBe(200);
		expect(r.text).toBe('{"status":"success","count":214,"last_processed_ts":1486536600}');
		expect(sim.stats()).toMatchObject({ requestsByApi: { now: 1 } });
	});

	test('an empty body counts as {}; false flags add nothing', async () => {
		expect((await now(sim, '')).json).toEqual({
			status: 'success',
			count: 214,
			last_processed_ts: 1486536600,
		});
		expect(Object.keys((await now(sim, { user_type: false, os: false })).json)).toEqual([
			'status',
			'count',
			'last_processed_ts',
		]);
	});

	test.each(FLAGS)('%s: true adds its breakdown from the sample', async (flag) => {
		const r = await now(sim, { [flag]: true });
		expect(r.json).toEqual({
			status: 'success',
			count: 214,
			[flag]: /** @type {any} */ (REALTIME_SAMPLE)[flag],
			last_processed_ts: 1486536600,
		});
	});

	test('every flag: the full sample, keys in its order', async () => {
		const r = await now(sim, Object.fromEntries(FLAGS.map((f) => [f, true])));
		expect(Object.keys(r.json)).toEqual(['status', 'count', ...FLAGS, 'last_processed_ts']);
		expect(r.json.new).toEqual({
			session_source: { direct: 18, others: 50, search: 12, social: 2, email: 1, unavailable: 3 },
			browser: { others: 1, firefox: 0, chrome: 36, ie: 3, mobileapp: 47 },
			os: { others: 0, android: 67, ios: 2, windows: 15, mac: 2, linux: 1 },
			device: { desktop: 18, mobile: 68, tablet: 1 },
		});
	});

	test('GET is a 405 naming POST ([LMCP])', async () => {
		const r = await get(sim, NOW);
		expect([r.status, r.json]).toEqual([405, fail(405, 'Method not allowed')]);
		expect(r.headers.get('allow')).toBe('POST');
	});

	test.each([
		['a string flag', { user_type: 'true' }, /user_type must be true or false/],
		['a number flag', { new: 1 }, /new must be true or false/],
		['a list', [], /JSON object/],
		['not JSON', '{"user_type":true"}', /not valid JSON/],
	])('%s → 400', async (_name, body, error) => {
		const r = await now(sim, body);
		expect(r.status).toBe(400);
		expect(r.json.error).toMatch(error);
	});

	test('401 without the right passcode', async () => {
		expect((await now(sim, {}, { ...AUTH_ONLY, 'X-CleverTap-Passcode': 'x' })).status).toBe(401);
	});

	test('setRealtimeCounts: a test sets the figures; what it leaves out comes from the sample; null and reset() restore', async () => {
		sim.setRealtimeCounts({
			count: 3,
			last_processed_ts: 1_700_000_000,
			device: { desktop: 1, mobile: 2, tablet: 0 },
		});
		expect((await now(sim, { device: true, os: true })).json).toEqual({
			status: 'success',
			count: 3,
			os: REALTIME_SAMPLE.os,
			device: { desktop: 1, mobile: 2, tablet: 0 },
			last_processed_ts: 1_700_000_000,
		});
		sim.setRealtimeCounts(null);
		expect((await now(sim, {})).json.count).toBe(214);
		sim.setRealtimeCounts({ count: 0 });
		sim.reset();
		expect((await now(sim, {})).json.count).toBe(214);
		expect(() => sim.setRealtimeCounts({ count: -1 })).toThrow(/count/);
		expect(() => sim.setRealtimeCounts(/** @type {any} */ ([]))).toThrow(/object/);
		expect(() => sim.setRealtimeCounts({ last_processed_ts: /** @type {any} */ ('now') })).toThrow(
			/last_processed_ts/,
		);
	});

	test('option realtimeCounts and POST /__simulator/realtime', async () => {
		const s = await startSimulator({ control: true, realtimeCounts: { count: 9 } });
		try {
			expect((await now(s, {})).json.count).toBe(9);
			expect((await control(s, 'POST', 'realtime', { count: 12 })).json).toEqual({
				status: 'success',
			});
			expect((await now(s, {})).json.count).toBe(12);
			expect((await control(s, 'POST', 'realtime', { count: 'many' })).status).toBe(400);
			await control(s, 'POST', 'realtime', null);
			expect((await now(s, {})).json.count).toBe(214);
			s.reset();
			expect((await now(s, {})).json.count).toBe(9);
		} finally {
			await s.close();
		}
	});
});
