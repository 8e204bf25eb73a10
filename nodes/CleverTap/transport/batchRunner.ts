import type { RequestOutcome } from './index';
import { retryDelayMs } from '../helpers/retry';

/** CleverTap allows this many demerge requests in flight per account (shared by all clients). */
export const MAX_CONCURRENT_DEMERGE_REQUESTS = 3;

export type Failure = Exclude<RequestOutcome, { ok: true }> & {
	/** Attempts made for the request that failed. */
	attempts: number;
	/** True when the identity was never sent because the run stopped first. */
	notSent?: boolean;
};

export type IdentityResult = { ok: true } | { ok: false; failure: Failure };

export interface RunStats {
	requests: number;
	retries: number;
	throttled: number;
	splits: number;
	peakConcurrency: number;
	/** Concurrency the run ended with, after any lowering on 429. */
	finalConcurrency: number;
}

export interface RunResult {
	results: Map<string, IdentityResult>;
	stats: RunStats;
	/** Set when the run stopped early: the failure that stopped it. */
	stoppedBy?: Failure;
}

export interface RunOptions {
	batches: string[][];
	send: (identities: string[]) => Promise<RequestOutcome>;
	/** Upper bound of parallel requests, at most MAX_CONCURRENT_DEMERGE_REQUESTS. */
	concurrency: number;
	/** Further attempts allowed for one request after its first. */
	maxRetries: number;
	/** Stop sending new batches after the first failure (the node will throw anyway). */
	stopOnFailure: boolean;
	sleep: (ms: number) => Promise<void>;
	random?: () => number;
	baseDelayMs?: number;
	/** Polled before each request: true stops the run (execution cancelled). */
	isCancelled?: () => boolean;
}

interface Job {
	identities: string[];
	/** Every request sent for this batch. */
	attempts: number;
	/** Retries charged to the budget (`maxRetries`). */
	retriesUsed: number;
	/** 429s in a row, for the length of the next wait. */
	throttledInARow: number;
	/** The run's success count when this batch was first sent or last failed. */
	successMark: number;
}

/** Longest wait after a 429 that is not a Retry-After: a slot frees up within a request or two. */
const MAX_THROTTLE_DELAY_MS = 2000;

function newJob(identities: string[]): Job {
	return { identities, attempts: 0, retriesUsed: 0, throttledInARow: 0, successMark: 0 };
}

/**
 * Sends the batches with adaptive concurrency: up to `concurrency` in flight, one fewer after each
 * 429 (never below 1), one more after a run of successes (never above the limit). Transient
 * failures are retried with back-off; a batch CleverTap rejects as invalid is split in halves until
 * the identity it refuses stands alone, so the rest are still demerged. Never rejects.
 */
export async function runBatches(options: RunOptions): Promise<RunResult> {
	const maxConcurrency = Math.max(
		1,
		Math.min(MAX_CONCURRENT_DEMERGE_REQUESTS, Math.floor(options.concurrency)),
	);
	const random = options.random ?? Math.random;
	const results = new Map<string, IdentityResult>();
	const stats: RunStats = {
		requests: 0,
		retries: 0,
		throttled: 0,
		splits: 0,
		peakConcurrency: 0,
		finalConcurrency: maxConcurrency,
	};
	// Batches coming back (after a wait, or the halves of a split) go first, in the order they came
	// back: taking the latest first would let one batch meet every 429 of a storm on its own.
	const again: Job[] = [];
	const queue: Job[] = options.batches
		.filter((batch) => batch.length > 0)
		.map((identities) => newJob(identities));
	let limit = maxConcurrency;
	let inFlight = 0;
	let successStreak = 0;
	let successes = 0;
	let stoppedBy: Failure | undefined;

	const fail = (job: Job, failure: Failure) => {
		for (const identity of job.identities) results.set(identity, { ok: false, failure });
	};

	const settle = async (job: Job): Promise<void> => {
		job.attempts++;
		stats.requests++;
		if (job.attempts === 1) job.successMark = successes;
		const outcome = await options.send(job.identities);
		if (outcome.ok) {
			for (const identity of job.identities) results.set(identity, { ok: true });
			successes++;
			successStreak++;
			// Probe back up slowly: another client may still hold the slots we gave up.
			if (limit < maxConcurrency && successStreak >= 2 * limit) {
				limit++;
				successStreak = 0;
			}
			return;
		}
		const failure: Failure = { ...outcome, attempts: job.attempts };
		// A 429 while this run's other batches get through means the account's 3 slots are shared
		// with other clients, not that CleverTap is failing: waiting for a turn is not charged to
		// the retry budget. A 429 with no progress since this batch last failed is charged, so a
		// 429 storm still ends within the budget.
		const throttled = outcome.decision === 'throttle';
		const sharedNotStuck = throttled && successes > job.successMark;
		job.successMark = successes;
		if (!sharedNotStuck) job.retriesUsed++;
		job.throttledInARow = throttled ? job.throttledInARow + 1 : 0;
		if (throttled) {
			stats.throttled++;
			successStreak = 0;
			limit = Math.max(1, limit - 1);
		}
		const transient = throttled || outcome.decision === 'retry';
		if (transient && job.retriesUsed <= options.maxRetries && !stoppedBy) {
			stats.retries++;
			const delay =
				throttled && outcome.retryAfter === undefined
					? Math.min(
							MAX_THROTTLE_DELAY_MS,
							retryDelayMs(job.throttledInARow, undefined, random, options.baseDelayMs),
						)
					: retryDelayMs(job.retriesUsed, outcome.retryAfter, random, options.baseDelayMs);
			// The batch keeps its slot while it waits: handing the slot to a fresh batch would send
			// into a busy account again at once, one 429 after another.
			await options.sleep(delay);
			// TypeScript cannot see that the run may have stopped during the wait.
			const stopped = stoppedBy as Failure | undefined;
			if (stopped) {
				fail(job, { ...stopped, notSent: true, attempts: job.attempts });
				return;
			}
			again.push(job);
			return;
		}
		if (outcome.decision === 'split' && job.identities.length > 1) {
			stats.splits++;
			const middle = Math.ceil(job.identities.length / 2);
			again.push(newJob(job.identities.slice(0, middle)), newJob(job.identities.slice(middle)));
			return;
		}
		fail(job, failure);
		if (outcome.decision === 'stop' || options.stopOnFailure) stoppedBy ??= failure;
	};

	await new Promise<void>((resolve) => {
		const pump = () => {
			if (!stoppedBy && options.isCancelled?.()) {
				stoppedBy = {
					ok: false,
					decision: 'stop',
					summary: 'The execution was cancelled',
					attempts: 0,
				};
			}
			if (stoppedBy) {
				for (const job of [...again.splice(0), ...queue.splice(0)]) {
					fail(job, { ...stoppedBy, notSent: true, attempts: 0 });
				}
			}
			while (!stoppedBy && inFlight < limit && again.length + queue.length > 0) {
				const job = (again.shift() ?? queue.shift()) as Job;
				inFlight++;
				stats.peakConcurrency = Math.max(stats.peakConcurrency, inFlight);
				settle(job)
					.catch((error: unknown) => {
						// `send` never rejects; this only guards against a bug losing identities.
						fail(job, {
							ok: false,
							decision: 'fail',
							summary: `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
							attempts: job.attempts,
						});
					})
					.finally(() => {
						inFlight--;
						pump();
					});
			}
			if (again.length === 0 && queue.length === 0 && inFlight === 0) resolve();
		};
		pump();
	});

	stats.finalConcurrency = limit;
	return { results, stats, stoppedBy };
}
