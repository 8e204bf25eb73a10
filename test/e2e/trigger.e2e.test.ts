/**
 * The CleverTap Trigger in real n8n 1.x and 2.x, through the installed package, in n8n's server
 * (one per major, shared by every case): its production webhook /webhook/<webhookId>/webhook
 * called as CleverTap calls it. A broadcast of 500 people with Basic auth, answered 200 while the
 * workflow is held at a gate (so before it finished), one execution of 500 items; a single (non-broadcast) profile with lowercase
 * keys; a test call and CleverTap's retry answered 200 and starting nothing; a wrong or missing
 * password answered 401, a body that is not JSON or has no profiles 400, none starting anything.
 * Last, the example docs/examples/clevertap-trigger-to-crm.json: each person of a broadcast posted
 * once to a CRM (a loopback server here).
 *
 * "Started nothing" is seen, never waited for: after such a call another, distinct call is sent,
 * and once its execution has finished it must be the only new one.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { packedForSuite } from './support/packed';

const { ensureN8n, createN8nInstance } = require('../../scripts/lib/n8n-harness');
const { startN8nServer } = require('../../scripts/lib/n8n-server');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's REST JSON

const TRIGGER_TYPE = 'n8n-nodes-clevertap.cleverTapTrigger';
const BASIC_TYPE = 'cleverTapWebhookBasicAuthApi';
const USER = 'clevertap';
const PASSWORD = 'trigger-e2e-secret-5d1c93';
const CRM_KEY = 'crm-e2e-api-key-77a0';
const BASIC = { id: 'ctWebhookBasic01', name: 'CleverTap webhook', type: BASIC_TYPE };
const CRM = { id: 'crmApiKeyCred001', name: 'CRM API key', type: 'httpHeaderAuth' };
const TRIGGER_NODE = 'CleverTap Trigger';
const TRIGGER_WEBHOOK_ID = '7d3f0a52-8c1e-4b9a-a6f2-4e5d9c0b1a01';

const FORMAT_HINT =
	'In CleverTap, choose JSON as the webhook\'s format with the body "Profile variables & custom key value pairs".';
/**
 * n8n's answer (1.123 and 2.40) to a call the trigger starts a workflow for, on receipt. The
 * trigger's webhook declares `responseData: ''`: left out, n8n would send the text
 * 'firstEntryJson' (webhook-helpers.js evaluateResponseOptions → extractWebhookOnReceivedResponse).
 */
const STARTED = { message: 'Workflow was started' };
const FINISHED = (status: string) => !['new', 'running', 'waiting', 'unknown'].includes(status);

const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** A broadcast call as CleverTap's doc samples it: capitalised keys, `profiles` a list. */
function broadcast(count: number, { targetId, tag }: { targetId: number; tag: string }) {
	return {
		targetId,
		key_values: { Offer: 'WINTER20', Channel: 'crm' },
		profiles: Array.from({ length: count }, (_, i) => ({
			Identity: `${tag}-${i}`,
			Email: `${tag}${i}@example.com`,
			Name: `Person ${i}`,
			ObjectId: `__${tag}${i}`,
			Phone: `+1555${String(i).padStart(7, '0')}`,
			ProfileData: { Tier: i % 2 ? 'gold' : 'silver', 'Last Order': `$D_${1_700_000_000 + i}` },
			Event_properties: { 'Product Id': i, date: `$D_${1_664_890_781 + i}` },
			...(i === 0 ? { Key_values: { Offer: 'VIP30' } } : {}),
		})),
	};
}

/** The trigger's item for person `i` of `broadcast(…)`. */
function broadcastItem(call: Json, i: number) {
	const profile = call.profiles[i];
	return {
		identity: profile.Identity,
		email: profile.Email,
		objectId: profile.ObjectId,
		phone: profile.Phone,
		name: profile.Name,
		profileData: { Tier: profile.ProfileData.Tier, 'Last Order': iso(1_700_000_000 + i) },
		eventProperties: { 'Product Id': i, date: iso(1_664_890_781 + i) },
		keyValues: i === 0 ? { Offer: 'VIP30', Channel: 'crm' } : { Offer: 'WINTER20', Channel: 'crm' },
		campaignId: call.targetId,
		isTest: false,
		raw: profile,
	};
}

/** A non-broadcast call (any other webhook): `profiles` one object, lowercase keys. */
const single = (identity: string, targetId = 1_700_000_200) => ({
	targetId,
	key_values: { Offer: 'SPRING' },
	profiles: {
		identity,
		email: `${identity}@example.com`,
		name: 'Solo Person',
		objectId: `__${identity}`,
		phone: '+917872483227',
		profileData: { 'customer type': 'gold', multi: ['foo', 'bar'], joined: '$D_1664890781' },
		event_properties: { 'Product Id': 1, date: '$D_1664890781', 'CT Source': 'Mobile' },
		key_values: { Offer: 'SPRING-VIP' },
	},
});

/**
 * The trigger (Basic auth, default options, its own webhook id), then one request to the
 * downstream gate: while the gate holds, the workflow cannot finish.
 */
function triggerWorkflow(id: string, gateUrl: string) {
	return {
		id,
		name: 'CleverTap Trigger e2e',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-trigger`,
				name: TRIGGER_NODE,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: { authentication: 'basicAuth', options: {} },
				credentials: { [BASIC_TYPE]: { id: BASIC.id, name: BASIC.name } },
			},
			{
				id: `${id}-gate`,
				name: 'Gate',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				executeOnce: true,
				parameters: { url: gateUrl, options: {} },
			},
		],
		connections: { [TRIGGER_NODE]: { main: [[{ node: 'Gate', type: 'main', index: 0 }]] } },
	};
}

const EXAMPLE_FILE = path.join(__dirname, '../../docs/examples/clevertap-trigger-to-crm.json');
const CRM_PLACEHOLDER = 'https://crm.example.com/api/contacts';

/** The example as in the file, its credentials set to the imported ones and its URL to `crmUrl`. */
function crmExample(id: string, crmUrl: string) {
	const example = JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8')) as Json;
	const ids: Record<string, string> = { [BASIC_TYPE]: BASIC.id, httpHeaderAuth: CRM.id };
	return {
		...example,
		id,
		active: false,
		nodes: example.nodes.map((node: Json) => ({
			...node,
			...(node.credentials
				? {
						credentials: Object.fromEntries(
							Object.entries(node.credentials as Json).map(([type, ref]) => [
								type,
								{ ...ref, id: ids[type] },
							]),
						),
					}
				: {}),
			...(node.type === 'n8n-nodes-base.httpRequest'
				? { parameters: { ...node.parameters, url: `${crmUrl}/api/contacts` } }
				: {}),
		})),
	};
}

interface Received {
	method: string;
	url: string;
	apiKey: string | undefined;
	body: Json;
}

/**
 * What the workflows call on 127.0.0.1: the CRM (`/api/contacts`) and the trigger workflow's
 * gate (`/gate`). It records every request and answers 200, at once, or while `hold()` is on only
 * once released: a workflow waiting on it cannot have finished.
 */
async function startDownstream() {
	const requests: Received[] = [];
	let held: Array<() => void> | undefined;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body: Json = {};
			try {
				body = text ? JSON.parse(text) : {};
			} catch {
				body = { unparsed: text };
			}
			requests.push({
				method: req.method ?? '',
				url: req.url ?? '',
				apiKey: req.headers['x-api-key'] as string | undefined,
				body,
			});
			const answer = () => {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ ok: true }));
			};
			if (held) held.push(answer);
			else answer();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		/** From now on requests wait; `waiting()` counts them, `release()` answers them all. */
		hold() {
			held = [];
		},
		waiting: () => held?.length ?? 0,
		release() {
			const answers = held ?? [];
			held = undefined;
			for (const answer of answers) answer();
		},
		close: () =>
			new Promise<void>((resolve) => {
				held = undefined;
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const suite = packedForSuite('trigger-e2e');

describe.each([1, 2])('the CleverTap Trigger in real n8n %i.x', (major) => {
	const TRIGGER_ID = `ctTrigger${major}`.padEnd(16, 'x');
	const EXAMPLE_ID = `ctTrigCrm${major}`.padEnd(16, 'x');
	let server: Json | undefined;
	let downstream: Awaited<ReturnType<typeof startDownstream>> | undefined;
	let exampleWebhookId: string;

	beforeAll(async () => {
		downstream = await startDownstream();
		const n8n = await ensureN8n(major);
		const instance = createN8nInstance({
			n8n,
			userFolder: path.join(suite.workDir, `n8n-${major}`),
		});
		await instance.installPackage(suite.tarball);
		await instance.importCredentials([
			{ ...BASIC, data: { user: USER, password: PASSWORD } },
			{ ...CRM, data: { name: 'X-Api-Key', value: CRM_KEY } },
		]);
		const example = crmExample(EXAMPLE_ID, downstream.url);
		exampleWebhookId = example.nodes.find((node: Json) => node.type === TRIGGER_TYPE).webhookId;
		await instance.importWorkflow([triggerWorkflow(TRIGGER_ID, `${downstream.url}/gate`), example]);
		const started: Json = await startN8nServer({ instance });
		server = started;
		await started.activateWorkflow(TRIGGER_ID);
		await started.activateWorkflow(EXAMPLE_ID);
	}, 45 * 60_000);

	afterAll(async () => {
		await server?.stop();
		await downstream?.close();
	});

	/** A case whose failure also prints the end of n8n's log. */
	const run = (name: string, fn: () => Promise<void>) =>
		test(
			name,
			async () => {
				try {
					await fn();
				} catch (error) {
					const failure = error as Error;
					const original = failure.message;
					// Quoted, so that jest does not take the log's own "at …" lines for the stack.
					const log = String(server?.logTails(40))
						.split('\n')
						.map((line) => `  | ${line}`)
						.join('\n');
					failure.message = `${original}\n\nThe end of n8n's log:\n${log}`;
					if (failure.stack) failure.stack = failure.stack.replace(original, failure.message);
					throw failure;
				}
			},
			300_000,
		);

	/** A call to the test workflow's production URL, with the right Basic auth unless told. */
	function call(
		body: unknown,
		{ authorization = basic(USER, PASSWORD), text }: { authorization?: string; text?: string } = {},
	) {
		return server!.callWebhook(`${TRIGGER_WEBHOOK_ID}/webhook`, body, {
			headers: authorization ? { authorization } : {},
			text,
		});
	}

	/** The workflow's executions once there are at least `count`, all finished; newest first. */
	async function finished(workflowId: string, count: number): Promise<Json[]> {
		return server!.waitForExecutions(
			workflowId,
			(list: Json[]) =>
				list.length >= count && list.every((execution) => FINISHED(execution.status)),
			{ timeoutMs: 240_000 },
		);
	}

	async function triggerItems(executionId: string): Promise<Json[]> {
		const full = await server!.getExecution(executionId);
		const items = full.data?.resultData?.runData?.[TRIGGER_NODE]?.[0]?.data?.main?.[0];
		if (!Array.isArray(items))
			throw new Error(`execution ${executionId} has no trigger output: ${JSON.stringify(full)}`);
		return items.map((item: Json) => item.json);
	}

	let sentinels = 0;
	/**
	 * Proves the calls made since there were `before` executions started nothing: a distinct call
	 * sent now must start the only new execution.
	 */
	async function expectNothingStartedSince(before: number) {
		const identity = `after-${major}-${++sentinels}`;
		const answer = await call(single(identity));
		expect(answer).toMatchObject({ status: 200, body: STARTED });
		const list = await finished(TRIGGER_ID, before + 1);
		// Only the call just sent started a workflow.
		expect({ newExecutions: list.length - before }).toEqual({ newExecutions: 1 });
		expect((await triggerItems(list[0].id)).map((item) => item.identity)).toEqual([identity]);
	}

	const count = async () => (await server!.listExecutions(TRIGGER_ID)).length;

	run(
		'a broadcast of 500 people with Basic auth: answered 200 at once, one execution of 500 items read right',
		async () => {
			const before = await count();
			const body = broadcast(500, { targetId: 1_700_000_001, tag: `b${major}` });
			// The gate holds the workflow: an answer now came before the workflow finished.
			downstream!.hold();
			try {
				const answer = await call(body);
				expect(answer).toMatchObject({ status: 200, body: STARTED });
				const [running] = await server!.waitForExecutions(
					TRIGGER_ID,
					(list: Json[]) => list.length > before && downstream!.waiting() > 0,
					{ timeoutMs: 240_000 },
				);
				expect(running.status).toBe('running');
			} finally {
				downstream!.release();
			}
			const list = await finished(TRIGGER_ID, before + 1);
			expect(list).toHaveLength(before + 1);
			expect(list[0]).toMatchObject({ status: 'success', mode: 'webhook' });
			const items = await triggerItems(list[0].id);
			expect(items).toHaveLength(500);
			items.forEach((item, i) => expect({ i, item }).toEqual({ i, item: broadcastItem(body, i) }));
			// Spot checks of what the items are for: the person, the campaign, the dates.
			expect(items[7]).toMatchObject({
				identity: `b${major}-7`,
				email: `b${major}7@example.com`,
				campaignId: 1_700_000_001,
				keyValues: { Offer: 'WINTER20', Channel: 'crm' },
				profileData: { 'Last Order': '2023-11-14T22:13:27.000Z' },
			});
			const full = await server!.getExecution(list[0].id);
			expect(JSON.stringify(full)).not.toContain(PASSWORD);
			expect(JSON.stringify(full)).not.toContain(basic(USER, PASSWORD).slice(6));
			expect(server!.log('main')).not.toContain(PASSWORD);
		},
	);

	run('a single (non-broadcast) profile with lowercase keys: one item', async () => {
		const before = await count();
		const body = single(`solo-${major}`);
		const answer = await call(body);
		expect(answer).toMatchObject({ status: 200, body: STARTED });
		const list = await finished(TRIGGER_ID, before + 1);
		expect(list).toHaveLength(before + 1);
		expect(list[0].status).toBe('success');
		expect(await triggerItems(list[0].id)).toEqual([
			{
				identity: `solo-${major}`,
				email: `solo-${major}@example.com`,
				objectId: `__solo-${major}`,
				phone: '+917872483227',
				name: 'Solo Person',
				profileData: {
					'customer type': 'gold',
					multi: ['foo', 'bar'],
					joined: '2022-10-04T13:39:41.000Z',
				},
				eventProperties: {
					'Product Id': 1,
					date: '2022-10-04T13:39:41.000Z',
					'CT Source': 'Mobile',
				},
				keyValues: { Offer: 'SPRING-VIP' },
				campaignId: 1_700_000_200,
				isTest: false,
				raw: body.profiles,
			},
		]);
	});

	run("CleverTap's test call: answered 200, starts nothing", async () => {
		const before = await count();
		const testCall = {
			is_test: true,
			targetId: 1234,
			key_values: { key: 'value' },
			profiles: Array.from({ length: 5 }, (_, i) => ({
				Identity: `UserId${i}`,
				Email: `test${i}@example.com`,
				push_token: 'Token',
			})),
		};
		const answer = await call(testCall);
		expect(answer).toMatchObject({
			status: 200,
			body: { message: 'Test call received; no workflow started.' },
		});
		await expectNothingStartedSince(before);
	});

	run(
		"CleverTap's retry (the same broadcast again): answered 200, no second execution",
		async () => {
			const before = await count();
			const body = broadcast(500, { targetId: 1_700_000_002, tag: `r${major}` });
			const first = await call(body);
			expect(first).toMatchObject({ status: 200, body: STARTED });
			const list = await finished(TRIGGER_ID, before + 1);
			expect(list).toHaveLength(before + 1);
			expect(list[0].status).toBe('success');
			expect((await triggerItems(list[0].id)).map((item) => item.identity)).toEqual(
				body.profiles.map((profile) => profile.Identity),
			);

			// In n8n 2.40 only the trigger's memory in the process knows this call: WorkflowRunner.run()
			// builds another Workflow on the same static data object (establishContextForPersistence)
			// before the live webhook saves it, which resets its change flag, so the static data of a
			// call that starts a workflow is never saved (1.123 answers first and saves it).
			const again = await call(body);
			expect(again).toMatchObject({
				status: 200,
				body: { message: 'The same call came in the last 10 minutes; no workflow started.' },
			});
			await expectNothingStartedSince(before + 1);
		},
	);

	run('a wrong password and no credentials: 401, nothing started', async () => {
		const before = await count();
		const body = single(`intruder-${major}`);
		const wrong = await call(body, { authorization: basic(USER, 'not-the-password-at-all') });
		expect(wrong).toMatchObject({
			status: 401,
			body: { message: 'Wrong user name or password.' },
			headers: { 'www-authenticate': 'Basic realm="CleverTap Trigger"' },
		});
		const wrongUser = await call(body, { authorization: basic('someone', PASSWORD) });
		expect(wrongUser).toMatchObject({
			status: 401,
			body: { message: 'Wrong user name or password.' },
		});
		const none = await call(body, { authorization: '' });
		expect(none).toMatchObject({
			status: 401,
			body: { message: 'This webhook needs a user name and password (Basic auth).' },
			headers: { 'www-authenticate': 'Basic realm="CleverTap Trigger"' },
		});
		await expectNothingStartedSince(before);
	});

	run(
		'a body that is not JSON, and one without profiles: 400 with the reason, nothing started',
		async () => {
			const before = await count();
			const text = await call(undefined, { text: 'hello' });
			expect(text).toMatchObject({
				status: 400,
				body: { message: `The call's body is not JSON. ${FORMAT_HINT}` },
			});
			const noProfiles = await call({ targetId: 1_700_000_003, key_values: { Offer: 'X' } });
			expect(noProfiles).toMatchObject({
				status: 400,
				body: { message: `The call has no "profiles". ${FORMAT_HINT}` },
			});
			await expectNothingStartedSince(before);
		},
	);

	run(
		'the example clevertap-trigger-to-crm.json: each person of a 50-people broadcast updated in the CRM once',
		async () => {
			const file = JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8')) as Json;
			// As published: a placeholder URL and credentials by name only.
			expect(
				file.nodes.map((node: Json) => [node.type, node.parameters.url, node.credentials]),
			).toEqual([
				[TRIGGER_TYPE, undefined, { [BASIC_TYPE]: { id: '', name: 'CleverTap webhook' } }],
				[
					'n8n-nodes-base.httpRequest',
					CRM_PLACEHOLDER,
					{ httpHeaderAuth: { id: '', name: 'CRM API key' } },
				],
			]);

			const body = broadcast(50, { targetId: 1_700_000_050, tag: `crm${major}` });
			const answer = await server!.callWebhook(`${exampleWebhookId}/webhook`, body, {
				headers: { authorization: basic(USER, PASSWORD) },
			});
			expect(answer).toMatchObject({ status: 200, body: STARTED });
			const [execution] = await finished(EXAMPLE_ID, 1);
			const full = await server!.getExecution(execution.id);
			expect({ status: execution.status, error: full.data?.resultData?.error }).toEqual({
				status: 'success',
				error: undefined,
			});
			const expected = body.profiles.map((profile, i) => ({
				method: 'POST',
				url: '/api/contacts',
				apiKey: CRM_KEY,
				body: {
					identity: profile.Identity,
					email: profile.Email,
					name: profile.Name,
					campaignId: 1_700_000_050,
					profileData: broadcastItem(body, i).profileData,
				},
			}));
			const byIdentity = (a: Received, b: Received) =>
				String(a.body.identity).localeCompare(String(b.body.identity));
			const updates = downstream!.requests.filter((request) => request.url !== '/gate');
			expect([...updates].sort(byIdentity)).toEqual([...expected].sort(byIdentity));
			const times = new Map<string, number>();
			for (const request of updates)
				times.set(request.body.identity, (times.get(request.body.identity) ?? 0) + 1);
			expect([...times.values()].filter((n) => n !== 1)).toEqual([]);
			expect(times.size).toBe(50);
			expect(full.data.resultData.runData['Update CRM contact'][0].data.main[0]).toHaveLength(50);
		},
	);
});
