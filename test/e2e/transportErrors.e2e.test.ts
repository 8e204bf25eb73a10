/**
 * What real n8n 1.x and 2.x hand the node when a request fails without an HTTP answer (a reset, a
 * hang past the timeout, nothing listening, an unknown host): recorded with a test-only probe node
 * that sends through n8n's `httpRequestWithAuthentication` exactly as the transport does. The unit
 * table of the transport's error recognition is built from test/fixtures/n8n-transport-errors.json;
 * this suite checks that the fixture still matches what both n8n versions throw
 * (`RECORD_N8N_ERRORS=1` rewrites it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSimulator, type Simulator } from '../simulator';
import { closedPort } from '../support/faultCases';

const { ensureN8n, createN8nInstance } = require('../../scripts/lib/n8n-harness');
const { packPackage } = require('../../scripts/lib/pack');
const { cleverTapCredential } = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'n8n-transport-errors.json');
const PASSCODE = 'probe-passcode-not-a-secret-9d2e';
const ACCOUNT = 'PROBE-ACCOUNT';
const TIMEOUT_MS = 1000;
const DEMERGE = { method: 'POST', path: '/1/demerge/profiles.json', body: { identities: ['p'] } };

let workDir: string;
let sim: Simulator;
let tarball: string;
let probeTarball: string;
const captured: Record<string, Json[]> = {};

/** Ports and timestamps change from run to run; nothing else may. */
function normalise(value: unknown): unknown {
	return JSON.parse(
		JSON.stringify(value, (key, entry) => (key === 'timestamp' ? undefined : entry))
			.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
			.replace(/"port":\d+/g, '"port":"<port>"'),
	);
}

beforeAll(async () => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-errors-'));
	tarball = packPackage({ destination: workDir });
	const packed = spawnSync('npm', ['pack', '--pack-destination', workDir, '--silent'], {
		cwd: path.join(__dirname, 'support', 'errorProbe'),
		encoding: 'utf8',
	});
	if (packed.status !== 0) throw new Error(`npm pack of the probe failed: ${packed.stderr}`);
	probeTarball = path.join(workDir, packed.stdout.trim().split('\n').pop() as string);
	sim = await startSimulator({ accounts: { [ACCOUNT]: PASSCODE } });
}, 120_000);

afterAll(async () => {
	await sim?.close();
	fs.rmSync(workDir, { recursive: true, force: true });
	if (process.env.RECORD_N8N_ERRORS === '1' && Object.keys(captured).length === 2) {
		fs.writeFileSync(FIXTURE, `${JSON.stringify(captured, null, '\t')}\n`);
	}
});

describe.each([1, 2])('real n8n %i.x', (major) => {
	test('the errors n8n throws for transport failures match the recorded fixture', async () => {
		const n8n = await ensureN8n(major);
		const instance = createN8nInstance({ n8n, userFolder: path.join(workDir, `n8n-${major}`) });
		await instance.installPackage(tarball);
		await instance.installPackage(probeTarball);
		const credential = cleverTapCredential({
			id: 'ctCredProbe00001',
			name: 'CleverTap (probe)',
			accountId: ACCOUNT,
			passcode: PASSCODE,
			baseUrl: sim.url,
		});
		await instance.importCredentials([credential]);
		const closed = await closedPort();
		const scenarios = [
			{ name: 'reset', request: DEMERGE },
			{ name: 'reset-mid-body', request: DEMERGE },
			{ name: 'close-mid-body', request: DEMERGE },
			{ name: 'hang', request: DEMERGE },
			{ name: 'refused', request: DEMERGE, baseUrl: `http://127.0.0.1:${closed}` },
			{ name: 'unknown-host', request: DEMERGE, baseUrl: 'http://clevertap-probe.invalid' },
		].map((scenario) => ({ timeoutMs: TIMEOUT_MS, ...scenario }));
		await instance.importWorkflow({
			id: `ctErrorProbe000${major}`,
			name: 'Error probe',
			nodes: [
				{
					id: 'start',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'probe',
					name: 'Probe',
					type: 'n8n-nodes-clevertap-error-probe.cleverTapErrorProbe',
					typeVersion: 1,
					position: [240, 0],
					parameters: { scenarios: JSON.stringify(scenarios) },
					credentials: { cleverTapApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: { Start: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
		});
		sim.reset();
		for (const kind of ['reset', 'reset-mid-body', 'close-mid-body', 'hang'] as const) {
			sim.addFault({ kind });
		}

		const result = await instance.execute(`ctErrorProbe000${major}`);
		const items = result.json?.data?.resultData?.runData?.Probe?.[0]?.data?.main?.[0];
		if (!Array.isArray(items)) {
			throw new Error(
				`The probe did not run (exit ${result.code}): ${JSON.stringify(result.json?.data?.resultData?.error ?? null)}\n${result.stderr.slice(-2000)}`,
			);
		}
		const live = items.map((item: Json) => normalise(item.json)) as Json[];
		expect(live.map((entry) => [entry.name, entry.threw])).toEqual(
			scenarios.map((scenario) => [scenario.name, true]),
		);
		expect(JSON.stringify(live)).not.toContain(PASSCODE);
		captured[`n8n-${major}`] = live;
		if (process.env.RECORD_N8N_ERRORS !== '1') {
			const recorded: Json[] = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'))[`n8n-${major}`];
			const byName = (list: Json[], name: string) => list.find((entry) => entry.name === name);
			// Node's HTTP client sees a reset in the middle of an answer either as a reset or, when
			// the answer's end is noticed first, as a broken-off answer: both are recorded.
			const midBody = byName(live, 'reset-mid-body') as Json;
			if (
				JSON.stringify(midBody.error) === JSON.stringify(byName(recorded, 'close-mid-body')?.error)
			) {
				midBody.error = byName(recorded, 'reset-mid-body')?.error;
			}
			expect(live).toEqual(recorded);
		}
	}, 300_000);
});
