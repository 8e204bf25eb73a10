import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import {
	mockExecuteContext,
	TEST_CREDENTIALS,
	type MockContextOptions,
} from '../../support/mockExecuteContext';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Back-off waits are asserted through their durations, not waited out.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const emails = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ email: `user${i}@example.com` }));
const success = { statusCode: 200, body: '{"status":"success"}' };

async function execute(config: MockContextOptions) {
	const mock = mockExecuteContext(config);
	const run = node.execute.call(mock.context);
	return { ...mock, run };
}

async function failure(run: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
	try {
		await run;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('expected the node to throw');
}

function expectNoSecret(value: unknown) {
	const error = value as NodeApiError;
	const text = [
		JSON.stringify(value),
		error?.message,
		error?.description,
		JSON.stringify(error?.context ?? {}),
		String(value),
	].join('\n');
	expect(text).not.toContain(TEST_CREDENTIALS.passcode);
}

describe('CleverTap → Profile → Demerge (mocked n8n context)', () => {
	test('250 items make 3 requests of 100/100/50 with the exact body and headers', async () => {
		const { run, requests, evaluated } = await execute({
			items: emails(250),
			identities: '={{ $json.email }}',
		});
		const [output] = await run;
		expect(requests.map((r) => (r.body as { identities: string[] }).identities.length)).toEqual([
			100, 100, 50,
		]);
		expect(requests[0].body).toEqual({ identities: emails(100).map((e) => e.email) });
		expect(requests[0].options).toMatchObject({
			method: 'POST',
			url: 'https://in1.api.clevertap.com/1/demerge/profiles.json',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 30000,
		});
		expect(typeof requests[0].options.body).toBe('string');
		expect(requests[0].headers).toEqual({
			Accept: 'application/json',
			'Content-Type': 'application/json; charset=utf-8',
			'X-CleverTap-Account-Id': 'TEST-ACCOUNT',
			'X-CleverTap-Passcode': TEST_CREDENTIALS.passcode,
		});
		expect(
			requests.every((r) => r.credentialType === 'cleverTapApi' && r.credentialsPassedIn),
		).toBe(true);
		expect(output).toHaveLength(250);
		expect(output[7]).toEqual({
			json: { status: 'success', identities: ['user7@example.com'] },
			pairedItem: { item: 7 },
		});
		expect(output.every((item, i) => (item.pairedItem as { item: number }).item === i)).toBe(true);
		// A plain field reference never goes through the expression engine.
		expect(evaluated).toEqual([]);
		expectNoSecret(output);
	});

	test('any other expression is evaluated by n8n, item by item', async () => {
		const { run, requests, evaluated } = await execute({
			items: [{ e: ' A@x.com ' }, { e: 'b@x.com' }],
			identities: '={{ $json.e.toLowerCase() }}',
			evaluate: (item) => String(item.e).toLowerCase(),
		});
		const [output] = await run;
		expect(evaluated).toEqual([0, 1]);
		expect(requests[0].body).toEqual({ identities: ['a@x.com', 'b@x.com'] });
		expect(output.map((o) => o.json.identities)).toEqual([['a@x.com'], ['b@x.com']]);
	});

	test('a list per item and numbers are sent as strings', async () => {
		const { run, requests } = await execute({
			items: [{ ids: ['a', 919876543210] }, { ids: 42 }],
			identities: '={{ $json.ids }}',
		});
		const [output] = await run;
		expect(requests[0].body).toEqual({ identities: ['a', '919876543210', '42'] });
		expect(output[0].json).toEqual({ status: 'success', identities: ['a', '919876543210'] });
	});

	test('duplicates are sent once and reported to every item that asked', async () => {
		const { run, requests } = await execute({
			items: [{ id: 'a' }, { id: ' a' }, { id: 'b' }, { id: 'a' }],
			identities: '={{ $json.id }}',
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(requests[0].body).toEqual({ identities: ['a', 'b'] });
		expect(output.map((o) => o.json)).toEqual([
			{ status: 'success', identities: ['a'] },
			{ status: 'success', identities: ['a'] },
			{ status: 'success', identities: ['b'] },
			{ status: 'success', identities: ['a'] },
		]);
	});

	test('no items, no requests', async () => {
		const { run, requests } = await execute({ items: [], identities: '={{ $json.email }}' });
		expect(await run).toEqual([[]]);
		expect(requests).toHaveLength(0);
	});

	test('bad input stops the node before anything is sent', async () => {
		const { run, requests } = await execute({
			items: [{ email: 'a@x.com' }, { email: '   ' }, { email: 'c@x.com' }],
			identities: '={{ $json.email }}',
		});
		const error = await failure(run);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Item 2: The identity is only whitespace (field "email")');
		expect(error.context.itemIndex).toBe(1);
		expect(requests).toHaveLength(0);
	});

	test('under continue-on-fail, bad items get an error item and the rest are demerged', async () => {
		const { run, requests } = await execute({
			items: [
				{ email: 'a@x.com' },
				{ other: 1 },
				{ email: { nested: true } },
				{ email: 'd@x.com' },
			],
			identities: '={{ $json.email }}',
			continueOnFail: true,
		});
		const [output] = await run;
		expect(requests[0].body).toEqual({ identities: ['a@x.com', 'd@x.com'] });
		expect(output[1]).toEqual({
			json: { error: 'Item 2: The identity is missing (field "email")' },
			pairedItem: { item: 1 },
		});
		expect(output[2].json.error).toBe(
			'Item 3: The identity is an object, not a string or number (field "email")',
		);
		// Exactly `{ error }`: the one shape every n8n version routes to the error output.
		expect(Object.keys(output[1].json)).toEqual(['error']);
		expect(output[3].json).toEqual({ status: 'success', identities: ['d@x.com'] });
	});

	test('401 throws a NodeApiError naming account, passcode and region, without the passcode', async () => {
		const { run, requests } = await execute({
			items: emails(250),
			identities: '={{ $json.email }}',
			options: { concurrency: 1 },
			respond: (_request, call) =>
				call === 1
					? success
					: {
							statusCode: 401,
							body: '{"status":"fail","error":"Account ID is not valid","code":401}',
						},
		});
		const error = await failure(run);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Item 101: identity "user100@example.com" not demerged: CleverTap rejected the credentials (HTTP 401: "Account ID is not valid" (code 401))',
		);
		expect(error.description).toContain('Check the Account ID, the Passcode and the Region');
		expect(error.description).toContain(
			'100 of 250 identities were demerged before the node stopped.',
		);
		expect((error as NodeApiError).httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(100);
		expect(requests).toHaveLength(2);
		expectNoSecret(error);
	});

	test('a 400 is narrowed to the refused identity; under continue-on-fail only its item fails', async () => {
		const items = [...emails(9), { email: 'bad@example.com' }];
		const { run, requests } = await execute({
			items,
			identities: '={{ $json.email }}',
			continueOnFail: true,
			respond: (request) =>
				(request.body as { identities: string[] }).identities.includes('bad@example.com')
					? { statusCode: 400, body: '{"status":"fail","error":"Invalid identity","code":400}' }
					: success,
		});
		const [output] = await run;
		expect(output.slice(0, 9).every((o) => o.json.status === 'success')).toBe(true);
		expect(output[9].json.error).toBe(
			'Item 10: identity "bad@example.com" not demerged: CleverTap rejected the request as invalid (HTTP 400: "Invalid identity" (code 400))',
		);
		const sentOk = requests
			.map((r) => (r.body as { identities: string[] }).identities)
			.filter((ids) => !ids.includes('bad@example.com'))
			.flat();
		expect(sentOk.sort()).toEqual(
			emails(9)
				.map((e) => e.email)
				.sort(),
		);
	});

	test("a 200 that says fail is a failure with CleverTap's own text, after the retries", async () => {
		const { run, requests } = await execute({
			items: emails(3),
			identities: '={{ $json.email }}',
			continueOnFail: true,
			options: { maxRetries: 2 },
			respond: () => ({
				statusCode: 200,
				body: '{"status":"fail","error":"Something went wrong","code":500}',
			}),
		});
		const [output] = await run;
		expect(requests).toHaveLength(3);
		expect(output[0].json).toEqual({
			error:
				'Item 1: identity "user0@example.com" not demerged: CleverTap answered HTTP 200 but reported "fail": "Something went wrong" (code 500) after 3 attempts',
		});
	});

	test('503 then success: retried, every item succeeds', async () => {
		const { run, requests } = await execute({
			items: emails(5),
			identities: '={{ $json.email }}',
			respond: (_r, call) =>
				call === 1 ? { statusCode: 503, body: '<html>Unavailable</html>' } : success,
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(output.every((o) => o.json.status === 'success')).toBe(true);
	});

	test('a connection error is retried; a persistent one fails with a clear message', async () => {
		const { run, requests } = await execute({
			items: emails(1),
			identities: '={{ $json.email }}',
			options: { maxRetries: 1 },
			respond: () => {
				throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
			},
		});
		const error = await failure(run);
		expect(requests).toHaveLength(2);
		expect(error.message).toBe(
			'Item 1: identity "user0@example.com" not demerged: Could not reach CleverTap at in1.api.clevertap.com (ECONNREFUSED) after 2 attempts',
		);
		expect(error.description).toContain('0 of 1 identities were demerged before the node stopped.');
	});

	test('options: batch size, timeout', async () => {
		const { run, requests } = await execute({
			items: emails(25),
			identities: '={{ $json.email }}',
			options: { batchSize: 10, timeout: 5000 },
		});
		await run;
		expect(requests.map((r) => (r.body as { identities: string[] }).identities.length)).toEqual([
			10, 10, 5,
		]);
		expect(requests[0].options.timeout).toBe(5000);
	});

	test('dry run sends nothing and shows the plan per item', async () => {
		const { run, requests } = await execute({
			items: [...emails(150), { email: '' }],
			identities: '={{ $json.email }}',
			options: { dryRun: true },
			continueOnFail: true,
		});
		const [output] = await run;
		expect(requests).toHaveLength(0);
		expect(output[120]).toEqual({
			json: {
				status: 'dryRun',
				identities: ['user120@example.com'],
				batches: [2],
				batchCount: 2,
				url: 'https://in1.api.clevertap.com/1/demerge/profiles.json',
			},
			pairedItem: { item: 120 },
		});
		expect(output[150].json.error).toBe('Item 151: The identity is empty (field "email")');
	});

	test('a custom base URL is used as given, without a trailing slash', async () => {
		const { run, requests } = await execute({
			items: emails(1),
			identities: '={{ $json.email }}',
			credentials: { ...TEST_CREDENTIALS, region: 'custom', baseUrl: 'http://127.0.0.1:9/' },
		});
		await run;
		expect(requests[0].options.url).toBe('http://127.0.0.1:9/1/demerge/profiles.json');
	});

	test('a region that no longer exists in an old credential is a clear error', async () => {
		const { run, requests } = await execute({
			items: emails(1),
			identities: '={{ $json.email }}',
			credentials: { ...TEST_CREDENTIALS, region: 'in' },
		});
		const error = await failure(run);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'The CleverTap credential\'s region "in" is not one this node knows',
		);
		expect(requests).toHaveLength(0);
	});
});
