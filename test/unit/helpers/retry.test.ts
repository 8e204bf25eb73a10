import {
	decideForErrorCode,
	decideForStatus,
	MAX_RETRY_DELAY_MS,
	notReadyDelayMs,
	parseRetryAfter,
	retryDelayMs,
} from '../../../nodes/CleverTap/helpers/retry';

describe('decideForStatus', () => {
	test.each([
		[429, 'throttle'],
		[500, 'retry'],
		[502, 'retry'],
		[503, 'retry'],
		[504, 'retry'],
		[400, 'split'],
		[413, 'split'],
		[401, 'stop'],
		[403, 'stop'],
		[404, 'stop'],
		[405, 'stop'],
		[409, 'fail'],
		[418, 'fail'],
	])('HTTP %i → %s', (status, decision) => {
		expect(decideForStatus(status)).toBe(decision);
	});
});

describe('decideForErrorCode', () => {
	test.each([
		['ECONNRESET', 'retry'],
		['ECONNREFUSED', 'retry'],
		['ETIMEDOUT', 'retry'],
		['ECONNABORTED', 'retry'],
		['ENOTFOUND', 'retry'],
		['EAI_AGAIN', 'retry'],
		['EPIPE', 'retry'],
		['ERR_CANCELED', 'fail'],
		['CERT_HAS_EXPIRED', 'fail'],
		[undefined, 'fail'],
	])('%s → %s', (code, decision) => {
		expect(decideForErrorCode(code)).toBe(decision);
	});
});

describe('retryDelayMs', () => {
	test.each([
		[1, 0, 250],
		[1, 1, 500],
		[2, 0, 500],
		[2, 1, 1000],
		[3, 0.5, 1500],
		[5, 1, 8000],
		[10, 1, MAX_RETRY_DELAY_MS / 6],
	])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
		expect(retryDelayMs(attempt, undefined, () => random)).toBe(expected);
	});

	test('Retry-After in seconds wins over back-off, capped', () => {
		expect(retryDelayMs(1, '3', () => 0)).toBe(3000);
		expect(retryDelayMs(1, '0', () => 0)).toBe(0);
		expect(retryDelayMs(1, '86400', () => 0)).toBe(MAX_RETRY_DELAY_MS);
	});

	test('Retry-After as an HTTP date', () => {
		const now = Date.parse('2026-11-28T12:00:00Z');
		expect(retryDelayMs(1, 'Sat, 28 Nov 2026 12:00:05 GMT', () => 0, 500, now)).toBe(5000);
		expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
	});

	test.each([
		['3', 3000],
		[' 3 ', 3000],
		['10', 10_000],
		['1.5', 1500],
		['1.25', 1250],
		// Not a number of seconds, and no date either.
		['x5', undefined],
	])('Retry-After %j → %p ms to wait', (header, ms) => {
		expect(parseRetryAfter(header, 0)).toBe(ms);
	});

	test('an unreadable Retry-After falls back to back-off', () => {
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter('')).toBeUndefined();
		expect(retryDelayMs(1, 'soon', () => 1)).toBe(500);
	});
});

describe('notReadyDelayMs', () => {
	test.each([
		[1, 1000],
		[2, 2000],
		[4, 8000],
		[5, 15_000],
		[9, 15_000],
		[0, 1000],
	])('wait %s: %s ms', (waits, ms) => {
		expect(notReadyDelayMs(waits)).toBe(ms);
	});
});
