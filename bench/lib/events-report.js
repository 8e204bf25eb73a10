'use strict';
/**
 * Event → Get Many in the operations part of the bench (issue 21): its pages, its expected time,
 * the issue's target, the log line of each run, the final line's figures and its section of
 * results.md, from `results.operations.events` (bench/lib/operations.js). Pure: checked on made-up
 * figures in test/unit/bench/events-report.test.ts.
 *
 * The node opens the query with one request (POST /1/events.json) and then reads the pages one
 * after another (GET with the cursor). The time it spends on its own (reading the answers,
 * building the items, n8n's requests) is measured at L = 0 ms, where every request is answered at
 * once; at L > 0 the expected time is then pages × L + that own cost.
 */

/** CleverTap fills pages in multiples of 23 records, up to a batch size of 5,000. */
const PAGE_UNIT = 23;
const MAX_BATCH_SIZE = 5000;

/**
 * Issue 21: within 10 % of (N / batch size) pages × L plus the node's own cost. It bounds the
 * node's time, so a run meets it at no more than 10 % above; runs more than 10 % below are told.
 */
const EVENTS_TARGET = { within: 0.1 };

/** Records in a full page at `batchSize`: 4,991 at 5,000 (CleverTap ignores sizes under 23). */
function pageSize(batchSize) {
	return Math.floor(Math.min(batchSize, MAX_BATCH_SIZE) / PAGE_UNIT) * PAGE_UNIT;
}

/** Pages CleverTap sends for N records at `batchSize`: 21 for 100,000 at 5,000. */
function expectedPages(n, batchSize) {
	return Math.ceil(n / pageSize(batchSize));
}

/** Pages the issue counts for N records at `batchSize` (N / batch size): 20 for 100,000 at 5,000. */
function issuePages(n, batchSize) {
	return Math.ceil(n / batchSize);
}

const ok = (r) => r && !r.error && typeof r.timeMs === 'number';

/**
 * The own-cost run (L = 0) for a run at L > 0: the one of the same round, else the first that
 * worked. Undefined when none worked.
 */
function ownRunFor(events, run) {
	const own = events.runs.filter((r) => r.latency === 0 && ok(r));
	return own.find((r) => r.rep === run.rep) ?? own[0];
}

/**
 * The figures of one run at L > 0 against its own cost: pages actually read, expected =
 * pages × L + own cost, the issue's target = (N / batch size) × L + own cost, and T divided by
 * each. Any figure that cannot be had is undefined.
 */
function eventFigures(events, run, own = ownRunFor(events, run)) {
	const ownMs = ok(own) ? own.timeMs : undefined;
	const pages = run.pages;
	const targetPages = issuePages(events.n, events.batchSize);
	const expectedMs =
		ownMs !== undefined && typeof pages === 'number' ? pages * run.latency + ownMs : undefined;
	const targetMs = ownMs !== undefined ? targetPages * run.latency + ownMs : undefined;
	const measured = ok(run) ? run.timeMs : undefined;
	return {
		// What T holds beyond the waits at L (the query's included): the own cost as it was at L.
		beyondWaitsMs:
			measured !== undefined && typeof run.requests === 'number'
				? measured - run.requests * run.latency
				: undefined,
		pages,
		targetPages,
		ownMs,
		ownUsPerRecord: ownMs !== undefined ? (ownMs * 1000) / events.n : undefined,
		expectedMs,
		ratio: measured !== undefined && expectedMs ? measured / expectedMs : undefined,
		targetMs,
		targetRatio: measured !== undefined && targetMs ? measured / targetMs : undefined,
	};
}

/** Every run at L > 0 with its figures, in order. */
function eventRows(events) {
	if (!events) return [];
	return events.runs
		.filter((r) => r.latency > 0)
		.map((run) => ({ run, ...eventFigures(events, run) }));
}

/** Whether a ratio T / target is no more than the issue's 10 % above it. */
const withinTarget = (ratio) =>
	typeof ratio === 'number' && ratio <= 1 + EVENTS_TARGET.within + 1e-12;
/** Whether a ratio T / target is more than 10 % below it (faster than the own cost foretold). */
const farBelow = (ratio) => typeof ratio === 'number' && ratio < 1 - EVENTS_TARGET.within - 1e-12;

const fmt = (x, digits = 2) =>
	x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(digits);
const int = (x) => (x === undefined || x === null ? '–' : Math.round(x).toLocaleString('en-US'));
const s = (ms) => fmt(ms === undefined ? undefined : ms / 1000, 2);

/** "a–b" over the values that are numbers (one value alone; '–' for none). */
function range(values, format) {
	const xs = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
	if (!xs.length) return '–';
	const lo = format(Math.min(...xs));
	const hi = format(Math.max(...xs));
	return lo === hi ? lo : `${lo}–${hi}`;
}

/** The issue's target, judged on every run at the issue's L (met only when every run meets it). */
function eventsTarget(events) {
	const rows = eventRows(events);
	const target = `Event → Get Many: T within ${EVENTS_TARGET.within * 100} % of ${issuePages(events.n, events.batchSize)} pages × ${int(events.latency)} ms + the node's own cost, N = ${int(events.n)}, Batch Size ${int(events.batchSize)} (T / (${issuePages(events.n, events.batchSize)} × L + T at L = 0) ≤ ${fmt(1 + EVENTS_TARGET.within, 2)})`;
	const runs = rows.filter((x) => x.run.latency === events.latency);
	if (!runs.length) return { target, value: 'not run', met: undefined, verdict: '–' };
	const good = runs.filter((x) => !x.run.error && withinTarget(x.targetRatio)).length;
	const below = runs.filter((x) => !x.run.error && farBelow(x.targetRatio)).length;
	const of =
		`${good} of ${runs.length} run${runs.length === 1 ? '' : 's'}` +
		(below ? `; ${below} of them more than ${EVENTS_TARGET.within * 100} % below it` : '');
	return {
		target,
		value: range(
			runs.map((x) => x.targetRatio),
			(x) => fmt(x, 3),
		),
		met: good === runs.length,
		verdict: good === runs.length ? `yes (${of})` : `**no** (${of})`,
	};
}

/** One run's log line, in the style of the other operations. */
function eventsRunLine(events, run) {
	const head = `ops round ${run.rep}: events N=${run.n} L=${run.latency}: T=${run.timeMs} ms`;
	const tail =
		`, ${run.successItems}/${run.n} ok, RSS ${run.peakRssKb ? (run.peakRssKb / 1024).toFixed(0) : '–'} MB, load ${fmt(run.loadAverage, 1)}` +
		(run.error ? ` ERROR ${run.error}` : '');
	const pages = `${run.pages} pages read (${int(pageSize(events.batchSize))} records a full page, ${run.requests} requests with the query)`;
	if (run.latency === 0) {
		const us = typeof run.timeMs === 'number' ? (run.timeMs * 1000) / run.n : undefined;
		return `${head} = own cost ${fmt(us, 2)} µs/record, ${pages}, simulator's own work ${int(run.simWorkMs)} ms, between an answer and the next request ${fmt(run.turnaroundMs, 1)} ms${tail}`;
	}
	const f = eventFigures(events, run);
	return (
		`${head}, ${pages}; expected ${run.pages} × ${run.latency} + ${int(f.ownMs)} = ${int(f.expectedMs)} ms, ratio ${fmt(f.ratio, 3)}; ` +
		`the issue's ${f.targetPages} × ${run.latency} + ${int(f.ownMs)} = ${int(f.targetMs)} ms, ratio ${fmt(f.targetRatio, 3)}; ` +
		`own cost ${fmt(f.ownUsPerRecord, 2)} µs/record, T − ${run.requests} × ${run.latency} = ${int(f.beyondWaitsMs)} ms, simulator's own work ${int(run.simWorkMs)} ms, between an answer and the next request ${fmt(run.turnaroundMs, 1)} ms${tail}`
	);
}

/** Worst figure over the runs that worked. */
function worst(values, pick) {
	const xs = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
	return xs.length ? pick(...xs) : undefined;
}

/**
 * The final line's figures: pages read (the most), T / expected and T / the issue's target (the
 * highest) at the events' L, and the own cost per record (the highest).
 */
function eventsLineParts(events) {
	if (!events) return [];
	const rows = eventRows(events).filter((x) => !x.run.error && x.run.latency === events.latency);
	const own = events.runs.filter((r) => r.latency === 0 && ok(r));
	const na = (x, digits) => (x === undefined ? 'NA' : fmt(x, digits));
	const pages = worst(
		rows.map((x) => x.pages),
		Math.max,
	);
	return [
		`events_pages=${pages === undefined ? 'NA' : pages}`,
		`events_ratio=${na(
			worst(
				rows.map((x) => x.ratio),
				Math.max,
			),
			2,
		)}`,
		`events_issue_ratio=${na(
			worst(
				rows.map((x) => x.targetRatio),
				Math.max,
			),
			2,
		)}`,
		`events_us_per_record=${na(
			worst(
				own.map((r) => (r.timeMs * 1000) / events.n),
				Math.max,
			),
			1,
		)}`,
	];
}

/** The section of results.md for Event → Get Many (empty when it did not run). */
function eventsSection(events) {
	const L = [];
	const p = (line = '') => L.push(line);
	if (!events) return L;
	const full = pageSize(events.batchSize);
	const targetPages = issuePages(events.n, events.batchSize);
	p(`## Event → Get Many (n8n ${events.n8n})`);
	p();
	p(
		`Measured on ${events.date.slice(0, 19).replace('T', ' ')} UTC, n8n ${events.n8n} on Node ${events.n8nNode ?? '–'}, package at commit ${events.commit ?? '–'}${events.tarball ? ` (tarball ${events.tarball})` : ''}; every measurement ${events.repeat === 1 ? 'once' : `${events.repeat} times`}, the rounds one after another (L = 0 ms, then L = ${int(events.latency)} ms). The part took ${events.durationS ?? '–'} s. Load average (1 minute) before each run: ${range(
			events.runs.map((r) => r.loadAverage),
			(x) => fmt(x, 1),
		)} on ${events.cores ?? '–'} cores.`,
	);
	p();
	p(
		`Manual Trigger → CleverTap (Event → Get Many, Return All, Batch Size ${int(events.batchSize)}), one workflow at a time. The simulator holds N = ${int(events.n)} events named "${events.query?.eventName ?? '–'}" on ${int(events.profiles)} profiles, from ${events.query?.from ?? '–'} to ${events.query?.to ?? '–'}. The node opens the query (POST /1/events.json) and reads the pages one after another (GET with the cursor). CleverTap fills pages in multiples of 23, so Batch Size ${int(events.batchSize)} gives pages of ${int(full)} and N events take ${expectedPages(events.n, events.batchSize)} pages, not the ${targetPages} of N / ${int(events.batchSize)}. T = the CleverTap node's \`executionTime\`. Own cost = T with the simulator answering at once (L = 0 ms): the node and n8n reading the answers and building the items, and the simulator building each page, which runs in the bench process on the same cores. Expected = pages read × L + own cost; the issue's target = ${targetPages} × L + own cost, T within ${EVENTS_TARGET.within * 100} % of it (a bound on the node's time: met at no more than ${EVENTS_TARGET.within * 100} % above). The query that opens the cursor waits L too, so T is one L above expected even for a perfect client.`,
	);
	p();
	const t = eventsTarget(events);
	p('| target | measured | met |');
	p('|---|---|---|');
	p(`| ${t.target} | ${t.value} | ${t.verdict} |`);
	p();
	const rows = eventRows(events);
	if (rows.length) {
		p(
			"| L (ms) | N | pages read (full page) | requests | T (s) | own cost: T at L = 0 (s) | own cost per record (µs) | expected: pages × L + own cost (s) | T / expected | the issue's target (s) | T / target | T − requests × L (s) | runs |",
		);
		p('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
		const ratio = (x) => fmt(x, 3);
		for (const latency of new Set(rows.map((x) => x.run.latency))) {
			const g = rows.filter((x) => x.run.latency === latency);
			const col = (f, format) => range(g.map(f), format);
			const errors = g.filter((x) => x.run.error).map((x) => x.run.error);
			const cells = [
				int(latency),
				int(events.n),
				`${col((x) => x.pages, int)} (${int(full)})`,
				col((x) => x.run.requests, int),
				col((x) => x.run.timeMs, s),
				col((x) => x.ownMs, s),
				col(
					(x) => x.ownUsPerRecord,
					(x) => fmt(x, 2),
				),
				col((x) => x.expectedMs, s),
				col((x) => x.ratio, ratio),
				`${col((x) => x.targetMs, s)} (${targetPages} × L + own)`,
				col((x) => x.targetRatio, ratio),
				col((x) => x.beyondWaitsMs, s),
				`${g.length}${errors.length ? ` ERROR: ${errors[0].slice(0, 160)}` : ''}`,
			];
			p(`| ${cells.join(' | ')} |`);
		}
		p();
	}
	p(
		"| round | L (ms) | load average | T (s) | pages read | requests | simulator's own work (s) | between an answer and the next request (ms) | items | peak RSS (MB) |",
	);
	p('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
	for (const r of events.runs) {
		p(
			`| ${r.rep} | ${int(r.latency)} | ${fmt(r.loadAverage, 1)} | ${s(r.timeMs)} | ${r.pages ?? '–'} | ${r.requests ?? '–'} | ${s(r.simWorkMs)} | ${fmt(r.turnaroundMs, 1)} | ${int(r.successItems)} | ${r.peakRssKb ? int(r.peakRssKb / 1024) : '–'}${r.error ? ` ERROR: ${r.error.slice(0, 160)}` : ''} |`,
		);
	}
	p();
	p(
		"T − requests × L = what T holds beyond the waits (the query's included): the own cost as it was at L; when it is below the own cost at 0 ms, the pages were read and built faster between the waits than back to back. The simulator's own work = the time it took beyond L over all requests (reading the request, collecting the events, writing the page); at L = 0 it is part of the own cost. Between an answer and the next request = from a page leaving the simulator to the request for the next page arriving: the node and n8n reading the page and building its items.",
	);
	p();
	return L;
}

module.exports = {
	EVENTS_TARGET,
	pageSize,
	expectedPages,
	issuePages,
	ownRunFor,
	eventFigures,
	eventRows,
	eventsTarget,
	eventsRunLine,
	eventsLineParts,
	eventsSection,
};
