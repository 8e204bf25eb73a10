'use strict';
/**
 * `--compare-tarball <tgz>` (issue 20, point 5): the package under test and another tarball (an
 * earlier commit's, or several) side by side in n8n 1.x's default set-up, the Code node inside the n8n process
 * (`N8N_RUNNERS_ENABLED=false`), whose items reach the next node as vm2 proxies in a vm2 proxy
 * array. One n8n instance per package; every round runs, for each package in turn (the first
 * package rotates every round), a Limit node on the same N items (n8n's own copy of the input), the
 * node's dry run and its real Demerge against the simulator at L, with Include Input Fields on and
 * off where the package has that option. Report: bench/lib/legacy-code-node-report.js.
 */
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const wf = require('./workflows');
const { nodeRun, runError } = require('./n8n-runs');

const IN_PROCESS_ENV = { N8N_RUNNERS_ENABLED: 'false' };

/** Whether a packed package has the Include Input Fields option (commits before it do not). */
function hasIncludeInputFields(tarball) {
	try {
		const text = execFileSync('tar', ['-xzOf', tarball, '--wildcards', 'package/dist/*.js'], {
			encoding: 'utf8',
			maxBuffer: 256 * 2 ** 20,
		});
		return text.includes('includeInputFields');
	} catch {
		return false;
	}
}

/** The workflows of one round: Limit, and per setting a dry run and a real run. */
function roundWorkflows(n) {
	const noInput = { options: { includeInputFields: false }, tag: 'n' };
	return {
		limit: wf.inputCostWorkflow({ n }),
		dry: {
			default: wf.cleverTapWorkflow({ n, expression: 'plain', dryRun: true }),
			noInput: wf.cleverTapWorkflow({ n, expression: 'plain', dryRun: true, ...noInput }),
		},
		real: {
			default: wf.cleverTapWorkflow({ n, expression: 'plain', dryRun: false }),
			noInput: wf.cleverTapWorkflow({ n, expression: 'plain', dryRun: false, ...noInput }),
		},
	};
}

/**
 * Runs the comparison and returns its record (the report's input). `packages`: [{ key, tag,
 * label, tarball }], the package under test first.
 */
async function runLegacyCompare({
	n8n,
	n8nVersion,
	createN8nInstance,
	sim,
	packages,
	n,
	latency,
	rounds,
	workDir,
	log,
}) {
	const started = Date.now();
	const limitMs = Math.ceil(n / 100 / 3) * latency;
	const timeoutMs = Math.max(180_000, 3 * limitMs + 240_000 + n * 2);
	const workflows = roundWorkflows(n);
	const all = [workflows.limit, ...Object.values(workflows.dry), ...Object.values(workflows.real)];
	const out = {
		date: new Date(started).toISOString(),
		n8n: n8nVersion,
		codeNodeMode: 'inside the n8n process (N8N_RUNNERS_ENABLED=false), items are vm2 proxies',
		cores: os.cpus().length,
		n,
		latency,
		limitMs,
		rounds,
		packages: [],
		runs: [],
	};

	const instances = new Map();
	for (const pkg of packages) {
		const has = hasIncludeInputFields(pkg.tarball);
		out.packages.push({
			key: pkg.key,
			tag: pkg.tag,
			label: pkg.label,
			tarball: path.basename(pkg.tarball),
			hasIncludeInputFields: has,
			variants: has ? ['default', 'noInput'] : ['default'],
		});
		const instance = createN8nInstance({
			n8n,
			userFolder: path.join(workDir, `n8n-user-legacy-${pkg.key}`),
			env: IN_PROCESS_ENV,
		});
		await instance.installPackage(pkg.tarball);
		await instance.importCredentials([wf.credential(sim.url)]);
		await instance.importWorkflow(all);
		instances.set(pkg.key, instance);
		log(
			`compare: ${pkg.label} (${path.basename(pkg.tarball)}) installed, Include Input Fields ${has ? 'present' : 'absent'}`,
		);
	}

	const steps = [
		{ kind: 'limit' },
		{ kind: 'dry', variant: 'default' },
		{ kind: 'dry', variant: 'noInput' },
		{ kind: 'real', variant: 'default' },
		{ kind: 'real', variant: 'noInput' },
	];
	for (let round = 1; round <= rounds; round++) {
		// The first package rotates every round (with two: A B, B A, A B…).
		const first = (round - 1) % out.packages.length;
		const order = [...out.packages.slice(first), ...out.packages.slice(0, first)];
		for (const step of steps) {
			for (const pkg of order) {
				if (step.variant && !pkg.variants.includes(step.variant)) continue;
				const workflow =
					step.kind === 'limit' ? workflows.limit : workflows[step.kind][step.variant];
				const entry = await measure({
					instance: instances.get(pkg.key),
					sim,
					workflow,
					step,
					n,
					latency,
					timeoutMs,
				});
				Object.assign(entry, { round, pkg: pkg.key });
				out.runs.push(entry);
				log(
					`compare round ${round}/${rounds}: ${pkg.label} ${step.kind}${step.variant ? ` (${step.variant})` : ''}: ${entry.timeMs} ms` +
						(step.kind === 'real'
							? `, ratio ${(limitMs / entry.timeMs).toFixed(3)}, ${entry.requests} requests, ${entry.throttled} × 429`
							: '') +
						`, load ${entry.loadAverage.toFixed(2)}${entry.error ? ' ERROR ' + entry.error : ''}`,
				);
			}
		}
	}
	out.durationS = Math.round((Date.now() - started) / 1000);
	return out;
}

/** One `n8n execute` and what it shows: the node's executionTime, requests, items, problems. */
async function measure({ instance, sim, workflow, step, n, latency, timeoutMs }) {
	const nodeName = step.kind === 'limit' ? wf.LIMIT_NODE : wf.CLEVERTAP_NODE;
	const loadAverage = os.loadavg()[0];
	sim.reset();
	sim.setLatency(latency);
	const r = await instance.execute(workflow.id, { timeoutMs });
	const run = nodeRun(r.json, nodeName);
	const stats = sim.stats();
	const items = run?.data?.main?.[0] || [];
	const expectedStatus = { dry: 'dryRun', real: 'success' }[step.kind];
	const entry = {
		kind: step.kind,
		variant: step.variant,
		loadAverage,
		timeMs: run?.executionTime,
		requests: stats.demergeRequests,
		throttled: stats.byStatus['429'] || 0,
		peakRssKb: r.peakRssKb,
		durationMs: r.durationMs,
	};
	let problem;
	if (step.kind === 'limit') {
		if (items.length !== 1) problem = `the Limit node passed ${items.length} items on`;
	} else {
		const ok = items.filter((item) => item.json && item.json.status === expectedStatus).length;
		entry.successItems = ok;
		if (ok !== n) problem = `${ok} of ${n} items have status ${expectedStatus}`;
		const expectedRequests = step.kind === 'dry' ? 0 : Math.ceil(n / 100);
		if (stats.identitiesDemerged !== (step.kind === 'dry' ? 0 : n))
			problem = `the simulator demerged ${stats.identitiesDemerged} identities`;
		if (step.kind === 'dry' && entry.requests !== expectedRequests)
			problem = `a dry run sent ${entry.requests} requests`;
	}
	entry.error = runError(r, nodeName) || problem;
	return entry;
}

module.exports = { runLegacyCompare, hasIncludeInputFields };
