import { createServer } from 'node:net';

import { CREDENTIAL_REJECTED_HINT } from '../../credentials/CleverTapApi.credentials';
import type { FaultKind, Simulator } from '../simulator';
import type { WorkflowRunResult } from './workflowHarness';

/** The node's `timeout` option in fault runs: the smallest it accepts, so a hang costs 1 s. */
export const FAULT_TIMEOUT_MS = 1000;
/** The hint of a temporary failure after `attempts` requests. */
export const temporaryHint = (attempts: number) =>
	`This looks temporary. ${attempts > 1 ? `The node tried ${attempts} times, waiting longer each time.` : 'The node did not try again (Max Retries is 0).'} Run the workflow again later, or raise Max Retries under Options.`;

export const TIMEOUT_HINT =
	'CleverTap can take a second or more to answer. Run the workflow again later, or raise Timeout under Options.';

/** One fault the simulator can serve, and how the node must word it to the user. */
export interface FaultCase {
	/** As it reads in a test name. */
	name: string;
	kind: FaultKind;
	/** What failed, as the node words it; `host` is 127.0.0.1:<port>. */
	summary: (host: string) => string;
	/** The hint shown with it, after `attempts` requests. */
	hint: (attempts: number) => string;
	/** The error's httpCode: what CleverTap answered, or null when nothing answered. */
	httpCode: string | null;
}

/** The faults the node retries: transient ones clear within the budget, persistent ones do not. */
export const RETRIED_FAULTS: FaultCase[] = [
	{
		name: 'a 429 storm',
		kind: '429',
		summary: () =>
			'CleverTap is busy with other requests of this account (HTTP 429: "Too many concurrent requests")',
		hint: () =>
			'CleverTap lets 3 of these requests run at a time for each account, shared with every other system that uses the account. Run the workflow again later, or lower Concurrency under Options.',
		httpCode: '429',
	},
	{
		name: "a 500 with CleverTap's JSON envelope",
		kind: '500',
		summary: () => 'CleverTap had an internal error (HTTP 500: "Internal error")',
		hint: temporaryHint,
		httpCode: '500',
	},
	{
		name: 'a 502 with an HTML body',
		kind: '502',
		summary: () => 'CleverTap could not be reached through its gateway (HTTP 502)',
		hint: temporaryHint,
		httpCode: '502',
	},
	{
		name: 'a 503 with an HTML body',
		kind: '503-html',
		summary: () => 'CleverTap is unavailable for now (HTTP 503)',
		hint: temporaryHint,
		httpCode: '503',
	},
	{
		name: 'a 504 with an HTML body',
		kind: '504',
		summary: () => 'CleverTap did not answer its gateway in time (HTTP 504)',
		hint: temporaryHint,
		httpCode: '504',
	},
	{
		name: 'a connection reset before the answer',
		kind: 'reset',
		summary: (host) =>
			`The connection to CleverTap at ${host} broke off before the answer came (ECONNRESET)`,
		hint: temporaryHint,
		httpCode: null,
	},
	{
		name: 'a connection reset in the middle of the answer',
		kind: 'reset-mid-body',
		summary: (host) =>
			`The connection to CleverTap at ${host} broke off before the answer came (ECONNRESET)`,
		hint: temporaryHint,
		httpCode: null,
	},
	{
		name: 'a connection closed in the middle of the answer',
		kind: 'close-mid-body',
		summary: (host) =>
			`The connection to CleverTap at ${host} broke off in the middle of the answer`,
		hint: temporaryHint,
		httpCode: null,
	},
	{
		name: 'a hung request (ended by the timeout)',
		kind: 'hang',
		summary: (host) => `CleverTap at ${host} did not answer within 1 second`,
		hint: () => TIMEOUT_HINT,
		httpCode: null,
	},
	{
		name: 'a 200 whose body says "fail"',
		kind: '200-fail',
		summary: () =>
			'CleverTap answered but reported "fail" (HTTP 200, code 500: "Something went wrong")',
		hint: temporaryHint,
		httpCode: '200',
	},
	{
		name: 'a 200 whose body says "partial"',
		kind: '200-partial',
		summary: () =>
			'CleverTap answered but took only part of the request (HTTP 200: "Some identities were not processed")',
		hint: temporaryHint,
		httpCode: '200',
	},
	{
		name: 'a 200 whose body is not JSON',
		kind: '200-not-json',
		summary: () => "CleverTap's answer could not be read (HTTP 200, not JSON)",
		hint: temporaryHint,
		httpCode: '200',
	},
];

/**
 * Max Retries in the runs where a fault persists: a 429 storm is waited out for 10 s per retry
 * allowed (tested in the runner's unit tests), so those runs allow none.
 */
export const persistentRetries = (fault: FaultCase) => (fault.kind === '429' ? 0 : 1);

/** How a message ends after `attempts` requests. */
export const afterAttempts = (attempts: number) =>
	attempts > 1 ? ` after ${attempts} attempts` : '';

export const REJECTED_CREDENTIALS: FaultCase = {
	name: 'a 401',
	kind: '401',
	summary: () =>
		'CleverTap did not accept the Account ID and Passcode (HTTP 401: "Account ID is not valid")',
	hint: () => CREDENTIAL_REJECTED_HINT,
	httpCode: '401',
};

export const unreachableSummary = (host: string) =>
	`Nothing at ${host} accepted the connection (ECONNREFUSED)`;
export const UNREACHABLE_HINT =
	'Check the Region (or the Custom URL) in the CleverTap credential, and that n8n can reach the internet.';

/**
 * An address where nothing listens, ever: port 1 (tcpmux) is reserved and no test or service here
 * binds it, so a connection there is always refused. (A port that was free a moment ago may be
 * handed to the next server that asks for any free port.)
 */
export const UNREACHABLE_URL = 'http://127.0.0.1:1';
export const UNREACHABLE_HOST = '127.0.0.1:1';

/** A 127.0.0.1 port nothing listens on now, to start a server on later: opened, then closed. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/**
 * What must hold after any run, whatever failed: one result per input item, in order and paired
 * to it; nothing demerged twice and nothing sent again after CleverTap accepted it (except what a
 * "partial" answer took without saying which: that request is sent again whole); requests within
 * the retry budget; and the passcode nowhere in what n8n keeps of the run.
 */
export function expectRunInvariants(
	result: WorkflowRunResult,
	sim: Simulator,
	expected: { items: number; maxRequests: number; passcode: string; stopped: boolean },
) {
	if (expected.stopped) {
		expect(result.success).toEqual([]);
	} else {
		expect(result.error).toBeUndefined();
		expect(result.success).toHaveLength(expected.items);
		expect(result.success.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
			Array.from({ length: expected.items }, (_, i) => i),
		);
		// Exactly one of the two shapes per item: a result (with the input's fields), or an error.
		for (const item of result.success) {
			if (item.json.status === 'success') {
				expect(item.json).toEqual(expect.objectContaining({ identities: expect.any(Array) }));
			} else {
				expect(Object.keys(item.json)).toEqual(['error']);
			}
		}
	}
	const demergeRequests = sim.requests.filter((request) => request.api === 'demerge');
	const takenByPartial = new Set(demergeRequests.flatMap((request) => request.taken ?? []));
	const twice = [...sim.demerged.entries()].filter(
		([identity, count]) => count > 1 && !takenByPartial.has(identity),
	);
	expect(twice).toEqual([]);
	demergeRequests.forEach((request, index) => {
		if (request.status !== 200 || request.fault !== undefined) return;
		const accepted = new Set(request.identities as string[]);
		const resent = demergeRequests
			.slice(index + 1)
			.flatMap((later) => (later.identities as string[]).filter((id) => accepted.has(id)));
		expect(resent).toEqual([]);
	});
	expect(demergeRequests.length).toBeLessThanOrEqual(expected.maxRequests);
	expect(result.serialised).not.toContain(expected.passcode);
}
