#!/usr/bin/env node
/**
 * `npm start`: the example job, with no CleverTap account needed. Builds the package, starts the
 * local CleverTap simulator, installs the package into a real n8n 1.x (installed on first run),
 * imports an example workflow (a CRM-like contact list → CleverTap Demerge) and a credential for
 * the simulator, runs it and prints what happened.
 *
 * `npm start -- --ui` (or `npm run dev`) then leaves n8n's editor running on
 * http://localhost:5678 with all of it ready, until Ctrl-C.
 */
'use strict';

const os = require('node:os');
const path = require('node:path');

const { startSimulator } = require('../test/simulator');
const { ensureN8n, createN8nInstance } = require('./lib/n8n-harness');
const { waitUntilReady } = require('./lib/n8n-editor');
const { packPackage } = require('./lib/pack');
const { cleverTapCredential, demergeWorkflow, cleverTapOutputs } = require('./lib/workflows');

const args = process.argv.slice(2);
const ui = args.includes('--ui');
const flag = (name, fallback) => {
	const index = args.indexOf(name);
	return index === -1 ? fallback : Number(args[index + 1]);
};
const editorPort = flag('--port', 5678);
const latencyMs = flag('--latency', 200);

const ACCOUNT = 'DEMO-ACCOUNT';
const PASSCODE = 'demo-passcode';
const WORKFLOW_ID = 'ctExampleDemerge';
const CREDENTIAL_ID = 'ctExampleCred001';
const say = (line = '') => process.stdout.write(`${line}\n`);

/** A CRM export as it really looks: mostly fine, a duplicate, a blank and a missing email. */
function exampleContacts() {
	const first = ['Jane', 'Ravi', 'Mei', 'Omar', 'Lena', 'Tom', 'Aisha', 'Carlos', 'Yuki', 'Sara'];
	const last = ['Doe', 'Kumar', 'Tan', 'Haddad', 'Berg', 'Smith', 'Bello', 'Ruiz', 'Sato', 'Novak'];
	const contacts = Array.from({ length: 248 }, (_, i) => {
		const name = `${first[i % 10]} ${last[Math.floor(i / 10) % 10]}`;
		return {
			id: `crm-${1000 + i}`,
			name,
			email: `${name.toLowerCase().replace(' ', '.')}.${i}@example.com`,
		};
	});
	contacts.splice(17, 0, { id: 'crm-2001', name: 'Priya Shah', email: '   ' });
	contacts.splice(88, 0, { id: 'crm-2002', name: 'Unknown lead', phone: '+91 98765 43210' });
	contacts.push({ ...contacts[3], id: 'crm-2003' }); // the same person entered twice
	return contacts;
}

async function main() {
	const started = Date.now();
	say('CleverTap demerge example: no CleverTap account needed, everything runs on this machine.');
	say('1/5 Building and packing the package…');
	const tarball = packPackage();

	say(`2/5 Starting the CleverTap simulator (${latencyMs} ms per request, 3 requests at a time)…`);
	const sim = await startSimulator({ accounts: { [ACCOUNT]: PASSCODE }, latencyMs });
	let editor;
	const stop = async () => {
		await editor?.stop();
		await sim.close();
	};
	process.once('SIGINT', () => stop().then(() => process.exit(130)));
	process.once('SIGTERM', () => stop().then(() => process.exit(143)));

	try {
		say('3/5 Preparing n8n 1.x (the first run installs it: several minutes)…');
		const n8n = await ensureN8n(1, { log: (line) => say(`    ${line}`) });
		const userFolder = path.join(
			process.env.N8N_NODES_CLEVERTAP_CACHE ||
				path.join(os.homedir(), '.cache', 'n8n-nodes-clevertap'),
			'playground',
		);
		const instance = createN8nInstance({ n8n, userFolder });
		await instance.installPackage(tarball);

		say('4/5 Importing the example workflow and a credential for the simulator…');
		const credential = cleverTapCredential({
			id: CREDENTIAL_ID,
			name: 'CleverTap (local simulator)',
			accountId: ACCOUNT,
			passcode: PASSCODE,
			baseUrl: sim.url,
		});
		await instance.importCredentials([credential]);
		const contacts = exampleContacts();
		await instance.importWorkflow(
			demergeWorkflow({
				id: WORKFLOW_ID,
				name: 'CleverTap demerge example',
				contacts,
				credential,
				onError: 'continueErrorOutput',
			}),
		);

		say(`5/5 Running it in n8n ${n8n.version}…`);
		const result = await instance.execute(WORKFLOW_ID);
		if (result.code !== 0 || !result.json) {
			const error = result.json?.data?.resultData?.error;
			throw new Error(`the workflow failed: ${error?.message ?? result.stderr.slice(-2000)}`);
		}
		report({ contacts, outputs: cleverTapOutputs(result.json), stats: sim.stats(), sim, started });

		if (!ui) {
			await stop();
			return;
		}
		say();
		say(`Starting n8n's editor on http://localhost:${editorPort} …`);
		editor = instance.startEditor({ port: editorPort, stdio: 'ignore' });
		await waitUntilReady(editor.url);
		say(`n8n is ready: open http://localhost:${editorPort}`);
		say('  (first time: create the local owner account n8n asks for; it stays on this machine)');
		say('  Workflow "CleverTap demerge example" and credential "CleverTap (local simulator)" are');
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
	say();
	say(
		"Nothing was sent to a real CleverTap account. `npm start -- --ui` opens this in n8n's editor.",
	);
}

main().catch((error) => {
	console.error(`\nnpm start failed: ${error.message}`);
	process.exit(1);
});
