/**
 * Event → Get Many in the operations part of the benchmark (issue 21): its pages, the expected
 * time and the issue's target from the own cost at 0 ms, the log and final lines, its section of
 * results.md, and how an --ops-only run of it alone keeps the Profile operations' figures.
 * The bench itself needs real n8n and minutes; this is checked on made-up figures, with no
 * assertion on any measured time.
 */
import { benchMeta } from './fixtures';

const {
	EVENTS_TARGET,
	pageSize,
	expectedPages,
	issuePages,
	ownRunFor,
	eventFigures,
	eventsTarget,
	eventsRunLine,
	eventsLineParts,
	eventsSection,
} = require('../../../bench/lib/events-report');
const { operationsLine } = require('../../../bench/lib/operations-report');
const { operationsRecord } = require('../../../bench/lib/operations');
const { emptyTables, markdown } = require('../../../bench/lib/report');

type Row = Record<string, unknown>;

function eventRun(rep: number, latency: number, timeMs: number, extra: Row = {}): Row {
	return {
		rep,
		op: 'events',
		n: 100000,
		batchSize: 5000,
		latency,
		loadAverage: 1.5,
		timeMs,
		successItems: 100000,
		pages: 21,
		requests: 22,
		simSpanMs: timeMs - 100,
		simWorkMs: 900,
		turnaroundMs: 60,
		peakRssKb: 800 * 1024,
		durationMs: timeMs + 9000,
		...extra,
	};
}

function events(runs: Row[], extra: Row = {}): Row & { runs: Row[] } {
	return {
		date: '2026-12-02T10:00:00.000Z',
		commit: 'abc1234',
		n8n: '1.123.81',
		n8nNode: 'v20.20.2',
		tarball: 'n8n-nodes-clevertap-0.1.0.tgz',
		cores: 2,
		repeat: 2,
		n: 100000,
		profiles: 10000,
		batchSize: 5000,
		latency: 200,
		query: { eventName: 'Bench Event', from: '2026-11-01', to: '2026-11-28' },
		runs,
		durationS: 120,
		...extra,
	};
}

// Own cost 2,000 and 2,500 ms; at 200 ms: 6,600 and 7,300 ms.
const twoRounds = [
	eventRun(1, 0, 2000),
	eventRun(1, 200, 6600),
	eventRun(2, 0, 2500),
	eventRun(2, 200, 7300),
];

describe('Event → Get Many in the bench report', () => {
	test.each([
		[5000, 4991],
		[4991, 4991],
		[23, 23],
		[50, 46],
		[6000, 4991],
	])('a batch size of %i gives full pages of %i records', (batchSize, records) => {
		expect(pageSize(batchSize)).toBe(records);
	});

	test('100,000 events at 5,000 a page are 21 pages of CleverTap, 20 of the issue', () => {
		expect(expectedPages(100000, 5000)).toBe(21);
		expect(issuePages(100000, 5000)).toBe(20);
		expect(expectedPages(4991, 5000)).toBe(1);
		expect(expectedPages(4992, 5000)).toBe(2);
	});

	test('a run at L is set against the own cost of its own round, else the first that worked', () => {
		const e = events([
			eventRun(1, 0, 2000, { error: 'boom' }),
			eventRun(2, 0, 2500),
			eventRun(1, 200, 6600),
			eventRun(2, 200, 7300),
		]);
		expect(ownRunFor(e, e.runs[3]).timeMs).toBe(2500);
		expect(ownRunFor(e, e.runs[2]).timeMs).toBe(2500);
		expect(ownRunFor(events([eventRun(1, 200, 6600)]), eventRun(1, 200, 6600))).toBeUndefined();
	});

	test('expected = pages read × L + own cost; the issue counts 20 pages; ratios are T / each', () => {
		const e = events(twoRounds);
		const f = eventFigures(e, e.runs[1]);
		// 21 × 200 + 2,000 = 6,200; 20 × 200 + 2,000 = 6,000; 6,600 / 6,200 and 6,600 / 6,000
		expect(f).toMatchObject({
			beyondWaitsMs: 6600 - 22 * 200,
			pages: 21,
			targetPages: 20,
			ownMs: 2000,
			ownUsPerRecord: 20,
			expectedMs: 6200,
			targetMs: 6000,
		});
		expect(f.ratio).toBeCloseTo(6600 / 6200, 10);
		expect(f.targetRatio).toBeCloseTo(1.1, 10);
		const none = eventFigures(events([eventRun(1, 200, 6600)]), eventRun(1, 200, 6600));
		expect(none).toMatchObject({ ownMs: undefined, expectedMs: undefined, ratio: undefined });
	});

	test('the issue target bounds T at 10 % above, judged on every run; far below is told', () => {
		expect(EVENTS_TARGET.within).toBe(0.1);
		// 6,600 / 6,000 = 1.100 (met); 7,300 / 6,500 = 1.123 (not met)
		expect(eventsTarget(events(twoRounds))).toMatchObject({
			value: '1.100–1.123',
			met: false,
			verdict: '**no** (1 of 2 runs)',
		});
		// 5,300 / 6,000 = 0.883 is more than 10 % faster than the target: met, and said
		expect(eventsTarget(events([eventRun(1, 0, 2000), eventRun(1, 200, 5300)]))).toMatchObject({
			value: '0.883',
			met: true,
			verdict: 'yes (1 of 1 run; 1 of them more than 10 % below it)',
		});
		expect(eventsTarget(events([eventRun(1, 0, 2000), eventRun(1, 200, 6000)]))).toMatchObject({
			value: '1.000',
			met: true,
			verdict: 'yes (1 of 1 run)',
		});
		expect(eventsTarget(events([eventRun(1, 0, 2000)]))).toMatchObject({
			value: 'not run',
			met: undefined,
		});
		const failed = events([eventRun(1, 0, 2000), eventRun(1, 200, 6000, { error: 'boom' })]);
		expect(eventsTarget(failed).met).toBe(false);
	});

	test('each run is logged with its pages, its own cost or its ratios', () => {
		const e = events(twoRounds);
		expect(eventsRunLine(e, e.runs[0])).toBe(
			"ops round 1: events N=100000 L=0: T=2000 ms = own cost 20.00 µs/record, 21 pages read (4,991 records a full page, 22 requests with the query), simulator's own work 900 ms, between an answer and the next request 60.0 ms, 100000/100000 ok, RSS 800 MB, load 1.5",
		);
		expect(eventsRunLine(e, e.runs[1])).toBe(
			"ops round 1: events N=100000 L=200: T=6600 ms, 21 pages read (4,991 records a full page, 22 requests with the query); expected 21 × 200 + 2,000 = 6,200 ms, ratio 1.065; the issue's 20 × 200 + 2,000 = 6,000 ms, ratio 1.100; own cost 20.00 µs/record, T − 22 × 200 = 2,200 ms, simulator's own work 900 ms, between an answer and the next request 60.0 ms, 100000/100000 ok, RSS 800 MB, load 1.5",
		);
		expect(eventsRunLine(e, { ...e.runs[1], error: 'boom' })).toMatch(/ ERROR boom$/);
	});

	test('the final line gives the most pages, the highest ratios and the highest own cost', () => {
		// 7,300 / 6,700 = 1.09, 7,300 / 6,500 = 1.12; 2,500 ms / 100,000 = 25 µs
		expect(eventsLineParts(events(twoRounds))).toEqual([
			'events_pages=21',
			'events_ratio=1.09',
			'events_issue_ratio=1.12',
			'events_us_per_record=25.0',
		]);
		expect(eventsLineParts(events([]))).toEqual([
			'events_pages=NA',
			'events_ratio=NA',
			'events_issue_ratio=NA',
			'events_us_per_record=NA',
		]);
		expect(eventsLineParts(undefined)).toEqual([]);
	});

	test('its section of results.md has the target, the ranges and every run', () => {
		const md = eventsSection(events(twoRounds)).join('\n');
		expect(md).toContain('## Event → Get Many (n8n 1.123.81)');
		expect(md).toContain(
			'gives pages of 4,991 and N events take 21 pages, not the 20 of N / 5,000',
		);
		expect(md).toContain(
			"| Event → Get Many: T within 10 % of 20 pages × 200 ms + the node's own cost, N = 100,000, Batch Size 5,000 (T / (20 × L + T at L = 0) ≤ 1.10) | 1.100–1.123 | **no** (1 of 2 runs) |",
		);
		// T 6.60–7.30 s, own 2.00–2.50 s (20–25 µs), expected 6.20–6.70 s, ratio 1.065–1.090;
		// beyond the 22 waits: 6.60 − 4.40 and 7.30 − 4.40
		expect(md).toContain(
			'| 200 | 100,000 | 21 (4,991) | 22 | 6.60–7.30 | 2.00–2.50 | 20.00–25.00 | 6.20–6.70 | 1.065–1.090 | 6.00–6.50 (20 × L + own) | 1.100–1.123 | 2.20–2.90 | 2 |',
		);
		expect(md).toContain('| 2 | 0 | 1.5 | 2.50 | 21 | 22 | 0.90 | 60.0 | 100,000 | 800 |');
		expect(md).toContain('Load average (1 minute) before each run: 1.5 on 2 cores');
		expect(eventsSection(undefined)).toEqual([]);
	});

	test('the operations line and results.md carry it beside the Profile operations, or alone', () => {
		const profile = {
			date: '2026-11-29T05:00:00.000Z',
			commit: 'abc1234',
			n8n: '1.123.81',
			ops: ['get'],
			repeat: 1,
			latency: 200,
			upsertLatencies: [1000],
			sizes: { get: 600, delete: 10000, upsert: 100000 },
			runs: [
				{ rep: 1, op: 'get', n: 600, dryRun: false, latency: 200, timeMs: 42000, ratio: 0.95 },
			],
			inputCost: [],
		};
		const both = {
			meta: benchMeta(),
			...emptyTables(),
			operations: { ...profile, events: events(twoRounds) },
		};
		expect(operationsLine(both)).toBe(
			'bench: ops get_ratio=0.95 events_pages=21 events_ratio=1.09 events_issue_ratio=1.12 events_us_per_record=25.0',
		);
		const md = markdown(both);
		expect(md.indexOf('## Profile → Get, Delete and Create or Update')).toBeGreaterThan(-1);
		expect(md.indexOf('## Event → Get Many')).toBeGreaterThan(
			md.indexOf('## Profile → Get, Delete and Create or Update'),
		);
		const alone = {
			meta: benchMeta(),
			...emptyTables(),
			operations: { ops: [], runs: [], inputCost: [], events: events(twoRounds) },
		};
		expect(markdown(alone)).not.toContain('## Profile →');
		expect(markdown(alone)).toContain('## Event → Get Many (n8n 1.123.81)');
		expect(operationsLine(alone)).toBe(
			'bench: ops events_pages=21 events_ratio=1.09 events_issue_ratio=1.12 events_us_per_record=25.0',
		);
	});
});

describe('what an --ops-only run keeps of the operations in results.json', () => {
	const opts = (ops: string[]) => ({
		ops,
		opsRepeat: 2,
		opsLatency: 200,
		upsertLatencies: [1000, 200],
		getN: 600,
		deleteN: 10000,
		upsertN: 100000,
		jsonN: 10000,
		eventsN: 100000,
		eventsLatency: 200,
		eventsBatchSize: 5000,
	});
	const header = { date: '2026-12-02T10:00:00.000Z', commit: 'def5678', n8n: '1.123.81' };
	const previous = {
		date: '2026-11-29T05:00:00.000Z',
		commit: 'abc1234',
		ops: ['get', 'delete', 'upsert'],
		runs: [{ op: 'get' }],
		inputCost: [{ n: 100000 }],
		durationS: 207,
		events: events([eventRun(1, 0, 2000)]),
	};

	test('--ops events keeps the Profile operations and replaces the events', () => {
		const out = operationsRecord({ opts: opts(['events']), header, previous });
		expect(out).toMatchObject({
			date: previous.date,
			commit: 'abc1234',
			ops: previous.ops,
			runs: previous.runs,
			inputCost: previous.inputCost,
			durationS: 207,
		});
		expect(out.events).toMatchObject({
			date: header.date,
			commit: 'def5678',
			n: 100000,
			profiles: 10000,
			batchSize: 5000,
			latency: 200,
			repeat: 2,
			runs: [],
		});
		expect(out.events.query.eventName).toBe('Bench Event');
		// The earlier results object itself is left as it was.
		expect(previous.events.runs).toHaveLength(1);
	});

	test('--ops without events keeps the events and replaces the Profile operations', () => {
		const out = operationsRecord({ opts: opts(['get', 'delete']), header, previous });
		expect(out).toMatchObject({ date: header.date, ops: ['get', 'delete'], runs: [] });
		expect(out.events).toBe(previous.events);
	});

	test('every operation replaces both; without earlier results there is nothing to keep', () => {
		const all = operationsRecord({
			opts: opts(['get', 'delete', 'upsert', 'events']),
			header,
			previous,
		});
		expect(all).toMatchObject({ date: header.date, ops: ['get', 'delete', 'upsert'], runs: [] });
		expect(all.events).toMatchObject({ date: header.date, runs: [] });
		const fresh = operationsRecord({ opts: opts(['events']), header, previous: undefined });
		expect(fresh).toMatchObject({ ops: [], runs: [], inputCost: [] });
		expect(fresh.events.runs).toEqual([]);
		expect(fresh.durationS).toBeUndefined();
	});
});
