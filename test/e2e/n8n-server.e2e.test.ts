/**
 * The n8n server harness (scripts/lib/n8n-server.js) on its own, in its single-instance mode
 * (`n8n start`, sqlite) in real n8n 1.x and 2.x: what the queue-mode suite does not use of it
 * (single mode, stopping an execution) and what every suite relies on (activation, webhooks,
 * run data through REST, a clean stop).
 */
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
		const n8n = await ensureN8n(major);
		const instance = createN8nInstance({
			n8n,
			userFolder: path.join(suite.workDir, `n8n-${major}`),
		});
		await instance.installPackage(suite.tarball);
		await instance.importCredentials([credential]);
		await instance.importWorkflow(workflow);
		server = await startN8nServer({ instance });
		await server.activateWorkflow(workflow.id);
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

	test('stop() ends n8n: the process has exited and its port is free', async () => {
		const port = Number(new URL(server.url).port);
		expect(await listening(port)).toBe(true);
		await server.stop();
		expect(server.running('main')).toBe(false);
		await waitFor(async () => !(await listening(port)), { timeoutMs: 10_000, what: 'port free' });
		expect(server.log('main')).toContain('Editor is now accessible');
	});
});
