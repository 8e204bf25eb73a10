/**
 * The report of `npm run bench -- --compare-tarball <tgz>` (issue 20, point 5): packages side by
 * side in n8n 1.x's in-process Code node mode. The bench itself needs real n8n and minutes; its
 * report code is checked here on made-up figures.
 */
const {
	median,
	medianRange,
	summariseCompare,
	compareSection,
	compareLine,
	compareMarkdown,
} = require('../../../bench/lib/legacy-code-node-report');

type Run = Record<string, unknown>;

const N = 3000;
const LIMIT_MS = 1000;

/** One round of one package: Limit, dry runs and real runs per setting. */
function round(
	pkg: string,
	roundNo: number,
	limit: number,
	variants: Record<string, { dry: number; real: number }>,
): Run[] {
	const runs: Run[] = [{ round: roundNo, pkg, kind: 'limit', timeMs: limit, loadAverage: 2 }];
	for (const [variant, t] of Object.entries(variants)) {
		runs.push({ round: roundNo, pkg, kind: 'dry', variant, timeMs: t.dry, loadAverage: 2 });
		runs.push({ round: roundNo, pkg, kind: 'real', variant, timeMs: t.real, loadAverage: 3 });
	}
	return runs;
}

function compare(extraRuns: Run[] = []) {
	return {
		date: '2026-12-02T10:00:00.000Z',
		n8n: '1.123.81',
		cores: 2,
		n: N,
		latency: 100,
		limitMs: LIMIT_MS,
		rounds: 3,
		packages: [
			{
				key: 'this',
				tag: 'this',
				label: 'this tree (abc1234)',
				hasIncludeInputFields: true,
				variants: ['default', 'noInput'],
			},
			{
				key: 'compare1',
				tag: '7265aef',
				label: '7265aef',
				hasIncludeInputFields: false,
				variants: ['default'],
			},
		],
		runs: [
			...round('this', 1, 100, {
				default: { dry: 160, real: 1250 },
				noInput: { dry: 130, real: 1200 },
			}),
			...round('compare1', 1, 110, { default: { dry: 170, real: 1400 } }),
			...round('this', 2, 90, {
				default: { dry: 150, real: 1200 },
				noInput: { dry: 120, real: 1190 },
			}),
			...round('compare1', 2, 100, { default: { dry: 160, real: 1420 } }),
			...round('this', 3, 120, {
				default: { dry: 210, real: 1300 },
				noInput: { dry: 150, real: 1210 },
			}),
			...round('compare1', 3, 90, { default: { dry: 180, real: 1440 } }),
			...extraRuns,
		],
	};
}

describe('median and its range', () => {
	test('odd and even counts; non-numbers are left out', () => {
		expect(median([3, 1, 2])).toBe(2);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([undefined, 5, NaN])).toBe(5);
		expect(median([])).toBeUndefined();
	});

	test('"median (min–max)", one value alone, – for none', () => {
		expect(medianRange([1.25, 2, 10], 1)).toBe('2.0 (1.3–10.0)');
		expect(medianRange([1000, 1500, 2000], 0)).toBe('1,500 (1,000–2,000)');
		expect(medianRange([7], 1)).toBe('7.0');
		expect(medianRange([], 1)).toBe('–');
	});

	test('a negative number has a minus sign, so the range still reads as one', () => {
		expect(medianRange([-8.25, 20, 64], 1)).toBe('20.0 (−8.3–64.0)');
		expect(medianRange([-1500, 10], 0)).toBe('−745 (−1,500–10)');
	});
});

describe('summariseCompare', () => {
	test("own cost per item is each round's dry run less the same round's Limit node", () => {
		const rows = summariseCompare(compare());
		expect(rows.map((r: Run) => [r.pkg, r.variant, r.variantText])).toEqual([
			['this', 'default', 'on (default)'],
			['this', 'noInput', 'off'],
			['compare1', 'default', '– (no such option)'],
		]);
		const [thisOn, thisOff, old] = rows;
		// (160-100, 150-90, 210-120) ms over 3,000 items: 20, 20, 30 µs.
		expect(thisOn.ownUsAll).toEqual([20, 20, 30]);
		expect(thisOn.ownUsPerItem).toBe(20);
		expect(thisOff.ownUsPerItem).toBe(10);
		// (170-110, 160-100, 180-90): 20, 20, 30 µs.
		expect(old.ownUsPerItem).toBe(20);
		expect(thisOn.timeMs).toBe(1250);
		expect(thisOn.ratio).toBeCloseTo(LIMIT_MS / 1250, 10);
		expect(old.ratio).toBeCloseTo(LIMIT_MS / 1420, 10);
		expect(old.rounds).toBe(3);
		expect(old.errors).toBe(0);
	});

	test('a failed run counts for nothing, and a dry run without its Limit node is left out', () => {
		const c = compare();
		// Round 2's Limit of `this` failed: its dry runs have no baseline.
		(c.runs.find((r) => r.pkg === 'this' && r.kind === 'limit' && r.round === 2) as Run).error =
			'boom';
		// Round 3's real run of 7265aef failed.
		(c.runs.find((r) => r.pkg === 'compare1' && r.kind === 'real' && r.round === 3) as Run).error =
			'timeout';
		const [thisOn, , old] = summariseCompare(c);
		expect(thisOn.ownUsAll).toEqual([20, 30]);
		expect(thisOn.errors).toBe(1);
		expect(old.rounds).toBe(2);
		expect(old.timeMs).toBe(1410);
		expect(old.errors).toBe(1);
	});
});

describe('compareSection and compareLine', () => {
	test('the table has a row per package and setting, medians in bold', () => {
		const text = compareSection(compare()).join('\n');
		expect(text).toContain('Demerge of 3,000 identities at L = 100 ms, T_limit = 1,000 ms');
		expect(text).toContain('3 rounds');
		expect(text).toContain(
			'| this tree (abc1234) | on (default) | 3 | 100 (90–120) | 160 (150–210) | **20.0 (20.0–30.0)** | 1,250 (1,200–1,300) | **0.800 (0.769–0.833)** |',
		);
		expect(text).toContain('| 7265aef | – (no such option) | 3 |');
		expect(text).toContain('load average (1 min) 2.0 (2.0–3.0)');
		expect(text).not.toContain('failed');
	});

	test('failed runs are listed under the table', () => {
		const c = compare([
			{
				round: 3,
				pkg: 'compare1',
				kind: 'real',
				variant: 'default',
				error: 'timeout',
				loadAverage: 2,
			},
		]);
		const text = compareSection(c).join('\n');
		expect(text).toContain('1 run(s) failed and are left out:');
		expect(text).toContain('- round 3, compare1 real default: timeout');
	});

	test('one line with the default setting of every package', () => {
		expect(compareLine(compare())).toBe(
			'bench: legacy-code-node N=3000 L=100 rounds=3 this:ratio=0.800,us_per_item=20.0 7265aef:ratio=0.704,us_per_item=20.0',
		);
	});
});

describe('compareMarkdown', () => {
	test('names the bench commit, the tarballs and the machine, then the section and the line', () => {
		const c = {
			...compare(),
			commit: 'abc1234',
			machine: 'test CPU, 2 cores',
			n8nNode: 'v20.20.2',
			packages: compare().packages.map((pkg) => ({ ...pkg, tarball: `${pkg.tag}.tgz` })),
		};
		const text = compareMarkdown(c);
		expect(text.split('\n')[0]).toBe(
			"# n8n 1.x's default, in-process Code node: packages side by side",
		);
		expect(text).toContain(
			"from the bench at abc1234: this tree (abc1234) (`this.tgz`), 7265aef (`7265aef.tgz`). test CPU, 2 cores, n8n's Node v20.20.2.",
		);
		expect(text).toContain(compareSection(c).join('\n'));
		expect(text.trimEnd().endsWith(`${compareLine(c)}\n\`\`\``)).toBe(true);
	});
});
