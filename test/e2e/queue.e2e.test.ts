/**
 * n8n's queue mode, as teams that outgrow one n8n process run it: a main takes the CRM's webhook
 * calls and queues executions in Redis, two workers run them against ONE CleverTap account (3
 * demerge slots), executions are stored in PostgreSQL. In real n8n 1.x and 2.x, Redis and
 * PostgreSQL from Debian's packages (installed by the suite when missing and we are root).
 * Checked: the load (6 calls × 5,000 contacts at once) is demerged exactly once within the
 * account's limit, and when a worker is killed or Redis restarts mid-run, nothing is lost: each
 * contact is demerged, or is in an execution n8n reports as failed that the executions list's
 * Retry completes. And a CleverTap campaign's webhook call to the CleverTap Trigger (header auth) is
 * answered by the main at once and its profiles are demerged on a worker; a call with the wrong
 * header is refused and starts nothing.
 */

import { packedForSuite } from './support/packed';
import { startSimulator, type Simulator } from '../simulator';

const { cleverTapCredential } = require('../../scripts/lib/workflows');
const {
	startQueueMode,
	webhookDemergeWorkflow,
	triggerDemergeWorkflow,
	webhookHeaderCredential,
} = require('../../scripts/lib/n8n-queue');
const { waitFor } = require('../../scripts/lib/services');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's REST JSON

const LATENCY_MS = 200;
const CALLS = 6;
const CONTACTS_PER_CALL = 5000;
const FAULT_CALLS = 2;
const FAULT_CONTACTS_PER_CALL = 3000;
const ACCOUNT = 'QUEUE-ACCOUNT';
const PASSCODE = 'queue-passcode-5d21';
/** The custom header the CleverTap webhook sends, and the value the trigger's credential expects. */
const TRIGGER_HEADER = 'X-CleverTap-Secret';
const TRIGGER_SECRET = 'queue-trigger-secret-8c3f';
const CAMPAIGN_PROFILES = 200;
/** Statuses n8n leaves an execution in once it will not change by itself. */
const SETTLED = ['success', 'error', 'crashed', 'canceled'];

/**
 * n8n notices a dead worker when its job lock expires (QUEUE_WORKER_LOCK_DURATION, default 60 s)
 * at the next stalled-job check (QUEUE_WORKER_STALLED_INTERVAL, default 30 s). Shorter values
 * show the same outcome in seconds; the lock is still renewed every 3 s while a worker lives.
 */
const FAST_DEAD_WORKER_DETECTION = {
	QUEUE_WORKER_LOCK_DURATION: '15000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};

const suite = packedForSuite('queue');

const contacts = (tag: string, call: number, count: number) =>
	Array.from({ length: count }, (_, i) => ({ email: `${tag}-${call}-${i}@example.com` }));

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const durationMs = (execution: Json) =>
	new Date(execution.stoppedAt).getTime() - new Date(execution.startedAt).getTime();

describe.each([1, 2])(
	'queue mode in real n8n %i.x: main + 2 workers, Redis, PostgreSQL',
	(major) => {
		let sim: Simulator;
		let cluster: Json;
		let server: Json;
		const workflows: Record<string, Json> = {};

		beforeAll(async () => {
			sim = await startSimulator({
				accounts: { [ACCOUNT]: PASSCODE },
				latencyMs: LATENCY_MS,
			});
			const credential = cleverTapCredential({
				id: 'ctCredQueue00001',
				name: 'CleverTap',
				accountId: ACCOUNT,
				passcode: PASSCODE,
				baseUrl: sim.url,
			});
			const headerCredential = webhookHeaderCredential({
				id: 'ctQueueTrigCred1',
				name: 'CleverTap webhook secret',
				header: TRIGGER_HEADER,
				value: TRIGGER_SECRET,
			});
			workflows.Trigger = triggerDemergeWorkflow({
				id: `ctQueueTrigger${major}`.padEnd(16, 'x'),
				name: 'CleverTap campaign → demerge (Trigger)',
				headerCredential,
				credential,
			});
			for (const key of ['Load', 'Kill', 'Redis']) {
				workflows[key] = webhookDemergeWorkflow({
					id: `ctQueue${key}${major}`.padEnd(16, 'x'),
					name: `CRM contacts → demerge (${key})`,
					webhookPath: `crm-${key.toLowerCase()}`,
					credential,
				});
			}
			const started = Date.now();
			cluster = await startQueueMode({
				major,
				tarball: suite.tarball,
				credentials: [credential, headerCredential],
				workflows: Object.values(workflows),
				workDir: suite.workDir,
				env: FAST_DEAD_WORKER_DETECTION,
				log: (line: string) => process.stderr.write(`${line}\n`),
			});
			server = cluster.server;
			for (const wf of Object.values(workflows)) await server.activateWorkflow(wf.id);
			console.log(
				`queue mode ${cluster.n8n.version}: Redis, PostgreSQL, package, imports, main + 2 workers ready in ${seconds(Date.now() - started)}`,
			);
		}, 20 * 60_000);

		afterAll(async () => {
			await cluster?.stop();
			await sim?.close();
		});

		/** Sends `calls` webhook calls at once; each must be accepted at once (the Webhook answers on receipt). */
		async function callWebhooks(wf: Json, tag: string, calls: number, perCall: number) {
			const sent = Array.from({ length: calls }, (_, call) => contacts(tag, call, perCall));
			const webhookPath = wf.nodes[0].parameters.path;
			const answers = await Promise.all(
				sent.map((list) => server.callWebhook(webhookPath, { contacts: list })),
			);
			for (const answer of answers) expect(answer).toMatchObject({ status: 200 });
			return sent.flat().map((contact) => contact.email);
		}

		/** Starts the smaller load of a fault test; the log offsets tell what the workers did since. */
		async function startFaultLoad(wf: Json, tag: string) {
			sim.reset();
			const offsets = logOffsets();
			const sent = await callWebhooks(wf, tag, FAULT_CALLS, FAULT_CONTACTS_PER_CALL);
			return { offsets, sent };
		}

		const settled = (expected: number) => (list: Json[]) => {
			const originals = list.filter((e) => e.mode === 'webhook');
			return originals.length >= expected && list.every((e) => SETTLED.includes(e.status));
		};

		/** The CleverTap node's outputs in an execution's run data: [success items, error items]. */
		async function cleverTapRun(id: string) {
			const execution = await server.getExecution(id);
			const run = execution.data?.resultData?.runData?.CleverTap?.[0];
			const [ok = [], failed = []] = run?.data?.main ?? [];
			return { execution, ok, failed, nodeMs: run?.executionTime };
		}

		/** Which worker logs say they started each execution, from the given log offsets on. */
		function startedBy(offsets: Record<string, number> = {}) {
			const runs: Record<string, string[]> = {};
			for (const { name, role } of server.processes as Json[]) {
				if (role !== 'worker') continue;
				const log = server.log(name).slice(offsets[name] ?? 0);
				for (const m of log.matchAll(/Worker started execution (\d+)/g))
					(runs[m[1]] ??= []).push(name);
			}
			return runs;
		}

		const logOffsets = (): Record<string, number> =>
			Object.fromEntries(server.processes.map((p: Json) => [p.name, server.log(p.name).length]));

		/**
		 * Which webhook call an execution ran: the tag of its first contact (`<tag>-<call>-0`), from the
		 * Webhook node's output once it ran, or before (as the main queued it) from the execution stack.
		 */
		const callOf = (execution: Json) => {
			const data = execution.data ?? {};
			const item =
				data.resultData?.runData?.['CRM webhook']?.[0]?.data?.main?.[0]?.[0] ??
				data.executionData?.nodeExecutionStack?.[0]?.data?.main?.[0]?.[0];
			return /^[a-z]+-(\d+)-/.exec(item?.json?.body?.contacts?.[0]?.email ?? '')?.[1];
		};

		/**
		 * What n8n did with every execution of `wf` after a fault, and whether anything was lost
		 * silently. An execution n8n reports as failed is retried through REST, as the executions
		 * list's Retry ("with original workflow") does. Lost silently: a contact not demerged although
		 * its call's execution (or its retry) reports success, or more calls with missing contacts than
		 * failed executions that a retry did not complete.
		 */
		async function accountFor(wf: Json, sentIdentities: string[], offsets: Record<string, number>) {
			const list: Json[] = await server.waitForExecutions(wf.id, settled(FAULT_CALLS), {
				timeoutMs: 300_000,
			});
			const report: string[] = [];
			const executions: Json[] = [];
			const completedCalls = new Set<string>();
			const describeRun = (run: Json) =>
				`execution ${run.id}: ${run.status}` +
				(run.durationMs ? ` after ${seconds(run.durationMs)}` : '') +
				` (started on ${run.ranOn?.join(' and ') ?? 'no worker'}), ${run.ok.length} demerged, ${run.failed.length} on the error output` +
				(run.message ? `, n8n's message: "${run.message}"` : '');
			const summarize = async (id: string) => {
				const { execution, ok, failed } = await cleverTapRun(id);
				const run = {
					id,
					status: execution.status,
					message: execution.data?.resultData?.error?.message,
					durationMs: execution.startedAt ? durationMs(execution) : 0,
					ranOn: startedBy(offsets)[id],
					ok,
					failed,
					call: callOf(execution),
				};
				if (run.status === 'success' && run.call !== undefined) completedCalls.add(run.call);
				return run;
			};
			for (const execution of list.filter((e) => e.mode === 'webhook')) {
				const run: Json = await summarize(execution.id);
				executions.push(run);
				report.push(describeRun(run));
				if (run.status === 'success') continue;
				try {
					const retried = await server.retryExecution(execution.id);
					run.retry = await summarize(retried.id);
					report.push(`  Retry → ${describeRun(run.retry)}`);
				} catch (error) {
					run.retry = { refused: (error as Error).message };
					report.push(`  Retry refused: ${run.retry.refused}`);
				}
			}
			const missing = sentIdentities.filter((identity) => !sim.demerged.has(identity));
			const twice = sentIdentities.filter((identity) => (sim.demerged.get(identity) ?? 0) > 1);
			const missingCalls = [...new Set(missing.map((identity) => identity.split('-')[1]))];
			const unrecovered = executions.filter(
				(run) => run.status !== 'success' && run.retry?.status !== 'success',
			);
			const failedItems = executions.flatMap((run) => [
				...run.failed,
				...(run.retry?.failed ?? []),
			]);
			report.push(
				`${sentIdentities.length} contacts: ${sentIdentities.length - missing.length} demerged (${twice.length} of them twice), ` +
					`${missing.length} not demerged (calls ${missingCalls.join(', ') || 'none'}); simulator: ${sim.summary()}`,
			);
			const silentlyLost = [
				...missingCalls
					.filter((call) => completedCalls.has(call))
					.map((call) => `call ${call}: contacts missing although its execution succeeded`),
				...(missingCalls.length > unrecovered.length
					? [
							`${missingCalls.length} calls with missing contacts, ${unrecovered.length} failed executions`,
						]
					: []),
				...failedItems.slice(0, 3).map((item: Json) => `on the error output: ${item.json.error}`),
			];
			return { report, executions, missing, unrecovered, silentlyLost };
		}

		/** A call to the CleverTap Trigger's production URL, as CleverTap's webhook sends it; `at` is when its answer came. */
		async function callTrigger(wf: Json, body: Json, headers: Record<string, string>) {
			const answer = await server.callWebhook(`${wf.nodes[0].webhookId}/webhook`, body, {
				headers,
			});
			return { ...answer, at: Date.now() };
		}

		test(
			`a campaign's webhook call to the CleverTap Trigger (${CAMPAIGN_PROFILES} profiles, header auth) is answered at once and runs on a worker; a wrong header is refused`,
			async () => {
				sim.reset();
				const wf = workflows.Trigger;
				const offsets = logOffsets();
				const identities = Array.from(
					{ length: CAMPAIGN_PROFILES },
					(_, i) => `campaign-${major}-${i}`,
				);
				// A broadcast call, as CleverTap batches a campaign's audience.
				const body = {
					targetId: 1659684581,
					key_values: { offer: 'gold' },
					profiles: identities.map((identity) => ({
						Identity: identity,
						Email: `${identity}@example.com`,
					})),
				};

				// Refused first: anything it started would be queued before the accepted call's execution.
				const refused = await callTrigger(wf, body, { [TRIGGER_HEADER]: 'not-the-secret-value' });
				expect(refused).toMatchObject({
					status: 401,
					body: { message: `Wrong value in the header "${TRIGGER_HEADER}".` },
				});
				const answer = await callTrigger(wf, body, { [TRIGGER_HEADER]: TRIGGER_SECRET });
				expect(answer).toMatchObject({ status: 200 });

				const list: Json[] = await server.waitForExecutions(wf.id, settled(1), {
					timeoutMs: 300_000,
				});
				expect(list.map(({ mode, status }) => ({ mode, status }))).toEqual([
					{ mode: 'webhook', status: 'success' },
				]);
				const { id } = list[0];

				// Where it ran: the main's log says it queued the execution as a job, and exactly one
				// worker's log says it started and finished that same job.
				const since = (name: string) => server.log(name).slice(offsets[name] ?? 0);
				const enqueued = [...since('main').matchAll(/Enqueued execution (\d+) \(job (\w+)\)/g)];
				expect(enqueued.map((m) => m[1])).toEqual([id]);
				const job = enqueued[0][2];
				const workers: string[] = server.processes
					.filter((p: Json) => p.role === 'worker')
					.map((p: Json) => p.name);
				const finishedOn = await waitFor(
					() => {
						const names = workers.filter((name) =>
							since(name).includes(`Worker finished execution ${id} (job ${job})`),
						);
						return names.length ? names : undefined;
					},
					{
						timeoutMs: 60_000,
						what: `a worker finishing execution ${id}`,
						details: () => server.logTails(20),
					},
				);
				const startedOn = workers.filter((name) =>
					since(name).includes(`Worker started execution ${id} (job ${job})`),
				);
				expect(startedOn).toHaveLength(1);
				expect(finishedOn).toEqual(startedOn);
				expect(since('main')).not.toMatch(/Worker (started|finished) execution/);

				const { execution, ok, failed } = await cleverTapRun(id);
				const triggered = execution.data?.resultData?.runData?.['CleverTap Trigger']?.[0];
				const items: Json[] = triggered?.data?.main?.[0] ?? [];
				console.log(
					`queue mode ${cluster.n8n.version}: CleverTap Trigger call with ${CAMPAIGN_PROFILES} profiles answered ${answer.status} in ${answer.ms} ms ` +
						`(${JSON.stringify(answer.body)}), the wrong header ${refused.status} in ${refused.ms} ms; ` +
						`main enqueued execution ${id} as job ${job}, ${startedOn.join(', ')} ran it in ${seconds(durationMs(execution))}: ` +
						`${items.length} trigger items, ${ok.length} demerged, ${failed.length} on the error output; simulator: ${sim.summary()}`,
				);
				// Answered on receipt: before the worker's execution (which waits for CleverTap) ended.
				expect(answer.at).toBeLessThan(new Date(execution.stoppedAt).getTime());
				expect(items.map((item) => item.json.identity)).toEqual(identities);
				expect(items[0].json).toMatchObject({
					email: `${identities[0]}@example.com`,
					campaignId: 1659684581,
					keyValues: { offer: 'gold' },
				});
				expect(failed.map((item: Json) => item.json.error).slice(0, 3)).toEqual([]);
				expect(ok).toHaveLength(CAMPAIGN_PROFILES);
				expect(identities.filter((identity) => sim.demerged.get(identity) !== 1)).toEqual([]);
				expect(sim.demerged.size).toBe(CAMPAIGN_PROFILES);
			},
			10 * 60_000,
		);

		test(
			`${CALLS} webhook calls × ${CONTACTS_PER_CALL.toLocaleString('en')} contacts at once: each demerged exactly once, every execution succeeds, within the account's limit`,
			async () => {
				sim.reset();
				const sent = await callWebhooks(workflows.Load, 'load', CALLS, CONTACTS_PER_CALL);
				const list: Json[] = await server.waitForExecutions(workflows.Load.id, settled(CALLS), {
					timeoutMs: 600_000,
				});
				const stats = sim.stats();
				const spanMs = (stats.lastResponseAt ?? 0) - (stats.firstRequestAt ?? 0);
				const limitMs = Math.ceil(sent.length / 300) * LATENCY_MS;
				const ratio = limitMs / spanMs;
				// How much of the account's 3 slots × span CleverTap spent serving accepted demerges: the rest
				// is slots left idle (while executions wait after a 429) or taken by n8n's own work.
				const busyMs = sim.requests
					.filter((r) => r.status === 200)
					.reduce((sum, r) => sum + ((r.endedAt ?? r.startedAt) - r.startedAt), 0);
				const slotsBusy = busyMs / (3 * spanMs);
				const runs = [];
				for (const execution of list)
					runs.push({ ...(await cleverTapRun(execution.id)), execution });
				const failedItems = runs.flatMap((run) => run.failed);
				const missing = sent.filter((identity) => !sim.demerged.has(identity));
				console.log(
					[
						`queue mode ${cluster.n8n.version}, ${CALLS} × ${CONTACTS_PER_CALL} contacts, ${LATENCY_MS} ms per request: ` +
							`ratio_to_limit=${ratio.toFixed(2)} (span ${seconds(spanMs)} vs limit ${seconds(limitMs)}, the 3 slots busy ${(100 * slotsBusy).toFixed(0)}% of it), ` +
							`${stats.byStatus[200] ?? 0} accepted requests, ${stats.byStatus[429] ?? 0} answered 429, peak ${stats.peakConcurrency} in flight, ` +
							`${stats.identitiesDemerged} of ${sent.length} contacts demerged (${stats.demergeCalls} demerges)`,
						...runs.map(
							({ execution, ok, failed, nodeMs }) =>
								`  execution ${execution.id}: ${execution.status}, ${seconds(durationMs(execution))} (CleverTap node ${seconds(nodeMs ?? 0)}), ` +
								`${ok.length} demerged, ${failed.length} on the error output${failed.length ? `: "${failed[0].json.error}"` : ''}`,
						),
					].join('\n'),
				);

				expect(list.map((e) => e.status)).toEqual(Array(CALLS).fill('success'));
				expect(failedItems.map((item) => item.json.error).slice(0, 3)).toEqual([]);
				expect(missing.slice(0, 3)).toEqual([]);
				expect([...sim.demerged.values()].filter((times) => times !== 1)).toEqual([]);
				expect(stats.identitiesDemerged).toBe(sent.length);
				expect(stats.peakConcurrency).toBeLessThanOrEqual(3);
				expect(ratio).toBeGreaterThanOrEqual(0.8);
			},
			15 * 60_000,
		);

		test(
			'a worker killed (SIGKILL) in the middle of an execution: nothing is lost silently',
			async () => {
				const { offsets, sent } = await startFaultLoad(workflows.Kill, 'kill');
				// The middle of an execution: CleverTap has answered some of its requests, not all. Its
				// contacts carry its call's tag, and the stored execution (what the main queued) names the call.
				const demergedOf = (call: string) => {
					let count = 0;
					for (const identity of sim.demerged.keys())
						if (identity.startsWith(`kill-${call}-`)) count++;
					return count;
				};
				let victim = '';
				let victims: string[] = [];
				await waitFor(
					async () => {
						const started = startedBy(offsets);
						const running = (await server.listExecutions(workflows.Kill.id)).filter(
							(execution: Json) => execution.status === 'running' && started[execution.id],
						);
						for (const execution of running) {
							const call = callOf(await server.getExecution(execution.id));
							const done = call === undefined ? 0 : demergedOf(call);
							if (done >= 300 && done < FAULT_CONTACTS_PER_CALL - 300) {
								victim = started[execution.id][0];
								// Every execution that worker is running dies with it.
								victims = running
									.map((e: Json) => e.id)
									.filter((id: string) => started[id].includes(victim));
								return true;
							}
						}
						return false;
					},
					{
						timeoutMs: 120_000,
						intervalMs: 50,
						what: 'an execution half-way through its contacts',
						details: () => sim.summary(),
					},
				);
				const demergedAtKill = sim.demerged.size;
				const killedAt = Date.now();
				await server.kill(victim, 'SIGKILL');
				try {
					const { report, executions, silentlyLost } = await accountFor(
						workflows.Kill,
						sent,
						offsets,
					);
					console.log(
						[
							`queue mode ${cluster.n8n.version}: ${victim} killed with SIGKILL while running execution ${victims.join(', ')}, ` +
								`${demergedAtKill} contacts demerged by then; every execution settled ${seconds(Date.now() - killedAt)} later:`,
							...report.map((line) => `  ${line}`),
						].join('\n'),
					);
					expect(victims.length).toBeGreaterThan(0);
					expect(silentlyLost).toEqual([]);
					const killed = executions.filter((run) => victims.includes(run.id));
					if (major === 1) {
						// 1.x puts a job whose worker died back on the queue once (QUEUE_WORKER_MAX_STALLED_COUNT=1):
						// the other worker runs the execution again from its start.
						for (const run of killed) {
							expect(run.status).toBe('success');
							expect([...run.ranOn].sort()).toEqual(['worker1', 'worker2']);
						}
					} else {
						// 2.x fails the job at once, saves the execution as an error WITHOUT its input, so the
						// executions list's Retry fails as well: its contacts must be sent again from the source.
						for (const run of killed) {
							expect(run.status).toBe('error');
							expect(run.message).toMatch(/failed to be processed too many times/);
							expect(run.retry?.status).toBe('error');
						}
					}
				} finally {
					await server.startProcess(victim);
				}
			},
			15 * 60_000,
		);

		test(
			'Redis restarted in the middle of the load: nothing is lost',
			async () => {
				const { offsets, sent } = await startFaultLoad(workflows.Redis, 'redis');
				await waitFor(() => (sim.stats().byStatus[200] ?? 0) >= 6, {
					timeoutMs: 120_000,
					what: 'the first demerge answers',
					details: () => sim.summary(),
				});
				const names: string[] = server.processes.map((p: Json) => p.name);
				const restartOffsets = logOffsets();
				const since = (name: string) => server.log(name).slice(restartOffsets[name]);
				const demergedAtRestart = sim.demerged.size;
				const restartedAt = Date.now();
				// Down until the n8n processes notice (n8n exits after 10 s without Redis), then up again.
				await cluster.redis.restart({
					beforeStart: () =>
						waitFor(() => names.every((name) => since(name).includes('Lost Redis connection')), {
							timeoutMs: 3000,
							intervalMs: 50,
							what: 'every n8n process noticing that Redis is down',
						}).catch(() => undefined),
				});
				const downMs = Date.now() - restartedAt;
				const noticed = names.filter((name) => since(name).includes('Lost Redis connection'));
				await waitFor(
					() => noticed.every((name) => since(name).includes('Recovered Redis connection')),
					{
						timeoutMs: 60_000,
						what: 'n8n reconnecting to Redis',
						details: () => server.logTails(20),
					},
				);

				const { report, executions, missing, silentlyLost } = await accountFor(
					workflows.Redis,
					sent,
					offsets,
				);
				console.log(
					[
						`queue mode ${cluster.n8n.version}: Redis restarted (down ${seconds(downMs)}, noticed by ${noticed.join(', ') || 'none'}) ` +
							`with ${demergedAtRestart} contacts demerged; every execution settled ${seconds(Date.now() - restartedAt)} after the restart began:`,
						...report.map((line) => `  ${line}`),
					].join('\n'),
				);
				expect(silentlyLost).toEqual([]);
				expect(executions.map((run) => run.retry?.status ?? run.status)).toEqual(
					Array(FAULT_CALLS).fill('success'),
				);
				expect(missing.slice(0, 3)).toEqual([]);
				// n8n exits when Redis stays away too long; a restart must not cost a process.
				expect(names.filter((name) => !server.running(name))).toEqual([]);
			},
			15 * 60_000,
		);
	},
);
