'use strict';
/**
 * The network between n8n and CleverTap, emulated on one machine: the plain-HTTP simulator served
 * over TLS, behind a TCP front end that adds a round-trip time (RTT) to every exchange.
 *
 *   client ──TCP──▶ delay front end ──TCP (loopback)──▶ TLS terminator ──emit('connection')──▶ simulator
 *
 * The front end delays the still-encrypted bytes, so the TLS handshake pays the RTT like the
 * request does: each direction waits RTT / 2. Linux's traffic control (`tc qdisc … netem delay`)
 * would also delay the kernel's SYN / SYN-ACK, but this sandbox's kernel has no netem, and on
 * loopback the kernel completes the TCP handshake before the front end sees the connection. The
 * front end charges that round trip itself: a new connection's first bytes reach the server no
 * earlier than 1.5 RTT after it was accepted (SYN-ACK back, then the first bytes across), which is
 * when they would arrive over a real network. A new connection's first request therefore costs
 * 1 RTT (TCP) + 1 RTT (TLS 1.3) + 1 RTT (request and answer) + L, a reused one 1 RTT + L.
 *
 * The terminator hands each decrypted connection to the simulator's own http.Server, as
 * https.Server does internally, so the simulator needs no change and keeps counting requests,
 * connections and concurrency itself.
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const tls = require('node:tls');
const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');

// The simulator's clock, so times can be compared with its request records.
const now = () => performance.timeOrigin + performance.now();

/**
 * Makes a CA and a server certificate for 127.0.0.1 and localhost (P-256, valid 2 days) in `dir`
 * with openssl; returns the PEM texts and the CA's file (for NODE_EXTRA_CA_CERTS).
 */
function makeCertificates(dir) {
	fs.mkdirSync(dir, { recursive: true });
	const file = (name) => path.join(dir, name);
	const openssl = (args) => {
		try {
			execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
		} catch (error) {
			if (error.code === 'ENOENT')
				throw new Error(
					'openssl is not installed: the TLS bench makes its certificates with it (Debian: apt-get install openssl)',
				);
			throw new Error(`openssl ${args[0]} failed: ${String(error.stderr || error.message)}`);
		}
	};
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
	openssl([
		'req',
		'-x509',
		...ec,
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
		'-days',
		'2',
		'-subj',
		'/CN=n8n-nodes-clevertap bench CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
	]);
	fs.writeFileSync(
		file('server.ext'),
		'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n' +
			'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
	);
	openssl([
		'req',
		'-new',
		...ec,
		'-keyout',
		'server.key',
		'-out',
		'server.csr',
		'-subj',
		'/CN=127.0.0.1',
	]);
	openssl([
		'x509',
		'-req',
		'-in',
		'server.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca.key',
		'-set_serial',
		String(Date.now()),
		'-days',
		'2',
		'-out',
		'server.pem',
		'-extfile',
		'server.ext',
	]);
	return {
		caFile: file('ca.pem'),
		ca: fs.readFileSync(file('ca.pem'), 'utf8'),
		key: fs.readFileSync(file('server.key'), 'utf8'),
		cert: fs.readFileSync(file('server.pem'), 'utf8'),
	};
}

/**
 * Copies `from` to `to`, each chunk (and the end) arriving `delayMs` after it was read and never
 * before `notBefore` (a clock time), in order. Returns a function that drops what is still queued.
 */
function delayLine(from, to, delayMs, notBefore = 0) {
	const queue = [];
	let timer = null;
	let last = 0;
	const put = (chunk) => (chunk === null ? to.end() : to.write(chunk));
	const deliver = () => {
		timer = null;
		// Timers fire up to ~1 ms late, never early; 0.25 ms of slack avoids an extra lap for that.
		while (queue.length && queue[0].at <= now() + 0.25) {
			if (put(queue.shift().chunk) === false) {
				from.pause();
				to.once('drain', () => from.resume());
			}
		}
		if (queue.length) timer = setTimeout(deliver, Math.max(0, queue[0].at - now()));
	};
	const push = (chunk) => {
		const at = Math.max(now() + delayMs, last, notBefore);
		last = at;
		if (!queue.length && at <= now()) {
			if (put(chunk) === false) {
				from.pause();
				to.once('drain', () => from.resume());
			}
			return;
		}
		queue.push({ at, chunk });
		if (!timer) timer = setTimeout(deliver, Math.max(0, at - now()));
	};
	from.on('data', push);
	from.on('end', () => push(null));
	return () => {
		if (timer) clearTimeout(timer);
		queue.length = 0;
	};
}

/**
 * Serves `server` (the simulator's http.Server) over TLS at https://127.0.0.1:PORT with `rttMs` of
 * round-trip time. Records every connection: when it was accepted, when its TLS handshake completed
 * at the server (the client's first request arrives with its last handshake message), and the
 * protocol. `dir` receives the certificates.
 */
async function startNetwork({ server, dir, rttMs = 0 }) {
	const certs = makeCertificates(dir);
	let rtt = rttMs;
	let seq = 0;
	/** Connections accepted since the last reset(), by id. */
	let connections = new Map();
	/** Front-end connections by the local port of their hop to the terminator. */
	const byHopPort = new Map();
	const sockets = new Set();
	const track = (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	};

	const terminator = tls.createServer({ key: certs.key, cert: certs.cert }, (secure) => {
		const record = byHopPort.get(secure.remotePort);
		if (record) {
			record.secureAt = now();
			record.protocol = secure.getProtocol();
			record.cipher = secure.getCipher()?.name;
		}
		server.emit('connection', secure);
	});
	terminator.on('connection', track);
	terminator.on('tlsClientError', () => {
		/* a client that gave up mid-handshake: nothing to serve */
	});

	const front = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
		track(client);
		const record = { id: ++seq, rttMs: rtt, acceptedAt: now() };
		connections.set(record.id, record);
		const oneWay = rtt / 2;
		const hop = net.connect({
			host: '127.0.0.1',
			port: terminator.address().port,
			allowHalfOpen: true,
			noDelay: true,
		});
		track(hop);
		hop.on('connect', () => byHopPort.set(hop.localPort, record));
		// The kernel already did the TCP handshake on loopback: the client's first bytes arrive no
		// earlier than they would have after a real one (SYN-ACK back: 1 RTT, then the bytes: RTT / 2).
		const stopUp = delayLine(client, hop, oneWay, record.acceptedAt + rtt + oneWay);
		const stopDown = delayLine(hop, client, oneWay);
		const drop = () => {
			stopUp();
			stopDown();
			client.destroy();
			hop.destroy();
			record.closedAt ??= now();
		};
		client.on('error', drop);
		hop.on('error', drop);
		client.on('close', () => {
			record.closedAt ??= now();
			if (!hop.destroyed && client.readableEnded === false) drop();
		});
		hop.on('close', () => {
			if (hop.localPort) byHopPort.delete(hop.localPort);
		});
	});

	const listen = (srv) =>
		new Promise((resolve, reject) => {
			srv.once('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				srv.off('error', reject);
				resolve(srv.address().port);
			});
		});
	await listen(terminator);
	const port = await listen(front);

	return {
		url: `https://127.0.0.1:${port}`,
		caFile: certs.caFile,
		ca: certs.ca,
		get rttMs() {
			return rtt;
		},
		/** RTT for connections accepted from now on. */
		setRtt(ms) {
			if (!(Number.isFinite(ms) && ms >= 0)) throw new TypeError(`RTT must be >= 0, got ${ms}`);
			rtt = ms;
		},
		/** Forget the connections recorded so far. */
		reset() {
			connections = new Map();
		},
		/** Copies of the connection records since the last reset(). */
		connections() {
			return [...connections.values()].map((c) => ({ ...c }));
		},
		/** connectionStats() of the connections since the last reset(). */
		stats() {
			return connectionStats([...connections.values()]);
		},
		close() {
			for (const socket of sockets) socket.destroy();
			return Promise.all(
				[front, terminator].map((srv) => new Promise((resolve) => srv.close(() => resolve()))),
			);
		},
	};
}

/**
 * Connections, the most open at once, completed TLS handshakes, their protocols, and the mean time
 * from a connection's acceptance to its first request's arrival; set-up is that time less the
 * request's own trip (RTT / 2): TCP and TLS handshakes and the client's own work in between.
 */
function connectionStats(records) {
	const secured = records.filter((c) => c.secureAt !== undefined);
	const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
	const protocols = {};
	for (const c of secured) protocols[c.protocol] = (protocols[c.protocol] || 0) + 1;
	const toRequest = secured.map((c) => c.secureAt - c.acceptedAt);
	const events = records.flatMap((c) =>
		c.closedAt === undefined
			? [[c.acceptedAt, 1]]
			: [
					[c.acceptedAt, 1],
					[c.closedAt, -1],
				],
	);
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let open = 0;
	let peakOpen = 0;
	for (const [, delta] of events) peakOpen = Math.max(peakOpen, (open += delta));
	return {
		connections: records.length,
		peakOpen,
		handshakes: secured.length,
		protocols,
		cipher: secured[0]?.cipher,
		connectToRequestMs: mean(toRequest),
		setupMs: mean(secured.map((c) => c.secureAt - c.acceptedAt - c.rttMs / 2)),
	};
}

module.exports = { startNetwork, makeCertificates, connectionStats };
