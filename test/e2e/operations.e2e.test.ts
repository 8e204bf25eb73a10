/**
 * Every operation in real n8n 1.x and 2.x, through the installed package: Demerge's batching,
 * duplicates and a wrong passcode; the clean-up in one workflow (find the profiles by their
 * "Identity Error" event, demerge them, Get shows the identities no longer resolve), against
 * CleverTap's recorded forms: percent-encoded cursors over several pages, one of them not ready yet,
 * and a not-found answered as a 404; Delete with an identity CleverTap refuses; Create or Update for
 * a CRM-like list of 2,500 contacts with 7 bad ones, and refusals in all three recorded text forms;
 * and Event → Upload.
 * One `n8n start` per major runs every case, each started by a webhook (scripts/lib/n8n-runs.js).
 */
import path from 'node:path';

import { CREDENTIAL_REJECTED_HINT } from '../../credentials/CleverTapApi.credentials';
import { packedForSuite } from './support/packed';
import { startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance, describeRun } = require('../../scripts/lib/n8n-harness');
const { importForRuns, startRuns } = require('../../scripts/lib/n8n-runs');
const { cleverTapCredential, CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const PASSCODE = 'operations-passcode-60b2';
const ACCOUNT = 'OPERATIONS';
const CREDENTIAL = { id: 'ctCredOps0000001', name: 'CleverTap' };
const WRONG = { id: 'ctCredOpsWrong01', name: 'CleverTap (wrong passcode)' };
const WRONG_PASSCODE = 'operations-wrong-passcode-91aa';
/** Enough for 3 pages of 23, CleverTap's smallest page. */
const MERGED = 60;

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
const cleverTap = (
	name: string,
	parameters: Json,
	x: number,
	onError?: string,
	credential = CREDENTIAL,
) => ({
	id: name,
	name,
	type: NODE_TYPE,
	typeVersion: 1,
	position: [x, 0],
	parameters,
	credentials: { [CREDENTIAL_TYPE]: credential },
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

const suite = packedForSuite('ops-e2e');

describe.each([1, 2])('the operations in real n8n %i.x', (major) => {
	let sim: Simulator;
	let instance: Json;
	let runs: Json;
	const id = (name: string) => `ct${name}${major}`.padEnd(16, 'x').slice(0, 16);

	beforeAll(async () => {
		sim = await startSimulator({ accounts: { [ACCOUNT]: PASSCODE }, latencyMs: 10 });
		const n8n = await ensureN8n(major);
		instance = createN8nInstance({ n8n, userFolder: path.join(suite.workDir, `n8n-${major}`) });
		await instance.installPackage(suite.tarball);
		await instance.importCredentials([
			cleverTapCredential({
				...CREDENTIAL,
				accountId: ACCOUNT,
				passcode: PASSCODE,
				baseUrl: sim.url,
			}),
			cleverTapCredential({
				...WRONG,
				accountId: ACCOUNT,
				passcode: WRONG_PASSCODE,
				baseUrl: sim.url,
			}),
		]);
		const contacts = (count: number) =>
			`return Array.from({ length: ${count} }, (_, i) => ({ json: { name: 'Contact ' + i, email: 'contact' + i + '@example.com' } }));`;
		const demerge = (credential = CREDENTIAL) =>
			cleverTap(
				'Demerge',
				{ operation: 'demerge', identities: '={{ $json.email }}' },
				480,
				undefined,
				credential,
			);
		await importForRuns(instance, [
			workflow(
				id('Batching'),
				[start, code('Contacts', contacts(250)), demerge()],
				chain('Start', 'Contacts', 'Demerge'),
			),
			workflow(
				id('Duplicates'),
				[
					start,
					code(
						'Contacts',
						`return [{ email: 'ann@example.com' }, { email: ' ann@example.com ' }, { email: 'bob@example.com' }, { email: ['bob@example.com', 'cy@example.com'] }].map((json) => ({ json }));`,
					),
					demerge(),
				],
				chain('Start', 'Contacts', 'Demerge'),
			),
			workflow(
				id('WrongPasscode'),
				[start, code('Contacts', contacts(5)), demerge(WRONG)],
				chain('Start', 'Contacts', 'Demerge'),
			),
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
							options: { batchSize: 23 },
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
				id('CustomCall'),
				[
					start,
					code('Contacts', contacts(2)),
					cleverTap('Custom', { resource: 'profile', operation: '__CUSTOM_API_CALL__' }, 480),
				],
				chain('Start', 'Contacts', 'Custom'),
			),
			workflow(
				id('Refusals'),
				[
					start,
					code(
						'Contacts',
						`return ['ok1@x.com', 'bad-2', 'bad-3', 'bad-4', 'ok5@x.com', 'ok6@x.com'].map((email, i) => ({ json: { id: 'c' + (i + 1), email, phone: '+3592233323' + i } }));`,
					),
					cleverTap(
						'Upsert',
						{
							operation: 'upsert',
							identifierType: 'identity',
							identifier: '={{ $json.id }}',
							dataMode: 'fields',
							fields: {
								standard: [
									{ name: 'Email', value: '={{ $json.email }}' },
									{ name: 'Phone', value: '={{ $json.phone }}' },
								],
							},
						},
						480,
						'continueErrorOutput',
					),
				],
				chain('Start', 'Contacts', 'Upsert'),
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
		runs = await startRuns({ instance });
	}, 45 * 60_000);

	afterAll(async () => {
		await runs?.stop();
		await sim?.close();
	});

	async function execute(name: string, { fails = false } = {}) {
		const result = await runs.execute(id(name));
		const printed = `${result.stdout}\n${result.stderr}`;
		expect(printed).not.toContain(PASSCODE);
		expect(printed).not.toContain(WRONG_PASSCODE);
		if (result.code !== (fails ? 1 : 0) || !result.json)
			throw new Error(`${sim.summary()}\n${describeRun(result)}`);
		const outputs = (node: string) => {
			const main = result.json.data.resultData.runData[node]?.[0]?.data?.main ?? [];
			return { success: (main[0] ?? []) as Json[], errors: (main[1] ?? []) as Json[] };
		};
		return { result, outputs };
	}

	test('Demerge: 250 contacts in 3 requests of 100/100/50, one output item each, with its fields', async () => {
		sim.reset();
		const { outputs } = await execute('Batching');
		const { success, errors } = outputs('Demerge');
		expect(
			sim.requests.filter((r) => r.api === 'demerge').map((r) => r.identities?.length),
		).toEqual([100, 100, 50]);
		expect(sim.stats().identitiesDemerged).toBe(250);
		expect(errors).toEqual([]);
		expect(success).toHaveLength(250);
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
	}, 300_000);

	test('Demerge: duplicates are sent once and reported to every item', async () => {
		sim.reset();
		const { outputs } = await execute('Duplicates');
		expect(sim.requests.map((r) => r.identities)).toEqual([
			['ann@example.com', 'bob@example.com', 'cy@example.com'],
		]);
		expect(outputs('Demerge').success.map((item) => item.json.identities)).toEqual([
			['ann@example.com'],
			['ann@example.com'],
			['bob@example.com'],
			['bob@example.com', 'cy@example.com'],
		]);
	}, 300_000);

	test('a wrong passcode fails the run once, with the account, passcode and region to check', async () => {
		sim.reset();
		const { result } = await execute('WrongPasscode', { fails: true });
		const error = result.json.data.resultData.error;
		expect(error.message).toBe(
			'Nothing was demerged: CleverTap did not accept the Account ID and Passcode (HTTP 401: "Passcode is not valid")',
		);
		expect(error.description).toBe(CREDENTIAL_REJECTED_HINT);
		expect(sim.stats().demergeRequests).toBe(1);
	}, 300_000);

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
		// CleverTap's recorded forms: ~1.6 KB cursors already percent-encoded (the simulator's default;
		// encoded twice they are "Invalid cursor"), the second page not ready at first, and a profile
		// that is not found answered as a 404 in CleverTap's envelope.
		sim.addFault({ kind: '200-not-ready', api: 'profiles', after: 1 });
		sim.setNotFoundStyle('404');
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
		// 60 profiles, 23 a page: the query, 3 pages, and the second page read again once.
		const reads = sim.requests.filter((r) => r.api === 'profiles');
		expect(reads.map((r) => [r.method, r.status])).toEqual([
			['POST', 200],
			['GET', 200],
			['GET', 200],
			['GET', 200],
			['GET', 200],
		]);
		expect(reads.map((r) => r.fault)).toEqual([
			undefined,
			undefined,
			'200-not-ready',
			undefined,
			undefined,
		]);
		expect(reads[2].query.cursor).toBe(reads[3].query.cursor);
		expect(sim.stats().pagesServed).toBe(3);
		expect(outputs('Check').success).toHaveLength(MERGED);
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

	test("a workflow saved on n8n's Custom API Call entry fails saying to use the HTTP Request node, and sends nothing", async () => {
		sim.reset();
		const { result } = await execute('CustomCall', { fails: true });
		const error = result.json.data.resultData.error;
		expect(error.message).toBe(
			'Custom API Call runs in an HTTP Request node, not in the CleverTap node',
		);
		expect(error.description).toMatch(
			/^Add an HTTP Request node, set Authentication to Predefined Credential Type and Credential Type to CleverTap API/,
		);
		expect(sim.requests).toHaveLength(0);
	}, 300_000);

	test('an upload CleverTap answers with refusals in all three recorded text forms: exactly those items fail', async () => {
		sim.reset();
		const { outputs } = await execute('Refusals');
		const { success, errors } = outputs('Upsert');
		expect(success.map((item) => item.json.id)).toEqual(['c1', 'c5', 'c6']);
		expect(errors.map((item) => [item.json.id, item.json.error])).toEqual(
			[2, 3, 4].map((n) => [
				`c${n}`,
				`The profile record for identity "c${n}" was not uploaded: CleverTap did not take it (code 515: Profile data is incorrect. Email is not valid.)`,
			]),
		);
		// Records 2, 3 and 4 of the request: in the simulator's default (CleverTap's recorded forms
		// by record number) "….Skipped record number : 2" with the record echoed as text,
		// "ErrorCode: 515 - … Skipped record number : 3" and "… Skipped record number : 4", each with
		// CleverTap's normalised echo (the phone a number without "+").
		expect(sim.requests.filter((r) => r.api === 'upload').map((r) => r.unprocessed)).toEqual([
			[2, 3, 4],
		]);
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
