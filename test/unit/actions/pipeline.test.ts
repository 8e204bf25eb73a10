/**
 * The shared parts every operation runs through (actions/common, the router, the node's
 * description), as a caller sees them: the mocked n8n context, sleeps injected.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import { clamp } from '../../../nodes/CleverTap/actions/common/options';
import {
	connect,
	isConnection,
	sendWithRetries,
} from '../../../nodes/CleverTap/actions/common/pipeline';
import { valueReader } from '../../../nodes/CleverTap/actions/common/readParameters';
import {
	mockExecuteContext,
	stopError,
	type MockContextOptions,
} from '../../support/mockExecuteContext';
import { recordedN8nError } from '../../support/n8nErrors';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const emails = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ email: `user${i}@example.com` }));
const success = { statusCode: 200, body: '{"status":"success"}' };
const unavailable = { statusCode: 503, body: '<html>Unavailable</html>' };

function start(config: MockContextOptions) {
	const mock = mockExecuteContext({ identities: '={{ $json.email }}', ...config });
	return { ...mock, run: () => node.execute.call(mock.context) };
}

const identitiesOf = (body: unknown) => (body as { identities: string[] }).identities;

describe('options', () => {
	test.each([
		['a number', 7, 7],
		['text of a number', '7', 7],
		['empty text', '', 5],
		['blank text', '   ', 5],
		['null', null, 5],
		['true', true, 5],
		['below the range', -3, 1],
	])('clamp: %s', (_what, value, expected) => {
		expect(clamp(value, 5, 1, 10)).toBe(expected);
	});
});

describe('reading parameters', () => {
	test('text saved without "=" is used as it is, never evaluated', () => {
		const getNodeParameter = jest.fn(() => {
			throw new Error('evaluated');
		});
		const context = { getNodeParameter } as unknown as IExecuteFunctions;
		for (const saved of ['jane@example.com', '{{ $json.email }}']) {
			const read = valueReader.call(context, saved, 'identities');
			expect(read({ json: { email: 'other@example.com' } }, 0)).toBe(saved);
		}
		expect(getNodeParameter).not.toHaveBeenCalled();
	});

	test('an expression that fails on an item names that item', async () => {
		const { run } = start({
			items: emails(3),
			identities: '={{ $json.email.nope() }}',
			evaluate: (_name, _item, itemIndex) => {
				if (itemIndex === 1) throw new Error('nope is not a function');
				return 'a@example.com';
			},
		});
		const error = await stopError(run());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.context.itemIndex).toBe(1);
	});

	test('Delete by CleverTap ID: bad input points to a CleverTap ID field', async () => {
		const { run, requests } = start({
			items: [{ objectId: '' }],
			parameters: { operation: 'delete', identifierType: 'guid' },
			identities: '={{ $json.objectId }}',
		});
		const error = await stopError(run());
		expect(requests).toHaveLength(0);
		expect(error.description).toContain(
			'such as {{ $json.objectId }}, or to a list of CleverTap IDs',
		);
	});
});

describe('the router and the description', () => {
	test.each([
		['an unknown resource', 'contact', 'demerge'],
		['an unknown operation', 'profile', 'merge'],
	])('%s is a clear error', async (_what, resource, operation) => {
		const { run } = start({ items: emails(1), parameters: { resource, operation } });
		const error = await stopError(run());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`The operation "${operation}" on "${resource}" is not supported`);
		expect(error.context.itemIndex).toBe(0);
	});

	test.each([
		['__CUSTOM_API_CALL__', '__CUSTOM_API_CALL__'],
		['profile', '__CUSTOM_API_CALL__'],
	])(
		"n8n's Custom API Call (%s, %s) says to use an HTTP Request node",
		async (resource, operation) => {
			const { run, requests } = start({ items: emails(1), parameters: { resource, operation } });
			const error = await stopError(run());
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				'Custom API Call runs in an HTTP Request node, not in the CleverTap node',
			);
			expect(error.description).toMatch(
				/^Add an HTTP Request node, set Authentication to Predefined Credential Type and Credential Type to CleverTap API/,
			);
			expect(requests).toHaveLength(0);
		},
	);

	test('Resource comes first, then the parameters of every operation', () => {
		const names = node.description.properties.map((property) => property.name);
		expect(names[0]).toBe('resource');
		expect(names).toEqual(expect.arrayContaining(['operation', 'identities', 'options']));
	});
});

describe('dry run', () => {
	test.each([
		{
			items: [{ ids: ['a'] }],
			hint: 'It would take 1 request.',
			message: 'request 1 of 1',
			last: [1],
		},
		{
			// The third item's "a" already goes in request 1, its "c" in request 2.
			items: [{ ids: ['a'] }, { ids: ['b'] }, { ids: ['a', 'c'] }],
			hint: 'It would take 2 requests.',
			message: 'requests 1, 2 of 2',
			last: [1, 2],
		},
	])('$hint', async ({ items, hint, message, last }) => {
		const { run, hints } = start({
			items,
			identities: '={{ $json.ids }}',
			options: { dryRun: true, batchSize: 2 },
		});
		const [output] = await run();
		expect(hints.map((h) => h.message)).toEqual([
			`Dry Run is on: nothing was sent to CleverTap. ${hint} Turn off Dry Run under Options to send them.`,
		]);
		expect(output[output.length - 1].json).toMatchObject({
			message: `Nothing was sent (Dry Run is on). Without Dry Run, ${message} would send this to CleverTap.`,
			requests: last,
		});
	});
});

describe('how a stop is told', () => {
	test.each([
		[404, 'does not know this address (HTTP 404)'],
		[405, 'does not allow this request at this address (HTTP 405)'],
	])('a %s before anything went through is one setup problem', async (status, words) => {
		const { run } = start({ items: emails(2), respond: () => ({ statusCode: status }) });
		const error = await stopError(run());
		expect(error.message).toBe(`Nothing was demerged: CleverTap ${words}`);
		expect(error.httpCode).toBe(String(status));
		expect(error.errorResponse).toStrictEqual({
			status: 'fail',
			error: `CleverTap ${words}`,
		});
	});

	test("a 200 that says fail is not a setup problem; CleverTap's text and code are kept", async () => {
		const { run } = start({
			items: emails(2),
			respond: () => ({
				statusCode: 200,
				body: '{"status":"fail","error":"Invalid identity","code":400}',
			}),
		});
		const error = await stopError(run());
		expect(error.message).toBe(
			'Identity "user0@example.com" was not demerged: CleverTap answered but reported "fail" (HTTP 200, code 400: "Invalid identity")',
		);
		expect(error.description).toBe('0 of 2 identities were demerged before the node stopped.');
		expect(error.httpCode).toBe('200');
		expect(error.errorResponse).toStrictEqual({
			status: 'fail',
			error: 'Invalid identity',
			code: 400,
		});
	});

	test('a setup problem is told on the item whose request met it', async () => {
		// The third request is answered first; the first two only after it was judged.
		let third: () => void = () => undefined;
		const thirdJudged = new Promise<void>((resolve) => (third = resolve));
		const { run } = start({
			items: emails(3),
			options: { batchSize: 1 },
			respond: async (request) => {
				if (identitiesOf(request.body)[0] === 'user2@example.com') {
					// setImmediate runs once every promise callback queued by this answer has run.
					setImmediate(third);
				} else {
					await thirdJudged;
				}
				return { statusCode: 404 };
			},
		});
		const error = await stopError(run());
		expect(error.message).toMatch(/^Nothing was demerged: /);
		expect(error.context.itemIndex).toBe(2);
	});

	test('without an HTTP answer the error has no HTTP code', async () => {
		const { run } = start({
			items: emails(1),
			options: { maxRetries: 0 },
			respond: (request) => {
				throw recordedN8nError('n8n-2', 'refused', request.options);
			},
		});
		const error = await stopError(run());
		expect(error.message).toMatch(/^Identity "user0@example.com" was not demerged: Nothing at /);
		expect(error.httpCode).toBeNull();
	});

	test('a cancelled execution without continue-on-fail stops on the first item not sent', async () => {
		const controller = new AbortController();
		const { run, requests } = start({
			items: emails(3),
			options: { concurrency: 1, batchSize: 1 },
			cancelSignal: controller.signal,
			respond: () => {
				controller.abort();
				return success;
			},
		});
		const error = await stopError(run());
		expect(requests).toHaveLength(1);
		expect(error.message).toBe(
			'Identity "user1@example.com" was not demerged: it was not sent, because the node stopped after an earlier failure: The execution was cancelled',
		);
		expect(error.context.itemIndex).toBe(1);
	});

	test.each([
		[['a', 'bad1'], 'were', '1 of the item\'s 2 identities (identity "bad1")'],
		[
			['a', 'bad1', 'bad2', 'bad3'],
			'were',
			'3 of the item\'s 4 identities (identity "bad1", identity "bad2", identity "bad3")',
		],
		[
			['bad1', 'bad2', 'bad3', 'bad4', 'bad5'],
			'were',
			'5 of the item\'s 5 identities (identity "bad1", identity "bad2", identity "bad3", …)',
		],
		[['bad1'], 'was', 'Identity "bad1"'],
	])('%j: the item says which failed', async (ids, verb, which) => {
		const { run } = start({
			items: [{ ids }],
			identities: '={{ $json.ids }}',
			continueOnFail: true,
			respond: (request) =>
				identitiesOf(request.body).some((id) => id.startsWith('bad'))
					? { statusCode: 400, body: '{"status":"fail","error":"Invalid identity","code":400}' }
					: success,
		});
		const [output] = await run();
		expect(output[0].json.error).toBe(
			`${which} ${verb} not demerged: CleverTap refused the request as invalid (HTTP 400: "Invalid identity")`,
		);
	});
});

describe('the n8n context', () => {
	test('a retry is logged for n8n with the node it came from', async () => {
		const mock = mockExecuteContext({
			items: emails(1),
			identities: '={{ $json.email }}',
			respond: (_request, call) => (call === 1 ? unavailable : success),
		});
		const debug = jest.fn();
		(mock.context as unknown as { logger: { debug: jest.Mock } }).logger.debug = debug;
		await node.execute.call(mock.context);
		expect(debug).toHaveBeenCalledTimes(1);
		expect(debug.mock.calls[0][0]).toMatch(
			/^CleverTap: a request of 1 identity failed \(CleverTap is unavailable for now \(HTTP 503\)\); trying again in \d+ ms \(attempt 2\)$/,
		);
		expect(debug.mock.calls[0][1]).toEqual({ node: 'CleverTap' });
	});

	test('a page sent again is logged as a page', async () => {
		const mock = mockExecuteContext({
			items: [{}],
			respond: (_request, call) => (call === 1 ? unavailable : success),
		});
		const connection = await connect.call(mock.context);
		if (!isConnection(connection)) throw connection;
		const result = await sendWithRetries.call(
			mock.context,
			'profilesByEvent',
			connection,
			{ method: 'GET', path: '/1/profiles.json', qs: { cursor: 'next' } },
			{ maxRetries: 1, timeout: 1000 },
		);
		expect(result.ok).toBe(true);
		expect(mock.logs).toEqual([
			expect.stringMatching(/^debug CleverTap: a request of 1 page failed \(/),
		]);
	});

	test.each([
		['a dry run', { options: { dryRun: true } }, 'dryRun'],
		[
			'a retried request',
			{ respond: (_r: unknown, call: number) => (call === 1 ? unavailable : success) },
			'success',
		],
		[
			'a setup problem under continue-on-fail',
			{ continueOnFail: true, respond: () => ({ statusCode: 401 }) },
			undefined,
		],
	])(
		'%s works in a context without hints, cancel signal or logger',
		async (_what, config, status) => {
			const mock = mockExecuteContext({
				items: emails(1),
				identities: '={{ $json.email }}',
				...(config as Partial<MockContextOptions>),
			});
			const bare = mock.context as unknown as Record<string, unknown>;
			delete bare.addExecutionHints;
			delete bare.getExecutionCancelSignal;
			delete bare.logger;
			const [output] = await node.execute.call(mock.context);
			expect(output).toHaveLength(1);
			expect(output[0].json.status).toBe(status);
			if (status === undefined) expect(output[0].json.error).toMatch(/^Nothing was demerged: /);
		},
	);

	test('a credential saved without Account ID or Passcode sends them empty, not "undefined"', async () => {
		const { run, requests } = start({
			items: emails(1),
			credentials: { region: 'in1' },
			continueOnFail: true,
			respond: () => ({ statusCode: 401 }),
		});
		await run();
		expect(requests[0].headers).toMatchObject({
			'X-CleverTap-Account-Id': '',
			'X-CleverTap-Passcode': '',
		});
	});
});
