/**
 * Campaigns and messages through n8n-core's WorkflowExecute against the simulator: Send to Users
 * batched to 1,000 people a request (same message, same request), Trigger Campaign with its data
 * as text, and Campaign → Create, Get Many, Get Report and Stop. Never twice: a request is sent
 * again only when CleverTap surely did not take it (a 429, nothing listening); after a lost answer
 * (a reset, a 503, a hang) its items fail as "may have been sent" and nobody gets it twice. Last,
 * the example docs/examples/weekly-campaign-reports.json, started by hand.
 */
import fs from 'node:fs';
import path from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IConnections,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { CleverTap } from '../../nodes/CleverTap/CleverTap.node';
import { startSimulator, type FaultKind, type Simulator } from '../simulator';
import { closedPort, FAULT_TIMEOUT_MS, TIMEOUT_HINT } from '../support/faultCases';
import {
	runNodeWorkflow,
	TestCredentialsHelper,
	type WorkflowRunOptions,
} from '../support/workflowHarness';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Back-off is counted, not waited out.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const ACCOUNT = 'MESSAGES-ACCOUNT';
const PASSCODE = 'messages-secret-passcode-7d21';
const TRIGGER_CAMPAIGN = '1695721550';
/** What an item says when its request's answer was lost: look before sending again. */
const UNSURE_HINT =
	'The node did not send it again, so that CleverTap does not get it twice. Look in CleverTap whether it arrived (the campaign list, the message reports, the profile or its events) before you run it again.';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ accounts: { [ACCOUNT]: PASSCODE } });
});
afterEach(() => sim.reset());
afterAll(async () => await sim.close());

const host = () => `127.0.0.1:${sim.port}`;
const credentials = (baseUrl = sim.url): ICredentialDataDecryptedObject => ({
	accountId: ACCOUNT,
	passcode: PASSCODE,
	region: 'custom',
	baseUrl,
});

async function run(options: Partial<WorkflowRunOptions> & { baseUrl?: string }) {
	let requests = 0;
	const { baseUrl, beforeRequest, ...rest } = options;
	const result = await runNodeWorkflow({
		items: [{}],
		credentials: credentials(baseUrl),
		...rest,
		beforeRequest: async (n) => {
			requests = n;
			await beforeRequest?.(n);
		},
	});
	expect(result.serialised).not.toContain(PASSCODE);
	return { ...result, requests: () => requests };
}
type Run = Awaited<ReturnType<typeof run>>;

/** The CleverTap node's own output (0: main, 1: errors), as n8n kept it. */
const output = (result: Run, index = 0): INodeExecutionData[] =>
	result.run.data.resultData.runData.CleverTap?.[0]?.data?.main?.[index] ?? [];
const jsons = (items: INodeExecutionData[]) => items.map((item) => item.json);
const pairs = (items: INodeExecutionData[]) =>
	items.map((item) => (item.pairedItem as { item: number }).item);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const email = (i: number) => `person${i}@example.com`;
const contacts = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ id: `crm-${i}`, email: email(i) }));

/** The push every Send to Users case sends, by email. */
const PUSH = {
	resource: 'message',
	operation: 'send',
	channel: 'push',
	identifierType: 'email',
	identifier: '={{ $json.email }}',
	title: 'Your order is on its way',
	body: 'Track it in the app.',
	devices: ['android', 'ios'],
	channelId: 'orders',
	deepLink: 'myshop://orders',
};
const PUSH_CONTENT = {
	title: 'Your order is on its way',
	body: 'Track it in the app.',
	platform_specific: {
		android: { wzrk_cid: 'orders', deep_link: 'myshop://orders' },
		ios: { deep_link: 'myshop://orders' },
	},
};
const queued = (i: number) => ({
	id: `crm-${i}`,
	email: email(i),
	status: 'queued',
	channel: 'push',
	identifierType: 'email',
	identifier: email(i),
});
const sendRequests = () => sim.requests.filter((r) => r.api === 'send');
const emailsOf = (body: unknown) => (body as { to: { Email: string[] } }).to.Email;
/** Every person CleverTap took a send for, and how often. */
const reached = () =>
	Object.fromEntries(sim.recipients({ api: 'send' }).map((r) => [r.id, r.times]));
const everyoneOnce = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, 1]));
const unsure = (what: string, summary: string) =>
	`${what} may have been sent: check in CleverTap before sending again (${summary}). ${UNSURE_HINT}`;

describe('Message → Send to Users', () => {
	test('25 people in batches of 10: 3 requests of 10/10/5, everyone queued once, each item paired', async () => {
		const result = await run({ items: contacts(25), parameters: PUSH, options: { batchSize: 10 } });
		expect(result.error).toBeUndefined();
		const requests = sendRequests();
		expect(requests.map((r) => [r.path, emailsOf(r.json).length])).toEqual([
			['/1/send/push.json', 10],
			['/1/send/push.json', 10],
			['/1/send/push.json', 5],
		]);
		expect(requests[2].json).toEqual({
			to: { Email: range(20, 25).map(email) },
			content: PUSH_CONTENT,
			respect_frequency_caps: true,
		});
		expect(jsons(result.success)).toEqual(range(0, 25).map(queued));
		expect(pairs(output(result))).toEqual(range(0, 25));
		expect(result.errors).toEqual([]);
		expect(reached()).toEqual(everyoneOnce(range(0, 25).map(email)));
		expect(sim.stats()).toMatchObject({ sendsAccepted: 3, messagesQueued: 25 });
	});

	test('items with the same message share a request, the others get their own; one person listed twice is sent once', async () => {
		const items = [
			{ email: 'ann@example.com', vip: false },
			{ email: 'bob@example.com', vip: true },
			{ email: 'cy@example.com', vip: false },
			{ email: 'ann@example.com', vip: false },
			{ email: 'dee@example.com', vip: true },
		];
		const result = await run({
			items,
			parameters: {
				...PUSH,
				channel: 'email',
				subject: '={{ $json.vip ? "Your VIP offer" : "Your offer" }}',
				body: '<p>20% off this week</p>',
				senderName: 'My Shop',
			},
			options: { providerNickname: 'Main ESP', respectFrequencyCaps: false },
		});
		expect(result.error).toBeUndefined();
		expect(sendRequests().map((r) => [r.path, r.json])).toEqual([
			[
				'/1/send/email.json',
				{
					to: { Email: ['ann@example.com', 'cy@example.com'] },
					content: {
						subject: 'Your offer',
						body: '<p>20% off this week</p>',
						sender_name: 'My Shop',
					},
					respect_frequency_caps: false,
					provider_nick_name: 'Main ESP',
				},
			],
			[
				'/1/send/email.json',
				{
					to: { Email: ['bob@example.com', 'dee@example.com'] },
					content: {
						subject: 'Your VIP offer',
						body: '<p>20% off this week</p>',
						sender_name: 'My Shop',
					},
					respect_frequency_caps: false,
					provider_nick_name: 'Main ESP',
				},
			],
		]);
		expect(result.success.map((item) => [item.json.identifier, item.json.status])).toEqual(
			items.map((item) => [item.email, 'queued']),
		);
		expect(pairs(output(result))).toEqual([0, 1, 2, 3, 4]);
		expect(
			Object.fromEntries(sim.recipients({ channel: 'email' }).map((r) => [r.id, r.times])),
		).toEqual(
			everyoneOnce(['ann@example.com', 'cy@example.com', 'bob@example.com', 'dee@example.com']),
		);
	});

	test('Dry Run sends nothing and shows, per item, to whom and what, and in which request', async () => {
		const result = await run({
			items: contacts(5),
			parameters: PUSH,
			options: { batchSize: 2, dryRun: true },
		});
		expect(sim.requests).toEqual([]);
		expect(jsons(result.success)).toEqual(
			range(0, 5).map((i) => {
				const request = Math.floor(i / 2) + 1;
				return {
					id: `crm-${i}`,
					email: email(i),
					status: 'dryRun',
					message: `Nothing was sent (Dry Run is on). Without Dry Run, request ${request} of 3 would send this to CleverTap.`,
					channel: 'push',
					to: { Email: [email(i)] },
					content: PUSH_CONTENT,
					requests: [request],
					requestCount: 3,
					url: `${sim.url}/1/send/push.json`,
				};
			}),
		);
		expect(result.run.data.resultData.runData.CleverTap[0].hints).toEqual([
			{
				message:
					'Dry Run is on: nothing was sent to CleverTap. It would take 3 requests. Turn off Dry Run under Options to send them.',
				type: 'warning',
				location: 'outputPane',
			},
		]);
	});

	describe('a push to Android without its channel fails its items before anything is sent', () => {
		const noChannel = { ...PUSH, channelId: '' };
		const message = 'A push to Android needs an Android Channel ID';

		test('the node stops on the first item', async () => {
			const result = await run({ items: contacts(3), parameters: noChannel });
			expect(result.error?.message).toBe(message);
			expect(result.error?.description).toMatch(/^Android 8 and later show a push only/);
			expect(sim.requests).toEqual([]);
		});

		test('with the error output, every item is on it, and nothing is sent', async () => {
			const result = await run({
				items: contacts(3),
				parameters: noChannel,
				onError: 'continueErrorOutput',
			});
			expect(result.success).toEqual([]);
			expect(jsons(result.errors)).toEqual(
				contacts(3).map((contact) => ({ ...contact, error: message })),
			);
			expect(sim.requests).toEqual([]);
		});

		test('a push to iOS only needs none', async () => {
			const result = await run({
				items: contacts(2),
				parameters: { ...noChannel, devices: ['ios'] },
			});
			expect(result.success.map((item) => item.json.status)).toEqual(['queued', 'queued']);
			expect((sendRequests()[0].json as IDataObject).content).toEqual({
				title: PUSH.title,
				body: PUSH.body,
				platform_specific: { ios: { deep_link: 'myshop://orders' } },
			});
		});
	});

	describe('a lost answer: its request is not sent again, its items "may have been sent"', () => {
		const lost: Array<[string, FaultKind, () => string, IDataObject]> = [
			[
				'a reset after CleverTap took it',
				'take-then-reset',
				() =>
					`The connection to CleverTap at ${host()} broke off before the answer came (ECONNRESET)`,
				{},
			],
			[
				"a proxy's 503 after CleverTap took it",
				'take-then-503',
				() => 'CleverTap is unavailable for now (HTTP 503)',
				{},
			],
			[
				'no answer after CleverTap took it (the timeout)',
				'take-then-hang',
				() => `CleverTap at ${host()} did not answer within 1 second`,
				{ timeout: FAULT_TIMEOUT_MS },
			],
		];

		test.each(lost)(
			'%s, on the second of 3 requests: items 11–20 fail, the rest are queued, each person reached once',
			async (_name, kind, summary, options) => {
				sim.addFault({ kind, api: 'send', after: 1 });
				const result = await run({
					items: contacts(25),
					parameters: PUSH,
					options: { batchSize: 10, concurrency: 1, maxRetries: 3, ...options },
					onError: 'continueErrorOutput',
				});
				expect(result.error).toBeUndefined();
				// 3 requests: nothing sent again, though retries were allowed.
				expect(result.requests()).toBe(3);
				expect(sendRequests().map((r) => [emailsOf(r.json).length, r.fault])).toEqual([
					[10, undefined],
					[10, kind],
					[5, undefined],
				]);
				expect(sendRequests()[1].lostStatus).toBe(200);
				expect(jsons(result.success)).toEqual([...range(0, 10), ...range(20, 25)].map(queued));
				expect(jsons(result.errors)).toEqual(
					range(10, 20).map((i) => ({
						id: `crm-${i}`,
						email: email(i),
						error: unsure(`The push to email "${email(i)}"`, summary()),
					})),
				);
				expect(pairs(output(result, 1))).toEqual(range(10, 20));
				// CleverTap took the lost request too: everyone was reached, nobody twice.
				expect(reached()).toEqual(everyoneOnce(range(0, 25).map(email)));
			},
		);

		test('without continue-on-fail the node stops with "may have been sent" and what to check', async () => {
			sim.addFault({ kind: 'take-then-reset', api: 'send' });
			const result = await run({
				items: contacts(5),
				parameters: PUSH,
				options: { batchSize: 10 },
			});
			expect(result.error?.message).toBe(
				`The push to email "${email(0)}" may have been sent: check in CleverTap before sending again (The connection to CleverTap at ${host()} broke off before the answer came (ECONNRESET))`,
			);
			expect(result.error?.description).toBe(
				`${UNSURE_HINT} 0 of 5 people were sent before the node stopped.`,
			);
			expect(sendRequests()).toHaveLength(1);
			expect(reached()).toEqual(everyoneOnce(range(0, 5).map(email)));
		});

		test('no answer at all: the item says to look in CleverTap first, not to raise the Timeout', async () => {
			sim.addFault({ kind: 'take-then-hang', api: 'send' });
			const result = await run({
				items: contacts(1),
				parameters: PUSH,
				options: { timeout: FAULT_TIMEOUT_MS },
				onError: 'continueRegularOutput',
			});
			const text = String(result.success[0].json.error);
			expect(text).toContain(UNSURE_HINT);
			expect(text).not.toContain(TIMEOUT_HINT);
			expect(sendRequests()).toHaveLength(1);
		});
	});

	describe('sent again only when CleverTap surely did not take it', () => {
		test('a 429 on the first request: sent again, everyone reached exactly once, all queued', async () => {
			sim.addFault({ kind: '429', api: 'send' });
			const result = await run({
				items: contacts(25),
				parameters: PUSH,
				options: { batchSize: 10 },
			});
			expect(result.error).toBeUndefined();
			expect(sim.stats().faultsServed).toBe(1);
			expect(sendRequests().filter((r) => r.status === 429)).toHaveLength(1);
			expect(sendRequests().filter((r) => r.status === 200)).toHaveLength(3);
			expect(jsons(result.success)).toEqual(range(0, 25).map(queued));
			expect(reached()).toEqual(everyoneOnce(range(0, 25).map(email)));
		});

		test('nothing listening (ECONNREFUSED): sent again once CleverTap is up, everyone reached once', async () => {
			const port = await closedPort();
			let recovered: Simulator | undefined;
			try {
				const result = await run({
					baseUrl: `http://127.0.0.1:${port}`,
					items: contacts(5),
					parameters: PUSH,
					options: { maxRetries: 2 },
					// The first attempt finds nothing listening; CleverTap is up before the retry.
					beforeRequest: async (n) => {
						if (n === 2)
							recovered = await startSimulator({ port, accounts: { [ACCOUNT]: PASSCODE } });
					},
				});
				expect(result.error).toBeUndefined();
				expect(result.requests()).toBe(2);
				expect(result.success.map((item) => item.json.status)).toEqual(Array(5).fill('queued'));
				const server = recovered as Simulator;
				expect(server.requests).toHaveLength(1);
				expect(Object.fromEntries(server.recipients().map((r) => [r.id, r.times]))).toEqual(
					everyoneOnce(range(0, 5).map(email)),
				);
			} finally {
				await recovered?.close();
			}
		});
	});
});

describe('Message → Trigger Campaign', () => {
	const TRIGGER = {
		resource: 'message',
		operation: 'triggerCampaign',
		campaignId: TRIGGER_CAMPAIGN,
		identifierType: 'email',
		identifier: '={{ $json.email }}',
	};
	const triggerRequests = () => sim.requests.filter((r) => r.api === 'externalTrigger');

	test('items with the same data share a request, to lowercase, every value text; an object fails its item alone', async () => {
		sim.setExternalTriggerCampaigns([TRIGGER_CAMPAIGN]);
		const items = [
			{ email: 'ann@example.com', coupon: 'WINTER', amount: 10 },
			{ email: 'bob@example.com', coupon: 'SPRING', amount: 25 },
			{ email: 'cy@example.com', coupon: 'WINTER', amount: 10 },
			{ email: 'dee@example.com', coupon: { code: 'WINTER' }, amount: 10 },
			{ email: 'eve@example.com', coupon: 'WINTER', amount: 10, vip: true },
		];
		const result = await run({
			items,
			parameters: {
				...TRIGGER,
				dataMode: 'fields',
				fields: {
					custom: [
						{ name: 'coupon', value: '={{ $json.coupon }}' },
						{ name: 'amount', value: '={{ $json.amount }}' },
						{ name: 'vip', value: '={{ $json.vip }}' },
					],
				},
			},
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		expect(triggerRequests().map((r) => [r.path, r.json])).toEqual([
			[
				'/1/send/externaltrigger.json',
				{
					to: { email: ['ann@example.com', 'cy@example.com'] },
					campaign_id: TRIGGER_CAMPAIGN,
					ExternalTrigger: { coupon: 'WINTER', amount: '10' },
				},
			],
			[
				'/1/send/externaltrigger.json',
				{
					to: { email: ['bob@example.com'] },
					campaign_id: TRIGGER_CAMPAIGN,
					ExternalTrigger: { coupon: 'SPRING', amount: '25' },
				},
			],
			[
				'/1/send/externaltrigger.json',
				{
					to: { email: ['eve@example.com'] },
					campaign_id: TRIGGER_CAMPAIGN,
					ExternalTrigger: { coupon: 'WINTER', amount: '10', vip: 'true' },
				},
			],
		]);
		expect(jsons(result.success)).toEqual(
			[0, 1, 2, 4].map((i) => ({
				...items[i],
				status: 'queued',
				campaignId: TRIGGER_CAMPAIGN,
				identifierType: 'email',
				identifier: items[i].email,
			})),
		);
		expect(pairs(output(result))).toEqual([0, 1, 2, 4]);
		expect(jsons(result.errors)).toEqual([
			{
				...items[3],
				error:
					'The value of "coupon" is an object; CleverTap takes only text in a campaign\'s data',
			},
		]);
		expect(
			sim.recipients({ campaignId: TRIGGER_CAMPAIGN }).map((r) => [r.type, r.id, r.times]),
		).toEqual(
			['ann@example.com', 'cy@example.com', 'bob@example.com', 'eve@example.com'].map((id) => [
				'email',
				id,
				1,
			]),
		);
	});

	test('JSON data, by identity: numbers and true/false as text, each item its own data', async () => {
		const result = await run({
			items: [
				{ userId: 'u1', orderId: 'A-1', total: 19.5, express: true },
				{ userId: 'u2', orderId: 'A-2', total: 7, express: false },
			],
			parameters: {
				...TRIGGER,
				identifierType: 'identity',
				identifier: '={{ $json.userId }}',
				dataMode: 'json',
				json: '={{ { orderId: $json.orderId, total: $json.total, express: $json.express } }}',
			},
		});
		expect(result.error).toBeUndefined();
		expect(triggerRequests().map((r) => r.json)).toEqual([
			{
				to: { identity: ['u1'] },
				campaign_id: TRIGGER_CAMPAIGN,
				ExternalTrigger: { orderId: 'A-1', total: '19.5', express: 'true' },
			},
			{
				to: { identity: ['u2'] },
				campaign_id: TRIGGER_CAMPAIGN,
				ExternalTrigger: { orderId: 'A-2', total: '7', express: 'false' },
			},
		]);
		expect(result.success.map((item) => [item.json.identifier, item.json.status])).toEqual([
			['u1', 'queued'],
			['u2', 'queued'],
		]);
	});

	test('JSON data written as text', async () => {
		const result = await run({
			items: [{ userId: 'u1' }],
			parameters: {
				...TRIGGER,
				identifierType: 'identity',
				identifier: '={{ $json.userId }}',
				dataMode: 'json',
				json: '{"orderId": "A-9", "items": 3}',
			},
		});
		expect(result.error).toBeUndefined();
		expect(triggerRequests().map((r) => (r.json as IDataObject).ExternalTrigger)).toEqual([
			{ orderId: 'A-9', items: '3' },
		]);
	});

	test('a lost answer is not sent again: its items "may have been sent", the people reached once', async () => {
		sim.addFault({ kind: 'take-then-reset', api: 'externalTrigger' });
		const result = await run({
			items: contacts(3),
			parameters: { ...TRIGGER, dataMode: 'fields', fields: {} },
			options: { maxRetries: 3 },
			onError: 'continueErrorOutput',
		});
		expect(result.success).toEqual([]);
		expect(jsons(result.errors)).toEqual(
			contacts(3).map((contact) => ({
				...contact,
				error: unsure(
					`The campaign message to email "${contact.email}"`,
					`The connection to CleverTap at ${host()} broke off before the answer came (ECONNRESET)`,
				),
			})),
		);
		expect(triggerRequests()).toHaveLength(1);
		expect(sim.recipients({ api: 'externalTrigger' }).map((r) => r.times)).toEqual([1, 1, 1]);
	});

	test('a 429 is sent again: the people reached once', async () => {
		sim.addFault({ kind: '429', api: 'externalTrigger' });
		const result = await run({
			items: contacts(3),
			parameters: { ...TRIGGER, dataMode: 'fields', fields: {} },
		});
		expect(result.success.map((item) => item.json.status)).toEqual(['queued', 'queued', 'queued']);
		expect(triggerRequests().map((r) => r.status)).toEqual([429, 200]);
		expect(sim.recipients({ api: 'externalTrigger' }).map((r) => r.times)).toEqual([1, 1, 1]);
	});
});

describe('Campaign', () => {
	const DAY = 86_400_000;
	const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
	const yyyymmdd = (ms: number) => Number(isoDay(ms).replace(/-/g, ''));
	const CREATE = {
		resource: 'campaign',
		operation: 'create',
		name: 'Winter sale reminder',
		channel: 'push',
		audience: 'eventQuery',
		eventName: 'Added To Cart',
		from: '2026-11-20',
		to: '2026-11-27',
		eventProperties: { filter: [{ name: 'Category', operator: 'equals', value: 'Coats' }] },
		title: 'Still thinking about it?',
		body: 'Your coat is waiting.',
		devices: ['android', 'ios'],
		channelId: 'offers',
		when: 'now',
	};
	const CREATE_BODY = {
		name: 'Winter sale reminder',
		target_mode: 'push',
		where: {
			event_name: 'Added To Cart',
			from: 20261120,
			to: 20261127,
			event_properties: [{ name: 'Category', operator: 'equals', value: 'Coats' }],
		},
		content: {
			title: 'Still thinking about it?',
			body: 'Your coat is waiting.',
			platform_specific: { android: { wzrk_cid: 'offers' } },
		},
		devices: ['android', 'ios'],
		when: 'now',
		respect_frequency_caps: true,
	};
	const campaignRequests = () => sim.requests.filter((r) => r.api === 'campaigns');

	/** Five people who put a coat in their cart in the window, one a hat, one too early. */
	function seed() {
		for (let i = 0; i < 5; i++) {
			sim.addProfile({
				identity: `shopper${i}`,
				events: [{ name: 'Added To Cart', date: '2026-11-2' + i, data: { Category: 'Coats' } }],
			});
		}
		sim.addProfile({
			identity: 'hat',
			events: [{ name: 'Added To Cart', date: '2026-11-22', data: { Category: 'Hats' } }],
		});
		sim.addProfile({
			identity: 'early',
			events: [{ name: 'Added To Cart', date: '2026-11-01', data: { Category: 'Coats' } }],
		});
	}

	test('Estimate Only: the estimates per platform, nothing created', async () => {
		seed();
		const result = await run({ parameters: CREATE, options: { estimateOnly: true } });
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual([
			{ estimateOnly: true, name: 'Winter sale reminder', estimates: { android: 3, ios: 2 } },
		]);
		expect(campaignRequests().map((r) => [r.path, r.json])).toEqual([
			['/1/targets/create.json', { ...CREATE_BODY, estimate_only: true }],
		]);
		expect(sim.stats()).toMatchObject({ campaignsCreated: 0, campaignEstimates: 1 });
		expect(sim.campaigns).toEqual([]);
	});

	test('Create → Get Many → Get Report: not completed, then completed with its counts', async () => {
		seed();
		sim.setCampaignPendingResults(1);
		const created = await run({
			parameters: {
				...CREATE,
				audience: 'segment',
				segmentId: '1581498000',
				when: 'later',
				sendAt: '2026-12-24T09:30:00',
			},
			options: { labels: 'winter, reminders', respectFrequencyCaps: false },
		});
		expect(created.error).toBeUndefined();
		const [campaign] = sim.campaigns;
		expect(jsons(created.success)).toEqual([
			{
				status: 'created',
				campaignId: campaign.id,
				name: 'Winter sale reminder',
				estimates: { android: 4, ios: 3 },
			},
		]);
		expect(campaign.request).toEqual({
			...CREATE_BODY,
			where: undefined,
			segment: 1581498000,
			when: '20261224 09:30',
			respect_frequency_caps: false,
			labels: ['winter', 'reminders'],
		});
		expect(campaign).toMatchObject({ status: 'scheduled', scheduledOn: 202612240930 });
		expect(sim.stats().campaignsCreated).toBe(1);

		const now = Date.now();
		const listed = await run({
			parameters: {
				resource: 'campaign',
				operation: 'getMany',
				from: isoDay(now - DAY),
				to: isoDay(now + DAY),
			},
		});
		expect(jsons(listed.success)).toEqual([
			{
				campaignId: campaign.id,
				name: 'Winter sale reminder',
				scheduled_on: 202612240930,
				status: 'scheduled',
			},
		]);
		expect(campaignRequests().at(-1)?.json).toEqual({
			from: yyyymmdd(now - DAY),
			to: yyyymmdd(now + DAY),
		});

		const report = (items: IDataObject[]) =>
			run({
				items,
				parameters: {
					resource: 'campaign',
					operation: 'getReport',
					campaignId: '={{ $json.campaignId }}',
				},
			});
		const pending = await report(jsons(listed.success));
		expect(jsons(pending.success)).toEqual([{ campaignId: campaign.id, completed: false }]);

		sim.completeCampaign(campaign.id, { sent: 1200, clicked: 96 });
		const done = await report([{ campaignId: String(campaign.id) }]);
		expect(jsons(done.success)).toEqual([
			{ campaignId: campaign.id, completed: true, sent: 1200, clicked: 96 },
		]);

		expect(campaignRequests().map((r) => [r.path, r.json, r.status])).toEqual([
			['/1/targets/create.json', campaign.request, 200],
			['/1/targets/list.json', { from: yyyymmdd(now - DAY), to: yyyymmdd(now + DAY) }, 200],
			['/1/targets/result.json', { id: campaign.id }, 200],
			['/1/targets/result.json', { id: campaign.id }, 200],
		]);
	});

	test('Stop ends a campaign that is still running', async () => {
		seed();
		sim.setCampaignPendingResults(5);
		const created = await run({ parameters: CREATE });
		const { campaignId } = created.success[0].json;
		expect(sim.campaigns[0].status).toBe('running');
		const stopped = await run({
			items: [{ campaignId }],
			parameters: {
				resource: 'campaign',
				operation: 'stop',
				campaignId: '={{ $json.campaignId }}',
			},
		});
		expect(sim.campaigns[0].status).toBe('stopped');
		expect(sim.stats().campaignsStopped).toBe(1);
		expect(campaignRequests().at(-1)?.json).toEqual({ id: campaignId });
		expect(stopped.error).toBeUndefined();
		expect(jsons(stopped.success)).toEqual([{ campaignId, stopped: true }]);
	});

	const lostCreate = (kind: FaultKind, summary: () => string) => async () => {
		seed();
		sim.addFault({ kind, api: 'campaigns' });
		const result = await run({
			parameters: CREATE,
			options: { timeout: FAULT_TIMEOUT_MS, maxRetries: 3 },
		});
		expect(result.error?.message).toBe(
			`Campaign "Winter sale reminder" may have been created: check in CleverTap before sending again (${summary()})`,
		);
		expect(result.error?.description).toBe(UNSURE_HINT);
		expect(campaignRequests()).toHaveLength(1);
		expect(sim.stats().campaignsCreated).toBe(1);
	};

	test(
		'a lost answer to Create (a proxy\'s 503 after CleverTap made it): "may have been created", one request, one campaign',
		lostCreate('take-then-503', () => 'CleverTap is unavailable for now (HTTP 503)'),
	);

	test(
		'a lost answer to Create (a reset after CleverTap made it): "may have been created", one request, one campaign',
		lostCreate(
			'take-then-reset',
			() =>
				`The connection to CleverTap at ${host()} broke off before the answer came (ECONNRESET)`,
		),
	);

	test(
		'a lost answer to Create (no answer: the Timeout): "may have been created", one request, one campaign',
		lostCreate('take-then-hang', () => `CleverTap at ${host()} did not answer within 1 second`),
	);

	test('with the error output, a lost Create fails its item alone; the next campaign is created', async () => {
		seed();
		sim.addFault({ kind: 'take-then-reset', api: 'campaigns' });
		const result = await run({
			items: [{ name: 'First' }, { name: 'Second' }],
			parameters: { ...CREATE, name: '={{ $json.name }}' },
			options: { concurrency: 1 },
			onError: 'continueErrorOutput',
		});
		expect(jsons(result.errors)).toEqual([
			{
				name: 'First',
				error: `Campaign "First" may have been created: check in CleverTap before sending again (The connection to CleverTap at ${host()} broke off before the answer came (ECONNRESET)). ${UNSURE_HINT}`,
			},
		]);
		expect(result.success.map((item) => [item.json.name, item.json.status])).toEqual([
			['Second', 'created'],
		]);
		expect(campaignRequests()).toHaveLength(2);
		expect(sim.campaigns.map((c) => c.name)).toEqual(['First', 'Second']);
	});

	test('a 429 on Create is sent again: one campaign', async () => {
		seed();
		sim.addFault({ kind: '429', api: 'campaigns' });
		const result = await run({ parameters: CREATE });
		expect(result.error).toBeUndefined();
		expect(result.success[0].json).toMatchObject({
			status: 'created',
			campaignId: sim.campaigns[0].id,
		});
		expect(campaignRequests().map((r) => r.status)).toEqual([429, 200]);
		expect(sim.stats().campaignsCreated).toBe(1);
	});
});

/** A start node for a workflow run by hand: one empty item. */
class StartNode implements INodeType {
	description = {
		displayName: 'Start',
		name: 'start',
		group: ['trigger'],
		version: 1,
		description: 'Test start',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

/** Runs a whole workflow (CleverTap nodes and a start node) through WorkflowExecute. */
async function runWorkflow(nodes: INode[], connections: IConnections) {
	const types: Record<string, INodeType> = {
		'n8n-nodes-clevertap.cleverTap': new CleverTap(),
		'test.start': new StartNode(),
	};
	const nodeTypes = {
		getByName: (type: string) => types[type] as INodeType | IVersionedNodeType,
		getByNameAndVersion: (type: string) => types[type],
		getKnownTypes: () => ({}),
	} as INodeTypes;
	const workflow = new Workflow({
		id: 'weekly-reports',
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'execution-weekly', {
		id: 'weekly-reports',
		name: 'Weekly CleverTap campaign reports',
		nodes,
		connections,
		active: false,
		isArchived: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const finished = new Promise<IRun>((resolve) =>
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolve(fullRunData)),
	);
	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials()),
		executionId: 'execution-weekly',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		userId: 'user-test',
	} as unknown as IWorkflowExecuteAdditionalData;
	const start = nodes.find((node) => node.type === 'test.start') as INode;
	const runExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(
		workflow,
	);
	return await finished;
}

describe('the example docs/examples/weekly-campaign-reports.json, started by hand', () => {
	test("last week's two campaigns, each with its report: one completed, one still sending", async () => {
		const example = JSON.parse(
			fs.readFileSync(
				path.join(__dirname, '../../docs/examples/weekly-campaign-reports.json'),
				'utf8',
			),
		) as { nodes: INode[]; connections: Record<string, { main: unknown }> };
		const trigger = example.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger');
		expect(trigger?.name).toBe('Every Monday');
		// The Schedule trigger becomes a start by hand, under its name; the rest is as in the file.
		const nodes = example.nodes.map((node) =>
			node === trigger ? { ...node, type: 'test.start', typeVersion: 1, parameters: {} } : node,
		);

		// Two campaigns made three days ago (the simulator dates them by its clock).
		for (let i = 0; i < 4; i++) {
			sim.addProfile({
				identity: `shopper${i}`,
				events: [{ name: 'Added To Cart', date: '2026-11-2' + i }],
			});
		}
		const realNow = Date.now.bind(Date);
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() - 3 * 86_400_000);
		try {
			const create = (name: string) =>
				run({
					parameters: {
						resource: 'campaign',
						operation: 'create',
						name,
						channel: 'sms',
						audience: 'eventQuery',
						eventName: 'Added To Cart',
						from: '2026-11-20',
						to: '2026-11-27',
						body: 'Your cart misses you',
					},
				});
			await create('Cart reminder A');
			sim.setCampaignPendingResults(3);
			await create('Cart reminder B');
		} finally {
			clock.mockRestore();
		}
		const [a, b] = sim.campaigns;
		expect([a.name, a.status, b.name, b.status]).toEqual([
			'Cart reminder A',
			'completed',
			'Cart reminder B',
			'running',
		]);
		sim.completeCampaign(a.id, { sent: 4, clicked: 1 });

		const result = await runWorkflow(nodes, example.connections as unknown as IConnections);
		const runData = result.data.resultData.runData;
		expect(result.data.resultData.error).toBeUndefined();
		const main = (node: string) =>
			(runData[node]?.[0]?.data?.main?.[0] ?? []) as INodeExecutionData[];
		expect(jsons(main("Last week's campaigns"))).toEqual([
			{
				campaignId: a.id,
				name: 'Cart reminder A',
				scheduled_on: a.scheduledOn,
				status: 'completed',
			},
			{ campaignId: b.id, name: 'Cart reminder B', scheduled_on: b.scheduledOn, status: 'running' },
		]);
		expect(jsons(main('Their reports'))).toEqual([
			{ campaignId: a.id, completed: true, sent: 4, clicked: 1 },
			{ campaignId: b.id, completed: false },
		]);
		expect(pairs(main('Their reports'))).toEqual([0, 1]);
		// From a week ago to yesterday, as the example asks: the two campaigns' day is in it.
		const list = sim.requests.find((r) => r.path === '/1/targets/list.json');
		const { from, to } = list?.json as { from: number; to: number };
		expect(from).toBeLessThanOrEqual(a.createdDay);
		expect(to).toBeGreaterThanOrEqual(b.createdDay);
		expect(to).toBeLessThan(Number(new Date().toISOString().slice(0, 10).replace(/-/g, '')));
		expect(JSON.stringify(result)).not.toContain(PASSCODE);
	});
});
