import {
	runBatches,
	throttleDelayMs,
	throttlePatienceMs,
	type RunOptions,
	type SendOutcome,
} from '../../../nodes/CleverTap/transport/batchRunner';

const ids = (count: number, prefix = 'id') =>
	Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const chunk = (list: string[], size: number) =>
	Array.from({ length: Math.ceil(list.length / size) }, (_, i) =>
		list.slice(i * size, i * size + size),
	);

const ok: SendOutcome = { ok: true, status: 200 };
const status = (
	code: number,
	decision: 'retry' | 'throttle' | 'wait' | 'split' | 'stop' | 'fail',
	retryAfter?: string,
): SendOutcome => ({ ok: false, decision, status: code, retryAfter, summary: `HTTP ${code}` });

/** The runner's clock in these tests: a request takes 200 ms of it, a wait what it waits. */
let clock = 0;
const REQUEST_MS = 200;

/** A fake CleverTap: answers with a script, records concurrency, resolves on the next tick. */
function fakeApi(answer: (records: readonly string[], call: number) => SendOutcome) {
	let inFlight = 0;
	const calls: string[][] = [];
	const record = { calls, peak: 0, inFlightAtCall: [] as number[] };
	const send = async (records: readonly string[]) => {
		calls.push([...records]);
		inFlight++;
		record.inFlightAtCall.push(inFlight);
		record.peak = Math.max(record.peak, inFlight);
		const call = calls.length;
		const sentAt = clock;
		await new Promise((resolve) => setImmediate(resolve));
		clock = Math.max(clock, sentAt + REQUEST_MS);
		inFlight--;
		return answer(records, call);
	};
	return { send, record };
}

function run(
	overrides: Partial<RunOptions<string>> & Pick<RunOptions<string>, 'batches' | 'send'>,
) {
	const sleeps: number[] = [];
	const promise = runBatches<string>({
		concurrency: 3,
		maxConcurrency: 3,
		maxRetries: 5,
		stopOnFailure: false,
		sleep: async (ms) => {
			sleeps.push(ms);
			clock += ms;
		},
		now: () => clock,
		random: () => 1,
		...overrides,
	});
	return { promise, sleeps };
}

beforeEach(() => {
	clock = 0;
});

describe('throttleDelayMs: one to two request times, doubled every 4 in a row, at most 2 s', () => {
	test.each([
		[200, 1, 0, 200],
		[200, 1, 1, 400],
		[200, 4, 1, 400],
		[200, 5, 1, 800],
		[200, 9, 1, 1600],
		[200, 13, 1, 2000],
		[10, 1, 0, 50],
		[5000, 1, 0, 1000],
		[5000, 1, 1, 2000],
	])('typical %i ms, %i in a row, random %d → %i ms', (typical, inARow, random, delay) => {
		expect(throttleDelayMs(typical, inARow, () => random)).toBe(delay);
	});
});

test.each([
	[0, 0],
	[1, 20_000],
	[5, 60_000],
])('with Max Retries %i a request waits at most %i ms for a free slot', (maxRetries, ms) => {
	expect(throttlePatienceMs(maxRetries)).toBe(ms);
});

describe('runBatches', () => {
	test('sends every batch once, at most 3 at a time, and reports every record', async () => {
		const api = fakeApi(() => ok);
		const batches = chunk(ids(1000), 100);
		const { promise, sleeps } = run({ batches, send: api.send });
		const result = await promise;
		expect(api.record.calls).toEqual(batches);
		expect(api.record.peak).toBe(3);
		expect(result.stats).toEqual({
			requests: 10,
			retries: 0,
			throttled: 0,
			splits: 0,
			peakConcurrency: 3,
			raises: 0,
			finalConcurrency: 3,
			early: 0,
		});
		expect([...result.results.values()].every((r) => r.ok)).toBe(true);
		expect(result.results.size).toBe(1000);
		expect(sleeps).toEqual([]);
		expect(result.stoppedBy).toBeUndefined();
	});

	test.each([
		[1, 3, 1],
		[2, 3, 2],
		[3, 3, 3],
		[10, 3, 3],
		[15, 15, 15],
		[20, 15, 15],
	])('concurrency %i under a limit of %i keeps %i in flight', async (concurrency, limit, peak) => {
		const api = fakeApi(() => ok);
		await run({
			batches: chunk(ids(200), 5),
			send: api.send,
			concurrency,
			maxConcurrency: limit,
		}).promise;
		expect(api.record.peak).toBe(peak);
	});

	test('429s lower concurrency one step each, down to 1, and it climbs back after successes', async () => {
		// Three 429s on the first round, then every request succeeds.
		const api = fakeApi((_records, call) => (call <= 3 ? status(429, 'throttle') : ok));
		const { promise, sleeps } = run({ batches: chunk(ids(2000), 100), send: api.send });
		const result = await promise;
		expect(result.stats).toMatchObject({ throttled: 3, retries: 3, requests: 23 });
		// Before any answer a request is taken to last 500 ms: one to two of that (random() = 1).
		expect(sleeps).toEqual([1000, 1000, 1000]);
		expect([...result.results.values()].every((r) => r.ok)).toBe(true);
		expect(result.results.size).toBe(2000);
		// After the storm only one request at a time…
		expect(api.record.inFlightAtCall[3]).toBe(1);
		// …then up to 2 after 2 successes, and 3 after 4 more.
		expect(result.stats.raises).toBe(2);
		expect(result.stats.finalConcurrency).toBe(3);
		expect(api.record.inFlightAtCall.slice(-3)).toContain(3);
	});

	test('concurrency goes up again after exactly 2 × the lowered limit successes', async () => {
		// a meets a 429 (limit 2 → 1); b, then a's second try succeed: 2 successes at limit 1.
		const api = fakeApi((_records, call) => (call === 1 ? status(429, 'throttle') : ok));
		const result = await run({
			batches: [['a'], ['b']],
			send: api.send,
			concurrency: 2,
			maxConcurrency: 2,
		}).promise;
		expect(api.record.calls).toEqual([['a'], ['b'], ['a']]);
		expect(result.stats).toMatchObject({ throttled: 1, raises: 1, finalConcurrency: 2 });
	});

	test('the wait after a 429 follows the moving average of the request times', async () => {
		// a takes 100 ms, b 300 ms: 0.8 × 100 + 0.2 × 300 = 140 ms, so c waits 2 × 140 ms.
		const took = [100, 300, 0, 0];
		let call = 0;
		const { promise, sleeps } = run({
			batches: [['a'], ['b'], ['c']],
			send: async () => {
				clock += took[call];
				call++;
				return call === 3 ? status(429, 'throttle') : ok;
			},
			concurrency: 1,
		});
		await promise;
		expect(sleeps).toEqual([280]);
	});

	test('successes while a throttled request waits count as the run moving on', async () => {
		// id-0 meets 13 429s in a row; each time, one of the 14 other requests finishes while it
		// waits. Its waits add up to more than Max Retries 1 allows (20 s), but the run moves on
		// between them, so it keeps its turn and goes through.
		const waiting: Array<() => void> = [];
		let throttledSoFar = 0;
		const tick = () => new Promise((resolve) => setImmediate(resolve));
		const sleeps: number[] = [];
		const result = await run({
			batches: chunk(ids(15), 1),
			send: async (records) => {
				if (records[0] === 'id-0') {
					await tick();
					if (throttledSoFar < 13) {
						throttledSoFar++;
						return status(429, 'throttle');
					}
					for (const release of waiting.splice(0)) release();
					return ok;
				}
				await new Promise<void>((resolve) => waiting.push(resolve));
				return ok;
			},
			concurrency: 15,
			maxConcurrency: 15,
			maxRetries: 1,
			sleep: async (ms) => {
				sleeps.push(ms);
				clock += ms;
				waiting.shift()?.();
				for (let i = 0; i < 5; i++) await tick();
			},
		}).promise;
		expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThan(throttlePatienceMs(1));
		expect(result.results.get('id-0')).toEqual({ ok: true, data: undefined });
		expect([...result.results.values()].every((r) => r.ok)).toBe(true);
	});

	test('without enough successes the concurrency stays lowered', async () => {
		const api = fakeApi((_records, call) => (call <= 3 ? status(429, 'throttle') : ok));
		const result = await run({ batches: chunk(ids(400), 100), send: api.send }).promise;
		// 4 successes after dropping to 1: enough to go to 2 (2 × 1), not to 3 (2 × 2 more).
		expect(result.stats.raises).toBe(1);
		expect(result.stats.finalConcurrency).toBe(2);
	});

	test("a 429 while the run's other requests succeed is not charged to the retry budget", async () => {
		// id-0's request meets a busy account 4 times while the run's others get through: another
		// client holds slots, so it waits its turn instead of failing with maxRetries 1.
		let throttledSoFar = 0;
		const api = fakeApi((records) => {
			if (records[0] === 'id-0' && throttledSoFar < 4) {
				throttledSoFar++;
				return status(429, 'throttle');
			}
			return ok;
		});
		const sleeps: number[] = [];
		const result = await runBatches<string>({
			batches: chunk(ids(3000), 100),
			send: api.send,
			concurrency: 3,
			maxConcurrency: 3,
			maxRetries: 1,
			stopOnFailure: false,
			random: () => 1,
			now: () => clock,
			// The wait lets the other requests in flight finish, as real time would.
			sleep: async (ms) => {
				sleeps.push(ms);
				clock += ms;
				for (let tick = 0; tick < 5; tick++) await new Promise((resolve) => setImmediate(resolve));
			},
		});
		expect(result.results.get('id-0')).toEqual({ ok: true, data: undefined });
		expect(result.stats.throttled).toBe(4);
		expect([...result.results.values()].every((r) => r.ok)).toBe(true);
		// Waits stay short: one to two request times (500 ms taken before any answer, then what
		// the answers took), far below the 2 s cap.
		expect(sleeps[0]).toBe(1000);
		expect(Math.max(...sleeps.slice(1))).toBeLessThan(1000);
	});

	test('a 429 storm with no progress at all ends once a request has waited its patience out', async () => {
		const api = fakeApi(() => status(429, 'throttle'));
		const { promise, sleeps } = run({
			batches: chunk(ids(300), 100),
			send: api.send,
			maxRetries: 2,
		});
		const result = await promise;
		// Max Retries 2 gives 30 s of waiting per request: 4 × 1 s, then 2 s each (doubled after
		// 4 in a row, at most 2 s) up to 30 s, then it gives up.
		expect(throttlePatienceMs(2)).toBe(30_000);
		expect(api.record.calls).toHaveLength(3 * 18);
		expect(sleeps.slice(0, 5)).toEqual([1000, 1000, 1000, 1000, 1000]);
		expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(3 * 30_000);
		expect(result.results.get('id-0')).toMatchObject({
			ok: false,
			failure: { status: 429, attempts: 18 },
		});
	});

	test('with Max Retries 0 a 429 is not waited out', async () => {
		const api = fakeApi(() => status(429, 'throttle'));
		const { promise, sleeps } = run({ batches: [['a']], send: api.send, maxRetries: 0 });
		const result = await promise;
		expect(api.record.calls).toHaveLength(1);
		expect(sleeps).toEqual([]);
		expect(result.results.get('a')).toMatchObject({ ok: false, failure: { status: 429 } });
	});

	test('with Max Retries 0 a 429 is not sent again, even when CleverTap says to retry at once', async () => {
		const api = fakeApi((_records, call) => (call === 1 ? status(429, 'throttle', '0') : ok));
		const result = await run({ batches: [['a']], send: api.send, maxRetries: 0 }).promise;
		expect(api.record.calls).toHaveLength(1);
		expect(result.results.get('a')).toMatchObject({ ok: false, failure: { status: 429 } });
	});

	test('waits after a 503 do not count against the patience for a free slot', async () => {
		// Max Retries 1 allows 20 s of waiting for a slot; the 20 s the 503 asked for are not part of it.
		const api = fakeApi((_records, call) =>
			call === 1 ? status(503, 'retry', '20') : call === 2 ? status(429, 'throttle') : ok,
		);
		const { promise, sleeps } = run({ batches: [['a']], send: api.send, maxRetries: 1 });
		const result = await promise;
		expect(sleeps).toEqual([20_000, 1000]);
		expect(result.results.get('a')).toEqual({ ok: true, data: undefined, resent: true });
	});

	test('429s do not use up Max Retries: a 503 after many 429s is still retried', async () => {
		const api = fakeApi((_records, call) =>
			call <= 8 ? status(429, 'throttle') : call === 9 ? status(503, 'retry') : ok,
		);
		const result = await run({ batches: [['a']], send: api.send, maxRetries: 1 }).promise;
		expect(result.results.get('a')).toEqual({ ok: true, data: undefined, resent: true });
		expect(api.record.calls).toHaveLength(10);
	});

	test('Retry-After is honoured, as seconds and as a date', async () => {
		const api = fakeApi((_records, call) => (call === 1 ? status(429, 'throttle', '2') : ok));
		const { promise, sleeps } = run({ batches: [['a']], send: api.send });
		await promise;
		expect(sleeps).toEqual([2000]);
	});

	test('back-off grows exponentially with jitter and stops at the retry budget', async () => {
		const api = fakeApi(() => status(503, 'retry'));
		const { promise, sleeps } = run({
			batches: [['a', 'b']],
			send: api.send,
			maxRetries: 4,
			random: () => 0,
		});
		const result = await promise;
		expect(api.record.calls).toHaveLength(5);
		// random() = 0 gives the lower half of each step: 250, 500, 1000, 2000.
		expect(sleeps).toEqual([250, 500, 1000, 2000]);
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

	test('onRetry is told before every wait', async () => {
		const api = fakeApi((_records, call) => (call < 3 ? status(503, 'retry') : ok));
		const events: unknown[] = [];
		await run({ batches: [['a', 'b']], send: api.send, onRetry: (event) => events.push(event) })
			.promise;
		expect(events).toEqual([
			{ records: 2, failure: expect.objectContaining({ status: 503 }), attempts: 1, delayMs: 500 },
			{ records: 2, failure: expect.objectContaining({ status: 503 }), attempts: 2, delayMs: 1000 },
		]);
	});

	test('a 400 is narrowed down: only the refused record fails', async () => {
		const api = fakeApi((records) => (records.includes('bad') ? status(400, 'split') : ok));
		const batch = ['a', 'b', 'c', 'bad', 'e', 'f', 'g', 'h'];
		const result = await run({ batches: [batch], send: api.send }).promise;
		for (const id of batch.filter((i) => i !== 'bad')) {
			expect(result.results.get(id)).toEqual({ ok: true, data: undefined });
		}
		expect(result.results.get('bad')).toMatchObject({ ok: false, failure: { status: 400 } });
		// 1 + 2 halves + 2 quarters + 2 pairs: each good record is sent exactly once successfully.
		expect(api.record.calls).toHaveLength(7);
		const succeeded = api.record.calls.filter((c) => !c.includes('bad')).flat();
		expect(succeeded.sort()).toEqual(batch.filter((i) => i !== 'bad').sort());
		expect(result.stats.splits).toBe(3);
	});

	test('401 stops the run: the rest is reported as not sent, nothing is sent after it', async () => {
		const api = fakeApi(() => status(401, 'stop'));
		const batches = chunk(ids(500), 100);
		const result = await run({ batches, send: api.send, concurrency: 1 }).promise;
		expect(api.record.calls).toHaveLength(1);
		expect(result.stoppedBy).toMatchObject({ status: 401, records: batches[0] });
		expect(result.results.get('id-0')).toMatchObject({ ok: false, failure: { status: 401 } });
		expect(result.results.get('id-499')).toMatchObject({
			ok: false,
			failure: { status: 401, notSent: true, attempts: 0 },
		});
		expect(result.results.size).toBe(500);
	});

	test('stopOnFailure stops after the first failed request', async () => {
		const api = fakeApi((records) => (records[0] === 'id-100' ? status(409, 'fail') : ok));
		const result = await run({
			batches: chunk(ids(500), 100),
			send: api.send,
			concurrency: 1,
			stopOnFailure: true,
		}).promise;
		expect(api.record.calls).toHaveLength(2);
		expect(result.results.get('id-0')).toEqual({ ok: true, data: undefined });
		expect(result.results.get('id-100')).toMatchObject({ ok: false, failure: { status: 409 } });
		expect(result.results.get('id-200')).toMatchObject({ ok: false, failure: { notSent: true } });
		expect(result.stoppedBy).toMatchObject({ status: 409, records: chunk(ids(500), 100)[1] });
	});

	test('a request waiting to retry when the run stops is cut short, not blamed', async () => {
		// Batch A (id-0…) fails for good with a reset while batch B (id-100…) waits after a 503.
		const api = fakeApi((records) =>
			records[0] === 'id-0'
				? { ok: false, decision: 'fail', errorCode: 'ECONNRESET', summary: 'reset' }
				: records[0] === 'id-100'
					? status(503, 'retry')
					: ok,
		);
		const result = await run({
			batches: chunk(ids(200), 100),
			send: api.send,
			stopOnFailure: true,
			// B's wait ends after A has stopped the run.
			sleep: async () => {
				for (let tick = 0; tick < 5; tick++) await new Promise((resolve) => setImmediate(resolve));
			},
		}).promise;
		expect(result.stoppedBy).toMatchObject({ errorCode: 'ECONNRESET', records: ids(100) });
		expect(result.results.get('id-150')).toEqual({
			ok: false,
			failure: expect.objectContaining({
				errorCode: 'ECONNRESET',
				cutShort: true,
				attempts: 1,
				own: expect.objectContaining({ status: 503 }),
			}),
		});
		// B was sent once and not again.
		expect(api.record.calls.filter((c) => c[0] === 'id-100')).toHaveLength(1);
	});

	test('a request that fails for a passing reason after the run stopped does not wait', async () => {
		// A (id-0…) stops the run; B (id-100…), sent beside it, then meets a 503.
		const api = fakeApi((records) =>
			records[0] === 'id-0' ? status(409, 'fail') : status(503, 'retry'),
		);
		const retries: unknown[] = [];
		const { promise, sleeps } = run({
			batches: chunk(ids(200), 100),
			send: api.send,
			stopOnFailure: true,
			onRetry: (event) => retries.push(event),
		});
		const result = await promise;
		expect(sleeps).toEqual([]);
		expect(retries).toEqual([]);
		expect(result.stats.retries).toBe(0);
		expect(result.results.get('id-100')).toMatchObject({
			ok: false,
			failure: { status: 409, cutShort: true, attempts: 1, own: { status: 503 } },
		});
	});

	test('without stopOnFailure a failed request does not stop the others', async () => {
		const api = fakeApi((records) => (records[0] === 'id-100' ? status(409, 'fail') : ok));
		const result = await run({ batches: chunk(ids(500), 100), send: api.send }).promise;
		expect(api.record.calls).toHaveLength(5);
		expect([...result.results.values()].filter((r) => !r.ok)).toHaveLength(100);
		expect(result.stoppedBy).toBeUndefined();
	});

	test('records an accepted answer refuses fail alone; with stopOnFailure they stop the run', async () => {
		const refusal = { ok: false as const, decision: 'fail' as const, summary: 'refused' };
		const answer = (records: readonly string[]): SendOutcome => ({
			ok: true,
			status: 200,
			records: records.map((id) => (id === 'id-1' ? { ok: false, failure: refusal } : undefined)),
		});
		const api = fakeApi(answer);
		const lenient = await run({ batches: chunk(ids(6), 2), send: api.send, concurrency: 1 })
			.promise;
		expect(lenient.results.get('id-1')).toEqual({
			ok: false,
			failure: { ...refusal, attempts: 1 },
		});
		expect([...lenient.results.values()].filter((r) => r.ok)).toHaveLength(5);

		const strict = await run({
			batches: chunk(ids(6), 2),
			send: fakeApi(answer).send,
			concurrency: 1,
			stopOnFailure: true,
		}).promise;
		expect(strict.stoppedBy).toMatchObject({ summary: 'refused', records: ['id-1'] });
		expect(strict.results.get('id-2')).toMatchObject({ ok: false, failure: { notSent: true } });
	});

	test('data an answer carries per record reaches the result', async () => {
		const api = fakeApi((records) => ({
			ok: true,
			status: 200,
			records: records.map((id) => ({ ok: true, data: { profile: id } })),
		}));
		const result = await run({ batches: [['a'], ['b']], send: api.send }).promise;
		expect(result.results.get('b')).toEqual({ ok: true, data: { profile: 'b' } });
	});

	test('cancellation stops before the next request', async () => {
		const api = fakeApi(() => ok);
		let cancelled = false;
		const result = await run({
			batches: chunk(ids(300), 100),
			send: async (records) => {
				cancelled = true;
				return await api.send(records);
			},
			concurrency: 1,
			isCancelled: () => cancelled,
		}).promise;
		expect(api.record.calls).toHaveLength(1);
		expect(result.stoppedBy?.summary).toBe('The execution was cancelled');
		expect(result.results.get('id-200')).toMatchObject({ ok: false, failure: { notSent: true } });
	});

	test('a send that throws (a bug) still reports every record', async () => {
		const result = await run({
			batches: [['a', 'b']],
			send: async () => {
				throw new Error('bug');
			},
		}).promise;
		expect(result.results.get('b')).toMatchObject({
			ok: false,
			failure: { summary: 'Unexpected error: bug' },
		});
	});

	test('an empty batch is not sent', async () => {
		const api = fakeApi(() => ok);
		const result = await run({ batches: [[], ['a'], []], send: api.send }).promise;
		expect(api.record.calls).toEqual([['a']]);
		expect(result.stats.requests).toBe(1);
	});

	test('no batches, no requests', async () => {
		const api = fakeApi(() => ok);
		const result = await run({ batches: [], send: api.send }).promise;
		expect(api.record.calls).toEqual([]);
		expect(result.results.size).toBe(0);
	});
});

describe('runBatches: answers CleverTap is still preparing', () => {
	test('are sent again after growing pauses that use up no retries, and lower nothing', async () => {
		const { send, record } = fakeApi((_records, call) => (call <= 4 ? status(202, 'wait') : ok));
		const { promise, sleeps } = run({ batches: [['a']], send, maxRetries: 1 });
		const result = await promise;
		expect(result.results.get('a')).toEqual({ ok: true, data: undefined });
		expect(sleeps).toEqual([1000, 2000, 4000, 8000]);
		expect(record.calls).toHaveLength(5);
		expect(result.stats).toMatchObject({ throttled: 0, finalConcurrency: 3, retries: 4 });
	});

	test('fail once the pauses would pass the patience Max Retries gives (10 s each, plus 10)', async () => {
		const { send, record } = fakeApi(() => status(200, 'wait'));
		const { promise, sleeps } = run({ batches: [['a']], send, maxRetries: 2 });
		const result = await promise;
		// 30 s of patience: 1 + 2 + 4 + 8 + 15 = 30.
		expect(sleeps).toEqual([1000, 2000, 4000, 8000, 15_000]);
		expect(record.calls).toHaveLength(6);
		expect(result.results.get('a')).toMatchObject({
			ok: false,
			failure: { decision: 'wait', attempts: 6, summary: 'HTTP 200' },
		});
	});

	test('Max Retries 0 does not wait at all', async () => {
		const { send } = fakeApi(() => status(202, 'wait'));
		const { promise, sleeps } = run({ batches: [['a']], send, maxRetries: 0 });
		const result = await promise;
		expect(sleeps).toEqual([]);
		expect(result.results.get('a')).toMatchObject({ ok: false, failure: { attempts: 1 } });
	});

	test('a retry after a 5xx between waits still counts against Max Retries alone', async () => {
		const answers = [status(202, 'wait'), status(502, 'retry'), status(202, 'wait'), ok];
		const { send } = fakeApi((_records, call) => answers[call - 1]);
		const { promise } = run({ batches: [['a']], send, maxRetries: 1 });
		const result = await promise;
		expect(result.results.get('a')).toEqual({ ok: true, data: undefined, resent: true });
	});
});

describe('runBatches: which records were sent again after a lost answer', () => {
	const network = (errorCode: string): SendOutcome => ({
		ok: false,
		decision: 'retry',
		errorCode,
		summary: errorCode,
	});

	test.each([
		['a 503', status(503, 'retry'), true],
		['a timeout', network('ETIMEDOUT'), true],
		['a reset', network('ECONNRESET'), true],
		['a 429', status(429, 'throttle'), false],
		['nothing listening', network('ECONNREFUSED'), false],
		['an unknown host', network('ENOTFOUND'), false],
	])('after %s the record is resent: %s', async (_name, first, resent) => {
		const api = fakeApi((_records, call) => (call === 1 ? first : ok));
		const result = await run({ batches: [['a'], ['b']], send: api.send }).promise;
		expect(result.results.get('a')).toEqual(
			resent ? { ok: true, data: undefined, resent: true } : { ok: true, data: undefined },
		);
		// The other request went through at its first try.
		expect(result.results.get('b')).toEqual({ ok: true, data: undefined });
	});

	test('the halves of a split keep the mark of the request they came from', async () => {
		const api = fakeApi((records, call) =>
			call === 1 ? status(503, 'retry') : records.length > 1 ? status(400, 'split') : ok,
		);
		const result = await run({ batches: [['a', 'b']], send: api.send }).promise;
		expect(result.results.get('a')).toEqual({ ok: true, data: undefined, resent: true });
		expect(result.results.get('b')).toEqual({ ok: true, data: undefined, resent: true });
	});
});
