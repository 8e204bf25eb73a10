/**
 * The CPU profile summary of `--profile`: the window in which the CleverTap node ran, in a made-up
 * V8 profile. Code after an `await` (building the output items) runs without the node's execute()
 * on its stack and must still count; loading the package at boot must not.
 */
export {}; // a module: its names do not meet the other bench tests' in the global scope

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { summarise } = require('../../../bench/lib/cpuprofile');

const PKG = 'file:///u/.n8n/nodes/node_modules/n8n-nodes-clevertap/dist/nodes/CleverTap';
const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
	id,
	callFrame: { functionName, url, scriptId: String(id), lineNumber: 0, columnNumber: 0 },
	children,
});

// 1 (root) → 2 package loading at boot, 3 execute → 4 readItems, 6 a tick → 5 withInput (after an
// await), 7 flatted (n8n saving the run), 8 (idle).
const nodes = [
	frame(1, '(root)', '', [2, 3, 6, 7, 8]),
	frame(2, '(anonymous)', `${PKG}/CleverTap.node.js`),
	frame(3, 'execute', `${PKG}/CleverTap.node.js`, [4]),
	frame(4, 'readItems', `${PKG}/actions/common/upload.js`),
	frame(5, 'withInput', `${PKG}/actions/common/pipeline.js`),
	frame(6, 'processTicksAndRejections', 'node:internal/process/task_queues', [5]),
	frame(7, 'stringify', 'file:///n8n/node_modules/flatted/cjs/index.js'),
	frame(8, '(idle)', ''),
];

function summaryOf(samples: number[], options: Record<string, unknown> = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cpuprofile-'));
	try {
		const file = path.join(dir, 'x.cpuprofile');
		// Every sample lasts 1 ms (timeDeltas in µs).
		fs.writeFileSync(
			file,
			JSON.stringify({
				nodes,
				startTime: 0,
				endTime: samples.length * 1000,
				samples,
				timeDeltas: samples.map(() => 1000),
			}),
		);
		return summarise(file, options);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

describe('the CPU profile summary of the bench', () => {
	// boot ×2, n8n ×2, readItems ×3, idle ×1, withInput ×2, n8n ×3
	const samples = [2, 2, 7, 7, 4, 4, 4, 8, 5, 5, 7, 7, 7];

	test('the window runs from the first sample inside execute() to the last of the package', () => {
		const s = summaryOf(samples);
		// Samples 4 … 9 (6 ms; the last sample of the window is counted up to the next one).
		expect(s.windowMs).toBe(6);
		expect(s.idleMs).toBe(1);
		expect(s.inclusive(/withInput/)).toEqual([
			{ fn: expect.stringMatching(/^withInput {2}/), ms: 2 },
		]);
		expect(s.inclusive(/^\(anonymous\)/)).toEqual([]);
	});

	test("with the node's execution time, the window ends at its last sample and is that long", () => {
		// 7 ms back from the last withInput sample, in whole samples (8): n8n's time before
		// execute() counts too.
		const s = summaryOf(samples, { durationMs: 7 });
		expect(s.windowMs).toBe(8);
		expect(s.byPackage.find((x: { pkg: string }) => x.pkg === 'flatted')).toEqual({
			pkg: 'flatted',
			ms: 2,
		});
	});

	test('a profile without the node running says so', () => {
		expect(summaryOf([2, 7, 7]).error).toBe('no sample of the package in the profile');
	});
});
