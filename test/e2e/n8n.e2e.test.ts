/**
 * The packed package inside real n8n, as users run it: installed into <user folder>/.n8n/nodes,
 * a credential and workflows imported with n8n's CLI, executed with `n8n execute`, in n8n 1.x
 * (Node 20) and 2.x (Node 24). The first run installs both n8n versions into a cache.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSimulator, type Simulator } from '../simulator';

// Plain CommonJS helpers shared with `npm start` and the benchmark.
const { ensureN8n, createN8nInstance, describeRun } = require('../../scripts/lib/n8n-harness');
const { packPackage } = require('../../scripts/lib/pack');
const {
	cleverTapCredential,
	demergeWorkflow,
	cleverTapOutputs,
} = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const PASSCODE = 'e2e-passcode-3c1f9a77';
const WRONG_PASSCODE = 'e2e-wrong-passcode-51d0';
const ACCOUNT = 'E2E-ACCOUNT';

let tarball: string;
let workDir: string;

beforeAll(() => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-e2e-'));
	tarball = packPackage({ destination: workDir });
}, 120_000);

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const contacts = (count: number) =>
	Array.from({ length: count }, (_, i) => ({
		name: `Contact ${i}`,
		email: `contact${i}@example.com`,
	}));

describe.each([1, 2])('real n8n %i.x', (major) => {
	let sim: Simulator;
	let n8n: Json;
	let instance: Json;
	const ids = {
		batching: `ctBatching0000${major}`.padEnd(16, 'x'),
		duplicates: `ctDuplicates00${major}`.padEnd(16, 'x'),
		badInput: `ctBadInput0000${major}`.padEnd(16, 'x'),
		transient: `ctTransient000${major}`.padEnd(16, 'x'),
		wrongCreds: `ctWrongCreds00${major}`.padEnd(16, 'x'),
	};

	beforeAll(async () => {
		sim = await startSimulator({ accounts: { [ACCOUNT]: PASSCODE }, latencyMs: 20 });
		n8n = await ensureN8n(major, { log: (line: string) => process.stderr.write(`${line}\n`) });
		instance = createN8nInstance({ n8n, userFolder: path.join(workDir, `n8n-${major}`) });
		await instance.installPackage(tarball);
		const good = cleverTapCredential({
			id: 'ctCredGood000001',
			name: 'CleverTap (simulator)',
			accountId: ACCOUNT,
			passcode: PASSCODE,
			baseUrl: sim.url,
		});
		const wrong = cleverTapCredential({
			id: 'ctCredWrong00001',
			name: 'CleverTap (wrong passcode)',
			accountId: ACCOUNT,
			passcode: WRONG_PASSCODE,
			baseUrl: sim.url,
		});
		await instance.importCredentials([good, wrong]);
		const duplicateContacts = [
			{ email: 'ann@example.com' },
			{ email: ' ann@example.com ' },
			{ email: 'bob@example.com' },
			{ email: ['bob@example.com', 'cy@example.com'] },
		];
		const badContacts = [
			{ name: 'Good', email: 'good@example.com' },
			{ name: 'Blank', email: '   ' },
			{ name: 'No email' },
			{ name: 'Object', email: { work: 'w@example.com' } },
			{ name: 'Also good', email: 'good2@example.com' },
		];
		await instance.importWorkflow([
			demergeWorkflow({
				id: ids.batching,
				name: 'Batching',
				contacts: contacts(250),
				credential: good,
			}),
			demergeWorkflow({
				id: ids.duplicates,
				name: 'Duplicates',
				contacts: duplicateContacts,
				credential: good,
			}),
			demergeWorkflow({
				id: ids.badInput,
				name: 'Bad input',
				contacts: badContacts,
				credential: good,
				onError: 'continueErrorOutput',
			}),
			demergeWorkflow({
				id: ids.transient,
				name: 'Transient faults',
				contacts: contacts(250),
				credential: good,
			}),
			demergeWorkflow({
				id: ids.wrongCreds,
				name: 'Wrong passcode',
				contacts: contacts(5),
				credential: wrong,
			}),
		]);
	}, 45 * 60_000);

	afterAll(async () => {
		await sim?.close();
	});

	beforeEach(() => sim.reset());

	async function execute(id: string) {
		const result = await instance.execute(id);
		const everything = `${result.stdout}\n${result.stderr}`;
		// Whatever n8n prints (run data, errors, logs) never holds the passcode.
		expect(everything).not.toContain(PASSCODE);
		expect(everything).not.toContain(WRONG_PASSCODE);
		if (!result.json) throw new Error(`n8n printed no run data.\n${describeRun(result)}`);
		return result as { code: number; json: Json; stdout: string };
	}

	test('250 contacts are demerged in 3 requests of 100/100/50, one output item each', async () => {
		const result = await execute(ids.batching);
		if (result.code !== 0) throw new Error(describeRun(result));
		const { success, errors } = cleverTapOutputs(result.json);
		expect(
			sim.requests.filter((r) => r.api === 'demerge').map((r) => r.identities?.length),
		).toEqual([100, 100, 50]);
		expect(sim.stats().identitiesDemerged).toBe(250);
		expect(success).toHaveLength(250);
		expect(errors).toHaveLength(0);
		success.forEach((item: Json, i: number) => {
			expect(item.json).toEqual({
				name: `Contact ${i}`,
				email: `contact${i}@example.com`,
				status: 'success',
				identities: [`contact${i}@example.com`],
			});
			expect(item.pairedItem).toMatchObject({ item: i });
		});
		expect(sim.requests[0].headers['x-clevertap-account-id']).toBe(ACCOUNT);
	});

	test('duplicates are sent once and reported to every item', async () => {
		const result = await execute(ids.duplicates);
		if (result.code !== 0) throw new Error(describeRun(result));
		expect(sim.requests.map((r) => r.identities)).toEqual([
			['ann@example.com', 'bob@example.com', 'cy@example.com'],
		]);
		expect(cleverTapOutputs(result.json).success.map((item: Json) => item.json.identities)).toEqual(
			[
				['ann@example.com'],
				['ann@example.com'],
				['bob@example.com'],
				['bob@example.com', 'cy@example.com'],
			],
		);
	});

	test('bad input under "Continue (using error output)" arrives on the error output', async () => {
		const result = await execute(ids.badInput);
		if (result.code !== 0) throw new Error(describeRun(result));
		const { success, errors } = cleverTapOutputs(result.json);
		expect(success.map((item: Json) => item.json)).toEqual([
			{
				name: 'Good',
				email: 'good@example.com',
				status: 'success',
				identities: ['good@example.com'],
			},
			{
				name: 'Also good',
				email: 'good2@example.com',
				status: 'success',
				identities: ['good2@example.com'],
			},
		]);
		expect(errors.map((item: Json) => [item.json.name, item.json.error])).toEqual([
			['Blank', 'The identity is only whitespace (field "email")'],
			['No email', 'The identity is missing (field "email")'],
			['Object', 'The identity is an object, not a string or number (field "email")'],
		]);
		expect(sim.requests.map((r) => r.identities)).toEqual([
			['good@example.com', 'good2@example.com'],
		]);
	});

	test('scripted 429s and an HTML 503 are retried; every contact ends demerged once', async () => {
		sim.addFault({ kind: '429', times: 2 }).addFault({ kind: '503-html' });
		const result = await execute(ids.transient);
		if (result.code !== 0) throw new Error(describeRun(result));
		const { success } = cleverTapOutputs(result.json);
		expect(success.map((item: Json) => item.json.status)).toEqual(Array(250).fill('success'));
		expect(sim.stats().demergeRequests).toBe(6);
		expect(sim.stats().identitiesDemerged).toBe(250);
		expect(Math.max(...sim.demerged.values())).toBe(1);
	});

	test('a wrong passcode fails the run once, with the account/passcode/region message', async () => {
		const result = await execute(ids.wrongCreds);
		expect(result.code).toBe(1);
		const error = result.json.data.resultData.error;
		expect(error.message).toBe(
			'Nothing was demerged: CleverTap did not accept the Account ID and Passcode (HTTP 401: "Passcode is not valid")',
		);
		expect(error.description).toBe(
			'Check the Account ID, the Passcode and the Region in the CleverTap credential: CleverTap answers a request sent to the wrong region as if the Account ID or Passcode were wrong.',
		);
		expect(sim.stats().demergeRequests).toBe(1);
	});
});
