/**
 * Consent and uploads you can trust, through n8n-core's WorkflowExecute against the simulator:
 * Unsubscribe and Resubscribe by address (for every profile that shares it), Disassociate Phone
 * (the identity leaves its profile, which stays; a number that is only a property is refused for
 * its item alone), and Retry When Unsure on an event upload whose answer is lost after CleverTap
 * recorded it: on, the request is sent again and its items say `resent: true` (the events are
 * there twice); off, its items fail as "may have been recorded" and nothing is there twice.
 */
import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import { runNodeWorkflow, type WorkflowRunOptions } from '../support/workflowHarness';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Back-off is counted, not waited out.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const ACCOUNT = 'CONSENT-ACCOUNT';
const PASSCODE = 'consent-secret-passcode-3b90';
const UNSURE_HINT =
	'The node did not send it again, so that CleverTap does not get it twice. Look in CleverTap whether it arrived (the campaign list, the message reports, the profile or its events) before you run it again.';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ accounts: { [ACCOUNT]: PASSCODE } });
});
afterEach(() => sim.reset());
afterAll(async () => await sim.close());

const credentials = (): ICredentialDataDecryptedObject => ({
	accountId: ACCOUNT,
	passcode: PASSCODE,
	region: 'custom',
	baseUrl: sim.url,
});

async function run(options: Partial<WorkflowRunOptions>) {
	const result = await runNodeWorkflow({ items: [{}], credentials: credentials(), ...options });
	expect(result.serialised).not.toContain(PASSCODE);
	return result;
}
type Run = Awaited<ReturnType<typeof run>>;

/** The CleverTap node's own output (0: main, 1: errors), as n8n kept it. */
const output = (result: Run, index = 0): INodeExecutionData[] =>
	result.run.data.resultData.runData.CleverTap?.[0]?.data?.main?.[index] ?? [];
const jsons = (items: INodeExecutionData[]) => items.map((item) => item.json);
const pairs = (items: INodeExecutionData[]) =>
	items.map((item) => (item.pairedItem as { item: number }).item);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const requestsTo = (api: 'subscribe' | 'disassociate' | 'upload') =>
	sim.requests.filter((request) => request.api === api);
const recordsOf = (body: unknown) => (body as { d: Array<Record<string, unknown>> }).d;

const email = (i: number) => `person${i}@example.com`;
/** Two addresses that are not ones, at items 10 and 1200. */
const BAD: Record<number, string> = { 10: 'person10.example.com', 1200: 'person1200@example' };
const contacts = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ id: `crm-${i}`, email: BAD[i] ?? email(i) }));

const UNSUBSCRIBE = {
	resource: 'profile',
	operation: 'unsubscribe',
	channel: 'email',
	value: '={{ $json.email }}',
};

describe('Profile → Unsubscribe and Resubscribe', () => {
	test('1,500 unsubscribes with two bad addresses: 2 requests, exactly those two fail, the rest are unsubscribed', async () => {
		// Two profiles share person5's address: one as its email, one as an Email property.
		sim.addProfile({ objectId: '__ann', identity: 'ann', email: email(5) });
		sim.addProfile({ objectId: '__bob', identity: 'bob', profileData: { Email: email(5) } });
		sim.addProfile({ objectId: '__cy', identity: 'cy', email: 'cy@example.com' });

		const result = await run({
			items: contacts(1500),
			parameters: UNSUBSCRIBE,
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();

		const requests = requestsTo('subscribe');
		expect(requests.map((request) => [request.path, recordsOf(request.json).length])).toEqual([
			['/1/subscribe', 1000],
			['/1/subscribe', 498],
		]);
		expect(requests.map((request) => request.status)).toEqual([200, 200]);
		expect(recordsOf(requests[0].json)[0]).toEqual({
			type: 'email',
			value: email(0),
			status: 'Unsubscribe',
		});
		const sentValues = requests.flatMap((request) =>
			recordsOf(request.json).map((record) => record.value),
		);
		expect(sentValues).toEqual(
			range(0, 1500)
				.filter((i) => !(i in BAD))
				.map(email),
		);

		expect(jsons(result.errors)).toEqual([
			{ id: 'crm-10', email: BAD[10], error: '"person10.example.com" is not an email address' },
			{ id: 'crm-1200', email: BAD[1200], error: '"person1200@example" is not an email address' },
		]);
		expect(pairs(output(result, 1))).toEqual([10, 1200]);
		expect(result.success).toHaveLength(1498);
		expect(pairs(output(result))).toEqual(range(0, 1500).filter((i) => !(i in BAD)));
		expect(result.success[0].json).toEqual({
			id: 'crm-0',
			email: email(0),
			status: 'success',
			channel: 'email',
			value: email(0),
		});

		// CleverTap took every record it was sent; the addresses are unsubscribed, the bad ones untouched.
		expect(sim.stats().subscribeRecords).toBe(1498);
		expect(sim.stats().subscribeRecordsRefused).toBe(0);
		expect(
			range(0, 1500).filter((i) => sim.subscription('email', email(i)) !== 'unsubscribed'),
		).toEqual([10, 1200]);
		expect(sim.subscription('email', BAD[10])).toBeUndefined();
		expect(sim.subscription('email', 'cy@example.com')).toBeUndefined();
		// Every profile that has the address has it unsubscribed; others are untouched.
		for (const identity of ['ann', 'bob']) {
			expect(sim.profileSubscriptions({ identity })).toEqual([
				{ type: 'email', value: email(5), state: 'unsubscribed' },
			]);
		}
		expect(sim.profileSubscriptions({ identity: 'cy' })).toEqual([]);
		expect(sim.subscriptions().find((summary) => summary.value === email(5))).toEqual({
			type: 'email',
			value: email(5),
			state: 'unsubscribed',
			unsubscribes: 1,
			resubscribes: 0,
			profiles: 2,
		});
	});

	test('a resubscribe by phone, after an unsubscribe: the number is subscribed again; its WhatsApp is not touched', async () => {
		sim.addProfile({ identity: 'dee', profileData: { Phone: '+14155550123' } });
		const phone = (operation: string, channel: string) => ({
			resource: 'profile',
			operation,
			channel,
			value: '={{ $json.phone }}',
		});
		const items = [{ phone: '+1 (415) 555-0123' }];
		await run({ items, parameters: phone('unsubscribe', 'phone') });
		await run({ items, parameters: phone('unsubscribe', 'whatsapp') });
		expect(sim.subscription('phone', '+14155550123')).toBe('unsubscribed');

		const result = await run({
			items,
			parameters: phone('resubscribe', 'phone'),
			options: { includeInputFields: false },
		});
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual([
			{ status: 'success', channel: 'phone', value: '+14155550123' },
		]);
		expect(recordsOf(requestsTo('subscribe')[2].json)).toEqual([
			{ type: 'phone', value: '+14155550123', status: 'Resubscribe' },
		]);
		expect(sim.subscription('phone', '+14155550123')).toBe('subscribed');
		expect(sim.subscription('whatsapp', '+14155550123')).toBe('unsubscribed');
		expect(sim.subscriptions({ type: 'phone' })).toEqual([
			{
				type: 'phone',
				value: '+14155550123',
				state: 'subscribed',
				unsubscribes: 1,
				resubscribes: 1,
				profiles: 1,
			},
		]);
		expect(sim.profileSubscriptions({ identity: 'dee' })).toEqual(
			expect.arrayContaining([
				{ type: 'phone', value: '+14155550123', state: 'subscribed' },
				{ type: 'whatsapp', value: '+14155550123', state: 'unsubscribed' },
			]),
		);
	});

	test('without continue-on-fail a bad address stops the run before anything is sent', async () => {
		const result = await run({ items: contacts(20), parameters: UNSUBSCRIBE });
		expect(result.error?.message).toBe('"person10.example.com" is not an email address');
		expect(sim.requests).toEqual([]);
		expect(sim.subscriptions()).toEqual([]);
	});
});

describe('Profile → Disassociate Phone', () => {
	test('a phone identity leaves its profile, which stays; a phone that is only a property is refused for its item', async () => {
		sim.addProfile({
			objectId: '__eve',
			identities: ['eve@example.com', '+14155550123'],
			email: 'eve@example.com',
			events: [{ name: 'App Launched', date: '2026-11-20' }],
		});
		sim.addProfile({
			objectId: '__fay',
			identity: 'fay@example.com',
			profileData: { Phone: '+14155550199' },
		});

		const result = await run({
			items: [
				{ id: 'crm-eve', phone: '+1 (415) 555-0123' },
				{ id: 'crm-fay', phone: '+1 415 555 0199' },
			],
			parameters: {
				resource: 'profile',
				operation: 'disassociatePhone',
				phone: '={{ $json.phone }}',
			},
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		const requests = requestsTo('disassociate');
		expect(requests.map((request) => [request.path, request.json])).toEqual([
			[
				'/1/disassociate',
				{
					d: [
						{ type: 'phone', value: '+14155550123' },
						{ type: 'phone', value: '+14155550199' },
					],
				},
			],
		]);
		// The result's phone, as sent, takes the place of the input's.
		expect(jsons(result.success)).toEqual([
			{ id: 'crm-eve', phone: '+14155550123', status: 'success' },
		]);
		expect(pairs(output(result))).toEqual([0]);
		expect(jsons(result.errors)).toEqual([
			{
				id: 'crm-fay',
				phone: '+1 415 555 0199',
				error:
					'The phone number "+14155550199" was not disassociated: CleverTap did not take it (code 404: Phone number is not an identity of any profile: +14155550199)',
			},
		]);
		expect(pairs(output(result, 1))).toEqual([1]);

		// The number no longer finds Eve; her profile, its other identity and its events stay.
		expect(sim.disassociated).toEqual(new Map([['+14155550123', 1]]));
		expect(sim.findProfile({ identity: '+14155550123' })).toBeUndefined();
		const eve = sim.findProfile({ objectId: '__eve' });
		expect(eve?.identities).toEqual(['eve@example.com']);
		expect(sim.findProfile({ identity: 'eve@example.com' })?.objectId).toBe('__eve');
		expect(sim.eventCount('App Launched', 'eve@example.com')).toBe(1);
		// Fay keeps her Phone property.
		expect(sim.findProfile({ objectId: '__fay' })?.profileData.Phone).toBe('+14155550199');
		expect(sim.stats().disassociateRecordsRefused).toBe(1);
	});
});

describe('Event → Upload whose answer is lost after CleverTap recorded it', () => {
	/** Six events in requests of 2: [u0, u1], [u2, u3], [u4, u5], one at a time. */
	const events = range(0, 6).map((i) => ({ id: `crm-${i}`, user: `u${i}`, amount: 10 * i }));
	const UPLOAD = {
		resource: 'event',
		operation: 'upload',
		identifierType: 'identity',
		identifier: '={{ $json.user }}',
		eventName: 'Charged',
		dataMode: 'fields',
		fields: { custom: [{ name: 'Amount', value: '={{ $json.amount }}' }] },
	};
	const counts = () => events.map((event) => sim.eventCount('Charged', event.user));
	/** The second request's answer is lost, after CleverTap took it. */
	const loseSecond = (kind: LostKind = 'take-then-reset') =>
		sim.addFault({ kind, api: 'upload', times: 1, after: 1 });
	type LostKind = 'take-then-reset' | 'take-then-503';
	const LOST: Array<[LostKind, 'reset' | number, () => string]> = [
		[
			'take-then-reset',
			'reset',
			() =>
				`The connection to CleverTap at 127.0.0.1:${sim.port} broke off before the answer came (ECONNRESET)`,
		],
		['take-then-503', 503, () => 'CleverTap is unavailable for now (HTTP 503)'],
	];

	test.each(LOST)(
		'%s, Retry When Unsure on (default): sent again; exactly its items say resent, and CleverTap has those twice',
		async (kind, status) => {
			loseSecond(kind);
			const result = await run({
				items: events,
				parameters: UPLOAD,
				options: { batchSize: 2, concurrency: 1, includeInputFields: false },
				onError: 'continueErrorOutput',
			});
			expect(result.error).toBeUndefined();
			const uploads = requestsTo('upload');
			expect(
				uploads.map((request) => [
					recordsOf(request.json).map((record) => record.identity),
					request.status,
				]),
			).toEqual([
				[['u0', 'u1'], 200],
				[['u2', 'u3'], status],
				[['u2', 'u3'], 200],
				[['u4', 'u5'], 200],
			]);
			expect(uploads[1].lostStatus).toBe(200);
			expect(result.errors).toEqual([]);
			expect(jsons(result.success)).toEqual(
				events.map((event, i) => ({
					status: 'success',
					identifier: event.user,
					...(i === 2 || i === 3 ? { resent: true } : {}),
				})),
			);
			expect(pairs(output(result))).toEqual(range(0, 6));
			// The events of the request sent again are there twice: what resent: true warns of.
			expect(counts()).toEqual([1, 1, 2, 2, 1, 1]);
		},
	);

	test.each(LOST)(
		'%s, Retry When Unsure off: its items fail as "may have been recorded"; nothing is there twice',
		async (kind, _status, lostSummary) => {
			loseSecond(kind);
			const result = await run({
				items: events,
				parameters: UPLOAD,
				options: { batchSize: 2, concurrency: 1, retryWhenUnsure: false },
				onError: 'continueErrorOutput',
			});
			expect(result.error).toBeUndefined();
			const uploads = requestsTo('upload');
			expect(
				uploads.map((request) => recordsOf(request.json).map((record) => record.identity)),
			).toEqual([
				['u0', 'u1'],
				['u2', 'u3'],
				['u4', 'u5'],
			]);
			const summary = lostSummary();
			expect(jsons(result.errors)).toEqual(
				[2, 3].map((i) => ({
					...events[i],
					error: `The event record for identity "u${i}" may have been recorded: check in CleverTap before sending again (${summary}). ${UNSURE_HINT}`,
				})),
			);
			expect(pairs(output(result, 1))).toEqual([2, 3]);
			expect(jsons(result.success)).toEqual(
				[0, 1, 4, 5].map((i) => ({ ...events[i], status: 'success', identifier: `u${i}` })),
			);
			expect(result.success.some((item) => 'resent' in item.json)).toBe(false);
			// CleverTap did take the lost request, once: every event is there exactly once.
			expect(counts()).toEqual([1, 1, 1, 1, 1, 1]);
		},
	);

	test('Retry When Unsure off, without continue-on-fail: the run stops on the first unsure item, nothing sent twice', async () => {
		loseSecond();
		const result = await run({
			items: events,
			parameters: UPLOAD,
			options: { batchSize: 2, concurrency: 1, retryWhenUnsure: false },
		});
		expect(result.error?.message).toBe(
			`The event record for identity "u2" may have been recorded: check in CleverTap before sending again (The connection to CleverTap at 127.0.0.1:${sim.port} broke off before the answer came (ECONNRESET))`,
		);
		expect(requestsTo('upload')).toHaveLength(2);
		expect(counts()).toEqual([1, 1, 1, 1, 0, 0]);
	});
});
