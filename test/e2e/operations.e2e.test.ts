/**
 * The operations around Demerge in real n8n 1.x and 2.x, through the installed package: the
 * clean-up in one workflow (find the profiles by their "Identity Error" event, demerge them, Get
 * shows the identities no longer resolve), Delete with an identity CleverTap refuses, Create or
 * Update for a CRM-like list of 2,500 contacts with 7 bad ones, and Event → Upload.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance, describeRun } = require('../../scripts/lib/n8n-harness');
const { packPackage } = require('../../scripts/lib/pack');
const { cleverTapCredential, CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const PASSCODE = 'operations-passcode-60b2';
const ACCOUNT = 'OPERATIONS';
const CREDENTIAL = { id: 'ctCredOps0000001', name: 'CleverTap' };
const MERGED = 12;

const start = {
	id: 'start',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const code = (name: string, js: string) => ({
	id: name,
	name,
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [240, 0],
	parameters: { jsCode: js },
});
const cleverTap = (name: string, parameters: Json, x: number, onError?: string) => ({
	id: name,
	name,
	type: NODE_TYPE,
	typeVersion: 1,
	position: [x, 0],
	parameters,
	credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
	...(onError ? { onError } : {}),
});
const chain = (...names: string[]) =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);
const workflow = (id: string, nodes: Json[], connections: Json) => ({
	id,
	name: id,
	active: false,
	settings: { executionOrder: 'v1' },
	nodes,
	connections,
});

/** 2,500 contacts as a CRM exports them, 7 of them bad in ways the node or CleverTap refuses. */
const CRM_JS = `
const contacts = Array.from({ length: 2500 }, (_, i) => ({ id: 'crm-' + i, name: 'Contact ' + i, email: 'c' + i + '@example.com' }));
for (const i of [3, 900, 2101]) contacts[i].email = 'no-at-sign-' + i;
for (const i of [77, 1500]) delete contacts[i].email;
contacts[1200].name = 'n'.repeat(600);
contacts[2499].phone = '98765 43210';
return contacts.map((json) => ({ json }));`;

let workDir: string;
let tarball: string;
beforeAll(() => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-ops-e2e-'));
	tarball = packPackage({ destination: workDir });
}, 120_000);
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe.each([1, 2])('the operations in real n8n %i.x', (major) => {
	let sim: Simulator;
	let instance: Json;
	const id = (name: string) => `ct${name}${major}`.padEnd(16, 'x').slice(0, 16);

	beforeAll(async () => {
		sim = await startSimulator({ accounts: { [ACCOUNT]: PASSCODE }, latencyMs: 10 });
		const n8n = await ensureN8n(major);
		instance = createN8nInstance({ n8n, userFolder: path.join(workDir, `n8n-${major}`) });
		await instance.installPackage(tarball);
		await instance.importCredentials([
			cleverTapCredential({
				...CREDENTIAL,
				accountId: ACCOUNT,
				passcode: PASSCODE,
				baseUrl: sim.url,
			}),
		]);
		await instance.importWorkflow([
			workflow(
				id('Cleanup'),
				[
					start,
					cleverTap(
						'Find',
						{
							operation: 'getMany',
							eventName: 'Identity Error',
							from: '2026-11-20T00:00:00',
							to: '2026-11-28T00:00:00',
							returnAll: true,
							options: { batchSize: 5 },
						},
						240,
					),
					cleverTap('Demerge', { operation: 'demerge', identities: '={{ $json.identity }}' }, 480),
					cleverTap(
						'Check',
						{ operation: 'get', identifierType: 'identity', identifier: '={{ $json.identity }}' },
						720,
					),
				],
				chain('Start', 'Find', 'Demerge', 'Check'),
			),
			workflow(
				id('Delete'),
				[
					start,
					code(
						'Profiles',
						`return ['__d1', '__d2', '__refused', '__d3'].map((objectId) => ({ json: { objectId } }));`,
					),
					cleverTap(
						'Delete',
						{ operation: 'delete', identifierType: 'guid', identities: '={{ $json.objectId }}' },
						480,
						'continueErrorOutput',
					),
				],
				chain('Start', 'Profiles', 'Delete'),
			),
			workflow(
				id('Upsert'),
				[
					start,
					code('CRM', CRM_JS),
					cleverTap(
						'Upsert',
						{
							operation: 'upsert',
							identifierType: 'identity',
							identifier: '={{ $json.email }}',
							dataMode: 'fields',
							fields: {
								standard: [
									{ name: 'Name', value: '={{ $json.name }}' },
									{ name: 'Email', value: '={{ $json.email }}' },
									{ name: 'Phone', value: '={{ $json.phone }}' },
								],
								custom: [{ name: 'CRM ID', value: '={{ $json.id }}' }],
							},
						},
						480,
						'continueErrorOutput',
					),
				],
				chain('Start', 'CRM', 'Upsert'),
			),
			workflow(
				id('Events'),
				[
					start,
					code(
						'Orders',
						`return [1, 2, 3].map((n) => ({ json: { email: 'c' + n + '@example.com', amount: n * 10 } }));`,
					),
					cleverTap(
						'Upload',
						{
							resource: 'event',
							operation: 'upload',
							identifierType: 'identity',
							identifier: '={{ $json.email }}',
							eventName: 'Order Placed',
							dataMode: 'json',
							json: '={{ { Amount: $json.amount } }}',
							options: { timestamp: '2026-11-28T10:00:00Z' },
						},
						480,
					),
				],
				chain('Start', 'Orders', 'Upload'),
			),
		]);
	}, 45 * 60_000);

	afterAll(async () => {
		await sim?.close();
	});

	async function execute(name: string) {
		const result = await instance.execute(id(name));
		const printed = `${result.stdout}\n${result.stderr}`;
		expect(printed).not.toContain(PASSCODE);
		if (result.code !== 0 || !result.json)
			throw new Error(`${sim.summary()}\n${describeRun(result)}`);
		const outputs = (node: string) => {
			const main = result.json.data.resultData.runData[node]?.[0]?.data?.main ?? [];
			return { success: (main[0] ?? []) as Json[], errors: (main[1] ?? []) as Json[] };
		};
		return { result, outputs };
	}

	test('find by "Identity Error" → demerge → Get shows the demerged identities no longer resolve', async () => {
		sim.reset();
		for (let i = 0; i < MERGED; i++) {
			sim.addProfile({
				objectId: `__m${i}`,
				identities: [`jane${i}@example.com`, `shared${i}@example.com`],
				email: `jane${i}@example.com`,
				events: [{ name: 'Identity Error', date: `2026-11-2${i % 8}` }],
			});
		}
		sim.addProfile({
			objectId: '__older',
			identity: 'older@example.com',
			events: [{ name: 'Identity Error', date: '2026-10-01' }],
		});
		const { outputs } = await execute('Cleanup');
		// In CleverTap's order (here: by CleverTap ID), every merged profile of the window once.
		expect(outputs('Find').success.map((item) => item.json.objectId)).toEqual(
			Array.from({ length: MERGED }, (_, i) => `__m${i}`).sort(),
		);
		expect(outputs('Demerge').success.map((item) => item.json.status)).toEqual(
			Array(MERGED).fill('success'),
		);
		expect(outputs('Check').success.map((item) => item.json)).toEqual(
			outputs('Find').success.map((item) => ({
				found: false,
				identifierType: 'identity',
				identifier: item.json.identity,
			})),
		);
		expect(sim.stats().identitiesDemerged).toBe(MERGED);
		// 12 profiles, 5 a page: the query and 3 pages.
		expect(sim.stats().requestsByApi.profiles).toBe(4);
	}, 300_000);

	test('delete by CleverTap ID with one CleverTap refuses: the others go, the refused one says why', async () => {
		sim.reset();
		for (const objectId of ['__d1', '__d2', '__refused', '__d3'])
			sim.addProfile({ objectId, identity: `${objectId}@x.com` });
		sim.setRejectIdentities(['__refused']);
		const { outputs } = await execute('Delete');
		const { success, errors } = outputs('Delete');
		expect(success.map((item) => item.json.identities)).toEqual([['__d1'], ['__d2'], ['__d3']]);
		expect(errors.map((item) => [item.json.objectId, item.json.error])).toEqual([
			[
				'__refused',
				'CleverTap ID "__refused" was not deleted: CleverTap refused the request as invalid (HTTP 400: "Invalid guid: __refused")',
			],
		]);
		sim.flushPending();
		expect(
			['__d1', '__d2', '__refused', '__d3'].map((objectId) =>
				Boolean(sim.findProfile({ objectId })),
			),
		).toEqual([false, false, true, false]);
	}, 300_000);

	test('Create or Update: 2,500 CRM contacts with 7 bad ones, each bad one on the error output with its reason', async () => {
		sim.reset();
		const { outputs } = await execute('Upsert');
		const { success, errors } = outputs('Upsert');
		expect(success).toHaveLength(2493);
		expect(success[0].json).toEqual({
			id: 'crm-0',
			name: 'Contact 0',
			email: 'c0@example.com',
			status: 'success',
			identifier: 'c0@example.com',
		});
		const reasons = Object.fromEntries(errors.map((item) => [item.json.id, item.json.error]));
		expect(Object.keys(reasons).sort()).toEqual(
			['crm-3', 'crm-77', 'crm-900', 'crm-1200', 'crm-1500', 'crm-2101', 'crm-2499'].sort(),
		);
		// Refused by the node before anything was sent: no email, a name over 512 bytes, a phone
		// without its country code.
		expect(reasons['crm-77']).toBe('The identity is missing (field "email")');
		expect(reasons['crm-1200']).toBe(
			'The value of "Name" is 600 bytes long; CleverTap takes at most 512',
		);
		expect(reasons['crm-2499']).toBe(
			'The phone number "98765 43210" must start with + and the country code, such as +14155551234',
		);
		// Refused by CleverTap, each on its own record: code 515, the email is not valid.
		expect(reasons['crm-900']).toBe(
			'The profile record for identity "no-at-sign-900" was not uploaded: CleverTap did not take it (code 515: Profile data is incorrect. Email is not valid.)',
		);
		const uploads = sim.requests.filter((request) => request.api === 'upload');
		expect(uploads.map((request) => (request.json as { d: unknown[] }).d.length)).toEqual([
			1000, 1000, 496,
		]);
		expect(sim.stats().recordsProcessed).toBe(2493);
	}, 300_000);

	test('Event → Upload: each order an event on its profile, with the timestamp in seconds', async () => {
		sim.reset();
		const { outputs } = await execute('Events');
		expect(outputs('Upload').success.map((item) => item.json.status)).toEqual([
			'success',
			'success',
			'success',
		]);
		expect(sim.uploaded).toEqual(
			[1, 2, 3].map((n) => ({
				type: 'event',
				identity: `c${n}@example.com`,
				ts: 1795860000,
				evtName: 'Order Placed',
				evtData: { Amount: n * 10 },
			})),
		);
	}, 300_000);
});
