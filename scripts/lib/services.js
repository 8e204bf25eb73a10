'use strict';
/**
 * Redis and PostgreSQL for n8n's queue mode, started on free loopback ports with their own temp
 * dirs and stopped again, from Debian's packages (`redis-server`, `postgresql`). A missing package
 * is installed with apt-get when we are root (as on CI); otherwise the error says exactly what to
 * install. Node built-ins only.
 *
 *   const redis = await startRedis();       // { host, port, env, restart(), stop(), logFile }
 *   const pg = await startPostgres();       // { host, port, database, user, env, stop(), logFile }
 *   ... n8n with { ...redis.env, ...pg.env } ...
 *   await redis.stop(); await pg.stop();
 */

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const { freePort } = require('./n8n-harness');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` (async, truthy when done) until it passes or the deadline; `what` names it in the error. */
async function waitFor(check, { timeoutMs, intervalMs = 200, what, details = () => '' }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const result = await check();
		if (result) return result;
		if (Date.now() > deadline)
			throw new Error(`${what}: not within ${timeoutMs / 1000} s. ${details()}`.trim());
		await sleep(intervalMs);
	}
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function tail(file, lines = 40) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * Makes sure a Debian package's program is there: `find()` returns its path or undefined. When it
 * is missing and we are root, `apt-get install` the package (once, logged to a file); otherwise
 * throw an error that names the package to install.
 */
function ensureDebianPackage({ pkg, what, find }) {
	const found = find();
	if (found) return found;
	if (!isRoot()) {
		throw new Error(
			`${what} is missing: install Debian's "${pkg}" package (as root: apt-get install ${pkg}), then run the tests again.`,
		);
	}
	const log = path.join(os.tmpdir(), `n8n-nodes-clevertap-apt-${pkg}.log`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	// Another apt run on the machine holds the lock for a while: wait for it instead of failing.
	const lock = ['-o', 'DPkg::Lock::Timeout=300'];
	const attempt = () =>
		spawnSync('apt-get', [...lock, 'install', '-y', '--no-install-recommends', pkg], {
			env,
			encoding: 'utf8',
			timeout: 10 * 60_000,
		});
	process.stderr.write(`${what} is missing: installing Debian's ${pkg} (apt-get, log: ${log})\n`);
	let result = attempt();
	// A fresh machine has no package lists yet, or old ones.
	if (result.status !== 0) {
		const update = spawnSync('apt-get', [...lock, 'update'], {
			env,
			encoding: 'utf8',
			timeout: 10 * 60_000,
		});
		fs.writeFileSync(
			log,
			`${result.stdout}\n${result.stderr}\n${update.stdout}\n${update.stderr}\n`,
		);
		result = attempt();
	}
	fs.appendFileSync(log, `${result.stdout ?? ''}\n${result.stderr ?? ''}\n${result.error ?? ''}\n`);
	const installed = find();
	if (result.status !== 0 || !installed) {
		throw new Error(
			`${what} is missing and "apt-get install ${pkg}" failed (exit ${result.status ?? result.error}): ${tail(log, 15)}`,
		);
	}
	fs.rmSync(log, { force: true }); // kept only when the install failed
	return installed;
}

const exists = (file) => (fs.existsSync(file) ? file : undefined);

/** Stops a child: `signal`, then SIGKILL after the deadline. Resolves when it has exited. */
function stopChild(child, { signal = 'SIGTERM', timeoutMs = 15_000 } = {}) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill(signal);
	});
}

/** Sends PING and resolves true on +PONG (false on any error): Redis answers once it has loaded its data. */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let answer = '';
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/**
 * Redis from Debian's redis-server on a free loopback port. It snapshots to its own temp dir and
 * saves on shutdown, as Debian's packaged Redis does, so `restart()` (SIGTERM, then start again on
 * the same port) keeps n8n's queue like a service restart would.
 */
async function startRedis({ log = () => {} } = {}) {
	const bin = ensureDebianPackage({
		pkg: 'redis-server',
		what: 'Redis (for n8n queue mode)',
		find: () => exists('/usr/bin/redis-server'),
	});
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-redis-'));
	const logFile = path.join(dir, 'redis.log');
	const port = await freePort();
	let child;

	async function start() {
		const out = fs.openSync(logFile, 'a');
		// prettier-ignore
		child = spawn(bin, [
			'--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no',
			'--save', '3600 1', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'notice',
		], { stdio: ['ignore', out, out] });
		fs.closeSync(out);
		const exited = new Promise((resolve) => child.once('exit', () => resolve(true)));
		await waitFor(
			async () =>
				(await Promise.race([redisPing(port), exited])) === true && child.exitCode === null,
			{
				timeoutMs: 20_000,
				what: `Redis on 127.0.0.1:${port}`,
				details: () => `Its log:\n${tail(logFile)}`,
			},
		);
		log(`Redis ${port} ready (pid ${child.pid})`);
	}

	await start();
	return {
		host: '127.0.0.1',
		port,
		logFile,
		get pid() {
			return child.pid;
		},
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		/** Shut down (saving its data, as on a service restart) and start again on the same port. */
		async restart({ beforeStart = async () => {} } = {}) {
			await stopChild(child);
			log('Redis stopped');
			await beforeStart();
			await start();
		},
		async stop() {
			if (child) await stopChild(child);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Debian's PostgreSQL server binaries, newest major first. */
function findPostgresBin() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

/**
 * A throwaway PostgreSQL cluster from Debian's postgresql on a free loopback port, trusting local
 * connections (user `postgres`, no password, database `postgres`). PostgreSQL refuses to run as
 * root, so as root it runs as Debian's `postgres` system user.
 */
async function startPostgres({ log = () => {} } = {}) {
	const bin = ensureDebianPackage({
		pkg: 'postgresql',
		what: 'PostgreSQL (for n8n queue mode)',
		find: findPostgresBin,
	});
	let ids = {};
	if (isRoot()) {
		const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
		const uid = id('-u');
		const gid = id('-g');
		if (uid.status !== 0)
			throw new Error(
				'PostgreSQL cannot run as root and the "postgres" user is missing: reinstall Debian\'s postgresql package (apt-get install --reinstall postgresql-common).',
			);
		ids = { uid: Number(uid.stdout), gid: Number(gid.stdout) };
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-pg-'));
	const dataDir = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	fs.mkdirSync(dataDir);
	if (ids.uid !== undefined) {
		for (const p of [dir, dataDir]) fs.chownSync(p, ids.uid, ids.gid);
		fs.writeFileSync(logFile, '');
		fs.chownSync(logFile, ids.uid, ids.gid);
	}
	// prettier-ignore
	const init = spawnSync(path.join(bin, 'initdb'), [
		'-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions',
	], { encoding: 'utf8', cwd: dir, ...ids });
	if (init.status !== 0)
		throw new Error(
			`initdb failed (exit ${init.status ?? init.error}): ${init.stdout}\n${init.stderr}`,
		);

	const port = await freePort();
	const out = fs.openSync(logFile, 'a');
	// A test database: durability is not needed, speed is.
	// prettier-ignore
	const child = spawn(path.join(bin, 'postgres'), [
		'-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
		'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
		'-c', 'max_connections=200',
	], { cwd: dir, stdio: ['ignore', out, out], ...ids });
	fs.closeSync(out);
	await waitFor(
		() =>
			child.exitCode === null &&
			spawnSync(path.join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)])
				.status === 0,
		{
			timeoutMs: 30_000,
			what: `PostgreSQL on 127.0.0.1:${port}`,
			details: () => `Its log:\n${tail(logFile)}`,
		},
	);
	log(`PostgreSQL ${port} ready (pid ${child.pid})`);
	return {
		host: '127.0.0.1',
		port,
		database: 'postgres',
		user: 'postgres',
		logFile,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		},
		async stop() {
			// SIGINT is PostgreSQL's "fast" shutdown: it ends the sessions and stops at once.
			await stopChild(child, { signal: 'SIGINT' });
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { startRedis, startPostgres, waitFor, stopChild, ensureDebianPackage };
