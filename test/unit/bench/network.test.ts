/**
 * The bench's network part: the TLS front end with an emulated round-trip time, checked against a
 * tiny HTTP server (lower bounds only: the machine may be slow, never faster than the network it
 * emulates). Its report tables are checked in report.test.ts.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const { startNetwork } = require('../../../bench/lib/network');

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
