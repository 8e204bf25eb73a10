'use strict';
/**
 * Many workflow runs in one real n8n: `n8n start` once per suite and major serves every case,
 * where `n8n execute` would boot n8n for each (3 to 6 s of CPU a run on this machine).
 *
 *   await importForRuns(instance, workflows);                         // before the server starts
 *   const runs = await startRuns({ instance });
 *   const result = await runs.execute(workflowId);                    // as instance.execute(id)
 *   await runs.stop();
 *
 * startedByWebhook turns a workflow's Manual Trigger "Start" into a Webhook (POST run-<id>, answered
 * at once) followed by a Code node "Start" that hands on one empty item, as the Manual Trigger does:
 * every node after it sees the same input and the connections stay as they were. What execute()
 * returns has the shape instance.execute() gives: `code` 0 for a successful run and 1 otherwise,
 * `json` the run as `--rawOutput` prints it ({ status, mode, data: { resultData } }), `stdout` what
 * n8n logged while it ran (a test checks no passcode is there).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');

const { startN8nServer } = require('./n8n-server');

const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
const CALLER = 'Run (test harness)';
const ENDED = new Set(['success', 'error', 'crashed', 'canceled']);

const runPath = (workflowId) => `run-${workflowId}`;

/** The workflow with its Manual Trigger replaced by a Webhook and a Code node of the same name. */
function startedByWebhook(workflow) {
	const trigger = workflow.nodes.find((node) => node.type === MANUAL_TRIGGER);
	if (!trigger) return workflow;
	const [x, y] = trigger.position ?? [0, 0];
	const caller = {
		id: `${trigger.id}-run`,
		name: CALLER,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [x - 240, y],
		webhookId: crypto.randomUUID(),
		parameters: {
			httpMethod: 'POST',
			path: runPath(workflow.id),
			responseMode: 'onReceived',
			options: {},
		},
	};
	const start = {
		id: trigger.id,
		name: trigger.name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: trigger.position,
		parameters: { jsCode: 'return [{ json: {} }];' },
	};
	return {
		...workflow,
		nodes: [caller, ...workflow.nodes.map((node) => (node === trigger ? start : node))],
		connections: {
			[CALLER]: { main: [[{ node: trigger.name, type: 'main', index: 0 }]] },
			...workflow.connections,
		},
	};
}

/** Imports the workflows (startedByWebhook) in one CLI boot; do it before startRuns. */
function importForRuns(instance, workflows) {
	return instance.importWorkflow(workflows.map(startedByWebhook));
}

/** Starts n8n for the instance (its workflows imported with startedByWebhook) and runs them on call. */
async function startRuns({ instance, env, log }) {
	const server = await startN8nServer({ instance, env, log });
	const active = new Set();
	const { logFile } = server.processes.find((p) => p.role === 'main');
	/** What the main logged from byte `from` on. */
	const loggedSince = (from) => {
		const fd = fs.openSync(logFile, 'r');
		try {
			const size = fs.fstatSync(fd).size;
			const buffer = Buffer.alloc(Math.max(0, size - from));
			fs.readSync(fd, buffer, 0, buffer.length, from);
			return buffer.toString('utf8');
		} finally {
			fs.closeSync(fd);
		}
	};

	/** `watch(text)` is handed what n8n logged since the call, as it logs it. */
	async function execute(workflowId, { timeoutMs = 180_000, watch } = {}) {
		if (!active.has(workflowId)) {
			await server.activateWorkflow(workflowId);
			active.add(workflowId);
		}
		const earlier = new Set((await server.listExecutions(workflowId)).map((e) => e.id));
		const logFrom = fs.statSync(logFile).size;
		const started = Date.now();
		const answer = await server.callWebhook(runPath(workflowId), {});
		if (answer.status !== 200)
			throw new Error(
				`n8n did not start workflow ${workflowId}: ${answer.status} ${JSON.stringify(answer.body)}\n${server.logTails(20)}`,
			);
		const watcher = watch && setInterval(() => watch(loggedSince(logFrom)), 20);
		const ended = (list) => list.find((e) => !earlier.has(e.id) && ENDED.has(e.status));
		let execution;
		try {
			execution = ended(
				await server.waitForExecutions(workflowId, ended, { timeoutMs, intervalMs: 100 }),
			);
		} finally {
			if (watcher) clearInterval(watcher);
		}
		const { data, status, mode, startedAt, stoppedAt } = await server.getExecution(execution.id);
		return {
			code: status === 'success' ? 0 : 1,
			json: { status, mode, startedAt, stoppedAt, finished: status === 'success', data },
			stdout: loggedSince(logFrom),
			stderr: '',
			durationMs: Date.now() - started,
			executionId: execution.id,
		};
	}

	return { server, execute, stop: () => server.stop() };
}

module.exports = { importForRuns, startedByWebhook, startRuns };
