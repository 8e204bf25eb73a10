import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import {
	mockExecuteContext,
	TEST_CREDENTIALS,
	type MockContextOptions,
	type RecordedRequest,
} from '../../support/mockExecuteContext';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const profiles = (from: number, count: number) =>
	Array.from({ length: count }, (_, i) => ({ identity: `p${from + i}`, name: `P ${from + i}` }));

/** The cursor a page request carries, exactly as it is in the URL. */
const cursorOf = (request: RecordedRequest) => request.options.url.split('?cursor=')[1];

/** A fake of CleverTap's event query: `total` profiles, `pageSize` a page. */
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
				records: profiles(start, Math.min(pageSize, total - start)),
				...(next ? { next_cursor: next } : {}),
			}),
		};
	};
}

async function getMany(
	config: Omit<MockContextOptions, 'parameters'> & { parameters?: Record<string, unknown> },
) {
	const mock = mockExecuteContext({
		...config,
		parameters: {
			operation: 'getMany',
			eventName: 'Identity Error',
			from: '2026-11-20T00:00:00',
			to: '2026-11-28T00:00:00',
			returnAll: true,
			...config.parameters,
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

describe('CleverTap → Profile → Get Many by Event (mocked n8n context)', () => {
	test('the query, then every page one after another, one item per profile', async () => {
		const { run, requests } = await getMany({
			items: [{}],
			options: { batchSize: 40 },
			respond: pagedApi(100, 40),
		});
		const [output] = await run;
		expect(requests[0].options).toMatchObject({
			method: 'POST',
			url: 'https://in1.api.clevertap.com/1/profiles.json',
			qs: { batch_size: '40' },
		});
		expect(requests[0].body).toEqual({
			event_name: 'Identity Error',
			from: 20261120,
			to: 20261128,
		});
		expect(
			requests.slice(1).map((r) => [r.options.method, r.options.url, r.options.qs, r.options.body]),
		).toEqual([
			['GET', 'https://in1.api.clevertap.com/1/profiles.json?cursor=c0', undefined, undefined],
			['GET', 'https://in1.api.clevertap.com/1/profiles.json?cursor=c40', undefined, undefined],
			['GET', 'https://in1.api.clevertap.com/1/profiles.json?cursor=c80', undefined, undefined],
		]);
		expect(output).toHaveLength(100);
		expect(output[99]).toEqual({
			json: { objectId: null, identity: 'p99', email: null, name: 'P 99' },
			pairedItem: { item: 0 },
		});
	});

	test('a limit stops reading pages once reached', async () => {
		const { run, requests } = await getMany({
			items: [{}],
			parameters: { returnAll: false, limit: 45 },
			options: { batchSize: 20 },
			respond: pagedApi(1000, 20),
		});
		const [output] = await run;
		expect(output).toHaveLength(45);
		// The query and three pages (20 + 20 + 5 of 20), nothing more.
		expect(requests).toHaveLength(4);
	});

	test('pages no bigger than the Limit needs', async () => {
		const { run, requests } = await getMany({
			items: [{}],
			parameters: { returnAll: false, limit: 30 },
			respond: pagedApi(1000, 30),
		});
		expect(await run).toEqual([expect.any(Array)]);
		expect(requests[0].options.qs).toEqual({ batch_size: '30' });
		expect(requests).toHaveLength(2);
	});

	test('a page that fails is retried with the same cursor', async () => {
		const api = pagedApi(30, 20);
		const { run, requests } = await getMany({
			items: [{}],
			options: { batchSize: 20 },
			respond: (request, call) =>
				call === 3 ? { statusCode: 502, body: '<html>Bad Gateway</html>' } : api(request),
		});
		const [output] = await run;
		expect(output).toHaveLength(30);
		expect(requests.slice(2).map(cursorOf)).toEqual(['c20', 'c20']);
	});

	test('no cursor, or a page without records: no profiles, no error', async () => {
		const { run } = await getMany({
			items: [{}],
			respond: () => ({ statusCode: 200, body: '{"status":"success"}' }),
		});
		expect(await run).toEqual([[]]);
	});

	test('a page that keeps failing stops the node, saying how far it got', async () => {
		const api = pagedApi(100, 50);
		const { run } = await getMany({
			items: [{}],
			options: { batchSize: 50, maxRetries: 1 },
			respond: (request, call) =>
				call >= 3
					? { statusCode: 500, body: '{"status":"fail","error":"Internal error","code":500}' }
					: api(request),
		});
		const error = (await run.catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Page 2 of "Identity Error" failed: CleverTap had an internal error (HTTP 500: "Internal error") after 2 attempts',
		);
		expect(error.description).toMatch(/50 profiles were read before it stopped\.$/);
	});

	const EVENT_HINT = 'Enter the event exactly as CleverTap names it, such as Identity Error.';
	const DATE_HINT =
		'Pick a date, or give one as 2026-11-28 (an expression such as {{ $now.minus(1, "day") }} works too).';
	test.each([
		[{ eventName: ' ' }, 'The event name is empty', EVENT_HINT],
		[{ eventName: undefined }, 'The event name is empty', EVENT_HINT],
		[{ eventName: '={{ $json.event }}' }, 'The event name is empty', EVENT_HINT],
		[{ from: 'last week' }, 'From is not a date ("last week")', DATE_HINT],
		[{ from: undefined }, 'From is not a date ("")', DATE_HINT],
		[{ to: '' }, 'To is not a date ("")', DATE_HINT],
		[{ to: undefined }, 'To is not a date ("")', DATE_HINT],
		[
			{ from: '2026-11-28', to: '2026-11-20' },
			'From (20261128) is after To (20261120)',
			'Swap the two dates.',
		],
	])('%j: %s, and nothing is sent', async (parameters, message, description) => {
		// An expression here comes out as null, as n8n gives a missing field.
		const { run, requests } = await getMany({ items: [{}], parameters, evaluate: () => null });
		const error = (await run.catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(error.description).toBe(description);
		expect(requests).toEqual([]);
	});

	test('From and To on the same day is one day', async () => {
		const { run, requests } = await getMany({
			items: [{}],
			parameters: { from: '2026-11-28', to: '2026-11-28' },
			respond: pagedApi(0, 10),
		});
		await run;
		expect(requests[0].body).toEqual({
			event_name: 'Identity Error',
			from: 20261128,
			to: 20261128,
		});
	});

	test('without Return All the Limit applies', async () => {
		const { run } = await getMany({
			items: [{}],
			parameters: { returnAll: undefined, limit: 5 },
			respond: pagedApi(100, 10),
		});
		const [output] = await run;
		expect(output).toHaveLength(5);
	});

	test.each([
		['an empty cursor for the query', '{"status":"success","cursor":""}', undefined, 1, 0],
		['an empty next cursor', '{"status":"success","cursor":"c0"}', '', 2, 2],
		['a null next cursor', '{"status":"success","cursor":"c0"}', null, 2, 2],
	])('%s: no more pages', async (_name, query, next, requestCount, profileCount) => {
		const { run, requests } = await getMany({
			items: [{}],
			// Only the first page has profiles: a node that asked again would not loop for ever.
			respond: (request) =>
				request.options.method === 'POST'
					? { statusCode: 200, body: query }
					: {
							statusCode: 200,
							body: JSON.stringify(
								cursorOf(request) === 'c0'
									? { status: 'success', records: profiles(0, 2), next_cursor: next }
									: { status: 'success', records: [] },
							),
						},
		});
		const [output] = await run;
		expect(requests).toHaveLength(requestCount);
		expect(output).toHaveLength(profileCount);
	});

	test.each([
		[
			'a query that fails once, with Max Retries 0',
			{ statusCode: 500, body: '{"status":"fail","error":"Internal error","code":500}' },
			'The query for "Identity Error" failed: CleverTap had an internal error (HTTP 500: "Internal error")',
			'This looks temporary. The node did not try again (Max Retries is 0). Run the workflow again later, or raise Max Retries under Options. 0 profiles were read before it stopped.',
		],
		[
			'a query CleverTap refuses',
			{ statusCode: 400, body: '{"status":"fail","error":"Invalid dates","code":400}' },
			'The query for "Identity Error" failed: CleverTap refused the request as invalid (HTTP 400: "Invalid dates")',
			'0 profiles were read before it stopped.',
		],
	])('%s stops the node, saying why', async (_name, answer, message, description) => {
		const { run, requests } = await getMany({
			items: [{}],
			options: { maxRetries: 0 },
			respond: () => answer,
		});
		const error = (await run.catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(message);
		expect(error.description).toBe(description);
		expect(requests).toHaveLength(1);
	});

	test('a credential whose region is unknown stops the node before anything is sent', async () => {
		const { run, requests } = await getMany({
			items: [{}],
			credentials: { ...TEST_CREDENTIALS, region: 'in' },
		});
		const error = (await run.catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'The CleverTap credential\'s region "in" is not one this node knows',
		);
		expect(requests).toEqual([]);
	});

	test.each([
		['', true],
		[' on an n8n without execution hints', false],
	])(
		'under continue-on-fail a credential whose region is unknown fails every item%s',
		async (_name, withHints) => {
			const mock = mockExecuteContext({
				items: [{}, {}],
				continueOnFail: true,
				credentials: { ...TEST_CREDENTIALS, region: 'in' },
				parameters: {
					operation: 'getMany',
					eventName: 'Identity Error',
					from: '2026-11-20',
					to: '2026-11-28',
					returnAll: true,
				},
			});
			if (!withHints) delete (mock.context as { addExecutionHints?: unknown }).addExecutionHints;
			const [output] = await node.execute.call(mock.context);
			const text =
				'The CleverTap credential\'s region "in" is not one this node knows. Open the credential and choose the region again (eu1, in1, sg1, us1, aps3, mec1, sk1 or Custom URL). Your region is the prefix of your dashboard URL, e.g. in1.dashboard.clevertap.com means in1.';
			expect(output).toEqual([
				{ json: { error: text }, pairedItem: { item: 0 } },
				{ json: { error: text }, pairedItem: { item: 1 } },
			]);
			expect(mock.hints).toEqual(
				withHints ? [{ message: text, type: 'danger', location: 'outputPane' }] : [],
			);
			expect(mock.requests).toEqual([]);
		},
	);

	test('under continue-on-fail a bad item gets an error item, the others their profiles', async () => {
		const mock = mockExecuteContext({
			items: [{ event: '' }, { event: 'Identity Error' }],
			continueOnFail: true,
			evaluate: (_name, item) => item.event,
			parameters: {
				operation: 'getMany',
				eventName: '={{ $json.event + "" }}',
				from: '2026-11-20',
				to: '2026-11-28',
				returnAll: true,
			},
			respond: pagedApi(2, 10),
		});
		const [output] = await node.execute.call(mock.context);
		expect(output.map((item) => [item.pairedItem, item.json.error ?? item.json.identity])).toEqual([
			[
				{ item: 0 },
				'The event name is empty. Enter the event exactly as CleverTap names it, such as Identity Error.',
			],
			[{ item: 1 }, 'p0'],
			[{ item: 1 }, 'p1'],
		]);
	});

	describe('CleverTap as it really answers (shared/clevertap-recorded.md)', () => {
		const NOT_READY =
			'{"status":"fail","error":"Request still in progress, please retry later","code":2}';
		beforeEach(() => jest.mocked(sleep).mockClear());
		/** A query that opens at once, and every page answered with `page`. */
		const everyPage = (page: { statusCode: number; body: string }) => (request: RecordedRequest) =>
			request.options.method === 'POST'
				? { statusCode: 200, body: '{"status":"success","cursor":"c0"}' }
				: page;

		test.each([
			// The recorded eu1 form: base64, already percent-encoded.
			[
				'already encoded',
				'ZyZjfwYEAgdjYmZyKz8NegYFAwxmamF%2FZ21meU4B%2B%3D%3D',
				'ZyZjfwYEAgdjYmZyKz8NegYFAwxmamF%2FZ21meU4B%2B%3D%3D',
			],
			['raw base64', 'ZyZj/fwY+EAg==', 'ZyZj%2FfwY%2BEAg%3D%3D'],
			['a stray percent sign', 'a%zz', 'a%25zz'],
		])('a cursor that is %s goes in the URL encoded exactly once', async (_name, given, sent) => {
			const { run, requests } = await getMany({
				items: [{}],
				respond: (request) =>
					request.options.method === 'POST'
						? { statusCode: 200, body: JSON.stringify({ status: 'success', cursor: given }) }
						: {
								statusCode: 200,
								body: JSON.stringify({ status: 'success', records: profiles(0, 1) }),
							},
			});
			expect(await run).toEqual([
				[expect.objectContaining({ json: expect.objectContaining({ identity: 'p0' }) })],
			]);
			expect(requests[1].options.url).toBe(
				`https://in1.api.clevertap.com/1/profiles.json?cursor=${sent}`,
			);
			expect(requests[1].options.qs).toBeUndefined();
		});

		test.each([
			['HTTP 200 with code 2', 200, NOT_READY],
			['HTTP 202', 202, NOT_READY],
			['HTTP 202 with no body', 202, ''],
		])(
			'a page answered %s is read again after a growing pause, and counts as no failure',
			async (_name, statusCode, body) => {
				const api = pagedApi(60, 30);
				let notReady = 0;
				const { run, requests } = await getMany({
					items: [{}],
					// Three waits with Max Retries 1: waiting for a page uses up no retries.
					options: { maxRetries: 1 },
					respond: (request) => {
						if (request.options.method === 'GET' && cursorOf(request) === 'c30' && notReady < 3) {
							notReady++;
							return { statusCode, body };
						}
						return api(request);
					},
				});
				expect(await run).toEqual([expect.any(Array)]);
				expect((await run)[0]).toHaveLength(60);
				expect(requests.map(cursorOf)).toEqual([undefined, 'c0', 'c30', 'c30', 'c30', 'c30']);
				expect(jest.mocked(sleep).mock.calls.map(([ms]) => ms)).toEqual([1000, 2000, 4000]);
			},
		);

		test('a page still not ready when patience runs out stops the node, saying CleverTap was still preparing it', async () => {
			const { run, requests } = await getMany({
				items: [{}],
				options: { maxRetries: 1 },
				respond: everyPage({ statusCode: 200, body: NOT_READY }),
			});
			const error = (await run.catch((e: unknown) => e)) as NodeApiError;
			expect(error).toBeInstanceOf(NodeApiError);
			// Max Retries 1 allows 20 seconds: pauses of 1, 2, 4 and 8 seconds, then 15 more would be 30.
			expect(jest.mocked(sleep).mock.calls.map(([ms]) => ms)).toEqual([1000, 2000, 4000, 8000]);
			expect(requests).toHaveLength(6);
			expect(error.message).toBe(
				'Page 1 of "Identity Error" failed: CleverTap was still preparing the page (HTTP 200, code 2: "Request still in progress, please retry later") after 5 attempts',
			);
			expect(error.description).toBe(
				'CleverTap prepares the pages of a large query in the background. Run the workflow again later, or raise Max Retries under Options: each one lets the node wait 10 seconds longer. 0 profiles were read before it stopped.',
			);
		});

		test('with Max Retries 0 a page that is not ready stops at once', async () => {
			const { run, requests } = await getMany({
				items: [{}],
				options: { maxRetries: 0 },
				respond: everyPage({ statusCode: 202, body: '' }),
			});
			const error = (await run.catch((e: unknown) => e)) as NodeApiError;
			expect(error.message).toBe(
				'Page 1 of "Identity Error" failed: CleverTap was still preparing the page (HTTP 202)',
			);
			expect(requests).toHaveLength(2);
		});

		test('a query CleverTap is still preparing is asked again too', async () => {
			const api = pagedApi(5, 30);
			const { run, requests } = await getMany({
				items: [{}],
				respond: (request, call) =>
					call === 1 ? { statusCode: 202, body: NOT_READY } : api(request),
			});
			expect((await run)[0]).toHaveLength(5);
			expect(requests.map((r) => r.options.method)).toEqual(['POST', 'POST', 'GET']);
		});

		test.each([
			[{ limit: 5 }, {}, '23'],
			[{ limit: 30 }, { batchSize: 10 }, '23'],
			[{ returnAll: true }, { batchSize: 1 }, '23'],
			[{ returnAll: true }, { batchSize: '5' }, '23'],
			[{ limit: 46 }, {}, '46'],
			[{ returnAll: true }, {}, '5000'],
		])(
			'%j with options %j asks for batch_size %s: never under 23, which CleverTap ignores',
			async (parameters, options, batchSize) => {
				const { run, requests } = await getMany({
					items: [{}],
					parameters: { returnAll: false, ...parameters },
					options,
					respond: pagedApi(3, 30),
				});
				await run;
				expect(requests[0].options.qs).toEqual({ batch_size: batchSize });
			},
		);

		test('a page bigger than asked (CleverTap sent everything) still gives no more than Limit', async () => {
			const { run, requests } = await getMany({
				items: [{}],
				parameters: { returnAll: false, limit: 5 },
				respond: pagedApi(989, 989),
			});
			const [output] = await run;
			expect(output).toHaveLength(5);
			expect(output.map((item) => item.json.identity)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
			expect(requests).toHaveLength(2);
		});
	});
});
