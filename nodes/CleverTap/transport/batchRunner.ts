import { surelyNotTaken, type RequestFailure, type RequestOutcome } from './judge';
import { Pacer } from './pacer';
import { notReadyDelayMs, retryDelayMs } from '../helpers/retry';

/** What the answer said about one record of a request that CleverTap accepted as a whole. */
export type RecordOutcome = { ok: true; data?: unknown } | { ok: false; failure: RequestFailure };

/** One request's answer as the runner needs it. */
export type SendOutcome =
	| (Extract<RequestOutcome, { ok: true }> & {
			/** By position in the request, where the answer says more than "all taken". */
			records?: ReadonlyArray<RecordOutcome | undefined>;
	  })
	| RequestFailure;

export type Failure = RequestFailure & {
	/** Requests sent for these records. */
	attempts: number;
	/** Never sent: the run stopped first. */
	notSent?: boolean;
	/** Sent, failed for a reason worth another try, and not tried again because the run stopped. */
	cutShort?: boolean;
	/** For a record cut short: what its own request had failed with. */
	own?: RequestFailure;
};

export type RecordResult =
	| {
			ok: true;
			data?: unknown;
			/** Sent again after an answer was lost: CleverTap may have taken it twice. */
			resent?: boolean;
	  }
	| { ok: false; failure: Failure };

export interface RunStats {
	requests: number;
	retries: number;
	throttled: number;
	splits: number;
	peakConcurrency: number;
	/** Times the concurrency was raised again after a run of successes. */
	raises: number;
	/** Concurrency the run ended with, after any lowering on 429. */
	finalConcurrency: number;
	/** Requests sent before an answer freed their place, to reach CleverTap as a slot frees. */
	early: number;
}

export interface RunResult<R> {
	results: Map<R, RecordResult>;
	stats: RunStats;
	/** Set when the run stopped early: the failure that stopped it, and its request's records. */
	stoppedBy?: Failure & { records: readonly R[] };
}

/** Told before the runner waits to send a request again (for n8n's log). */
export interface RetryEvent {
	records: number;
	failure: RequestFailure;
	/** Requests sent so far for these records. */
	attempts: number;
	delayMs: number;
}

export interface RunOptions<R> {
	/** The requests to send, each a list of records (unique across the run: they key the results). */
	batches: ReadonlyArray<readonly R[]>;
	send: (records: readonly R[]) => Promise<SendOutcome>;
	/** Upper bound of parallel requests asked for by the user. */
	concurrency: number;
	/**
	 * Keep CleverTap's slots busy across the network: send a request while others are still on their
	 * way back, timed to reach CleverTap as a slot frees there (see `Pacer`). Only when the user left
	 * the concurrency at CleverTap's limit; a lower one stays a hard cap on requests open.
	 */
	pipeline?: boolean;
	/** CleverTap's limit for this API; `concurrency` is held below it. */
	maxConcurrency: number;
	/** Further attempts allowed for one request after its first. */
	maxRetries: number;
	/** Stop sending new requests after the first failure (the node will throw anyway). */
	stopOnFailure: boolean;
	sleep: (ms: number) => Promise<void>;
	/** The clock request times are measured with (milliseconds). */
	now?: () => number;
	random?: () => number;
	baseDelayMs?: number;
	/** Polled before each request: true stops the run (execution cancelled). */
	isCancelled?: () => boolean;
	onRetry?: (event: RetryEvent) => void;
}

interface Job<R> {
	records: readonly R[];
	/** Every request sent for these records. */
	attempts: number;
	/** Retries after failures other than 429, charged to `maxRetries`. */
	retriesUsed: number;
	/** 429s in a row, for the length of the next wait. */
	throttledInARow: number;
	/** Time waited after 429s since the run last moved on. */
	throttleWaitedMs: number;
	/** Answers that said "still being prepared", and the time waited after them. */
	notReadyWaits: number;
	notReadyWaitedMs: number;
	/** The run's success count when this request was first sent or last failed. */
	successMark: number;
	/** Its last failure, while it waits to be sent again. */
	lastFailure?: RequestFailure;
	/** Sent again after a failure that CleverTap may have taken (a lost answer). */
	resent?: boolean;
}

/** Longest wait after a 429 that is not a Retry-After: a slot frees up within a request or two. */
const MAX_THROTTLE_DELAY_MS = 2000;
/** What a request is taken to last before one has been answered (CleverTap's are often 0.2–1 s). */
const FIRST_REQUEST_GUESS_MS = 500;

/**
 * The wait after a 429 (all the account's slots in use): one to two times what a request of this
 * run takes, so a slot that frees is taken again soon, not seconds later; doubled after every
 * 4 in a row, as a client that holds the slots for long would otherwise be asked again and again.
 */
export function throttleDelayMs(typicalMs: number, inARow: number, random: () => number): number {
	const base = Math.min(1000, Math.max(50, typicalMs));
	const backOff = 2 ** Math.floor(Math.max(0, inARow - 1) / 4);
	return Math.round(Math.min(MAX_THROTTLE_DELAY_MS, base * (1 + random()) * backOff));
}

/**
 * How long a request waits for a free slot, in total, while its run gets nothing through: each
 * retry Max Retries allows buys 10 s of it, a minute at the default 5; Max Retries 0 waits not at
 * all. A slot another client holds frees within a request or two, so only a 429 storm lasts that.
 */
export function throttlePatienceMs(maxRetries: number): number {
	return maxRetries > 0 ? (maxRetries + 1) * 10_000 : 0;
}

function newJob<R>(records: readonly R[]): Job<R> {
	return {
		records,
		attempts: 0,
		retriesUsed: 0,
		throttledInARow: 0,
		throttleWaitedMs: 0,
		notReadyWaits: 0,
		notReadyWaitedMs: 0,
		successMark: 0,
	};
}

/**
 * Sends the requests with adaptive concurrency: up to `concurrency` in flight, one fewer after each
 * 429 (never below 1), one more after a run of successes (never above the limit). Transient
 * failures are retried with back-off; a request CleverTap rejects as invalid is split in halves
 * until the record it refuses stands alone, so the rest still go through. Never rejects.
 */
export async function runBatches<R>(options: RunOptions<R>): Promise<RunResult<R>> {
	const maxConcurrency = Math.max(
		1,
		Math.min(options.maxConcurrency, Math.floor(options.concurrency)),
	);
	const random = options.random ?? Math.random;
	const results = new Map<R, RecordResult>();
	const stats: RunStats = {
		requests: 0,
		retries: 0,
		throttled: 0,
		splits: 0,
		peakConcurrency: 0,
		raises: 0,
		finalConcurrency: maxConcurrency,
		early: 0,
	};
	// Requests coming back (after a wait, or the halves of a split) go first, in the order they came
	// back: taking the latest first would let one request meet every 429 of a storm on its own.
	const again: Array<Job<R>> = [];
	const queue: Array<Job<R>> = options.batches
		.filter((batch) => batch.length > 0)
		.map((records) => newJob(records));
	const now = options.now ?? (() => performance.now());
	const pacer =
		options.pipeline === true && Math.floor(options.concurrency) >= options.maxConcurrency
			? new Pacer(now)
			: undefined;
	let typicalRequestMs = FIRST_REQUEST_GUESS_MS;
	let answered = 0;
	let limit = maxConcurrency;
	let inFlight = 0;
	let successStreak = 0;
	let successes = 0;
	/** The failure that stopped the run, and the records of its request. */
	let stop: { failure: Failure; records: readonly R[] } | undefined;

	const fail = (records: readonly R[], failure: Failure) => {
		for (const record of records) results.set(record, { ok: false, failure });
	};
	/** Records the run stopped before they were (again) sent. */
	const interrupted = (job: Job<R>): Failure => {
		const cause = (stop as NonNullable<typeof stop>).failure;
		return job.attempts === 0
			? { ...cause, attempts: 0, notSent: true }
			: { ...cause, attempts: job.attempts, cutShort: true, own: job.lastFailure };
	};

	const settle = async (job: Job<R>, early: boolean, probe: boolean): Promise<void> => {
		job.attempts++;
		stats.requests++;
		if (job.attempts === 1) job.successMark = successes;
		const sentAt = now();
		pacer?.sending(job, early, probe);
		const outcome = await options.send(job.records);
		const ownTiming =
			pacer?.answered(
				job,
				outcome.ok ? 'ok' : outcome.decision === 'throttle' ? 'throttled' : 'other',
			) === true;
		if (outcome.ok) {
			// What a request takes, for the wait after a 429; a moving average, as CleverTap's
			// answer time moves with its load.
			const took = now() - sentAt;
			typicalRequestMs = answered === 0 ? took : 0.8 * typicalRequestMs + 0.2 * took;
			answered++;
			const refused: R[] = [];
			let firstRefusal: Failure | undefined;
			job.records.forEach((record, position) => {
				const said = outcome.records?.[position];
				if (said === undefined || said.ok) {
					results.set(
						record,
						job.resent
							? { ok: true, data: said?.data, resent: true }
							: { ok: true, data: said?.data },
					);
					return;
				}
				const failure: Failure = { ...said.failure, attempts: job.attempts };
				results.set(record, { ok: false, failure });
				refused.push(record);
				firstRefusal ??= failure;
			});
			// A record CleverTap refused is a failure like any other: without continue-on-fail the
			// node will stop, so nothing more is sent.
			if (firstRefusal && options.stopOnFailure && !stop) {
				stop = { failure: firstRefusal, records: refused };
			}
			successes++;
			successStreak++;
			// Probe back up slowly: another client may still hold the slots we gave up.
			if (limit < maxConcurrency && successStreak >= 2 * limit) {
				limit++;
				stats.raises++;
				successStreak = 0;
			}
			return;
		}
		const failure: Failure = { ...outcome, attempts: job.attempts };
		job.lastFailure = outcome;
		// A 429 means the account's slots are all in use, shared with every other client of the
		// account: someone is being served, so waiting for a turn is not a failure and does not use
		// up Max Retries. What ends it is patience: waiting without this run moving on at all.
		const throttled = outcome.decision === 'throttle';
		// A 429 met by the probe, or by a request sent early (see `Pacer`), is the node's own timing,
		// not the account busy: the request goes again when the pacer lets it, without backing off.
		if (throttled && ownTiming) {
			stats.throttled++;
			stats.retries++;
			again.push(job);
			return;
		}
		// An answer still being prepared is CleverTap at work, not a failure: the pauses grow, and
		// what ends them is the same patience as for 429s, not Max Retries.
		const notReady = outcome.decision === 'wait';
		if (notReady) {
			job.notReadyWaits++;
		} else if (throttled) {
			stats.throttled++;
			successStreak = 0;
			limit = Math.max(1, limit - 1);
			job.throttledInARow++;
			if (successes > job.successMark) job.throttleWaitedMs = 0;
		} else {
			job.throttledInARow = 0;
			job.retriesUsed++;
		}
		job.successMark = successes;
		const transient = throttled || notReady || outcome.decision === 'retry';
		if (transient && stop) {
			fail(job.records, interrupted(job));
			return;
		}
		const delay = notReady
			? notReadyDelayMs(job.notReadyWaits)
			: throttled
				? outcome.retryAfter === undefined
					? throttleDelayMs(typicalRequestMs, job.throttledInARow, random)
					: retryDelayMs(1, outcome.retryAfter, random, options.baseDelayMs)
				: retryDelayMs(job.retriesUsed, outcome.retryAfter, random, options.baseDelayMs);
		const patience = throttlePatienceMs(options.maxRetries);
		const allowed = notReady
			? job.notReadyWaitedMs + delay <= patience
			: throttled
				? patience > 0 && job.throttleWaitedMs + delay <= patience
				: transient && job.retriesUsed <= options.maxRetries;
		if (allowed) {
			stats.retries++;
			if (throttled) job.throttleWaitedMs += delay;
			if (notReady) job.notReadyWaitedMs += delay;
			options.onRetry?.({
				records: job.records.length,
				failure: outcome,
				attempts: job.attempts,
				delayMs: delay,
			});
			// The request keeps its slot while it waits: handing the slot to a fresh request would
			// send into a busy account again at once, one 429 after another.
			await options.sleep(delay);
			if (stop) {
				fail(job.records, interrupted(job));
				return;
			}
			if (outcome.decision === 'retry' && !surelyNotTaken(outcome)) job.resent = true;
			again.push(job);
			return;
		}
		if (outcome.decision === 'split' && job.records.length > 1) {
			stats.splits++;
			const middle = Math.ceil(job.records.length / 2);
			again.push(
				{ ...newJob(job.records.slice(0, middle)), resent: job.resent },
				{ ...newJob(job.records.slice(middle)), resent: job.resent },
			);
			return;
		}
		fail(job.records, failure);
		if ((outcome.decision === 'stop' || options.stopOnFailure) && !stop) {
			stop = { failure, records: job.records };
		}
	};

	await new Promise<void>((resolve) => {
		const pump = () => {
			if (!stop && options.isCancelled?.()) {
				stop = {
					failure: {
						ok: false,
						decision: 'stop',
						summary: 'The execution was cancelled',
						attempts: 0,
					},
					records: [],
				};
			}
			if (stop) {
				for (const job of [...again.splice(0), ...queue.splice(0)]) {
					fail(job.records, interrupted(job));
				}
			}
			while (!stop && again.length + queue.length > 0) {
				let probe = false;
				const early = inFlight >= limit;
				if (early) {
					const verdict = pacer?.mayGoEarly(limit, inFlight, again.length + queue.length);
					if (!verdict?.go) {
						if (verdict?.askAgainInMs !== undefined) wakeIn(verdict.askAgainInMs);
						break;
					}
					probe = verdict.probe;
				}
				const job = (again.shift() ?? queue.shift()) as Job<R>;
				inFlight++;
				stats.peakConcurrency = Math.max(stats.peakConcurrency, inFlight);
				settle(job, early, probe)
					.catch((error: unknown) => {
						// `send` never rejects; this only guards against a bug losing records.
						fail(job.records, {
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
			if (again.length === 0 && queue.length === 0 && inFlight === 0) {
				finished = true;
				resolve();
			}
		};
		let finished = false;
		let wakeAt = Infinity;
		/** Looks again when a slot at CleverTap is due to free, even if no answer comes first. */
		const wakeIn = (ms: number) => {
			const at = now() + ms;
			if (at >= wakeAt) return;
			wakeAt = at;
			void options.sleep(ms).then(() => {
				if (wakeAt === at) wakeAt = Infinity;
				if (!finished) pump();
			});
		};
		pump();
	});

	stats.finalConcurrency = limit;
	stats.early = pacer?.early ?? 0;
	return {
		results,
		stats,
		stoppedBy: stop ? { ...stop.failure, records: stop.records } : undefined,
	};
}
