/**
 * The bench's network part: the TLS front end with an emulated round-trip time (checked against a
 * tiny HTTP server, lower bounds only: the machine may be slow, never faster than the network it
 * emulates), and the report code that turns its figures into the RTT tables and verdict lines.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const { startNetwork } = require('../../../bench/lib/network');
const { networkLine, networkSummary, markdown } = require('../../../bench/lib/report');

type Row = Record<string, unknown>;

describe('the emulated network in front of a plain HTTP server', () => {
	const RTT = 40;
	let server: http.Server;
	let network: {
		url: string;
		ca: string;
		setRtt(ms: number): void;
		reset(): void;
		stats(): Row;
		close(): Promise<unknown>;
	};
	let dir: string;
	let answered = 0;

	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-net-'));
		server = http.createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				answered++;
				res.end('{"status":"success"}');
			});
		});
		network = await startNetwork({ server, dir, rttMs: RTT });
	});

	afterAll(async () => {
		await network.close();
		server.closeAllConnections();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	/** One GET through `agent`: its total time and, on a new connection, the TLS handshake's. */
	function get(agent: https.Agent): Promise<{ ms: number; tlsMs?: number; body: string }> {
		return new Promise((resolve, reject) => {
			const started = performance.now();
			let tlsMs: number | undefined;
			const req = https.get(network.url, { agent }, (res) => {
				let body = '';
				res.on('data', (c) => (body += c));
				res.on('end', () => resolve({ ms: performance.now() - started, tlsMs, body }));
			});
			req.on('socket', (socket) =>
				socket.once('secureConnect', () => (tlsMs = performance.now() - started)),
			);
			req.on('error', reject);
		});
	}

	test('a new connection costs 3 round trips (TCP, TLS 1.3, the request), a kept-alive one 1', async () => {
		network.reset();
		const fresh = new https.Agent({ ca: network.ca, keepAlive: false });
		const first = await get(fresh);
		fresh.destroy();
		const kept = new https.Agent({ ca: network.ca, keepAlive: true, maxSockets: 1 });
		await get(kept);
		const again = await get(kept);
		kept.destroy();

		expect(first.body).toBe('{"status":"success"}');
		// Timers fire up to about a millisecond before the precise clock says so: 2 ms per trip.
		expect(first.tlsMs).toBeGreaterThanOrEqual(2 * RTT - 4);
		expect(first.ms).toBeGreaterThanOrEqual(3 * RTT - 6);
		expect(again.ms).toBeGreaterThanOrEqual(RTT - 2);
		const stats = network.stats();
		expect(stats).toMatchObject({ connections: 2, handshakes: 2, protocols: { 'TLSv1.3': 2 } });
		// Accepted → first request at the server = TCP + TLS + the request's way there.
		expect(stats.connectToRequestMs).toBeGreaterThanOrEqual(2.5 * RTT - 5);
		expect(stats.setupMs).toBeGreaterThanOrEqual(2 * RTT - 5);
	});

	test('clients that do not trust the bench CA are refused, so n8n really uses the certificate', async () => {
		const before = answered;
		const untrusted = new https.Agent({ keepAlive: false });
		await expect(get(untrusted)).rejects.toMatchObject({
			code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/),
		});
		untrusted.destroy();
		expect(answered).toBe(before);
	});

	test('at RTT 0 nothing is held back', async () => {
		network.setRtt(0);
		network.reset();
		const agent = new https.Agent({ ca: network.ca, keepAlive: false });
		const r = await get(agent);
		agent.destroy();
		network.setRtt(RTT);
		expect(r.body).toBe('{"status":"success"}');
		expect(network.stats()).toMatchObject({ connections: 1, handshakes: 1 });
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
	const results = (rows: Row[]): Row => ({
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
			sizes: [10000],
			runners: true,
			expressions: { plain: '={{ $json.identity }}', complex: '={{ $json.x }}' },
		},
		baseline: null,
		mapping: [],
		inputCost: [],
		inProcess: [],
		node: [],
		http: [],
		httpFailures: [],
		sequential: [],
		profile: null,
		network: network(rows),
	});
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
		expect(networkLine(results(rows))).toBe(
			'bench: rtt L=200 N=10000 ratio_by_rtt=0:0.95,150:0.30 keep_alive_n8n=0:0.97,150:0.55',
		);
	});

	test('a failed run shows as NA, not as a ratio', () => {
		const failed = rows.map((r) =>
			r.rtt === 150 && r.client === 'node' ? { ...r, error: 'boom' } : r,
		);
		expect(networkLine(results(failed))).toContain('ratio_by_rtt=0:0.95,150:NA');
	});

	test('the summary gives the bounds of a client that waits for each answer, and the sequential comparison', () => {
		const at150 = networkSummary(results(rows)).find((x: Row) => x.rtt === 150);
		// L / (L + 3 RTT) = 200 / 650; L / (L + RTT) = 200 / 350; 3.836 / 2.2443 ms per identity
		expect(at150.boundNew).toBeCloseTo(0.3077, 4);
		expect(at150.boundKept).toBeCloseTo(0.5714, 4);
		expect(at150.nodeVsSequential).toBeCloseTo(1.709, 3);
	});

	test('results.md has both tables; an --rtt-only run without earlier results has only them', () => {
		const md = markdown(results(rows));
		expect(md).toContain('## The network: TLS and round-trip time (n8n 1.123.81, L = 200 ms)');
		expect(md).toContain(
			'| 150 | 303.0 | 300 | 655.0 | 650 | 352.0 | 350 | TLSv1.3 | 0.308 | 0.571 |',
		);
		expect(md).toMatch(
			/\| 150 \| \*\*CleverTap node\*\* in n8n as released: a new connection for every request \| 10,000 \| 22\.44 \| 0\.303 \| 2\.244 \| 1\.00 \| 3 \| 379\.0 \| 304\.0 \| 658\.0 \| 46 % \| 458\.0 \| 0 \|/,
		);
		expect(md).not.toContain('## Targets');
	});

	test('a network part that failed is reported in results.md', () => {
		const r = { ...results(rows), networkError: 'openssl is not installed' };
		delete (r as Row).network;
		expect(markdown(r)).toContain('The network part failed: openssl is not installed');
		expect(networkLine(r)).toBe('bench: rtt not run');
	});
});
