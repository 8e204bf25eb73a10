/**
 * The n8n server harness (scripts/lib/n8n-server.js) on its own, in its single-instance mode
 * (`n8n start`, sqlite) in real n8n 1.x and 2.x: what the queue-mode suite does not use of it
 * (single mode, stopping an execution) and what every suite relies on (activation, webhooks,
 * run data through REST, a clean stop). And the way to an endpoint the node lacks: n8n's HTTP
 * Request node with Predefined Credential Type → CleverTap API, and what the editor is given
 * for it (/types/credentials.json, /types/nodes.json).
 */
import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';

import { packedForSuite } from './support/packed';
import { startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance } = require('../../scripts/lib/n8n-harness');
const { startN8nServer } = require('../../scripts/lib/n8n-server');
const { webhookDemergeWorkflow } = require('../../scripts/lib/n8n-queue');
const { waitFor } = require('../../scripts/lib/services');
const { cleverTapCredential } = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's REST JSON

const PASSCODE = 'server-passcode-8e40';
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

/**
 * Webhook (GET, `?url=…`) → HTTP Request 4.2, Authentication "Predefined Credential Type",
 * Credential Type "CleverTap API": how a user calls a CleverTap endpoint the node lacks. The
 * Webhook answers with what the HTTP Request node returned.
 */
function httpRequestWorkflow({ id, credential }: { id: string; credential: Json }) {
	return {
		id,
		name: 'CleverTap endpoint through HTTP Request',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-wh`,
				name: 'Ask',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				parameters: {
					httpMethod: 'GET',
					path: 'clevertap-http',
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				id: `${id}-hr`,
				name: 'CleverTap API call',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: {
					url: '={{ $json.query.url }}',
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'cleverTapApi',
					options: {},
				},
				credentials: { cleverTapApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: { Ask: { main: [[{ node: 'CleverTap API call', type: 'main', index: 0 }]] } },
	};
}

const suite = packedForSuite('server');

/** Whether something still listens on a loopback port. */
const listening = (port: number) =>
	new Promise<boolean>((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});

describe.each([1, 2])('n8n server harness, single instance, real n8n %i.x', (major) => {
	let sim: Simulator;
	let server: Json;
	let workflow: Json;
	let httpWorkflow: Json;
	let countWorkflow: Json;

	beforeAll(async () => {
		sim = await startSimulator({ accounts: { 'ACC-S': PASSCODE }, latencyMs: 20 });
		const credential = cleverTapCredential({
			id: 'ctCredServer0001',
			name: 'CleverTap',
			accountId: 'ACC-S',
			passcode: PASSCODE,
			baseUrl: sim.url,
		});
		workflow = webhookDemergeWorkflow({
			id: `ctServerHook000${major}`,
			name: 'CRM contacts → demerge',
			webhookPath: 'crm-single',
			credential,
		});
		httpWorkflow = httpRequestWorkflow({ id: `ctServerHttp000${major}`, credential });
		// Webhook → CleverTap Report → Count Events: a count CleverTap may finish later, polled.
		countWorkflow = {
			id: `ctServerCount00${major}`,
			name: 'Count Charged',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: `ctServerCount00${major}-wh`,
					name: 'Ask',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: crypto.randomUUID(),
					parameters: {
						httpMethod: 'POST',
						path: 'count-single',
						responseMode: 'onReceived',
						options: {},
					},
				},
				{
					id: `ctServerCount00${major}-ct`,
					name: 'Count',
					type: 'n8n-nodes-clevertap.cleverTap',
					typeVersion: 1,
					position: [240, 0],
					parameters: {
						resource: 'report',
						operation: 'countEvents',
						eventName: 'Charged',
						from: '2026-11-25T00:00:00',
						to: '2026-11-28T00:00:00',
					},
					credentials: { [credential.type]: { id: credential.id, name: credential.name } },
				},
			],
			connections: { Ask: { main: [[{ node: 'Count', type: 'main', index: 0 }]] } },
		};
		const n8n = await ensureN8n(major);
		const instance = createN8nInstance({
			n8n,
			userFolder: path.join(suite.workDir, `n8n-${major}`),
		});
		await instance.installPackage(suite.tarball);
		await instance.importCredentials([credential]);
		await instance.importWorkflow([workflow, httpWorkflow, countWorkflow]);
		server = await startN8nServer({ instance });
		await server.activateWorkflow(workflow.id);
		await server.activateWorkflow(httpWorkflow.id);
		await server.activateWorkflow(countWorkflow.id);
	}, 20 * 60_000);

	afterAll(async () => {
		await server?.stop();
		await sim?.close();
	});

	test('a production webhook call runs the workflow; its run data reads back through REST', async () => {
		sim.reset();
		const answer = await server.callWebhook('crm-single', {
			contacts: [{ email: 'ann@example.com' }, { email: 'bob@example.com' }],
		});
		expect(answer).toMatchObject({ status: 200, body: { message: 'Workflow was started' } });
		const [execution] = await server.waitForExecutions(
			workflow.id,
			(list: Json[]) => list.length === 1 && list[0].status === 'success',
			{ timeoutMs: 60_000 },
		);
		const full = await server.getExecution(execution.id);
		const [ok, failed] = full.data.resultData.runData.CleverTap[0].data.main;
		expect(ok.map((item: Json) => item.json)).toEqual([
			{ email: 'ann@example.com', status: 'success', identities: ['ann@example.com'] },
			{ email: 'bob@example.com', status: 'success', identities: ['bob@example.com'] },
		]);
		expect(failed).toEqual([]);
		expect(sim.stats().identitiesDemerged).toBe(2);
	});

	test('an execution stopped through REST ends as canceled', async () => {
		sim.reset();
		// CleverTap never answers: the execution stays in the CleverTap node until it is stopped.
		sim.addFault({ kind: 'hang', times: Infinity });
		await server.callWebhook('crm-single', { contacts: [{ email: 'cy@example.com' }] });
		const running = await server.waitForExecutions(
			workflow.id,
			(list: Json[]) => list.some((e) => e.status === 'running') && sim.stats().byStatus.hung >= 1,
			{ timeoutMs: 60_000 },
		);
		const { id } = running.find((e: Json) => e.status === 'running');
		await server.stopExecution(id);
		const list = await server.waitForExecutions(
			workflow.id,
			(all: Json[]) => all.find((e) => e.id === id)?.status === 'canceled',
			{ timeoutMs: 60_000 },
		);
		expect(list.find((e: Json) => e.id === id).status).toBe('canceled');
		sim.clearFaults();
	});

	test('cancelling a running demerge: nothing more is sent, and what went through is kept', async () => {
		sim.reset();
		sim.setLatency(300);
		const contacts = Array.from({ length: 1000 }, (_, i) => ({ email: `stop${i}@example.com` }));
		await server.callWebhook('crm-single', { contacts });
		// Stop it once CleverTap has answered two of its ten requests.
		const [running] = await server.waitForExecutions(
			workflow.id,
			(list: Json[]) =>
				list.some((e) => e.status === 'running') &&
				sim.requests.filter((r) => r.api === 'demerge' && r.status === 200).length >= 2,
			{ timeoutMs: 60_000 },
		);
		await server.stopExecution(running.id);
		await server.waitForExecutions(
			workflow.id,
			(all: Json[]) => all.find((e) => e.id === running.id)?.status === 'canceled',
			{ timeoutMs: 60_000 },
		);
		const sentByTheStop = sim.requests.filter((r) => r.api === 'demerge').length;
		// A run after it, to the end: anything the cancelled run still sent would have arrived by then.
		sim.setLatency(0);
		await server.callWebhook('crm-single', { contacts: [{ email: 'after@example.com' }] });
		await server.waitForExecutions(
			workflow.id,
			(all: Json[]) =>
				all.some(
					(e) => e.id !== running.id && e.status === 'success' && Number(e.id) > Number(running.id),
				),
			{ timeoutMs: 60_000 },
		);
		const cancelled = sim.requests.filter(
			(r) => r.api === 'demerge' && String(r.identities?.[0]).startsWith('stop'),
		);
		expect(cancelled.length).toBe(sentByTheStop);
		// Ten requests of 100 at 300 ms, three at a time: cancelled well before the end.
		expect(cancelled.length).toBeLessThan(10);
		expect(sim.stats().identitiesDemerged).toBe(
			cancelled.filter((r) => r.status === 200).length * 100 + 1,
		);
	});

	test('cancelling a count CleverTap is still working on: the polls stop with the execution', async () => {
		sim.reset();
		sim.setCountPolls(100_000);
		await server.callWebhook('count-single', {});
		const polls = () =>
			sim.requests.filter((r) => r.api === 'eventCount' && r.method === 'GET' && r.status === 200);
		// Stop it once CleverTap has been asked twice whether the count is ready.
		const running = await server.waitForExecutions(
			countWorkflow.id,
			(list: Json[]) => list.some((e) => e.status === 'running') && polls().length >= 2,
			{ timeoutMs: 60_000 },
		);
		const { id } = running.find((e: Json) => e.status === 'running');
		const reqId = polls()[0].query.req_id;
		await server.stopExecution(id);
		await server.waitForExecutions(
			countWorkflow.id,
			(all: Json[]) => all.find((e) => e.id === id)?.status === 'canceled',
			{ timeoutMs: 60_000 },
		);
		const cancelledPolls = () => polls().filter((r) => r.query.req_id === reqId);
		const pollsByTheStop = cancelledPolls().length;
		const lastPollAt = cancelledPolls()[pollsByTheStop - 1].startedAt;
		// A run after it, to the end: a count ready on the 4th poll, pausing 1 + 1.5 + 2.25 + 3.4 s,
		// longer than the pause before the cancelled run's next poll would have been.
		sim.setCountPolls(4);
		await server.callWebhook('count-single', {});
		const later = await server.waitForExecutions(
			countWorkflow.id,
			(all: Json[]) =>
				all.some((e) => e.status === 'success' && Number(e.id) > Number(id)) &&
				!all.some((e) => e.status === 'running'),
			{ timeoutMs: 60_000 },
		);
		const after = later.find((e: Json) => Number(e.id) > Number(id));
		const ran = await server.getExecution(after.id);
		expect(
			ran.data.resultData.runData.Count[0].data.main[0].map((item: Json) => item.json),
		).toEqual([{ count: 0, eventName: 'Charged', from: '2026-11-25', to: '2026-11-28' }]);
		const afterPolls = polls().filter((r) => r.query.req_id !== reqId);
		expect(afterPolls).toHaveLength(4);
		// The window watched was longer than the next pause of the cancelled run (1 s × 1.5 per poll).
		expect((afterPolls[3].startedAt - lastPollAt) / 1000).toBeGreaterThan(1.5 ** pollsByTheStop);
		// Nothing more of the cancelled query (n8n also aborts the node's requests once it is cancelled).
		expect(cancelledPolls()).toHaveLength(pollsByTheStop);
		expect(pollsByTheStop).toBeGreaterThanOrEqual(2);
		expect(sim.requests.filter((r) => r.api === 'eventCount' && r.method === 'POST')).toHaveLength(
			2,
		);
	});

	/** Runs the HTTP Request workflow for `url`; returns the webhook's answer and the run. */
	async function callThroughHttpRequest(url: string) {
		const before = (await server.listExecutions(httpWorkflow.id)).length;
		const answer = await server.callWebhook(
			`clevertap-http?${new URLSearchParams({ url })}`,
			undefined,
			{ method: 'GET' },
		);
		const [latest] = await server.waitForExecutions(
			httpWorkflow.id,
			(list: Json[]) => list.length > before && list[0].status !== 'running',
			{ timeoutMs: 60_000 },
		);
		const execution = await server.getExecution(latest.id);
		// n8n's output: what its log printed, and the run data the editor shows.
		expect(server.log('main')).not.toContain(PASSCODE);
		expect(JSON.stringify(execution)).not.toContain(PASSCODE);
		return { answer, execution };
	}

	test('HTTP Request with Predefined Credential Type → CleverTap API: the full URL of the region gets the profile, signed by the credential', async () => {
		sim.reset();
		sim.addProfile({
			objectId: '__http1',
			identity: 'ann-http@example.com',
			email: 'ann-http@example.com',
			name: 'Ann Http',
		});
		const { answer, execution } = await callThroughHttpRequest(
			`${sim.url}/1/profile.json?identity=ann-http@example.com`,
		);
		expect(execution.status).toBe('success');
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			status: 'success',
			record: {
				identity: 'ann-http@example.com',
				email: 'ann-http@example.com',
				name: 'Ann Http',
				profileData: {},
				platformInfo: [{ platform: 'Web', objectId: '__http1' }],
			},
		});
		expect(sim.requests.map((r) => [r.method, r.path, r.query.identity, r.status])).toEqual([
			['GET', '/1/profile.json', 'ann-http@example.com', 200],
		]);
		expect(sim.requests[0].headers['x-clevertap-account-id']).toBe('ACC-S');
		expect(sim.requests[0].headers['x-clevertap-passcode']).toBe(PASSCODE);
	});

	test("HTTP Request does not apply the credential's base URL: a path alone fails, nothing is sent", async () => {
		sim.reset();
		const { execution } = await callThroughHttpRequest('/1/profile.json?identity=ann@example.com');
		expect(execution.status).toBe('error');
		expect(execution.data.resultData.error.message).toMatch(/invalid url/i);
		expect(sim.requests).toEqual([]);
	});

	test("the editor's lists: CleverTap API is a Predefined Credential Type, and n8n adds Custom API Call to the node", async () => {
		const types = async (name: string) => {
			const response = await fetch(`${server.url}/types/${name}.json`, {
				headers: { cookie: server.cookie },
			});
			expect(response.status).toBe(200);
			return (await response.json()) as Json[];
		};
		// The editor offers a credential under the HTTP Request node's Credential Type when its
		// entry here has `authenticate` (the node's 'has:authenticate'): n8n writes {} for a function.
		const credential = (await types('credentials')).find((c) => c.name === 'cleverTapApi');
		expect(credential?.authenticate).toEqual({});
		// Hidden by n8n because this package's node uses the credential: no extra node in the list.
		expect(credential?.httpRequestNode).toEqual({
			name: 'CleverTap',
			docsUrl: 'https://developer.clevertap.com/docs/api-overview',
			apiBaseUrlPlaceholder: 'https://eu1.api.clevertap.com/1/',
			hidden: true,
		});
		// For a node whose credential has `authenticate`, n8n appends "Custom API Call" to its
		// Resource and Operation lists (the node and its AI-tool variant). Choosing it, the editor
		// shows its own notice to use the HTTP Request node; the node itself has no such operation.
		const nodes = (await types('nodes')).filter((n) =>
			['n8n-nodes-clevertap.cleverTap', 'n8n-nodes-clevertap.cleverTapTool'].includes(n.name),
		);
		expect(nodes.map((n) => n.name).sort()).toEqual([
			'n8n-nodes-clevertap.cleverTap',
			'n8n-nodes-clevertap.cleverTapTool',
		]);
		for (const node of nodes) {
			const lists = node.properties.filter((p: Json) => ['resource', 'operation'].includes(p.name));
			// One Resource list and one Operation list per resource.
			const resources = lists.find((p: Json) => p.name === 'resource').options.length - 1;
			expect(resources).toBeGreaterThanOrEqual(3);
			expect(lists.map((p: Json) => p.name)).toEqual([
				'resource',
				...Array.from({ length: resources }, () => 'operation'),
			]);
			for (const list of lists)
				expect(list.options.at(-1)).toEqual({ name: 'Custom API Call', value: CUSTOM_API_CALL });
		}
	});

	test('stop() ends n8n: the process has exited and its port is free', async () => {
		const port = Number(new URL(server.url).port);
		expect(await listening(port)).toBe(true);
		await server.stop();
		expect(server.running('main')).toBe(false);
		await waitFor(async () => !(await listening(port)), { timeoutMs: 10_000, what: 'port free' });
		expect(server.log('main')).toContain('Editor is now accessible');
	});
});
