import {
	atMostOnce,
	hintFor,
	judgeResponse,
	judgeTransportError,
	surelyNotTaken,
	type RequestFailure,
	type RequestOutcome,
} from '../../../nodes/CleverTap/transport';
import { itemNotDone, mayHaveBeenDone } from '../../../nodes/CleverTap/actions/common/messages';
import type { Failure } from '../../../nodes/CleverTap/transport/batchRunner';
import { N8N_MAJORS, RECORDED_FAILURES, recordedN8nError } from '../../support/n8nErrors';

const BASE = 'https://in1.api.clevertap.com';
const network = (error: unknown) => judgeTransportError(error, BASE, 30_000);
const answer = (statusCode: number, body: unknown = '', headers?: Record<string, unknown>) =>
	judgeResponse({ statusCode, body, headers });
const failed = (outcome: RequestOutcome): RequestFailure => {
	if (outcome.ok) throw new Error('expected a failure');
	return outcome;
};

const UNSURE_HINT =
	'The node did not send it again, so that CleverTap does not get it twice. Look in CleverTap whether it arrived (the campaign list, the message reports, the profile or its events) before you run it again.';

describe('atMostOnce: a request that reaches people is sent again only when CleverTap surely did not take it', () => {
	/** Failures that show the request never reached CleverTap: retried as before. */
	test.each([
		['ECONNREFUSED', network({ code: 'ECONNREFUSED' })],
		['ENOTFOUND', network({ code: 'ENOTFOUND' })],
		['EAI_AGAIN', network({ code: 'EAI_AGAIN' })],
		['ENETUNREACH', network({ code: 'ENETUNREACH' })],
		['EHOSTUNREACH', network({ code: 'EHOSTUNREACH' })],
		['UND_ERR_CONNECT_TIMEOUT', network({ code: 'UND_ERR_CONNECT_TIMEOUT' })],
		['ERR_SOCKET_CONNECTION_TIMEOUT', network({ code: 'ERR_SOCKET_CONNECTION_TIMEOUT' })],
		[
			'ECONNREFUSED as the cause of an axios error',
			network({ message: 'x', cause: { code: 'ECONNREFUSED' } }),
		],
		[
			"ENOTFOUND in n8n 1.x's shape (httpCode only)",
			network({ httpCode: 'ENOTFOUND', message: 'The connection cannot be established' }),
		],
	])('%s is retried: the request never reached CleverTap', (_name, outcome) => {
		expect(outcome.decision).toBe('retry');
		expect(surelyNotTaken(outcome)).toBe(true);
		const judged = atMostOnce(outcome);
		expect(judged).toEqual(outcome);
		expect(judged.decision).toBe('retry');
		expect(judged.unsure).toBeUndefined();
	});

	test.each([
		['a 429', answer(429, '{"status":"fail","error":"Too many concurrent requests","code":429}')],
		['a 429 with Retry-After', answer(429, '', { 'Retry-After': '2' })],
		[
			'a 200 that says fail with code 429',
			answer(200, '{"status":"fail","error":"busy","code":429}'),
		],
	])('%s is waited out and sent again: CleverTap did not take it', (_name, outcome) => {
		const failure = failed(outcome);
		expect(failure.decision).toBe('throttle');
		expect(surelyNotTaken(failure)).toBe(true);
		expect(atMostOnce(failure)).toEqual(failure);
	});

	/** Failures after which CleverTap may have taken the request: failed, unsure, never re-sent. */
	test.each([
		['ETIMEDOUT', network({ code: 'ETIMEDOUT' })],
		['ECONNABORTED', network({ code: 'ECONNABORTED' })],
		['ESOCKETTIMEDOUT', network({ code: 'ESOCKETTIMEDOUT' })],
		['ECONNRESET', network({ code: 'ECONNRESET' })],
		['EPIPE', network({ code: 'EPIPE' })],
		['UND_ERR_SOCKET', network({ code: 'UND_ERR_SOCKET' })],
		['ERR_BAD_RESPONSE', network({ code: 'ERR_BAD_RESPONSE' })],
		['an axios timeout (words only)', network({ message: 'timeout of 30000ms exceeded' })],
		[
			"ETIMEDOUT in n8n 1.x's shape (httpCode only)",
			network({ httpCode: 'ETIMEDOUT', message: 'The connection timed out' }),
		],
		[
			"ECONNRESET in n8n 1.x's shape (httpCode only)",
			network({
				httpCode: 'ECONNRESET',
				message: 'The connection to the server was closed unexpectedly',
			}),
		],
		['a 500', answer(500, '{"status":"fail","error":"Internal error","code":500}')],
		['a 502', answer(502, '<html>Bad Gateway</html>')],
		['a 503', answer(503, '<html>Unavailable</html>')],
		['a 504', answer(504, '<html>Gateway Timeout</html>')],
		['a 200 that is not JSON', answer(200, '<html>hello from a proxy</html>')],
		['a 200 that says partial', answer(200, '{"status":"partial","processed":1,"unprocessed":[]}')],
		[
			'a 200 that says fail with code 500',
			answer(200, '{"status":"fail","error":"oops","code":500}'),
		],
		['a 200 that says fail without a code', answer(200, '{"status":"fail","error":"oops"}')],
	])('%s fails the request as unsure, without another try', (_name, outcome) => {
		const failure = failed(outcome);
		// Without atMostOnce it would be sent again…
		expect(failure.decision).toBe('retry');
		expect(surelyNotTaken(failure)).toBe(false);
		// …with it, it is not.
		const judged = atMostOnce(failure);
		expect(judged).toEqual({ ...failure, decision: 'fail', unsure: true });
		// The original outcome is left as it was.
		expect(failure.decision).toBe('retry');
		expect(failure.unsure).toBeUndefined();
		expect(hintFor(judged, { concurrentRequests: 3, attempts: 1 })).toBe(UNSURE_HINT);
	});

	test.each([
		['a 400', answer(400, '{"status":"fail","error":"Notification channel is required","code":9}')],
		['a 413', answer(413, '<html>Too large</html>')],
	])(
		'%s fails the request as it is, not split into smaller ones and not unsure',
		(_name, outcome) => {
			const failure = failed(outcome);
			expect(failure.decision).toBe('split');
			const judged = atMostOnce(failure);
			expect(judged).toEqual({ ...failure, decision: 'fail' });
			expect(judged.unsure).toBeUndefined();
			expect(hintFor(judged, { concurrentRequests: 3, attempts: 1 })).not.toBe(UNSURE_HINT);
		},
	);

	test.each([
		['a 401', 'stop', answer(401, '{"status":"fail","error":"Passcode is not valid","code":401}')],
		['a 403', 'stop', answer(403, '{"status":"fail","error":"Not allowed","code":403}')],
		['a 404', 'stop', answer(404, '<html>Not found</html>')],
		['a 302', 'stop', answer(302, '', { Location: 'https://elsewhere' })],
		['a 422', 'fail', answer(422, '{"status":"fail","error":"nope"}')],
		[
			'a 200 that says fail with code 9',
			'fail',
			answer(200, '{"status":"fail","error":"x","code":9}'),
		],
		['a cancellation', 'stop', network({ code: 'ERR_CANCELED' })],
	] as const)('%s keeps its decision (%s)', (_name, decision, outcome) => {
		const failure = failed(outcome);
		expect(failure.decision).toBe(decision);
		expect(atMostOnce(failure)).toEqual(failure);
		expect(atMostOnce(failure).unsure).toBeUndefined();
	});

	test('an error without a code and without an answer is unsure: it may have come after sending', () => {
		const failure = failed(network(new Error('boom')));
		expect(failure.decision).toBe('fail');
		expect(atMostOnce(failure)).toEqual({ ...failure, unsure: true });
	});

	test('a success is kept as it is', () => {
		const outcome = answer(200, '{"status":"success","message":"Added to queue for processing"}');
		expect(outcome.ok).toBe(true);
		expect(atMostOnce(outcome)).toBe(outcome);
	});

	test('a status answered by CleverTap is never "surely not taken", whatever the error code', () => {
		// A code of the not-sent kind does not count once something answered.
		const failure: RequestFailure = {
			ok: false,
			decision: 'retry',
			status: 503,
			errorCode: 'ECONNREFUSED',
			summary: 'x',
		};
		expect(surelyNotTaken(failure)).toBe(false);
		expect(atMostOnce(failure)).toMatchObject({ decision: 'fail', unsure: true });
	});

	describe.each(N8N_MAJORS)('the transport errors %s throws, as recorded', (major) => {
		const expected: Record<(typeof RECORDED_FAILURES)[number], { code: string; unsure: boolean }> =
			{
				reset: { code: 'ECONNRESET', unsure: true },
				'reset-mid-body': { code: 'ECONNRESET', unsure: true },
				'close-mid-body': { code: 'ERR_BAD_RESPONSE', unsure: true },
				hang: { code: 'ECONNABORTED', unsure: true },
				refused: { code: 'ECONNREFUSED', unsure: false },
				'unknown-host': { code: 'ENOTFOUND', unsure: false },
			};
		test.each(RECORDED_FAILURES)('%s', (kind) => {
			const failure = network(recordedN8nError(major, kind));
			expect(failure.errorCode).toBe(expected[kind].code);
			const judged = atMostOnce(failure);
			if (expected[kind].unsure) {
				expect(judged).toMatchObject({ decision: 'fail', unsure: true });
			} else {
				expect(judged).toMatchObject({ decision: 'retry' });
				expect(judged.unsure).toBeUndefined();
			}
		});
	});
});

describe('the words for a request that may have been done', () => {
	const words = { done: 'sent', one: 'person', many: 'people' };
	const lost: Failure = {
		...(atMostOnce(network({ code: 'ETIMEDOUT' })) as RequestFailure),
		attempts: 1,
	};

	test('mayHaveBeenDone asks to check in CleverTap, with what failed', () => {
		expect(mayHaveBeenDone('Campaign "Winter"', 'created', lost)).toBe(
			'Campaign "Winter" may have been created: check in CleverTap before sending again (CleverTap at in1.api.clevertap.com did not answer within 30 seconds)',
		);
		expect(mayHaveBeenDone('X', 'sent', { ...lost, attempts: 3 })).toMatch(/ after 3 attempts\)$/);
	});

	test('an item whose request was unsure says it may have been sent', () => {
		expect(itemNotDone(words, { failed: 1, records: 1 }, ['the push to identity "a"'], lost)).toBe(
			'The push to identity "a" may have been sent: check in CleverTap before sending again (CleverTap at in1.api.clevertap.com did not answer within 30 seconds)',
		);
	});

	test('a failure that is not unsure still says "was not sent"', () => {
		const refused: Failure = {
			...(atMostOnce(
				failed(answer(400, '{"status":"fail","error":"bad","code":400}')),
			) as RequestFailure),
			attempts: 1,
		};
		expect(
			itemNotDone(words, { failed: 1, records: 1 }, ['the push to identity "a"'], refused),
		).toBe(
			'The push to identity "a" was not sent: CleverTap refused the request as invalid (HTTP 400: "bad")',
		);
	});

	test('a request never sent (the run stopped first) is not called unsure', () => {
		const notSent: Failure = { ...lost, attempts: 0, notSent: true };
		expect(
			itemNotDone(words, { failed: 1, records: 1 }, ['the push to identity "a"'], notSent),
		).toMatch(/^The push to identity "a" was not sent: it was not sent, because the node stopped/);
	});
});
