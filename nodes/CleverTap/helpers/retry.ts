/** What the transport does with one answer (or failure) from CleverTap. */
export type RetryDecision =
	/** Transient: wait and send the same request again, within the retry budget. */
	| 'retry'
	/** CleverTap's concurrency limit: wait, send again, and lower the number of parallel requests. */
	| 'throttle'
	/** CleverTap is still preparing the answer (a page of a cursor): read it again after a pause. */
	| 'wait'
	/** CleverTap rejected the batch's input: split it to find the identity it refuses. */
	| 'split'
	/** Permanent for this run (credentials, region, permissions, endpoint): stop sending. */
	| 'stop'
	/** Permanent for this batch only. */
	| 'fail';

/** Connection-level failures worth another try: the request may never have reached CleverTap. */
const TRANSIENT_ERROR_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	// An answer that broke off: CleverTap may have taken the request. Sending it again changes
	// nothing more for a demerge, a delete or a profile update; an event may be recorded twice
	// (docs/reliability.md).
	'ERR_BAD_RESPONSE',
]);

/** Decides from an HTTP status what to do (a 2xx body that says "fail" or "partial" is judged in judge.ts). */
export function decideForStatus(status: number): RetryDecision {
	if (status === 429) return 'throttle';
	// 500 included: CleverTap documents it as an internal error, which clears on a later attempt.
	if (status === 500 || status === 502 || status === 503 || status === 504) return 'retry';
	if (status === 400 || status === 413) return 'split';
	// 401 also means "wrong region" at CleverTap, 403 a passcode without the right: nothing a retry
	// or another batch could change.
	if (status === 401 || status === 403) return 'stop';
	if (status === 404 || status === 405) return 'stop';
	return 'fail';
}

/** Decides from a connection error code (no HTTP answer) whether to try again. */
export function decideForErrorCode(code: string | undefined): RetryDecision {
	return code !== undefined && TRANSIENT_ERROR_CODES.has(code) ? 'retry' : 'fail';
}

/** Longest pause between two reads of an answer CleverTap is still preparing. */
export const MAX_NOT_READY_DELAY_MS = 15_000;

/**
 * The pause before reading again an answer CleverTap is still preparing (`waits` counts from 1):
 * 1 s, doubling, up to 15 s; a client that has seen CleverTap prepare pages waits 15 s between reads.
 */
export function notReadyDelayMs(waits: number): number {
	return Math.min(MAX_NOT_READY_DELAY_MS, 1000 * 2 ** Math.max(0, waits - 1));
}

/** Longest wait the node accepts between two attempts, even if CleverTap asks for more. */
export const MAX_RETRY_DELAY_MS = 60_000;

/**
 * Milliseconds to wait before attempt `attempt + 1` (attempt counts from 1): exponential from
 * `baseDelayMs`, capped, with jitter so parallel clients of one account do not retry in step.
 * A `Retry-After` from the server wins when it is present and sane.
 */
export function retryDelayMs(
	attempt: number,
	retryAfterHeader: string | undefined,
	random: () => number = Math.random,
	baseDelayMs = 500,
	now: number = Date.now(),
): number {
	const retryAfter = parseRetryAfter(retryAfterHeader, now);
	if (retryAfter !== undefined) return Math.min(retryAfter, MAX_RETRY_DELAY_MS);
	const exponential = Math.min(baseDelayMs * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS / 6);
	return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(
	header: string | undefined,
	now: number = Date.now(),
): number | undefined {
	if (header === undefined) return undefined;
	const text = String(header).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
