'use strict';
/**
 * Plain Node https clients for the network part of the bench (bench/lib/network.js), in the bench
 * process: a probe that checks the emulated network costs what it should, and batch clients with
 * 1 or 3 requests in flight, over a new connection per request or over kept-alive ones.
 */
const https = require('node:https');
const { performance } = require('node:perf_hooks');

const DEMERGE = '/1/demerge/profiles.json';

/** One demerge POST through `agent`; resolves with its status, time and, on a new connection, the TLS handshake time. */
function post({ url, agent, accountId, passcode, identities }) {
	return new Promise((resolve, reject) => {
		const body = JSON.stringify({ identities });
		const started = performance.now();
		let secureAt;
		const req = https.request(
			`${url}${DEMERGE}`,
			{
				method: 'POST',
				agent,
				headers: {
					'X-CleverTap-Account-Id': accountId,
					'X-CleverTap-Passcode': passcode,
					'Content-Type': 'application/json; charset=utf-8',
					'Content-Length': Buffer.byteLength(body),
				},
			},
			(res) => {
				res.resume();
				res.on('end', () =>
					resolve({
						status: res.statusCode,
						ms: performance.now() - started,
						handshakeMs: secureAt === undefined ? undefined : secureAt - started,
						reused: req.reusedSocket,
						socket: req.socket,
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('socket', (socket) => {
			if (!req.reusedSocket)
				socket.once('secureConnect', () => {
					secureAt = performance.now();
				});
		});
		req.on('error', reject);
		req.end(body);
	});
}

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length ? (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) : undefined;
};

/**
 * `count` requests of one identity each on new connections, then `count` on one kept-alive
 * connection (after one to open it), one at a time: what one request costs either way.
 */
async function probeRoundTrips({ url, ca, accountId, passcode, count = 5 }) {
	const fresh = [];
	for (let i = 0; i < count; i++) {
		const agent = new https.Agent({ ca, keepAlive: false });
		fresh.push(await post({ url, agent, accountId, passcode, identities: [`probe-${i}`] }));
		agent.destroy();
	}
	const agent = new https.Agent({ ca, keepAlive: true, maxSockets: 1 });
	await post({ url, agent, accountId, passcode, identities: ['probe-open'] });
	const kept = [];
	for (let i = 0; i < count; i++)
		kept.push(await post({ url, agent, accountId, passcode, identities: [`probe-kept-${i}`] }));
	agent.destroy();
	const bad = [...fresh, ...kept].filter((r) => r.status !== 200);
	if (bad.length) throw new Error(`probe: ${bad.length} requests answered ${bad[0].status}`);
	if (kept.some((r) => !r.reused))
		throw new Error('probe: the kept-alive connection was not reused');
	return {
		count,
		freshMs: median(fresh.map((r) => r.ms)),
		handshakeMs: median(fresh.map((r) => r.handshakeMs)),
		keptMs: median(kept.map((r) => r.ms)),
		fresh: fresh.map((r) => r.ms),
		kept: kept.map((r) => r.ms),
	};
}

/**
 * N identities in batches of 100, `slots` requests in flight (1 = the sequential client), over a
 * new connection per request (`keepAlive: false`, what n8n does) or over kept-alive connections.
 */
async function runBatches({ url, ca, accountId, passcode, n, slots, keepAlive, batchSize = 100 }) {
	const identities = Array.from({ length: n }, (_, i) => `user-${i}@example.com`);
	const batches = [];
	for (let i = 0; i < n; i += batchSize) batches.push(identities.slice(i, i + batchSize));
	const shared = keepAlive ? new https.Agent({ ca, keepAlive: true, maxSockets: slots }) : null;
	const byStatus = {};
	const sockets = new Set();
	let next = 0;
	const started = performance.now();
	const worker = async () => {
		while (next < batches.length) {
			const batch = batches[next++];
			const agent = shared ?? new https.Agent({ ca, keepAlive: false });
			const r = await post({ url, agent, accountId, passcode, identities: batch });
			if (!shared) agent.destroy();
			sockets.add(r.socket);
			byStatus[r.status] = (byStatus[r.status] || 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: Math.min(slots, batches.length) }, worker));
	const timeMs = performance.now() - started;
	shared?.destroy();
	return { timeMs, requests: batches.length, byStatus, connections: sockets.size };
}

module.exports = { probeRoundTrips, runBatches, post };
