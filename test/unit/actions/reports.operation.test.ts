import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import {
	mockExecuteContext,
	stopError,
	type FakeResponse,
	type MockContextOptions,
	type RecordedRequest,
} from '../../support/mockExecuteContext';
import { virtualTime } from '../../support/virtualTime';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Pauses are counted (or run in virtual time), never waited out.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const BASE = 'https://in1.api.clevertap.com';
const PARTIAL = (id: string) => `{"req_id": ${id}, "status": "partial"}`;
const REQ_ID = '384649162721759';
const INVALID_EVENT = '{"status":"fail","error":"[\\"Invalid event : Uninstalled\\"]","code":400}';

type Config = Omit<MockContextOptions, 'parameters'> & { parameters?: Record<string, unknown> };

/** Runs a Report operation; the event, From and To default to Charged, 2026-11-20 and 2026-11-28. */
function runReport(operation: string, config: Config) {
	const mock = mockExecuteContext({
		...config,
		parameters: {
			resource: 'report',
			operation,
			eventName: 'Charged',
			from: '2026-11-20T00:00:00',
			to: '2026-11-28T00:00:00',
			...config.parameters,
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

const ok = (body: IDataObject): FakeResponse => ({
	statusCode: 200,
	body: JSON.stringify({ status: 'success', ...body }),
});

/** What one request was: method, URL, and body as sent. */
const line = (request: RecordedRequest) => [
	request.options.method,
	request.options.url,
	request.body,
];

/** Pauses and the clock in virtual time, `Date.now` included (Max Wait is measured with it). */
let dateNow: jest.SpyInstance | undefined;
function useVirtualTime() {
	const clock = virtualTime();
	jest.mocked(sleep).mockImplementation(clock.sleep);
	dateNow = jest.spyOn(Date, 'now').mockImplementation(() => clock.now());
	return clock;
}

beforeEach(() => {
	jest.mocked(sleep).mockReset();
	jest.mocked(sleep).mockImplementation(async () => undefined);
});
afterEach(() => {
	dateNow?.mockRestore();
	dateNow = undefined;
});

describe('CleverTap → Report → Count Events and Count Profiles', () => {
	test.each([
		['countEvents', '/1/counts/events.json'],
		['countProfiles', '/1/counts/profiles.json'],
	])('%s: one POST to %s, one item with the count and the days', async (operation, path) => {
		const { run, requests } = runReport(operation, {
			items: [{}],
			respond: () => ok({ count: 7138 }),
		});
		expect(await run).toEqual([
			[
				{
					json: { count: 7138, eventName: 'Charged', from: '2026-11-20', to: '2026-11-28' },
					pairedItem: { item: 0 },
				},
			],
		]);
		expect(requests.map(line)).toEqual([
			['POST', `${BASE}${path}`, { event_name: 'Charged', from: 20261120, to: 20261128 }],
		]);
		expect(requests[0].options.qs).toBeUndefined();
	});

	test('a count that is not a number comes out as null', async () => {
		const { run } = runReport('countEvents', {
			items: [{}],
			respond: () => ok({ count: 'many', total: 1 }),
		});
		const [output] = await run;
		expect(output[0].json.count).toBeNull();
	});

	test('an answer with nothing but its status is no report: the item fails', async () => {
		const { run } = runReport('countEvents', {
			items: [{}],
			respond: () => ({ statusCode: 200, body: '{"status":"success"}' }),
		});
		const error = await stopError(run);
		expect(error.message).toBe(
			'The count of events for "Charged" failed: CleverTap\'s answer held no report (HTTP 200)',
		);
	});

	test('"Invalid event" (HTTP 200, status fail, code 400) fails the item with CleverTap\'s words, not retried', async () => {
		const { run, requests } = runReport('countProfiles', {
			items: [{}],
			parameters: { eventName: 'Uninstalled' },
			respond: () => ({ statusCode: 200, body: INVALID_EVENT }),
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'The count of profiles for "Uninstalled" failed: CleverTap answered but reported "fail" (HTTP 200, code 400: "Invalid event : Uninstalled")',
		);
		expect(error.message).not.toContain('[');
		expect(requests).toHaveLength(1);
	});
});

describe('CleverTap → Report → Get Trends', () => {
	test.each([
		[
			'daily',
			{ '20261129': 4, '20261128': 10, '20261130': 0 },
			[
				{ period: '2026-11-28', value: 10 },
				{ period: '2026-11-29', value: 4 },
				{ period: '2026-11-30', value: 0 },
			],
		],
		[
			'weekly',
			{ '202701': 30, '202648': 80, '202652': 7 },
			[
				{ period: '2026-W48', value: 80 },
				{ period: '2026-W52', value: 7 },
				{ period: '2027-W01', value: 30 },
			],
		],
		[
			'monthly',
			{ '202612': 80, '202611': 30 },
			[
				{ period: '2026-11', value: 30 },
				{ period: '2026-12', value: 80 },
			],
		],
	])('%s: one item per period, in order, readable', async (granularity, answer, periods) => {
		const { run, requests } = runReport('trends', {
			items: [{}],
			parameters: { granularity },
			respond: () => ok({ [granularity]: answer }),
		});
		const [output] = await run;
		expect(output.map((item) => item.json)).toEqual(periods);
		expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(requests.map(line)).toEqual([
			[
				'POST',
				`${BASE}/1/counts/trends.json`,
				{
					event_name: 'Charged',
					from: 20261120,
					to: 20261128,
					unique: false,
					groups: { [granularity]: { trend_type: granularity } },
				},
			],
		]);
	});

	test('Count People and Sum Property are sent as unique and sum_event_prop', async () => {
		const { run, requests } = runReport('trends', {
			items: [{}],
			parameters: { granularity: 'weekly', unique: true, sumProperty: ' Amount ' },
			respond: () => ok({ weekly: { '202648': 12.5 } }),
		});
		expect((await run)[0].map((item) => item.json)).toEqual([{ period: '2026-W48', value: 12.5 }]);
		expect(requests[0].body).toEqual({
			event_name: 'Charged',
			from: 20261120,
			to: 20261128,
			unique: true,
			sum_event_prop: 'Amount',
			groups: { weekly: { trend_type: 'weekly' } },
		});
	});

	test('without Sum Property no sum_event_prop is sent', async () => {
		const { run, requests } = runReport('trends', {
			items: [{}],
			parameters: { sumProperty: '  ' },
			respond: () => ok({ daily: {} }),
		});
		expect(await run).toEqual([[]]);
		expect(requests[0].body).not.toHaveProperty('sum_event_prop');
	});

	test('a range of exactly 366 days is sent', async () => {
		const { run, requests } = runReport('trends', {
			items: [{}],
			parameters: { from: '2025-11-28', to: '2026-11-28', granularity: 'monthly' },
			respond: () => ok({ monthly: { '202511': 1 } }),
		});
		await run;
		expect(requests).toHaveLength(1);
		expect(requests[0].body).toMatchObject({ from: 20251128, to: 20261128 });
	});
});

describe('CleverTap → Report → Get Top Values', () => {
	test('one {value, count} per value, most frequent first, at most Top N', async () => {
		const { run, requests } = runReport('topValues', {
			items: [{}],
			parameters: { propertyType: 'profileField', propertyName: ' Customer Type ', topN: 2 },
			respond: () => ok({ top: { STR: { Gold: 5, Silver: 10, Bronze: 7 } } }),
		});
		expect(await run).toEqual([
			[
				{ json: { value: 'Silver', count: 10 }, pairedItem: { item: 0 } },
				{ json: { value: 'Bronze', count: 7 }, pairedItem: { item: 0 } },
			],
		]);
		expect(requests.map(line)).toEqual([
			[
				'POST',
				`${BASE}/1/counts/top.json`,
				{
					event_name: 'Charged',
					from: 20261120,
					to: 20261128,
					groups: {
						top: {
							property_type: 'profile_fields',
							name: 'Customer Type',
							top_n: 2,
							order: 'desc',
						},
					},
				},
			],
		]);
	});

	test('STR and NUMBER values come as one list', async () => {
		const { run } = runReport('topValues', {
			items: [{}],
			parameters: { propertyName: 'Amount', topN: 10 },
			respond: () => ok({ top: { NUMBER: { '0-100': 10, '100-200': 9 }, STR: { none: 11 } } }),
		});
		expect((await run)[0].map((item) => item.json)).toEqual([
			{ value: 'none', count: 11 },
			{ value: '0-100', count: 10 },
			{ value: '100-200', count: 9 },
		]);
	});

	test.each([
		['eventProperty', 'event_properties'],
		['profileField', 'profile_fields'],
		['sessionProperty', 'session_properties'],
		['appField', 'app_fields'],
		['demographic', 'demographics'],
		['technographic', 'technographics'],
		['reachability', 'reachability'],
		['geoField', 'geo_fields'],
		[undefined, 'event_properties'],
	])('Property Type %s is sent as %s', async (propertyType, sent) => {
		const { run, requests } = runReport('topValues', {
			items: [{}],
			parameters: { propertyType, propertyName: 'City' },
			respond: () => ok({ top: {} }),
		});
		await run;
		expect(
			(requests[0].body as { groups: { top: { property_type: string; top_n: number } } }).groups
				.top,
		).toMatchObject({ property_type: sent, top_n: 10 });
	});
});

describe('CleverTap → Report → Get Real-Time Count', () => {
	const FULL = {
		count: 214,
		user_type: { new: 58, repeat: 25, addressable: 38, customer: 93 },
		session_source: { direct: 122, others: 115, search: 18, social: 2, email: 1, unavailable: 4 },
		browser: { others: 4, firefox: 2, chrome: 52, ie: 3, mobileapp: 201 },
		os: { others: 2, android: 196, ios: 35, windows: 25, mac: 3, linux: 2 },
		device: { desktop: 32, mobile: 230, tablet: 1 },
		last_processed_ts: 1486536600,
	};

	test('nothing chosen: an empty body, the count and when CleverTap last processed', async () => {
		const { run, requests } = runReport('realTime', {
			items: [{}],
			respond: () => ok({ count: 214, last_processed_ts: 1486536600 }),
		});
		expect(await run).toEqual([
			[
				{
					json: { count: 214, lastProcessed: '2017-02-08T06:50:00.000Z' },
					pairedItem: { item: 0 },
				},
			],
		]);
		expect(requests.map(line)).toEqual([['POST', `${BASE}/1/now.json`, {}]]);
	});

	test('only the chosen breakdowns are asked for', async () => {
		const { run, requests } = runReport('realTime', {
			items: [{}],
			options: { userType: true, os: true, device: false },
			respond: () =>
				ok({
					count: 214,
					user_type: FULL.user_type,
					os: FULL.os,
					last_processed_ts: 1486536600,
				}),
		});
		expect((await run)[0][0].json).toEqual({
			count: 214,
			lastProcessed: '2017-02-08T06:50:00.000Z',
			userType: FULL.user_type,
			os: FULL.os,
		});
		expect(requests[0].body).toEqual({ user_type: true, os: true });
	});

	test('every breakdown chosen: every flag sent, every breakdown out', async () => {
		const { run, requests } = runReport('realTime', {
			items: [{}],
			options: { userType: true, sessionSource: true, browser: true, os: true, device: true },
			respond: () => ok(FULL),
		});
		expect((await run)[0][0].json).toEqual({
			count: 214,
			lastProcessed: '2017-02-08T06:50:00.000Z',
			userType: FULL.user_type,
			sessionSource: FULL.session_source,
			browser: FULL.browser,
			os: FULL.os,
			device: FULL.device,
		});
		expect(requests[0].body).toEqual({
			user_type: true,
			session_source: true,
			browser: true,
			os: true,
			device: true,
		});
	});

	test('no last_processed_ts: lastProcessed is null', async () => {
		const { run } = runReport('realTime', { items: [{}], respond: () => ok({ count: 3 }) });
		expect((await run)[0][0].json).toEqual({ count: 3, lastProcessed: null });
	});
});

describe('CleverTap → Report → Get Message Reports', () => {
	/** A message as CleverTap lists it. */
	const message = (id: number, day: string) => ({
		'message id': id,
		'message name': `Message ${id}`,
		start_date: `${day} 10:00:00`,
		channel: 'Push',
		status: 'completed',
		sent: id % 100,
		viewed: 2,
		clicked: 1,
	});

	test('one request for a short range: from and to as strings, one item per message', async () => {
		const { run, requests } = runReport('messageReports', {
			items: [{}],
			parameters: { from: '2024-03-01', to: '2024-03-07' },
			respond: () => ok({ messages: [message(1709632800, '05 Mar, 2024')], total_results: 1 }),
		});
		expect(await run).toEqual([
			[
				{
					json: {
						messageId: 1709632800,
						startTime: '2024-03-05T10:00:00',
						'message name': 'Message 1709632800',
						start_date: '05 Mar, 2024 10:00:00',
						channel: 'Push',
						status: 'completed',
						sent: 0,
						viewed: 2,
						clicked: 1,
					},
					pairedItem: { item: 0 },
				},
			],
		]);
		expect(requests.map(line)).toEqual([
			['POST', `${BASE}/1/message/report.json`, { from: '20240301', to: '20240307' }],
		]);
	});

	test.each([
		[{}, 3],
		[{ concurrency: 2 }, 2],
		[{ concurrency: 1 }, 1],
	])(
		'90 days (options %j): 7 requests of at most 14 days, at most %i at once, results merged in slice order whatever order they come back',
		async (options, most) => {
			const clock = useVirtualTime();
			let inFlight = 0;
			let peak = 0;
			const { run, requests } = runReport('messageReports', {
				items: [{}],
				options,
				parameters: { from: '2026-01-01', to: '2026-03-31' },
				respond: async (request) => {
					const { from } = request.body as { from: string };
					inFlight++;
					peak = Math.max(peak, inFlight);
					// Later slices answer sooner.
					await clock.sleep(1000 - Number(from.slice(4)) / 10);
					inFlight--;
					return ok({ messages: [message(Number(from), '01 Jan, 2026')] });
				},
			});
			const [output] = await clock.run(run);
			const bodies = requests.map((request) => request.body as { from: string; to: string });
			expect([...bodies].sort((a, b) => a.from.localeCompare(b.from))).toEqual([
				{ from: '20260101', to: '20260114' },
				{ from: '20260115', to: '20260128' },
				{ from: '20260129', to: '20260211' },
				{ from: '20260212', to: '20260225' },
				{ from: '20260226', to: '20260311' },
				{ from: '20260312', to: '20260325' },
				{ from: '20260326', to: '20260331' },
			]);
			expect(
				requests.every((request) => request.options.url === `${BASE}/1/message/report.json`),
			).toBe(true);
			expect(output.map((item) => item.json.messageId)).toEqual([
				20260101, 20260115, 20260129, 20260212, 20260226, 20260312, 20260326,
			]);
			// The slices of one item share the run's limit.
			expect(peak).toBe(most);
		},
	);

	test('a message listed in two slices comes out once', async () => {
		const { run } = runReport('messageReports', {
			items: [{}],
			parameters: { from: '2026-01-01', to: '2026-01-20' },
			respond: (request) =>
				(request.body as { from: string }).from === '20260101'
					? ok({ messages: [message(1, '02 Jan, 2026'), message(2, '14 Jan, 2026')] })
					: ok({ messages: [message(2, '14 Jan, 2026'), message(3, '16 Jan, 2026')] }),
		});
		expect((await run)[0].map((item) => item.json.messageId)).toEqual([1, 2, 3]);
	});

	test('a message without an ID or start keeps null for them', async () => {
		const { run } = runReport('messageReports', {
			items: [{}],
			respond: () => ok({ messages: [{ channel: 'Email', sent: 3 }, null, 'x'] }),
		});
		expect((await run)[0].map((item) => item.json)).toEqual([
			{ messageId: null, startTime: null, channel: 'Email', sent: 3 },
		]);
	});

	test.each([
		[
			'lists',
			{ channel: ['push', 'email'], status: ['running'], delivery: [] },
			{ channel: ['push', 'email'], status: ['running'] },
		],
		[
			'comma-separated text',
			{ channel: 'push, sms', delivery: 'one_time,api' },
			{ channel: ['push', 'sms'], delivery: ['one_time', 'api'] },
		],
		['nothing chosen', {}, {}],
	])('filters given as %s are sent as arrays', async (_name, options, filters) => {
		const { run, requests } = runReport('messageReports', {
			items: [{}],
			options,
			respond: () => ok({ messages: [] }),
		});
		await run;
		expect(requests[0].body).toEqual({ from: '20261120', to: '20261128', ...filters });
	});
});

describe('the poller of reports CleverTap answers later', () => {
	test('partial, two partial polls, then the count: 1 POST and 3 GETs ?req_id= without a body, pauses growing', async () => {
		const clock = useVirtualTime();
		const at: number[] = [];
		const { run, requests } = runReport('countEvents', {
			items: [{}],
			respond: (_request, call) => {
				at.push(clock.now());
				return call < 4 ? { statusCode: 200, body: PARTIAL(REQ_ID) } : ok({ count: 7138 });
			},
		});
		const [output] = await clock.run(run);
		expect(output.map((item) => item.json)).toEqual([
			{ count: 7138, eventName: 'Charged', from: '2026-11-20', to: '2026-11-28' },
		]);
		const poll = `${BASE}/1/counts/events.json?req_id=${REQ_ID}`;
		expect(requests.map(line)).toEqual([
			[
				'POST',
				`${BASE}/1/counts/events.json`,
				{ event_name: 'Charged', from: 20261120, to: 20261128 },
			],
			['GET', poll, undefined],
			['GET', poll, undefined],
			['GET', poll, undefined],
		]);
		for (const get of requests.slice(1)) {
			expect(get.options.body).toBeUndefined();
			expect(get.options.qs).toBeUndefined();
			expect(get.headers).not.toHaveProperty('Content-Type');
		}
		// Pauses of 1 s, 1.5 s and 2.25 s.
		expect(at).toEqual([0, 1000, 2500, 4750]);
		const pauses = at.slice(1).map((time, i) => time - at[i]);
		expect(pauses[1]).toBeGreaterThan(pauses[0]);
		expect(pauses[2]).toBeGreaterThan(pauses[1]);
	});

	test('a request ID above 2^53 is polled with every digit', async () => {
		const { run, requests } = runReport('trends', {
			items: [{}],
			respond: (_request, call) =>
				call === 1
					? { statusCode: 200, body: '{"req_id": 9007199254740993, "status":"partial"}' }
					: ok({ daily: { '20261120': 1 } }),
		});
		await run;
		expect(requests[1].options.url).toBe(`${BASE}/1/counts/trends.json?req_id=9007199254740993`);
	});

	test('pauses grow by half up to 10 s', async () => {
		const clock = useVirtualTime();
		const at: number[] = [];
		const { run } = runReport('topValues', {
			items: [{}],
			parameters: { propertyName: 'Amount' },
			respond: (_request, call) => {
				at.push(clock.now());
				return call < 10 ? { statusCode: 200, body: PARTIAL(REQ_ID) } : ok({ top: {} });
			},
		});
		await clock.run(run);
		const pauses = at.slice(1).map((time, i) => time - at[i]);
		expect(pauses).toEqual([1000, 1500, 2250, 3375, 5063, 7594, 10_000, 10_000, 10_000]);
	});

	test('Max Wait exceeded: the item fails, naming the request ID, after a last look at Max Wait', async () => {
		const clock = useVirtualTime();
		const at: number[] = [];
		const { run, requests } = runReport('countEvents', {
			items: [{}],
			options: { maxWait: 5 },
			respond: () => {
				at.push(clock.now());
				return { statusCode: 200, body: PARTIAL(REQ_ID) };
			},
		});
		const error = await stopError(clock.run(run));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			`The count of events for "Charged" was not ready after 5 seconds (Max Wait): CleverTap is still working on it as request ID ${REQ_ID}`,
		);
		expect(error.description).toBe(
			'CleverTap keeps working on it: raise Max Wait under Options, or run the node again later.',
		);
		expect(at).toEqual([0, 1000, 2500, 4750, 5000]);
		expect(requests.map((r) => r.options.method)).toEqual(['POST', 'GET', 'GET', 'GET', 'GET']);
		expect(clock.now()).toBe(5000);
	});

	test('Max Wait 0: no poll at all', async () => {
		const { run, requests } = runReport('countProfiles', {
			items: [{}],
			options: { maxWait: 0 },
			respond: () => ({ statusCode: 200, body: PARTIAL('42') }),
		});
		const error = await stopError(run);
		expect(error.message).toBe(
			'The count of profiles for "Charged" was not ready after 0 seconds (Max Wait): CleverTap is still working on it as request ID 42',
		);
		expect(requests).toHaveLength(1);
	});

	test('the default Max Wait is 300 seconds', async () => {
		const clock = useVirtualTime();
		const { run } = runReport('countEvents', {
			items: [{}],
			respond: () => ({ statusCode: 200, body: PARTIAL(REQ_ID) }),
		});
		const error = await stopError(clock.run(run));
		expect(error.message).toContain('was not ready after 300 seconds (Max Wait)');
		expect(clock.now()).toBe(300_000);
	});

	test('a cancelled execution stops polling within half a second, with an error', async () => {
		const clock = useVirtualTime();
		const controller = new AbortController();
		void clock.sleep(1700).then(() => controller.abort());
		const { run, requests } = runReport('countEvents', {
			items: [{}],
			cancelSignal: controller.signal,
			respond: () => ({ statusCode: 200, body: PARTIAL(REQ_ID) }),
		});
		const error = await stopError(clock.run(run));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			`The execution was cancelled while CleverTap was still working on the count of events for "Charged" (request ID ${REQ_ID})`,
		);
		// The POST at 0 s and the poll at 1 s; the cancel at 1.7 s is seen by 2.2 s.
		expect(requests.map((r) => r.options.method)).toEqual(['POST', 'GET']);
		expect(clock.now()).toBeLessThanOrEqual(2200);
	});

	test("a poll that fails fails the item with CleverTap's words", async () => {
		const { run } = runReport('countEvents', {
			items: [{}],
			options: { maxRetries: 0 },
			respond: (_request, call) =>
				call === 1
					? { statusCode: 200, body: PARTIAL(REQ_ID) }
					: { statusCode: 200, body: '{"status":"fail","error":"Query failed","code":400}' },
		});
		const error = await stopError(run);
		expect(error.message).toBe(
			'The count of events for "Charged" failed: CleverTap answered but reported "fail" (HTTP 200, code 400: "Query failed")',
		);
	});

	test('a request ID CleverTap no longer knows: the query is asked once more, as a new one', async () => {
		const expired = {
			statusCode: 400,
			body: '{"status":"fail","error":"Invalid request id","code":400}',
		};
		const { run, requests } = runReport('countEvents', {
			items: [{}],
			respond: (_request, call) =>
				[
					{ statusCode: 200, body: PARTIAL('111') },
					expired,
					{ statusCode: 200, body: PARTIAL('222') },
					ok({ count: 9 }),
				][call - 1],
		});
		const [output] = await run;
		expect(output.map((item) => item.json.count)).toEqual([9]);
		expect(requests.map((request) => `${request.options.method} ${request.options.url}`)).toEqual([
			`POST ${BASE}/1/counts/events.json`,
			`GET ${BASE}/1/counts/events.json?req_id=111`,
			`POST ${BASE}/1/counts/events.json`,
			`GET ${BASE}/1/counts/events.json?req_id=222`,
		]);
	});

	test("a request ID forgotten twice fails the item with CleverTap's words, after one new query only", async () => {
		const expired = {
			statusCode: 400,
			body: '{"status":"fail","error":"Invalid request id","code":400}',
		};
		const { run, requests } = runReport('countEvents', {
			items: [{}],
			respond: (request) =>
				request.options.method === 'POST' ? { statusCode: 200, body: PARTIAL('111') } : expired,
		});
		const error = await stopError(run);
		expect(error.message).toMatch(
			/^The count of events for "Charged" failed: .*"Invalid request id"/,
		);
		expect(requests.map((request) => request.options.method)).toEqual([
			'POST',
			'GET',
			'POST',
			'GET',
		]);
	});
});

describe('items, concurrency and pairing', () => {
	/** Items each counting their own event, answered after `delays[event]` ms of virtual time. */
	function concurrentCounts(
		clock: ReturnType<typeof virtualTime>,
		names: string[],
		delays: Record<string, number>,
		options: IDataObject = {},
		partialFirst = false,
	) {
		let inFlight = 0;
		const stats = { peak: 0 };
		const posted = new Set<string>();
		const mock = runReport('countEvents', {
			items: names.map((event) => ({ event })),
			evaluate: (_name, item) => item.event,
			parameters: { eventName: '={{ $json.event }}' },
			options,
			respond: async (request) => {
				inFlight++;
				stats.peak = Math.max(stats.peak, inFlight);
				const id = request.options.url.split('req_id=')[1];
				const name =
					id === undefined
						? (request.body as { event_name: string }).event_name
						: names[Number(id) - 1];
				await clock.sleep(delays[name]);
				inFlight--;
				if (partialFirst && !posted.has(name)) {
					posted.add(name);
					return {
						statusCode: 200,
						body: `{"status":"partial","req_id":${names.indexOf(name) + 1}}`,
					};
				}
				return ok({ count: names.indexOf(name) * 10 });
			},
		});
		return { ...mock, stats };
	}

	test.each([
		[{}, 3],
		[{ concurrency: 2 }, 2],
		[{ concurrency: 1 }, 1],
		[{ concurrency: 10 }, 3],
	])('options %j: at most %i requests at once; outputs in item order', async (options, most) => {
		const clock = useVirtualTime();
		const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
		const delays = { a: 700, b: 100, c: 400, d: 50, e: 300, f: 20, g: 10 };
		const { run, stats } = concurrentCounts(clock, names, delays, options);
		const [output] = await clock.run(run);
		expect(stats.peak).toBe(most);
		expect(output.map((item) => [item.pairedItem, item.json.eventName, item.json.count])).toEqual(
			names.map((name, item) => [{ item }, name, item * 10]),
		);
	});

	test('items CleverTap answers later are polled within the limit, each result paired to its item', async () => {
		const clock = useVirtualTime();
		const names = ['a', 'b', 'c', 'd', 'e'];
		const { run, stats, requests } = concurrentCounts(
			clock,
			names,
			{ a: 300, b: 200, c: 2000, d: 100, e: 1500 },
			{},
			true,
		);
		const [output] = await clock.run(run);
		expect(stats.peak).toBe(3);
		expect(requests.filter((r) => r.options.method === 'GET')).toHaveLength(5);
		expect(output.map((item) => [item.pairedItem, item.json.count])).toEqual(
			names.map((_name, item) => [{ item }, item * 10]),
		);
	});

	test('without continue-on-fail a failure stops the node and starts no further item', async () => {
		const { run, requests } = runReport('countEvents', {
			items: [{ event: 'Uninstalled' }, { event: 'Charged' }, { event: 'App Launched' }],
			evaluate: (_name, item) => item.event,
			parameters: { eventName: '={{ $json.event }}' },
			options: { concurrency: 1 },
			respond: (request) =>
				(request.body as { event_name: string }).event_name === 'Uninstalled'
					? { statusCode: 200, body: INVALID_EVENT }
					: ok({ count: 1 }),
		});
		const error = await stopError(run);
		expect(error.message).toContain('"Invalid event : Uninstalled"');
		expect(requests).toHaveLength(1);
	});

	test('under continue-on-fail each failure is an error item for its item only, in item order', async () => {
		const { run, requests } = runReport('countEvents', {
			items: [
				{ event: 'Charged' },
				{ event: '' },
				{ event: 'Uninstalled' },
				{ event: 'App Launched' },
			],
			continueOnFail: true,
			evaluate: (_name, item) => item.event,
			parameters: { eventName: '={{ $json.event }}' },
			respond: (request) =>
				(request.body as { event_name: string }).event_name === 'Uninstalled'
					? { statusCode: 200, body: INVALID_EVENT }
					: ok({ count: 5 }),
		});
		const [output] = await run;
		expect(output).toEqual([
			{
				json: { count: 5, eventName: 'Charged', from: '2026-11-20', to: '2026-11-28' },
				pairedItem: { item: 0 },
			},
			{
				json: {
					error:
						'The event name is empty. Enter the event exactly as CleverTap names it, such as Charged.',
				},
				pairedItem: { item: 1 },
			},
			{
				json: {
					// CleverTap's words once: no description repeats them.
					error:
						'The count of events for "Uninstalled" failed: CleverTap answered but reported "fail" (HTTP 200, code 400: "Invalid event : Uninstalled")',
				},
				pairedItem: { item: 2 },
			},
			{
				json: { count: 5, eventName: 'App Launched', from: '2026-11-20', to: '2026-11-28' },
				pairedItem: { item: 3 },
			},
		]);
		// The bad item sent nothing.
		expect(requests.map((r) => (r.body as { event_name: string }).event_name).sort()).toEqual([
			'App Launched',
			'Charged',
			'Uninstalled',
		]);
	});

	test('under continue-on-fail a Max Wait that runs out fails only its item', async () => {
		const clock = useVirtualTime();
		const { run } = runReport('countEvents', {
			items: [{ event: 'Slow' }, { event: 'Charged' }],
			continueOnFail: true,
			evaluate: (_name, item) => item.event,
			parameters: { eventName: '={{ $json.event }}' },
			options: { maxWait: 3 },
			respond: (request) =>
				request.options.method === 'GET' ||
				(request.body as { event_name: string }).event_name === 'Slow'
					? { statusCode: 200, body: PARTIAL('77') }
					: ok({ count: 9 }),
		});
		const [output] = await clock.run(run);
		expect(output.map((item) => [item.pairedItem, item.json.error ?? item.json.count])).toEqual([
			[
				{ item: 0 },
				'The count of events for "Slow" was not ready after 3 seconds (Max Wait): CleverTap is still working on it as request ID 77. CleverTap keeps working on it: raise Max Wait under Options, or run the node again later.',
			],
			[{ item: 1 }, 9],
		]);
	});
});

describe('bad input fails before anything is sent', () => {
	const EVENT_HINT = 'Enter the event exactly as CleverTap names it, such as Charged.';
	test.each<[string, string, Record<string, unknown>, IDataObject, string, string]>([
		[
			'a trend over 366 days',
			'trends',
			{ from: '2025-11-27', to: '2026-11-28' },
			{},
			'From (20251127) to To (20261128) is 367 days; a trend covers at most 366',
			'Choose a shorter range, or split it over several items.',
		],
		[
			'an unknown granularity',
			'trends',
			{ granularity: 'hourly' },
			{},
			'Granularity "hourly" is not one CleverTap knows',
			'Choose Daily, Weekly or Monthly.',
		],
		[
			'Top N 0',
			'topValues',
			{ propertyName: 'Amount', topN: 0 },
			{},
			'Top N is 0; CleverTap gives from 1 to 100 values',
			'Enter a whole number from 1 to 100.',
		],
		[
			'Top N 101',
			'topValues',
			{ propertyName: 'Amount', topN: 101 },
			{},
			'Top N is 101; CleverTap gives from 1 to 100 values',
			'Enter a whole number from 1 to 100.',
		],
		[
			'Top N not whole',
			'topValues',
			{ propertyName: 'Amount', topN: 2.5 },
			{},
			'Top N is 2.5; CleverTap gives from 1 to 100 values',
			'Enter a whole number from 1 to 100.',
		],
		[
			'an unknown property type',
			'topValues',
			{ propertyName: 'Amount', propertyType: 'cohort' },
			{},
			'Property Type "cohort" is not one CleverTap knows',
			'Use one of eventProperty, profileField, sessionProperty, appField, demographic, technographic, reachability, geoField.',
		],
		[
			'an empty property name',
			'topValues',
			{ propertyName: '  ' },
			{},
			'The property name is empty',
			'Enter the property exactly as CleverTap names it, such as Category.',
		],
		[
			'To before From (count)',
			'countEvents',
			{ from: '2026-11-28', to: '2026-11-20' },
			{},
			'From (20261128) is after To (20261120)',
			'Swap the two dates.',
		],
		[
			'To before From (message reports)',
			'messageReports',
			{ from: '2026-11-28', to: '2026-11-27' },
			{},
			'From (20261128) is after To (20261127)',
			'Swap the two dates.',
		],
		[
			'an empty event name',
			'countProfiles',
			{ eventName: ' ' },
			{},
			'The event name is empty',
			EVENT_HINT,
		],
		[
			'an unknown message-report channel',
			'messageReports',
			{},
			{ channel: ['push', 'carrier_pigeon'] },
			'Channels "carrier_pigeon" is not one CleverTap knows',
			'Use push, email, sms, whatsapp, browser, inapp, webhooks, audiences, web_pop_up, web_exit_intent, web_native_display, web_inbox.',
		],
		[
			'an unknown message-report status',
			'messageReports',
			{},
			{ status: 'paused' },
			'Status "paused" is not one CleverTap knows',
			'Use scheduled, running, stopped, completed.',
		],
	])('%s', async (_name, operation, parameters, options, message, description) => {
		// Two items, the second with the bad value (Options are the run's): nothing is sent for either.
		const mock = mockExecuteContext({
			items: [{ bad: false }, { bad: true }],
			options,
			evaluate: (name, item) => {
				const good: IDataObject = {
					eventName: 'Charged',
					from: '2026-11-20',
					to: '2026-11-28',
					propertyName: 'Amount',
					propertyType: 'eventProperty',
					topN: 10,
					granularity: 'daily',
				};
				return item.bad === true && name in parameters ? parameters[name] : good[name];
			},
			parameters: {
				resource: 'report',
				operation,
				...Object.fromEntries(
					['eventName', 'from', 'to', 'propertyName', ...Object.keys(parameters)].map((name) => [
						name,
						`={{ $json.${name} }}`,
					]),
				),
			},
			respond: () => ok({ count: 1 }),
		});
		const error = await stopError(node.execute.call(mock.context));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(error.description).toBe(description);
		expect(mock.requests).toEqual([]);
		// The item named is the one with the bad value (the Options are read from the first).
		expect(error.context.itemIndex).toBe(Object.keys(options).length > 0 ? 0 : 1);
	});
});
