'use strict';
/**
 * A running real n8n for end-to-end suites: `n8n start` alone (sqlite), or queue mode (one
 * `n8n start` main and N `n8n worker` processes on Redis and PostgreSQL), driven through the REST
 * API the editor uses.
 *
 *   const { ensureN8n, createN8nInstance } = require('./n8n-harness');
 *   const instance = createN8nInstance({ n8n: await ensureN8n(2), userFolder, env: postgres?.env });
 *   await instance.installPackage(tarball); await instance.importCredentials([...]);
 *   await instance.importWorkflow(workflow);                    // all before the server starts
 *   const server = await startN8nServer({ instance });           // single instance, sqlite
 *   const server = await startN8nServer({ instance, queue: { redis, postgres }, workers: 2 });
 *
 * Every process listens on 127.0.0.1 on free ports chosen here: the main's N8N_PORT, each process's
 * task broker (N8N_RUNNERS_BROKER_PORT) and each worker's health server (QUEUE_HEALTH_CHECK_PORT);
 * those are all the ports n8n 1.123 and 2.40 open with their defaults. Each process runs in its own
 * process group (n8n 2.x starts a task-runner child) and logs to `<logDir>/<name>.log`.
 *
 * The server object:
 *   url                                   main's base URL (editor, REST, webhooks)
 *   processes                             [{ name, role: 'main'|'worker', pid, logFile, ports }]
 *   cookie                                owner session (set by startN8nServer, owner created)
 *   rest(method, path, body?)             REST call as the owner → the response's `data`; throws with status and body
 *   activateWorkflow(id)                  as the editor's Active/Publish switch: 1.x PATCH /rest/workflows/:id
 *                                         {active: true, versionId}; 2.x POST /rest/workflows/:id/activate {versionId},
 *                                         then waits for GET …/publication-status "published" (2.x webhooks 404 until then)
 *   callWebhook(path, body, {method, headers, text})  production webhook /webhook/<path> → { status, body, headers, ms };
 *                                         `body` is sent as JSON; `text` instead sends that raw text (content-type
 *                                         text/plain unless `headers` say otherwise); `headers` are added to the request
 *   listExecutions(workflowId)            GET /rest/executions (every page), newest first
 *   getExecution(id)                      GET /rest/executions/:id with its run data parsed (`flatted`) into `data`
 *   waitForExecutions(workflowId, until, {timeoutMs, intervalMs})  polls listExecutions until `until(list)` is truthy
 *   retryExecution(id, {loadWorkflow})    POST /rest/executions/:id/retry, as the executions list's Retry
 *                                         ("with original workflow" = loadWorkflow false); resolves when it ends
 *   stopExecution(id)                     POST /rest/executions/:id/stop
 *   running(name)                         whether that process is running
 *   kill(name, signal = 'SIGKILL')        signal one process's group and wait until it has exited
 *   startProcess(name)                    start a stopped/killed process again (same ports), wait until ready
 *   log(name) / logTails(lines)           a process's log text / the end of every log (for failure messages)
 *   stop({ timeoutMs })                   SIGTERM every process, SIGKILL what is left after the deadline
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { parse: parseFlatted } = require('flatted');

const { freePort } = require('./n8n-harness');
const { createOwner, rest: editorRest } = require('./n8n-editor');
const { waitFor } = require('./services');

/** Process groups still running, killed if the test process exits without stopping them. */
const live = new Set();
process.once('exit', () => {
	for (const pid of live) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
});

function exited(child) {
	return child.exitCode !== null || child.signalCode !== null;
}

/** Starts n8n (see the header) and returns the server object once every process is ready. */
async function startN8nServer({
	instance,
	queue,
	workers = queue ? 2 : 0,
	workerConcurrency,
	env = {},
	logDir = path.join(instance.userFolder, 'logs'),
	readyTimeoutMs = 300_000,
	log = () => {},
}) {
	const { n8n } = instance;
	fs.mkdirSync(logDir, { recursive: true });
	const shared = {
		...instance.env,
		...(queue ? { ...queue.postgres.env, ...queue.redis.env, EXECUTIONS_MODE: 'queue' } : {}),
		...env,
	};
	const mainPort = await freePort();
	const url = `http://127.0.0.1:${mainPort}`;

	const processes = [
		{
			name: 'main',
			role: 'main',
			args: ['start'],
			ports: { http: mainPort, broker: await freePort() },
		},
	];
	for (let i = 1; i <= workers; i++) {
		processes.push({
			name: `worker${i}`,
			role: 'worker',
			args: ['worker', ...(workerConcurrency ? [`--concurrency=${workerConcurrency}`] : [])],
			ports: { health: await freePort(), broker: await freePort() },
		});
	}
	for (const p of processes) {
		p.logFile = path.join(logDir, `${p.name}.log`);
		p.env = {
			...shared,
			N8N_RUNNERS_BROKER_PORT: String(p.ports.broker),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			...(p.role === 'main'
				? {
						N8N_PORT: String(mainPort),
						N8N_LISTEN_ADDRESS: '127.0.0.1',
						N8N_HOST: '127.0.0.1',
						N8N_PROTOCOL: 'http',
					}
				: {
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(p.ports.health),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
						// Workers share the user folder: each keeps its own event log file.
						N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${p.name}`,
					}),
		};
	}
	const byName = (name) => {
		const p = processes.find((x) => x.name === name);
		if (!p) throw new Error(`no n8n process "${name}" (have ${processes.map((x) => x.name)})`);
		return p;
	};
	const readLog = (p) => {
		try {
			return fs.readFileSync(p.logFile, 'utf8');
		} catch {
			return '';
		}
	};
	const logTails = (lines = 30) =>
		processes
			.map(
				(p) =>
					`--- ${p.name} (${p.logFile}) ---\n${readLog(p).split('\n').slice(-lines).join('\n')}`,
			)
			.join('\n');

	async function isReady(p) {
		const probe =
			p.role === 'main'
				? `${url}/rest/settings`
				: `http://127.0.0.1:${p.ports.health}/healthz/readiness`;
		const response = await fetch(probe).catch(() => undefined);
		// The main's /healthz answers seconds before the REST API is mounted: wait for JSON.
		if (p.role === 'main')
			return Boolean(response?.ok && response.headers.get('content-type')?.includes('json'));
		return response?.status === 200;
	}

	async function startProcess(name) {
		const p = byName(name);
		if (p.child && !exited(p.child)) throw new Error(`n8n ${name} is already running`);
		const out = fs.openSync(p.logFile, 'a');
		fs.writeSync(out, `\n=== ${new Date().toISOString()} n8n ${p.args.join(' ')} ===\n`);
		p.child = spawn(n8n.nodeBin, [n8n.n8nBin, ...p.args], {
			cwd: instance.userFolder,
			env: p.env,
			stdio: ['ignore', out, out],
			detached: true, // its own process group, so a kill takes its task runner too
		});
		fs.closeSync(out);
		p.pid = p.child.pid;
		live.add(p.pid);
		p.child.once('exit', () => live.delete(p.pid));
		const started = Date.now();
		await waitFor(
			async () => {
				if (exited(p.child))
					throw new Error(
						`n8n ${name} exited (${p.child.exitCode ?? p.child.signalCode}) while starting:\n${logTails(40)}`,
					);
				return isReady(p);
			},
			{
				timeoutMs: readyTimeoutMs,
				intervalMs: 300,
				what: `n8n ${name} ready`,
				details: () => logTails(40),
			},
		);
		log(`n8n ${n8n.version} ${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}

	/** Signals the whole process group and waits for the n8n process to exit. */
	async function kill(name, signal = 'SIGKILL', { timeoutMs = 30_000 } = {}) {
		const p = byName(name);
		if (!p.child || exited(p.child)) return;
		const gone = new Promise((resolve) => p.child.once('exit', resolve));
		const signalGroup = (s) => {
			try {
				process.kill(-p.child.pid, s);
			} catch {
				/* already gone */
			}
		};
		signalGroup(signal);
		const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
		await gone;
		clearTimeout(timer);
		// Whatever the process left in its group (a task runner) goes with it.
		signalGroup('SIGKILL');
	}

	async function stop({ timeoutMs = 20_000 } = {}) {
		await Promise.all(processes.map((p) => kill(p.name, 'SIGTERM', { timeoutMs })));
	}

	let cookie;
	const rest = (method, urlPath, body) => editorRest(url, cookie, method, urlPath, body);

	async function activateWorkflow(id) {
		const { versionId } = await rest('GET', `/workflows/${id}`);
		const workflow =
			n8n.major >= 2
				? await rest('POST', `/workflows/${id}/activate`, { versionId })
				: await rest('PATCH', `/workflows/${id}`, { active: true, versionId });
		if (!workflow.active && !workflow.activeVersionId)
			throw new Error(`workflow ${id} is not active after activation: ${JSON.stringify(workflow)}`);
		// 2.x publishes in the background (an outbox the main drains); its webhooks answer 404 until
		// the status the editor polls says "published".
		if (n8n.major >= 2) {
			let status;
			await waitFor(
				async () => {
					status = await rest('GET', `/workflows/${id}/publication-status`);
					if (status.status === 'failed' || status.status === 'partial')
						throw new Error(`workflow ${id} failed to publish: ${JSON.stringify(status)}`);
					return status.status === 'published';
				},
				{
					timeoutMs: 60_000,
					what: `workflow ${id} published`,
					details: () => JSON.stringify(status),
				},
			);
		}
		return workflow;
	}

	async function callWebhook(webhookPath, body, { method = 'POST', headers = {}, text } = {}) {
		const started = Date.now();
		const raw = text !== undefined;
		const response = await fetch(`${url}/webhook/${webhookPath}`, {
			method,
			headers: {
				'content-type': raw ? 'text/plain' : 'application/json',
				...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
			},
			body: raw ? text : body === undefined ? undefined : JSON.stringify(body),
		});
		const answer = await response.text();
		let parsed = answer;
		try {
			parsed = JSON.parse(answer);
		} catch {
			/* not JSON: keep the text */
		}
		return {
			status: response.status,
			body: parsed,
			headers: Object.fromEntries(response.headers),
			ms: Date.now() - started,
		};
	}

	async function listExecutions(workflowId) {
		const all = [];
		let lastId;
		for (;;) {
			const query = new URLSearchParams({ filter: JSON.stringify({ workflowId }), limit: '100' });
			if (lastId) query.set('lastId', lastId);
			const page = await rest('GET', `/executions?${query}`);
			all.push(...page.results);
			if (page.results.length < 100) return all;
			lastId = page.results[page.results.length - 1].id;
		}
	}

	async function getExecution(id) {
		const execution = await rest('GET', `/executions/${id}`);
		return {
			...execution,
			data: typeof execution.data === 'string' ? parseFlatted(execution.data) : execution.data,
		};
	}

	async function waitForExecutions(
		workflowId,
		until,
		{ timeoutMs = 300_000, intervalMs = 500 } = {},
	) {
		let last = [];
		return waitFor(
			async () => {
				last = await listExecutions(workflowId);
				return until(last) ? last : undefined;
			},
			{
				timeoutMs,
				intervalMs,
				what: `executions of workflow ${workflowId}`,
				details: () =>
					`Last seen: ${JSON.stringify(last.map(({ id, status, mode }) => ({ id, status, mode })))}\n${logTails(20)}`,
			},
		);
	}

	const server = {
		url,
		n8n,
		processes,
		get cookie() {
			return cookie;
		},
		rest,
		activateWorkflow,
		callWebhook,
		listExecutions,
		getExecution,
		waitForExecutions,
		retryExecution: (id, { loadWorkflow = false } = {}) =>
			rest('POST', `/executions/${id}/retry`, { loadWorkflow }),
		stopExecution: (id) => rest('POST', `/executions/${id}/stop`),
		running: (name) => Boolean(byName(name).child && !exited(byName(name).child)),
		kill,
		startProcess,
		log: (name) => readLog(byName(name)),
		logTails,
		stop,
	};

	try {
		// The main first: it owns the database migrations; the workers then boot side by side.
		await startProcess('main');
		await Promise.all(
			processes.filter((p) => p.role === 'worker').map((p) => startProcess(p.name)),
		);
		cookie = await createOwner(url);
	} catch (error) {
		await stop({ timeoutMs: 5000 });
		throw error;
	}
	return server;
}

module.exports = { startN8nServer };
