/**
 * The clean-up users run, through n8n-core's WorkflowExecute against the simulator: find the
 * profiles that went wrong (Get Many by Event), demerge them, check with Get, delete what should
 * not exist, put identities back (Create or Update) and record events (Upload).
 */
import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import { runNodeWorkflow, type WorkflowRunOptions } from '../support/workflowHarness';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const PASSCODE = 'ops-secret-passcode-e81f';
let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ accounts: { 'OPS-ACCOUNT': PASSCODE } });
});
afterEach(() => sim.reset());
afterAll(async () => await sim.close());

const run = (options: Partial<WorkflowRunOptions>) =>
	runNodeWorkflow({
		items: [{}],
		credentials: {
			accountId: 'OPS-ACCOUNT',
			passcode: PASSCODE,
			region: 'custom',
			baseUrl: sim.url,
		},
		...options,
	});
const getMany = (extra: Record<string, unknown> = {}) => ({
	operation: 'getMany',
	eventName: 'Identity Error',
	from: '2026-11-20',
	to: '2026-11-28',
	returnAll: true,
	...extra,
});
const get = (value = '={{ $json.identity }}') => ({
	operation: 'get',
	identifierType: 'identity',
	identifier: value,
});

/** Ten merged profiles that did "Identity Error" in the window, and one outside it. */
function seed() {
	for (let i = 0; i < 10; i++) {
		sim.addProfile({
			objectId: `__merged${i}`,
			identities: [`jane${i}@x.com`, `john${i}@x.com`],
			email: `jane${i}@x.com`,
			name: `Merged ${i}`,
			events: [{ name: 'Identity Error', date: '2026-11-2' + (i % 8) }],
		});
	}
	sim.addProfile({
		objectId: '__old',
		identity: 'old@x.com',
		events: [{ name: 'Identity Error', date: '2026-10-01' }],
	});
}

describe('the clean-up, operation after operation', () => {
	test('Get Many by Event finds the profiles of the window, page after page', async () => {
		seed();
		const more = Array.from({ length: 40 }, (_, i) => `__more${String(i).padStart(2, '0')}`);
		for (const objectId of more) {
			sim.addProfile({
				objectId,
				identity: `${objectId}@x.com`,
				events: [{ name: 'Identity Error', date: '2026-11-25' }],
			});
		}
		const result = await run({ parameters: getMany(), options: { batchSize: 23 } });
		expect(result.error).toBeUndefined();
		expect(result.success.map((item) => item.json.objectId)).toEqual([
			...Array.from({ length: 10 }, (_, i) => `__merged${i}`),
			...more,
		]);
		// The query, then 3 pages of 23, 23 and 4, each cursor sent back as CleverTap gave it.
		expect(sim.requests.map((r) => `${r.method} ${r.api}`)).toEqual([
			'POST profiles',
			...Array(3).fill('GET profiles'),
		]);
		expect(result.success[0].json).toMatchObject({ identity: 'jane0@x.com', name: 'Merged 0' });
	});

	test('demerge what was found; Get the next day shows the identity no longer resolves', async () => {
		seed();
		sim.setProcessingDelay(60_000);
		const found = await run({ parameters: getMany() });
		const demerged = await run({
			items: found.success.map((item) => item.json),
			identities: '={{ $json.identity }}',
		});
		expect(demerged.success.every((item) => item.json.status === 'success')).toBe(true);
		expect(sim.stats().identitiesDemerged).toBe(10);

		// Accepted, not yet carried out: Get still finds them.
		const sameDay = await run({ items: [{ identity: 'jane3@x.com' }], parameters: get() });
		expect(sameDay.success[0].json).toMatchObject({ found: true, objectId: '__merged3' });

		sim.flushPending();
		const nextDay = await run({
			items: [{ identity: 'jane3@x.com' }, { identity: 'john3@x.com' }],
			parameters: get(),
		});
		expect(nextDay.success.map((item) => item.json)).toEqual([
			{ found: false, identifierType: 'identity', identifier: 'jane3@x.com' },
			{ found: true, ...nextDay.success[1].json, objectId: '__merged3' },
		]);
	});

	test.each(['null', 'fail', '400'] as const)(
		'Get reads CleverTap\'s "%s" answer for a missing profile as not found',
		async (style) => {
			sim.setNotFoundStyle(style);
			const result = await run({ items: [{ identity: 'nobody@x.com' }], parameters: get() });
			expect(result.error).toBeUndefined();
			expect(result.success[0].json).toEqual({
				found: false,
				identifierType: 'identity',
				identifier: 'nobody@x.com',
			});
		},
	);

	test('Delete by CleverTap ID; a refused one fails alone; Get then finds none of the others', async () => {
		seed();
		sim.setRejectIdentities(['__merged4']);
		const result = await run({
			items: Array.from({ length: 10 }, (_, i) => ({ objectId: `__merged${i}` })),
			parameters: {
				operation: 'delete',
				identifierType: 'guid',
				identities: '={{ $json.objectId }}',
			},
			options: { batchSize: 4 },
			onError: 'continueErrorOutput',
		});
		expect(result.success).toHaveLength(9);
		expect(result.errors.map((item) => item.json.error)).toEqual([
			'CleverTap ID "__merged4" was not deleted: CleverTap refused the request as invalid (HTTP 400: "Invalid guid: __merged4")',
		]);
		expect(
			sim.requests.filter((r) => r.api === 'delete').every((r) => 'guid' in (r.json as object)),
		).toBe(true);
		sim.flushPending();
		const check = await run({
			items: Array.from({ length: 10 }, (_, i) => ({ objectId: `__merged${i}` })),
			parameters: {
				operation: 'get',
				identifierType: 'objectId',
				identifier: '={{ $json.objectId }}',
			},
		});
		expect(check.success.map((item) => item.json.found)).toEqual(
			Array.from({ length: 10 }, (_, i) => i === 4),
		);
	});

	test('Create or Update puts an identity back by CleverTap ID; Get shows it again', async () => {
		seed();
		await run({ items: [{ identity: 'john3@x.com' }], identities: '={{ $json.identity }}' });
		sim.flushPending();
		const result = await run({
			items: [{ objectId: '__merged3', identity: 'john3@x.com' }],
			parameters: {
				operation: 'upsert',
				identifierType: 'objectId',
				identifier: '={{ $json.objectId }}',
				dataMode: 'fields',
				fields: { standard: [{ name: 'Identity', value: '={{ $json.identity }}' }] },
			},
		});
		expect(result.success[0].json).toMatchObject({ status: 'success', identifier: '__merged3' });
		const check = await run({ items: [{ identity: 'john3@x.com' }], parameters: get() });
		expect(check.success[0].json).toMatchObject({ found: true, objectId: '__merged3' });
	});
});

describe('uploads: 1,000 records a request, 15 at a time, each record its own answer', () => {
	const contacts = (count: number) =>
		Array.from({ length: count }, (_, i) => ({ email: `c${i}@x.com`, name: `Contact ${i}` }));
	const upsert = {
		operation: 'upsert',
		identifierType: 'identity',
		identifier: '={{ $json.email }}',
		dataMode: 'fields',
		fields: {
			standard: [
				{ name: 'Name', value: '={{ $json.name }}' },
				{ name: 'Email', value: '={{ $json.email }}' },
			],
		},
	};

	test('2,500 contacts with 7 bad ones: the 7 fail alone, the rest are uploaded', async () => {
		const items: IDataObject[] = contacts(2500);
		// What CleverTap refuses (an email it finds invalid) and what the node refuses first.
		for (const i of [5, 700, 1999]) items[i] = { ...items[i], email: `not-an-email-${i}` };
		for (const i of [10, 1000]) items[i] = { name: `No email ${i}` };
		for (const i of [20, 2400]) items[i] = { ...items[i], name: 'n'.repeat(513) };
		sim.setLatency(20);
		const result = await run({ items, parameters: upsert, onError: 'continueErrorOutput' });
		expect(result.success).toHaveLength(2493);
		expect(result.errors).toHaveLength(7);
		const uploads = sim.requests.filter((r) => r.api === 'upload');
		expect(uploads.map((r) => (r.json as { d: unknown[] }).d.length)).toEqual([1000, 1000, 496]);
		expect(sim.stats().recordsProcessed).toBe(2493);
		const byEmail = Object.fromEntries(
			result.errors.map((item) => [item.json.email ?? item.json.name, item.json.error]),
		);
		expect(byEmail['not-an-email-700']).toMatch(
			/^The profile record for identity "not-an-email-700" was not uploaded: CleverTap did not take it \(code 515: /,
		);
		expect(byEmail['No email 10']).toBe('The identity is missing (field "email")');
		// n8n merges each failed item with its input: the contacts can be told apart.
		expect(result.errors.map((item) => item.json.email ?? item.json.name).sort()).toEqual(
			[
				'No email 10',
				'No email 1000',
				'c20@x.com',
				'c2400@x.com',
				'not-an-email-1999',
				'not-an-email-5',
				'not-an-email-700',
			].sort(),
		);
	});

	test('up to 15 uploads at a time, never more', async () => {
		sim.setLatency(30);
		await run({ items: contacts(3000), parameters: upsert, options: { batchSize: 100 } });
		expect(sim.stats().peakConcurrencyByApi.upload).toBe(15);
		expect(sim.stats().concurrencyRejections).toBe(0);
	});

	test('a top-level "success" that hides an unprocessed record still fails that record', async () => {
		sim.addFault({ kind: '200-success-unprocessed', api: 'upload' });
		const result = await run({
			items: [{ email: 'x@x.com', amount: 1 }],
			parameters: {
				resource: 'event',
				operation: 'upload',
				identifierType: 'identity',
				identifier: '={{ $json.email }}',
				eventName: 'Order Placed',
				dataMode: 'json',
				json: '={{ { Amount: $json.amount } }}',
			},
			onError: 'continueErrorOutput',
		});
		expect(result.success).toEqual([]);
		expect(result.errors[0].json.error).toMatch(
			/^The event record for identity "x@x.com" was not uploaded: CleverTap did not take it \(code \d+: /,
		);
	});
});
