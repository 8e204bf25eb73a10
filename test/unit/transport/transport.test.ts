import type { IExecuteFunctions } from 'n8n-workflow';

import {
	hintFor,
	judgeResponse,
	judgeTransportError,
	normaliseCustomBaseUrl,
} from '../../../nodes/CleverTap/transport';

const envelope = (status: string, error?: string, code?: number) =>
	JSON.stringify({ status, ...(error ? { error } : {}), ...(code ? { code } : {}) });

describe('judgeResponse', () => {
	test.each([
		['200 success', 200, envelope('success'), undefined, true, undefined],
		['200 success as an object', 200, { status: 'success' }, undefined, true, undefined],
		[
			'200 fail with code 500',
			200,
			envelope('fail', 'Something went wrong', 500),
			undefined,
			false,
			'retry',
		],
		[
			'200 fail with code 401',
			200,
			envelope('fail', 'Account ID is not valid', 401),
			undefined,
			false,
			'stop',
		],
		[
			'200 fail with code 400',
			200,
			envelope('fail', 'Bad identity', 400),
			undefined,
			false,
			'fail',
		],
		['200 fail without code', 200, envelope('fail', 'Something'), undefined, false, 'retry'],
		['200 partial', 200, envelope('partial', 'Some', 200), undefined, false, 'retry'],
		['200 not JSON', 200, '<html>OK</html>', undefined, false, 'retry'],
		['200 JSON array', 200, '[]', undefined, false, 'retry'],
		['400', 400, envelope('fail', 'Invalid identity', 400), undefined, false, 'split'],
		['401', 401, envelope('fail', 'Account ID is not valid', 401), undefined, false, 'stop'],
		['403', 403, envelope('fail', 'Not allowed', 403), undefined, false, 'stop'],
		['404', 404, 'Not found', undefined, false, 'stop'],
		[
			'429',
			429,
			envelope('fail', 'Too many concurrent requests', 429),
			undefined,
			false,
			'throttle',
		],
		['500', 500, envelope('fail', 'Internal error', 500), undefined, false, 'retry'],
		['503 HTML', 503, '<html><body>Service Unavailable</body></html>', undefined, false, 'retry'],
		['302', 302, '', { location: 'https://eu1.api.clevertap.com/' }, false, 'stop'],
	])('%s', (_name, statusCode, body, headers, ok, decision) => {
		const outcome = judgeResponse({ statusCode, body, headers });
		expect(outcome.ok).toBe(ok);
		if (!outcome.ok) expect(outcome.decision).toBe(decision);
	});

	test("keeps CleverTap's own error text and code in the summary", () => {
		const outcome = judgeResponse({
			statusCode: 200,
			body: envelope('fail', 'Something went wrong', 500),
		});
		expect(outcome).toMatchObject({
			ok: false,
			apiError: 'Something went wrong',
			apiCode: 500,
			summary: 'CleverTap answered HTTP 200 but reported "fail": "Something went wrong" (code 500)',
		});
	});

	test('reads Retry-After whatever its case', () => {
		const outcome = judgeResponse({ statusCode: 429, body: '', headers: { 'Retry-After': '2' } });
		expect(outcome).toMatchObject({
			ok: false,
			retryAfter: '2',
			summary: 'CleverTap is at its limit of concurrent requests for this account (HTTP 429)',
		});
	});
});

describe('judgeTransportError', () => {
	const base = 'https://in1.api.clevertap.com';
	test.each([
		[
			'a reset',
			{ code: 'ECONNRESET' },
			'retry',
			'Could not reach CleverTap at in1.api.clevertap.com (ECONNRESET)',
		],
		[
			'a wrapped refusal',
			{ message: 'x', cause: { code: 'ECONNREFUSED' } },
			'retry',
			'Could not reach CleverTap at in1.api.clevertap.com (ECONNREFUSED)',
		],
		[
			'an axios timeout',
			{ message: 'timeout of 1000ms exceeded', code: 'ECONNABORTED' },
			'retry',
			'CleverTap at in1.api.clevertap.com did not answer within 1000 ms',
		],
		[
			'a timeout message only',
			{ message: 'timeout of 1000ms exceeded' },
			'retry',
			'CleverTap at in1.api.clevertap.com did not answer within 1000 ms',
		],
		['a cancellation', { code: 'ERR_CANCELED' }, 'stop', 'The execution was cancelled'],
		[
			'something unknown',
			new Error('boom'),
			'fail',
			'Could not reach CleverTap at in1.api.clevertap.com (unknown network error)',
		],
	])('%s', (_name, error, decision, summary) => {
		expect(judgeTransportError(error, base, 1000)).toMatchObject({ ok: false, decision, summary });
	});
});

describe('hintFor', () => {
	test('401 and 403 name account, passcode and region', () => {
		for (const status of [401, 403]) {
			const hint = hintFor({ ok: false, decision: 'stop', status, summary: '' });
			expect(hint).toMatch(/Account ID, the Passcode and the Region/);
		}
	});
	test('429 explains the shared limit', () => {
		expect(hintFor({ ok: false, decision: 'throttle', status: 429, summary: '' })).toMatch(
			/3 demerge requests at a time/,
		);
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
			'https://host/1/demerge',
			'The CleverTap credential\'s Base URL "https://host/1/demerge" has a path or query; give only scheme, host and port',
		],
	])('%j is refused', (raw, message) => {
		expect(() => normaliseCustomBaseUrl.call(context, raw)).toThrow(message);
	});

	test('a refused URL with a password does not echo it', () => {
		try {
			normaliseCustomBaseUrl.call(context, 'https://user:hunter2@host');
		} catch (error) {
			expect(JSON.stringify(error) + String(error)).not.toContain('hunter2');
		}
	});
});
