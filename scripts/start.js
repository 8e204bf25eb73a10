#!/usr/bin/env node
/**
 * `npm start`: the example job, with no CleverTap account needed. Builds the package, starts the
 * local CleverTap simulator, installs the package into a real n8n (installed on first run),
 * imports an example workflow (a CRM-like contact list → CleverTap Demerge) and a credential for
 * the simulator, runs it and prints what happened.
 *
 *   --major 1|2   the n8n major to run it in (default 1: n8n 1.x on this Node; 2.x runs on the
 *                 Node 24 the harness installs with it)
 *   --ui          then leave n8n's editor running on http://localhost:5678 (or --port, or
 *                 $N8N_PORT) with all of it ready, until Ctrl-C (`npm run dev` = `--ui`)
 *   --latency ms  the simulator's time per request (default 200)
 *
 * Each major has its own n8n user folder under the cache (or $N8N_NODES_CLEVERTAP_PLAYGROUND):
 * n8n 2.x migrates a 1.x database, after which 1.x no longer opens it.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { startSimulator } = require('../test/simulator');
const {
	ensureN8n,
	createN8nInstance,
	cacheRoot,
	describeRun,
	freePort,
} = require('./lib/n8n-harness');
const { waitUntilReady } = require('./lib/n8n-editor');
const { packPackage } = require('./lib/pack');
const {
	CLEANUP,
	cleanupWorkflow,
	EXAMPLE,
	exampleContacts,
	exampleCredential,
	exampleWorkflow,
	cleverTapOutputs,
	seedMergedProfiles,
} = require('./lib/workflows');

const args = process.argv.slice(2);
const ui = args.includes('--ui');
const flag = (name, fallback) => {
	const index = args.indexOf(name);
	return index === -1 ? fallback : Number(args[index + 1]);
};
const major = flag('--major', 1);
const editorPort = flag('--port', Number(process.env.N8N_PORT) || 5678);
const latencyMs = flag('--latency', 200);

const say = (line = '') => process.stdout.write(`${line}\n`);

async function main() {
	if (major !== 1 && major !== 2)
		throw new Error(`--major must be 1 or 2, not ${args[args.indexOf('--major') + 1]}`);
	const started = Date.now();
	say('CleverTap demerge example: no CleverTap account needed, everything runs on this machine.');
	say('1/5 Building and packing the package…');
	const tarball = packPackage();

	say(`2/5 Starting the CleverTap simulator (${latencyMs} ms per request, 3 requests at a time)…`);
	const sim = await startSimulator({
		accounts: { [EXAMPLE.accountId]: EXAMPLE.passcode },
		latencyMs,
	});
	let editor;
	const stop = async () => {
		await editor?.stop();
		await sim.close();
		// packPackage made a temp dir for the tarball; n8n keeps its own installed copy.
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	};
	process.once('SIGINT', () => stop().then(() => process.exit(130)));
	process.once('SIGTERM', () => stop().then(() => process.exit(143)));

	try {
		say(`3/5 Preparing n8n ${major}.x (the first run installs it: several minutes)…`);
		const n8n = await ensureN8n(major, { log: (line) => say(`    ${line}`) });
		const userFolder = path.join(
			process.env.N8N_NODES_CLEVERTAP_PLAYGROUND || path.join(cacheRoot(), 'playground'),
			`n8n-${major}`,
		);
		const instance = createN8nInstance({ n8n, userFolder });
		await instance.installPackage(tarball);

		say('4/5 Importing the example workflows and a credential for the simulator…');
		const credential = exampleCredential(sim.url);
		await instance.importCredentials([credential]);
		const contacts = exampleContacts();
		await instance.importWorkflow([
			exampleWorkflow(credential, contacts),
			cleanupWorkflow(credential),
		]);

		say(`5/5 Running it in n8n ${n8n.version}…`);
		const result = await instance.execute(EXAMPLE.workflowId);
		if (result.code !== 0 || !result.json) {
			throw new Error(`the example workflow failed.\n${describeRun(result)}`);
		}
		report({ contacts, outputs: cleverTapOutputs(result.json), stats: sim.stats(), sim, started });

		// The clean-up on its own profiles: the demerges above leave them alone.
		sim.reset({ keepProfiles: true });
		seedMergedProfiles(sim);
		const cleanup = await instance.execute(CLEANUP.workflowId);
		if (cleanup.code !== 0 || !cleanup.json) {
			throw new Error(`the clean-up example failed.\n${describeRun(cleanup)}`);
		}
		reportCleanup(cleanup.json);

		if (!ui) {
			await stop();
			return;
		}
		say();
		say(`Starting n8n's editor on http://localhost:${editorPort} …`);
		// n8n 2.x's task broker would sit on the port after the editor's: it may be taken.
		editor = instance.startEditor({
			port: editorPort,
			stdio: 'ignore',
			extraEnv: { N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		});
		await waitUntilReady(editor.url);
		say(`n8n ${n8n.version} is ready: open http://localhost:${editorPort}`);
		say('  (first time: create the local owner account n8n asks for; it stays on this machine)');
		say(`  Workflow "${EXAMPLE.workflowName}" and credential "${EXAMPLE.credentialName}" are`);
		say(`  ready; the simulator keeps answering at ${sim.url}. Press Ctrl-C to stop both.`);
		await new Promise(() => undefined);
	} catch (error) {
		await stop();
		throw error;
	}
}

function report({ contacts, outputs, stats, sim, started }) {
	const { success, errors, executionTime } = outputs;
	const demergeRequests = sim.requests.filter((request) => request.api === 'demerge');
	const sizes = demergeRequests.map((request) => request.identities?.length ?? 0);
	const asked = success.reduce((sum, item) => sum + item.json.identities.length, 0);
	const pad = (label) => `  ${label.padEnd(24)}`;
	say();
	say(
		`Done in ${((Date.now() - started) / 1000).toFixed(1)} s (the CleverTap node itself: ${executionTime} ms).`,
	);
	say(`${pad('Contacts in')}${contacts.length}`);
	say(
		`${pad('Requests to CleverTap')}${demergeRequests.length} (${sizes.join(' + ')} identities), at most ${stats.peakConcurrency} at a time`,
	);
	say(`${pad('Identities demerged')}${stats.identitiesDemerged}`);
	say(`${pad('Duplicates sent once')}${asked - stats.identitiesDemerged}`);
	say(`${pad('Contacts demerged')}${success.length}`);
	say(
		`${pad('Contacts failed')}${errors.length}${errors.length ? " (on the node's error output):" : ''}`,
	);
	for (const item of errors) say(`    - ${item.json.name ?? item.json.id}: ${item.json.error}`);
}

function reportCleanup(runJson) {
	const found = cleverTapOutputs(runJson, 'Find merged profiles').success;
	const demerged = cleverTapOutputs(runJson, 'Demerge').success;
	const checked = cleverTapOutputs(runJson, 'Check').success;
	const gone = checked.filter((item) => item.json.found === false).length;
	const pad = (label) => `  ${label.padEnd(46)}`;
	say();
	say(`${CLEANUP.workflowName} (Get Many by Event → Demerge → Get):`);
	say(`${pad('Profiles with "Identity Error", last 7 days')}${found.length}`);
	say(
		`${pad('Identities demerged')}${demerged.filter((item) => item.json.status === 'success').length}`,
	);
	say(`${pad('Checked with Get: no longer resolve')}${gone} of ${checked.length}`);
	say();
	const open = major === 1 ? 'npm start -- --ui' : `npm start -- --major ${major} --ui`;
	say(`Nothing was sent to a real CleverTap account. \`${open}\` opens both in n8n's editor.`);
}

main().catch((error) => {
	console.error(`\nnpm start failed: ${error.message}`);
	process.exit(1);
});
