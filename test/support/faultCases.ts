import { createServer } from 'node:net';

import { CREDENTIAL_REJECTED_HINT } from '../../credentials/CleverTapApi.credentials';
import type { FaultKind, Simulator } from '../simulator';
import type { WorkflowRunResult } from './workflowHarness';

/** The node's `timeout` option in fault runs: the smallest it accepts, so a hang costs 1 s. */
export const FAULT_TIMEOUT_MS = 1000;

const TEMPORARY_HINT =
	'This looks temporary: the node retried with growing pauses. Run the workflow again later, or raise the Max Retries option.';

/** One fault the simulator can serve, and how the node must word it to the user. */
export interface FaultCase {
	/** As it reads in a test name. */
	name: string;
	kind: FaultKind;
	/** What failed, as the node words it; `host` is 127.0.0.1:<port>. */
	summary: (host: string) => string;
	/** The `details` / description hint shown with it. */
	hint: string;
	/** The error's httpCode: what CleverTap answered, or null when nothing answered. */
	httpCode: string | null;
}

/** The faults the node retries: transient ones clear within the budget, persistent ones do not. */
export const RETRIED_FAULTS: FaultCase[] = [
	{
		name: 'a 429 storm',
		kind: '429',
		summary: () =>
			'CleverTap is at its limit of concurrent requests for this account (HTTP 429: "Too many concurrent requests" (code 429))',
		hint: 'CleverTap allows 3 demerge requests at a time per account, shared with every other client of the account. Run the workflow again later, or lower the Concurrency option.',
		httpCode: '429',
	},
	{
		name: 'a 503 with an HTML body',
		kind: '503-html',
		summary: () => 'CleverTap is unavailable (HTTP 503)',
		hint: TEMPORARY_HINT,
		httpCode: '503',
	},
	{
		name: "a 500 with CleverTap's JSON envelope",
		kind: '500',
		summary: () => 'CleverTap had an internal error (HTTP 500: "Internal error" (code 500))',
		hint: TEMPORARY_HINT,
		httpCode: '500',
	},
	{
		name: 'a connection reset',
		kind: 'reset',
		summary: (host) => `Could not reach CleverTap at ${host} (ECONNRESET)`,
		hint: TEMPORARY_HINT,
		httpCode: null,
	},
	{
		name: 'a hung request (ended by the timeout)',
		kind: 'hang',
		summary: (host) => `CleverTap at ${host} did not answer within ${FAULT_TIMEOUT_MS} ms`,
		hint: 'CleverTap can take a second or more per request. Run the workflow again later, or raise the Timeout option.',
		httpCode: null,
	},
	{
		name: 'a 200 whose body says "fail"',
		kind: '200-fail',
		summary: () =>
			'CleverTap answered HTTP 200 but reported "fail": "Something went wrong" (code 500)',
		hint: TEMPORARY_HINT,
		httpCode: '200',
	},
	{
		name: 'a 200 whose body is not JSON',
		kind: '200-not-json',
		summary: () => 'CleverTap answered HTTP 200 with a body that is not JSON',
		hint: TEMPORARY_HINT,
		httpCode: '200',
	},
];

export const REJECTED_CREDENTIALS: FaultCase = {
	name: 'a 401',
	kind: '401',
	summary: () =>
		'CleverTap rejected the credentials (HTTP 401: "Account ID is not valid" (code 401))',
	hint: CREDENTIAL_REJECTED_HINT,
	httpCode: '401',
};

export const unreachableSummary = (host: string) =>
	`Could not reach CleverTap at ${host} (ECONNREFUSED)`;
export const UNREACHABLE_HINT =
	'Check the Region (or the custom Base URL) in the CleverTap credential, and that n8n can reach the internet.';

/** A 127.0.0.1 port nothing listens on: opened by us, then closed again. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/**
 * What must hold after any run, whatever failed: one result per input item, in order and paired
 * to it; nothing demerged twice; nothing sent again after CleverTap accepted it; requests within
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
		// Exactly one of the two shapes per item: a result, or an error.
		for (const item of result.success) {
			expect(Object.keys(item.json).sort()).toEqual(
				item.json.status === 'success' ? ['identities', 'status'] : ['error'],
			);
		}
	}
	expect([...sim.demerged.values()].every((count) => count === 1)).toBe(true);
	const demergeRequests = sim.requests.filter((request) => request.api === 'demerge');
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
