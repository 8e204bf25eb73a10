'use strict';
/**
 * The operations beside Demerge in results.md (issues 12 and 13): their limits, targets, tables and
 * final line, from `results.operations` (bench/lib/operations.js), with Event → Get Many's part
 * (issue 21, bench/lib/events-report.js). Pure: checked on made-up figures in
 * test/unit/bench/operations-report.test.ts.
 */

const { eventsLineParts, eventsSection } = require('./events-report');

/**
 * Each operation's CleverTap limit: records a request, requests at once per account. The fastest
 * any client can be is ceil(N / (perRequest × slots)) × L.
 */
const OPERATIONS = {
	get: {
		label: 'Profile → Get',
		api: 'profile',
		perRequest: 1,
		slots: 3,
		limitText: 'ceil(N / 3) × L',
	},
	delete: {
		label: 'Profile → Delete',
		api: 'delete',
		perRequest: 100,
		slots: 3,
		limitText: 'ceil(N / 300) × L',
	},
	upsert: {
		label: 'Profile → Create or Update',
		api: 'upload',
		perRequest: 1000,
		slots: 15,
		limitText: 'ceil(N / 15,000) × L',
	},
};

/** The issues' targets: the ratio T_limit / T at one L, and the dry run's time per record. */
const OP_TARGETS = {
	ratios: [
		{ op: 'get', latency: 200, min: 0.8 },
		{ op: 'delete', latency: 200, min: 0.9 },
		{ op: 'upsert', latency: 1000, min: 0.8 },
	],
	mapping: { op: 'upsert', mode: 'fields', n: 100000, maxUs: 10 },
};

/** T_limit in ms: the fastest `op` can go through N records at a service time of L. */
function opLimitMs(op, n, latency) {
	const { perRequest, slots } = OPERATIONS[op];
	return Math.ceil(n / (perRequest * slots)) * latency;
}

const fmt = (x, digits = 2) =>
	x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(digits);
const int = (x) => (x === undefined || x === null ? '–' : Math.round(x).toLocaleString('en-US'));

/** "a–b" over the values that are numbers (one value alone; '–' for none). */
function range(values, digits = 2, scale = 1) {
	const xs = values
		.filter((x) => typeof x === 'number' && Number.isFinite(x))
		.map((x) => x * scale);
	if (!xs.length) return '–';
	const f = (x) => (digits === 0 ? int(x) : fmt(x, digits));
	const lo = f(Math.min(...xs));
	const hi = f(Math.max(...xs));
	return lo === hi ? lo : `${lo}–${hi}`;
}

/** Runs grouped by what they measured (op, mode, N, L, dry run), in first-seen order. */
function groups(runs) {
	const out = new Map();
	for (const r of runs) {
		const key = [r.op, r.mode ?? '', r.n, r.latency ?? '', r.dryRun ? 'dry' : 'real'].join(' ');
		if (!out.has(key)) out.set(key, []);
		out.get(key).push(r);
	}
	return [...out.values()];
}

/** "yes (2 of 2 runs)", "**no** (1 of 2 runs)", or undefined when nothing was run. */
function verdict(runs, ok) {
	if (!runs.length) return undefined;
	const good = runs.filter((r) => !r.error && ok(r)).length;
	const of = `${good} of ${runs.length} run${runs.length === 1 ? '' : 's'}`;
	return {
		met: good === runs.length,
		text: good === runs.length ? `yes (${of})` : `**no** (${of})`,
	};
}

/** The targets of issues 12 and 13, judged on every run (met only when every run meets it). */
function operationTargets(results) {
	const ops = results.operations;
	if (!ops) return [];
	const out = [];
	for (const t of OP_TARGETS.ratios) {
		const runs = ops.runs.filter(
			(r) => r.op === t.op && r.latency === t.latency && !r.dryRun && r.n === ops.sizes[t.op],
		);
		const v = verdict(runs, (r) => r.ratio >= t.min);
		out.push({
			target: `${OPERATIONS[t.op].label}: T_limit / T ≥ ${t.min} at N = ${int(ops.sizes[t.op])}, L = ${int(t.latency)} ms (T_limit = ${OPERATIONS[t.op].limitText})`,
			value: runs.length
				? range(
						runs.map((r) => r.ratio),
						3,
					)
				: 'not run',
			met: v?.met,
			verdict: v?.text ?? '–',
		});
	}
	const m = OP_TARGETS.mapping;
	const runs = ops.runs.filter(
		(r) => r.op === m.op && r.dryRun && r.mode === m.mode && r.n === m.n,
	);
	const v = verdict(runs, (r) => r.usPerRecord <= m.maxUs);
	out.push({
		target: `${OPERATIONS[m.op].label}: reading, checking and building a record ≤ ${m.maxUs} µs at N = ${int(m.n)}, Define Below with \`{{ $json.x }}\` (dry-run time / N)`,
		value: runs.length ? `${range(runs.map((r) => r.usPerRecord))} µs` : 'not run',
		met: v?.met,
		verdict: v?.text ?? '–',
	});
	return out;
}

/** Worst figure over the runs of one measurement: the lowest ratio, or the most µs per record. */
function worst(runs, key, pick) {
	const xs = runs.filter((r) => !r.error && typeof r[key] === 'number').map((r) => r[key]);
	return xs.length ? pick(...xs) : undefined;
}

/** Final stdout line of the operations part; each figure is the worst of its runs. */
function operationsLine(results) {
	const ops = results.operations;
	if (!ops) return 'bench: ops not run';
	const parts = [];
	const real = (op, latency) =>
		ops.runs.filter((r) => r.op === op && !r.dryRun && r.latency === latency);
	for (const op of ['get', 'delete']) {
		if (!ops.ops.includes(op)) continue;
		const x = worst(real(op, ops.latency), 'ratio', Math.min);
		parts.push(`${op}_ratio=${x !== undefined ? fmt(x, 2) : 'NA'}`);
	}
	if (ops.ops.includes('upsert')) {
		for (const latency of ops.upsertLatencies) {
			const x = worst(real('upsert', latency), 'ratio', Math.min);
			parts.push(`upsert_ratio_${latency}ms=${x !== undefined ? fmt(x, 2) : 'NA'}`);
		}
		const dry = ops.runs.filter((r) => r.op === 'upsert' && r.dryRun && r.mode === 'fields');
		const us = worst(dry, 'usPerRecord', Math.max);
		parts.push(`upsert_us_per_record=${us !== undefined ? fmt(us, 1) : 'NA'}`);
	}
	parts.push(...eventsLineParts(ops.events));
	return `bench: ops ${parts.join(' ')}`;
}

const s = (ms) => fmt(ms / 1000, 2);

/** The section of results.md for the operations part (empty when it did not run). */
function operationsSection(results) {
	const ops = results.operations;
	const L = [];
	const p = (line = '') => L.push(line);
	if (results.operationsError) {
		p(`The operations part failed: ${results.operationsError}`);
		p();
	}
	if (!ops) return L;
	// An --ops-only run of Event → Get Many alone keeps the Profile operations as they were, or
	// has none.
	if (ops.ops.some((op) => OPERATIONS[op])) L.push(...profileOperationsSection(results));
	L.push(...eventsSection(ops.events));
	return L;
}

/** The Profile operations' part of the section: Get, Delete and Create or Update. */
function profileOperationsSection(results) {
	const ops = results.operations;
	const L = [];
	const p = (line = '') => L.push(line);
	p(`## Profile → Get, Delete and Create or Update (n8n ${ops.n8n})`);
	p();
	p(
		`Measured on ${ops.date.slice(0, 19).replace('T', ' ')} UTC, n8n ${ops.n8n} on Node ${ops.n8nNode ?? '–'}, package at commit ${ops.commit ?? '–'}${ops.tarball ? ` (tarball ${ops.tarball})` : ''}; every measurement ${ops.repeat === 1 ? 'once' : `${ops.repeat} times`}, the rounds one after another. The part took ${ops.durationS ?? '–'} s. Load average (1 minute) before each run: ${range(
			ops.runs.map((r) => r.loadAverage),
			1,
		)} on ${ops.cores ?? '–'} cores (above ${ops.cores ?? 2}, other processes competed for the CPU).`,
	);
	p();
	p(
		`The same CleverTap simulator and n8n set-up as above: Manual Trigger → Code (${ops.codeNodeMode ?? 'in a task runner'}) → CleverTap, one workflow at a time. Get and Delete read \`{{ $json.identity }}\` from N items \`{ identity: 'user-<i>@example.com' }\`; for Get, the simulator holds a profile for every other identity, so half are found and half are not. Create or Update reads N contacts as a CRM trigger hands them on (\`{ id, name, email, company }\`), identified by \`{{ $json.email }}\`, with Profile Data "Define Below": Name \`{{ $json.name }}\`, Email \`{{ $json.email }}\` and the custom property Company \`{{ $json.company }}\` (the node reads such plain references from the item itself), or "JSON" \`${ops.jsonExpression ?? '–'}\` (evaluated by n8n's expression engine for each item). T = the CleverTap node's \`executionTime\`; T_limit = the fastest any client can be under CleverTap's limit for that API; ratio = T_limit / T.`,
	);
	p();
	p('### Targets');
	p();
	p('| target | measured | met |');
	p('|---|---|---|');
	for (const t of operationTargets(results)) p(`| ${t.target} | ${t.value} | ${t.verdict} |`);
	p();
	p('### Against the limit');
	p();
	p(
		"| operation | L (ms) | N | requests (records each) | at once (limit) | T_limit (s) | T (s) | T_limit / T | HTTP span (s) | T − span (s) | service beyond L (ms) | slot idle between answer and next request (ms) | T_limit at the simulator's service time (s) | ratio to it | 429s | items ok | peak RSS (MB) | runs |",
	);
	p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
	for (const g of groups(ops.runs.filter((r) => !r.dryRun))) {
		const r = g[0];
		const op = OPERATIONS[r.op];
		const col = (f, digits = 2, scale = 1) => range(g.map(f), digits, scale);
		const errors = g.filter((x) => x.error).map((x) => x.error);
		const cells = [
			`${op.label}${r.op === 'upsert' ? ` (${r.mode === 'json' ? 'JSON' : 'Define Below'})` : ''}`,
			int(r.latency),
			int(r.n),
			`${col((x) => x.requests, 0)} (${int(op.perRequest)})`,
			`${col((x) => x.peakConcurrency, 0)} (${op.slots})`,
			s(r.limitMs),
			col((x) => x.timeMs, 2, 1 / 1000),
			col((x) => x.ratio, 3),
			col((x) => x.simSpanMs, 2, 1 / 1000),
			col((x) => (x.simSpanMs !== undefined ? x.timeMs - x.simSpanMs : undefined), 2, 1 / 1000),
			col((x) => x.serviceOverMs, 1),
			col((x) => x.turnaroundMs, 1),
			col((x) => x.servedLimitMs, 2, 1 / 1000),
			col((x) => (x.servedLimitMs && x.timeMs ? x.servedLimitMs / x.timeMs : undefined), 3),
			col((x) => x.throttled, 0),
			`${col((x) => x.successItems, 0)}${r.op === 'get' ? ` (found ${col((x) => x.found, 0)})` : ''}`,
			col((x) => (x.peakRssKb ? x.peakRssKb / 1024 : undefined), 0),
			`${g.length}${errors.length ? ` ERROR: ${errors[0].slice(0, 160)}` : ''}`,
		];
		p(`| ${cells.join(' | ')} |`);
	}
	p();
	p(
		"HTTP span = first request to last answer as the simulator saw them; T − span is the node reading and checking the items before the first request and building its output after the last answer (and n8n copying the input items before the node starts). Service beyond L = the time the simulator took per request on top of L: reading the request body, its own checks and store, writing the answer. The simulator runs in the bench process, on the same 2 cores as n8n, and does that work for the requests of a round one after another, so at 15 uploads at once it adds up; CleverTap's servers would not share n8n's CPU. T_limit at the simulator's service time = the rounds × (L + service beyond L): what a perfect client could reach against the simulator as it ran, and the ratio to it is what is left to the node and n8n. Slot idle = from an answer leaving the simulator to the next request taking that slot arriving: n8n and the node reading the answer and preparing the next request.",
	);
	p();
	const dry = ops.runs.filter((r) => r.dryRun);
	if (dry.length || ops.inputCost?.length) {
		p('### Reading, checking and building each record (Create or Update, Dry Run)');
		p();
		p(
			'| Profile Data | N | dry run (s) | µs per record | Limit node on the same items (µs per item) | dry run − Limit (µs per record) | runs |',
		);
		p('|---|---:|---:|---:|---:|---:|---:|');
		for (const g of groups(dry)) {
			const r = g[0];
			const limits = (ops.inputCost || []).filter((x) => x.n === r.n);
			const net = g
				.map((x) => {
					const lim = limits.find((l) => l.rep === x.rep) ?? limits[0];
					return lim && x.timeMs !== undefined ? ((x.timeMs - lim.timeMs) * 1000) / x.n : undefined;
				})
				.filter((x) => x !== undefined);
			const errors = g.filter((x) => x.error).map((x) => x.error);
			p(
				`| ${r.mode === 'fields' ? 'Define Below, `{{ $json.x }}`' : `JSON, \`${ops.jsonExpression ?? ''}\``} | ${int(r.n)} | ${range(
					g.map((x) => x.timeMs),
					2,
					1 / 1000,
				)} | ${range(g.map((x) => x.usPerRecord))} | ${range(
					limits.map((x) => x.usPerItem),
				)} | ${range(net)} | ${g.length}${errors.length ? ` ERROR: ${errors[0].slice(0, 160)}` : ''} |`,
			);
		}
		p();
		p(
			"Dry run = the node's execution time with the Dry Run option: it reads every item's values, checks them against CleverTap's limits, builds every record, plans the requests and builds one output item per input item, without sending anything. The Limit node keeping 1 of the same items is n8n's own handling of the input before any node's code runs (it copies every item to attach `pairedItem`, inside the node's execution time).",
		);
		p();
	}
	if (ops.profile?.length) {
		p('### CPU profile of the n8n process (`--profile`)');
		p();
		p(
			"The n8n process of one more run of each, with V8's CPU profiler on (which slows it), over the window in which the CleverTap node ran. Inclusive times of the named steps: the node's own functions, and n8n-workflow's `deepCopy`, which n8n's `getNode()` runs on the node every time the node asks for it.",
		);
		p();
		p(
			'| run | node T (ms) | window (ms) | busy (ms) | by package (ms) | named steps, inclusive (ms) |',
		);
		p('|---|---:|---:|---:|---|---|');
		for (const x of ops.profile) {
			if (x.error) {
				p(`| ${x.label} | – | – | – | ${x.error.slice(0, 200)} | |`);
				continue;
			}
			p(
				`| ${x.label} | ${int(x.nodeTimeMs)} | ${int(x.windowMs)} | ${int(x.busyMs)} | ${x.byPackage
					.slice(0, 6)
					.map((b) => `${b.pkg} ${int(b.ms)}`)
					.join(', ')} | ${(x.focus ?? x.clevertap.slice(0, 6))
					.map((c) => `${c.fn.split('  ')[0]} ${int(c.ms)}`)
					.join(', ')} |`,
			);
		}
		p();
	}
	p('### Every run');
	p();
	p(
		'| round | operation | Profile Data | L (ms) | N | dry run | load average | T (s) | T_limit / T | µs per record |',
	);
	p('|---:|---|---|---:|---:|---|---:|---:|---:|---:|');
	for (const r of ops.runs) {
		p(
			`| ${r.rep} | ${OPERATIONS[r.op].label} | ${r.op === 'upsert' ? (r.mode === 'fields' ? 'Define Below' : 'JSON') : '–'} | ${r.dryRun ? '–' : int(r.latency)} | ${int(r.n)} | ${r.dryRun ? 'yes' : 'no'} | ${fmt(r.loadAverage, 1)} | ${s(r.timeMs)} | ${r.dryRun ? '–' : fmt(r.ratio, 3)} | ${r.dryRun ? fmt(r.usPerRecord, 2) : '–'}${r.error ? ` ERROR: ${r.error.slice(0, 160)}` : ''} |`,
		);
	}
	p();
	return L;
}

module.exports = {
	OPERATIONS,
	OP_TARGETS,
	opLimitMs,
	operationTargets,
	operationsLine,
	operationsSection,
};
