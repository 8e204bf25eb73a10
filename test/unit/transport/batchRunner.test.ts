import type { RequestOutcome } from '../../../nodes/CleverTap/transport';
import { runBatches, type RunOptions } from '../../../nodes/CleverTap/transport/batchRunner';

const ids = (count: number, prefix = 'id') =>
	Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const chunk = (list: string[], size: number) =>
	Array.from({ length: Math.ceil(list.length / size) }, (_, i) =>
		list.slice(i * size, i * size + size),
	);

const ok: RequestOutcome = { ok: true, status: 200 };
const status = (
	code: number,
	decision: 'retry' | 'throttle' | 'split' | 'stop' | 'fail',
	retryAfter?: string,
): RequestOutcome => ({
	ok: false,
	decision,
	status: code,
	retryAfter,
	summary: `HTTP ${code}`,
});

/** A fake CleverTap: answers with a script, records concurrency, resolves on the next tick. */
function fakeApi(answer: (identities: string[], call: number) => RequestOutcome) {
	let inFlight = 0;
	const calls: string[][] = [];
	const record = { calls, peak: 0 };
	const send = async (identities: string[]) => {
		calls.push(identities);
		inFlight++;
		record.peak = Math.max(record.peak, inFlight);
		await new Promise((resolve) => setImmediate(resolve));
		inFlight--;
		return answer(identities, calls.length);
	};
	return { send, record };
}

function run(overrides: Partial<RunOptions> & Pick<RunOptions, 'batches' | 'send'>) {
	const sleeps: number[] = [];
	const promise = runBatches({
		concurrency: 3,
		maxRetries: 5,
		stopOnFailure: false,
		sleep: async (ms) => {
			sleeps.push(ms);
		},
		random: () => 1,
		...overrides,
	});
	return { promise, sleeps };
}

describe('runBatches', () => {
	test('sends every batch once, at most 3 at a time, and reports every identity', async () => {
		const api = fakeApi(() => ok);
		const batches = chunk(ids(1000), 100);
		const { promise, sleeps } = run({ batches, send: api.send });
		const result = await promise;
		expect(api.record.calls).toEqual(batches);
		expect(api.record.peak).toBe(3);
		expect(result.stats).toMatchObject({
			requests: 10,
			retries: 0,
			throttled: 0,
			peakConcurrency: 3,
		});
		expect([...result.results.values()].every((r) => r.ok)).toBe(true);
		expect(result.results.size).toBe(1000);
		expect(sleeps).toEqual([]);
		expect(result.stoppedBy).toBeUndefined();
	});

	test.each([1, 2, 3])('never exceeds a concurrency of %i', async (concurrency) => {
		const api = fakeApi(() => ok);
		await run({ batches: chunk(ids(50), 5), send: api.send, concurrency }).promise;
		expect(api.record.peak).toBe(concurrency);
	});

	test('a concurrency above 3 is held at 3', async () => {
		const api = fakeApi(() => ok);
		await run({ batches: chunk(ids(50), 5), send: api.send, concurrency: 10 }).promise;
		expect(api.record.peak).toBe(3);
	});

	test('429 lowers concurrency, backs off, and every identity still ends demerged', async () => {
		const api = fakeApi((_identities, call) => (call <= 3 ? status(429, 'throttle') : ok));
		const { promise, sleeps } = run({ batches: chunk(ids(600), 100), send: api.send });
		const result = await promise;
		expect(result.stats.throttled).toBe(3);
		expect(result.stats.retries).toBe(3);
		expect(result.stats.requests).toBe(9);
		expect(sleeps).toEqual([500, 500, 500]);
		expect([...result.results.values()].every((r) => r.ok)).toBe(true);
		expect(result.results.size).toBe(600);
		// Three 429s in a row bring the limit to 1; it climbs back after successes.
		expect(result.stats.finalConcurrency).toBeGreaterThanOrEqual(1);
		expect(result.stats.finalConcurrency).toBeLessThanOrEqual(3);
	});

	test('after 429s the concurrency really drops', async () => {
		let inFlight = 0;
		let peakAfterThrottle = 0;
		let throttled = false;
		let call = 0;
		const send = async () => {
			call++;
			const mine = call;
			inFlight++;
			if (throttled) peakAfterThrottle = Math.max(peakAfterThrottle, inFlight);
			await new Promise((resolve) => setImmediate(resolve));
			inFlight--;
			if (mine <= 3) {
				throttled = true;
				return status(429, 'throttle');
			}
			return ok;
		};
		await run({ batches: chunk(ids(40), 10), send }).promise;
		expect(peakAfterThrottle).toBeLessThan(3);
	});

	test("a 429 while the run's other batches succeed is not charged to the retry budget", async () => {
		// Batch id-0 meets a busy account 4 times while the run's other batches get through: another
		// client holds slots, so it waits its turn instead of failing with maxRetries 1.
		let throttledSoFar = 0;
		const api = fakeApi((identities) => {
			if (identities[0] === 'id-0' && throttledSoFar < 4) {
				throttledSoFar++;
				return status(429, 'throttle');
			}
			return ok;
		});
		const sleeps: number[] = [];
		const result = await runBatches({
			batches: chunk(ids(3000), 100),
			send: api.send,
			concurrency: 3,
			maxRetries: 1,
			stopOnFailure: false,
			random: () => 1,
			// The wait lets the other batches in flight finish, as real time would.
			sleep: async (ms) => {
				sleeps.push(ms);
				for (let tick = 0; tick < 5; tick++) await new Promise((resolve) => setImmediate(resolve));
			},
		});
		expect(result.results.get('id-0')).toEqual({ ok: true });
		expect(result.stats.throttled).toBe(4);
		expect([...result.results.values()].every((r) => r.ok)).toBe(true);
		// Waits after a 429 stay short (at most 2 s) however many come in a row.
		expect(sleeps).toEqual([500, 1000, 2000, 2000]);
	});

	test('a 429 storm with no progress at all still ends within the budget', async () => {
		const api = fakeApi(() => status(429, 'throttle'));
		const result = await run({ batches: chunk(ids(300), 100), send: api.send, maxRetries: 2 })
			.promise;
		expect(api.record.calls).toHaveLength(9);
		expect(result.results.get('id-0')).toMatchObject({
			ok: false,
			failure: { status: 429, attempts: 3 },
		});
	});

	test('Retry-After is honoured', async () => {
		const api = fakeApi((_identities, call) => (call === 1 ? status(429, 'throttle', '2') : ok));
		const { promise, sleeps } = run({ batches: [['a']], send: api.send });
		await promise;
		expect(sleeps).toEqual([2000]);
	});

	test('back-off grows exponentially and stops at the retry budget', async () => {
		const api = fakeApi(() => status(503, 'retry'));
		const { promise, sleeps } = run({ batches: [['a', 'b']], send: api.send, maxRetries: 4 });
		const result = await promise;
		expect(api.record.calls).toHaveLength(5);
		expect(sleeps).toEqual([500, 1000, 2000, 4000]);
		expect(result.results.get('a')).toEqual({
			ok: false,
			failure: expect.objectContaining({ status: 503, attempts: 5 }),
		});
	});

	test('maxRetries 0 sends once', async () => {
		const api = fakeApi(() => status(500, 'retry'));
		await run({ batches: [['a']], send: api.send, maxRetries: 0 }).promise;
		expect(api.record.calls).toHaveLength(1);
	});

	test('a 400 is narrowed down: only the refused identity fails', async () => {
		const api = fakeApi((identities) => (identities.includes('bad') ? status(400, 'split') : ok));
		const batch = ['a', 'b', 'c', 'bad', 'e', 'f', 'g', 'h'];
		const result = await run({ batches: [batch], send: api.send }).promise;
		for (const identity of batch.filter((i) => i !== 'bad')) {
			expect(result.results.get(identity)).toEqual({ ok: true });
		}
		expect(result.results.get('bad')).toMatchObject({ ok: false, failure: { status: 400 } });
		// 1 + 2 halves + 2 quarters + 2 pairs: each good identity is sent exactly once successfully.
		expect(api.record.calls).toHaveLength(7);
		const succeeded = api.record.calls.filter((c) => !c.includes('bad')).flat();
		expect(succeeded.sort()).toEqual(batch.filter((i) => i !== 'bad').sort());
	});

	test('401 stops the run: the rest is reported as not sent, nothing is sent after it', async () => {
		const api = fakeApi(() => status(401, 'stop'));
		const batches = chunk(ids(500), 100);
		const result = await run({ batches, send: api.send, concurrency: 1 }).promise;
		expect(api.record.calls).toHaveLength(1);
		expect(result.stoppedBy).toMatchObject({ status: 401 });
		expect(result.results.get('id-0')).toMatchObject({ ok: false, failure: { status: 401 } });
		expect(result.results.get('id-499')).toMatchObject({
			ok: false,
			failure: { status: 401, notSent: true },
		});
		expect(result.results.size).toBe(500);
	});

	test('stopOnFailure stops after the first failed batch', async () => {
		const api = fakeApi((identities) => (identities[0] === 'id-100' ? status(409, 'fail') : ok));
		const result = await run({
			batches: chunk(ids(500), 100),
			send: api.send,
			concurrency: 1,
			stopOnFailure: true,
		}).promise;
		expect(api.record.calls).toHaveLength(2);
		expect(result.results.get('id-0')).toEqual({ ok: true });
		expect(result.results.get('id-100')).toMatchObject({ ok: false, failure: { status: 409 } });
		expect(result.results.get('id-200')).toMatchObject({ ok: false, failure: { notSent: true } });
	});

	test('without stopOnFailure a failed batch does not stop the others', async () => {
		const api = fakeApi((identities) => (identities[0] === 'id-100' ? status(409, 'fail') : ok));
		const result = await run({ batches: chunk(ids(500), 100), send: api.send }).promise;
		expect(api.record.calls).toHaveLength(5);
		expect([...result.results.values()].filter((r) => !r.ok)).toHaveLength(100);
	});

	test('cancellation stops before the next request', async () => {
		const api = fakeApi(() => ok);
		let cancelled = false;
		const result = await run({
			batches: chunk(ids(300), 100),
			send: async (identities) => {
				cancelled = true;
				return await api.send(identities);
			},
			concurrency: 1,
			isCancelled: () => cancelled,
		}).promise;
		expect(api.record.calls).toHaveLength(1);
		expect(result.stoppedBy?.summary).toBe('The execution was cancelled');
		expect(result.results.get('id-200')).toMatchObject({ ok: false, failure: { notSent: true } });
	});

	test('no batches, no requests', async () => {
		const api = fakeApi(() => ok);
		const result = await run({ batches: [], send: api.send }).promise;
		expect(api.record.calls).toEqual([]);
		expect(result.results.size).toBe(0);
	});
});
