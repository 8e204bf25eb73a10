import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_REJECTED_HINT } from '../../../credentials/CleverTapApi.credentials';
import { decideForErrorCode, decideForStatus, type RetryDecision } from '../helpers/retry';
import { CLEVERTAP_REGIONS, CUSTOM_REGION, regionBaseUrl } from './regions';

export const CREDENTIAL_TYPE = 'cleverTapApi';

/** Where and as whom the node talks to CleverTap during one execution. */
export interface CleverTapConnection {
	baseUrl: string;
	/** Decrypted once per execution and handed to n8n with every request, see `sendRequest`. */
	credentials: ICredentialsDecrypted;
}

/** The outcome of one HTTP exchange, judged: success needs 2xx *and* `"status":"success"`. */
export type RequestOutcome =
	| { ok: true; status: number }
	| {
			ok: false;
			decision: RetryDecision;
			/** HTTP status, when CleverTap (or a proxy) answered at all. */
			status?: number;
			/** Connection error code (ECONNRESET, ETIMEDOUT, …) when it did not. */
			errorCode?: string;
			/** CleverTap's own error text and code from the body, when there was one. */
			apiError?: string;
			apiCode?: number | string;
			retryAfter?: string;
			/** What went wrong, in words a workflow builder can act on. */
			summary: string;
	  };

function invalidBaseUrl(node: IExecuteFunctions, detail: string): NodeOperationError {
	return new NodeOperationError(node.getNode(), `The CleverTap credential's Base URL ${detail}`, {
		description:
			'Give only the scheme, host and optional port, for example http://127.0.0.1:8080 or https://proxy.example.com; the node appends /1/….',
		itemIndex: 0,
	});
}

/** Checks a custom base URL and returns it without a trailing slash. */
export function normaliseCustomBaseUrl(this: IExecuteFunctions, raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	// Messages quote what was typed, but never a password in it ("user:pw@proxy" without a
	// scheme, or one that does not parse, fails before the user-info check below). Up to the last
	// "@", since a password may hold "/" or "?" where a parser would see the path.
	const shown = text.replace(/^([a-z][a-z\d+.-]*:\/\/)?.*@/is, '$1***@');
	if (text === '') throw invalidBaseUrl(this, 'is empty; region "Custom URL" needs one');
	if (!/^[a-z][a-z\d+.-]*:\/\//i.test(text)) {
		throw invalidBaseUrl(this, `"${shown}" must start with http:// or https://`);
	}
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		throw invalidBaseUrl(this, `"${shown}" is not a URL`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw invalidBaseUrl(this, `must start with http:// or https://, not ${parsed.protocol}//`);
	}
	if (parsed.username !== '' || parsed.password !== '') {
		// Echoing the URL back would print the password it carries.
		throw invalidBaseUrl(
			this,
			'must not contain a user name or password: CleverTap authenticates with the Account ID and Passcode fields',
		);
	}
	if (
		(parsed.pathname !== '/' && parsed.pathname !== '') ||
		parsed.search !== '' ||
		parsed.hash !== ''
	) {
		throw invalidBaseUrl(this, `"${shown}" has a path or query; give only scheme, host and port`);
	}
	return `${parsed.protocol}//${parsed.host}`;
}

/** Reads the credential once and works out the API base URL of its region. */
export async function getConnection(this: IExecuteFunctions): Promise<CleverTapConnection> {
	const data: ICredentialDataDecryptedObject = await this.getCredentials(CREDENTIAL_TYPE);
	const region = String(data.region ?? '');
	let baseUrl: string | undefined;
	if (region === CUSTOM_REGION) {
		baseUrl = normaliseCustomBaseUrl.call(this, data.baseUrl);
	} else {
		baseUrl = regionBaseUrl(region);
		if (baseUrl === undefined) {
			throw new NodeOperationError(
				this.getNode(),
				`The CleverTap credential's region "${region}" is not one this node knows`,
				{
					description: `Open the credential and choose the region again (${CLEVERTAP_REGIONS.map((r) => r.value).join(', ')} or Custom URL). Your region is the prefix of your dashboard URL, e.g. in1.dashboard.clevertap.com means in1.`,
					itemIndex: 0,
				},
			);
		}
	}
	const reference = this.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		baseUrl,
		credentials: {
			id: reference?.id ?? '',
			name: reference?.name ?? CREDENTIAL_TYPE,
			type: CREDENTIAL_TYPE,
			data,
		},
	};
}

interface FullResponse {
	statusCode: number;
	body: unknown;
	headers?: Record<string, unknown>;
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
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

function headerValue(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return value === undefined || value === null ? undefined : String(value);
}

/** Finds a connection error code on an error or the errors it wraps (n8n wraps axios errors). */
function findErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const { code, message } = current as { code?: unknown; message?: unknown };
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
		if (typeof message === 'string' && /timeout of \d+ms exceeded/i.test(message))
			return 'ETIMEDOUT';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

const STATUS_WORDS: Record<number, string> = {
	400: 'rejected the request as invalid',
	401: 'rejected the credentials',
	403: 'refused access',
	404: 'does not know this address',
	405: 'does not allow this method here',
	413: 'found the request too large',
	429: 'is at its limit of concurrent requests for this account',
	500: 'had an internal error',
	502: 'could not be reached through a gateway',
	503: 'is unavailable',
	504: 'timed out behind a gateway',
};

/** Judges one answer from CleverTap; exported for tests. */
export function judgeResponse(response: FullResponse): RequestOutcome {
	const { statusCode: status } = response;
	const body = parseBody(response.body);
	const apiError = typeof body?.error === 'string' ? body.error : undefined;
	const apiCode =
		typeof body?.code === 'number' || typeof body?.code === 'string' ? body.code : undefined;
	const retryAfter = headerValue(response.headers, 'retry-after');
	const said = apiError
		? `: "${apiError}"${apiCode !== undefined ? ` (code ${apiCode})` : ''}`
		: '';

	if (status >= 200 && status < 300) {
		if (body?.status === 'success') return { ok: true, status };
		if (body === undefined) {
			// A proxy or a half-broken edge answered; CleverTap's own answers are always JSON.
			return {
				ok: false,
				decision: 'retry',
				status,
				summary: `CleverTap answered HTTP ${status} with a body that is not JSON`,
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
		return {
			ok: false,
			decision,
			status,
			apiError,
			apiCode,
			retryAfter,
			summary: `CleverTap answered HTTP ${status} but reported "${bodyStatus}"${said}`,
		};
	}
	if (status >= 300 && status < 400) {
		return {
			ok: false,
			decision: 'stop',
			status,
			summary: `CleverTap redirected the request (HTTP ${status}) to ${headerValue(response.headers, 'location') ?? 'another address'}; check the Region or Base URL in the credential`,
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
		summary: `CleverTap ${words} (HTTP ${status}${said ? `${said}` : ''})`,
	};
}

/** Turns a failed exchange (no HTTP answer) into an outcome; exported for tests. */
export function judgeTransportError(
	error: unknown,
	baseUrl: string,
	timeoutMs: number,
): RequestOutcome {
	const errorCode = findErrorCode(error);
	if (errorCode === 'ERR_CANCELED') {
		return { ok: false, decision: 'stop', errorCode, summary: 'The execution was cancelled' };
	}
	const timedOut = errorCode === 'ETIMEDOUT' || errorCode === 'ECONNABORTED';
	const host = baseUrl.replace(/^https?:\/\//, '');
	const summary = timedOut
		? `CleverTap at ${host} did not answer within ${timeoutMs} ms`
		: `Could not reach CleverTap at ${host} (${errorCode ?? 'unknown network error'})`;
	return { ok: false, decision: decideForErrorCode(errorCode ?? 'unknown'), errorCode, summary };
}

/** The hint a user needs next to a failure, by what failed. */
export function hintFor(outcome: Exclude<RequestOutcome, { ok: true }>): string | undefined {
	if (outcome.status === 401 || outcome.status === 403) return CREDENTIAL_REJECTED_HINT;
	if (outcome.status === 404 || outcome.status === 405) {
		return 'Check the Region (or the custom Base URL) in the CleverTap credential.';
	}
	if (outcome.status === 429) {
		return 'CleverTap allows 3 demerge requests at a time per account, shared with every other client of the account. Run the workflow again later, or lower the Concurrency option.';
	}
	if (outcome.errorCode === 'ENOTFOUND' || outcome.errorCode === 'ECONNREFUSED') {
		return 'Check the Region (or the custom Base URL) in the CleverTap credential, and that n8n can reach the internet.';
	}
	if (outcome.errorCode === 'ETIMEDOUT' || outcome.errorCode === 'ECONNABORTED') {
		return 'CleverTap can take a second or more per request. Run the workflow again later, or raise the Timeout option.';
	}
	if (outcome.decision === 'retry') {
		return 'This looks temporary: the node retried with growing pauses. Run the workflow again later, or raise the Max Retries option.';
	}
	return undefined;
}

/**
 * Sends one request to CleverTap and judges the answer. Never throws: every failure becomes a
 * `RequestOutcome`, so the caller decides about retries in one place and no raw error (which would
 * carry the request, headers and passcode included) escapes.
 */
export async function sendRequest(
	this: IExecuteFunctions,
	connection: CleverTapConnection,
	request: { method: 'GET' | 'POST'; path: string; body?: unknown; qs?: Record<string, string> },
	timeoutMs: number,
): Promise<RequestOutcome> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		qs: request.qs,
		headers:
			request.body === undefined
				? { Accept: 'application/json' }
				: { Accept: 'application/json', 'Content-Type': 'application/json; charset=utf-8' },
		body: request.body === undefined ? undefined : JSON.stringify(request.body),
		// Judge every status and body ourselves; CleverTap's error bodies are not always JSON.
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would leave the chosen region; never send the passcode along.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: timeoutMs,
	};
	try {
		// The decrypted credential is passed in so n8n does not decrypt it again for each of
		// possibly thousands of requests.
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
			{ credentialsDecrypted: connection.credentials },
		)) as FullResponse;
		return judgeResponse(response);
	} catch (error) {
		return judgeTransportError(error, connection.baseUrl, timeoutMs);
	}
}

/** POST /1/demerge/profiles.json for up to 100 identities. */
export async function demergeProfiles(
	this: IExecuteFunctions,
	connection: CleverTapConnection,
	identities: string[],
	timeoutMs: number,
): Promise<RequestOutcome> {
	return await sendRequest.call(
		this,
		connection,
		{ method: 'POST', path: '/1/demerge/profiles.json', body: { identities } },
		timeoutMs,
	);
}
