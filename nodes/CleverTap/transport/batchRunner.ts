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
	attempts: number;
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
	const queue: Job[] = options.batches
		.filter((batch) => batch.length > 0)
		.map((identities) => ({ identities, attempts: 0 }));
	let limit = maxConcurrency;
	let inFlight = 0;
	let waiting = 0;
	let successStreak = 0;
	let stoppedBy: Failure | undefined;

	const fail = (job: Job, failure: Failure) => {
		for (const identity of job.identities) results.set(identity, { ok: false, failure });
	};

	const settle = async (job: Job): Promise<void> => {
		job.attempts++;
		stats.requests++;
		const outcome = await options.send(job.identities);
		if (outcome.ok) {
			for (const identity of job.identities) results.set(identity, { ok: true });
			successStreak++;
			// Probe back up slowly: another client may still hold the slots we gave up.
			if (limit < maxConcurrency && successStreak >= 2 * limit) {
				limit++;
				successStreak = 0;
			}
			return;
		}
		const failure: Failure = { ...outcome, attempts: job.attempts };
		if (outcome.decision === 'throttle') {
			stats.throttled++;
			successStreak = 0;
			limit = Math.max(1, limit - 1);
		}
		const transient = outcome.decision === 'throttle' || outcome.decision === 'retry';
		if (transient && job.attempts <= options.maxRetries && !stoppedBy) {
			stats.retries++;
			const delay = retryDelayMs(job.attempts, outcome.retryAfter, random, options.baseDelayMs);
			waiting++;
			inFlight--;
			// The slot is free while this request waits: another batch may use it if the lowered
			// limit allows.
			wake();
			try {
				await options.sleep(delay);
			} finally {
				waiting--;
				inFlight++;
			}
			// TypeScript cannot see that the run may have stopped during the wait.
			const stopped = stoppedBy as Failure | undefined;
			if (stopped) {
				fail(job, { ...stopped, notSent: true, attempts: job.attempts });
				return;
			}
			queue.unshift(job);
			return;
		}
		if (outcome.decision === 'split' && job.identities.length > 1) {
			stats.splits++;
			const middle = Math.ceil(job.identities.length / 2);
			queue.unshift(
				{ identities: job.identities.slice(0, middle), attempts: 0 },
				{ identities: job.identities.slice(middle), attempts: 0 },
			);
			return;
		}
		fail(job, failure);
		if (outcome.decision === 'stop' || options.stopOnFailure) stoppedBy ??= failure;
	};

	let wake: () => void = () => undefined;
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
				for (const job of queue.splice(0)) {
					fail(job, { ...stoppedBy, notSent: true, attempts: 0 });
				}
			}
			while (!stoppedBy && inFlight < limit && queue.length > 0) {
				const job = queue.shift() as Job;
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
			if (queue.length === 0 && inFlight === 0 && waiting === 0) resolve();
		};
		wake = pump;
		pump();
	});

	stats.finalConcurrency = limit;
	return { results, stats, stoppedBy };
}
