/**
 * The operations part of the benchmark (issues 12 and 13): each API's limit, the targets judged on
 * every run, the worst-of final line, and results.md with and without the other tables.
 * The bench itself needs real n8n and minutes; its report code is checked here on made-up figures.
 */
import { benchMeta } from './fixtures';

const {
	opLimitMs,
	operationTargets,
	operationsLine,
} = require('../../../bench/lib/operations-report');
const { emptyTables, markdown, writeReport } = require('../../../bench/lib/report');

type Row = Record<string, unknown>;

function run(op: string, latency: number, n: number, timeMs: number, extra: Row = {}): Row {
	const limitMs = opLimitMs(op, n, latency);
	return {
		rep: 1,
		op,
		mode: op === 'upsert' ? 'fields' : undefined,
		n,
		dryRun: false,
		latency,
		loadAverage: 1.5,
		timeMs,
		limitMs,
		ratio: limitMs / timeMs,
		requests: op === 'get' ? n : Math.ceil(n / (op === 'upsert' ? 1000 : 100)),
		peakConcurrency: op === 'upsert' ? 15 : 3,
		throttled: 0,
		successItems: n,
		simSpanMs: timeMs - 300,
		serviceOverMs: 2,
		turnaroundMs: 8,
		servedLimitMs: (limitMs / latency) * (latency + 2),
		peakRssKb: 400 * 1024,
		...extra,
	};
}

function dry(n: number, timeMs: number, extra: Row = {}): Row {
	return {
		rep: 1,
		op: 'upsert',
		mode: 'fields',
		n,
		dryRun: true,
		loadAverage: 1.5,
		timeMs,
		usPerRecord: (timeMs * 1000) / n,
		successItems: n,
		...extra,
	};
}

function operations(runs: Row[], extra: Row = {}): Row {
	return {
		date: '2026-11-29T05:00:00.000Z',
		commit: 'abc1234',
		n8n: '1.123.81',
		n8nNode: 'v20.20.2',
		cores: 2,
		ops: ['get', 'delete', 'upsert'],
		repeat: 2,
		latency: 200,
		upsertLatencies: [1000, 200],
		sizes: { get: 600, delete: 10000, upsert: 100000 },
		jsonN: 10000,
		jsonExpression: '{{ { Name: $json.name } }}',
		runs,
		inputCost: [{ rep: 1, n: 100000, timeMs: 40, usPerItem: 0.4 }],
		durationS: 300,
		...extra,
	};
}

// An --ops-only run without earlier results: no Demerge tables.
function results(ops: Row | undefined): Row {
	return { meta: benchMeta({ sizes: [10000] }), ...emptyTables(), operations: ops };
}

const allRuns = [
	run('get', 200, 600, 42000),
	run('get', 200, 600, 43000, { rep: 2 }),
	run('delete', 200, 10000, 7200),
	run('upsert', 1000, 100000, 8500),
	run('upsert', 200, 100000, 3000),
	dry(100000, 800),
	dry(100000, 900, { rep: 2 }),
];

const targetNamed = (r: Row, start: string) =>
	operationTargets(r).find((t: { target: string }) => t.target.startsWith(start));

describe('the operations part of the bench report', () => {
	test.each([
		['get', 600, 200, 40000],
		['get', 1, 200, 200],
		['get', 4, 200, 400],
		['delete', 10000, 200, 6800],
		['delete', 300, 200, 200],
		['delete', 301, 200, 400],
		['upsert', 100000, 1000, 7000],
		['upsert', 100000, 200, 1400],
		['upsert', 15000, 1000, 1000],
		['upsert', 15001, 1000, 2000],
	])('T_limit of %s for N = %i at L = %i ms is %i ms', (op, n, latency, expected) => {
		expect(opLimitMs(op, n, latency)).toBe(expected);
	});

	test('a target is met only when every run meets it, and says how many did', () => {
		// 40,000 / 42,000 = 0.952 and 40,000 / 52,000 = 0.769
		const mixed = results(
			operations([run('get', 200, 600, 42000), run('get', 200, 600, 52000, { rep: 2 })]),
		);
		const get = targetNamed(mixed, 'Profile → Get');
		expect(get).toMatchObject({
			value: '0.769–0.952',
			met: false,
			verdict: '**no** (1 of 2 runs)',
		});
		const good = targetNamed(results(operations(allRuns)), 'Profile → Get');
		expect(good).toMatchObject({ value: '0.930–0.952', met: true, verdict: 'yes (2 of 2 runs)' });
	});

	test.each([
		[7150, true],
		[9000, false],
	])('Create or Update at L = 1,000 ms taking %i ms meets the 0.8 target: %s', (timeMs, met) => {
		const r = results(operations([run('upsert', 1000, 100000, timeMs)]));
		expect(targetNamed(r, 'Profile → Create or Update: T_limit').met).toBe(met);
	});

	test('a run that failed does not meet its target, whatever its time', () => {
		const r = results(operations([run('delete', 200, 10000, 7000, { error: 'boom' })]));
		expect(targetNamed(r, 'Profile → Delete').met).toBe(false);
	});

	test.each([
		[1000, true],
		[1001, false],
	])('a dry run of %i ms for 100,000 records meets the 10 µs target: %s', (timeMs, met) => {
		const r = results(operations([dry(100000, timeMs)]));
		expect(targetNamed(r, 'Profile → Create or Update: reading').met).toBe(met);
	});

	test('targets not run say so and are not judged', () => {
		const r = results(operations([run('get', 200, 600, 42000)], { ops: ['get'] }));
		expect(targetNamed(r, 'Profile → Delete')).toMatchObject({ value: 'not run', met: undefined });
	});

	test('the final line gives the worst run of each measurement', () => {
		// get: 40,000 / 43,000 = 0.93; upsert: 7,000 / 8,500 = 0.82, 1,400 / 3,000 = 0.47; 9.0 µs
		expect(operationsLine(results(operations(allRuns)))).toBe(
			'bench: ops get_ratio=0.93 delete_ratio=0.94 upsert_ratio_1000ms=0.82 upsert_ratio_200ms=0.47 upsert_us_per_record=9.0',
		);
		expect(operationsLine(results(undefined))).toBe('bench: ops not run');
	});

	test('results.md of an --ops-only run has the operations tables, with ranges over the runs', () => {
		const md = markdown(results(operations(allRuns)));
		expect(md).toContain('## Profile → Get, Delete and Create or Update (n8n 1.123.81)');
		expect(md).not.toMatch(/^## Targets$/m);
		// T 42.00–43.00 s, ratio 0.930–0.952, HTTP span 41.70–42.70 s, T − span 0.30 s
		expect(md).toContain(
			'| Profile → Get | 200 | 600 | 600 (1) | 3 (3) | 40.00 | 42.00–43.00 | 0.930–0.952 | 41.70–42.70 | 0.30 |',
		);
		// The dry run: 8.00–9.00 µs per record; less the Limit node's 0.40 µs: 7.60–8.60
		expect(md).toContain(
			'| Define Below, `{{ $json.x }}` | 100,000 | 0.80–0.90 | 8.00–9.00 | 0.40 | 7.60–8.60 | 2 |',
		);
		expect(md).toContain('Load average (1 minute) before each run: 1.5 on 2 cores');
	});

	test('an operations part that failed is reported in results.md', () => {
		const r = { ...results(undefined), operationsError: 'n8n did not start' };
		expect(markdown(r)).toContain('The operations part failed: n8n did not start');
	});

	test('--report-only renders the same results.md again from results.json', () => {
		const fs = require('node:fs');
		const os = require('node:os');
		const path = require('node:path');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
		try {
			const r = results(operations(allRuns));
			expect(writeReport(r, dir)).toBe(operationsLine(r));
			const first = fs.readFileSync(path.join(dir, 'results.md'), 'utf8');
			writeReport(JSON.parse(JSON.stringify(r)), dir);
			expect(fs.readFileSync(path.join(dir, 'results.md'), 'utf8')).toBe(first);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
