/**
 * The credential dialog's "Test" button in real n8n 1.x and 2.x (through the REST call the editor
 * makes): it must say clearly whether account, passcode and region fit together.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance, freePort } = require('../../scripts/lib/n8n-harness');
const { waitUntilReady, createOwner, testCredential } = require('../../scripts/lib/n8n-editor');
const { packPackage } = require('../../scripts/lib/pack');
const { cleverTapCredential } = require('../../scripts/lib/workflows');

const PASSCODE = 'cred-test-passcode-2b7e';
const REJECTED =
	'CleverTap did not accept this Account ID and Passcode. Check the Account ID, the Passcode and the Region in the CleverTap credential: CleverTap answers a request sent to the wrong region as if the Account ID or Passcode were wrong.';

let workDir: string;
let tarball: string;
beforeAll(() => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-cred-e2e-'));
	tarball = packPackage({ destination: workDir });
}, 120_000);
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe.each([1, 2])('credential test in real n8n %i.x', (major) => {
	let sim: Simulator;
	let editor: { url: string; stop: () => Promise<void> };
	let cookie: string;
	const saved = () =>
		cleverTapCredential({
			id: 'ctCredDialog0001',
			name: 'CleverTap',
			accountId: 'ACC-1',
			passcode: PASSCODE,
			baseUrl: sim.url,
		});

	beforeAll(async () => {
		sim = await startSimulator({ accounts: { 'ACC-1': PASSCODE } });
		const n8n = await ensureN8n(major);
		const instance = createN8nInstance({ n8n, userFolder: path.join(workDir, `n8n-${major}`) });
		await instance.installPackage(tarball);
		// n8n tests a credential the user may access: the dialog edits a saved one.
		await instance.importCredentials([saved()]);
		editor = instance.startEditor({
			port: await freePort(),
			stdio: 'ignore',
			extraEnv: { N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		});
		await waitUntilReady(editor.url);
		cookie = await createOwner(editor.url);
	}, 45 * 60_000);

	afterAll(async () => {
		await editor?.stop();
		await sim?.close();
	});

	const test_ = (data: Record<string, string>) =>
		testCredential(editor.url, cookie, { ...saved(), data: { ...saved().data, ...data } });

	test('the right account and passcode: connection successful, using Get Profile only', async () => {
		sim.reset();
		expect(await test_({})).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /1/profile.json']);
		expect(sim.stats().demergeRequests).toBe(0);
	});

	test('a wrong passcode names account, passcode and region', async () => {
		expect(await test_({ passcode: 'not-it' })).toEqual({ status: 'Error', message: REJECTED });
	});

	test('a wrong account ID names account, passcode and region', async () => {
		expect(await test_({ accountId: 'OTHER' })).toEqual({ status: 'Error', message: REJECTED });
	});
});
