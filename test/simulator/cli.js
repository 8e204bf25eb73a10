#!/usr/bin/env node
'use strict';

/**
 * Run the CleverTap simulator as a process:
 *   node test/simulator/cli.js [--port 8080] [--latency 200] [--account ID] [--passcode P]
 *     [--concurrency 3] [--upload-concurrency 15] [--max-identities 100] [--reject id1,id2]
 *     [--reject-records id1,id2] [--fault kind[:times[:api]]]... [--processing-delay ms]
 *     [--not-found-style null|fail|400|404] [--cursor-ttl ms] [--cursor-style encoded|raw]
 *     [--upload-text mixed|space|nospace|errorcode] [--upload-echo mixed|object|string]
 *     [--upload-number number|none] [--seed-profiles FILE] [--seed-events FILE]
 *     [--count-polls n] [--invalid-event-status 400|200] [--message-report-ms-per-day ms]
 *     [--campaign-pending-results n] [--providers nick1,nick2] [--external-trigger-campaigns id1,id2]
 *     [--max-recipients 1000] [--max-address-records 1000] [--verbose] [--no-control]
 * `--fault` may repeat; times is a number or `inf`, api one of demerge (default; upload for
 * 200-success-unprocessed, profiles for 200-not-ready and 202-not-ready), delete, profile, profiles,
 * upload, events, eventCount, profileCount, trends, top, now, messageReport, campaigns, send,
 * externalTrigger, subscribe, disassociate; the lost answers take-then-reset, take-then-hang and
 * take-then-503 let the API process the request (a send is recorded, an upload's events stored)
 * and then lose its answer. The answer styles default to
 * the forms CleverTap was recorded answering (encoded cursors, mixed upload texts and echoes). `--seed-profiles` reads a JSON array of profiles
 * (`{"identity", "email", "name", "profileData", "events": [{"name", "date": "YYYY-MM-DD"}]}`);
 * `--seed-events` a JSON SeedEventsSpec or an array of them (`{"name", "count", "from", "to",
 * "profiles"?, "identityPrefix"?, "data"?, "session"?}`), seeded after the profiles.
 * The `/__simulator/*` control endpoints (stats, reset, faults, latency, profiles, …) are on unless
 * `--no-control`. SIGINT/SIGTERM print a one-line summary and exit 0.
 */

const { readFile } = require('node:fs/promises');
const {
	startSimulator,
	ALL_FAULT_KINDS,
	APIS,
	NOT_FOUND_STYLES,
	CURSOR_STYLES,
	UPLOAD_TEXT_STYLES,
	UPLOAD_ECHO_STYLES,
	UPLOAD_NUMBER_STYLES,
} = require('./index.js');

const USAGE =
	'Usage: node test/simulator/cli.js [--port 8080] [--latency ms] [--account ID] [--passcode P] ' +
	'[--concurrency 3] [--upload-concurrency 15] [--max-identities 100] [--reject id1,id2] ' +
	'[--reject-records id1,id2] [--fault kind[:times[:api]]]... [--processing-delay ms] ' +
	'[--not-found-style null|fail|400|404] [--cursor-ttl ms] [--cursor-style encoded|raw] ' +
	'[--upload-text mixed|space|nospace|errorcode] [--upload-echo mixed|object|string] ' +
	'[--upload-number number|none] [--seed-profiles FILE] [--seed-events FILE] [--count-polls n] ' +
	'[--invalid-event-status 400|200] [--message-report-ms-per-day ms] [--campaign-pending-results n] ' +
	'[--providers nick1,nick2] [--external-trigger-campaigns id1,id2] [--max-recipients 1000] ' +
	'[--max-address-records 1000] [--verbose] [--no-control]';

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{port: number, latency: number, account: string, passcode: string, concurrency: number, uploadConcurrency: number, maxIdentities: number, reject: string[], rejectRecords: string[], faults: Array<{kind: any, times: number, api?: any}>, processingDelay: number, notFoundStyle: any, cursorTtl: number, cursorStyle: any, uploadText: any, uploadEcho: any, uploadNumber: any, seedProfiles: string | undefined, seedEvents: string | undefined, countPolls: number, invalidEventStatus: 400 | 200, messageReportMsPerDay: number, campaignPendingResults: number, providers: string[] | null, externalTriggerCampaigns: string[] | null, maxRecipients: number, maxAddressRecords: number, verbose: boolean, control: boolean}} */
	const opts = {
		port: 8080,
		latency: 0,
		account: 'TEST-ACCOUNT',
		passcode: 'test-passcode',
		concurrency: 3,
		uploadConcurrency: 15,
		maxIdentities: 100,
		reject: [],
		rejectRecords: [],
		faults: [],
		processingDelay: 0,
		notFoundStyle: 'null',
		cursorTtl: Infinity,
		cursorStyle: 'encoded',
		uploadText: 'mixed',
		uploadEcho: 'mixed',
		uploadNumber: 'number',
		seedProfiles: undefined,
		seedEvents: undefined,
		countPolls: 0,
		invalidEventStatus: 400,
		messageReportMsPerDay: 0,
		campaignPendingResults: 0,
		providers: null,
		externalTriggerCampaigns: null,
		maxRecipients: 1000,
		maxAddressRecords: 1000,
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
	const choice = (
		/** @type {string} */ name,
		/** @type {string | undefined} */ v,
		/** @type {readonly string[]} */ allowed,
	) => {
		if (!allowed.includes(String(v))) {
			throw new Error(`${name} needs one of ${allowed.join(', ')}, got ${v}`);
		}
		return String(v);
	};
	const ids = (/** @type {string | undefined} */ v) =>
		String(v ?? '')
			.split(',')
			.filter(Boolean);
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
			case '--upload-concurrency':
				opts.uploadConcurrency = int(arg, next());
				break;
			case '--processing-delay':
				opts.processingDelay = int(arg, next());
				break;
			case '--cursor-ttl':
				opts.cursorTtl = int(arg, next());
				break;
			case '--not-found-style':
				opts.notFoundStyle = choice(arg, next(), NOT_FOUND_STYLES);
				break;
			case '--cursor-style':
				opts.cursorStyle = choice(arg, next(), CURSOR_STYLES);
				break;
			case '--upload-text':
				opts.uploadText = choice(arg, next(), UPLOAD_TEXT_STYLES);
				break;
			case '--upload-echo':
				opts.uploadEcho = choice(arg, next(), UPLOAD_ECHO_STYLES);
				break;
			case '--upload-number':
				opts.uploadNumber = choice(arg, next(), UPLOAD_NUMBER_STYLES);
				break;
			case '--seed-profiles':
				opts.seedProfiles = String(next() ?? '');
				break;
			case '--seed-events':
				opts.seedEvents = String(next() ?? '');
				break;
			case '--count-polls':
				opts.countPolls = int(arg, next());
				break;
			case '--invalid-event-status':
				opts.invalidEventStatus = /** @type {400 | 200} */ (
					Number(choice(arg, next(), ['400', '200']))
				);
				break;
			case '--message-report-ms-per-day':
				opts.messageReportMsPerDay = int(arg, next());
				break;
			case '--campaign-pending-results':
				opts.campaignPendingResults = int(arg, next());
				break;
			case '--providers':
				opts.providers = ids(next());
				break;
			case '--external-trigger-campaigns':
				opts.externalTriggerCampaigns = ids(next());
				break;
			case '--max-recipients':
				opts.maxRecipients = int(arg, next());
				break;
			case '--max-address-records':
				opts.maxAddressRecords = int(arg, next());
				break;
			case '--reject-records':
				opts.rejectRecords.push(...ids(next()));
				break;
			case '--max-identities':
				opts.maxIdentities = int(arg, next());
				break;
			case '--reject':
				opts.reject.push(...ids(next()));
				break;
			case '--fault': {
				const [kind, times, api] = String(next() ?? '').split(':');
				if (!ALL_FAULT_KINDS.includes(/** @type {any} */ (kind))) {
					throw new Error(`Unknown fault kind ${kind} (known: ${ALL_FAULT_KINDS.join(', ')})`);
				}
				opts.faults.push({
					kind,
					times:
						times === undefined || times === ''
							? 1
							: times === 'inf'
								? Infinity
								: int('--fault times', times),
					...(api === undefined ? {} : { api: choice('--fault api', api, APIS) }),
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
	let profiles = [];
	if (opts.seedProfiles) {
		try {
			profiles = JSON.parse(await readFile(opts.seedProfiles, 'utf8'));
			if (!Array.isArray(profiles)) throw new Error('expected a JSON array of profiles');
		} catch (err) {
			process.stderr.write(
				`--seed-profiles ${opts.seedProfiles}: ${/** @type {Error} */ (err).message}\n`,
			);
			process.exit(2);
		}
	}
	/** @type {any[]} */
	let eventSeeds = [];
	if (opts.seedEvents) {
		try {
			const json = JSON.parse(await readFile(opts.seedEvents, 'utf8'));
			eventSeeds = Array.isArray(json) ? json : [json];
		} catch (err) {
			process.stderr.write(
				`--seed-events ${opts.seedEvents}: ${/** @type {Error} */ (err).message}\n`,
			);
			process.exit(2);
		}
	}
	const sim = await startSimulator({
		port: opts.port,
		latencyMs: opts.latency,
		accounts: { [opts.account]: opts.passcode },
		concurrencyLimit: opts.concurrency,
		uploadConcurrencyLimit: opts.uploadConcurrency,
		maxIdentities: opts.maxIdentities,
		rejectIdentities: opts.reject,
		rejectRecords: opts.rejectRecords,
		processingDelayMs: opts.processingDelay,
		notFoundStyle: opts.notFoundStyle,
		cursorTtlMs: opts.cursorTtl,
		cursorStyle: opts.cursorStyle,
		uploadTextStyle: opts.uploadText,
		uploadEchoStyle: opts.uploadEcho,
		uploadNumberStyle: opts.uploadNumber,
		profiles,
		countPolls: opts.countPolls,
		invalidEventStatus: opts.invalidEventStatus,
		messageReportMsPerDay: opts.messageReportMsPerDay,
		campaignPendingResults: opts.campaignPendingResults,
		providers: opts.providers,
		externalTriggerCampaigns: opts.externalTriggerCampaigns,
		maxRecipients: opts.maxRecipients,
		maxAddressRecords: opts.maxAddressRecords,
		log: opts.verbose ? (line) => process.stdout.write(`${line}\n`) : null,
		// A long-running process must not grow without bound; stats stay exact.
		maxRecords: 10_000,
		control: opts.control,
	});
	for (const f of opts.faults) sim.addFault(f);
	let seededEvents = 0;
	try {
		for (const spec of eventSeeds) seededEvents += sim.seedEvents(spec).events;
	} catch (err) {
		process.stderr.write(
			`--seed-events ${opts.seedEvents}: ${/** @type {Error} */ (err).message}\n`,
		);
		await sim.close();
		process.exit(2);
	}
	process.stdout.write(
		`CleverTap simulator listening on ${sim.url} (account ${opts.account}, passcode ${opts.passcode}, ` +
			`latency ${opts.latency} ms, ${opts.concurrency} concurrent demerge requests)\n`,
	);
	const extras = [
		profiles.length > 0 ? `${profiles.length} profiles seeded` : '',
		seededEvents > 0 ? `${seededEvents} events seeded` : '',
		opts.countPolls > 0 ? `Counts queries finish on poll ${opts.countPolls}` : '',
		opts.messageReportMsPerDay > 0
			? `Message Reports take ${opts.messageReportMsPerDay} ms per day of the range`
			: '',
		opts.campaignPendingResults > 0
			? `campaign results come after ${opts.campaignPendingResults} "not completed" answers`
			: '',
		opts.providers ? `providers ${opts.providers.join(', ')}` : '',
		opts.externalTriggerCampaigns
			? `External Trigger campaigns ${opts.externalTriggerCampaigns.join(', ')}`
			: '',
		opts.processingDelay > 0
			? `demerge and delete take effect ${opts.processingDelay} ms after they are accepted`
			: '',
		opts.notFoundStyle !== 'null' ? `unknown profiles answered in style ${opts.notFoundStyle}` : '',
	].filter(Boolean);
	if (extras.length > 0) process.stdout.write(`  ${extras.join('; ')}\n`);
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
