import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import {
	mockExecuteContext,
	stopError,
	type MockContextOptions,
	type RecordedRequest,
} from '../../support/mockExecuteContext';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Waits are counted, not waited out.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const EVENTS_URL = 'https://in1.api.clevertap.com/1/events.json';
const NOT_READY =
	'{"status":"fail","error":"Request still in progress, please retry later","code":2}';

/** An event as CleverTap sends it; `n` makes each one different. */
const event = (n: number) => ({
	profile: {
		objectId: `obj-${n}`,
		identity: `id-${n}`,
		platform: 'Web',
		profileData: { favoriteColor: 'blue' },
	},
	ts: 20221119054900 + n,
	event_props: { value: `item-${n}` },
	session_props: { session_source: 'Direct' },
});
const events = (from: number, count: number) =>
	Array.from({ length: count }, (_, i) => event(from + i));

/** The cursor a page request carries, exactly as it is in the URL. */
const cursorOf = (request: RecordedRequest) => request.options.url.split('?cursor=')[1];

/** A fake of CleverTap's Get Events: `total` events, `pageSize` a page, cursors `c<start>`. */
function pagedApi(total: number, pageSize: number) {
	return (request: RecordedRequest) => {
		if (request.options.method === 'POST') {
			return { statusCode: 200, body: '{"status":"success","cursor":"c0"}' };
		}
		const start = Number(String(cursorOf(request)).slice(1));
		const next = start + pageSize < total ? `c${start + pageSize}` : undefined;
		return {
			statusCode: 200,
			body: JSON.stringify({
				status: 'success',
				records: events(start, Math.min(pageSize, total - start)),
				...(next ? { next_cursor: next } : {}),
			}),
		};
	};
}

function getEvents(
	config: Omit<MockContextOptions, 'parameters'> & { parameters?: Record<string, unknown> },
) {
	const mock = mockExecuteContext({
		...config,
		parameters: {
			resource: 'event',
			operation: 'getMany',
			eventName: 'Charged',
			from: '2026-11-20T00:00:00',
			to: '2026-11-28T00:00:00',
			returnAll: true,
			...config.parameters,
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

beforeEach(() => jest.mocked(sleep).mockClear());

describe('CleverTap → Event → Get Many (mocked n8n context)', () => {
	test('the query: POST /1/events.json with the event and the days as YYYYMMDD numbers', async () => {
		const { run, requests } = await getEvents({
			items: [{}],
			parameters: { returnAll: false, limit: 100 },
			respond: pagedApi(3, 50),
		});
		await run;
		expect(requests[0].options).toMatchObject({
			method: 'POST',
			url: EVENTS_URL,
			qs: { batch_size: '100', events: 'false' },
		});
		expect(requests[0].options.qs).not.toHaveProperty('app');
		expect(requests[0].body).toEqual({ event_name: 'Charged', from: 20261120, to: 20261128 });
		expect(typeof (requests[0].body as { from: unknown }).from).toBe('number');
		expect(requests[0].headers['X-CleverTap-Account-Id']).toBe('TEST-ACCOUNT');
	});

	test.each([
		['nothing', {}, { events: 'false' }],
		['Include Event Summary', { includeEventSummary: true }, { events: 'true' }],
		['Include App Fields', { includeAppFields: true }, { events: 'false', app: 'true' }],
		[
			'both',
			{ includeEventSummary: true, includeAppFields: true },
			{ events: 'true', app: 'true' },
		],
		['both off', { includeEventSummary: false, includeAppFields: false }, { events: 'false' }],
	])('with %s chosen the query asks for %j', async (_name, options, flags) => {
		const { run, requests } = await getEvents({
			items: [{}],
			options,
			respond: pagedApi(1, 50),
		});
		await run;
		expect(requests[0].options.qs).toEqual({ batch_size: '5000', ...flags });
	});

	test.each([
		// Never under 23 (CleverTap would send everything), never over 5000, no more than the Limit.
		[{ limit: 5 }, {}, '23'],
		[{ limit: 22 }, {}, '23'],
		[{ limit: 23 }, {}, '23'],
		[{ limit: 50 }, {}, '50'],
		[{ limit: 300 }, { batchSize: 100 }, '100'],
		[{ limit: 30 }, { batchSize: 10 }, '23'],
		[{ limit: 10_000 }, {}, '5000'],
		[{ returnAll: true }, {}, '5000'],
		[{ returnAll: true }, { batchSize: 9000 }, '5000'],
		[{ returnAll: true }, { batchSize: 1 }, '23'],
		[{ returnAll: true }, { batchSize: 460 }, '460'],
	])('%j with options %j asks for batch_size %s', async (parameters, options, batchSize) => {
		const { run, requests } = await getEvents({
			items: [{}],
			parameters: { returnAll: false, ...parameters },
			options,
			respond: pagedApi(1, 50),
		});
		await run;
		expect(requests[0].options.qs?.batch_size).toBe(batchSize);
	});

	test('pages are followed one after another until there is no next_cursor', async () => {
		const { run, requests } = await getEvents({
			items: [{}],
			options: { batchSize: 46 },
			respond: pagedApi(100, 46),
		});
		const [output] = await run;
		expect(requests.map((r) => [r.options.method, r.options.url])).toEqual([
			['POST', EVENTS_URL],
			['GET', `${EVENTS_URL}?cursor=c0`],
			['GET', `${EVENTS_URL}?cursor=c46`],
			['GET', `${EVENTS_URL}?cursor=c92`],
		]);
		// Page requests carry neither a body nor a query string of n8n's.
		for (const page of requests.slice(1)) {
			expect(page.options.qs).toBeUndefined();
			expect(page.options.body).toBeUndefined();
		}
		expect(output).toHaveLength(100);
		expect(output.map((item) => item.json.ts)).toEqual(
			Array.from({ length: 100 }, (_, i) => 20221119054900 + i),
		);
	});

	test('one item per event, with its time readable, paired to its input item', async () => {
		const record = {
			profile: {
				objectId: 'a8ffcbc9',
				email: 'peter@foo.com',
				identity: '5555555555',
				events: { Charged: { count: 3, first_seen: 1668836977, last_seen: 1668836999 } },
			},
			ts: 20221119054937,
			event_props: { value: 'pizza', Amount: 12.5 },
			session_props: { utm_source: 'Foo', session_source: 'Direct' },
		};
		const { run } = await getEvents({
			items: [{}],
			respond: (request) =>
				request.options.method === 'POST'
					? { statusCode: 200, body: '{"status":"success","cursor":"c0"}' }
					: { statusCode: 200, body: JSON.stringify({ status: 'success', records: [record] }) },
		});
		expect(await run).toEqual([
			[
				{
					json: {
						ts: 20221119054937,
						time: '2022-11-19T05:49:37',
						eventName: 'Charged',
						eventProperties: { value: 'pizza', Amount: 12.5 },
						sessionProperties: { utm_source: 'Foo', session_source: 'Direct' },
						profile: record.profile,
					},
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	test('an event without properties or profile gets empty objects; a ts that is no event time gets a null time', async () => {
		const { run } = await getEvents({
			items: [{}],
			respond: (request) =>
				request.options.method === 'POST'
					? { statusCode: 200, body: '{"status":"success","cursor":"c0"}' }
					: {
							statusCode: 200,
							body: JSON.stringify({
								status: 'success',
								records: [{ ts: 1669000000, event_props: null }, 'not an event', null],
							}),
						},
		});
		const [output] = await run;
		expect(output).toEqual([
			{
				json: {
					ts: 1669000000,
					time: null,
					eventName: 'Charged',
					eventProperties: {},
					sessionProperties: {},
					profile: {},
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('the event name is sent trimmed and named in the output as sent', async () => {
		const { run, requests } = await getEvents({
			items: [{}],
			parameters: { eventName: '  App Launched ' },
			respond: pagedApi(1, 50),
		});
		const [output] = await run;
		expect((requests[0].body as { event_name: string }).event_name).toBe('App Launched');
		expect(output[0].json.eventName).toBe('App Launched');
	});

	test.each([
		// As CleverTap hands it out: already percent-encoded; it goes back exactly so.
		[
			'already encoded',
			'ZiZiNwMEBQBkaWZzY2MuO20BBQFlYmN7ZG5hewYBTQVjb2BzZmphfwEABQUra2Jmeg%3D%3D',
			'ZiZiNwMEBQBkaWZzY2MuO20BBQFlYmN7ZG5hewYBTQVjb2BzZmphfwEABQUra2Jmeg%3D%3D',
		],
		[
			'already encoded with %2F and %2B',
			'ZyZjfwYEAgdjYmZyKz8NegYFAwxmamF%2FZ21meU4B%2B%3D%3D',
			'ZyZjfwYEAgdjYmZyKz8NegYFAwxmamF%2FZ21meU4B%2B%3D%3D',
		],
		['raw base64', 'ZyZj/fwY+EAg==', 'ZyZj%2FfwY%2BEAg%3D%3D'],
	])('a cursor %s goes in the URL encoded exactly once', async (_name, given, sent) => {
		const { run, requests } = await getEvents({
			items: [{}],
			respond: (request) =>
				request.options.method === 'POST'
					? { statusCode: 200, body: JSON.stringify({ status: 'success', cursor: given }) }
					: {
							statusCode: 200,
							body: JSON.stringify({ status: 'success', records: events(0, 1) }),
						},
		});
		expect((await run)[0]).toHaveLength(1);
		expect(requests[1].options.url).toBe(`${EVENTS_URL}?cursor=${sent}`);
		expect(requests[1].options.url).not.toContain('%25');
		expect(requests[1].options.qs).toBeUndefined();
	});

	test('the next cursor goes in the next URL as given', async () => {
		const next = 'ZyZjfwYEAgdjYmZyKz8NegYFAwxmamF%2FZ21meU4B';
		const { run, requests } = await getEvents({
			items: [{}],
			respond: (request) => {
				if (request.options.method === 'POST') {
					return { statusCode: 200, body: '{"status":"success","cursor":"first"}' };
				}
				return cursorOf(request) === 'first'
					? {
							statusCode: 200,
							body: JSON.stringify({
								status: 'success',
								records: events(0, 1),
								previous_cursor: 'ZyZjfwYEAgdjYmZyKz8NegYFAwxmamF/Z21meU4B',
								next_cursor: next,
							}),
						}
					: { statusCode: 200, body: JSON.stringify({ status: 'success', records: events(1, 1) }) };
			},
		});
		expect((await run)[0]).toHaveLength(2);
		expect(requests.map((r) => r.options.url)).toEqual([
			EVENTS_URL,
			`${EVENTS_URL}?cursor=first`,
			`${EVENTS_URL}?cursor=${next}`,
		]);
	});

	test('the Limit stops the read: no more items, no more pages', async () => {
		const { run, requests } = await getEvents({
			items: [{}],
			parameters: { returnAll: false, limit: 50 },
			respond: pagedApi(1000, 23),
		});
		const [output] = await run;
		expect(output).toHaveLength(50);
		expect(output.at(-1)?.json.ts).toBe(20221119054900 + 49);
		// The query and three pages of 23 (23 + 23 + 4 of 23).
		expect(requests).toHaveLength(4);
		expect(requests[0].options.qs?.batch_size).toBe('50');
	});

	test('a page bigger than asked still gives no more than the Limit', async () => {
		const { run, requests } = await getEvents({
			items: [{}],
			parameters: { returnAll: false, limit: 5 },
			respond: pagedApi(989, 989),
		});
		const [output] = await run;
		expect(output).toHaveLength(5);
		expect(requests).toHaveLength(2);
	});

	test.each([
		['a page with no records key (an empty range)', '{"status":"success"}'],
		['a page with empty records', '{"status":"success","records":[]}'],
	])('%s gives no items and no error', async (_name, page) => {
		const { run, requests } = await getEvents({
			items: [{}],
			respond: (request) =>
				request.options.method === 'POST'
					? { statusCode: 200, body: '{"status":"success","cursor":"c0"}' }
					: { statusCode: 200, body: page },
		});
		expect(await run).toEqual([[]]);
		expect(requests).toHaveLength(2);
	});

	test('a query answered without a cursor gives no items and asks for no page', async () => {
		const { run, requests } = await getEvents({
			items: [{}],
			respond: () => ({ statusCode: 200, body: '{"status":"success"}' }),
		});
		expect(await run).toEqual([[]]);
		expect(requests).toHaveLength(1);
	});

	test('a page CleverTap is still preparing is read again with the same cursor, after growing pauses', async () => {
		const api = pagedApi(60, 30);
		let notReady = 0;
		const { run, requests } = await getEvents({
			items: [{}],
			options: { maxRetries: 1 },
			respond: (request) => {
				if (request.options.method === 'GET' && cursorOf(request) === 'c30' && notReady < 2) {
					notReady++;
					return { statusCode: 200, body: NOT_READY };
				}
				return api(request);
			},
		});
		const [output] = await run;
		expect(output).toHaveLength(60);
		expect(requests.map(cursorOf)).toEqual([undefined, 'c0', 'c30', 'c30', 'c30']);
		expect(jest.mocked(sleep).mock.calls.map(([ms]) => ms)).toEqual([1000, 2000]);
	});

	test('a page never ready stops the node, saying how far it got', async () => {
		const api = pagedApi(60, 30);
		const { run } = await getEvents({
			items: [{}],
			options: { maxRetries: 0 },
			respond: (request) =>
				request.options.method === 'GET' && cursorOf(request) === 'c30'
					? { statusCode: 200, body: NOT_READY }
					: api(request),
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Page 2 of "Charged" failed: CleverTap was still preparing the page (HTTP 200, code 2: "Request still in progress, please retry later")',
		);
		expect(error.description).toMatch(/30 events were read before it stopped\.$/);
	});

	test('a query CleverTap refuses stops the node with its words', async () => {
		const { run, requests } = await getEvents({
			items: [{}],
			respond: () => ({
				statusCode: 400,
				body: '{"status":"fail","error":"Invalid event name","code":400}',
			}),
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'The query for "Charged" failed: CleverTap refused the request as invalid (HTTP 400: "Invalid event name")',
		);
		expect(error.description).toBe('0 events were read before it stopped.');
		expect(requests).toHaveLength(1);
	});

	const EVENT_HINT = 'Enter the event exactly as CleverTap names it, such as Charged.';
	const DATE_HINT =
		'Pick a date, or give one as 2026-11-28 (an expression such as {{ $now.minus(1, "day") }} works too).';
	test.each([
		[{ eventName: '' }, 'The event name is empty', EVENT_HINT],
		[{ eventName: '   ' }, 'The event name is empty', EVENT_HINT],
		[{ eventName: undefined }, 'The event name is empty', EVENT_HINT],
		[
			{ from: '2026-11-28', to: '2026-11-20' },
			'From (20261128) is after To (20261120)',
			'Swap the two dates.',
		],
		[{ from: 'last week' }, 'From is not a date ("last week")', DATE_HINT],
		[{ to: '' }, 'To is not a date ("")', DATE_HINT],
	])('%j: "%s", and nothing is sent', async (parameters, message, description) => {
		const { run, requests } = await getEvents({ items: [{}], parameters });
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(error.description).toBe(description);
		expect(requests).toEqual([]);
	});

	test('under continue-on-fail a bad item gets an error item, the others their events', async () => {
		const mock = mockExecuteContext({
			items: [{ event: 'Charged' }, { event: '' }, { event: 'App Launched' }],
			continueOnFail: true,
			evaluate: (_name, item) => item.event,
			parameters: {
				resource: 'event',
				operation: 'getMany',
				eventName: '={{ $json.event }}',
				from: '2026-11-20',
				to: '2026-11-28',
				returnAll: true,
			},
			respond: pagedApi(2, 30),
		});
		const [output] = await node.execute.call(mock.context);
		expect(output.map((item) => [item.pairedItem, item.json.error ?? item.json.eventName])).toEqual(
			[
				[{ item: 0 }, 'Charged'],
				[{ item: 0 }, 'Charged'],
				[{ item: 1 }, `The event name is empty. ${EVENT_HINT}`],
				[{ item: 2 }, 'App Launched'],
				[{ item: 2 }, 'App Launched'],
			],
		);
		// The bad item sent nothing: two queries of two requests each.
		expect(mock.requests.filter((r) => r.options.method === 'POST').map((r) => r.body)).toEqual([
			{ event_name: 'Charged', from: 20261120, to: 20261128 },
			{ event_name: 'App Launched', from: 20261120, to: 20261128 },
		]);
	});

	test('under continue-on-fail a query that fails gives an error item for that item only', async () => {
		const api = pagedApi(1, 30);
		const mock = mockExecuteContext({
			items: [{ event: 'Charged' }, { event: 'Broken' }, { event: 'App Launched' }],
			continueOnFail: true,
			evaluate: (_name, item) => item.event,
			options: { maxRetries: 0 },
			parameters: {
				resource: 'event',
				operation: 'getMany',
				eventName: '={{ $json.event }}',
				from: '2026-11-20',
				to: '2026-11-28',
				returnAll: true,
			},
			respond: (request) =>
				(request.body as { event_name?: string } | undefined)?.event_name === 'Broken'
					? { statusCode: 400, body: '{"status":"fail","error":"Invalid event","code":400}' }
					: api(request),
		});
		const [output] = await node.execute.call(mock.context);
		expect(output.map((item) => [item.pairedItem, item.json.error ?? item.json.eventName])).toEqual(
			[
				[{ item: 0 }, 'Charged'],
				[
					{ item: 1 },
					'The query for "Broken" failed: CleverTap refused the request as invalid (HTTP 400: "Invalid event"). 0 events were read before it stopped.',
				],
				[{ item: 2 }, 'App Launched'],
			],
		);
	});

	test('items are read one after another, each its own query', async () => {
		const mock = mockExecuteContext({
			items: [{ day: '2026-11-01' }, { day: '2026-11-02' }],
			evaluate: (_name, item) => item.day,
			parameters: {
				resource: 'event',
				operation: 'getMany',
				eventName: 'Charged',
				from: '={{ $json.day }}',
				to: '={{ $json.day }}',
				returnAll: true,
			},
			respond: pagedApi(1, 30),
		});
		const [output] = await node.execute.call(mock.context);
		expect(mock.requests.map((r) => [r.options.method, r.body])).toEqual([
			['POST', { event_name: 'Charged', from: 20261101, to: 20261101 }],
			['GET', undefined],
			['POST', { event_name: 'Charged', from: 20261102, to: 20261102 }],
			['GET', undefined],
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
