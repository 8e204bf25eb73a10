'use strict';
/**
 * A loopback npm registry for install tests. It serves one local tarball (the freshly packed
 * package) under the package's name and forwards every other request to the real registry, so an
 * install resolves everything else as it would for a user. Clients reach it two ways:
 *
 * - as their registry (`npm_config_registry=<url>`), for a plain `npm install`;
 * - as their HTTPS proxy (`proxyEnv()`), for clients that insist on https://registry.npmjs.org:
 *   n8n's community installer passes that registry to npm itself, and only a licensed n8n may
 *   change it. A tunnel to registry.npmjs.org ends here, in TLS with a throwaway certificate the
 *   client trusts through NODE_EXTRA_CA_CERTS; axios instead sends the full https URL to the proxy
 *   in plain HTTP, which lands here too. Every other host is refused, so nothing else leaves the
 *   machine.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const tls = require('node:tls');
const { spawnSync } = require('node:child_process');

const REGISTRY_HOST = 'registry.npmjs.org';
const UPSTREAM = `https://${REGISTRY_HOST}`;

function readPackageJson(tarball) {
	const result = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(`reading package.json from ${tarball}: ${result.stderr}`);
	return JSON.parse(result.stdout);
}

/** A self-signed certificate for registry.npmjs.org, valid for a day, made by openssl. */
function makeCertificate(dir) {
	const key = path.join(dir, 'registry.key');
	const cert = path.join(dir, 'registry.crt');
	const result = spawnSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-keyout',
			key,
			'-out',
			cert,
			'-days',
			'1',
			'-subj',
			`/CN=${REGISTRY_HOST}`,
			'-addext',
			`subjectAltName=DNS:${REGISTRY_HOST}`,
		],
		{ encoding: 'utf8' },
	);
	if (result.status !== 0)
		throw new Error(`openssl could not make a test certificate: ${result.error ?? result.stderr}`);
	// What a client trusts: Node's own roots, the extra ones this machine already adds (an egress
	// proxy's, say) and the test certificate. npm needs it as its `cafile`, because a cafile in a
	// global npmrc replaces the roots NODE_EXTRA_CA_CERTS would add to.
	const bundle = path.join(dir, 'trusted.pem');
	const extra = process.env.NODE_EXTRA_CA_CERTS;
	fs.writeFileSync(
		bundle,
		[
			...tls.rootCertificates,
			extra && fs.existsSync(extra) ? fs.readFileSync(extra, 'utf8') : '',
			fs.readFileSync(cert, 'utf8'),
		].join('\n'),
	);
	return { key: fs.readFileSync(key), cert: fs.readFileSync(cert), bundle };
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * Starts the stub for `tarball` on a free loopback port. `requests` lists what it answered
 * (`{ host, method, path, served: 'local' | 'upstream' | 'refused', status }`).
 */
async function startRegistryStub({ tarball }) {
	const pkg = readPackageJson(tarball);
	const bytes = fs.readFileSync(tarball);
	const tarballName = `${pkg.name.split('/').pop()}-${pkg.version}.tgz`;
	const dist = {
		integrity: `sha512-${crypto.createHash('sha512').update(bytes).digest('base64')}`,
		shasum: crypto.createHash('sha1').update(bytes).digest('hex'),
	};
	const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-registry-'));
	const certificate = makeCertificate(certDir);
	const secureContext = tls.createSecureContext({ key: certificate.key, cert: certificate.cert });
	const requests = [];
	const sockets = new Set();

	const manifest = (origin) => ({
		...pkg,
		_id: `${pkg.name}@${pkg.version}`,
		dist: { ...dist, tarball: `${origin}/${pkg.name}/-/${tarballName}` },
	});

	function local(pathname, origin) {
		const own = `/${pkg.name}`;
		if (pathname === own)
			return {
				json: {
					name: pkg.name,
					'dist-tags': { latest: pkg.version },
					versions: { [pkg.version]: manifest(origin) },
				},
			};
		if (pathname === `${own}/-/${tarballName}`) return { body: bytes };
		if (pathname === `${own}/latest` || pathname === `${own}/${pkg.version}`)
			return { json: manifest(origin) };
		if (pathname.startsWith(`${own}/`)) return { status: 404, json: { error: 'Not found' } };
		return undefined;
	}

	async function forward(req, res, pathAndQuery, entry) {
		const headers = {};
		for (const name of ['accept', 'content-type', 'content-encoding', 'npm-command', 'user-agent'])
			if (req.headers[name]) headers[name] = req.headers[name];
		const body = ['GET', 'HEAD'].includes(req.method) ? undefined : await readBody(req);
		const upstream = await fetch(`${UPSTREAM}${pathAndQuery}`, {
			method: req.method,
			headers,
			body,
			redirect: 'manual',
		});
		const answer = Buffer.from(await upstream.arrayBuffer());
		const out = {};
		// fetch has already decoded the body, so its length and encoding headers no longer apply.
		upstream.headers.forEach((value, name) => {
			if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name))
				out[name] = value;
		});
		entry.status = upstream.status;
		res.writeHead(upstream.status, out);
		res.end(answer);
	}

	async function handle(req, res) {
		let origin;
		let pathAndQuery = req.url;
		if (/^https?:\/\//.test(req.url)) {
			// A proxied request in absolute form (axios through HTTPS_PROXY).
			const target = new URL(req.url);
			origin = target.origin;
			pathAndQuery = `${target.pathname}${target.search}`;
		} else {
			origin = `${req.socket.encrypted ? 'https' : 'http'}://${req.headers.host}`;
		}
		const host = new URL(origin).host;
		const pathname = decodeURIComponent(pathAndQuery.split('?')[0]);
		const entry = { host, method: req.method, path: pathname };
		requests.push(entry);
		if (/^https?:\/\//.test(req.url) && host !== REGISTRY_HOST) {
			entry.served = 'refused';
			entry.status = 403;
			res.writeHead(403).end();
			return;
		}
		const answer = local(pathname, origin);
		if (answer) {
			entry.served = 'local';
			entry.status = answer.status ?? 200;
			if (answer.json)
				res
					.writeHead(entry.status, { 'content-type': 'application/json' })
					.end(JSON.stringify(answer.json));
			else
				res
					.writeHead(entry.status, { 'content-type': 'application/octet-stream' })
					.end(answer.body);
			return;
		}
		entry.served = 'upstream';
		await forward(req, res, pathAndQuery, entry);
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`registry stub: ${error.message}`);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('connect', (req, socket, head) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
		const host = req.url.replace(/:\d+$/, '');
		if (host !== REGISTRY_HOST) {
			requests.push({ host, method: 'CONNECT', path: req.url, served: 'refused', status: 403 });
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length) socket.unshift(head);
		const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
		secure.on('error', () => {});
		server.emit('connection', secure);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const url = `http://127.0.0.1:${server.address().port}`;

	return {
		url,
		requests,
		package: { name: pkg.name, version: pkg.version, integrity: dist.integrity },
		/** Env for a process whose https requests to registry.npmjs.org must land here. */
		proxyEnv: () => ({
			HTTPS_PROXY: url,
			https_proxy: url,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: certificate.bundle,
			npm_config_cafile: certificate.bundle,
		}),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
			fs.rmSync(certDir, { recursive: true, force: true });
		},
	};
}

module.exports = { startRegistryStub, REGISTRY_HOST };
