/**
 * Every install path the README shows, as written, in real n8n 1.x (Node 20) and 2.x (Node 24):
 * the npm commands of its Install section, run by a shell in a fresh home directory, and n8n's
 * Community Nodes installer, through the REST call its install dialog makes. npm and n8n reach a
 * loopback registry that serves the freshly packed package and forwards everything else to the
 * real registry, so the test installs this checkout, not what is published. The credential
 * dialog's Test (through the REST call the editor makes) runs there too.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CREDENTIAL_REJECTED_HINT } from '../../credentials/CleverTapApi.credentials';
import { startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance, freePort } = require('../../scripts/lib/n8n-harness');
const {
	waitUntilReady,
	createOwner,
	testCredential,
	rest: editorRest,
} = require('../../scripts/lib/n8n-editor');
const { packPackage, REPO_ROOT } = require('../../scripts/lib/pack');
const { startRegistryStub, REGISTRY_HOST } = require('../../scripts/lib/npm-registry-stub');
const { CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/lib/workflows');

type Stub = {
	url: string;
	requests: Array<{ host: string; method: string; path: string; served: string; status: number }>;
	package: { name: string; version: string; integrity: string };
	proxyEnv: () => Record<string, string>;
	close: () => Promise<void>;
};

const PASSCODE = 'install-test-passcode-51c0';

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const installSection = /^## Install\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
const shellBlocks = [...installSection.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1]);
const installerPackage = /Community Nodes → Install, enter `([^`]+)`/.exec(installSection)?.[1];

/** Runs `script` with `sh -e` (stop at the first failing command, as a user would). */
function runShell(script: string, { cwd, env }: { cwd: string; env: NodeJS.ProcessEnv }) {
	return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
		// Never spawnSync: the registry stub answers from this very process.
		const child = spawn('sh', ['-e', '-c', script], { cwd, env });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

/** The caller's environment without npm's own variables (`npm test` sets them), plus `extra`. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env))
		if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE_OPTIONS') env[key] = value;
	return { ...env, ...extra };
}

let workDir: string;
let stub: Stub;
let sim: Simulator;
beforeAll(async () => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-install-e2e-'));
	stub = await startRegistryStub({ tarball: packPackage({ destination: workDir }) });
	sim = await startSimulator({ accounts: { 'ACC-1': PASSCODE } });
}, 120_000);
afterAll(async () => {
	await stub?.close();
	await sim?.close();
	fs.rmSync(workDir, { recursive: true, force: true });
});

test('the README installs with npm commands and with the installer in n8n, and shows no Docker command (nothing here can run one)', () => {
	expect(shellBlocks).toHaveLength(1);
	expect(shellBlocks[0]).toContain(`npm install`);
	expect(shellBlocks.join('\n')).not.toMatch(/docker/i);
	expect(installerPackage).toBe(stub.package.name);
});

describe.each([
	[1, 'v20.'],
	[2, 'v24.'],
])('installed as the README says, in real n8n %i.x', (major, nodeVersion) => {
	let home: string;
	let shellEnv: NodeJS.ProcessEnv;
	let npmInstall: { code: number | null; output: string };
	let editor: { url: string; stop: () => Promise<void> };
	let cookie: string;
	let logFile: string;

	const nodesDir = () => path.join(home, '.n8n', 'nodes');
	/** n8n's REST API as the owner; a refusal comes with the end of n8n's log. */
	const rest = (method: string, route: string, body?: unknown) =>
		editorRest(editor.url, cookie, method, route, body).catch((error: Error) => {
			error.message += `\n\nn8n's log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`;
			throw error;
		});
	// The credential dialog saves, then tests: the package's credential test reaches the simulator.
	const credentialTest = async (name: string, data: Record<string, string> = {}) => {
		const credential = {
			name,
			type: CREDENTIAL_TYPE,
			data: { accountId: 'ACC-1', passcode: PASSCODE, region: 'custom', baseUrl: sim.url, ...data },
		};
		const { id } = await rest('POST', '/credentials', credential);
		return testCredential(editor.url, cookie, { id, ...credential });
	};

	beforeAll(async () => {
		const n8n = await ensureN8n(major);
		home = path.join(workDir, `home-${major}`);
		fs.mkdirSync(home);
		// The Node this n8n runs on comes first on PATH, and with it the npm the user would run.
		const PATH = `${path.dirname(n8n.nodeBin)}${path.delimiter}${process.env.PATH}`;
		shellEnv = userEnv({ HOME: home, PATH, npm_config_registry: stub.url });
		npmInstall = await runShell(shellBlocks.join('\n'), { cwd: home, env: shellEnv });

		// n8n itself asks for https://registry.npmjs.org; the stub stands in for it as a proxy.
		const instance = createN8nInstance({
			n8n,
			userFolder: home,
			env: { HOME: home, PATH, ...stub.proxyEnv() },
		});
		logFile = path.join(workDir, `n8n-${major}.log`);
		const log = fs.openSync(logFile, 'w');
		editor = instance.startEditor({
			port: await freePort(),
			stdio: ['ignore', log, log],
			extraEnv: { N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		});
		await waitUntilReady(editor.url);
		cookie = await createOwner(editor.url);
	}, 45 * 60_000);

	afterAll(async () => {
		await editor?.stop();
	});

	test(`the npm commands install this package on Node ${nodeVersion}x, without a second n8n-workflow`, async () => {
		expect((await runShell('node --version', { cwd: home, env: shellEnv })).output).toMatch(
			new RegExp(`^${nodeVersion.replace('.', '\\.')}`),
		);
		if (npmInstall.code !== 0)
			throw new Error(
				`the README's commands failed (exit ${npmInstall.code}):\n${npmInstall.output}`,
			);
		const lock = JSON.parse(
			fs.readFileSync(path.join(nodesDir(), 'node_modules', '.package-lock.json'), 'utf8'),
		);
		// The integrity of the tarball packed from this checkout: not some published version.
		expect(lock.packages['node_modules/n8n-nodes-clevertap']).toMatchObject({
			version: stub.package.version,
			integrity: stub.package.integrity,
		});
		expect(fs.readdirSync(path.join(nodesDir(), 'node_modules')).sort()).toEqual([
			'.package-lock.json',
			stub.package.name,
		]);
	});

	test('n8n loads that node and its credential: the credential test connects', async () => {
		const [description] = await rest('POST', '/node-types', {
			nodeInfos: [{ name: NODE_TYPE, version: 1 }],
		});
		expect(description).toMatchObject({
			displayName: 'CleverTap',
			credentials: [expect.objectContaining({ name: CREDENTIAL_TYPE })],
		});
		sim.reset();
		expect(await credentialTest('CleverTap (npm install)')).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /1/profile.json']);
	});

	test.each([
		['a wrong passcode', { passcode: 'not-it' }],
		['a wrong account ID', { accountId: 'OTHER' }],
	])('the credential dialog: %s names account, passcode and region', async (name, data) => {
		expect(await credentialTest(`CleverTap (${name})`, data)).toEqual({
			status: 'Error',
			message: `CleverTap did not accept this Account ID and Passcode. ${CREDENTIAL_REJECTED_HINT}`,
		});
	});

	test("n8n's Community Nodes installer installs the package from the registry, and the node works", async () => {
		const seen = stub.requests.length;
		const installed = await rest('POST', '/community-packages', { name: installerPackage });
		expect(installed).toMatchObject({
			packageName: stub.package.name,
			installedVersion: stub.package.version,
			// The node and the CleverTap Trigger.
			installedNodes: [
				expect.objectContaining({ type: NODE_TYPE }),
				expect.objectContaining({ type: 'n8n-nodes-clevertap.cleverTapTrigger' }),
			],
		});
		// n8n's npm fetched the tarball from "registry.npmjs.org", that is from the stub.
		expect(stub.requests.slice(seen)).toContainEqual(
			expect.objectContaining({
				host: REGISTRY_HOST,
				path: `/${stub.package.name}/-/${stub.package.name}-${stub.package.version}.tgz`,
				served: 'local',
			}),
		);
		expect(await rest('GET', '/community-packages')).toEqual([
			expect.objectContaining({ packageName: stub.package.name }),
		]);
		sim.reset();
		expect(await credentialTest('CleverTap (installer)')).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});
});
