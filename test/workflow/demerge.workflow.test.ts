import { startSimulator, type Simulator } from '../simulator';
import { runDemergeWorkflow, type WorkflowRunOptions } from '../support/workflowHarness';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Back-off is counted, not waited out: waiting is not what these tests are about.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const PASSCODE = 'wf-secret-passcode-9f8e7d';
let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ accounts: { 'WF-ACCOUNT': PASSCODE } });
});
afterEach(() => sim.reset());
afterAll(async () => await sim.close());

const credentials = () => ({
	accountId: 'WF-ACCOUNT',
	passcode: PASSCODE,
	region: 'custom',
	baseUrl: sim.url,
});
const emails = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ email: `user${i}@example.com`, name: `User ${i}` }));
const run = (options: Partial<WorkflowRunOptions>) =>
	runDemergeWorkflow({
		items: [],
		identities: '={{ $json.email }}',
		credentials: credentials(),
		...options,
	});

describe('Items → CleverTap Demerge through n8n-core WorkflowExecute and the simulator', () => {
	test('250 items make 3 requests (100/100/50), one output per input, in order', async () => {
		sim.setLatency(50);
		const result = await run({ items: emails(250) });
		expect(result.error).toBeUndefined();
		const demergeRequests = sim.requests.filter((r) => r.api === 'demerge');
		expect(demergeRequests.map((r) => r.identities?.length)).toEqual([100, 100, 50]);
		expect(demergeRequests.every((r) => r.status === 200)).toBe(true);
		expect(demergeRequests[0].headers['x-clevertap-account-id']).toBe('WF-ACCOUNT');
		expect(demergeRequests[0].headers['content-type']).toBe('application/json; charset=utf-8');
		expect(result.success).toHaveLength(250);
		result.success.forEach((item, i) => {
			expect(item.json).toEqual({
				email: `user${i}@example.com`,
				name: `User ${i}`,
				status: 'success',
				identities: [`user${i}@example.com`],
			});
			expect(item.pairedItem).toMatchObject({ item: i });
		});
		expect(sim.stats().identitiesDemerged).toBe(250);
		expect(sim.stats().peakConcurrency).toBe(3);
		expect(result.serialised).not.toContain(PASSCODE);
	});

	test('1,000 items keep 3 requests in flight and never get a 429', async () => {
		sim.setLatency(30);
		const result = await run({ items: emails(1000) });
		expect(result.success).toHaveLength(1000);
		expect(sim.stats()).toMatchObject({
			demergeRequests: 10,
			peakConcurrency: 3,
			identitiesDemerged: 1000,
		});
		expect(sim.stats().byStatus[429] ?? 0).toBe(0);
	});

	test('scripted 429s and an HTML 503 are retried and every item succeeds', async () => {
		sim.addFault({ kind: '429', times: 2 }).addFault({ kind: '503-html' });
		const result = await run({ items: emails(250) });
		expect(result.error).toBeUndefined();
		expect(result.success.map((item) => item.json.status)).toEqual(Array(250).fill('success'));
		expect(sim.stats().demergeRequests).toBe(6);
		expect(sim.stats().identitiesDemerged).toBe(250);
		// No identity is demerged twice: nothing succeeded was sent again.
		expect(Math.max(...sim.demerged.values())).toBe(1);
		expect(result.serialised).not.toContain(PASSCODE);
	});

	test('duplicates across items are sent once and reported to each item', async () => {
		const items = [
			{ email: 'a@x.com' },
			{ email: ' a@x.com ' },
			{ email: 'b@x.com' },
			{ email: ['b@x.com', 'a@x.com'] },
		];
		const result = await run({ items });
		expect(sim.requests.map((r) => r.identities)).toEqual([['a@x.com', 'b@x.com']]);
		expect(result.success.map((item) => item.json.identities)).toEqual([
			['a@x.com'],
			['a@x.com'],
			['b@x.com'],
			['b@x.com', 'a@x.com'],
		]);
	});

	test('bad input under "Continue (using error output)" goes to the error output, the rest is demerged', async () => {
		const items = [
			{ email: 'ok1@x.com' },
			{ email: '' },
			{ name: 'no email' },
			{ email: null },
			{ email: 'ok2@x.com' },
		];
		const result = await run({ items, onError: 'continueErrorOutput' });
		expect(result.error).toBeUndefined();
		expect(result.success.map((item) => item.json)).toEqual([
			{ email: 'ok1@x.com', status: 'success', identities: ['ok1@x.com'] },
			{ email: 'ok2@x.com', status: 'success', identities: ['ok2@x.com'] },
		]);
		expect(result.errors.map((item) => item.json.error)).toEqual([
			'The identity is empty (field "email")',
			'The identity is missing (field "email")',
			'The identity is null (field "email")',
		]);
		// n8n merges the input item into the error item, so the user sees which contact failed.
		expect(result.errors[1].json.name).toBe('no email');
		expect(sim.requests.map((r) => r.identities)).toEqual([['ok1@x.com', 'ok2@x.com']]);
	});

	test('an identity CleverTap refuses fails only its own item', async () => {
		sim.setRejectIdentities(['user3@example.com']);
		const result = await run({ items: emails(8), onError: 'continueErrorOutput' });
		expect(result.success).toHaveLength(7);
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].json).toEqual({
			email: 'user3@example.com',
			name: 'User 3',
			error:
				'Identity "user3@example.com" was not demerged: CleverTap refused the request as invalid (HTTP 400: "Invalid identity: user3@example.com")',
		});
		expect(sim.stats().identitiesDemerged).toBe(7);
	});

	test('a wrong passcode fails the run with the account/passcode/region message and leaks nothing', async () => {
		const result = await runDemergeWorkflow({
			items: emails(5),
			identities: '={{ $json.email }}',
			credentials: { ...credentials(), passcode: 'wrong-passcode-77aa' },
		});
		expect(result.error?.message).toBe(
			'Nothing was demerged: CleverTap did not accept the Account ID and Passcode (HTTP 401: "Passcode is not valid")',
		);
		expect(result.error?.description).toBe(
			'Check the Account ID, the Passcode and the Region in the CleverTap credential: CleverTap answers a request sent to the wrong region as if the Account ID or Passcode were wrong.',
		);
		expect(sim.stats().demergeRequests).toBe(1);
		expect(result.serialised).not.toContain('wrong-passcode-77aa');
		expect(result.serialised).not.toContain(PASSCODE);
	});

	test('the plain-field fast path gives exactly what n8n evaluation gives', async () => {
		const items = [
			{ email: 'a@x.com' },
			{ email: '  padded@x.com  ' },
			{ email: 12345 },
			{ email: ['l1@x.com', 'l2@x.com'] },
			{ email: '' },
			{ other: 'missing' },
			{ email: null },
			{ email: { nested: 'object' } },
			{ email: true },
			{ email: 'ünï©ødé@x.com' },
		];
		const fast = await run({ items, onError: 'continueRegularOutput' });
		sim.reset();
		const evaluated = await run({
			items,
			identities: '={{ (() => $json.email)() }}',
			onError: 'continueRegularOutput',
		});
		const strip = (list: typeof fast.success) =>
			list.map((item) => ({
				...item.json,
				email: undefined,
				error:
					typeof item.json.error === 'string'
						? item.json.error.replace(' (field "email")', '')
						: undefined,
			}));
		expect(strip(fast.success)).toEqual(strip(evaluated.success));
		expect(fast.success.filter((item) => item.json.status === 'success')).toHaveLength(5);
		expect(fast.success).toHaveLength(items.length);
	});

	test('dry run calls nothing', async () => {
		const result = await run({ items: emails(150), options: { dryRun: true } });
		expect(sim.requests).toHaveLength(0);
		expect(result.success[149].json).toMatchObject({
			status: 'dryRun',
			requests: [2],
			requestCount: 2,
		});
		expect(result.run.data.resultData.runData.CleverTap[0].hints).toEqual([
			expect.objectContaining({
				message: expect.stringMatching(/^Dry Run is on: nothing was sent/),
			}),
		]);
	});
});
