#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: throughput of the CleverTap node inside real n8n, against CleverTap's limit
 * (3 demerge requests at once, 100 identities each) and against what users do without the node
 * (n8n's HTTP Request node, one request per item; a sequential batch-of-100 client). Then the
 * network part: the simulator over TLS with 0, 50 and 150 ms of round-trip time (bench/lib/network.js).
 * And the operations beside Demerge (bench/lib/operations.js): Profile → Get and Delete against the
 * same 3-request limit, Profile → Create or Update against the upload limit (1,000 records a
 * request, 15 at a time), its time per record in a dry run, and Event → Get Many of 100,000 events
 * page by page at 200 ms and at 0 ms (its own cost).
 *
 *   node bench/run.js [--latencies 200,50 | --latency 200] [--quick] [--sizes 1000,10000,100000]
 *                     [--major 1|2] [--no-build] [--http-n 300] [--seq-sizes 1000,10000]
 *                     [--profile | --profile-only] [--keep] [--expressions plain,complex]
 *                     [--tarball <package.tgz>] [--in-process] [--no-in-process-check]
 *                     [--no-peers] [--out <dir>] [--report-only]
 *                     [--rtts 0,50,150] [--rtt-only | --no-rtt] [--rtt-n 10000] [--rtt-latency 200]
 *                     [--rtt-upload-n 100000 (0: none)]
 *                     [--no-rtt-proposal]
 *                     [--ops-only | --no-ops] [--ops get,delete,upsert,events] [--ops-repeat 2]
 *                     [--ops-latency 200] [--upsert-latencies 1000,200] [--get-n 600]
 *                     [--delete-n 10000] [--upsert-n 100000] [--json-n 10000]
 *                     [--events-n 100000] [--events-latency 200] [--events-batch-size 5000]
 *                     [--compare-tarball <other.tgz> [--compare-label 7265aef]]… [--label <text>]
 *                     [--compare-n 3000] [--compare-latency 100] [--compare-rounds 5]
 *
 * Writes bench/results.md, bench/results.svg and bench/results.json; the last stdout lines are
 *   bench: ops get_ratio=… delete_ratio=… upsert_ratio_1000ms=… upsert_ratio_200ms=… upsert_us_per_record=…
 *     events_pages=… events_ratio=… events_issue_ratio=… events_us_per_record=…
 *   bench: rtt L=200 N=10000 ratio_by_rtt=0:…,50:…,150:… keep_alive_n8n=…
 *   bench: N=10000 ratio_to_limit=… speedup_vs_http_request_node=…x
 * (--rtt-only: the rtt line only, --ops-only: the ops line only; the other tables of results.json
 * are kept as they were, and --ops events alone keeps the Profile operations' figures, --ops
 * without events keeps Event → Get Many's).
 * --compare-tarball (repeatable, each followed by its --compare-label) runs only the comparison of
 * the package (or --tarball, named by --label) with those tarballs in n8n 1.x's default,
 * in-process Code node mode (bench/lib/legacy-code-node.js), writes legacy-code-node.md and .json
 * to --out and ends with
 *   bench: legacy-code-node N=… L=… rounds=… this:ratio=…,us_per_item=… <label>:ratio=…,us_per_item=…
 * Everything it starts (simulator, n8n children, temp user folder) is stopped/removed on exit,
 * failure, Ctrl-C or SIGTERM. Working files go to bench/.work/ (git-ignored).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { ensureN8n, createN8nInstance } = require('../scripts/lib/n8n-harness');
const { packPackage, REPO_ROOT } = require('../scripts/lib/pack');
const { startSimulator } = require('../test/simulator');
const wf = require('./lib/workflows');
const { runSequential } = require('./lib/sequential');
const { summarise } = require('./lib/cpuprofile');
const { writeReport, networkLine, emptyTables } = require('./lib/report');
const { operationsLine, OPERATIONS, opLimitMs } = require('./lib/operations-report');
const { runOperations } = require('./lib/operations');
const { startNetwork } = require('./lib/network');
const { probeRoundTrips, runBatches } = require('./lib/https-clients');
const { turnaround, nodeRun, runError } = require('./lib/n8n-runs');
const { runLegacyCompare } = require('./lib/legacy-code-node');
const { compareSection, compareLine, compareMarkdown } = require('./lib/legacy-code-node-report');

/** Preload that gives n8n one keep-alive agent per set of options: the change proposed to n8n. */
const KEEP_ALIVE_PRELOAD = path.join(__dirname, 'lib', 'n8n-keep-alive-agents.js');

const BENCH_DIR = __dirname;
const log = (...a) => console.error('[bench]', ...a);

// ------------------------------------------------------------------------------------ options --

function parseArgs(argv) {
	const opts = {
		latencies: [200, 50],
		sizes: [1000, 10000, 100000],
		major: 1,
		build: true,
		httpN: undefined,
		seqSizes: [1000, 10000],
		profile: false,
		keep: false,
		quick: false,
		expressions: ['plain', 'complex'],
		tarball: undefined,
		// n8n 1.x: the Code node runs in a task runner (N8N_RUNNERS_ENABLED=true), the mode n8n 1.123
		// asks for (running without is deprecated) and the only one in 2.x. --in-process measures the
		// deprecated mode instead; the in-process check measures it next to the main run.
		runners: true,
		inProcessCheck: true,
		peers: true,
		out: BENCH_DIR,
		// The network part (bench/lib/network.js): TLS and these round-trip times, at one L and N.
		rtt: true,
		rttOnly: false,
		rtts: [0, 50, 150],
		rttLatency: 200,
		rttN: 10000,
		rttUploadN: 100000,
		rttProposal: true,
		// The operations beside Demerge (bench/lib/operations.js), each measured opsRepeat times.
		ops: ['get', 'delete', 'upsert', 'events'],
		opsRun: true,
		opsOnly: false,
		opsRepeat: 2,
		opsLatency: 200,
		upsertLatencies: [1000, 200],
		getN: 600,
		deleteN: 10000,
		upsertN: 100000,
		jsonN: 10000,
		// Event → Get Many (issue 21): N events at this batch size, at L and at 0 ms.
		eventsN: 100000,
		eventsLatency: 200,
		eventsBatchSize: 5000,
		// --compare-tarball: this package beside another tarball, n8n 1.x's in-process Code node.
		compareTarballs: [],
		compareLabels: [],
		label: undefined,
		compareN: 3000,
		compareLatency: 100,
		compareRounds: 5,
	};
	const list = (v) =>
		String(v)
			.split(',')
			.map((x) => Number(x.trim()))
			.filter((x) => Number.isFinite(x) && x > 0);
	const listWithZero = (v) =>
		String(v)
			.split(',')
			.map((x) => Number(x.trim()))
			.filter((x) => Number.isFinite(x) && x >= 0);
	// Flags that take one positive number, and the option each sets.
	const numberFlags = {
		'--http-n': 'httpN',
		'--rtt-n': 'rttN',
		'--rtt-upload-n': 'rttUploadN',
		'--rtt-latency': 'rttLatency',
		'--ops-repeat': 'opsRepeat',
		'--ops-latency': 'opsLatency',
		'--get-n': 'getN',
		'--delete-n': 'deleteN',
		'--upsert-n': 'upsertN',
		'--events-n': 'eventsN',
		'--events-latency': 'eventsLatency',
		'--events-batch-size': 'eventsBatchSize',
		'--compare-n': 'compareN',
		'--compare-latency': 'compareLatency',
		'--compare-rounds': 'compareRounds',
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=');
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (Object.hasOwn(numberFlags, flag)) {
			opts[numberFlags[flag]] = list(value())[0];
			continue;
		}
		switch (flag) {
			case '--latency':
				opts.latencies = list(value()).slice(0, 1);
				break;
			case '--latencies':
				opts.latencies = list(value());
				break;
			case '--sizes':
				opts.sizes = list(value());
				break;
			case '--quick':
				opts.quick = true;
				opts.sizes = [1000, 10000];
				break;
			case '--major':
				opts.major = Number(value());
				break;
			case '--no-build':
				opts.build = false;
				break;
			case '--seq-sizes':
				opts.seqSizes = list(value());
				break;
			case '--profile':
				opts.profile = true;
				break;
			case '--profile-only':
				opts.profileOnly = true;
				break;
			case '--keep':
				opts.keep = true;
				break;
			case '--expressions':
				opts.expressions = String(value())
					.split(',')
					.map((x) => x.trim());
				break;
			case '--tarball':
				opts.tarball = path.resolve(value());
				break;
			case '--compare-tarball':
				opts.compareTarballs.push(path.resolve(value()));
				break;
			case '--compare-label':
				// Names the --compare-tarball before it.
				if (!opts.compareTarballs.length)
					throw new Error('--compare-label names the --compare-tarball before it');
				opts.compareLabels[opts.compareTarballs.length - 1] = String(value());
				break;
			case '--label':
				opts.label = String(value());
				break;
			case '--in-process':
				opts.runners = false;
				break;
			case '--no-peers':
				opts.peers = false;
				break;
			case '--no-in-process-check':
				opts.inProcessCheck = false;
				break;
			case '--out':
				opts.out = path.resolve(value());
				break;
			case '--report-only':
				opts.reportOnly = true;
				break;
			case '--rtts':
				opts.rtts = listWithZero(value());
				break;
			case '--rtt-only':
				opts.rttOnly = true;
				break;
			case '--no-rtt':
				opts.rtt = false;
				break;
			case '--no-rtt-proposal':
				opts.rttProposal = false;
				break;
			case '--ops-only':
				opts.opsOnly = true;
				break;
			case '--no-ops':
				opts.opsRun = false;
				break;
			case '--ops':
				opts.ops = String(value())
					.split(',')
					.map((x) => x.trim())
					.filter(Boolean);
				break;
			case '--upsert-latencies':
				opts.upsertLatencies = list(value());
				break;
			case '--json-n':
				// 0 leaves the JSON mode's dry run out.
				opts.jsonN = listWithZero(value())[0];
				break;
			case '-h':
			case '--help':
				{
					const lines = fs.readFileSync(__filename, 'utf8').split('\n');
					console.log(
						lines
							.slice(3, lines.indexOf(' */'))
							.map((l) => l.replace(/^ \* ?/, ''))
							.join('\n'),
					);
				}
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown option ${argv[i]} (see --help)`);
		}
	}
	if (!opts.latencies.length || !opts.sizes.length)
		throw new Error('Need at least one latency and one size');
	if (opts.rttOnly && !opts.rtt) throw new Error('--rtt-only and --no-rtt exclude each other');
	if (opts.opsOnly && (!opts.opsRun || opts.rttOnly))
		throw new Error('--ops-only excludes --no-ops and --rtt-only');
	for (const op of opts.ops)
		if (!['get', 'delete', 'upsert', 'events'].includes(op))
			throw new Error(`Unknown operation ${op} in --ops (have get, delete, upsert, events)`);
	if (
		(opts.opsRun || opts.opsOnly) &&
		(!opts.ops.length ||
			!opts.opsRepeat ||
			!opts.opsLatency ||
			!opts.upsertLatencies.length ||
			!opts.getN ||
			!opts.deleteN ||
			!opts.upsertN ||
			!opts.eventsN ||
			!opts.eventsLatency ||
			!(opts.eventsBatchSize >= 23 && opts.eventsBatchSize <= 5000))
	)
		throw new Error('The operations part needs operations, a repeat count, latencies and sizes');
	if ((opts.rtt || opts.rttOnly) && (!opts.rtts.length || !opts.rttN || !opts.rttLatency))
		throw new Error('Need at least one RTT, an --rtt-n and an --rtt-latency');
	const compare = opts.compareTarballs.length > 0;
	if (compare && opts.major >= 2)
		throw new Error('--compare-tarball is n8n 1.x only: it measures the in-process Code node');
	for (const file of opts.compareTarballs)
		if (!fs.existsSync(file)) throw new Error(`--compare-tarball: no file ${file}`);
	if (compare && (!opts.compareN || !opts.compareLatency || !opts.compareRounds))
		throw new Error(
			'--compare-tarball needs a --compare-n, --compare-latency and --compare-rounds',
		);
	if (!opts.runners && opts.major >= 2)
		throw new Error('--in-process is n8n 1.x only: n8n 2.x runs Code nodes in task runners only');
	for (const e of opts.expressions)
		if (!wf.EXPRESSIONS[e])
			throw new Error(`Unknown expression ${e} (have ${Object.keys(wf.EXPRESSIONS).join(', ')})`);
	opts.sizes.sort((a, b) => a - b);
	return opts;
}

// ------------------------------------------------------------------------------------ cleanup --

const state = { sim: null, network: null, workDir: null, keep: false, cleaned: false };

/** Our own descendants, by walking /proc (the harness does not hand out its child processes). */
function descendants(rootPid) {
	const children = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid).push(Number(entry));
		} catch {
			/* gone */
		}
	}
	const out = [];
	const walk = (pid) => {
		for (const c of children.get(pid) || []) {
			out.push(c);
			walk(c);
		}
	};
	walk(rootPid);
	return out;
}

function cleanupSync() {
	if (state.cleaned) return;
	state.cleaned = true;
	for (const pid of descendants(process.pid)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
	if (state.network) state.network.close();
	if (state.sim) {
		try {
			state.sim.server.closeAllConnections?.();
			state.sim.server.close();
		} catch {
			/* closing */
		}
	}
	if (state.workDir && !state.keep) fs.rmSync(state.workDir, { recursive: true, force: true });
}

process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		log(`${signal}: stopping n8n, the simulator and removing ${state.workDir ?? 'nothing'}`);
		cleanupSync();
		process.exit(128 + (os.constants.signals[signal] || 0));
	});
}

// ------------------------------------------------------------------------------------ helpers --

const RUNNERS_ENV = { N8N_RUNNERS_ENABLED: 'true', N8N_RUNNERS_MODE: 'internal' };
const IN_PROCESS_ENV = { N8N_RUNNERS_ENABLED: 'false' };

/** n8n's environment for the Code node mode asked for (2.x has task runners only). */
const codeNodeEnv = (major, runners) => (major >= 2 ? {} : runners ? RUNNERS_ENV : IN_PROCESS_ENV);

const limitMs = (n, latency) => Math.ceil(n / 100 / 3) * latency;

function gitDescribe() {
	try {
		const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
			cwd: REPO_ROOT,
			encoding: 'utf8',
		}).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], {
			cwd: REPO_ROOT,
			encoding: 'utf8',
		}).trim();
		return dirty ? `${head} + uncommitted changes in nodes/ or credentials/` : head;
	} catch {
		return 'unknown';
	}
}

function n8nInstalledVersion(n8n) {
	try {
		return require(path.join(n8n.dir, 'node_modules', 'n8n', 'package.json')).version;
	} catch {
		return n8n.version;
	}
}

function nodeVersionOf(bin) {
	try {
		return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
	} catch {
		return '?';
	}
}

function timeoutFor(n, latency) {
	// Generous: the expected HTTP time three times over, plus boot, item generation and output.
	return Math.max(180_000, 3 * limitMs(n, latency) + 240_000 + n * 2);
}

// ------------------------------------------------------------------------------------ main -----

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	if (opts.reportOnly) {
		// Re-render results.md and results.svg from results.json (after changing the report code).
		const results = JSON.parse(fs.readFileSync(path.join(opts.out, 'results.json'), 'utf8'));
		const final = writeReport(results, opts.out);
		if (results.operations && final !== operationsLine(results))
			console.log(operationsLine(results));
		if (results.network && final !== networkLine(results)) console.log(networkLine(results));
		console.log(final);
		return;
	}
	const startedAt = new Date();
	fs.mkdirSync(path.join(BENCH_DIR, '.work'), { recursive: true });
	state.workDir = fs.mkdtempSync(path.join(BENCH_DIR, '.work', `run-${process.pid}-`));
	state.keep = opts.keep;

	let tarball = opts.tarball;
	if (!tarball) {
		log(`${opts.build ? 'building and ' : ''}packing the package ...`);
		tarball = packPackage({ build: opts.build, destination: state.workDir });
	}
	const n8n = await ensureN8n(opts.major, { log });
	const n8nVersion = n8nInstalledVersion(n8n);
	log(`n8n ${n8nVersion} (major ${opts.major}) at ${n8n.dir}`);

	const sim = await startSimulator({
		latencyMs: opts.latencies[0],
		concurrencyLimit: 3,
		accounts: { [wf.ACCOUNT_ID]: wf.PASSCODE },
		maxRecords: 1000,
	});
	state.sim = sim;
	log(`simulator at ${sim.url}, limit 3 concurrent demerge requests per account`);

	const userFolder = path.join(state.workDir, 'n8n-user');
	// With a task runner the Code node's items reach the next node as plain objects; in-process
	// (deprecated 1.x mode) they are vm2 sandbox proxies, which n8n is slow to copy (bench/README.md).
	const n8nEnv = codeNodeEnv(opts.major, opts.runners);
	const profileOps = (opts.profile || opts.profileOnly) && {
		profileRun: (args) => profileRun({ n8n, userFolder, env: n8nEnv, sim, ...args }),
	};
	/** The operations part (bench/lib/operations.js) on an n8n instance with the package. */
	const operations = (instance, results) =>
		runOperations({
			opts,
			instance,
			sim,
			results,
			meta: partMeta({ opts, n8n, n8nVersion }),
			log,
			...profileOps,
		});

	if (opts.compareTarballs.length) {
		await compareTarballs({ opts, n8n, n8nVersion, tarball, sim, startedAt });
		return;
	}

	if (opts.rttOnly || opts.opsOnly) {
		// Only the network part, or only the operations part: its figures replace those in the
		// existing results.json, so the other tables stay as they were measured (or are left out
		// when there is no results.json).
		const file = path.join(opts.out, 'results.json');
		const results = fs.existsSync(file)
			? JSON.parse(fs.readFileSync(file, 'utf8'))
			: { meta: runMeta({ opts, n8n, n8nVersion, startedAt }), ...emptyTables() };
		if (results.meta.n8nMajor !== opts.major)
			throw new Error(
				`${file} holds n8n ${results.meta.n8n} results; use --out <dir> for major ${opts.major}`,
			);
		if (opts.rttOnly) {
			delete results.networkError;
			await runNetwork({ opts, n8n, tarball, sim, results, n8nVersion });
		} else {
			delete results.operationsError;
			const instance = createN8nInstance({ n8n, userFolder, env: n8nEnv });
			await instance.installPackage(tarball);
			await instance.importCredentials([wf.credential(sim.url)]);
			await operations(instance, results);
		}
		fs.mkdirSync(opts.out, { recursive: true });
		writeReport(results, opts.out);
		fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
		log(
			`wrote results.md, results.json to ${path.relative(process.cwd(), opts.out) || '.'} (${((Date.now() - startedAt) / 1000).toFixed(0)} s in all)`,
		);
		await sim.close();
		state.sim = null;
		console.log(opts.rttOnly ? networkLine(results) : operationsLine(results));
		return;
	}

	const instance = createN8nInstance({ n8n, userFolder, env: n8nEnv });
	await instance.installPackage(tarball);
	await instance.importCredentials([wf.credential(sim.url)]);

	// Import every CleverTap workflow in one CLI boot.
	const ctWorkflowsByKey = new Map();
	const ctKey = (n, expression, dryRun) => `${n} ${expression} ${dryRun}`;
	for (const n of opts.sizes) {
		for (const expression of opts.expressions) {
			for (const dryRun of [false, true])
				ctWorkflowsByKey.set(
					ctKey(n, expression, dryRun),
					wf.cleverTapWorkflow({ n, expression, dryRun }),
				);
		}
	}
	const ctWorkflows = [...ctWorkflowsByKey.values()];
	const baselineWf = wf.cleverTapWorkflow({ n: 1, expression: 'plain', dryRun: false });
	const inputCostWfs = opts.sizes.map((n) => wf.inputCostWorkflow({ n }));
	const ids = [...ctWorkflows, baselineWf, ...inputCostWfs].map((w) => w.id);
	if (new Set(ids).size !== ids.length)
		throw new Error(`duplicate workflow ids: ${ids.join(', ')}`);
	await instance.importWorkflow([...ctWorkflows, baselineWf, ...inputCostWfs]);
	const wfFor = (n, expression, dryRun) => ctWorkflowsByKey.get(ctKey(n, expression, dryRun));

	const results = {
		meta: runMeta({ opts, n8n, n8nVersion, startedAt }),
		...emptyTables(),
	};

	const execute = async (workflow, { n, latency, nodeName, on = instance }) => {
		sim.reset();
		sim.setLatency(latency);
		const r = await on.execute(workflow.id, { timeoutMs: timeoutFor(n, latency) });
		const run = nodeRun(r.json, nodeName);
		// Distinct TCP connections among the requests still on record (keep-alive or not).
		const records = sim.requests.filter((q) => q.api === 'demerge');
		const connections = new Set(records.map((q) => q.connection)).size;
		const stats = {
			...sim.stats(),
			connectionsPerRequest: records.length ? connections / records.length : undefined,
			...turnaround(records, latency),
		};
		return { r, run, stats, error: runError(r, nodeName) };
	};

	if (!opts.profileOnly)
		await runMatrix({ opts, sim, instance, execute, results, baselineWf, wfFor, inputCostWfs });

	// The operations beside Demerge. A failure there is reported but does not cost the other results.
	if (!opts.profileOnly && opts.opsRun) {
		try {
			await operations(instance, results);
		} catch (error) {
			results.operationsError = String(error && error.message ? error.message : error);
			log(`operations part failed: ${results.operationsError}`);
		}
	}

	// The deprecated 1.x mode next to the main run (it needs the plain-expression workflows). A
	// failure there is reported but does not cost the main run's results.
	if (
		!opts.profileOnly &&
		opts.inProcessCheck &&
		opts.major === 1 &&
		opts.runners &&
		opts.expressions.includes('plain')
	) {
		try {
			await runInProcessCheck({ opts, n8n, tarball, sim, execute, results, wfFor, inputCostWfs });
		} catch (error) {
			results.inProcessError = String(error && error.message ? error.message : error);
			log(`in-process check failed: ${results.inProcessError}`);
		}
	}

	// TLS and round-trip times. A failure there is reported but does not cost the other results.
	if (!opts.profileOnly && opts.rtt) {
		try {
			await runNetwork({ opts, n8n, tarball, sim, results, n8nVersion });
		} catch (error) {
			results.networkError = String(error && error.message ? error.message : error);
			log(`network part failed: ${results.networkError}`);
		}
	}

	if (opts.profile || opts.profileOnly) {
		const n = opts.sizes[opts.sizes.length - 1];
		const latency = opts.latencies[0];
		results.profile = [];
		for (const [label, dryRun] of [
			['dry-run', true],
			['real', false],
		]) {
			results.profile.push(
				await profileRun({
					n8n,
					userFolder,
					env: n8nEnv,
					sim,
					latency,
					n,
					workflow: wfFor(n, 'plain', dryRun),
					label,
				}),
			);
		}
	}
	if (opts.profileOnly) {
		const file = path.join(BENCH_DIR, '.work', `profile-${process.pid}.json`);
		fs.writeFileSync(file, JSON.stringify(results.profile, null, 2));
		await sim.close();
		state.sim = null;
		log(`--profile-only: results.md not touched; summaries in ${path.relative(REPO_ROOT, file)}`);
		return;
	}

	fs.mkdirSync(opts.out, { recursive: true });
	const final = writeReport(results, opts.out);
	fs.writeFileSync(path.join(opts.out, 'results.json'), JSON.stringify(results, null, 2) + '\n');
	log(
		`wrote results.md, results.svg, results.json to ${path.relative(process.cwd(), opts.out) || '.'} (${((Date.now() - startedAt) / 1000).toFixed(0)} s in all)`,
	);
	await sim.close();
	state.sim = null;
	if (results.operations) console.log(operationsLine(results));
	if (results.network) console.log(networkLine(results));
	console.log(final);
}

/**
 * --compare-tarball: the package (or --tarball) beside another tarball in n8n 1.x's default,
 * in-process Code node mode, alternating, round after round. Writes legacy-code-node.md and
 * legacy-code-node.json to --out (results.json is not touched) and prints the table and one line.
 */
async function compareTarballs({ opts, n8n, n8nVersion, tarball, sim, startedAt }) {
	const commit = gitDescribe();
	const compare = await runLegacyCompare({
		n8n,
		n8nVersion,
		createN8nInstance,
		sim,
		packages: [
			{
				key: 'this',
				tag: 'this',
				label:
					opts.label ??
					(opts.tarball
						? path.basename(opts.tarball)
						: `this tree (${commit.replace(/ \+ uncommitted.*/, ' + uncommitted changes')})`),
				tarball,
			},
			...opts.compareTarballs.map((file, i) => ({
				key: `compare${i + 1}`,
				tag: opts.compareLabels[i] ?? `compare${i + 1}`,
				label: opts.compareLabels[i] ?? path.basename(file),
				tarball: file,
			})),
		],
		n: opts.compareN,
		latency: opts.compareLatency,
		rounds: opts.compareRounds,
		workDir: state.workDir,
		log,
	});
	compare.commit = commit;
	compare.n8nNode = nodeVersionOf(n8n.nodeBin);
	compare.machine = runMeta({ opts, n8n, n8nVersion, startedAt }).machine;
	const section = compareSection(compare);
	const line = compareLine(compare);
	fs.mkdirSync(opts.out, { recursive: true });
	fs.writeFileSync(path.join(opts.out, 'legacy-code-node.md'), compareMarkdown(compare));
	fs.writeFileSync(
		path.join(opts.out, 'legacy-code-node.json'),
		JSON.stringify(compare, null, 2) + '\n',
	);
	log(
		`wrote legacy-code-node.md and .json to ${path.relative(process.cwd(), opts.out) || '.'} (${((Date.now() - startedAt) / 1000).toFixed(0)} s in all)`,
	);
	await sim.close();
	state.sim = null;
	console.log(section.join('\n'));
	console.log(line);
}

/** What the run measured with: machine, n8n, Node, package, commit and the options. */
function runMeta({ opts, n8n, n8nVersion, startedAt }) {
	return {
		date: startedAt.toISOString(),
		machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`,
		n8n: n8nVersion,
		n8nMajor: opts.major,
		n8nNode: nodeVersionOf(n8n.nodeBin),
		benchNode: process.version,
		packageVersion: require(path.join(REPO_ROOT, 'package.json')).version,
		commit: gitDescribe(),
		latencies: opts.latencies,
		sizes: opts.sizes,
		quick: opts.quick,
		runners: opts.major >= 2 || opts.runners,
		tarball: opts.tarball ? path.basename(opts.tarball) : undefined,
		expressions: wf.EXPRESSIONS,
	};
}

/** Who measured a part run on its own (the operations part): commit, n8n, Node, tarball. */
function partMeta({ opts, n8n, n8nVersion }) {
	return {
		commit: gitDescribe(),
		n8n: n8nVersion,
		n8nNode: nodeVersionOf(n8n.nodeBin),
		tarball: opts.tarball ? path.basename(opts.tarball) : undefined,
		codeNodeMode:
			opts.major >= 2 || opts.runners
				? 'in a task runner, items reach the next node as plain objects'
				: 'inside the n8n process (deprecated)',
	};
}

/** The measurement matrix: baseline, dry runs, the node at every latency and size, the peers. */
async function runMatrix({
	opts,
	sim,
	instance,
	execute,
	results,
	baselineWf,
	wfFor,
	inputCostWfs,
}) {
	// Baseline: peak RSS of the same workflow with one item (n8n itself, booted and idle-ish).
	{
		const { r, error } = await execute(baselineWf, {
			n: 1,
			latency: opts.latencies[0],
			nodeName: wf.CLEVERTAP_NODE,
		});
		if (error) throw new Error(`baseline run failed: ${error}`);
		results.baseline = { peakRssKb: r.peakRssKb, durationMs: r.durationMs };
		log(
			`baseline (N=1): peak RSS ${(r.peakRssKb / 1024).toFixed(0)} MB, n8n execute took ${r.durationMs} ms`,
		);
	}

	// What n8n spends on N input items before any node's code runs (its per-item input copy), measured
	// on a Limit node that keeps 1 item: the part of every node's execution time no node can change.
	for (const [i, n] of opts.sizes.entries()) {
		const { run, error } = await execute(inputCostWfs[i], {
			n,
			latency: opts.latencies[0],
			nodeName: wf.LIMIT_NODE,
		});
		const entry = {
			n,
			timeMs: run?.executionTime,
			usPerItem: run ? (run.executionTime * 1000) / n : undefined,
			error,
		};
		results.inputCost.push(entry);
		log(
			`Limit (keeps 1 of N) N=${n}: ${entry.timeMs} ms = ${entry.usPerItem?.toFixed(2)} µs/item${error ? ' ERROR ' + error : ''}`,
		);
	}

	// Mapping cost: dry runs validate, deduplicate and plan without HTTP (latency-independent).
	for (const n of opts.sizes) {
		for (const expression of opts.expressions) {
			const { r, run, error } = await execute(wfFor(n, expression, true), {
				n,
				latency: opts.latencies[0],
				nodeName: wf.CLEVERTAP_NODE,
			});
			const entry = {
				n,
				expression,
				timeMs: run?.executionTime,
				usPerItem: run ? (run.executionTime * 1000) / n : undefined,
				items: run?.data?.main?.[0]?.length,
				peakRssKb: r.peakRssKb,
				error,
			};
			results.mapping.push(entry);
			log(
				`dry run  N=${n} ${expression}: ${entry.timeMs} ms = ${entry.usPerItem?.toFixed(2)} µs/item${error ? ' ERROR ' + error : ''}`,
			);
		}
	}

	for (const latency of opts.latencies) {
		// The node, in real n8n.
		for (const n of opts.sizes) {
			for (const expression of opts.expressions) {
				const { r, run, stats, error } = await execute(wfFor(n, expression, false), {
					n,
					latency,
					nodeName: wf.CLEVERTAP_NODE,
				});
				const out = run?.data?.main?.[0] || [];
				const tLimit = limitMs(n, latency);
				const simSpanMs =
					stats.firstRequestAt !== undefined
						? stats.lastResponseAt - stats.firstRequestAt
						: undefined;
				const entry = {
					latency,
					n,
					expression,
					timeMs: run?.executionTime,
					limitMs: tLimit,
					ratio: run ? tLimit / run.executionTime : undefined,
					perIdentityMs: run ? run.executionTime / n : undefined,
					requests: stats.demergeRequests,
					expectedRequests: Math.ceil(n / 100),
					throttled: stats.byStatus['429'] || 0,
					byStatus: stats.byStatus,
					peakConcurrency: stats.peakConcurrency,
					identitiesDemerged: stats.identitiesDemerged,
					successItems: out.filter((item) => item.json && item.json.status === 'success').length,
					simSpanMs,
					connectionsPerRequest: stats.connectionsPerRequest,
					serviceOverMs: stats.serviceOverMs,
					turnaroundMs: stats.turnaroundMs,
					peakRssKb: r.peakRssKb,
					durationMs: r.durationMs,
					error,
				};
				results.node.push(entry);
				log(
					`node     L=${latency} N=${n} ${expression}: T=${entry.timeMs} ms, T_limit=${tLimit} ms, ratio ${entry.ratio?.toFixed(3)}, ` +
						`${entry.requests} requests, ${entry.throttled} × 429, peak ${entry.peakConcurrency}, HTTP span ${simSpanMs?.toFixed(0)} ms, ` +
						`${entry.connectionsPerRequest?.toFixed(2)} connections/request, service L+${entry.serviceOverMs?.toFixed(2)} ms, turnaround ${entry.turnaroundMs?.toFixed(2)} ms, RSS ${(r.peakRssKb / 1024).toFixed(0)} MB, ${entry.successItems}/${n} ok${error ? ' ERROR ' + error : ''}`,
				);
			}
		}

		if (!opts.peers) continue;

		// n8n's HTTP Request node, one request per item, batched to stay under 3 at a time.
		const httpN = opts.httpN ?? (latency >= 150 ? 300 : 600);
		let margin = Math.max(20, Math.ceil(latency * 0.2));
		for (let attempt = 1; attempt <= 4; attempt++) {
			const batching = { batchSize: 3, batchInterval: latency + margin };
			const workflow = wf.httpRequestWorkflow({
				n: httpN,
				url: sim.url,
				batching,
				tag: `b${batching.batchInterval}`,
			});
			await instance.importWorkflow(workflow);
			const { r, run, stats, error } = await execute(workflow, {
				n: httpN,
				latency,
				nodeName: wf.HTTP_NODE,
			});
			const entry = {
				latency,
				n: httpN,
				batching,
				attempt,
				timeMs: run?.executionTime,
				perIdentityMs: run ? run.executionTime / httpN : undefined,
				requests: stats.demergeRequests,
				throttled: stats.byStatus['429'] || 0,
				peakConcurrency: stats.peakConcurrency,
				identitiesDemerged: stats.identitiesDemerged,
				connectionsPerRequest: stats.connectionsPerRequest,
				peakRssKb: r.peakRssKb,
				error,
			};
			log(
				`HTTP node L=${latency} N=${httpN} batch 3 every ${batching.batchInterval} ms: T=${entry.timeMs} ms, ${entry.requests} requests, ` +
					`${entry.throttled} × 429, peak ${entry.peakConcurrency}${error ? ' ERROR ' + error.slice(0, 200) : ''}`,
			);
			if (!error && entry.throttled === 0) {
				results.http.push(entry);
				break;
			}
			results.httpFailures.push(entry);
			margin *= 2;
		}

		// The unbatched HTTP Request node, once, at a tiny N: it fails on CleverTap's 429.
		if (latency === opts.latencies[0]) {
			for (const [tag, batching] of [
				['none', undefined],
				['b3i0', { batchSize: 3, batchInterval: 0 }],
			]) {
				const n = 10;
				const workflow = wf.httpRequestWorkflow({ n, url: sim.url, batching, tag });
				await instance.importWorkflow(workflow);
				const { run, stats, error } = await execute(workflow, {
					n,
					latency,
					nodeName: wf.HTTP_NODE,
				});
				const entry = {
					latency,
					n,
					batching: batching ?? null,
					timeMs: run?.executionTime,
					requests: stats.demergeRequests,
					throttled: stats.byStatus['429'] || 0,
					ok: stats.byStatus['200'] || 0,
					peakConcurrency: stats.peakConcurrency,
					error,
				};
				results.httpFailures.push(entry);
				log(
					`HTTP node L=${latency} N=${n} ${batching ? `batch ${batching.batchSize}/${batching.batchInterval} ms` : 'unbatched'}: ` +
						`${entry.ok} × 200, ${entry.throttled} × 429 → ${error ? 'FAILED: ' + error.slice(0, 160) : 'succeeded'}`,
				);
			}
		}

		// The sequential client (batches of 100, one at a time), in this process.
		for (const n of opts.seqSizes) {
			sim.reset();
			sim.setLatency(latency);
			const s = await runSequential({
				url: sim.url,
				accountId: wf.ACCOUNT_ID,
				passcode: wf.PASSCODE,
				n,
			});
			const stats = sim.stats();
			const entry = {
				latency,
				n,
				timeMs: s.timeMs,
				perIdentityMs: s.timeMs / n,
				requests: s.requests,
				throttled: stats.byStatus['429'] || 0,
				peakConcurrency: stats.peakConcurrency,
				identitiesDemerged: stats.identitiesDemerged,
			};
			results.sequential.push(entry);
			log(
				`sequential L=${latency} N=${n}: T=${s.timeMs.toFixed(0)} ms, ${s.requests} requests, peak ${stats.peakConcurrency}`,
			);
		}
	}
}

/**
 * n8n 1.x's deprecated mode beside the main run: the Code node inside the n8n process, whose items
 * are vm2 proxies. The Limit node shows what n8n itself spends on them before any node runs.
 */
async function runInProcessCheck({
	opts,
	n8n,
	tarball,
	sim,
	execute,
	results,
	wfFor,
	inputCostWfs,
}) {
	const inProcess = createN8nInstance({
		n8n,
		userFolder: path.join(state.workDir, 'n8n-user-in-process'),
		env: IN_PROCESS_ENV,
	});
	await inProcess.installPackage(tarball);
	await inProcess.importCredentials([wf.credential(sim.url)]);
	await inProcess.importWorkflow([
		...inputCostWfs,
		...opts.sizes.flatMap((n) => [wfFor(n, 'plain', true), wfFor(n, 'plain', false)]),
	]);
	const latency = opts.latencies[0];
	for (const [i, n] of opts.sizes.entries()) {
		const on = inProcess;
		const inputCost = await execute(inputCostWfs[i], { n, latency, nodeName: wf.LIMIT_NODE, on });
		const dry = await execute(wfFor(n, 'plain', true), {
			n,
			latency,
			nodeName: wf.CLEVERTAP_NODE,
			on,
		});
		const real = await execute(wfFor(n, 'plain', false), {
			n,
			latency,
			nodeName: wf.CLEVERTAP_NODE,
			on,
		});
		const stats = real.stats;
		const entry = {
			n,
			latency,
			inputCostMs: inputCost.run?.executionTime,
			dryRunMs: dry.run?.executionTime,
			timeMs: real.run?.executionTime,
			limitMs: limitMs(n, latency),
			ratio: real.run ? limitMs(n, latency) / real.run.executionTime : undefined,
			simSpanMs:
				stats.firstRequestAt !== undefined
					? stats.lastResponseAt - stats.firstRequestAt
					: undefined,
			requests: stats.demergeRequests,
			throttled: stats.byStatus['429'] || 0,
			peakRssKb: real.r.peakRssKb,
			error: inputCost.error || dry.error || real.error,
		};
		results.inProcess.push(entry);
		log(
			`in-process Code node N=${n}: Limit ${entry.inputCostMs} ms, dry run ${entry.dryRunMs} ms, ` +
				`node L=${latency} T=${entry.timeMs} ms ratio ${entry.ratio?.toFixed(3)} HTTP span ${entry.simSpanMs?.toFixed(0)} ms, RSS ${(entry.peakRssKb / 1024).toFixed(0)} MB${entry.error ? ' ERROR ' + entry.error : ''}`,
		);
	}
}

/** Identities for the plain Node clients of the network part: 1 request at a time, and 3. */
const RTT_SEQUENTIAL_N = 1000;
const RTT_SLOTS_N = 3000;

/**
 * The network part (bench/lib/network.js): the simulator over TLS with each round-trip time of
 * --rtts added to every exchange, at L = --rtt-latency. Per RTT: a probe of what one request costs
 * on a new and on a kept-alive connection; the node in real n8n at N = --rtt-n, as n8n ships and
 * with one keep-alive agent per host (the change proposed to n8n in bench/README.md); and plain
 * Node clients beside it: the sequential client over a kept-alive connection, and 3 requests at a
 * time over new connections (what n8n does) or kept-alive ones.
 */
async function runNetwork({ opts, n8n, tarball, sim, results, n8nVersion }) {
	const started = Date.now();
	const latency = opts.rttLatency;
	const n = opts.rttN;
	const out = {
		date: new Date(started).toISOString(),
		commit: gitDescribe(),
		n8n: n8nVersion,
		n8nNode: nodeVersionOf(n8n.nodeBin),
		tarball: opts.tarball ? path.basename(opts.tarball) : undefined,
		loadAverage: os.loadavg()[0],
		latency,
		n,
		sequentialN: RTT_SEQUENTIAL_N,
		slotsN: RTT_SLOTS_N,
		rtts: opts.rtts,
		uploadN: opts.rttUploadN,
		probes: [],
		rows: [],
	};
	results.network = out;
	const network = await startNetwork({ server: sim.server, dir: path.join(state.workDir, 'tls') });
	state.network = network;
	try {
		log(`TLS front end at ${network.url} (CA ${path.relative(REPO_ROOT, network.caFile)})`);
		const env = { ...codeNodeEnv(opts.major, opts.runners), NODE_EXTRA_CA_CERTS: network.caFile };
		const userFolder = path.join(state.workDir, 'n8n-user-tls');
		const shipped = createN8nInstance({ n8n, userFolder, env });
		await shipped.installPackage(tarball);
		await shipped.importCredentials([wf.credential(network.url)]);
		const workflow = wf.cleverTapWorkflow({ n, expression: 'plain', dryRun: false });
		// Create or Update beside Demerge: 1,000 records a request, 15 at a time.
		const uploadN = opts.rttUploadN;
		const upload = uploadN
			? wf.operationWorkflow({ op: 'upsert', n: uploadN, mode: 'fields', dryRun: false })
			: undefined;
		await shipped.importWorkflow(upload ? [workflow, upload] : workflow);
		const variants = [{ client: 'node', instance: shipped }];
		if (opts.rttProposal) {
			// Same user folder and package; n8n reuses one keep-alive agent per host and options.
			const preload = { ...env, NODE_OPTIONS: `--require=${KEEP_ALIVE_PRELOAD}` };
			variants.push({
				client: 'node-keep-alive-n8n',
				instance: createN8nInstance({ n8n, userFolder, env: preload }),
			});
		}

		/** Runs `fn` at `rtt` against fresh simulator and connection records. */
		const measure = async (rtt, fn) => {
			network.setRtt(rtt);
			sim.reset();
			sim.setLatency(latency);
			network.reset();
			const value = await fn();
			const records = sim.requests.filter((q) => q.api === 'demerge' || q.api === 'upload');
			return { value, stats: sim.stats(), records, net: network.stats() };
		};
		const credentials = { accountId: wf.ACCOUNT_ID, passcode: wf.PASSCODE };
		const clients = [
			['sequential-keep-alive', RTT_SEQUENTIAL_N, 1, true],
			['three-new-connections', RTT_SLOTS_N, 3, false],
			['three-keep-alive', RTT_SLOTS_N, 3, true],
		];

		for (const rtt of opts.rtts) {
			const probe = await measure(rtt, () =>
				probeRoundTrips({ url: network.url, ca: network.ca, ...credentials }),
			);
			out.probes.push({ rtt, latency, ...probe.value, protocols: probe.net.protocols });
			log(
				`RTT ${rtt} ms, L ${latency} ms: new connection ${probe.value.freshMs.toFixed(1)} ms (3 RTT + L = ${3 * rtt + latency}), ` +
					`of it TLS ready after ${probe.value.handshakeMs.toFixed(1)} ms (2 RTT = ${2 * rtt}); kept-alive ${probe.value.keptMs.toFixed(1)} ms (RTT + L = ${rtt + latency})`,
			);

			for (const { client, instance } of variants) {
				const m = await measure(rtt, () =>
					instance.execute(workflow.id, { timeoutMs: timeoutFor(n, latency + 3 * rtt) }),
				);
				const r = m.value;
				const run = nodeRun(r.json, wf.CLEVERTAP_NODE);
				const ok = (run?.data?.main?.[0] || []).filter((i) => i.json?.status === 'success');
				const error =
					runError(r, wf.CLEVERTAP_NODE) ||
					(ok.length !== n ? `${ok.length} of ${n} items succeeded` : undefined);
				out.rows.push(
					networkRow({ rtt, latency, client, n, slots: 3, timeMs: run?.executionTime, m, error }),
				);
				if (!upload) continue;
				const u = await measure(rtt, () =>
					instance.execute(upload.id, {
						timeoutMs: timeoutFor(uploadN, latency + 3 * rtt),
					}),
				);
				const uploadRun = nodeRun(u.value.json, wf.CLEVERTAP_NODE);
				const uploaded = (uploadRun?.data?.main?.[0] || []).filter(
					(i) => i.json && i.json.error === undefined,
				);
				const taken = u.stats.recordsProcessed;
				out.rows.push(
					networkRow({
						rtt,
						latency,
						client,
						op: 'upsert',
						n: uploadN,
						slots: OPERATIONS.upsert.slots,
						timeMs: uploadRun?.executionTime,
						m: u,
						error:
							runError(u.value, wf.CLEVERTAP_NODE) ||
							(uploaded.length !== uploadN
								? `${uploaded.length} of ${uploadN} items succeeded`
								: taken !== uploadN
									? `CleverTap (the simulator) took ${taken} of ${uploadN}`
									: undefined),
					}),
				);
			}

			for (const [client, count, slots, keepAlive] of clients) {
				const m = await measure(rtt, () =>
					runBatches({
						url: network.url,
						ca: network.ca,
						...credentials,
						n: count,
						slots,
						keepAlive,
					}),
				);
				out.rows.push(
					networkRow({ rtt, latency, client, n: count, slots, timeMs: m.value.timeMs, m }),
				);
			}
		}
	} finally {
		await network.close();
		state.network = null;
		out.durationS = Math.round((Date.now() - started) / 1000);
	}
}

/** One client's figures at one RTT, from its own time and what the simulator and front end saw. */
function networkRow({ rtt, latency, client, op = 'demerge', n, slots, timeMs, m, error }) {
	const { stats, net } = m;
	const api = op === 'upsert' ? 'upload' : 'demerge';
	const records = m.records.filter((q) => q.api === api);
	const requests = op === 'upsert' ? stats.requestsByApi.upload : stats.demergeRequests;
	const tLimit = op === 'upsert' ? opLimitMs('upsert', n, latency) : limitMs(n, latency);
	const simSpanMs =
		stats.firstRequestAt !== undefined ? stats.lastResponseAt - stats.firstRequestAt : undefined;
	// A request slot as CleverTap sees it: from one request's arrival to the next in the same slot
	// (its service time, then the slot idle until the client's next request arrives).
	const { serviceOverMs, turnaroundMs } = turnaround(records, latency, slots);
	const slotMs = turnaroundMs !== undefined ? latency + serviceOverMs + turnaroundMs : undefined;
	const connectionsPerRequest = requests ? net.connections / requests : undefined;
	const row = {
		rtt,
		latency,
		client,
		op,
		n,
		slots,
		timeMs,
		limitMs: tLimit,
		ratio: timeMs ? tLimit / timeMs : undefined,
		perIdentityMs: timeMs ? timeMs / n : undefined,
		requests,
		throttled: stats.byStatus['429'] || 0,
		peakConcurrency: op === 'upsert' ? stats.peakConcurrencyByApi.upload : stats.peakConcurrency,
		identitiesDemerged: stats.identitiesDemerged,
		simSpanMs,
		slotMs,
		connections: net.connections,
		connectionsPerRequest,
		simConnectionsPerRequest: records.length
			? new Set(records.map((q) => q.connection)).size / records.length
			: undefined,
		peakOpenConnections: net.peakOpen,
		protocols: net.protocols,
		connectToRequestMs: net.connectToRequestMs,
		setupMs: net.setupMs,
		setupShare:
			slotMs && connectionsPerRequest !== undefined && net.setupMs !== undefined
				? (connectionsPerRequest * net.setupMs) / slotMs
				: undefined,
		serviceOverMs,
		turnaroundMs,
		error,
	};
	log(
		`RTT ${rtt} ms ${client}${op === 'upsert' ? ' Create or Update' : ''} N=${n}: T=${timeMs?.toFixed(0)} ms, ratio ${row.ratio?.toFixed(3)}, ${requests} requests, ${row.throttled} × 429, ` +
			`${connectionsPerRequest?.toFixed(2)} connections/request (${row.peakOpenConnections} open at most), set-up ${row.setupMs?.toFixed(1)} ms per connection, ` +
			`slot ${slotMs?.toFixed(1)} ms, set-up share ${row.setupShare !== undefined ? (100 * row.setupShare).toFixed(1) + ' %' : '–'}${error ? ' ERROR ' + error : ''}`,
	);
	return row;
}

/**
 * Runs a workflow once more with V8's CPU profiler on the n8n child and summarises where the CPU
 * time went while the CleverTap node ran. The .cpuprofile file is kept in bench/.work/.
 */
async function profileRun({
	n8n,
	userFolder,
	env,
	sim,
	latency,
	n,
	workflow,
	label,
	timeoutMs = timeoutFor(n, latency) * 2,
	focus,
}) {
	const slug = label.replace(/[^A-Za-z0-9=.-]+/g, '-');
	const profDir = path.join(BENCH_DIR, '.work', `profile-${process.pid}-${slug}`);
	fs.rmSync(profDir, { recursive: true, force: true });
	fs.mkdirSync(profDir, { recursive: true });
	// Node 20 refuses --cpu-prof in NODE_OPTIONS: run n8n through a wrapper that passes the flag.
	const wrapper = path.join(profDir, 'node-cpu-prof.sh');
	fs.writeFileSync(
		wrapper,
		`#!/bin/sh\nexec '${n8n.nodeBin}' --cpu-prof --cpu-prof-dir='${profDir}' "$@"\n`,
		{ mode: 0o755 },
	);
	const profiled = createN8nInstance({ n8n: { ...n8n, nodeBin: wrapper }, userFolder, env });
	sim.reset();
	sim.setLatency(latency);
	const r = await profiled.execute(workflow.id, { timeoutMs });
	const run = nodeRun(r.json, wf.CLEVERTAP_NODE);
	const files = fs
		.readdirSync(profDir)
		.filter((f) => f.endsWith('.cpuprofile'))
		.map((f) => path.join(profDir, f));
	files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
	if (!files.length) {
		return {
			label,
			error: `no .cpuprofile written (exit ${r.code}${r.signal ? ', ' + r.signal : ''}): ${r.stderr.slice(-800)}`,
		};
	}
	const s = summarise(files[0], { durationMs: run?.executionTime });
	if (s.error) return { label, error: s.error };
	const summary = {
		label,
		file: path.relative(REPO_ROOT, files[0]),
		latency,
		n,
		nodeTimeMs: run?.executionTime,
		requests: sim.stats().requests,
		windowMs: s.windowMs,
		busyMs: s.busyMs,
		idleMs: s.idleMs,
		byPackage: s.byPackage,
		topSelf: s.topSelf,
		clevertap: s.inclusive(/^\S+ {2}n8n-nodes-clevertap\//, 15),
		n8n: s.inclusive(
			/httpRequestWithAuthentication|requestWithAuthentication|httpRequest |authenticate|getNodeParameter|resolveSimpleParameterValue|getParameterValue|evaluateExpression|runNode|getInputData|getCredentials|proxyRequestToAxios|invokeAxios/,
			15,
		),
		// Functions the caller asks about by name (inclusive), with the GC and idle time beside them.
		focus: focus ? s.inclusive(focus, 15) : undefined,
	};
	log(
		`profile ${label}: node ${summary.nodeTimeMs} ms; window ${summary.windowMs.toFixed(0)} ms, busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms (${summary.file})`,
	);
	log(`  by package: ${summary.byPackage.map((x) => `${x.pkg} ${x.ms.toFixed(0)}`).join(', ')}`);
	log(
		`  top self:\n    ${summary.topSelf
			.slice(0, 20)
			.map((x) => `${x.ms.toFixed(0).padStart(6)} ms  ${x.fn}`)
			.join('\n    ')}`,
	);
	log(
		`  clevertap (inclusive):\n    ${summary.clevertap.map((x) => `${x.ms.toFixed(0).padStart(6)} ms  ${x.fn}`).join('\n    ')}`,
	);
	log(
		`  n8n (inclusive):\n    ${summary.n8n.map((x) => `${x.ms.toFixed(0).padStart(6)} ms  ${x.fn}`).join('\n    ')}`,
	);
	return summary;
}

main().then(
	() => {
		cleanupSync();
		process.exit(0);
	},
	(error) => {
		log('FAILED:', error && error.stack ? error.stack : error);
		cleanupSync();
		process.exit(1);
	},
);
