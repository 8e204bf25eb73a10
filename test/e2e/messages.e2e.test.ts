/**
 * Campaigns and messages in real n8n 1.x and 2.x, through the installed package, against the
 * simulator: Send to Users for 2,500 people in 3 requests, everyone reached once; a lost answer
 * (CleverTap took the request, the answer never came) not sent again, its items "may have been
 * sent" on the error output; a 429 sent again; Campaign → Create (an estimate, then for real),
 * Get Many, Get Report before and after the campaign completed, and Stop; Trigger Campaign with
 * its data as text; a Create whose answer never comes. Last, the example
 * docs/examples/crm-to-send-to-users.json as users run it: n8n's server, its webhook called with
 * a CRM's contacts.
 * One `n8n start` per major runs every case, each started by a webhook (scripts/lib/n8n-runs.js).
 */
import fs from 'node:fs';
import path from 'node:path';

import { packedForSuite } from './support/packed';
import { startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance, describeRun } = require('../../scripts/lib/n8n-harness');
const { importForRuns, startRuns } = require('../../scripts/lib/n8n-runs');
const { cleverTapCredential, CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const PASSCODE = 'messages-passcode-4c81';
const ACCOUNT = 'MESSAGES';
const CREDENTIAL = { id: 'ctCredMsgs000001', name: 'CleverTap account' };
const PEOPLE = 2500;
const TRIGGER_CAMPAIGN = '1695721550';
const DAY = 86_400_000;
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

const email = (i: number) => `c${i}@example.com`;
const CONTACTS_JS = `return Array.from({ length: ${PEOPLE} }, (_, i) => ({ json: { id: 'crm-' + i, name: 'Contact ' + i, email: 'c' + i + '@example.com' } }));`;
const PUSH = {
	resource: 'message',
	operation: 'send',
	channel: 'push',
	identifierType: 'email',
	identifier: '={{ $json.email }}',
	title: 'Winter sale',
	body: '20% off this week',
	devices: ['android', 'ios'],
	channelId: 'offers',
	options: {},
};
const queued = (i: number) => ({
	id: `crm-${i}`,
	name: `Contact ${i}`,
	email: email(i),
	status: 'queued',
	channel: 'push',
	identifierType: 'email',
	identifier: email(i),
});
const everyoneOnce = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, 1]));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** The campaign every Create here makes: a push to who added a coat to their cart. */
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
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const yyyymmdd = (ms: number) => Number(isoDay(ms).replace(/-/g, ''));

/** The example as in the file, its credential set to the simulator's. */
function crmExample(id: string) {
	const file = path.join(__dirname, '../../docs/examples/crm-to-send-to-users.json');
	const example = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
	return {
		...example,
		id,
		active: false,
		nodes: example.nodes.map((node: Json) =>
			node.credentials?.[CREDENTIAL_TYPE]
				? { ...node, credentials: { [CREDENTIAL_TYPE]: CREDENTIAL } }
				: node,
		),
	};
}

const suite = packedForSuite('messages-e2e');

describe.each([1, 2])('campaigns and messages in real n8n %i.x', (major) => {
	let sim: Simulator;
	let instance: Json;
	let runs: Json;
	const id = (name: string) => `ct${name}${major}`.padEnd(16, 'x').slice(0, 16);
	// Get Many's days: the campaigns are made today (UTC), whatever n8n's time zone.
	const now = Date.now();

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
		const list = {
			resource: 'campaign',
			operation: 'getMany',
			from: isoDay(now - DAY),
			to: isoDay(now + DAY),
		};
		const report = {
			resource: 'campaign',
			operation: 'getReport',
			campaignId: '={{ $json.campaignId }}',
		};
		await importForRuns(instance, [
			workflow(
				id('Send'),
				[start, code('Contacts', CONTACTS_JS), cleverTap('Send', PUSH, 480, 'continueErrorOutput')],
				chain('Start', 'Contacts', 'Send'),
			),
			workflow(
				id('Campaign'),
				[
					start,
					cleverTap('Estimate', { ...CREATE, options: { estimateOnly: true } }, 240),
					cleverTap('Create', CREATE, 480),
					cleverTap('List', list, 720),
					cleverTap('Report', report, 960),
				],
				chain('Start', 'Estimate', 'Create', 'List', 'Report'),
			),
			workflow(
				id('Reports'),
				[start, cleverTap('List', list, 240), cleverTap('Report', report, 480)],
				chain('Start', 'List', 'Report'),
			),
			workflow(
				id('Stop'),
				[
					start,
					cleverTap('Create', CREATE, 240),
					cleverTap(
						'Stop',
						{ resource: 'campaign', operation: 'stop', campaignId: '={{ $json.campaignId }}' },
						480,
					),
				],
				chain('Start', 'Create', 'Stop'),
			),
			workflow(
				id('Trigger'),
				[
					start,
					code(
						'Orders',
						`return [
	{ email: 'ann@example.com', coupon: 'WINTER', amount: 10 },
	{ email: 'bob@example.com', coupon: 'SPRING', amount: 25 },
	{ email: 'cy@example.com', coupon: 'WINTER', amount: 10 },
	{ email: 'dee@example.com', coupon: { code: 'WINTER' }, amount: 10 },
	{ email: 'eve@example.com', coupon: 'WINTER', amount: 10 },
].map((json) => ({ json }));`,
					),
					cleverTap(
						'Trigger',
						{
							resource: 'message',
							operation: 'triggerCampaign',
							campaignId: TRIGGER_CAMPAIGN,
							identifierType: 'email',
							identifier: '={{ $json.email }}',
							dataMode: 'fields',
							fields: {
								custom: [
									{ name: 'coupon', value: '={{ $json.coupon }}' },
									{ name: 'amount', value: '={{ $json.amount }}' },
								],
							},
						},
						480,
						'continueErrorOutput',
					),
				],
				chain('Start', 'Orders', 'Trigger'),
			),
			workflow(
				id('CreateHang'),
				[start, cleverTap('Create', { ...CREATE, options: { timeout: 1000, maxRetries: 1 } }, 240)],
				chain('Start', 'Create'),
			),
			crmExample(id('CrmExample')),
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
		if (result.code !== (fails ? 1 : 0) || !result.json)
			throw new Error(`${sim.summary()}\n${describeRun(result)}`);
		const outputs = (node: string) => {
			const main = result.json.data.resultData.runData[node]?.[0]?.data?.main ?? [];
			return { success: (main[0] ?? []) as Json[], errors: (main[1] ?? []) as Json[] };
		};
		return { result, outputs };
	}

	const sends = () => sim.requests.filter((r) => r.api === 'send');
	const reached = () =>
		Object.fromEntries(sim.recipients({ api: 'send' }).map((r) => [r.id, r.times]));
	/** Seven people added to their cart in the window: five a coat, one a hat, one too early. */
	function seedShoppers() {
		for (let i = 0; i < 5; i++) {
			sim.addProfile({
				identity: `shopper${i}`,
				events: [{ name: 'Added To Cart', date: `2026-11-2${i}`, data: { Category: 'Coats' } }],
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

	test('Send to Users: 2,500 people in 3 requests of 1,000/1,000/500, each queued, paired, reached once', async () => {
		sim.reset();
		const { outputs } = await execute('Send');
		const { success, errors } = outputs('Send');
		expect(errors).toEqual([]);
		expect(success).toHaveLength(PEOPLE);
		success.forEach((item, i) => {
			expect(item.json).toEqual(queued(i));
			expect(item.pairedItem).toMatchObject({ item: i });
		});
		expect(
			sends()
				.map((r) => [r.path, r.status, r.identities?.length])
				.sort((a, b) => Number(b[2]) - Number(a[2])),
		).toEqual([
			['/1/send/push.json', 200, 1000],
			['/1/send/push.json', 200, 1000],
			['/1/send/push.json', 200, 500],
		]);
		expect(sends()[0].json).toMatchObject({
			content: {
				title: 'Winter sale',
				body: '20% off this week',
				platform_specific: { android: { wzrk_cid: 'offers' } },
			},
			respect_frequency_caps: true,
		});
		expect(reached()).toEqual(everyoneOnce(range(0, PEOPLE).map(email)));
		expect(sim.stats()).toMatchObject({ sendsAccepted: 3, messagesQueued: PEOPLE });
	}, 300_000);

	test('a lost answer (CleverTap took it, the connection reset): its 1,000 items "may have been sent" on the error output, nothing sent again', async () => {
		sim.reset();
		sim.addFault({ kind: 'take-then-reset', api: 'send', times: 1 });
		const { outputs } = await execute('Send');
		const { success, errors } = outputs('Send');
		const lost = sends().find((r) => r.fault === 'take-then-reset');
		const lostEmails = new Set(lost?.identities as string[]);
		expect(lostEmails.size).toBe(1000);
		// Nothing sent again: 3 requests, the lost one among them.
		expect(sends()).toHaveLength(3);
		expect(success).toHaveLength(PEOPLE - 1000);
		expect(errors).toHaveLength(1000);
		const lostItems = range(0, PEOPLE).filter((i) => lostEmails.has(email(i)));
		expect(errors.map((item) => item.json)).toEqual(
			lostItems.map((i) => ({
				id: `crm-${i}`,
				name: `Contact ${i}`,
				email: email(i),
				error: `The push to email "${email(i)}" may have been sent: check in CleverTap before sending again (The connection to CleverTap at 127.0.0.1:${sim.port} broke off before the answer came (ECONNRESET)). ${UNSURE_HINT}`,
			})),
		);
		expect(errors.map((item) => item.pairedItem)).toEqual(
			lostItems.map((i) => expect.objectContaining({ item: i })),
		);
		expect(success.map((item) => item.json)).toEqual(
			range(0, PEOPLE)
				.filter((i) => !lostEmails.has(email(i)))
				.map(queued),
		);
		// CleverTap took the lost request too: everyone reached, nobody twice.
		expect(reached()).toEqual(everyoneOnce(range(0, PEOPLE).map(email)));
	}, 300_000);

	test('a 429 on the first request: sent again, everyone reached exactly once, all queued', async () => {
		sim.reset();
		sim.addFault({ kind: '429', api: 'send', times: 1 });
		const { outputs } = await execute('Send');
		const { success, errors } = outputs('Send');
		expect(errors).toEqual([]);
		expect(success.map((item) => item.json)).toEqual(range(0, PEOPLE).map(queued));
		expect(
			sends()
				.map((r) => r.status)
				.sort(),
		).toEqual([200, 200, 200, 429]);
		expect(reached()).toEqual(everyoneOnce(range(0, PEOPLE).map(email)));
		expect(sim.stats().messagesQueued).toBe(PEOPLE);
	}, 300_000);

	test('Campaign: an estimate creates nothing; Create; Get Many lists it; Get Report not completed, then completed with its counts', async () => {
		sim.reset();
		seedShoppers();
		sim.setCampaignPendingResults(1);
		const first = await execute('Campaign');
		expect(first.outputs('Estimate').success.map((item) => item.json)).toEqual([
			{ estimateOnly: true, name: 'Winter sale reminder', estimates: { android: 3, ios: 2 } },
		]);
		const [campaign] = sim.campaigns;
		expect(sim.campaigns).toHaveLength(1);
		expect(sim.stats()).toMatchObject({ campaignEstimates: 1, campaignsCreated: 1 });
		expect(first.outputs('Create').success.map((item) => item.json)).toEqual([
			{
				status: 'created',
				campaignId: campaign.id,
				name: 'Winter sale reminder',
				estimates: { android: 3, ios: 2 },
			},
		]);
		expect(first.outputs('List').success.map((item) => item.json)).toEqual([
			{
				campaignId: campaign.id,
				name: 'Winter sale reminder',
				scheduled_on: campaign.scheduledOn,
				status: 'running',
			},
		]);
		expect(first.outputs('Report').success.map((item) => item.json)).toEqual([
			{ campaignId: campaign.id, completed: false },
		]);
		const days = { from: yyyymmdd(now - DAY), to: yyyymmdd(now + DAY) };
		expect(sim.requests.map((r) => [r.path, r.json])).toEqual([
			['/1/targets/create.json', { ...CREATE_BODY, estimate_only: true }],
			['/1/targets/create.json', CREATE_BODY],
			['/1/targets/list.json', days],
			['/1/targets/result.json', { id: campaign.id }],
		]);

		sim.completeCampaign(campaign.id, { sent: 1200, clicked: 96 });
		const second = await execute('Reports');
		expect(second.outputs('Report').success.map((item) => item.json)).toEqual([
			{ campaignId: campaign.id, completed: true, sent: 1200, clicked: 96 },
		]);
		expect(sim.stats().campaignsCreated).toBe(1);
	}, 300_000);

	test('Campaign → Stop: the running campaign is stopped, and the item says so', async () => {
		sim.reset();
		seedShoppers();
		sim.setCampaignPendingResults(5);
		const { outputs } = await execute('Stop');
		const [campaign] = sim.campaigns;
		expect(outputs('Stop').success.map((item) => item.json)).toEqual([
			{ campaignId: campaign.id, stopped: true },
		]);
		expect(campaign.status).toBe('stopped');
		expect(sim.stats().campaignsStopped).toBe(1);
	}, 300_000);

	test('Trigger Campaign: the same data shares a request, to in lowercase, values as text; an object fails its item alone', async () => {
		sim.reset();
		sim.setExternalTriggerCampaigns([TRIGGER_CAMPAIGN]);
		const { outputs } = await execute('Trigger');
		const { success, errors } = outputs('Trigger');
		expect(sim.requests.map((r) => [r.path, r.status, r.json])).toEqual([
			[
				'/1/send/externaltrigger.json',
				200,
				{
					to: { email: ['ann@example.com', 'cy@example.com', 'eve@example.com'] },
					campaign_id: TRIGGER_CAMPAIGN,
					ExternalTrigger: { coupon: 'WINTER', amount: '10' },
				},
			],
			[
				'/1/send/externaltrigger.json',
				200,
				{
					to: { email: ['bob@example.com'] },
					campaign_id: TRIGGER_CAMPAIGN,
					ExternalTrigger: { coupon: 'SPRING', amount: '25' },
				},
			],
		]);
		expect(success.map((item) => [item.json.identifier, item.json.status])).toEqual([
			['ann@example.com', 'queued'],
			['bob@example.com', 'queued'],
			['cy@example.com', 'queued'],
			['eve@example.com', 'queued'],
		]);
		expect(errors.map((item) => [item.json.email, item.json.error])).toEqual([
			[
				'dee@example.com',
				'The value of "coupon" is an object; CleverTap takes only text in a campaign\'s data',
			],
		]);
		expect(sim.recipients({ campaignId: TRIGGER_CAMPAIGN }).map((r) => r.times)).toEqual([
			1, 1, 1, 1,
		]);
	}, 300_000);

	test('a Create whose answer never comes (Timeout 1 s): the item fails "may have been created", one create request', async () => {
		sim.reset();
		seedShoppers();
		sim.addFault({ kind: 'take-then-hang', api: 'campaigns', times: 1 });
		const { result } = await execute('CreateHang', { fails: true });
		// CleverTap took it, then never answered.
		expect(sim.requests[0]).toMatchObject({ path: '/1/targets/create.json', status: 'hung' });
		const error = result.json.data.resultData.error;
		expect(error.message).toBe(
			`Campaign "Winter sale reminder" may have been created: check in CleverTap before sending again (CleverTap at 127.0.0.1:${sim.port} did not answer within 1 second)`,
		);
		expect(error.description).toBe(UNSURE_HINT);
		expect(sim.requests.filter((r) => r.path === '/1/targets/create.json')).toHaveLength(1);
		expect(sim.stats().campaignsCreated).toBe(1);
	}, 300_000);

	test("the example crm-to-send-to-users.json in n8n's server: a CRM posts 1,500 contacts, each gets the push once", async () => {
		sim.reset();
		const n8nServer: Json = runs.server;
		const workflowId = id('CrmExample');
		await n8nServer.activateWorkflow(workflowId);
		const contacts = Array.from({ length: 1500 }, (_, i) => ({
			email: `shopper${i}@example.com`,
			name: `Shopper ${i}`,
			orderId: `SO-${10_000 + i}`,
		}));
		const answer = await n8nServer.callWebhook('order-shipped', { contacts });
		expect(answer).toMatchObject({ status: 200, body: { message: 'Workflow was started' } });
		const [execution] = await n8nServer.waitForExecutions(
			workflowId,
			(list: Json[]) =>
				list.length === 1 && list[0].status !== 'running' && list[0].status !== 'new',
			{ timeoutMs: 120_000 },
		);
		expect(execution.status).toBe('success');
		const full = await n8nServer.getExecution(execution.id);
		const [ok, failed] = full.data.resultData.runData['Send push'][0].data.main;
		expect(failed ?? []).toEqual([]);
		expect(ok.map((item: Json) => item.json)).toEqual(
			contacts.map((contact) => ({
				...contact,
				status: 'queued',
				channel: 'push',
				identifierType: 'email',
				identifier: contact.email,
			})),
		);
		expect(
			sends()
				.map((r) => [r.path, r.identities?.length])
				.sort((a, b) => Number(b[1]) - Number(a[1])),
		).toEqual([
			['/1/send/push.json', 1000],
			['/1/send/push.json', 500],
		]);
		expect(sends()[0].json).toMatchObject({
			content: {
				title: 'Your order is on its way',
				body: 'Track it in the app.',
				platform_specific: {
					android: { wzrk_cid: 'orders', deep_link: 'myshop://orders' },
					ios: { deep_link: 'myshop://orders' },
				},
			},
		});
		expect(reached()).toEqual(everyoneOnce(contacts.map((contact) => contact.email)));
		expect(n8nServer.log('main')).not.toContain(PASSCODE);
		expect(JSON.stringify(full)).not.toContain(PASSCODE);
	}, 300_000);
});
