/**
 * Sending early across a network, in virtual time: an account that serves 3 requests at a time
 * (L ms each) and answers 429 at once beyond that, behind a network where every request opens a new
 * connection, as n8n does: it reaches CleverTap 2.5 round trips after it was sent (TCP, TLS, the
 * request) and its answer comes back half a round trip later.
 */
import { runBatches, type SendOutcome } from '../../../nodes/CleverTap/transport/batchRunner';
import { Pacer } from '../../../nodes/CleverTap/transport/pacer';
import { seededRandom, virtualTime } from '../../support/virtualTime';

const SLOTS = 3;

function farAccount(
	sleep: (ms: number) => Promise<void>,
	{ rttMs, serviceMs, jitter }: { rttMs: number; serviceMs: number; jitter?: () => number },
) {
	let busy = 0;
	const stats = { accepted: 0, throttled: 0, peak: 0, sent: 0, openPeak: 0 };
	let open = 0;
	const send = async (): Promise<SendOutcome> => {
		stats.sent++;
		open++;
		stats.openPeak = Math.max(stats.openPeak, open);
		try {
			await sleep(2.5 * rttMs);
			if (busy >= SLOTS) {
				stats.throttled++;
				await sleep(0.5 * rttMs);
				return { ok: false, decision: 'throttle', status: 429, summary: 'busy' };
			}
			busy++;
			stats.peak = Math.max(stats.peak, busy);
			await sleep(serviceMs * (jitter ? 0.9 + 0.2 * jitter() : 1));
			busy--;
			stats.accepted++;
			await sleep(0.5 * rttMs);
			return { ok: true, status: 200 };
		} finally {
			open--;
		}
	};
	return { send, stats };
}

async function runAt(
	rttMs: number,
	{
		requests = 100,
		serviceMs = 200,
		concurrency = 3,
		pipeline = true,
		jitter = false,
	}: {
		requests?: number;
		serviceMs?: number;
		concurrency?: number;
		pipeline?: boolean;
		jitter?: boolean;
	} = {},
) {
	const clock = virtualTime();
	const random = seededRandom(7);
	const account = farAccount(clock.sleep, {
		rttMs,
		serviceMs,
		jitter: jitter ? random : undefined,
	});
	const result = await clock.run(
		runBatches<string>({
			batches: Array.from({ length: requests }, (_, i) => [`r${i}`]),
			send: account.send,
			concurrency,
			maxConcurrency: SLOTS,
			pipeline,
			maxRetries: 5,
			stopOnFailure: true,
			sleep: clock.sleep,
			now: clock.now,
			random,
		}),
	);
	const failed = [...result.results.values()].filter((r) => !r.ok).length;
	// The share of CleverTap's limit: what the requests need at 3 at a time, over what they took.
	const ratio = (Math.ceil(requests / SLOTS) * serviceMs) / clock.now();
	return { ratio, failed, account: account.stats, stats: result.stats };
}

describe('sending early, timed to reach CleverTap as a slot frees (n8n opens a connection per request)', () => {
	test.each([
		// round trip, the least share of the limit with and without sending early
		[0, 0.97, 0.97],
		[50, 0.8, 0.55],
		[150, 0.7, 0.3],
	])(
		'round trip %i ms, L = 200 ms, 100 requests: at least %d of the limit (waiting for answers: %d)',
		async (rttMs, least, before) => {
			const early = await runAt(rttMs);
			const waiting = await runAt(rttMs, { pipeline: false });
			expect(early.failed).toBe(0);
			expect(early.account.peak).toBeLessThanOrEqual(SLOTS);
			expect(early.account.accepted).toBe(100);
			// The probe's one 429, and at most 5 % in all.
			expect(early.account.throttled).toBeGreaterThanOrEqual(1);
			expect(early.account.throttled).toBeLessThanOrEqual(5);
			expect(early.ratio).toBeGreaterThanOrEqual(least);
			expect(waiting.ratio).toBeGreaterThanOrEqual(before - 0.01);
			expect(waiting.ratio).toBeLessThan(before + 0.05);
			expect(early.ratio).toBeGreaterThanOrEqual(waiting.ratio - 0.01);
		},
	);

	test.each([0, 50, 150])(
		'round trip %i ms with CleverTap taking 180–220 ms a request: at most 5 %% answered 429, every request taken',
		async (rttMs) => {
			const early = await runAt(rttMs, { jitter: true });
			expect(early.failed).toBe(0);
			expect(early.account.accepted).toBe(100);
			expect(early.account.peak).toBeLessThanOrEqual(SLOTS);
			expect(early.account.throttled / early.account.sent).toBeLessThanOrEqual(0.05);
		},
	);

	test.each([1, 2])(
		'Concurrency %i (below the limit) stays a hard cap on requests open, with no probe',
		async (concurrency) => {
			const run = await runAt(150, { concurrency });
			expect(run.account.openPeak).toBe(concurrency);
			expect(run.account.throttled).toBe(0);
			expect(run.stats.early).toBe(0);
		},
	);

	test('a short run (fewer than 4 rounds of the limit) sends no probe and nothing early', async () => {
		const run = await runAt(150, { requests: 11 });
		expect(run.account.openPeak).toBe(SLOTS);
		expect(run.account.throttled).toBe(0);
	});

	test('without the pipeline option the runner waits for answers, as before', async () => {
		const run = await runAt(150, { pipeline: false });
		expect(run.account.openPeak).toBe(SLOTS);
		expect(run.stats.early).toBe(0);
	});
});

describe('Pacer', () => {
	test('knows the service time only after a 429 (the network) and an answer (network + service)', () => {
		let now = 0;
		const pacer = new Pacer(() => now);
		const a = {};
		const b = {};
		pacer.sending(a, false);
		pacer.sending(b, true, true);
		now = 450;
		expect(pacer.answered(b, 'throttled')).toBe(true);
		expect(pacer.serviceMs()).toBeUndefined();
		now = 650;
		expect(pacer.answered(a, 'ok')).toBe(false);
		expect(pacer.serviceMs()).toBe(200);
	});

	test('a request may go early while fewer than the limit were sent within the service time and its margin', () => {
		let now = 0;
		const pacer = new Pacer(() => now);
		const probe = {};
		const first = [{}, {}, {}];
		for (const request of first) pacer.sending(request, false);
		expect(pacer.mayGoEarly(3, 3, 100)).toEqual({ go: true, probe: true });
		pacer.sending(probe, true, true);
		now = 450;
		pacer.answered(probe, 'throttled');
		now = 650;
		for (const request of first) pacer.answered(request, 'ok');
		// Service 200 ms, margin 50 ms: three sent 100 ms ago hold their slots for 150 ms more.
		const later = [{}, {}, {}];
		for (const request of later) pacer.sending(request, false);
		now = 750;
		expect(pacer.mayGoEarly(3, 3, 90)).toEqual({ go: false, askAgainInMs: 150 });
		now = 900;
		expect(pacer.mayGoEarly(3, 3, 90)).toEqual({ go: true, probe: false });
		// One early request at a time until one has been answered.
		const early = {};
		pacer.sending(early, true);
		expect(pacer.mayGoEarly(3, 4, 89)).toEqual({ go: false });
		now = 1520;
		pacer.answered(early, 'ok');
		// Two more allowed then; never more than 5 a slot on their way.
		expect(pacer.mayGoEarly(3, 3, 89)).toEqual({ go: true, probe: false });
		expect(pacer.mayGoEarly(3, 15, 89)).toEqual({ go: false });
	});

	/** A pacer that has measured 100 ms of network and 300 ms answers: service 200 ms. */
	function measured() {
		let now = 0;
		const pacer = new Pacer(() => now);
		const probe = {};
		const first = {};
		pacer.sending(first, false);
		pacer.sending(probe, true, true);
		now = 100;
		expect(pacer.answered(probe, 'throttled')).toBe(true);
		now = 300;
		pacer.answered(first, 'ok');
		return { pacer, at: (ms: number) => (now = ms) };
	}

	test('a 429 on a request sent early is its own timing, and widens the margin', () => {
		const { pacer, at } = measured();
		const early = {};
		pacer.sending(early, true);
		at(400);
		expect(pacer.answered(early, 'throttled')).toBe(true);
		// The network's share stays 100 ms; the margin grows from 25 % to 35 % of 200 ms.
		expect(pacer.serviceMs()).toBe(200);
		const held = [{}, {}, {}];
		for (const request of held) pacer.sending(request, false);
		expect(pacer.mayGoEarly(3, 3, 50)).toEqual({ go: false, askAgainInMs: 270 });
	});

	test('after a refusal the margin eases back no lower than 5 % of the service time below where it went', () => {
		const { pacer, at } = measured();
		let now = 300;
		const early = {};
		pacer.sending(early, true);
		at((now += 100));
		pacer.answered(early, 'throttled');
		// 25 % + 10 % = 35 %; then 20 early requests answered in 300 ms each.
		for (let i = 0; i < 20; i++) {
			const request = {};
			pacer.sending(request, true);
			at((now += 300));
			pacer.answered(request, 'ok');
		}
		const held = [{}, {}, {}];
		for (const request of held) pacer.sending(request, false);
		// Service 200 ms, margin 30 % of it.
		expect(pacer.mayGoEarly(3, 3, 50)).toEqual({ go: false, askAgainInMs: 260 });
	});

	test('answers getting shorter as n8n warms up do not shorten the service time at once: the 429 seen was cold too', () => {
		// Seen in n8n 1.123 at 150 ms: the first 429 took 481 ms and the first answers 677 ms; warm,
		// answers took 658 ms and 429s 459 ms. Service 200 ms all along.
		let now = 0;
		const pacer = new Pacer(() => now);
		const first = {};
		const probe = {};
		pacer.sending(first, false);
		pacer.sending(probe, true, true);
		now = 481;
		pacer.answered(probe, 'throttled');
		now = 677;
		pacer.answered(first, 'ok');
		expect(pacer.serviceMs()).toBe(196);
		for (let i = 0; i < 20; i++) {
			const request = {};
			pacer.sending(request, false);
			now += 658;
			pacer.answered(request, 'ok');
		}
		// Answers less the cold 429 would say 177 ms; the estimate eases back only a little.
		expect(pacer.serviceMs()).toBeGreaterThan(190);
		// A warm 429 sets it right again.
		const early = {};
		pacer.sending(early, true);
		now += 459;
		pacer.answered(early, 'throttled');
		expect(pacer.serviceMs()).toBeCloseTo(199, 0);
	});

	test('a 429 on a request sent within the limit is the account busy: the run stops sending early', () => {
		const { pacer, at } = measured();
		expect(pacer.mayGoEarly(3, 3, 50).go).toBe(true);
		const within = {};
		pacer.sending(within, false);
		at(400);
		expect(pacer.answered(within, 'throttled')).toBe(false);
		expect(pacer.mayGoEarly(3, 3, 50)).toEqual({ go: false });
	});

	test('a 429 on an early request after 6 early ones answered in a row is another client: sending early stops', () => {
		const { pacer, at } = measured();
		let now = 300;
		for (let i = 0; i < 6; i++) {
			const early = {};
			pacer.sending(early, true);
			at((now += 300));
			pacer.answered(early, 'ok');
		}
		const late = {};
		pacer.sending(late, true);
		at((now += 100));
		expect(pacer.answered(late, 'throttled')).toBe(false);
		expect(pacer.mayGoEarly(3, 3, 50)).toEqual({ go: false });
	});

	test('once the account is shared, a 429 on an early request still on its way waits like any other', () => {
		const { pacer, at } = measured();
		const early = {};
		pacer.sending(early, true);
		const within = {};
		pacer.sending(within, false);
		at(400);
		expect(pacer.answered(within, 'throttled')).toBe(false);
		expect(pacer.answered(early, 'throttled')).toBe(false);
	});

	test('when early requests meet 429s on more than 4 % of the requests, the run stops sending early', () => {
		const { pacer, at } = measured();
		let now = 300;
		for (let i = 0; i < 20; i++) {
			const request = {};
			pacer.sending(request, false);
			at((now += 10));
			pacer.answered(request, 'ok');
		}
		for (let i = 0; i < 2; i++) {
			const early = {};
			pacer.sending(early, true);
			at((now += 100));
			expect(pacer.answered(early, 'throttled')).toBe(true);
		}
		expect(pacer.mayGoEarly(3, 3, 50).go).toBe(true);
		const third = {};
		pacer.sending(third, true);
		at((now += 100));
		pacer.answered(third, 'throttled');
		// 3 of 25 requests.
		expect(pacer.mayGoEarly(3, 3, 50)).toEqual({ go: false });
	});
});
