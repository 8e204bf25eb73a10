'use strict';
/** Writes bench/results.md and bench/results.svg from the bench's results; returns the final line. */
const fs = require('node:fs');
const path = require('node:path');

const { operationsLine, operationsSection } = require('./operations-report');

const TARGETS = { ratio: 0.9, speedup: 50, mappingUs: 20 };

const fmt = (x, digits = 2) =>
	x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(digits);
const s = (ms) => fmt(ms / 1000, 2);
const int = (x) => (x === undefined || x === null ? '–' : Math.round(x).toLocaleString('en-US'));
const mb = (kb) => (kb ? fmt(kb / 1024, 0) : '–');
const limitPerIdentityMs = (n, latency) => (Math.ceil(n / 300) * latency) / n;

/** The node's plain run the peers are compared with: N = 10,000, or the largest size run. */
function comparedNode(results, latency) {
	const sizes = results.meta.sizes;
	const n = sizes.includes(10000) ? 10000 : sizes[sizes.length - 1];
	const node = results.node.find(
		(r) => r.latency === latency && r.n === n && r.expression === 'plain',
	);
	return { n, node };
}

/** Figures the final line and the targets are judged on. */
function headline(results) {
	const latency = results.meta.latencies.includes(200) ? 200 : results.meta.latencies[0];
	const { n, node } = comparedNode(results, latency);
	const http = results.http.find((r) => r.latency === latency);
	const speedup =
		node && http && node.perIdentityMs ? http.perIdentityMs / node.perIdentityMs : undefined;
	return { latency, n, node, http, speedup };
}

function speedupAt(results, latency, peerPerIdentity) {
	const { n, node } = comparedNode(results, latency);
	return node && peerPerIdentity ? { x: peerPerIdentity / node.perIdentityMs, n } : undefined;
}

function rssPer1000(kb, n, baselineKb) {
	return {
		gross: kb ? kb / 1024 / (n / 1000) : undefined,
		above: kb && baselineKb ? (kb - baselineKb) / 1024 / (n / 1000) : undefined,
	};
}

function targets(results) {
	const out = [];
	const l200 = results.meta.latencies.includes(200);
	for (const n of [10000, 100000]) {
		const r = results.node.find((x) => x.latency === 200 && x.n === n && x.expression === 'plain');
		out.push({
			target: `ratio T_limit / T ≥ ${TARGETS.ratio} at N = ${int(n)}, 200 ms, plain expression`,
			value: r ? fmt(r.ratio, 3) : l200 ? 'not run' : 'not run (200 ms not in --latencies)',
			met: r ? r.ratio >= TARGETS.ratio && !r.error : undefined,
		});
	}
	const h = headline(results);
	out.push({
		target: `≥ ${TARGETS.speedup}× the HTTP Request node per identity (${h.latency} ms, node at N = ${int(h.n)})`,
		value: h.speedup ? `${fmt(h.speedup, 0)}×` : 'not run',
		met: h.speedup ? h.speedup >= TARGETS.speedup : undefined,
	});
	const maxN = Math.max(...results.meta.sizes);
	const m =
		results.mapping.find((x) => x.n === 100000 && x.expression === 'plain') ||
		results.mapping.find((x) => x.n === maxN && x.expression === 'plain');
	const inputCost = (results.inputCost || []).find((x) => m && x.n === m.n);
	out.push({
		target: `mapping ≤ ${TARGETS.mappingUs} µs per item, plain expression, N = 100,000 (dry-run execution time / N)`,
		value: m
			? `${fmt(m.usPerItem, 2)} µs${m.n !== 100000 ? ` (at N = ${int(m.n)}; 100,000 not run)` : ''}` +
				(inputCost
					? `; a Limit node on the same items, n8n's own input handling and no node code, takes ${fmt(inputCost.usPerItem, 2)} µs`
					: '')
			: 'not run',
		met: m && m.n === 100000 ? m.usPerItem <= TARGETS.mappingUs : undefined,
	});
	const lin = linearity(results);
	out.push({
		target:
			'peak memory grows linearly with N (MB per 1,000 items above the N = 1 baseline, per size)',
		value: lin.text,
		met: lin.met,
	});
	return out;
}

/**
 * Linear growth: RSS above baseline per 1,000 items should not rise with N (it falls at small N,
 * where fixed costs dominate). Judged on the plain expression at the first latency.
 */
function linearity(results) {
	const lat = results.meta.latencies[0];
	const rows = results.node.filter(
		(r) => r.latency === lat && r.expression === 'plain' && r.peakRssKb,
	);
	const base = results.baseline?.peakRssKb;
	if (rows.length < 2 || !base) return { text: 'not enough sizes', met: undefined };
	const per = rows.map((r) => ({
		n: r.n,
		above: (r.peakRssKb - base) / 1024,
		perK: (r.peakRssKb - base) / 1024 / (r.n / 1000),
	}));
	const a = per[per.length - 2];
	const b = per[per.length - 1];
	const slope = (b.above - a.above) / ((b.n - a.n) / 1000);
	const text =
		per.map((p) => `${int(p.n)}: +${fmt(p.above, 0)} MB (${fmt(p.perK, 3)} MB/1k)`).join('; ') +
		`; slope ${int(a.n)}→${int(b.n)}: ${fmt(slope, 3)} MB/1k`;
	// Linear (or better): the largest size costs no more per item than the one before it, within 1.5×
	// (peak RSS depends on when V8 happens to collect, so it is noisy).
	return {
		text: `${text} (linear if the last MB/1k is within 1.5× of the one before)`,
		met: b.perK <= a.perK * 1.5,
		slope,
	};
}

function finalLine(results) {
	const h = headline(results);
	return `bench: N=${h.n} ratio_to_limit=${h.node ? fmt(h.node.ratio, 2) : 'NA'} speedup_vs_http_request_node=${h.speedup ? Math.round(h.speedup) + 'x' : 'NA'}`;
}

// ------------------------------------------------------------------------------------ markdown -

function markdown(results) {
	const { meta } = results;
	const base = results.baseline?.peakRssKb;
	const L = [];
	const p = (line = '') => L.push(line);
	p("# Benchmark: CleverTap node vs CleverTap's limit and vs what users do today");
	p();
	p(
		`Generated by \`npm run bench\` (bench/run.js${meta.quick ? ', --quick' : ''}) on ${meta.date.slice(0, 19).replace('T', ' ')} UTC.`,
	);
	p();
	p(`- Machine: ${meta.machine}`);
	p(
		`- n8n ${meta.n8n} (major ${meta.n8nMajor}) on Node ${meta.n8nNode}, run by the CLI (\`n8n execute --rawOutput\`) one workflow at a time; bench process on Node ${meta.benchNode}`,
	);
	p(
		`- Package n8n-nodes-clevertap ${meta.packageVersion} (commit ${meta.commit}), built and packed with \`npm pack\`, installed as a community package`,
	);
	if (!hasMainTables(results)) {
		// `--rtt-only` or `--ops-only` without an earlier full run: those parts alone.
		p();
		for (const line of operationsSection(results)) p(line);
		for (const line of networkSection(results)) p(line);
		return L.join('\n');
	}
	p(
		`- CleverTap simulator (test/simulator) on 127.0.0.1 in the bench process: service time L = ${meta.latencies.join(' ms and ')} ms per request, **3 concurrent demerge requests per account enforced** (429 beyond), 100 identities per request`,
	);
	p(
		`- Workflow: Manual Trigger → Code (N items \`{ identity: 'user-<i>@example.com' }\`, ${codeNodeMode(meta)}) → client node. Identities mapped by \`${meta.expressions.plain.slice(1)}\` (plain) or \`${meta.expressions.complex.slice(1)}\` (complex, n8n's full expression evaluation per item)`,
	);
	p(
		"- T = the client node's own `executionTime` from n8n's run data (n8n's boot, the Code node and the output printing are outside it). T_limit = ceil(N / 100 / 3) × L, the fastest any client can be under CleverTap's limit; ratio = T_limit / T (1.0 = at the limit)",
	);
	p();

	p('## Targets');
	p();
	p('| target | measured | met |');
	p('|---|---|---|');
	for (const t of targets(results))
		p(`| ${t.target} | ${t.value} | ${t.met === undefined ? '–' : t.met ? 'yes' : '**no**'} |`);
	p();

	p('## CleverTap node (real n8n)');
	p();
	p(
		'| L (ms) | N | expression | T (s) | T_limit (s) | T_limit / T | ms per identity | requests | 429s | peak concurrency | HTTP span (s) | mapping (µs/item, dry run) | peak RSS (MB) | RSS MB per 1,000 items (gross / above N=1 baseline) | items ok |',
	);
	p('|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
	for (const r of results.node) {
		const m = results.mapping.find((x) => x.n === r.n && x.expression === r.expression);
		const per = rssPer1000(r.peakRssKb, r.n, base);
		p(
			`| ${r.latency} | ${int(r.n)} | ${r.expression} | ${s(r.timeMs)} | ${s(r.limitMs)} | ${fmt(r.ratio, 3)} | ${fmt(r.perIdentityMs, 3)} | ${int(r.requests)} | ${int(r.throttled)} | ${r.peakConcurrency} | ${r.simSpanMs !== undefined ? s(r.simSpanMs) : '–'} | ${m ? fmt(m.usPerItem, 2) : '–'} | ${mb(r.peakRssKb)} | ${fmt(per.gross, 3)} / ${fmt(per.above, 3)} | ${int(r.successItems)}${r.error ? ` ERROR: ${r.error.slice(0, 120)}` : ''} |`,
		);
	}
	p();
	p(
		`Baseline: the same workflow with N = 1 peaks at ${mb(base)} MB RSS (n8n itself). Mapping = the node's execution time with the \`dryRun\` option (it reads, validates, deduplicates and plans every item and builds its output item, without HTTP) divided by N; dry-run times in ms: ${results.mapping.map((m) => `${int(m.n)} ${m.expression} ${int(m.timeMs)}`).join(', ')}.${inputCostSentence(results.inputCost)} HTTP span = first request to last answer as seen by the simulator; T minus the span is the node's time outside HTTP (its mapping and output, and n8n's per-item copying of the node's input before the node starts).`,
	);
	p();
	if ((results.inProcess || []).length) {
		p("### n8n 1.x's deprecated in-process Code node");
		p();
		p(
			"The same workflows in a second n8n instance with `N8N_RUNNERS_ENABLED=false`, n8n 1.x's default, which n8n 1.123 reports as deprecated at start-up. The Code node then runs inside the n8n process and its items are vm2 sandbox proxies. Before any node's `execute()` is called, n8n copies every input item to attach `pairedItem` (`{ ...item, pairedItem }`, n8n-core workflow-execute.js), and on proxies that copy goes through vm2's bridge. It counts in the node's execution time, so a Limit node that keeps 1 item shows what every node pays before its code runs:",
		);
		p();
		p(
			'| N | Limit node (s) | CleverTap dry run (s) | dry run − Limit (µs per item) | L (ms) | T (s) | T_limit / T | HTTP span (s) | T − span − Limit (s) | peak RSS (MB) | RSS MB per 1,000 items above N=1 baseline |',
		);
		p('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
		for (const x of results.inProcess) {
			const net =
				x.dryRunMs !== undefined && x.inputCostMs !== undefined
					? ((x.dryRunMs - x.inputCostMs) * 1000) / x.n
					: undefined;
			const rest =
				x.simSpanMs !== undefined && x.inputCostMs !== undefined
					? x.timeMs - x.simSpanMs - x.inputCostMs
					: undefined;
			p(
				`| ${int(x.n)} | ${s(x.inputCostMs)} | ${s(x.dryRunMs)} | ${fmt(net, 2)} | ${x.latency} | ${s(x.timeMs)} | ${fmt(x.ratio, 3)} | ${x.simSpanMs !== undefined ? s(x.simSpanMs) : '–'} | ${rest !== undefined ? s(rest) : '–'} | ${mb(x.peakRssKb)} | ${fmt(rssPer1000(x.peakRssKb, x.n, base).above, 3)} |${x.error ? ` ERROR: ${x.error.slice(0, 120)}` : ''}`,
			);
		}
		p();
	}
	if (results.inProcessError) {
		p(`The in-process check failed: ${results.inProcessError}`);
		p();
	}

	p('## Side by side: what users do today (same simulator, same limit)');
	p();
	p(
		'The peers run at smaller N where the full size would take minutes; compare **ms per identity** (T / N), which is flat in N for them (each request costs the same). The node is shown at N = 10,000 (or the largest size run).',
	);
	p();
	p(
		'| L (ms) | client | N | T (s) | ms per identity | requests | 429s | peak concurrency | node is faster per identity by |',
	);
	p('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
	for (const latency of meta.latencies) {
		const { n: nNode, node } = comparedNode(results, latency);
		if (node)
			p(
				`| ${latency} | **CleverTap node** (batches of 100, up to 3 at once) | ${int(node.n)} | ${s(node.timeMs)} | ${fmt(node.perIdentityMs, 3)} | ${int(node.requests)} | ${int(node.throttled)} | ${node.peakConcurrency} | 1× |`,
			);
		p(
			`| ${latency} | CleverTap's limit, T_limit | ${int(nNode)} | ${s(Math.ceil(nNode / 300) * latency)} | ${fmt(limitPerIdentityMs(nNode, latency), 3)} | ${int(Math.ceil(nNode / 100))} | 0 | 3 | ${node ? fmt(limitPerIdentityMs(nNode, latency) / node.perIdentityMs, 2) + '×' : '–'} |`,
		);
		for (const r of results.http.filter((x) => x.latency === latency)) {
			const sp = speedupAt(results, latency, r.perIdentityMs);
			p(
				`| ${latency} | HTTP Request node 4.2, one request per item, batching ${r.batching.batchSize} items every ${r.batching.batchInterval} ms | ${int(r.n)} | ${s(r.timeMs)} | ${fmt(r.perIdentityMs, 2)} | ${int(r.requests)} | ${int(r.throttled)} | ${r.peakConcurrency} | ${sp ? fmt(sp.x, 0) + '×' : '–'} |`,
			);
		}
		for (const r of results.sequential.filter((x) => x.latency === latency)) {
			const sp = speedupAt(results, latency, r.perIdentityMs);
			p(
				`| ${latency} | sequential client, batches of 100 one after another (Node fetch, outside n8n) | ${int(r.n)} | ${s(r.timeMs)} | ${fmt(r.perIdentityMs, 3)} | ${int(r.requests)} | ${int(r.throttled)} | ${r.peakConcurrency} | ${sp ? fmt(sp.x, 2) + '×' : '–'} |`,
			);
		}
	}
	p();

	const fails = results.httpFailures;
	if (fails.length) {
		p('### HTTP Request node settings that hit the limit');
		p();
		p('| L (ms) | N | batching | requests | 200s | 429s | peak concurrency | outcome |');
		p('|---:|---:|---|---:|---:|---:|---:|---|');
		for (const f of fails) {
			const b = f.batching
				? `${f.batching.batchSize} items every ${f.batching.batchInterval} ms`
				: 'none (default)';
			const ok = f.ok ?? f.requests - f.throttled;
			p(
				`| ${f.latency} | ${int(f.n)} | ${b} | ${int(f.requests)} | ${int(ok)} | ${int(f.throttled)} | ${f.peakConcurrency} | ${f.error ? 'workflow failed: ' + f.error.replace(/\|/g, '\\|').slice(0, 140) : f.throttled ? `succeeded but ${f.throttled} × 429` : 'succeeded'} |`,
			);
		}
		p();
		p(
			"The HTTP Request node 4.2 fires every item's request without waiting for the previous one; its batching option only *sleeps* `batchInterval` ms before every `batchSize`-th item. With `batchInterval: 0` it never sleeps, so `{ batchSize: 3, batchInterval: 0 }` behaves exactly like no batching: all N requests at once, and the 4th is answered 429, which fails the node. Staying under the limit needs `batchInterval` > L plus the node's own per-item time, a figure users have to guess (the editor default is 1,000 ms); the bench uses the smallest interval, L + margin, that ran without a 429.",
		);
		p();
	}

	for (const line of operationsSection(results)) p(line);
	for (const line of networkSection(results)) p(line);

	p('## Notes');
	p();
	for (const note of notes(results)) p(`- ${note}`);
	p();
	for (const pr of results.profile || []) {
		if (pr.error) {
			p(`CPU profile ${pr.label}: ${pr.error}`);
			p();
			continue;
		}
		p(
			`## CPU profile: ${pr.label} run, N = ${int(pr.n)}, L = ${pr.latency} ms, plain (\`${pr.file}\`)`,
		);
		p();
		p(
			`Window = the node's execution time (${int(pr.nodeTimeMs)} ms under the profiler) from its first sample: ${int(pr.busyMs)} ms busy, ${int(pr.idleMs)} ms idle (waiting for answers).`,
		);
		p();
		p('| self time by package | ms |');
		p('|---|---:|');
		for (const x of pr.byPackage.slice(0, 12)) p(`| ${x.pkg} | ${int(x.ms)} |`);
		p();
		p('| inclusive time | ms |');
		p('|---|---:|');
		for (const x of [...pr.clevertap.slice(0, 8), ...pr.n8n.slice(0, 8)])
			p(`| \`${x.fn}\` | ${int(x.ms)} |`);
		p();
	}
	p('![time per identity against N](results.svg)');
	p();
	return L.join('\n');
}

function notes(results) {
	const out = [];
	for (const latency of results.meta.latencies) {
		const rows = results.node.filter(
			(r) => r.latency === latency && r.expression === 'plain' && r.timeMs,
		);
		for (const r of rows) {
			const rounds = Math.ceil(r.requests / 3);
			const span = r.simSpanMs;
			const perRound = span !== undefined ? span / rounds : undefined;
			out.push(
				`L = ${latency} ms, N = ${int(r.n)}, plain: ${int(r.requests)} requests = ${int(rounds)} rounds of 3; the simulator saw the first request and the last answer ${span !== undefined ? int(span) : '–'} ms apart, ` +
					`${fmt(perRound, 1)} ms per round = L + ${fmt(perRound - latency, 1)} ms of client-side time per round; the other ${span !== undefined ? int(r.timeMs - span) : '–'} ms of T (${fmt(span !== undefined ? (100 * (r.timeMs - span)) / r.timeMs : undefined, 1)} %) are outside HTTP.` +
					(r.turnaroundMs !== undefined
						? ` Per request, the simulator answered after L + ${fmt(r.serviceOverMs, 2)} ms and the slot's next request arrived ${fmt(r.turnaroundMs, 2)} ms after an answer left (the client's turnaround).`
						: ''),
			);
		}
	}
	const conn = results.node.find((r) => r.connectionsPerRequest !== undefined);
	if (conn && conn.connectionsPerRequest > 0.9) {
		out.push(
			`n8n opens a new TCP connection for every request of the node (${fmt(conn.connectionsPerRequest, 2)} connections per request seen by the simulator): n8n-core builds a new http agent per request, so there is no keep-alive. On loopback that costs well under a millisecond; against the real CleverTap over TLS every request would also pay a TCP and TLS handshake inside its slot${results.network ? ' (measured in the network section above)' : ''}.`,
		);
	}
	const short = results.node.filter(
		(r) => r.latency < 100 && r.expression === 'plain' && r.simSpanMs,
	);
	if (short.length) {
		const r = short[short.length - 1];
		const over = r.simSpanMs / Math.ceil(r.requests / 3) - r.latency;
		out.push(
			`What bounds the ${r.latency} ms figure: n8n runs the node on one thread and every request costs client CPU inside n8n (about 3.4 ms in a CPU profile of n8n 1.123 on loopback, bench/README.md): \`httpRequestWithAuthentication\` building the axios request, a new http agent and TCP connection per request, and reading the answer. A slot stays empty from an answer until its next request arrives (the turnaround above, ${fmt(r.turnaroundMs, 1)} ms here: about twice the per-request CPU, as the three slots' work overlaps; starting the slots 20 ms apart did not change it), so a round takes L + ${fmt(over, 1)} ms instead of L: ${fmt((100 * over) / (r.latency + over), 0)} % of every round at ${r.latency} ms, ${fmt((100 * over) / (200 + over), 0)} % at 200 ms. Real CleverTap answers in hundreds of milliseconds, where the 200 ms figures apply.`,
		);
	}
	out.push(
		`Peak RSS is the n8n process's VmHWM (sampled every 100 ms) for the whole \`n8n execute\` run, so it includes n8n itself (see the N = 1 baseline), the Code node's N items as they reach the main process, the node's N output items and n8n's serialisation of the run data (database save, --rawOutput); "above baseline" divides what is left by N / 1,000.${results.meta.runners ? " The task runner is a separate process and is not counted: it holds the Code node's own copy of the items while that node runs, before the CleverTap node starts." : ''}`,
	);
	out.push(
		'The sequential client runs in the bench process (no n8n around it), so its per-identity figure is a lower bound for a sequential n8n workflow (e.g. Loop Over Items with batches of 100 and an HTTP Request node).',
	);
	out.push(
		'Per-identity times of the peers are flat in N (every request costs the same), which is why they are measured at smaller N: the HTTP Request node at a few hundred items (at 200 ms, 10,000 items would take over 10 minutes), the sequential client at up to 10,000.',
	);
	out.push(
		"The complex expression is evaluated by n8n's expression engine once per item (`getNodeParameter`), which dominates its mapping time; every other node (the HTTP Request node's JSON body included) pays the same per-item cost for such an expression.",
	);
	return out;
}

function codeNodeMode(meta) {
	if (meta.n8nMajor >= 2) return 'in a task runner, the only mode in n8n 2.x';
	return meta.runners
		? 'in a task runner: `N8N_RUNNERS_ENABLED=true`, the mode n8n 1.123 asks for at start-up and the only one in 2.x; items reach the next node as plain objects'
		: 'inside the n8n process: `N8N_RUNNERS_ENABLED=false`, deprecated in n8n 1.123; items reach the next node as vm2 sandbox proxies';
}

function inputCostSentence(inputCost) {
	if (!inputCost || !inputCost.length) return '';
	return ` n8n's own input handling for the same items, the execution time of a Limit node that keeps 1 item (n8n copies every input item before a node starts, and counts it in that node's time), in ms: ${inputCost.map((x) => `${int(x.n)} ${int(x.timeMs)}`).join(', ')}.`;
}

const hasMainTables = (results) => results.node.length > 0;

// ------------------------------------------------------------------------------------ network --

const CLIENT_LABELS = {
	node: '**CleverTap node** in n8n as released: a new connection for every request',
	'node-keep-alive-n8n':
		'CleverTap node in n8n with one kept-alive agent per host (the change proposed to n8n, emulated by a preload)',
	'three-new-connections':
		"Node https client, 3 at a time, a new connection for every request (n8n's pattern, without n8n)",
	'three-keep-alive': 'Node https client, 3 at a time, connections kept alive',
	'sequential-keep-alive':
		'sequential client, batches of 100 one after another, connection kept alive',
};

/** The best ratio a client that waits for each answer can reach: L / (L + k × RTT). */
const bestRatio = (latency, rtt, roundTrips) => latency / (latency + roundTrips * rtt);

/**
 * Per RTT: the node's ratio, its connection set-up share, the ratio with connections kept alive
 * (emulated n8n change), the sequential keep-alive client, and the bounds for both patterns.
 */
function networkSummary(results) {
	const net = results.network;
	if (!net) return [];
	return net.rtts.map((rtt) => {
		const row = (client, op = 'demerge') =>
			net.rows.find((r) => r.rtt === rtt && r.client === client && (r.op ?? 'demerge') === op);
		const node = row('node');
		const keptAlive = row('node-keep-alive-n8n');
		const sequential = row('sequential-keep-alive');
		return {
			rtt,
			node,
			keptAlive,
			sequential,
			upload: row('node', 'upsert'),
			uploadKeptAlive: row('node-keep-alive-n8n', 'upsert'),
			probe: net.probes.find((x) => x.rtt === rtt),
			boundNew: bestRatio(net.latency, rtt, 3),
			boundKept: bestRatio(net.latency, rtt, 1),
			nodeVsSequential:
				node?.perIdentityMs && sequential?.perIdentityMs
					? sequential.perIdentityMs / node.perIdentityMs
					: undefined,
		};
	});
}

/** Final stdout line of the network part. */
function networkLine(results) {
	const net = results.network;
	if (!net) return 'bench: rtt not run';
	const part = (key) =>
		networkSummary(results)
			.map((x) => `${x.rtt}:${x[key] && !x[key].error ? fmt(x[key].ratio, 2) : 'NA'}`)
			.join(',');
	const throttled = (key) =>
		networkSummary(results)
			.map((x) => `${x.rtt}:${x[key] ? int(x[key].throttled) : 'NA'}`)
			.join(',');
	const kept = net.rows.some((r) => r.client === 'node-keep-alive-n8n');
	const uploads = net.rows.some((r) => r.op === 'upsert');
	return (
		`bench: rtt L=${net.latency} N=${net.n} ratio_by_rtt=${part('node')} throttled_by_rtt=${throttled('node')}` +
		(kept ? ` keep_alive_n8n=${part('keptAlive')}` : '') +
		(uploads
			? ` upload_N=${net.uploadN} upload_ratio_by_rtt=${part('upload')} upload_throttled_by_rtt=${throttled('upload')}` +
				(kept ? ` upload_keep_alive_n8n=${part('uploadKeptAlive')}` : '')
			: '')
	);
}

const pct = (x) => (x === undefined || x === null ? '–' : `${fmt(100 * x, 0)} %`);

/** The network section of results.md (empty when the network part did not run). */
function networkSection(results) {
	const net = results.network;
	const L = [];
	const p = (line = '') => L.push(line);
	if (results.networkError) {
		p(`The network part failed: ${results.networkError}`);
		p();
	}
	if (!net) return L;
	p(`## The network: TLS and round-trip time (n8n ${net.n8n}, L = ${net.latency} ms)`);
	p();
	p(
		`Measured on ${net.date ? net.date.slice(0, 19).replace('T', ' ') + ' UTC' : '–'}, n8n ${net.n8n} on Node ${net.n8nNode ?? '–'}, package at commit ${net.commit ?? '–'}${net.tarball ? ` (tarball ${net.tarball})` : ''}; load average ${fmt(net.loadAverage, 1)} at the start (2 cores: above 2, other processes competed for the CPU).`,
	);
	p();
	p(
		`The simulator is served over TLS (a certificate the bench makes, trusted by n8n through \`NODE_EXTRA_CA_CERTS\`) behind a front end that adds a round-trip time (RTT) to every exchange, connection set-up included: a new connection costs 1 RTT for TCP and 1 RTT for TLS 1.3 before its request, as it does across regions (bench/lib/network.js). The node runs N = ${int(net.n)} identities in real n8n; the plain Node clients run in the bench process, ${int(net.slotsN)} identities 3 at a time and ${int(net.sequentialN)} one request at a time (their time per identity does not depend on N). The network part took ${net.durationS ?? '–'} s.`,
	);
	p();
	p(
		'### What one request costs (plain Node https client, one request at a time, median of ' +
			`${net.probes[0]?.count ?? '–'})`,
	);
	p();
	p(
		'| RTT (ms) | new connection: TLS ready after (ms) | expected 2 RTT | new connection: answered after (ms) | expected 3 RTT + L | kept-alive connection: answered after (ms) | expected RTT + L | TLS | best ratio, new connection per request: L / (L + 3 RTT) | best ratio, connections kept alive: L / (L + RTT) |',
	);
	p('|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|');
	for (const x of net.probes) {
		p(
			`| ${x.rtt} | ${fmt(x.handshakeMs, 1)} | ${2 * x.rtt} | ${fmt(x.freshMs, 1)} | ${3 * x.rtt + x.latency} | ${fmt(x.keptMs, 1)} | ${x.rtt + x.latency} | ${Object.keys(x.protocols || {}).join(', ') || '–'} | ${fmt(bestRatio(x.latency, x.rtt, 3), 3)} | ${fmt(bestRatio(x.latency, x.rtt, 1), 3)} |`,
		);
	}
	p();
	p(
		"The best ratios assume no client time at all: a client that waits for each answer leaves CleverTap's slot empty for at least the answer's way back and the next request's way there (1 RTT), plus 2 RTT of set-up when every request opens a new connection.",
	);
	p();
	p('### Ratio to the limit, and what connection set-up costs');
	p();
	p(
		'| RTT (ms) | client | N | T (s) | T_limit / T | ms per identity | connections per request | most open at once | accepted → request at the server (ms) | set-up per connection (ms) | request slot at the server (ms) | set-up share of the slot | slot idle between answer and next request (ms) | 429s | most served at once |',
	);
	p('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
	for (const r of net.rows) {
		const label = CLIENT_LABELS[r.client] ?? r.client;
		p(
			`| ${r.rtt} | ${r.op === 'upsert' ? `Create or Update (1,000 records a request, ${r.slots} at a time): ${label}` : label} | ${int(r.n)} | ${s(r.timeMs)} | ${fmt(r.ratio, 3)} | ${fmt(r.perIdentityMs, 3)} | ${fmt(r.connectionsPerRequest, 2)} | ${r.peakOpenConnections ?? '–'} | ${fmt(r.connectToRequestMs, 1)} | ${fmt(r.setupMs, 1)} | ${fmt(r.slotMs, 1)} | ${pct(r.setupShare)} | ${fmt(r.turnaroundMs, 1)} | ${int(r.throttled)}${r.error ? ` ERROR: ${r.error.slice(0, 120)}` : ''} | ${r.peakConcurrency ?? '–'} |`,
		);
	}
	p();
	p(
		"Connections are counted at the front end. Set-up per connection = from the front end accepting the connection to the client's first request reaching the server, less that request's own way there (RTT / 2): the TCP and TLS handshakes and the client's work in between. Request slot = one of CleverTap's 3 slots from a request's arrival to the next request's arrival in it, from the simulator's records: the service time (L) and then the slot idle, from the answer leaving to the client's next request arriving (last column); set-up share = connections per request × set-up per connection / slot.",
	);
	p();
	for (const x of networkSummary(results)) {
		if (!x.node) continue;
		const parts = [
			`RTT ${x.rtt} ms: the node reaches ${fmt(x.node.ratio, 3)} of the limit; the best a new connection per request allows is ${fmt(x.boundNew, 3)}, and connection set-up fills ${pct(x.node.setupShare)} of each request slot (${fmt(x.node.setupMs, 1)} ms per connection, ${fmt(x.node.connectionsPerRequest, 2)} connections per request).`,
		];
		if (x.keptAlive)
			parts.push(
				`With connections kept alive by n8n it reaches ${fmt(x.keptAlive.ratio, 3)} (best ${fmt(x.boundKept, 3)}), ${fmt(x.keptAlive.connectionsPerRequest, 2)} connections per request.`,
			);
		if (x.upload)
			parts.push(
				`Create or Update (N = ${int(x.upload.n)}, ${x.upload.slots} at a time) reaches ${fmt(x.upload.ratio, 3)}${x.uploadKeptAlive ? ` (${fmt(x.uploadKeptAlive.ratio, 3)} kept alive)` : ''}.`,
			);
		if (x.nodeVsSequential)
			parts.push(
				`It is ${fmt(x.nodeVsSequential, 2)}× faster per identity than the sequential client over a kept-alive connection.`,
			);
		p(`- ${parts.join(' ')}`);
	}
	p();
	return L;
}

// ------------------------------------------------------------------------------------ svg ------

function esc(t) {
	return String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function svg(results) {
	const latencies = results.meta.latencies;
	const panelW = 460;
	const panelH = 340;
	const margin = { left: 70, right: 20, top: 40, bottom: 50 };
	const legendH = 120;
	const W = latencies.length * (panelW + margin.left + margin.right) + 20;
	const H = panelH + margin.top + margin.bottom + legendH + 40;

	const allN = [
		...results.meta.sizes,
		...results.http.map((r) => r.n),
		...results.sequential.map((r) => r.n),
	];
	const xMin = 10 ** Math.floor(Math.log10(Math.min(...allN)));
	const xMax = 10 ** Math.ceil(Math.log10(Math.max(...allN)));
	const ys = [
		...results.node.map((r) => r.perIdentityMs),
		...results.http.map((r) => r.perIdentityMs),
		...results.sequential.map((r) => r.perIdentityMs),
		...latencies.map((l) => limitPerIdentityMs(xMax, l)),
	].filter((y) => y > 0);
	const yMin = 10 ** Math.floor(Math.log10(Math.min(...ys)));
	const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys)));

	const series = [
		{ key: 'limit', label: 'CleverTap limit: ceil(N/300)·L / N', color: '#888', dash: '6 4' },
		{ key: 'plain', label: 'CleverTap node, plain {{ $json.identity }}', color: '#1f6feb' },
		{ key: 'complex', label: 'CleverTap node, complex expression', color: '#8957e5' },
		{ key: 'seq', label: 'sequential client, batches of 100', color: '#d29922' },
		{ key: 'http', label: 'HTTP Request node, 1 request per item (batched)', color: '#cf222e' },
	];

	const out = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
	);
	out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
	out.push(
		`<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">Time per identity (ms, log) against N (log): n8n ${esc(results.meta.n8n)}, 3 concurrent requests allowed</text>`,
	);

	latencies.forEach((latency, i) => {
		const ox = 10 + i * (panelW + margin.left + margin.right) + margin.left;
		const oy = margin.top + 10;
		const x = (n) =>
			ox + ((Math.log10(n) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * panelW;
		const y = (v) =>
			oy +
			panelH -
			((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * panelH;
		out.push(`<g>`);
		out.push(
			`<text x="${ox + panelW / 2}" y="${oy - 8}" text-anchor="middle" font-size="13" font-weight="bold">service time L = ${latency} ms</text>`,
		);
		out.push(
			`<rect x="${ox}" y="${oy}" width="${panelW}" height="${panelH}" fill="none" stroke="#444"/>`,
		);
		for (let d = Math.log10(xMin); d <= Math.log10(xMax); d++) {
			const xx = x(10 ** d);
			out.push(`<line x1="${xx}" y1="${oy}" x2="${xx}" y2="${oy + panelH}" stroke="#e5e5e5"/>`);
			out.push(
				`<text x="${xx}" y="${oy + panelH + 16}" text-anchor="middle">${int(10 ** d)}</text>`,
			);
		}
		for (let d = Math.log10(yMin); d <= Math.log10(yMax); d++) {
			const yy = y(10 ** d);
			out.push(`<line x1="${ox}" y1="${yy}" x2="${ox + panelW}" y2="${yy}" stroke="#e5e5e5"/>`);
			out.push(
				`<text x="${ox - 6}" y="${yy + 4}" text-anchor="end">${10 ** d >= 1 ? int(10 ** d) : String(10 ** d)}</text>`,
			);
		}
		out.push(
			`<text x="${ox + panelW / 2}" y="${oy + panelH + 36}" text-anchor="middle">N (identities, one per item)</text>`,
		);
		out.push(
			`<text transform="translate(${ox - 50},${oy + panelH / 2}) rotate(-90)" text-anchor="middle">ms per identity</text>`,
		);

		const poly = (pts, st) => {
			if (!pts.length) return;
			if (pts.length > 1)
				out.push(
					`<polyline fill="none" stroke="${st.color}" stroke-width="2"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''} points="${pts.map(([n, v]) => `${x(n).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
				);
			if (!st.noDots)
				for (const [n, v] of pts)
					out.push(
						`<circle cx="${x(n).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${st.color}"><title>${esc(st.label)}: N=${int(n)}, ${fmt(v, 3)} ms/identity</title></circle>`,
					);
		};
		const st = Object.fromEntries(series.map((x2) => [x2.key, x2]));
		// The limit, drawn finely (it is a saw-tooth at small N).
		const limitPts = [];
		for (let k = 0; k <= 200; k++) {
			const n = Math.round(
				10 ** (Math.log10(xMin) + (k / 200) * (Math.log10(xMax) - Math.log10(xMin))),
			);
			limitPts.push([n, limitPerIdentityMs(n, latency)]);
		}
		poly(limitPts, { ...st.limit, noDots: true });
		for (const key of ['plain', 'complex']) {
			poly(
				results.node
					.filter((r) => r.latency === latency && r.expression === key && r.perIdentityMs)
					.map((r) => [r.n, r.perIdentityMs]),
				st[key],
			);
		}
		// Peers: measured points, then their per-identity time carried flat to the largest N (dotted).
		for (const [key, rows] of [
			['seq', results.sequential],
			['http', results.http],
		]) {
			const pts = rows
				.filter((r) => r.latency === latency)
				.map((r) => [r.n, r.perIdentityMs])
				.sort((a, b) => a[0] - b[0]);
			if (!pts.length) continue;
			const [lastN, lastV] = pts[pts.length - 1];
			if (lastN < xMax)
				poly(
					[
						[lastN, lastV],
						[xMax, lastV],
					],
					{ ...st[key], dash: '2 4', noDots: true },
				);
			poly(pts, st[key]);
		}
		out.push(`</g>`);
	});

	const ly = margin.top + 10 + panelH + margin.bottom + 10;
	series.forEach((sr, i) => {
		const yy = ly + i * 20;
		out.push(
			`<line x1="${margin.left + 10}" y1="${yy}" x2="${margin.left + 50}" y2="${yy}" stroke="${sr.color}" stroke-width="2"${sr.dash ? ` stroke-dasharray="${sr.dash}"` : ''}/>`,
		);
		out.push(`<text x="${margin.left + 58}" y="${yy + 4}">${esc(sr.label)}</text>`);
	});
	out.push(
		`<text x="${margin.left + 10}" y="${ly + series.length * 20 + 8}" fill="#555">Dots are measurements. The peers were measured at smaller N; their time per identity does not depend on N, so it is carried flat (dotted). See results.md next to this chart.</text>`,
	);
	out.push('</svg>');
	return out.join('\n') + '\n';
}

/** The tables of a results object before anything is measured. */
function emptyTables() {
	return {
		baseline: null,
		mapping: [],
		inputCost: [],
		inProcess: [],
		node: [],
		http: [],
		httpFailures: [],
		sequential: [],
		profile: null,
		operations: null,
	};
}

function writeReport(results, dir) {
	fs.writeFileSync(path.join(dir, 'results.md'), markdown(results) + '\n');
	if (!hasMainTables(results))
		return results.network || !results.operations ? networkLine(results) : operationsLine(results);
	fs.writeFileSync(path.join(dir, 'results.svg'), svg(results));
	return finalLine(results);
}

module.exports = {
	emptyTables,
	writeReport,
	finalLine,
	networkLine,
	networkSection,
	networkSummary,
	targets,
	markdown,
	svg,
};
