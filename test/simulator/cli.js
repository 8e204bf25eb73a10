#!/usr/bin/env node
'use strict';

/**
 * Run the CleverTap simulator as a process:
 *   node test/simulator/cli.js [--port 8080] [--latency 200] [--account ID] [--passcode P]
 *     [--concurrency 3] [--max-identities 100] [--reject id1,id2] [--fault kind[:times]]...
 *     [--verbose] [--no-control]
 * `--fault` may repeat; times is a number or `inf`. The `/__simulator/*` control endpoints
 * (stats, reset, faults, latency) are on unless `--no-control`. SIGINT/SIGTERM print a one-line
 * summary and exit 0.
 */

const { startSimulator, FAULT_KINDS } = require('./index.js');

const USAGE =
	'Usage: node test/simulator/cli.js [--port 8080] [--latency ms] [--account ID] [--passcode P] ' +
	'[--concurrency 3] [--max-identities 100] [--reject id1,id2] [--fault kind[:times]]... [--verbose] [--no-control]';

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{port: number, latency: number, account: string, passcode: string, concurrency: number, maxIdentities: number, reject: string[], faults: Array<{kind: any, times: number}>, verbose: boolean, control: boolean}} */
	const opts = {
		port: 8080,
		latency: 0,
		account: 'TEST-ACCOUNT',
		passcode: 'test-passcode',
		concurrency: 3,
		maxIdentities: 100,
		reject: [],
		faults: [],
		verbose: false,
		control: true,
	};
	const int = (/** @type {string} */ name, /** @type {string | undefined} */ v) => {
		const n = Number(v);
		if (v === undefined || v === '' || !Number.isInteger(n) || n < 0) {
			throw new Error(`${name} needs a non-negative integer, got ${v}`);
		}
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		let arg = argv[i];
		/** @type {string | undefined} */
		let value;
		const eq = arg.indexOf('=');
		if (arg.startsWith('--') && eq !== -1) {
			value = arg.slice(eq + 1);
			arg = arg.slice(0, eq);
		}
		const next = () => (value !== undefined ? value : argv[++i]);
		switch (arg) {
			case '--port':
				opts.port = int(arg, next());
				break;
			case '--latency':
				opts.latency = int(arg, next());
				break;
			case '--account':
				opts.account = String(next() ?? '');
				break;
			case '--passcode':
				opts.passcode = String(next() ?? '');
				break;
			case '--concurrency':
				opts.concurrency = int(arg, next());
				break;
			case '--max-identities':
				opts.maxIdentities = int(arg, next());
				break;
			case '--reject':
				opts.reject.push(
					...String(next() ?? '')
						.split(',')
						.filter(Boolean),
				);
				break;
			case '--fault': {
				const [kind, times] = String(next() ?? '').split(':');
				if (!FAULT_KINDS.includes(/** @type {any} */ (kind))) {
					throw new Error(`Unknown fault kind ${kind} (known: ${FAULT_KINDS.join(', ')})`);
				}
				opts.faults.push({
					kind,
					times: times === undefined ? 1 : times === 'inf' ? Infinity : int('--fault times', times),
				});
				break;
			}
			case '--verbose':
				opts.verbose = true;
				break;
			case '--no-control':
				opts.control = false;
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown argument: ${arg}`);
		}
	}
	if (!opts.account || !opts.passcode)
		throw new Error('--account and --passcode must not be empty');
	return opts;
}

async function main() {
	let opts;
	try {
		opts = parseArgs(process.argv.slice(2));
	} catch (err) {
		process.stderr.write(`${/** @type {Error} */ (err).message}\n${USAGE}\n`);
		process.exit(2);
	}
	const sim = await startSimulator({
		port: opts.port,
		latencyMs: opts.latency,
		accounts: { [opts.account]: opts.passcode },
		concurrencyLimit: opts.concurrency,
		maxIdentities: opts.maxIdentities,
		rejectIdentities: opts.reject,
		log: opts.verbose ? (line) => process.stdout.write(`${line}\n`) : null,
		// A long-running process must not grow without bound; stats stay exact.
		maxRecords: 10_000,
		control: opts.control,
	});
	for (const f of opts.faults) sim.addFault(f);
	process.stdout.write(
		`CleverTap simulator listening on ${sim.url} (account ${opts.account}, passcode ${opts.passcode}, ` +
			`latency ${opts.latency} ms, ${opts.concurrency} concurrent demerge requests)\n`,
	);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`CleverTap simulator stopped: ${sim.summary()}\n`);
		sim.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err) => {
	process.stderr.write(
		`CleverTap simulator failed to start: ${err && err.message ? err.message : err}\n`,
	);
	process.exit(1);
});
