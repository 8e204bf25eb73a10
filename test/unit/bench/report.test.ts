/**
 * The benchmark's verdicts: the targets of issue 4 judged from a results object, its final lines,
 * and the RTT tables of its network part (issue 14).
 * The bench itself needs real n8n and minutes; its report code is checked here on made-up figures.
 */
const {
	targets,
	finalLine,
	markdown,
	networkLine,
	networkSummary,
} = require('../../../bench/lib/report');

import { benchMeta } from './fixtures';

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
		meta: benchMeta(),
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

describe('the RTT tables of the bench report', () => {
	const limit = (n: number) => Math.ceil(n / 300) * 200;
	const row = (rtt: number, client: string, n: number, timeMs: number, extra: Row = {}): Row => ({
		rtt,
		latency: 200,
		client,
		n,
		slots: client.startsWith('sequential') ? 1 : 3,
		timeMs,
		limitMs: limit(n),
		ratio: limit(n) / timeMs,
		perIdentityMs: timeMs / n,
		requests: Math.ceil(n / 100),
		throttled: 0,
		connectionsPerRequest: client.includes('keep-alive') ? 0.03 : 1,
		peakOpenConnections: 3,
		connectToRequestMs: 2.5 * rtt + 4,
		setupMs: 2 * rtt + 4,
		slotMs: 200 + 3 * rtt + 8,
		setupShare: client.includes('keep-alive') ? 0.001 : (2 * rtt + 4) / (200 + 3 * rtt + 8),
		turnaroundMs: 3 * rtt + 8,
		...extra,
	});
	const network = (rows: Row[]): Row => ({
		date: '2026-11-29T04:10:03.000Z',
		commit: 'abc1234',
		n8n: '1.123.81',
		n8nNode: 'v20.20.2',
		loadAverage: 1.2,
		latency: 200,
		n: 10000,
		sequentialN: 1000,
		slotsN: 3000,
		rtts: [0, 150],
		durationS: 130,
		probes: [0, 150].map((rtt) => ({
			rtt,
			latency: 200,
			count: 5,
			handshakeMs: 2 * rtt + 3,
			freshMs: 3 * rtt + 205,
			keptMs: rtt + 202,
			protocols: { 'TLSv1.3': 6 },
		})),
		rows,
	});
	// An --rtt-only run without earlier results: the network part alone.
	const rttResults = (rows: Row[]): Row =>
		results({ node: [], mapping: [], inputCost: [], http: [], network: network(rows) });
	const rows = [
		row(0, 'node', 10000, 7158),
		row(0, 'node-keep-alive-n8n', 10000, 7013),
		row(0, 'sequential-keep-alive', 1000, 2029),
		row(150, 'node', 10000, 22443),
		row(150, 'node-keep-alive-n8n', 10000, 12400),
		row(150, 'sequential-keep-alive', 1000, 3836),
	];

	test('the verdict line carries the ratio at every RTT, as released and with connections kept alive', () => {
		// 6,800 / 22,443 = 0.303; 6,800 / 12,400 = 0.548
		expect(networkLine(rttResults(rows))).toBe(
			'bench: rtt L=200 N=10000 ratio_by_rtt=0:0.95,150:0.30 throttled_by_rtt=0:0,150:0 keep_alive_n8n=0:0.97,150:0.55',
		);
	});

	test('with Create or Update in the network part, the line adds its ratio and 429s apart from Demerge', () => {
		const uploadLimit = 7 * 200;
		const upload = (rtt: number, client: string, timeMs: number, throttled: number): Row =>
			row(rtt, client, 100000, timeMs, {
				op: 'upsert',
				slots: 15,
				limitMs: uploadLimit,
				ratio: uploadLimit / timeMs,
				throttled,
			});
		const withUploads = {
			...network([
				...rows,
				upload(0, 'node', 3500, 1),
				upload(0, 'node-keep-alive-n8n', 2800, 0),
				upload(150, 'node', 5600, 2),
				upload(150, 'node-keep-alive-n8n', 4000, 1),
			]),
			uploadN: 100000,
		};
		const line = networkLine(
			results({ node: [], mapping: [], inputCost: [], http: [], network: withUploads }),
		);
		// Demerge's figures stay its own; 1,400 / 3,500 = 0.40, 1,400 / 5,600 = 0.25.
		expect(line).toBe(
			'bench: rtt L=200 N=10000 ratio_by_rtt=0:0.95,150:0.30 throttled_by_rtt=0:0,150:0 keep_alive_n8n=0:0.97,150:0.55' +
				' upload_N=100000 upload_ratio_by_rtt=0:0.40,150:0.25 upload_throttled_by_rtt=0:1,150:2 upload_keep_alive_n8n=0:0.50,150:0.35',
		);
	});

	test('a failed run shows as NA, not as a ratio', () => {
		const failed = rows.map((r) =>
			r.rtt === 150 && r.client === 'node' ? { ...r, error: 'boom' } : r,
		);
		expect(networkLine(rttResults(failed))).toContain('ratio_by_rtt=0:0.95,150:NA');
	});

	test('the summary gives the bounds of a client that waits for each answer, and the sequential comparison', () => {
		const at150 = networkSummary(rttResults(rows)).find((x: Row) => x.rtt === 150);
		// L / (L + 3 RTT) = 200 / 650; L / (L + RTT) = 200 / 350; 3.836 / 2.2443 ms per identity
		expect(at150.boundNew).toBeCloseTo(0.3077, 4);
		expect(at150.boundKept).toBeCloseTo(0.5714, 4);
		expect(at150.nodeVsSequential).toBeCloseTo(1.709, 3);
	});

	test('results.md has both tables; an --rtt-only run without earlier results has only them', () => {
		const md = markdown(rttResults(rows));
		expect(md).toContain('## The network: TLS and round-trip time (n8n 1.123.81, L = 200 ms)');
		expect(md).toContain(
			'| 150 | 303.0 | 300 | 655.0 | 650 | 352.0 | 350 | TLSv1.3 | 0.308 | 0.571 |',
		);
		expect(md).toMatch(
			/\| 150 \| \*\*CleverTap node\*\* in n8n as released: a new connection for every request \| 10,000 \| 22\.44 \| 0\.303 \| 2\.244 \| 1\.00 \| 3 \| 379\.0 \| 304\.0 \| 658\.0 \| 46 % \| 458\.0 \| 0 \|/,
		);
		expect(md).not.toContain('## Targets');
		const full = markdown(results({ network: network(rows) }));
		expect(full).toContain('## Targets');
		expect(full).toContain('## The network: TLS and round-trip time');
	});

	test('a network part that failed is reported in results.md', () => {
		const r = { ...rttResults(rows), networkError: 'openssl is not installed' };
		delete (r as Row).network;
		expect(markdown(r)).toContain('The network part failed: openssl is not installed');
		expect(networkLine(r)).toBe('bench: rtt not run');
	});
});
