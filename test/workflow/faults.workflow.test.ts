import { startSimulator, type Simulator } from '../simulator';
import {
	afterAttempts,
	closedPort,
	expectRunInvariants,
	FAULT_TIMEOUT_MS,
	REJECTED_CREDENTIALS,
	RETRIED_FAULTS,
	UNREACHABLE_HINT,
	UNREACHABLE_HOST,
	UNREACHABLE_URL,
	unreachableSummary,
	persistentRetries,
} from '../support/faultCases';
import { runDemergeWorkflow, type WorkflowRunOptions } from '../support/workflowHarness';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Back-off is counted, not waited out: the order of events here does not depend on it.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const PASSCODE = 'faults-secret-passcode-5c1d';
const ACCOUNTS = { 'FAULT-ACCOUNT': PASSCODE };
const ITEMS = 5;
// 5 items in batches of 2: three requests, [user0, user1], [user2, user3], [user4].
const BATCH_SIZE = 2;
const BATCHES = 3;
let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ accounts: ACCOUNTS });
});
afterEach(() => sim.reset());
afterAll(async () => await sim.close());

const host = () => `127.0.0.1:${sim.port}`;
const email = (i: number) => `user${i}@example.com`;
const items = () => Array.from({ length: ITEMS }, (_, i) => ({ email: email(i) }));
const everyItemSucceeded = () =>
	Array.from({ length: ITEMS }, (_, i) => ({
		email: email(i),
		status: 'success',
		identities: [email(i)],
	}));

/** Runs the 5 items; counts the node's requests itself, so an unreachable host counts too. */
async function run(options: Partial<WorkflowRunOptions> & { baseUrl?: string } = {}) {
	let requests = 0;
	const { beforeRequest, baseUrl, ...rest } = options;
	const result = await runDemergeWorkflow({
		items: items(),
		identities: '={{ $json.email }}',
		credentials: {
			accountId: 'FAULT-ACCOUNT',
			passcode: PASSCODE,
			region: 'custom',
			baseUrl: baseUrl ?? sim.url,
		},
		...rest,
		options: { batchSize: BATCH_SIZE, timeout: FAULT_TIMEOUT_MS, ...rest.options },
		beforeRequest: async (n) => {
			requests = n;
			await beforeRequest?.(n);
		},
	});
	return { ...result, requests: () => requests };
}

/** From the second request on, every demerge request gets this fault. */
const persistentFromSecondRequest =
	(kind: Parameters<Simulator['addFault']>[0]['kind']) => (n: number) => {
		if (n === 2) sim.addFault({ kind, times: Infinity });
	};

describe('transient faults clear within the retry budget: every identity demerged once', () => {
	test.each(RETRIED_FAULTS.map((fault) => [fault.name, fault] as const))(
		'%s on the first request of every batch is retried and every item succeeds',
		async (_name, fault) => {
			// A storm: every batch is refused twice, and the node drops to one request at a time.
			const times = fault.kind === '429' ? 2 * BATCHES : BATCHES;
			const maxRetries = fault.kind === '429' ? 2 : 1;
			sim.addFault({ kind: fault.kind, times });

			const result = await run({ options: { maxRetries } });

			expect(result.success.map((item) => item.json)).toEqual(everyItemSucceeded());
			expect(sim.stats().faultsServed).toBe(times);
			expect(sim.stats().identitiesDemerged).toBe(ITEMS);
			expect(result.requests()).toBe(BATCHES + times);
			expectRunInvariants(result, sim, {
				items: ITEMS,
				maxRequests: BATCHES * (maxRetries + 1),
				passcode: PASSCODE,
				stopped: false,
			});
		},
	);

	test('a "partial" answer names nothing it took: the whole request is sent again', async () => {
		sim.addFault({ kind: '200-partial' });
		const result = await run({ options: { maxRetries: 1, concurrency: 1 } });
		expect(result.success.map((item) => item.json)).toEqual(everyItemSucceeded());
		// The first request was taken in part (user0), so user0 was demerged twice: harmless.
		expect(sim.requests[0].taken).toEqual([email(0)]);
		expect(sim.requests.map((request) => request.identities)).toEqual([
			[email(0), email(1)],
			[email(0), email(1)],
			[email(2), email(3)],
			[email(4)],
		]);
		expect(sim.demerged.get(email(0))).toBe(2);
		expect(sim.demerged.get(email(1))).toBe(1);
	});

	test('an unreachable host that comes up during the back-off is retried and every item succeeds', async () => {
		const port = await closedPort();
		let recovered: Simulator | undefined;
		try {
			const result = await run({
				baseUrl: `http://127.0.0.1:${port}`,
				options: { maxRetries: 1 },
				// Requests 1–3 are the first attempts and find nothing listening; the host is up
				// before the first retry is sent.
				beforeRequest: async (n) => {
					if (n === BATCHES + 1) recovered = await startSimulator({ port, accounts: ACCOUNTS });
				},
			});

			expect(result.success.map((item) => item.json)).toEqual(everyItemSucceeded());
			expect(result.requests()).toBe(2 * BATCHES);
			expect(recovered?.stats().demergeRequests).toBe(BATCHES);
			expectRunInvariants(result, recovered as Simulator, {
				items: ITEMS,
				maxRequests: BATCHES * 2,
				passcode: PASSCODE,
				stopped: false,
			});
		} finally {
			await recovered?.close();
		}
	});
});

describe('persistent faults: continue-on-fail reports every affected item, the rest succeed', () => {
	test.each(RETRIED_FAULTS.map((fault) => [fault.name, fault] as const))(
		'%s from the second request on fails items 3–5 with the exact message and hint, after their retries',
		async (_name, fault) => {
			const attempts = persistentRetries(fault) + 1;
			const result = await run({
				onError: 'continueRegularOutput',
				options: { maxRetries: persistentRetries(fault), concurrency: 1 },
				beforeRequest: persistentFromSecondRequest(fault.kind),
			});

			const failed = [2, 3, 4].map((i) => ({
				error: `Identity "${email(i)}" was not demerged: ${fault.summary(host())}${afterAttempts(attempts)}. ${fault.hint(attempts)}`,
			}));
			expect(result.success.map((item) => item.json)).toEqual([
				...everyItemSucceeded().slice(0, 2),
				...failed,
			]);
			// Both failing batches used their whole budget, nothing more.
			expect(result.requests()).toBe(1 + 2 * attempts);
			expect([...sim.demerged.keys()].slice(0, 2)).toEqual([email(0), email(1)]);
			expectRunInvariants(result, sim, {
				items: ITEMS,
				maxRequests: BATCHES * 2,
				passcode: PASSCODE,
				stopped: false,
			});
		},
	);

	test('an unreachable host fails every item with the exact message and hint, after 2 attempts each', async () => {
		const result = await run({
			baseUrl: UNREACHABLE_URL,
			onError: 'continueRegularOutput',
			options: { maxRetries: 1 },
		});

		expect(result.success.map((item) => item.json)).toEqual(
			Array.from({ length: ITEMS }, (_, i) => ({
				error: `Identity "${email(i)}" was not demerged: ${unreachableSummary(UNREACHABLE_HOST)} after 2 attempts. ${UNREACHABLE_HINT}`,
			})),
		);
		expect(result.requests()).toBe(BATCHES * 2);
		expect(result.serialised).not.toContain(PASSCODE);
	});
});

describe('persistent faults without continue-on-fail: the node stops and says how far it got', () => {
	test.each(RETRIED_FAULTS.map((fault) => [fault.name, fault] as const))(
		'%s from the second request on stops the run on item 3 with "2 of 5 identities were demerged"',
		async (_name, fault) => {
			const attempts = persistentRetries(fault) + 1;
			const result = await run({
				options: { maxRetries: persistentRetries(fault), concurrency: 1 },
				beforeRequest: persistentFromSecondRequest(fault.kind),
			});

			// Batch 2 (items 3 and 4) fails first and stops the run; batch 3 is never sent again.
			expect(result.error?.message).toBe(
				`Identity "${email(2)}" was not demerged: ${fault.summary(host())}${afterAttempts(attempts)}`,
			);
			expect(result.error?.description).toBe(
				`${fault.hint(attempts)} 2 of 5 identities were demerged before the node stopped.`,
			);
			expect(result.error).toMatchObject({ httpCode: fault.httpCode });
			expect(
				(result.error as unknown as { context: { itemIndex: number } }).context.itemIndex,
			).toBe(2);
			expectRunInvariants(result, sim, {
				items: ITEMS,
				maxRequests: BATCHES * 2,
				passcode: PASSCODE,
				stopped: true,
			});
		},
	);

	test('an unreachable host stops the run with "0 of 5 identities were demerged"', async () => {
		const result = await run({
			baseUrl: UNREACHABLE_URL,
			options: { maxRetries: 1, concurrency: 1 },
		});

		expect(result.error?.message).toBe(
			`Identity "${email(0)}" was not demerged: ${unreachableSummary(UNREACHABLE_HOST)} after 2 attempts`,
		);
		expect(result.error?.description).toBe(
			`${UNREACHABLE_HINT} 0 of 5 identities were demerged before the node stopped.`,
		);
		// Nothing answered, so the error claims no HTTP code (n8n's default would be "fail").
		expect(result.error).toMatchObject({ httpCode: null });
		expect(result.requests()).toBe(2);
		expect(result.serialised).not.toContain(PASSCODE);
	});
});

describe('a 401 in the middle of a run is never retried, transient or not', () => {
	const rejected = REJECTED_CREDENTIALS.summary('');
	const hint = REJECTED_CREDENTIALS.hint(1);

	test.each([
		['once', 1],
		['on every request', Infinity],
	])(
		'a 401 %s after a batch succeeded stops the run and reports the rest, instead of recovering',
		async (_name, times) => {
			const result = await run({
				onError: 'continueRegularOutput',
				options: { maxRetries: 2, concurrency: 1 },
				beforeRequest: (n) => {
					if (n === 2) sim.addFault({ kind: '401', times });
				},
			});

			expect(result.success.map((item) => item.json)).toEqual([
				...everyItemSucceeded().slice(0, 2),
				{ error: `Identity "${email(2)}" was not demerged: ${rejected}. ${hint}` },
				{ error: `Identity "${email(3)}" was not demerged: ${rejected}. ${hint}` },
				{
					error: `Identity "${email(4)}" was not demerged: it was not sent, because the node stopped after an earlier failure: ${rejected}. ${hint}`,
				},
			]);
			// No retry of the 401, and the third batch is never sent.
			expect(result.requests()).toBe(2);
			expectRunInvariants(result, sim, {
				items: ITEMS,
				maxRequests: 2,
				passcode: PASSCODE,
				stopped: false,
			});
		},
	);

	test('without continue-on-fail a 401 mid-run stops the node with the credential hint and the progress', async () => {
		const result = await run({
			options: { maxRetries: 2, concurrency: 1 },
			beforeRequest: (n) => {
				if (n === 2) sim.addFault({ kind: '401', times: 1 });
			},
		});

		expect(result.error?.message).toBe(`Identity "${email(2)}" was not demerged: ${rejected}`);
		expect(result.error?.description).toBe(
			`${hint} 2 of 5 identities were demerged before the node stopped.`,
		);
		expect(result.error).toMatchObject({ httpCode: '401' });
		expect(result.requests()).toBe(2);
		expectRunInvariants(result, sim, {
			items: ITEMS,
			maxRequests: 2,
			passcode: PASSCODE,
			stopped: true,
		});
	});

	test('a 401 on the first requests is one setup problem: every item goes to the error output with it', async () => {
		sim.addFault({ kind: '401', times: Infinity });
		const result = await run({ onError: 'continueErrorOutput' });
		const text = `Nothing was demerged: ${rejected}. ${hint}`;
		expect(result.error).toBeUndefined();
		// Nothing on the success output: nothing was demerged.
		expect(result.success).toEqual([]);
		expect(result.errors.map((item) => item.json)).toEqual(
			items().map((item) => ({ ...item, error: text })),
		);
		expect(result.run.data.resultData.runData.CleverTap[0].hints).toEqual([
			{ message: text, type: 'danger', location: 'outputPane' },
		]);
		expect(result.requests()).toBe(BATCHES);
	});
});

describe('setup problems: a 403, 404, 405 or redirect says what to check, and nothing follows a redirect', () => {
	const REGION_HINT = UNREACHABLE_HINT;
	const cases = [
		[
			'403',
			'CleverTap refused access with this passcode (HTTP 403: "Not allowed for this passcode")',
			REJECTED_CREDENTIALS.hint(1),
		],
		['404', 'CleverTap does not know this address (HTTP 404: "Not found")', REGION_HINT],
		[
			'405',
			'CleverTap does not allow this request at this address (HTTP 405: "Method not allowed")',
			REGION_HINT,
		],
	] as const;

	test.each(cases)(
		'a %s on the first requests stops the node with one message and its hint',
		async (kind, summary, hint) => {
			sim.addFault({ kind, times: Infinity });
			const result = await run();
			expect(result.error?.message).toBe(`Nothing was demerged: ${summary}`);
			expect(result.error?.description).toBe(hint);
			expect(result.error).toMatchObject({ httpCode: kind });
			expect(result.requests()).toBe(BATCHES);
		},
	);

	test.each(cases)(
		'a %s after a request went through is reported per item, with the hint',
		async (kind, summary, hint) => {
			const result = await run({
				onError: 'continueErrorOutput',
				options: { concurrency: 1 },
				beforeRequest: (n) => {
					if (n === 2) sim.addFault({ kind, times: Infinity });
				},
			});
			expect(result.success.map((item) => item.json.email)).toEqual([email(0), email(1)]);
			expect(result.errors.map((item) => item.json.error)).toEqual([
				`Identity "${email(2)}" was not demerged: ${summary}. ${hint}`,
				`Identity "${email(3)}" was not demerged: ${summary}. ${hint}`,
				`Identity "${email(4)}" was not demerged: it was not sent, because the node stopped after an earlier failure: ${summary}. ${hint}`,
			]);
			expect(result.requests()).toBe(2);
		},
	);

	test('a redirect is not followed: nothing reaches the other address, the passcode least of all', async () => {
		const elsewhere = await startSimulator({ accounts: ACCOUNTS });
		try {
			sim.addFault({ kind: 'redirect', location: elsewhere.url, times: Infinity });
			for (const onError of [undefined, 'continueErrorOutput'] as const) {
				sim.reset();
				sim.addFault({ kind: 'redirect', location: elsewhere.url, times: Infinity });
				const result = await run({ onError });
				const summary = `CleverTap sent the request on to another address (HTTP 302 to ${elsewhere.url}/1/demerge/profiles.json)`;
				if (onError) {
					expect(result.success).toEqual([]);
					expect(result.errors.map((item) => item.json.error)).toEqual(
						Array(ITEMS).fill(`Nothing was demerged: ${summary}. ${REGION_HINT}`),
					);
				} else {
					expect(result.error?.message).toBe(`Nothing was demerged: ${summary}`);
					expect(result.error?.description).toBe(REGION_HINT);
				}
				expect(sim.stats().byStatus).toEqual({ 302: BATCHES });
			}
			expect(elsewhere.requests).toEqual([]);
		} finally {
			await elsewhere.close();
		}
	});
});
