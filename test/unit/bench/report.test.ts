/**
 * The benchmark's verdicts: the targets of issue 4 judged from a results object, and its final line.
 * The bench itself needs real n8n and minutes; its report code is checked here on made-up figures.
 */
const { targets, finalLine, markdown } = require('../../../bench/lib/report');

type Row = Record<string, unknown>;

const limitMs = (n: number, latency: number) => Math.ceil(n / 300) * latency;

function nodeRow(n: number, timeMs: number, extra: Row = {}): Row {
	return {
		latency: 200,
		n,
		expression: 'plain',
		timeMs,
		limitMs: limitMs(n, 200),
		ratio: limitMs(n, 200) / timeMs,
		perIdentityMs: timeMs / n,
		requests: Math.ceil(n / 100),
		throttled: 0,
		peakConcurrency: 3,
		simSpanMs: timeMs - 50,
		successItems: n,
		peakRssKb: 300 * 1024 + (n / 1000) * 5 * 1024,
		...extra,
	};
}

function results(overrides: Row = {}): Row {
	return {
		meta: {
			date: '2026-11-29T00:00:00.000Z',
			machine: 'test',
			n8n: '1.123.81',
			n8nMajor: 1,
			n8nNode: 'v20',
			benchNode: 'v20',
			packageVersion: '0.1.0',
			commit: 'abc1234',
			latencies: [200],
			sizes: [10000, 100000],
			runners: true,
			expressions: { plain: '={{ $json.identity }}', complex: '={{ $json.x }}' },
		},
		baseline: { peakRssKb: 300 * 1024 },
		inputCost: [
			{ n: 10000, timeMs: 3, usPerItem: 0.3 },
			{ n: 100000, timeMs: 49, usPerItem: 0.49 },
		],
		mapping: [
			{ n: 10000, expression: 'plain', timeMs: 93, usPerItem: 9.3 },
			{ n: 100000, expression: 'plain', timeMs: 478, usPerItem: 4.78 },
		],
		node: [nodeRow(10000, 7153), nodeRow(100000, 70006)],
		http: [
			{
				latency: 200,
				n: 300,
				batching: { batchSize: 3, batchInterval: 240 },
				timeMs: 24850,
				perIdentityMs: 24850 / 300,
				requests: 300,
				throttled: 0,
				peakConcurrency: 3,
			},
		],
		httpFailures: [],
		sequential: [],
		inProcess: [],
		profile: null,
		...overrides,
	};
}

const verdict = (r: Row, start: string) =>
	targets(r).find((t: { target: string }) => t.target.startsWith(start));

describe('bench report', () => {
	test('the final line carries the N = 10,000 ratio and the speed-up over the HTTP Request node', () => {
		// 6,800 / 7,153 = 0.951; (24,850 / 300) / (7,153 / 10,000) = 115.8
		expect(finalLine(results())).toBe(
			'bench: N=10000 ratio_to_limit=0.95 speedup_vs_http_request_node=116x',
		);
	});

	test.each([
		[7153, 70006, [true, true]],
		[7153, 76140, [true, false]],
		[7700, 70006, [false, true]],
	])(
		'ratio target at 10,000 and 100,000 (T = %i ms and %i ms) is met: %j',
		(t10k, t100k, expected) => {
			const r = results({ node: [nodeRow(10000, t10k), nodeRow(100000, t100k)] });
			expect([
				verdict(r, 'ratio T_limit / T ≥ 0.9 at N = 10,000').met,
				verdict(r, 'ratio T_limit / T ≥ 0.9 at N = 100,000').met,
			]).toEqual(expected);
		},
	);

	test('a run that failed does not meet the ratio target, whatever its time', () => {
		const r = results({
			node: [nodeRow(10000, 7153, { error: 'boom' }), nodeRow(100000, 70006)],
		});
		expect(verdict(r, 'ratio T_limit / T ≥ 0.9 at N = 10,000').met).toBe(false);
	});

	test.each([
		[4.78, true],
		[20, true],
		[20.01, false],
	])('mapping of %f µs per item at 100,000 meets the 20 µs target: %s', (usPerItem, met) => {
		const r = results({
			mapping: [{ n: 100000, expression: 'plain', timeMs: usPerItem * 100, usPerItem }],
		});
		const mapping = verdict(r, 'mapping');
		expect(mapping.met).toBe(met);
		expect(mapping.value).toContain("n8n's own input handling and no node code, takes 0.49 µs");
	});

	test('the speed-up target needs 50× the HTTP Request node per identity', () => {
		const slowHttp = results({
			http: [{ ...(results().http as Row[])[0], timeMs: 300 * 30, perIdentityMs: 30 }],
		});
		expect(verdict(results(), '≥ 50×').met).toBe(true);
		expect(verdict(slowHttp, '≥ 50×').met).toBe(false); // 30 / 0.7153 = 42×
	});

	test('memory is linear when the largest size costs at most 1.5× per item what the one before did', () => {
		const grows = results({
			node: [
				nodeRow(10000, 7153, { peakRssKb: 300 * 1024 + 40 * 1024 }),
				nodeRow(100000, 70006, { peakRssKb: 300 * 1024 + 1000 * 1024 }),
			],
		});
		expect(verdict(results(), 'peak memory').met).toBe(true);
		expect(verdict(grows, 'peak memory').met).toBe(false); // 4 → 10 MB per 1,000 items
	});

	test("the in-process table subtracts n8n's input copy from the node's dry run and real run", () => {
		const md = markdown(
			results({
				inProcess: [
					{
						n: 100000,
						latency: 200,
						inputCostMs: 2941,
						dryRunMs: 6187,
						timeMs: 73945,
						limitMs: 66800,
						ratio: 66800 / 73945,
						simSpanMs: 70293,
					},
				],
			}),
		);
		expect(md).toContain("### n8n 1.x's deprecated in-process Code node");
		// (6,187 − 2,941) ms / 100,000 = 32.46 µs; 73,945 − 70,293 − 2,941 = 711 ms
		expect(md).toContain('| 100,000 | 2.94 | 6.19 | 32.46 | 200 | 73.94 | 0.903 | 70.29 | 0.71 |');
		expect(md).toContain('in a task runner: `N8N_RUNNERS_ENABLED=true`');
	});
});
