import type { IExecuteFunctions } from 'n8n-workflow';

import {
	buildRequestOptions,
	hintFor,
	judgeNotReady,
	judgeResponse,
	judgeTransportError,
	networkErrorCode,
	normaliseCustomBaseUrl,
	parseBody,
	type RequestFailure,
} from '../../../nodes/CleverTap/transport';
import {
	N8N_MAJORS,
	RECORDED_FAILURES,
	recordedN8nError,
	type RecordedFailure,
} from '../../support/n8nErrors';
import recorded from '../../fixtures/n8n-transport-errors.json';

const envelope = (status: string, error?: string, code?: number) =>
	JSON.stringify({ status, ...(error ? { error } : {}), ...(code ? { code } : {}) });

describe('judgeResponse', () => {
	test.each([
		['200 success', 200, envelope('success'), undefined, true, undefined],
		['200 success as an object', 200, { status: 'success' }, undefined, true, undefined],
		['200 fail, code 500', 200, envelope('fail', 'Went wrong', 500), undefined, false, 'retry'],
		['200 fail, code 401', 200, envelope('fail', 'Bad account', 401), undefined, false, 'stop'],
		['200 fail, code 400', 200, envelope('fail', 'Bad identity', 400), undefined, false, 'fail'],
		[
			'200 fail, code "401" as text',
			200,
			{ status: 'fail', code: '401' },
			undefined,
			false,
			'stop',
		],
		['200 fail without code', 200, envelope('fail', 'Something'), undefined, false, 'retry'],
		['200 partial', 200, envelope('partial', 'Some', 200), undefined, false, 'retry'],
		['200 not JSON', 200, '<html>OK</html>', undefined, false, 'retry'],
		['200 JSON array', 200, '[]', undefined, false, 'retry'],
		['400', 400, envelope('fail', 'Invalid identity', 400), undefined, false, 'split'],
		['401', 401, envelope('fail', 'Account ID is not valid', 401), undefined, false, 'stop'],
		['403', 403, envelope('fail', 'Not allowed', 403), undefined, false, 'stop'],
		['404', 404, 'Not found', undefined, false, 'stop'],
		['405', 405, envelope('fail', 'Method not allowed', 405), undefined, false, 'stop'],
		['409', 409, envelope('fail', 'Conflict', 409), undefined, false, 'fail'],
		['413', 413, envelope('fail', 'Too large', 413), undefined, false, 'split'],
		['429', 429, envelope('fail', 'Too many', 429), undefined, false, 'throttle'],
		['500', 500, envelope('fail', 'Internal error', 500), undefined, false, 'retry'],
		['502 HTML', 502, '<html>Bad Gateway</html>', undefined, false, 'retry'],
		['503 HTML', 503, '<html><body>Service Unavailable</body></html>', undefined, false, 'retry'],
		['504 HTML', 504, '<html>Gateway Time-out</html>', undefined, false, 'retry'],
		['302', 302, '', { location: 'https://eu1.api.clevertap.com/' }, false, 'stop'],
		['300', 300, '', undefined, false, 'stop'],
	])('%s', (_name, statusCode, body, headers, ok, decision) => {
		const outcome = judgeResponse({ statusCode, body, headers });
		expect(outcome.ok).toBe(ok);
		expect(outcome.ok ? undefined : outcome.decision).toBe(decision);
	});

	test.each([
		[
			200,
			envelope('fail', 'Something went wrong', 500),
			'CleverTap answered but reported "fail" (HTTP 200, code 500: "Something went wrong")',
		],
		[
			200,
			envelope('partial', 'Some identities were not processed', 200),
			'CleverTap answered but took only part of the request (HTTP 200: "Some identities were not processed")',
		],
		[200, '<html>OK</html>', "CleverTap's answer could not be read (HTTP 200, not JSON)"],
		[
			401,
			envelope('fail', 'Passcode is not valid', 401),
			'CleverTap did not accept the Account ID and Passcode (HTTP 401: "Passcode is not valid")',
		],
		[
			429,
			envelope('fail', 'Too many concurrent requests', 429),
			'CleverTap is busy with other requests of this account (HTTP 429: "Too many concurrent requests")',
		],
		[503, '<html>x</html>', 'CleverTap is unavailable for now (HTTP 503)'],
		[418, '', 'CleverTap answered with an error (HTTP 418)'],
		[200, '{}', 'CleverTap answered but reported "no status" (HTTP 200)'],
		[302, '', 'CleverTap sent the request on to another address (HTTP 302)'],
	])('HTTP %i %s reads: %s', (statusCode, body, summary) => {
		expect(judgeResponse({ statusCode, body })).toMatchObject({ ok: false, summary });
	});

	test("keeps CleverTap's own error text and code", () => {
		expect(
			judgeResponse({ statusCode: 200, body: envelope('fail', 'Something went wrong', 500) }),
		).toMatchObject({ ok: false, apiError: 'Something went wrong', apiCode: 500 });
	});

	test('reads Retry-After whatever its case, and names where a redirect points', () => {
		expect(
			judgeResponse({ statusCode: 429, body: '', headers: { 'Retry-After': '2' } }),
		).toMatchObject({ ok: false, retryAfter: '2' });
		expect(
			judgeResponse({ statusCode: 301, body: '', headers: { Location: 'https://x.example/' } }),
		).toMatchObject({
			summary: 'CleverTap sent the request on to another address (HTTP 301 to https://x.example/)',
		});
	});

	test('reads the Retry-After header only, and not one that is missing or empty', () => {
		const retryAfter = (headers: Record<string, unknown>) => {
			const outcome = judgeResponse({ statusCode: 429, body: '', headers });
			return outcome.ok ? 'ok' : outcome.retryAfter;
		};
		expect(retryAfter({ 'Content-Type': 'text/html', 'Retry-After': '2' })).toBe('2');
		expect(retryAfter({ 'Content-Type': 'text/html' })).toBeUndefined();
		expect(retryAfter({})).toBeUndefined();
		expect(retryAfter({ 'retry-after': null })).toBeUndefined();
	});

	test('a success keeps the parsed body for operations that read it', () => {
		expect(
			judgeResponse({ statusCode: 200, body: '{"status":"success","record":{"a":1}}' }),
		).toEqual({ ok: true, status: 200, body: { status: 'success', record: { a: 1 } } });
	});
});

describe('parseBody', () => {
	test.each([
		['{"a":1}', { a: 1 }],
		[{ a: 1 }, { a: 1 }],
		['[]', undefined],
		[[1], undefined],
		['null', undefined],
		[null, undefined],
		['5', undefined],
		[5, undefined],
		['"success"', undefined],
		['<html>', undefined],
	])('%j → %j', (body, parsed) => {
		expect(parseBody(body)).toEqual(parsed);
	});
});

describe('network failures, in the shapes real n8n 1.x and 2.x throw (recorded)', () => {
	const expected: Record<RecordedFailure, { code: string; decision: string; summary: string }> = {
		reset: {
			code: 'ECONNRESET',
			decision: 'retry',
			summary:
				'The connection to CleverTap at in1.api.clevertap.com broke off before the answer came (ECONNRESET)',
		},
		'reset-mid-body': {
			code: 'ECONNRESET',
			decision: 'retry',
			summary:
				'The connection to CleverTap at in1.api.clevertap.com broke off before the answer came (ECONNRESET)',
		},
		'close-mid-body': {
			code: 'ERR_BAD_RESPONSE',
			decision: 'retry',
			summary:
				'The connection to CleverTap at in1.api.clevertap.com broke off in the middle of the answer',
		},
		hang: {
			code: 'ECONNABORTED',
			decision: 'retry',
			summary: 'CleverTap at in1.api.clevertap.com did not answer within 1 second',
		},
		refused: {
			code: 'ECONNREFUSED',
			decision: 'retry',
			summary: 'Nothing at in1.api.clevertap.com accepted the connection (ECONNREFUSED)',
		},
		'unknown-host': {
			code: 'ENOTFOUND',
			decision: 'retry',
			summary: 'The address in1.api.clevertap.com could not be found (ENOTFOUND)',
		},
	};
	const cases = N8N_MAJORS.flatMap((major) =>
		RECORDED_FAILURES.map((failure) => [major, failure] as const),
	);

	test.each(cases)('%s: %s', (major, failure) => {
		const error = recordedN8nError(major, failure);
		expect(networkErrorCode(error)).toBe(expected[failure].code);
		expect(judgeTransportError(error, 'https://in1.api.clevertap.com', 1000)).toEqual({
			ok: false,
			decision: expected[failure].decision,
			errorCode: expected[failure].code,
			summary: expected[failure].summary,
		});
	});

	test('the fixture holds exactly these failures, in both versions', () => {
		for (const major of N8N_MAJORS) {
			expect(recorded[major].map((entry) => entry.name)).toEqual([...RECORDED_FAILURES]);
		}
	});

	test('n8n 1.x keeps the code only in httpCode, with its own sentence as the message', () => {
		const error = recordedN8nError('n8n-1', 'reset') as Error & { httpCode?: string };
		expect(error.httpCode).toBe('ECONNRESET');
		expect(error.message).not.toContain('ECONNRESET');
		expect((error as { cause?: unknown }).cause).toBeUndefined();
	});

	test.each([
		['a bare Node error', { code: 'ECONNRESET' }, 'ECONNRESET'],
		['an axios error wrapping one', { message: 'x', cause: { code: 'EPIPE' } }, 'EPIPE'],
		['an axios timeout', { message: 'timeout of 900ms exceeded' }, 'ETIMEDOUT'],
		['a cancellation', { code: 'ERR_CANCELED' }, 'ERR_CANCELED'],
		['a numeric httpCode is an HTTP status, not a network code', { httpCode: '503' }, undefined],
		['CleverTap-like lower-case codes are not network codes', { code: 'fail' }, undefined],
		['nothing', new Error('boom'), undefined],
		['not an object', 'ECONNRESET', undefined],
		['a cause that is null', { message: 'x', cause: null }, undefined],
	])('%s', (_name, error, code) => {
		expect(networkErrorCode(error)).toBe(code);
	});

	test('looks at most 5 causes deep, so a cause that points back to its error ends', () => {
		const nested = (depth: number): unknown =>
			depth === 1 ? { code: 'ECONNRESET' } : { message: 'x', cause: nested(depth - 1) };
		expect(networkErrorCode(nested(5))).toBe('ECONNRESET');
		expect(networkErrorCode(nested(6))).toBeUndefined();
		const circular: { message: string; cause?: unknown } = { message: 'x' };
		circular.cause = circular;
		expect(networkErrorCode(circular)).toBeUndefined();
	});

	test.each([
		[
			'EPIPE',
			'https://h',
			'The connection to CleverTap at h broke off before the answer came (EPIPE)',
		],
		['EAI_AGAIN', 'https://h', 'The address h could not be found (EAI_AGAIN)'],
		[
			'ECONNREFUSED',
			'http://127.0.0.1:8080',
			'Nothing at 127.0.0.1:8080 accepted the connection (ECONNREFUSED)',
		],
	])('%s at %s reads: %s', (code, baseUrl, summary) => {
		expect(judgeTransportError({ code }, baseUrl, 1000)).toMatchObject({
			decision: 'retry',
			summary,
		});
	});

	test('a cancellation stops the run; an unknown failure is final', () => {
		expect(judgeTransportError({ code: 'ERR_CANCELED' }, 'https://h', 1000)).toMatchObject({
			decision: 'stop',
			summary: 'The execution was cancelled',
		});
		expect(judgeTransportError(new Error('boom'), 'https://h', 1000)).toEqual({
			ok: false,
			decision: 'fail',
			errorCode: undefined,
			summary: 'Could not reach CleverTap at h',
		});
		expect(judgeTransportError({ code: 'EHOSTUNREACH' }, 'https://h', 30_000)).toMatchObject({
			decision: 'retry',
			summary: 'Could not reach CleverTap at h (EHOSTUNREACH)',
		});
		expect(judgeTransportError({ code: 'ETIMEDOUT' }, 'https://h', 30_000).summary).toBe(
			'CleverTap at h did not answer within 30 seconds',
		);
	});
});

describe('hintFor', () => {
	const failure = (fields: Partial<RequestFailure>): RequestFailure => ({
		ok: false,
		decision: 'fail',
		summary: '',
		...fields,
	});
	const context = { concurrentRequests: 3, attempts: 6 };

	test.each([
		[{ status: 401, decision: 'stop' }, /^Check the Account ID, the Passcode and the Region/],
		[{ status: 403, decision: 'stop' }, /^Check the Account ID, the Passcode and the Region/],
		[{ status: 404, decision: 'stop' }, /^Check the Region \(or the Custom URL\)/],
		[{ status: 405, decision: 'stop' }, /^Check the Region \(or the Custom URL\)/],
		[{ status: 302, decision: 'stop' }, /^Check the Region \(or the Custom URL\)/],
		[{ errorCode: 'ECONNREFUSED', decision: 'retry' }, /^Check the Region \(or the Custom URL\)/],
		[{ errorCode: 'ENOTFOUND', decision: 'retry' }, /^Check the Region \(or the Custom URL\)/],
		[{ status: 429, decision: 'throttle' }, /^CleverTap lets 3 of these requests run at a time/],
		[{ errorCode: 'ECONNABORTED', decision: 'retry' }, /raise Timeout under Options\.$/],
		[{ errorCode: 'ETIMEDOUT', decision: 'retry' }, /raise Timeout under Options\.$/],
		[{ status: 503, decision: 'retry' }, /^This looks temporary\. The node tried 6 times/],
		[{ errorCode: 'ECONNRESET', decision: 'retry' }, /^This looks temporary\./],
		[{ status: 409, decision: 'fail' }, undefined],
		// The same codes said in the body of an HTTP 200.
		[{ status: 200, apiCode: 401, decision: 'stop' }, /^Check the Account ID, the Passcode/],
		[{ status: 200, apiCode: '403', decision: 'stop' }, /^Check the Account ID, the Passcode/],
		[{ status: 200, apiCode: 429, decision: 'throttle' }, /^CleverTap lets 3 of these requests/],
		[{ status: 200, apiCode: 404, decision: 'fail' }, undefined],
		[{ status: 500, apiCode: 401, decision: 'retry' }, /^This looks temporary\./],
		[{ status: 300, apiCode: 401, decision: 'stop' }, /^Check the Region \(or the Custom URL\)/],
	] as const)('%j', (fields, pattern) => {
		const hint = hintFor(failure(fields as Partial<RequestFailure>), context);
		if (pattern === undefined) expect(hint).toBeUndefined();
		else expect(hint).toMatch(pattern);
	});

	test('the 429 hint names the limit of the API at hand', () => {
		expect(
			hintFor(failure({ status: 429, decision: 'throttle' }), {
				concurrentRequests: 15,
				attempts: 1,
			}),
		).toMatch(/^CleverTap lets 15 of these requests run at a time/);
	});

	test('with no retry allowed, the hint says so', () => {
		expect(
			hintFor(failure({ status: 500, decision: 'retry' }), { concurrentRequests: 3, attempts: 1 }),
		).toBe(
			'This looks temporary. The node did not try again (Max Retries is 0). Run the workflow again later, or raise Max Retries under Options.',
		);
	});
});

describe('buildRequestOptions', () => {
	test('a POST carries JSON; nothing follows a redirect; every status is judged by the node', () => {
		expect(
			buildRequestOptions(
				{ baseUrl: 'https://in1.api.clevertap.com' },
				{ method: 'POST', path: '/1/demerge/profiles.json', body: { identities: ['a'] } },
				5000,
			),
		).toEqual({
			method: 'POST',
			url: 'https://in1.api.clevertap.com/1/demerge/profiles.json',
			qs: undefined,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json; charset=utf-8' },
			body: '{"identities":["a"]}',
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: 5000,
		});
	});

	test('a GET has no body and no Content-Type', () => {
		const options = buildRequestOptions(
			{ baseUrl: 'https://h' },
			{ method: 'GET', path: '/1/profile.json', qs: { identity: 'a b' } },
			1000,
		);
		expect(options).toMatchObject({ method: 'GET', qs: { identity: 'a b' }, body: undefined });
		expect(options.headers).toEqual({ Accept: 'application/json' });
	});
});

describe('normaliseCustomBaseUrl', () => {
	const context = { getNode: () => ({ name: 'CleverTap' }) } as unknown as IExecuteFunctions;
	test.each([
		['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
		['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
		['  https://proxy.example.com  ', 'https://proxy.example.com'],
		['https://proxy.example.com:443', 'https://proxy.example.com'],
	])('%s → %s', (raw, expected) => {
		expect(normaliseCustomBaseUrl.call(context, raw)).toBe(expected);
	});

	test.each([
		['', 'The CleverTap credential\'s Base URL is empty; region "Custom URL" needs one'],
		[undefined, 'The CleverTap credential\'s Base URL is empty; region "Custom URL" needs one'],
		[
			'127.0.0.1:8080',
			'The CleverTap credential\'s Base URL "127.0.0.1:8080" must start with http:// or https://',
		],
		[
			'ftp://host',
			"The CleverTap credential's Base URL must start with http:// or https://, not ftp://",
		],
		[
			'not a url',
			'The CleverTap credential\'s Base URL "not a url" must start with http:// or https://',
		],
		['http://', 'The CleverTap credential\'s Base URL "http://" is not a URL'],
		[
			'https://user:secret@host',
			"The CleverTap credential's Base URL must not contain a user name or password: CleverTap authenticates with the Account ID and Passcode fields",
		],
		[
			'https://user@host',
			"The CleverTap credential's Base URL must not contain a user name or password: CleverTap authenticates with the Account ID and Passcode fields",
		],
		[
			'https://:secret@host',
			"The CleverTap credential's Base URL must not contain a user name or password: CleverTap authenticates with the Account ID and Passcode fields",
		],
		// A password holding "://" is not taken for the scheme, and not echoed.
		[
			'https://user:pa://ss@host',
			'The CleverTap credential\'s Base URL "https://***@host" is not a URL',
		],
		[
			'www.example.com/?next=https://x',
			'The CleverTap credential\'s Base URL "www.example.com/?next=https://x" must start with http:// or https://',
		],
		[
			'ht tp://host',
			'The CleverTap credential\'s Base URL "ht tp://host" must start with http:// or https://',
		],
		[
			'https://host#top',
			'The CleverTap credential\'s Base URL "https://host#top" has a path after the address; give only the address',
		],
		[
			'https://host/1/demerge',
			'The CleverTap credential\'s Base URL "https://host/1/demerge" has a path after the address; give only the address',
		],
	])('%j is refused', (raw, message) => {
		let thrown: unknown;
		try {
			normaliseCustomBaseUrl.call(context, raw);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(Error);
		expect((thrown as Error).message).toBe(message);
	});

	test('a refused URL with a password does not echo it', () => {
		let thrown: unknown;
		try {
			normaliseCustomBaseUrl.call(context, 'https://user:hunter2@host');
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(Error);
		expect(JSON.stringify(thrown) + String(thrown)).not.toContain('hunter2');
	});
});

describe('judgeNotReady: an answer CleverTap is still preparing', () => {
	const NOT_READY =
		'{"status":"fail","error":"Request still in progress, please retry later","code":2}';
	test.each([
		[200, NOT_READY, 'wait'],
		[200, '{"status":"fail","code":"2"}', 'wait'],
		[202, NOT_READY, 'wait'],
		[202, '', 'wait'],
		[202, '<html>Accepted</html>', 'wait'],
		[202, '{"status":"success","records":[]}', undefined],
		[200, '{"status":"fail","code":20}', undefined],
		[200, '{"status":"success","code":2}', undefined],
		[400, NOT_READY, undefined],
		[500, NOT_READY, undefined],
	])('HTTP %s %s: %s', (statusCode, body, decision) => {
		expect(judgeNotReady({ statusCode, body }, 'the page')?.decision).toBe(decision);
	});

	test("says what was being prepared, with CleverTap's words", () => {
		expect(judgeNotReady({ statusCode: 200, body: NOT_READY }, 'the page')).toEqual({
			ok: false,
			decision: 'wait',
			status: 200,
			apiError: 'Request still in progress, please retry later',
			apiCode: 2,
			summary:
				'CleverTap was still preparing the page (HTTP 200, code 2: "Request still in progress, please retry later")',
		});
	});
});
