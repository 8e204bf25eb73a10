import { decideForErrorCode, decideForStatus, type RetryDecision } from '../helpers/retry';

/** What to check when CleverTap refuses the credential (the credential's test says it too). */
export const CREDENTIAL_REJECTED_HINT =
	'Check the Account ID, the Passcode and the Region in the CleverTap credential: CleverTap answers a request sent to the wrong region as if the Account ID or Passcode were wrong.';

/** An answer as n8n hands it back with `returnFullResponse`. */
export interface FullResponse {
	statusCode: number;
	body: unknown;
	headers?: Record<string, unknown>;
}

/** A request that did not do what was asked, with what to do about it. */
export interface RequestFailure {
	ok: false;
	decision: RetryDecision;
	/** HTTP status, when CleverTap (or a proxy) answered at all. */
	status?: number;
	/** Network error code (ECONNRESET, ETIMEDOUT, …) when nothing answered. */
	errorCode?: string;
	/** CleverTap's own error text and code from the body, when there was one. */
	apiError?: string;
	apiCode?: number | string;
	retryAfter?: string;
	/** What went wrong, in words a workflow builder can act on. */
	summary: string;
	/** CleverTap may have taken the request (its answer was lost), and it was not sent again. */
	unsure?: boolean;
}

/** The outcome of one HTTP exchange, judged: success needs 2xx *and* `"status":"success"`. */
export type RequestOutcome =
	{ ok: true; status: number; body?: Record<string, unknown> } | RequestFailure;

/** The body as a JSON object, or undefined when it is not one (a proxy's HTML page, say). */
export function parseBody(body: unknown): Record<string, unknown> | undefined {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

/**
 * CleverTap's error text as words: the counts APIs send a JSON-encoded list,
 * `"[\"Invalid event : Uninstalled\"]"`.
 */
function unwrapList(text: string): string {
	if (!text.startsWith('[')) return text;
	try {
		const list: unknown = JSON.parse(text);
		if (
			Array.isArray(list) &&
			list.length > 0 &&
			list.every((entry) => typeof entry === 'string')
		) {
			return list.join('; ');
		}
	} catch {
		// Not a list after all: keep the text as it came.
	}
	return text;
}

/** CleverTap's own error text and code in a body, where it has them. */
function errorFields(body: Record<string, unknown> | undefined): {
	apiError?: string;
	apiCode?: number | string;
} {
	return {
		apiError: typeof body?.error === 'string' ? unwrapList(body.error) : undefined,
		apiCode:
			typeof body?.code === 'number' || typeof body?.code === 'string' ? body.code : undefined,
	};
}

function headerValue(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return value === undefined || value === null ? undefined : String(value);
}

const STATUS_WORDS: Record<number, string> = {
	400: 'refused the request as invalid',
	401: 'did not accept the Account ID and Passcode',
	403: 'refused access with this passcode',
	404: 'does not know this address',
	405: 'does not allow this request at this address',
	413: 'found the request too large',
	429: 'is busy with other requests of this account',
	500: 'had an internal error',
	502: 'could not be reached through its gateway',
	503: 'is unavailable for now',
	504: 'did not answer its gateway in time',
};

/** `(HTTP 401: "Passcode is not valid")`, with CleverTap's code where it says more than the status. */
function httpDetail(status: number, apiError?: string, apiCode?: number | string): string {
	const code =
		apiCode !== undefined && String(apiCode) !== String(status) ? `, code ${apiCode}` : '';
	return `(HTTP ${status}${code}${apiError ? `: "${apiError}"` : ''})`;
}

/** Judges one answer from CleverTap by the rule every endpoint shares: 2xx and `"status":"success"`. */
export function judgeResponse(response: FullResponse): RequestOutcome {
	const { statusCode: status } = response;
	const body = parseBody(response.body);
	const { apiError, apiCode } = errorFields(body);
	const retryAfter = headerValue(response.headers, 'retry-after');

	if (status >= 200 && status < 300) {
		if (body?.status === 'success') return { ok: true, status, body };
		if (body === undefined) {
			// A proxy or a half-broken edge answered; CleverTap's own answers are always JSON.
			return {
				ok: false,
				decision: 'retry',
				status,
				summary: `CleverTap's answer could not be read (HTTP ${status}, not JSON)`,
			};
		}
		const bodyStatus = typeof body.status === 'string' ? body.status : 'no status';
		// A 200 that says fail carries the real status in `code`: retry only what would be retried.
		const numericCode = Number(apiCode);
		const decision =
			Number.isInteger(numericCode) &&
			numericCode >= 400 &&
			decideForStatus(numericCode) !== 'split'
				? decideForStatus(numericCode)
				: bodyStatus === 'partial' || Number.isNaN(numericCode)
					? 'retry'
					: 'fail';
		const said =
			bodyStatus === 'partial' ? 'took only part of the request' : `reported "${bodyStatus}"`;
		return {
			ok: false,
			decision,
			status,
			apiError,
			apiCode,
			retryAfter,
			summary: `CleverTap answered but ${said} ${httpDetail(status, apiError, apiCode)}`,
		};
	}
	if (status >= 300 && status < 400) {
		const location = headerValue(response.headers, 'location');
		return {
			ok: false,
			decision: 'stop',
			status,
			summary: `CleverTap sent the request on to another address (HTTP ${status}${location ? ` to ${location}` : ''})`,
		};
	}
	const words = STATUS_WORDS[status] ?? 'answered with an error';
	return {
		ok: false,
		decision: decideForStatus(status),
		status,
		apiError,
		apiCode,
		retryAfter,
		summary: `CleverTap ${words} ${httpDetail(status, apiError, apiCode)}`,
	};
}

/**
 * An answer CleverTap is still preparing, as a failure to wait out: HTTP 202, or a 2xx saying
 * "fail" with code 2 ("Request still in progress, please retry later"); undefined for any other.
 */
export function judgeNotReady(response: FullResponse, what: string): RequestFailure | undefined {
	const { statusCode: status } = response;
	if (status < 200 || status >= 300) return undefined;
	const body = parseBody(response.body);
	const preparing =
		(status === 202 && body?.status !== 'success') ||
		(body?.status === 'fail' && String(body.code) === '2');
	if (!preparing) return undefined;
	const { apiError, apiCode } = errorFields(body);
	return {
		ok: false,
		decision: 'wait',
		status,
		apiError,
		apiCode,
		summary: `CleverTap was still preparing ${what} ${httpDetail(status, apiError, apiCode)}`,
	};
}

const NETWORK_CODE = /^(?:E[A-Z0-9_]+|ERR_[A-Z0-9_]+|UND_ERR_[A-Z0-9_]+)$/;

/**
 * The network error code of a failed request, in whichever shape n8n hands it over: a Node or
 * axios error (`code`), n8n 2.x's NodeApiError (the axios error as `cause`) or n8n 1.x's
 * NodeApiError, which keeps the code only in `httpCode` and words the message itself.
 */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const { code, httpCode, message } = current as Record<string, unknown>;
		if (typeof code === 'string' && NETWORK_CODE.test(code)) return code;
		if (typeof httpCode === 'string' && NETWORK_CODE.test(httpCode)) return httpCode;
		if (typeof message === 'string') {
			if (/timeout of \d+ms exceeded/i.test(message)) return 'ETIMEDOUT';
			// An answer that broke off after its status line: n8n 1.x keeps only axios's words and
			// the status (200) it had read.
			if (/stream has been aborted/i.test(message)) return 'ERR_BAD_RESPONSE';
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);
const WRONG_ADDRESS_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN']);

function seconds(ms: number): string {
	const value = Math.round(ms / 100) / 10;
	return `${value} second${value === 1 ? '' : 's'}`;
}

/** Turns a failed exchange (no HTTP answer) into an outcome. */
export function judgeTransportError(
	error: unknown,
	baseUrl: string,
	timeoutMs: number,
): RequestFailure {
	const errorCode = networkErrorCode(error);
	if (errorCode === 'ERR_CANCELED') {
		return { ok: false, decision: 'stop', errorCode, summary: 'The execution was cancelled' };
	}
	const host = baseUrl.replace(/^https?:\/\//, '');
	let summary: string;
	if (errorCode !== undefined && TIMEOUT_CODES.has(errorCode)) {
		summary = `CleverTap at ${host} did not answer within ${seconds(timeoutMs)}`;
	} else if (errorCode === 'ECONNRESET' || errorCode === 'EPIPE') {
		summary = `The connection to CleverTap at ${host} broke off before the answer came (${errorCode})`;
	} else if (errorCode === 'ERR_BAD_RESPONSE') {
		summary = `The connection to CleverTap at ${host} broke off in the middle of the answer`;
	} else if (errorCode === 'ECONNREFUSED') {
		summary = `Nothing at ${host} accepted the connection (${errorCode})`;
	} else if (errorCode === 'ENOTFOUND' || errorCode === 'EAI_AGAIN') {
		summary = `The address ${host} could not be found (${errorCode})`;
	} else {
		summary = `Could not reach CleverTap at ${host}${errorCode ? ` (${errorCode})` : ''}`;
	}
	return { ok: false, decision: decideForErrorCode(errorCode), errorCode, summary };
}

/**
 * Failures that show the request never reached CleverTap: nothing listened, the host was not
 * found, the connection was never made. A timeout, a reset or a 5xx may come after CleverTap took it.
 */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'UND_ERR_CONNECT_TIMEOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** True when CleverTap surely did not take the request: it was busy (429), or never reached. */
export function surelyNotTaken(failure: RequestFailure): boolean {
	if (failure.decision === 'throttle') return true;
	return (
		failure.status === undefined &&
		failure.errorCode !== undefined &&
		NOT_SENT_CODES.has(failure.errorCode)
	);
}

/**
 * An outcome for a request that reaches people (a push, an email) or cannot be repeated: sent
 * again only when CleverTap surely did not take it. After a lost answer the request fails as
 * "unsure", never re-sent; a refusal (400) is not split into smaller requests, since CleverTap
 * refuses a message for its content, not for one recipient.
 */
export function atMostOnce<T extends RequestOutcome>(
	outcome: T,
	/** Split a refused request to find the record it refuses (uploads), instead of failing it whole. */
	{ split = false } = {},
): T {
	if (outcome.ok || surelyNotTaken(outcome)) return outcome;
	// Without an answer, whatever broke may have broken after CleverTap took the request.
	const lost = outcome.status === undefined && outcome.decision !== 'stop';
	if (outcome.decision === 'retry' || lost) return { ...outcome, decision: 'fail', unsure: true };
	if (outcome.decision === 'split' && !split) return { ...outcome, decision: 'fail' };
	return outcome;
}

/** What the user can do about a failure, in their words; `attempts` is how often it was sent. */
export function hintFor(
	failure: RequestFailure,
	context: { concurrentRequests: number; attempts: number },
): string | undefined {
	const { errorCode } = failure;
	if (failure.unsure) {
		return 'The node did not send it again, so that CleverTap does not get it twice. Look in CleverTap whether it arrived (the campaign list, the message reports, the profile or its events) before you run it again.';
	}
	// CleverTap also says 401, 403 or 429 as a code in the body of an HTTP 200.
	const apiCode = Number(failure.apiCode);
	const status =
		failure.status !== undefined && failure.status < 300 && [401, 403, 429].includes(apiCode)
			? apiCode
			: failure.status;
	if (status === 401 || status === 403) return CREDENTIAL_REJECTED_HINT;
	if (
		status === 404 ||
		status === 405 ||
		(status !== undefined && status >= 300 && status < 400) ||
		(errorCode !== undefined && WRONG_ADDRESS_CODES.has(errorCode))
	) {
		return 'Check the Region (or the Custom URL) in the CleverTap credential, and that n8n can reach the internet.';
	}
	if (status === 429) {
		return `CleverTap lets ${context.concurrentRequests} of these requests run at a time for each account, shared with every other system that uses the account. Run the workflow again later, or lower Concurrency under Options.`;
	}
	if (errorCode !== undefined && TIMEOUT_CODES.has(errorCode)) {
		return 'CleverTap can take a second or more to answer. Run the workflow again later, or raise Timeout under Options.';
	}
	if (failure.decision === 'wait') {
		return 'CleverTap prepares the pages of a large query in the background. Run the workflow again later, or raise Max Retries under Options: each one lets the node wait 10 seconds longer.';
	}
	if (failure.decision === 'retry') {
		const tried =
			context.attempts > 1
				? `The node tried ${context.attempts} times, waiting longer each time.`
				: 'The node did not try again (Max Retries is 0).';
		return `This looks temporary. ${tried} Run the workflow again later, or raise Max Retries under Options.`;
	}
	return undefined;
}
