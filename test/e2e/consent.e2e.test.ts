/**
 * Consent and uploads you can trust, in real n8n 1.x and 2.x, through the installed package:
 * Unsubscribe for 1,500 contacts (emails, then phone numbers) with two bad addresses each, which the
 * node refuses before sending while the others go in 2 requests of 1,000 and 498; Disassociate
 * Phone of a number used as an identity; and Event → Upload of 30 events in 3 requests whose second
 * answer is lost (CleverTap took it, the connection reset): with Retry When Unsure on (the default)
 * the 10 events are sent again, say resent: true and are stored twice; off, they fail "may have been
 * recorded" and every event is stored once.
 * One `n8n start` per major runs every case, each started by a webhook (scripts/lib/n8n-runs.js).
 */
import path from 'node:path';

import { packedForSuite } from './support/packed';
import { startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance, describeRun } = require('../../scripts/lib/n8n-harness');
const { importForRuns, startRuns } = require('../../scripts/lib/n8n-runs');
const { cleverTapCredential, CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const PASSCODE = 'consent-passcode-2d7e';
const ACCOUNT = 'CONSENT';
const CREDENTIAL = { id: 'ctCredConsent001', name: 'CleverTap' };
const CONTACTS = 1500;
const EVENTS = 30;
const EVENT_NAME = 'Order Placed';
const UNSURE_HINT =
	'The node did not send it again, so that CleverTap does not get it twice. Look in CleverTap whether it arrived (the campaign list, the message reports, the profile or its events) before you run it again.';

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
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** Contact i's email, as the CRM has it; two of them are not email addresses. */
const BAD_EMAILS: Record<number, string> = {
	7: 'contact7example.com',
	1234: 'contact1234@example',
};
const email = (i: number) => BAD_EMAILS[i] ?? `contact${i}@example.com`;
/** Contact i's phone number as typed, with spaces and brackets; two are not numbers CleverTap takes. */
const BAD_PHONES: Record<number, string> = { 5: '415 555 0005', 1300: '+1 415 555 13OO' };
const digits = (i: number) => String(i).padStart(4, '0');
const phone = (i: number) => BAD_PHONES[i] ?? `+1 (415) 555-${digits(i)}`;
/** The number as CleverTap takes it. */
const phoneSent = (i: number) => `+1415555${digits(i)}`;

const CONTACTS_JS = `
const bad = { emails: ${JSON.stringify(BAD_EMAILS)}, phones: ${JSON.stringify(BAD_PHONES)} };
const digits = (i) => String(i).padStart(4, '0');
return Array.from({ length: ${CONTACTS} }, (_, i) => ({ json: {
	id: 'crm-' + i,
	email: bad.emails[i] ?? 'contact' + i + '@example.com',
	phone: bad.phones[i] ?? '+1 (415) 555-' + digits(i),
} }));`;
const buyer = (i: number) => `buyer${i}@example.com`;
const ORDERS_JS = `return Array.from({ length: ${EVENTS} }, (_, i) => ({ json: { email: 'buyer' + i + '@example.com', amount: (i + 1) * 10 } }));`;

const suite = packedForSuite('consent-e2e');

describe.each([1, 2])('consent and Retry When Unsure in real n8n %i.x', (major) => {
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
		]);
		const unsubscribe = (channel: string, field: string) =>
			cleverTap(
				'Unsubscribe',
				{ resource: 'profile', operation: 'unsubscribe', channel, value: `={{ $json.${field} }}` },
				480,
				'continueErrorOutput',
			);
		const upload = (options: Json, onError?: string) =>
			cleverTap(
				'Upload',
				{
					resource: 'event',
					operation: 'upload',
					identifierType: 'identity',
					identifier: '={{ $json.email }}',
					eventName: EVENT_NAME,
					dataMode: 'fields',
					fields: { custom: [{ name: 'Amount', value: '={{ $json.amount }}' }] },
					// One request at a time, so the second request is the one whose answer is lost.
					options: { batchSize: 10, concurrency: 1, ...options },
				},
				480,
				onError,
			);
		await importForRuns(instance, [
			workflow(
				id('UnsubEmail'),
				[start, code('Contacts', CONTACTS_JS), unsubscribe('email', 'email')],
				chain('Start', 'Contacts', 'Unsubscribe'),
			),
			workflow(
				id('UnsubPhone'),
				[start, code('Contacts', CONTACTS_JS), unsubscribe('phone', 'phone')],
				chain('Start', 'Contacts', 'Unsubscribe'),
			),
			workflow(
				id('Disassociate'),
				[
					start,
					code('Numbers', `return [{ json: { name: 'Jane', phone: '+1 (415) 555-0123' } }];`),
					cleverTap(
						'Disassociate',
						{ resource: 'profile', operation: 'disassociatePhone', phone: '={{ $json.phone }}' },
						480,
					),
				],
				chain('Start', 'Numbers', 'Disassociate'),
			),
			workflow(
				id('EventsRetry'),
				[start, code('Orders', ORDERS_JS), upload({})],
				chain('Start', 'Orders', 'Upload'),
			),
			workflow(
				id('EventsOnce'),
				[
					start,
					code('Orders', ORDERS_JS),
					upload({ retryWhenUnsure: false }, 'continueErrorOutput'),
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

	async function execute(name: string) {
		const result = await runs.execute(id(name));
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

	const contact = (i: number) => ({ id: `crm-${i}`, email: email(i), phone: phone(i) });

	interface UnsubscribeCase {
		channel: 'email' | 'phone';
		workflowName: string;
		bad: Record<number, string>;
		sent: (i: number) => string;
		reasons: Record<number, string>;
	}
	test.each<UnsubscribeCase>([
		{
			channel: 'email',
			workflowName: 'UnsubEmail',
			bad: BAD_EMAILS,
			sent: (i: number) => email(i),
			reasons: {
				7: '"contact7example.com" is not an email address',
				1234: '"contact1234@example" is not an email address',
			},
		},
		{
			channel: 'phone',
			workflowName: 'UnsubPhone',
			bad: BAD_PHONES,
			sent: phoneSent,
			reasons: {
				5: 'The phone number "415 555 0005" has no country code: it must start with + and the country code, such as +14155550123',
				1300: '"+1 415 555 13OO" is not a phone number',
			},
		},
	])(
		'Unsubscribe by $channel: 1,500 contacts with 2 bad ones, 2 requests of 1,000 and 498, the bad ones on the error output with their reason',
		async ({ channel, workflowName, bad, sent, reasons }) => {
			sim.reset();
			const { outputs } = await execute(workflowName);
			const { success, errors } = outputs('Unsubscribe');
			const badItems = Object.keys(bad).map(Number);
			const good = range(0, CONTACTS).filter((i) => !badItems.includes(i));
			// Refused by the node before anything was sent, each with its reason.
			expect(errors.map((item) => item.json)).toEqual(
				badItems.map((i) => ({ ...contact(i), error: reasons[i] })),
			);
			expect(errors.map((item) => item.pairedItem)).toEqual(
				badItems.map((i) => expect.objectContaining({ item: i })),
			);
			expect(success.map((item) => item.json)).toEqual(
				good.map((i) => ({ ...contact(i), status: 'success', channel, value: sent(i) })),
			);
			// What CleverTap received: the 1,498 good addresses, 1,000 a request, each once.
			const requests = sim.requests.filter((r) => r.api === 'subscribe');
			expect(
				requests.map((r) => (r.json as { d: unknown[] }).d.length).sort((a, b) => b - a),
			).toEqual([1000, 498]);
			expect(requests.map((r) => [r.status, r.unprocessed])).toEqual([
				[200, []],
				[200, []],
			]);
			expect(
				requests
					.flatMap((r) => (r.json as { d: Json[] }).d)
					.sort((a, b) => String(a.value).localeCompare(String(b.value))),
			).toEqual(
				good
					.map((i) => ({ type: channel, value: sent(i), status: 'Unsubscribe' }))
					.sort((a, b) => a.value.localeCompare(b.value)),
			);
			// Every good address unsubscribed, the bad ones never reached CleverTap.
			expect(good.filter((i) => sim.subscription(channel, sent(i)) !== 'unsubscribed')).toEqual([]);
			const subscriptions = sim.subscriptions({ type: channel });
			expect(subscriptions).toHaveLength(good.length);
			expect(subscriptions.every((s) => s.state === 'unsubscribed' && s.unsubscribes === 1)).toBe(
				true,
			);
			expect(sim.stats()).toMatchObject({ subscribeRecords: 1498, subscribeRecordsRefused: 0 });
		},
		300_000,
	);

	test('Disassociate Phone: the number, written with spaces and brackets, is taken off the profile, which stays', async () => {
		sim.reset();
		sim.addProfile({
			objectId: '__jane',
			identities: ['+14155550123', 'jane@example.com'],
			email: 'jane@example.com',
			name: 'Jane',
		});
		const { outputs } = await execute('Disassociate');
		const { success, errors } = outputs('Disassociate');
		expect(errors).toEqual([]);
		expect(success.map((item) => item.json)).toEqual([
			{ name: 'Jane', phone: '+14155550123', status: 'success' },
		]);
		const requests = sim.requests.filter((r) => r.api === 'disassociate');
		expect(requests.map((r) => [r.status, r.json])).toEqual([
			[200, { d: [{ type: 'phone', value: '+14155550123' }] }],
		]);
		expect(sim.disassociated.get('+14155550123')).toBe(1);
		expect(sim.stats()).toMatchObject({ disassociated: 1, disassociateRecordsRefused: 0 });
		// The number no longer finds the profile; the profile stays, found by its other identity.
		expect(sim.findProfile({ identity: '+14155550123' })).toBeUndefined();
		expect(sim.findProfile({ identity: 'jane@example.com' })).toMatchObject({
			objectId: '__jane',
			identities: ['jane@example.com'],
		});
	}, 300_000);

	/** The items of the request whose answer was lost, by their identity. */
	function lostUpload(): number[] {
		const lost = sim.requests.filter((r) => r.api === 'upload' && r.fault === 'take-then-reset');
		expect(lost).toHaveLength(1);
		expect(lost[0].lostStatus).toBe(200);
		const identities = (lost[0].json as { d: Json[] }).d.map((record) => record.identity);
		return range(0, EVENTS).filter((i) => identities.includes(buyer(i)));
	}

	test('Event → Upload, Retry When Unsure on (the default): the lost request is sent again, its 10 items say resent: true, their events are stored twice', async () => {
		sim.reset();
		sim.addFault({ kind: 'take-then-reset', api: 'upload', after: 1, times: 1 });
		const { outputs } = await execute('EventsRetry');
		const { success, errors } = outputs('Upload');
		expect(errors).toEqual([]);
		// One request at a time: the second request, items 10 to 19, lost its answer.
		const lost = lostUpload();
		expect(lost).toEqual(range(10, 20));
		expect(success.map((item) => item.json)).toEqual(
			range(0, EVENTS).map((i) => ({
				email: buyer(i),
				amount: (i + 1) * 10,
				status: 'success',
				identifier: buyer(i),
				...(lost.includes(i) ? { resent: true } : {}),
			})),
		);
		// 4 requests of 10: the lost one sent again once, record for record (after the third, which
		// went while the node waited to retry).
		const uploads = sim.requests.filter((r) => r.api === 'upload');
		expect(uploads.map((r) => [r.status, (r.json as { d: unknown[] }).d.length])).toEqual([
			[200, 10],
			['reset', 10],
			[200, 10],
			[200, 10],
		]);
		expect(uploads.filter((r) => r.body === uploads[1].body).map((r) => r.status)).toEqual([
			'reset',
			200,
		]);
		expect(range(0, EVENTS).map((i) => sim.eventCount(EVENT_NAME, buyer(i)))).toEqual(
			range(0, EVENTS).map((i) => (lost.includes(i) ? 2 : 1)),
		);
		expect(sim.eventCount(EVENT_NAME)).toBe(EVENTS + 10);
	}, 300_000);

	test('Event → Upload, Retry When Unsure off: the 10 items of the lost request fail "may have been recorded", nothing is sent twice', async () => {
		sim.reset();
		sim.addFault({ kind: 'take-then-reset', api: 'upload', after: 1, times: 1 });
		const { outputs } = await execute('EventsOnce');
		const { success, errors } = outputs('Upload');
		const lost = lostUpload();
		expect(lost).toEqual(range(10, 20));
		expect(errors.map((item) => item.json)).toEqual(
			lost.map((i) => ({
				email: buyer(i),
				amount: (i + 1) * 10,
				error: `The event record for identity "${buyer(i)}" may have been recorded: check in CleverTap before sending again (The connection to CleverTap at 127.0.0.1:${sim.port} broke off before the answer came (ECONNRESET)). ${UNSURE_HINT}`,
			})),
		);
		expect(errors.map((item) => item.pairedItem)).toEqual(
			lost.map((i) => expect.objectContaining({ item: i })),
		);
		expect(success.map((item) => item.json)).toEqual(
			range(0, EVENTS)
				.filter((i) => !lost.includes(i))
				.map((i) => ({
					email: buyer(i),
					amount: (i + 1) * 10,
					status: 'success',
					identifier: buyer(i),
				})),
		);
		expect(sim.requests.filter((r) => r.api === 'upload').map((r) => r.status)).toEqual([
			200,
			'reset',
			200,
		]);
		// CleverTap took the lost request too: every event stored, none twice.
		expect(range(0, EVENTS).map((i) => sim.eventCount(EVENT_NAME, buyer(i)))).toEqual(
			Array(EVENTS).fill(1),
		);
		expect(sim.eventCount(EVENT_NAME)).toBe(EVENTS);
	}, 300_000);
});
