/**
 * Virtual time for tests of code that waits: `sleep(ms)` resolves when the virtual clock reaches
 * it, and the clock jumps to the next sleeper as soon as nothing else is left to run. Runs that
 * would take minutes of real waiting finish in milliseconds, in the same order every time.
 */
export function virtualTime() {
	let now = 0;
	let sequence = 0;
	const sleepers: Array<{ at: number; order: number; wake: () => void }> = [];

	const sleep = (ms: number) =>
		new Promise<void>((wake) => {
			sleepers.push({ at: now + Math.max(0, ms), order: sequence++, wake });
		});

	/** Runs `work` to its end, advancing the clock whenever everything is asleep. */
	async function run<T>(work: Promise<T>): Promise<T> {
		let done = false;
		let result: T | undefined;
		let failure: unknown;
		work.then(
			(value) => {
				done = true;
				result = value;
			},
			(error: unknown) => {
				done = true;
				failure = error;
			},
		);
		while (!done) {
			// Let every pending promise settle before deciding that everything is asleep.
			for (let tick = 0; tick < 20; tick++) await new Promise((resolve) => setImmediate(resolve));
			if (done) break;
			if (sleepers.length === 0) throw new Error('virtual time: nothing to wake, but not done');
			sleepers.sort((a, b) => a.at - b.at || a.order - b.order);
			const next = sleepers.shift() as (typeof sleepers)[number];
			now = Math.max(now, next.at);
			next.wake();
		}
		if (failure !== undefined) throw failure;
		return result as T;
	}

	return { sleep, run, now: () => now };
}

/** A seeded pseudo-random source (mulberry32), so jitter is the same on every run. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
