import { inspect } from 'node:util';

// n8n-core logs through the container's Logger (node contexts, the error reporter) and through
// n8n-workflow's LoggerProxy (WorkflowExecute). Both are pointed at a recorder below, before the
// first run creates the real (winston) logger; jest gives each test file its own module registry,
// so this touches no other suite.
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

import { FAULT_KINDS, startSimulator, type Simulator } from '../simulator';
import { FAULT_TIMEOUT_MS, UNREACHABLE_URL } from '../support/faultCases';
import {
	runDemergeWorkflow,
	type WorkflowRunOptions,
	type WorkflowRunResult,
} from '../support/workflowHarness';

jest.setTimeout(30_000);

const PASSCODE = 'secrets-suite-passcode-7Qx9';
const WRONG_PASSCODE = 'wrong-passcode-Zr4e';
let sim: Simulator;

const logLines: string[] = [];
const record =
	(level: string) =>
	(message: string, meta?: unknown): void => {
		// Everything a log transport could print, metadata to any depth included.
		logLines.push(`${level} ${message} ${inspect(meta, { depth: Infinity })}`);
	};
const recorder = {
	error: record('error'),
	warn: record('warn'),
	info: record('info'),
	debug: record('debug'),
	scoped: () => recorder,
};
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;

beforeAll(async () => {
	Container.set(Logger, recorder as unknown as Logger);
	LoggerProxy.init(recorder);
	sim = await startSimulator({ accounts: { 'SECRET-ACCOUNT': PASSCODE } });
});
beforeEach(() => {
	logLines.length = 0;
	for (const method of consoleMethods) jest.spyOn(console, method);
});
afterEach(() => {
	jest.restoreAllMocks();
	sim.reset();
});
afterAll(async () => await sim.close());

const items = [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'c@example.com' }];

async function run(options: Partial<WorkflowRunOptions> & { passcode?: string; baseUrl?: string }) {
	const { passcode, baseUrl, ...rest } = options;
	return await runDemergeWorkflow({
		items,
		identities: '={{ $json.email }}',
		credentials: {
			accountId: 'SECRET-ACCOUNT',
			passcode: passcode ?? PASSCODE,
			region: 'custom',
			baseUrl: baseUrl ?? sim.url,
		},
		...rest,
		// No retries: every failure is reported at once, and a hang costs one timeout.
		options: { batchSize: 2, maxRetries: 0, timeout: FAULT_TIMEOUT_MS, ...rest.options },
	});
}

/** Every place a secret could surface after a run: n8n's record of it, the error, logs, console. */
function expectNowhere(result: WorkflowRunResult, secrets: string[]) {
	const error = result.error as (Error & { description?: unknown; context?: unknown }) | undefined;
	const consoleOutput = consoleMethods.flatMap((method) =>
		(console[method] as jest.Mock).mock.calls.map((args) => inspect(args, { depth: Infinity })),
	);
	const places: Record<string, string> = {
		'the stored run': result.serialised,
		'the output items': JSON.stringify([...result.success, ...result.errors]),
		'the error message': String(error?.message),
		'the error description': String(error?.description),
		'the error context': JSON.stringify(error?.context ?? null),
		'the error stack': String(error?.stack),
		'the error object': inspect(error, { depth: Infinity, showHidden: true }),
		'the log': logLines.join('\n'),
		'the console': consoleOutput.join('\n'),
	};
	for (const secret of secrets) {
		const leaks = Object.entries(places)
			.filter(([, text]) => text.includes(secret))
			.map(([place]) => place);
		expect(leaks).toEqual([]);
	}
	// The log check is not empty: n8n did log this run.
	expect(logLines.length).toBeGreaterThan(0);
}

/**
 * The node reports a stop with its own fields only (n8n adds no request to the context); under
 * continue-on-fail it does not stop at all.
 */
function expectPlainContext(result: WorkflowRunResult, stopped: boolean) {
	if (!stopped) {
		expect(result.error).toBeUndefined();
		return;
	}
	const context = result.error?.context as Record<string, unknown>;
	const keys = Object.keys(context).filter((key) => context[key] !== undefined);
	expect(keys).toEqual(['itemIndex']);
}

const sentThePasscode = () =>
	sim.requests.some((request) => request.headers['x-clevertap-passcode'] === PASSCODE);

// Every fault the simulator can script.
const FAULTS = FAULT_KINDS;

describe('the passcode appears in no output, error, context or log line', () => {
	test.each(FAULTS)('fault %s, with and without continue-on-fail', async (kind) => {
		for (const onError of [undefined, 'continueRegularOutput'] as const) {
			sim.reset();
			logLines.length = 0;
			sim.addFault({ kind, times: Infinity });
			const result = await run({ onError });
			if (onError) {
				expect(result.success.every((item) => typeof item.json.error === 'string')).toBe(true);
			} else {
				expect(result.error?.message).toMatch(/ was not demerged: |^Nothing was demerged: /);
			}
			// The passcode was really sent, so its absence below means something.
			expect(sentThePasscode()).toBe(true);
			expectNowhere(result, [PASSCODE]);
			expectPlainContext(result, onError === undefined);
		}
	});

	test('a wrong passcode leaks neither the wrong nor the right one', async () => {
		for (const onError of [undefined, 'continueErrorOutput'] as const) {
			logLines.length = 0;
			const result = await run({ passcode: WRONG_PASSCODE, onError });
			expect(sim.requests.some((r) => r.headers['x-clevertap-passcode'] === WRONG_PASSCODE)).toBe(
				true,
			);
			expectNowhere(result, [WRONG_PASSCODE, PASSCODE]);
			expectPlainContext(result, onError === undefined);
		}
	});

	test('an identity CleverTap refuses (400, split down to it) leaks nothing', async () => {
		sim.setRejectIdentities(['b@example.com']);
		const result = await run({ onError: 'continueErrorOutput' });
		expect(result.errors).toHaveLength(1);
		expectNowhere(result, [PASSCODE]);
	});

	test('an unreachable host leaks nothing', async () => {
		for (const onError of [undefined, 'continueRegularOutput'] as const) {
			logLines.length = 0;
			const result = await run({ baseUrl: UNREACHABLE_URL, onError });
			expect(result.serialised).toContain('ECONNREFUSED');
			expectNowhere(result, [PASSCODE]);
			expectPlainContext(result, onError === undefined);
		}
	});

	test('a passcode typed into the custom base URL is not quoted back, however the URL is written', async () => {
		const port = sim.port;
		for (const baseUrl of [
			`http://user:${PASSCODE}@127.0.0.1:${port}`,
			`user:${PASSCODE}@127.0.0.1:${port}`,
			`http://user:${PASSCODE}@127.0.0 .1:${port}`,
			`http://${PASSCODE}@127.0.0.1:${port}/path`,
		]) {
			logLines.length = 0;
			const result = await run({ baseUrl, onError: 'continueRegularOutput' });
			expect(result.serialised).toContain("The CleverTap credential's Base URL");
			expectNowhere(result, [PASSCODE]);
		}
		expect(sim.requests).toHaveLength(0);
	});

	test('bad input, an unknown region, a dry run and a clean run leak nothing', async () => {
		const runs = [
			await run({ items: [{ email: '' }, { other: 1 }], onError: 'continueRegularOutput' }),
			await run({ items: [{ email: null }] }),
			await runDemergeWorkflow({
				items,
				identities: '={{ $json.email }}',
				credentials: { accountId: 'SECRET-ACCOUNT', passcode: PASSCODE, region: 'in' },
			}),
			await run({ options: { dryRun: true } }),
			await run({}),
		];
		expect(runs[4].success.every((item) => item.json.status === 'success')).toBe(true);
		for (const result of runs) expectNowhere(result, [PASSCODE]);
	});
});
