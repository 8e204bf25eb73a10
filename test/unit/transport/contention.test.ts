/**
 * Several runs on one CleverTap account, in virtual time: the account serves 3 requests at a time
 * (200 ms each) and answers 429 at once beyond that; each run is a real `runBatches` with the
 * node's defaults (sending early or not). Whatever the timing of the machine running them, every run must finish with
 * everything sent: waiting for a free slot is not a failure.
 */
import { runBatches, type SendOutcome } from '../../../nodes/CleverTap/transport/batchRunner';
import { seededRandom, virtualTime } from '../../support/virtualTime';

const SERVICE_MS = 200;
const SLOTS = 3;

function sharedAccount(sleep: (ms: number) => Promise<void>) {
	let busy = 0;
	const stats = { accepted: 0, throttled: 0, peak: 0 };
	const send = async (): Promise<SendOutcome> => {
		// A 429 costs a round trip too.
		await sleep(1);
		if (busy >= SLOTS) {
			stats.throttled++;
			return { ok: false, decision: 'throttle', status: 429, summary: 'busy' };
		}
		busy++;
		stats.peak = Math.max(stats.peak, busy);
		await sleep(SERVICE_MS);
		busy--;
		stats.accepted++;
		return { ok: true, status: 200 };
	};
	return { send, stats };
}

const batches = (run: number, count: number) =>
	Array.from({ length: count }, (_, b) => [`r${run}-b${b}`]);

describe.each([
	['as the node sends at the default Concurrency (early, see transport/pacer.ts)', true],
	['waiting for answers', false],
])('runs sharing one account, %s', (_how, pipeline) => {
	test.each([
		// runs, requests each, n8n's own time around each request of each run (ms), seed, and the
		// least share of the account's limit the runs must reach together
		[4, 60, [5, 5, 5, 5], 1, 0.7],
		[4, 60, [5, 5, 5, 5], 2, 0.7],
		// One run on a busy machine: n8n takes 80 ms around each of its requests.
		[4, 60, [5, 5, 5, 80], 3, 0.7],
		[4, 60, [5, 5, 5, 80], 4, 0.7],
		// Six machines from idle to very busy: the slowest runs bound how busy the account is kept.
		[6, 50, [5, 20, 40, 80, 120, 200], 5, 0.6],
		[6, 50, [5, 20, 40, 80, 120, 200], 6, 0.6],
	])(
		'%i runs of %i requests (overheads %j, seed %i): every run finishes, nothing fails on 429',
		async (runs, count, overheads, seed, share) => {
			const clock = virtualTime();
			const account = sharedAccount(clock.sleep);
			const random = seededRandom(seed);
			const work = Promise.all(
				Array.from({ length: runs }, (_, run) =>
					runBatches<string>({
						batches: batches(run, count),
						send: async () => {
							await clock.sleep(overheads[run]);
							return await account.send();
						},
						concurrency: 3,
						maxConcurrency: 3,
						pipeline,
						maxRetries: 5,
						stopOnFailure: true,
						sleep: clock.sleep,
						random,
					}),
				),
			);
			const results = await clock.run(work);
			const failed = results.map(
				(result) => [...result.results.values()].filter((r) => !r.ok).length,
			);
			expect(failed).toEqual(Array(runs).fill(0));
			expect(account.stats.accepted).toBe(runs * count);
			expect(account.stats.peak).toBe(SLOTS);
			// The account was kept busy: the runs together took little more than its limit.
			const limitMs = Math.ceil((runs * count) / SLOTS) * SERVICE_MS;
			expect(limitMs / clock.now()).toBeGreaterThan(share);
		},
		30_000,
	);
});
