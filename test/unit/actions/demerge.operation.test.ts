import { inspect } from 'node:util';

import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import {
	mockExecuteContext,
	TEST_CREDENTIALS,
	type MockContextOptions,
} from '../../support/mockExecuteContext';
import { N8N_MAJORS, RECORDED_FAILURES, recordedN8nError } from '../../support/n8nErrors';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Back-off waits are asserted through their durations, not waited out.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const emails = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ id: `crm-${i}`, email: `user${i}@example.com` }));
const success = { statusCode: 200, body: '{"status":"success"}' };
const CREDENTIAL_HINT =
	'Check the Account ID, the Passcode and the Region in the CleverTap credential: CleverTap answers a request sent to the wrong region as if the Account ID or Passcode were wrong.';

async function execute(config: Omit<MockContextOptions, 'identities'> & { identities?: unknown }) {
	const mock = mockExecuteContext({ identities: '={{ $json.email }}', ...config });
	const run = node.execute.call(mock.context);
	return { ...mock, run };
}

async function failure(run: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
	let thrown: unknown;
	try {
		await run;
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(Error);
	return thrown as NodeApiError;
}

/** Everything of an error or output a user or a log could see, to any depth. */
function expectNoSecret(value: unknown) {
	const error = value as NodeApiError;
	const text = [
		JSON.stringify(value),
		error?.message,
		error?.description,
		JSON.stringify(error?.context ?? {}),
		String(value),
		inspect(value, { depth: Infinity, showHidden: true }),
	].join('\n');
	expect(text).not.toContain(TEST_CREDENTIALS.passcode);
}

describe('CleverTap → Profile → Demerge (mocked n8n context)', () => {
	test('250 items make 3 requests of 100/100/50, authenticated by the credential itself', async () => {
		const { run, requests, evaluated } = await execute({ items: emails(250) });
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
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: 30000,
		});
		expect(typeof requests[0].options.body).toBe('string');
		// The credential's own authenticate adds the two headers.
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
		// The input item's fields come along (Include Input Fields is on by default).
		expect(output[7]).toEqual({
			json: {
				id: 'crm-7',
				email: 'user7@example.com',
				status: 'success',
				identities: ['user7@example.com'],
			},
			pairedItem: { item: 7 },
		});
		expect(output.every((item, i) => (item.pairedItem as { item: number }).item === i)).toBe(true);
		// A plain field reference never goes through the expression engine.
		expect(evaluated).toEqual([]);
		expectNoSecret(output);
	});

	test('Include Input Fields off gives the result alone', async () => {
		const { run } = await execute({
			items: emails(2),
			options: { includeInputFields: false },
		});
		const [output] = await run;
		expect(output[1].json).toEqual({ status: 'success', identities: ['user1@example.com'] });
	});

	test('any other expression is evaluated by n8n, item by item', async () => {
		const { run, requests, evaluated } = await execute({
			items: [{ e: ' A@x.com ' }, { e: 'b@x.com' }],
			identities: '={{ $json.e.toLowerCase() }}',
			evaluate: (_name, item) => String(item.e).toLowerCase(),
			options: { includeInputFields: false },
		});
		const [output] = await run;
		expect(evaluated).toEqual([
			['identities', 0],
			['identities', 1],
		]);
		expect(requests[0].body).toEqual({ identities: ['a@x.com', 'b@x.com'] });
		expect(output.map((o) => o.json.identities)).toEqual([['a@x.com'], ['b@x.com']]);
	});

	test('a list per item and numbers are sent as strings', async () => {
		const { run, requests } = await execute({
			items: [{ ids: ['a', 919876543210] }, { ids: 42 }],
			identities: '={{ $json.ids }}',
			options: { includeInputFields: false },
		});
		const [output] = await run;
		expect(requests[0].body).toEqual({ identities: ['a', '919876543210', '42'] });
		expect(output[0].json).toEqual({ status: 'success', identities: ['a', '919876543210'] });
	});

	test('duplicates are sent once and reported to every item that asked', async () => {
		const { run, requests } = await execute({
			items: [{ id: 'a' }, { id: ' a' }, { id: 'b' }, { id: 'a' }],
			identities: '={{ $json.id }}',
			options: { includeInputFields: false },
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
		const { run, requests } = await execute({ items: [] });
		expect(await run).toEqual([[]]);
		expect(requests).toHaveLength(0);
	});

	test('bad input stops the node before anything is sent, with one item number', async () => {
		const { run, requests } = await execute({
			items: [{ email: 'a@x.com' }, { email: '   ' }, { email: 'c@x.com' }],
		});
		const error = await failure(run);
		expect(error).toBeInstanceOf(NodeOperationError);
		// n8n adds "[item 1]" itself: the message carries no item number of its own.
		expect(error.message).toBe('The identity is only whitespace (field "email")');
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
			continueOnFail: true,
		});
		const [output] = await run;
		expect(requests[0].body).toEqual({ identities: ['a@x.com', 'd@x.com'] });
		expect(output[1]).toEqual({
			json: { error: 'The identity is missing (field "email")' },
			pairedItem: { item: 1 },
		});
		expect(output[2].json.error).toBe(
			'The identity is an object, not a string or number (field "email")',
		);
		// Exactly `{ error }`: the one shape every n8n version routes to the error output.
		expect(Object.keys(output[1].json)).toEqual(['error']);
		expect(output[3].json).toEqual({
			email: 'd@x.com',
			status: 'success',
			identities: ['d@x.com'],
		});
	});

	test('a 401 after a request went through stops the node: the message names it, the description counts', async () => {
		const { run, requests } = await execute({
			items: emails(250),
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
			'Identity "user100@example.com" was not demerged: CleverTap did not accept the Account ID and Passcode (HTTP 401: "Account ID is not valid")',
		);
		expect(error.description).toBe(
			`${CREDENTIAL_HINT} 100 of 250 identities were demerged before the node stopped.`,
		);
		expect((error as NodeApiError).httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(100);
		expect(requests).toHaveLength(2);
		expectNoSecret(error);
	});

	test.each([
		[
			401,
			'CleverTap did not accept the Account ID and Passcode (HTTP 401: "Passcode is not valid")',
		],
		[403, 'CleverTap refused access with this passcode (HTTP 403: "Not allowed")'],
	])(
		'a %i before anything went through is one setup problem, said once in the editor and on every item',
		async (code, summary) => {
			const respond = () => ({
				statusCode: code,
				body: JSON.stringify({
					status: 'fail',
					error: code === 401 ? 'Passcode is not valid' : 'Not allowed',
					code,
				}),
			});
			const stopped = await execute({ items: emails(251), respond });
			const error = await failure(stopped.run);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(`Nothing was demerged: ${summary}`);
			expect(error.description).toBe(CREDENTIAL_HINT);
			// The first three requests went out at once; nothing after them.
			expect(stopped.requests).toHaveLength(3);

			// Under continue-on-fail nothing may look demerged: a node that throws there has n8n
			// pass its input on as if it had succeeded. Every item carries the one message instead.
			const continued = await execute({
				items: [...emails(250), { email: '' }],
				continueOnFail: true,
				respond,
			});
			const [output] = await continued.run;
			const text = `Nothing was demerged: ${summary}. ${CREDENTIAL_HINT}`;
			expect(output.slice(0, 250).every((item) => item.json.error === text)).toBe(true);
			expect(output[250].json).toEqual({ error: 'The identity is empty (field "email")' });
			expect(continued.hints).toEqual([{ message: text, type: 'danger', location: 'outputPane' }]);
			expect(continued.requests).toHaveLength(3);
		},
	);

	test('a 401 after some went through, under continue-on-fail: every other item says why, with the hint', async () => {
		const { run } = await execute({
			items: emails(5),
			continueOnFail: true,
			options: { concurrency: 1, batchSize: 2, includeInputFields: false },
			respond: (_request, call) =>
				call === 1
					? success
					: {
							statusCode: 401,
							body: '{"status":"fail","error":"Passcode is not valid","code":401}',
						},
		});
		const [output] = await run;
		const rejected =
			'CleverTap did not accept the Account ID and Passcode (HTTP 401: "Passcode is not valid")';
		expect(output.map((item) => item.json)).toEqual([
			{ status: 'success', identities: ['user0@example.com'] },
			{ status: 'success', identities: ['user1@example.com'] },
			{ error: `Identity "user2@example.com" was not demerged: ${rejected}. ${CREDENTIAL_HINT}` },
			{ error: `Identity "user3@example.com" was not demerged: ${rejected}. ${CREDENTIAL_HINT}` },
			{
				error: `Identity "user4@example.com" was not demerged: it was not sent, because the node stopped after an earlier failure: ${rejected}. ${CREDENTIAL_HINT}`,
			},
		]);
	});

	/**
	 * Item 1 is demerged; item 2's request meets a 503 and waits to be sent again; while it waits,
	 * item 3's request meets a 401, which stops the run; item 4 is never sent.
	 */
	async function stopWhileWaiting(continueOnFail: boolean) {
		let releaseWait: () => void = () => undefined;
		let waiting: () => void = () => undefined;
		const isWaiting = new Promise<void>((resolve) => (waiting = resolve));
		jest.mocked(sleep).mockImplementationOnce(async () => {
			waiting();
			await new Promise<void>((resolve) => (releaseWait = resolve));
		});
		return await execute({
			items: emails(4),
			continueOnFail,
			options: { batchSize: 1, concurrency: 2, includeInputFields: false },
			respond: async (_request, call) => {
				if (call === 1) return success;
				if (call === 2) return { statusCode: 503, body: '<html>Unavailable</html>' };
				await isWaiting;
				// The 401 is judged before anything scheduled now: request 2 is still waiting.
				setImmediate(() => releaseWait());
				return {
					statusCode: 401,
					body: '{"status":"fail","error":"Passcode is not valid","code":401}',
				};
			},
		});
	}
	const rejected401 =
		'CleverTap did not accept the Account ID and Passcode (HTTP 401: "Passcode is not valid")';

	test('the failure that stopped the run is named; a request it cut short says so', async () => {
		const { run, requests } = await stopWhileWaiting(true);
		const [output] = await run;
		expect(requests).toHaveLength(3);
		expect(output.map((item) => item.json.error)).toEqual([
			undefined,
			`Identity "user1@example.com" was not demerged: its request failed (CleverTap is unavailable for now (HTTP 503)) and was not tried again, because the node stopped after an earlier failure: ${rejected401}. ${CREDENTIAL_HINT}`,
			`Identity "user2@example.com" was not demerged: ${rejected401}. ${CREDENTIAL_HINT}`,
			`Identity "user3@example.com" was not demerged: it was not sent, because the node stopped after an earlier failure: ${rejected401}. ${CREDENTIAL_HINT}`,
		]);
	});

	test('without continue-on-fail the stop names the 401 and its item, not the request it cut short', async () => {
		const { run } = await stopWhileWaiting(false);
		const error = await failure(run);
		expect(error.message).toBe(`Identity "user2@example.com" was not demerged: ${rejected401}`);
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toBe(
			`${CREDENTIAL_HINT} 1 of 4 identities were demerged before the node stopped.`,
		);
	});

	test('a 400 is narrowed to the refused identity; under continue-on-fail only its item fails', async () => {
		const items = [...emails(9), { email: 'bad@example.com' }];
		const { run, requests } = await execute({
			items,
			continueOnFail: true,
			respond: (request) =>
				(request.body as { identities: string[] }).identities.includes('bad@example.com')
					? { statusCode: 400, body: '{"status":"fail","error":"Invalid identity","code":400}' }
					: success,
		});
		const [output] = await run;
		expect(output.slice(0, 9).every((o) => o.json.status === 'success')).toBe(true);
		expect(output[9].json).toEqual({
			error:
				'Identity "bad@example.com" was not demerged: CleverTap refused the request as invalid (HTTP 400: "Invalid identity")',
		});
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

	test('an item with several identities names how many failed', async () => {
		const { run } = await execute({
			items: [{ ids: ['a', 'bad1', 'bad2', 'b'] }],
			identities: '={{ $json.ids }}',
			continueOnFail: true,
			respond: (request) =>
				(request.body as { identities: string[] }).identities.some((id) => id.startsWith('bad'))
					? { statusCode: 400, body: '{"status":"fail","error":"Invalid identity","code":400}' }
					: success,
		});
		const [output] = await run;
		expect(output[0].json.error).toBe(
			'2 of the item\'s 4 identities (identity "bad1", identity "bad2") were not demerged: CleverTap refused the request as invalid (HTTP 400: "Invalid identity")',
		);
	});

	test("a 200 that says fail is a failure with CleverTap's own text, after the retries", async () => {
		const { run, requests } = await execute({
			items: emails(3),
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
				'Identity "user0@example.com" was not demerged: CleverTap answered but reported "fail" (HTTP 200, code 500: "Something went wrong") after 3 attempts. This looks temporary. The node tried 3 times, waiting longer each time. Run the workflow again later, or raise Max Retries under Options.',
		});
	});

	test('503 then success: retried, logged for n8n, every item succeeds', async () => {
		const { run, requests, logs } = await execute({
			items: emails(5),
			respond: (_r, call) =>
				call === 1 ? { statusCode: 503, body: '<html>Unavailable</html>' } : success,
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(output.every((o) => o.json.status === 'success')).toBe(true);
		expect(logs).toEqual([
			expect.stringMatching(
				/^debug CleverTap: a request of 5 identities failed \(CleverTap is unavailable for now \(HTTP 503\)\); trying again in \d+ ms \(attempt 2\)$/,
			),
		]);
	});

	describe.each(N8N_MAJORS)('failures in the shapes %s throws', (major) => {
		test.each(RECORDED_FAILURES)(
			'%s is retried, and the error n8n threw (request and passcode inside) never surfaces',
			async (kind) => {
				const { run, requests } = await execute({
					items: emails(3),
					options: { maxRetries: 1, timeout: 1000 },
					respond: (request) => {
						throw recordedN8nError(major, kind, request.options);
					},
				});
				const error = await failure(run);
				// Retried once: every recorded failure is one worth another try.
				expect(requests).toHaveLength(2);
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message).toMatch(/^Identity "user0@example.com" was not demerged: /);
				expect(error.message).toMatch(/ after 2 attempts$/);
				expect(error.description).toMatch(
					/0 of 3 identities were demerged before the node stopped\.$/,
				);
				// n8n 2.x's error carries the request, passcode included (1.x's keeps none of it); the
				// node's error carries neither.
				const thrown = inspect(recordedN8nError(major, kind, requests[0].options), { depth: 9 });
				expect(thrown.includes(TEST_CREDENTIALS.passcode)).toBe(major === 'n8n-2');
				expectNoSecret(error);
			},
		);
	});

	test('options: batch size, timeout', async () => {
		const { run, requests } = await execute({
			items: emails(25),
			options: { batchSize: 10, timeout: 5000 },
		});
		await run;
		expect(requests.map((r) => (r.body as { identities: string[] }).identities.length)).toEqual([
			10, 10, 5,
		]);
		expect(requests[0].options.timeout).toBe(5000);
	});

	test('dry run sends nothing, says so per item and as a hint, and shows the plan', async () => {
		const { run, requests, hints } = await execute({
			items: [...emails(150), { email: '' }],
			options: { dryRun: true },
			continueOnFail: true,
		});
		const [output] = await run;
		expect(requests).toHaveLength(0);
		expect(output[120]).toEqual({
			json: {
				id: 'crm-120',
				email: 'user120@example.com',
				status: 'dryRun',
				message:
					'Nothing was sent (Dry Run is on). Without Dry Run, request 2 of 2 would send this to CleverTap.',
				identities: ['user120@example.com'],
				requests: [2],
				requestCount: 2,
				url: 'https://in1.api.clevertap.com/1/demerge/profiles.json',
			},
			pairedItem: { item: 120 },
		});
		expect(output[150].json).toEqual({ error: 'The identity is empty (field "email")' });
		expect(hints).toEqual([
			{
				message:
					'Dry Run is on: nothing was sent to CleverTap. It would take 2 requests. Turn off Dry Run under Options to send them.',
				type: 'warning',
				location: 'outputPane',
			},
		]);
	});

	test('a cancelled execution sends nothing more', async () => {
		const controller = new AbortController();
		const { run, requests } = await execute({
			items: emails(300),
			continueOnFail: true,
			options: { concurrency: 1, includeInputFields: false },
			cancelSignal: controller.signal,
			respond: () => {
				controller.abort();
				return success;
			},
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(output[0].json).toEqual({ status: 'success', identities: ['user0@example.com'] });
		expect(output[299].json.error).toBe(
			'Identity "user299@example.com" was not demerged: it was not sent, because the node stopped after an earlier failure: The execution was cancelled',
		);
	});

	test('a custom base URL is used as given, without a trailing slash', async () => {
		const { run, requests } = await execute({
			items: emails(1),
			credentials: { ...TEST_CREDENTIALS, region: 'custom', baseUrl: 'http://127.0.0.1:9/' },
		});
		await run;
		expect(requests[0].options.url).toBe('http://127.0.0.1:9/1/demerge/profiles.json');
	});

	test('a region that no longer exists in an old credential is a clear error', async () => {
		const { run, requests } = await execute({
			items: emails(1),
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
