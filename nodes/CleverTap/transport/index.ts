import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	judgeResponse,
	judgeTransportError,
	type FullResponse,
	type RequestOutcome,
} from './judge';
import { CLEVERTAP_REGIONS, CUSTOM_REGION, regionBaseUrl } from './regions';

export * from './judge';

export const CREDENTIAL_TYPE = 'cleverTapApi';

/** Where and as whom the node talks to CleverTap during one execution. */
export interface CleverTapConnection {
	baseUrl: string;
	/** Decrypted once per execution and handed to n8n with every request, see `sendRequest`. */
	credentials: ICredentialsDecrypted;
}

function invalidBaseUrl(node: IExecuteFunctions, detail: string): NodeOperationError {
	return new NodeOperationError(node.getNode(), `The CleverTap credential's Base URL ${detail}`, {
		description:
			'Give only the address of the server, for example http://127.0.0.1:8080 or https://proxy.example.com, without /1/… at the end: the node adds that itself.',
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
		throw invalidBaseUrl(this, `"${shown}" has a path after the address; give only the address`);
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

/** One request to CleverTap, before n8n adds the credential's headers. */
export interface CleverTapRequest {
	method: 'GET' | 'POST';
	path: string;
	body?: unknown;
	qs?: Record<string, string>;
	/**
	 * A query string put in the URL exactly as given: for values CleverTap hands out already
	 * encoded (cursors), which n8n's encoding of `qs` would encode a second time.
	 */
	rawQuery?: string;
}

/** The options every request is sent with; exported so tests see exactly what n8n receives. */
export function buildRequestOptions(
	connection: Pick<CleverTapConnection, 'baseUrl'>,
	request: CleverTapRequest,
	timeoutMs: number,
): IHttpRequestOptions {
	return {
		method: request.method,
		url: `${connection.baseUrl}${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`,
		qs: request.qs,
		// No Content-Type without a body: CleverTap's GET endpoints expect none.
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
}

/**
 * Sends one request to CleverTap and judges the answer. Never throws: every failure becomes a
 * `RequestOutcome`, so the caller decides about retries in one place and no raw error (which would
 * carry the request, headers and passcode included) escapes.
 */
export async function sendRequest(
	this: IExecuteFunctions,
	connection: CleverTapConnection,
	request: CleverTapRequest,
	timeoutMs: number,
	judge: (response: FullResponse) => RequestOutcome = judgeResponse,
): Promise<RequestOutcome> {
	const options = buildRequestOptions(connection, request, timeoutMs);
	try {
		// The decrypted credential is passed in so n8n does not decrypt it again for each of
		// possibly thousands of requests.
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
			{ credentialsDecrypted: connection.credentials },
		)) as FullResponse;
		return judge(response);
	} catch (error) {
		return judgeTransportError(error, connection.baseUrl, timeoutMs);
	}
}
