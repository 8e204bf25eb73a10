import {
	dateSlices,
	daysInRange,
	eventTime,
	isoDay,
	messageStart,
	periodLabel,
	requestId,
	topValueList,
	type Granularity,
} from '../../../nodes/CleverTap/helpers/reports';

/** The day after a YYYYMMDD day, as YYYYMMDD. */
const nextDay = (day: number) => {
	const date = new Date(
		Date.UTC(Math.floor(day / 10000), (Math.floor(day / 100) % 100) - 1, (day % 100) + 1),
	);
	return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
};

describe('daysInRange', () => {
	test.each([
		[20261128, 20261128, 1],
		[20261120, 20261128, 9],
		[20261130, 20261201, 2],
		[20261231, 20270101, 2],
		[20260101, 20261231, 365],
		// 2024 is a leap year.
		[20240101, 20241231, 366],
		[20240228, 20240301, 3],
		[20230228, 20230301, 2],
		[20260101, 20260331, 90],
		[20251128, 20261128, 366],
		[20251127, 20261128, 367],
	])('%i to %i is %i days, both ends counted', (from, to, days) => {
		expect(daysInRange(from, to)).toBe(days);
	});
});

describe('isoDay', () => {
	test.each([
		[20261128, '2026-11-28'],
		[20270101, '2027-01-01'],
		[20240229, '2024-02-29'],
		[19991231, '1999-12-31'],
	])('%i → %s', (day, iso) => {
		expect(isoDay(day)).toBe(iso);
	});
});

describe('dateSlices', () => {
	test('90 days in 14-day slices: 7 slices, contiguous, in order, none longer than 14 days', () => {
		const slices = dateSlices(20260101, 20260331, 14);
		expect(slices).toHaveLength(7);
		expect(slices[0].from).toBe(20260101);
		expect(slices[6].to).toBe(20260331);
		for (const [index, slice] of slices.entries()) {
			const days = daysInRange(slice.from, slice.to);
			expect(days).toBeGreaterThanOrEqual(1);
			expect(days).toBeLessThanOrEqual(14);
			if (index > 0) expect(slice.from).toBe(nextDay(slices[index - 1].to));
		}
		expect(slices.reduce((sum, slice) => sum + daysInRange(slice.from, slice.to), 0)).toBe(90);
		expect(slices).toEqual([
			{ from: 20260101, to: 20260114 },
			{ from: 20260115, to: 20260128 },
			{ from: 20260129, to: 20260211 },
			{ from: 20260212, to: 20260225 },
			{ from: 20260226, to: 20260311 },
			{ from: 20260312, to: 20260325 },
			{ from: 20260326, to: 20260331 },
		]);
	});

	test.each([
		['one day', 20261128, 20261128, 14, [{ from: 20261128, to: 20261128 }]],
		['exactly one slice', 20261101, 20261114, 14, [{ from: 20261101, to: 20261114 }]],
		[
			'one day more than a slice',
			20261101,
			20261115,
			14,
			[
				{ from: 20261101, to: 20261114 },
				{ from: 20261115, to: 20261115 },
			],
		],
		[
			'across the year end',
			20261225,
			20270110,
			14,
			[
				{ from: 20261225, to: 20270107 },
				{ from: 20270108, to: 20270110 },
			],
		],
		[
			'across the end of a short month',
			20230220,
			20230310,
			14,
			[
				{ from: 20230220, to: 20230305 },
				{ from: 20230306, to: 20230310 },
			],
		],
		[
			'across a leap day',
			20240220,
			20240305,
			14,
			[
				{ from: 20240220, to: 20240304 },
				{ from: 20240305, to: 20240305 },
			],
		],
		[
			'across a month of 31 days',
			20261025,
			20261110,
			7,
			[
				{ from: 20261025, to: 20261031 },
				{ from: 20261101, to: 20261107 },
				{ from: 20261108, to: 20261110 },
			],
		],
		['From after To', 20261128, 20261120, 14, []],
	])('%s', (_name, from, to, days, slices) => {
		expect(dateSlices(from, to, days)).toEqual(slices);
	});

	test('a year in slices of 14 covers every day once', () => {
		const slices = dateSlices(20240101, 20241231, 14);
		expect(slices).toHaveLength(Math.ceil(366 / 14));
		let day = 20240101;
		for (const slice of slices) {
			expect(slice.from).toBe(day);
			day = nextDay(slice.to);
		}
		expect(day).toBe(20250101);
	});
});

describe('eventTime', () => {
	test.each([
		[20221119054937, '2022-11-19T05:49:37'],
		[20151023140416, '2015-10-23T14:04:16'],
		['20261128000000', '2026-11-28T00:00:00'],
	])('%j → %s', (ts, time) => {
		expect(eventTime(ts)).toBe(time);
	});

	test.each([
		['epoch seconds', 1669000000],
		['epoch milliseconds', 1669000000000],
		['a day only', 20221119],
		['too many digits', 202211190549370],
		['a month and time that do not exist', 20221399999999],
		['February 30', 20230230120000],
		['text', 'yesterday'],
		['an ISO time', '2022-11-19T05:49:37'],
		['a fraction', 20221119054937.5],
		['null', null],
		['undefined', undefined],
		['an object', { ts: 20221119054937 }],
	])('%s is not an event time', (_name, ts) => {
		expect(eventTime(ts)).toBeUndefined();
	});
});

describe('periodLabel', () => {
	test.each<[string, Granularity, string]>([
		['20261128', 'daily', '2026-11-28'],
		['20270101', 'daily', '2027-01-01'],
		['202648', 'weekly', '2026-W48'],
		['202701', 'weekly', '2027-W01'],
		['201652', 'weekly', '2016-W52'],
		['202611', 'monthly', '2026-11'],
		['201701', 'monthly', '2017-01'],
	])('%s (%s) → %s', (key, granularity, label) => {
		expect(periodLabel(key, granularity)).toBe(label);
	});

	test.each<[string, Granularity]>([
		// Keys of another shape than the granularity's are kept as they came.
		['202611', 'daily'],
		['2026-11-28', 'daily'],
		['20261128', 'weekly'],
		['2026W48', 'weekly'],
		['20261128', 'monthly'],
		['2026-11', 'monthly'],
		['total', 'daily'],
		['', 'monthly'],
	])('%j (%s) is kept as it came', (key, granularity) => {
		expect(periodLabel(key, granularity)).toBe(key);
	});
});

describe('requestId', () => {
	test.each([
		// Above 2^53: JSON.parse would give 9007199254740992.
		['{"req_id": 9007199254740993, "status":"partial"}', '9007199254740993'],
		['{"status":"partial","req_id":18446744073709551615}', '18446744073709551615'],
		['{\n  "req_id": 384649162721759,\n  "status": "partial"\n}\n', '384649162721759'],
		['{"req_id":"384649162721759","status":"partial"}', '384649162721759'],
	])('the raw text %j gives %s, every digit kept', (raw, id) => {
		expect(requestId(raw)).toBe(id);
	});

	test('the raw text keeps what parsing would lose', () => {
		const raw = '{"req_id": 9007199254740993, "status":"partial"}';
		expect(String((JSON.parse(raw) as { req_id: number }).req_id)).not.toBe('9007199254740993');
		expect(requestId(raw)).toBe('9007199254740993');
	});

	test.each([
		[
			'a parsed body with a number',
			{ req_id: 384649162721759, status: 'partial' },
			'384649162721759',
		],
		['a parsed body with digits as text', { req_id: '384649162721759' }, '384649162721759'],
	])('%s gives %s', (_name, body, id) => {
		expect(requestId(body)).toBe(id);
	});

	test.each([
		['text without req_id', '{"status":"partial"}'],
		['text with a req_id that is no number', '{"req_id":"abc","status":"partial"}'],
		['text that is not JSON', '<html>busy</html>'],
		['an empty text', ''],
		['a parsed body without req_id', { status: 'partial' }],
		['a parsed body with a req_id that is no number', { req_id: 'abc' }],
		['a parsed body with a null req_id', { req_id: null }],
		['a parsed body with a req_id that is not a whole number', { req_id: -1.5 }],
		['a parsed body with NaN', { req_id: Number.NaN }],
		['text with a req_id in exponent form', '{"req_id": 1.5e3, "status":"partial"}'],
		['null', null],
		['undefined', undefined],
	])('%s has none', (_name, body) => {
		expect(requestId(body)).toBeUndefined();
	});
});

describe('topValueList', () => {
	test('STR and NUMBER maps merged into one list, most counted first', () => {
		expect(
			topValueList({
				STR: { Gold: 5, Silver: 10 },
				NUMBER: { '0-100': 12, '100-200': 9 },
			}),
		).toEqual([
			{ value: '0-100', count: 12 },
			{ value: 'Silver', count: 10 },
			{ value: '100-200', count: 9 },
			{ value: 'Gold', count: 5 },
		]);
	});

	test('one map alone', () => {
		expect(topValueList({ NUMBER: { '0-100': 10, '100-200': 9 } })).toEqual([
			{ value: '0-100', count: 10 },
			{ value: '100-200', count: 9 },
		]);
	});

	test('counts that are not numbers and maps that are not objects are left out', () => {
		expect(
			topValueList({
				STR: { Gold: 5, Broken: '7', Missing: null },
				NUMBER: null,
				BOOL: 3,
			}),
		).toEqual([{ value: 'Gold', count: 5 }]);
	});

	test.each([
		['undefined', undefined],
		['null', null],
		['a number', 5],
		['text', 'Gold'],
		['an empty group', {}],
		['empty maps', { STR: {}, NUMBER: {} }],
	])('%s gives an empty list', (_name, group) => {
		expect(topValueList(group)).toEqual([]);
	});
});

describe('messageStart', () => {
	test.each([
		['05 Mar, 2024 10:00:00', '2024-03-05T10:00:00'],
		['31 Dec, 2026 23:59:59', '2026-12-31T23:59:59'],
		['5 Mar, 2024 10:00:00', '2024-03-05T10:00:00'],
		['05 Mar 2024 10:00:00', '2024-03-05T10:00:00'],
		['05 Mar, 2024 10:00', '2024-03-05T10:00:00'],
		['05 Mar, 2024', '2024-03-05T00:00:00'],
		['05 MAR, 2024 10:00:00', '2024-03-05T10:00:00'],
		['01 sep, 2025 08:30:15', '2025-09-01T08:30:15'],
		['  05 Mar, 2024 10:00:00 ', '2024-03-05T10:00:00'],
	])('%j → %s', (text, iso) => {
		expect(messageStart(text)).toBe(iso);
	});

	test.each([
		['a month CleverTap does not write', '05 Foo, 2024 10:00:00'],
		['a full month name', '05 March, 2024 10:00:00'],
		['an ISO date', '2024-03-05T10:00:00'],
		['a two-digit year', '05 Mar, 24 10:00:00'],
		['seconds without minutes', '05 Mar, 2024 10'],
		['a day that does not exist', '31 Feb, 2024 10:00:00'],
		['an hour that does not exist', '05 Mar, 2024 24:00:00'],
		['text', 'yesterday'],
		['empty text', ''],
		['a number', 1709632800],
		['null', null],
		['undefined', undefined],
	])('%s (%j) has no start', (_name, text) => {
		expect(messageStart(text)).toBeUndefined();
	});
});
