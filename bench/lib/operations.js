'use strict';
/**
 * The operations part of the bench (issues 12, 13 and 21), in real n8n against the simulator:
 * Profile → Get and Delete against CleverTap's 3 requests at a time, Profile → Create or Update
 * against the upload limit (1,000 records a request, 15 at a time), what the node spends reading,
 * checking and building each upload record (its Dry Run), and Event → Get Many of N events page by
 * page, at L and at 0 ms (its own cost). Every measurement runs `repeat` times, round after round,
 * so the report can give ranges on a shared machine.
 */
const os = require('node:os');

const wf = require('./workflows');
const { turnaround, nodeRun, runError } = require('./n8n-runs');
const { OPERATIONS, opLimitMs } = require('./operations-report');
const { eventsRunLine, expectedPages } = require('./events-report');

/** How long one run may take: its limit three times over, n8n's boot, the items and the output. */
const timeoutFor = (expectedMs, n) => Math.max(180_000, 3 * expectedMs + 240_000 + n * 2);

/** For Get: the simulator holds a profile for every other identity, so half are found. */
function seedProfiles(sim, n) {
	for (let i = 0; i < n; i += 2) {
		const identity = wf.identityOf(i);
		sim.addProfile({ identity, name: `User ${i}`, profileData: { Plan: 'basic' } });
	}
}

/** Event → Get Many: the events are spread over this many profiles (10 each at N = 100,000). */
const EVENT_PROFILES = 10000;

/** For Event → Get Many: N events of the bench's query, on min(N, 10,000) profiles. */
function seedEvents(sim, n) {
	const { eventName, from, to } = wf.EVENTS_QUERY;
	sim.seedEvents({ name: eventName, count: n, from, to, profiles: Math.min(n, EVENT_PROFILES) });
}

/**
 * What `results.operations` becomes for a run of `opts.ops`, before anything is measured. The
 * Profile operations are measured and replaced together, Event → Get Many on its own: a run of
 * only one of them keeps the other's figures from `previous` (results.json) as they were measured.
 */
function operationsRecord({ opts, header, previous }) {
	const profileOps = opts.ops.filter((op) => OPERATIONS[op]);
	const out =
		profileOps.length || !previous
			? {
					...header,
					ops: profileOps,
					repeat: opts.opsRepeat,
					latency: opts.opsLatency,
					upsertLatencies: opts.upsertLatencies,
					sizes: { get: opts.getN, delete: opts.deleteN, upsert: opts.upsertN },
					jsonN: opts.jsonN,
					jsonExpression: wf.UPSERT_DATA.json.json.slice(1),
					runs: [],
					inputCost: [],
					...(previous?.events ? { events: previous.events } : {}),
				}
			: { ...previous };
	if (opts.ops.includes('events')) {
		out.events = {
			...header,
			repeat: opts.opsRepeat,
			n: opts.eventsN,
			profiles: Math.min(opts.eventsN, EVENT_PROFILES),
			batchSize: opts.eventsBatchSize,
			latency: opts.eventsLatency,
			query: wf.EVENTS_QUERY,
			runs: [],
		};
	}
	return out;
}

/**
 * Runs the operations part into `results.operations`. `instance` is an n8n instance with the
 * package and the bench credential; `profileRun` (optional) profiles one workflow.
 */
async function runOperations({ opts, instance, sim, results, meta, log, profileRun }) {
	const started = Date.now();
	const sizes = { get: opts.getN, delete: opts.deleteN, upsert: opts.upsertN };
	const header = {
		date: new Date(started).toISOString(),
		...meta,
		cores: os.cpus().length,
		uptimeLoad: os.loadavg(),
	};
	const out = operationsRecord({ opts, header, previous: results.operations });
	results.operations = out;

	// One plan of what to run in each round, then the workflows it needs, imported in one CLI boot.
	const plan = [];
	if (opts.ops.includes('upsert')) {
		plan.push({ kind: 'limit', n: sizes.upsert });
		plan.push({ op: 'upsert', mode: 'fields', n: sizes.upsert, dryRun: true });
		if (opts.jsonN) plan.push({ op: 'upsert', mode: 'json', n: opts.jsonN, dryRun: true });
	}
	if (opts.ops.includes('get')) plan.push({ op: 'get', n: sizes.get, latency: opts.opsLatency });
	if (opts.ops.includes('delete'))
		plan.push({ op: 'delete', n: sizes.delete, latency: opts.opsLatency });
	if (opts.ops.includes('upsert'))
		for (const latency of opts.upsertLatencies)
			plan.push({ op: 'upsert', mode: 'fields', n: sizes.upsert, latency });
	// Event → Get Many: its own cost first (every request answered at once), then at L.
	if (opts.ops.includes('events'))
		for (const latency of [0, opts.eventsLatency])
			plan.push({ op: 'events', n: opts.eventsN, batchSize: opts.eventsBatchSize, latency });
	for (const step of plan) {
		step.workflow =
			step.kind === 'limit'
				? wf.contactsInputCostWorkflow({ n: step.n })
				: step.op === 'events'
					? wf.eventsWorkflow({ n: step.n, batchSize: step.batchSize })
					: wf.operationWorkflow({ op: step.op, n: step.n, mode: step.mode, dryRun: step.dryRun });
	}
	const unique = [...new Map(plan.map((step) => [step.workflow.id, step.workflow])).values()];
	await instance.importWorkflow(unique);

	for (let rep = 1; rep <= opts.opsRepeat; rep++) {
		for (const step of plan) {
			const loadAverage = os.loadavg()[0];
			if (step.kind === 'limit') {
				const { run, error } = await execute({ instance, sim, step, latency: 0 }, wf.LIMIT_NODE);
				const entry = {
					rep,
					n: step.n,
					timeMs: run?.executionTime,
					usPerItem: run ? (run.executionTime * 1000) / step.n : undefined,
					loadAverage,
					error,
				};
				out.inputCost.push(entry);
				log(
					`ops round ${rep}: Limit on ${step.n} contacts ${entry.timeMs} ms = ${entry.usPerItem?.toFixed(2)} µs/item${error ? ' ERROR ' + error : ''}`,
				);
				continue;
			}
			if (step.op === 'events') {
				const entry = await measureEvents({ instance, sim, step, rep, loadAverage });
				out.events.runs.push(entry);
				log(eventsRunLine(out.events, entry));
				continue;
			}
			const entry = await measure({ instance, sim, step, rep, loadAverage });
			out.runs.push(entry);
			log(
				`ops round ${rep}: ${step.op}${step.mode ? ' ' + step.mode : ''} N=${step.n}${step.dryRun ? ' dry run' : ` L=${step.latency}`}: T=${entry.timeMs} ms` +
					(step.dryRun
						? ` = ${entry.usPerRecord?.toFixed(2)} µs/record`
						: `, T_limit=${entry.limitMs} ms, ratio ${entry.ratio?.toFixed(3)}, ${entry.requests} requests, ${entry.throttled} × 429, peak ${entry.peakConcurrency}, HTTP span ${entry.simSpanMs?.toFixed(0)} ms, service L+${entry.serviceOverMs?.toFixed(1)} ms, slot idle ${entry.turnaroundMs?.toFixed(1)} ms`) +
					`, ${entry.successItems}/${step.n} ok, RSS ${(entry.peakRssKb / 1024).toFixed(0)} MB, load ${loadAverage.toFixed(1)}${entry.error ? ' ERROR ' + entry.error : ''}`,
			);
		}
	}

	if (profileRun) {
		// Where the time goes, in n8n's process: the upload's dry run (the per-record target) and
		// its real run at the shortest service time (the most requests per second). `focus` names
		// the steps of reading items, judging answers and sending, and n8n's deepCopy (getNode()).
		out.profile = [];
		const focus =
			/^(readItems|readProperties|buildProfileRecord|readValue|parseJsonFieldReference|planBatches|withInput|judgeUpload|mapUnprocessed|buildRequestOptions|stringifySafely|deepCopy|\(garbage collector\)) /;
		const latency = Math.min(...opts.upsertLatencies);
		for (const step of plan.filter((x) => x.op === 'upsert' && x.mode === 'fields')) {
			if (!step.dryRun && step.latency !== latency) continue;
			out.profile.push(
				await profileRun({
					workflow: step.workflow,
					n: step.n,
					latency: step.dryRun ? 0 : latency,
					label: `Create or Update ${step.dryRun ? 'dry run' : `L = ${latency} ms`}, N = ${step.n}`,
					focus,
					timeoutMs: 2 * timeoutFor(step.dryRun ? 0 : opLimitMs('upsert', step.n, latency), step.n),
				}),
			);
		}
	}
	const durationS = Math.round((Date.now() - started) / 1000);
	if (opts.ops.some((op) => OPERATIONS[op]) || out.durationS === undefined)
		out.durationS = durationS;
	if (out.events && opts.ops.includes('events')) out.events.durationS = durationS;
	return out;
}

/** One `n8n execute` of a step's workflow against a fresh simulator at `latency`. */
async function execute({ instance, sim, step, latency }, nodeName = wf.CLEVERTAP_NODE) {
	sim.reset();
	sim.setLatency(latency);
	if (step.op === 'get') seedProfiles(sim, step.n);
	if (step.op === 'events') seedEvents(sim, step.n);
	const expectedMs = !step.latency
		? 0
		: step.op === 'events'
			? (expectedPages(step.n, step.batchSize) + 1) * step.latency
			: opLimitMs(step.op, step.n, step.latency);
	const r = await instance.execute(step.workflow.id, {
		timeoutMs: timeoutFor(expectedMs, step.n),
	});
	const run = nodeRun(r.json, nodeName);
	return { r, run, error: runError(r, nodeName) };
}

/** Runs one step and reads its figures from n8n's run data and the simulator. */
async function measure({ instance, sim, step, rep, loadAverage }) {
	const latency = step.dryRun ? 0 : step.latency;
	const { r, run, error } = await execute({ instance, sim, step, latency });
	const { api, perRequest, slots } = OPERATIONS[step.op];
	const stats = sim.stats();
	const items = run?.data?.main?.[0] || [];
	const ok = items.filter((item) => item.json && item.json.error === undefined);
	const entry = {
		rep,
		op: step.op,
		mode: step.mode,
		n: step.n,
		dryRun: Boolean(step.dryRun),
		loadAverage,
		timeMs: run?.executionTime,
		successItems: ok.length,
		peakRssKb: r.peakRssKb,
		durationMs: r.durationMs,
	};
	let problem;
	if (step.dryRun) {
		entry.usPerRecord = run ? (run.executionTime * 1000) / step.n : undefined;
		entry.requests = stats.requests;
		if (stats.requests) problem = `a dry run sent ${stats.requests} requests`;
	} else {
		const records = sim.requests.filter((q) => q.api === api);
		const tLimit = opLimitMs(step.op, step.n, latency);
		Object.assign(entry, {
			latency,
			limitMs: tLimit,
			ratio: run ? tLimit / run.executionTime : undefined,
			requests: stats.requestsByApi[api],
			expectedRequests: Math.ceil(step.n / perRequest),
			throttled: stats.byStatus['429'] || 0,
			byStatus: stats.byStatus,
			peakConcurrency: stats.peakConcurrencyByApi[api],
			simSpanMs:
				stats.firstRequestAt !== undefined
					? stats.lastResponseAt - stats.firstRequestAt
					: undefined,
			...turnaround(records, latency, slots),
		});
		// The simulator shares the CPU with n8n: at 15 uploads at once its own work per answer adds
		// up. The fastest any client could be at the service time it actually gave:
		if (entry.serviceOverMs !== undefined)
			entry.servedLimitMs = (tLimit / latency) * (latency + entry.serviceOverMs);
		if (step.op === 'get') entry.found = ok.filter((item) => item.json.found === true).length;
		if (step.op === 'delete') entry.identitiesDeleted = stats.identitiesDeleted;
		if (step.op === 'upsert') entry.recordsProcessed = stats.recordsProcessed;
		const taken =
			step.op === 'delete'
				? stats.identitiesDeleted
				: step.op === 'upsert'
					? stats.recordsProcessed
					: stats.requestsByApi[api];
		if (taken !== step.n) problem = `CleverTap (the simulator) took ${taken} of ${step.n}`;
	}
	if (!error && ok.length !== step.n) problem = `${ok.length} of ${step.n} items succeeded`;
	entry.error = error || problem;
	return entry;
}

/**
 * Event → Get Many once at the step's L: the node's time, the pages and requests the simulator
 * answered, and its own work beyond L (at L = 0 part of the node's time).
 */
async function measureEvents({ instance, sim, step, rep, loadAverage }) {
	const { latency } = step;
	const { r, run, error } = await execute({ instance, sim, step, latency });
	const stats = sim.stats();
	const records = sim.requests.filter((q) => q.api === 'events');
	const done = records.filter((q) => typeof q.status === 'number' && q.endedAt !== undefined);
	const items = run?.data?.main?.[0] || [];
	const ok = items.filter((item) => item.json && item.json.error === undefined);
	const entry = {
		rep,
		op: 'events',
		n: step.n,
		batchSize: step.batchSize,
		latency,
		loadAverage,
		timeMs: run?.executionTime,
		successItems: ok.length,
		pages: stats.eventPagesServed,
		requests: stats.requestsByApi.events,
		simSpanMs:
			stats.firstRequestAt !== undefined ? stats.lastResponseAt - stats.firstRequestAt : undefined,
		simWorkMs: done.reduce((sum, q) => sum + (q.endedAt - q.startedAt - latency), 0),
		...turnaround(records, latency, 1),
		peakRssKb: r.peakRssKb,
		durationMs: r.durationMs,
	};
	const problem =
		ok.length !== step.n
			? `${ok.length} of ${step.n} events came out`
			: stats.byStatus['200'] !== stats.requests
				? `the simulator answered ${JSON.stringify(stats.byStatus)}`
				: undefined;
	entry.error = error || problem;
	return entry;
}

module.exports = { runOperations, operationsRecord };
