/**
 * Event → Get Many and the Report resource through n8n-core's WorkflowExecute against the
 * simulator: what comes out (values, pairing, order) and what CleverTap was sent. The pauses are
 * real here (a page not ready, a poll, a retry), so each case keeps them to one or two.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { startSimulator, type RequestRecord, type Simulator } from '../simulator';
import { runNodeWorkflow, type WorkflowRunOptions } from '../support/workflowHarness';

const PASSCODE = 'reports-secret-passcode-3a9b';
let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ accounts: { 'REPORTS-ACCOUNT': PASSCODE } });
});
afterEach(() => sim.reset());
afterAll(async () => await sim.close());

const run = (options: Partial<WorkflowRunOptions>) =>
	runNodeWorkflow({
		items: [{}],
		credentials: {
			accountId: 'REPORTS-ACCOUNT',
			passcode: PASSCODE,
			region: 'custom',
			baseUrl: sim.url,
		},
		...options,
	});

type Run = Awaited<ReturnType<typeof run>>;
/**
 * The CleverTap node's own output (0: main, 1: errors), as n8n kept it: the nodes after it pair
 * their items to it, so what an item came from is read here.
 */
const output = (result: Run, index = 0): INodeExecutionData[] =>
	result.run.data.resultData.runData.CleverTap?.[0]?.data?.main?.[index] ?? [];
const jsons = (items: INodeExecutionData[]) => items.map((item) => item.json);
/** What each item of the node's output is paired to. */
const paired = (result: Run, index = 0) => output(result, index).map((item) => item.pairedItem);
const calls = (api?: string) =>
	sim.requests
		.filter((r) => api === undefined || r.api === api)
		.map((r) => `${r.method} ${r.api}${r.query.req_id !== undefined ? ' req_id' : ''}`);
const bodies = (api: string) =>
	sim.requests.filter((r) => r.api === api && r.method === 'POST').map((r) => r.json);

/** Where seedEvents puts event i of `count` spread over from..to (UTC), as the node shows it. */
function seededTime(i: number, count: number, from: string, to: string): string {
	const start = Date.parse(`${from}T00:00:00Z`);
	const span = Date.parse(`${to}T00:00:00Z`) + 86_400_000 - start;
	const seconds = Math.floor((i * span) / 1000 / count);
	return new Date(start + seconds * 1000).toISOString().slice(0, 19);
}
/** The same time as CleverTap's `ts`, an integer yyyyMMddHHmmss. */
const seededTs = (time: string) => Number(time.replace(/\D/g, ''));

describe('Event → Get Many', () => {
	const SESSION = { session_source: 'Direct', utm_source: 'newsletter' };
	/** 60 "Order Placed" events, one every 72 minutes over three days, on 7 profiles in turn. */
	function seed() {
		sim.seedEvents({
			name: 'Order Placed',
			count: 60,
			from: '2026-11-20',
			to: '2026-11-22',
			profiles: 7,
			data: [{ Amount: 10 }, { Amount: 25 }],
			session: SESSION,
		});
	}
	const expectedEvent = (i: number) => {
		const time = seededTime(i, 60, '2026-11-20', '2026-11-22');
		return {
			ts: seededTs(time),
			time,
			eventName: 'Order Placed',
			eventProperties: { Amount: i % 2 === 0 ? 10 : 25 },
			sessionProperties: SESSION,
			profile: expect.objectContaining({
				identity: `seed-${i % 7}`,
				email: `seed-${i % 7}@example.com`,
				name: `Seed User ${i % 7}`,
				platform: 'Web',
			}),
		};
	};
	const getMany = (extra: Record<string, unknown> = {}) => ({
		resource: 'event',
		operation: 'getMany',
		eventName: 'Order Placed',
		from: '2026-11-20',
		to: '2026-11-22',
		returnAll: true,
		...extra,
	});

	test('Return All reads every page: each event once, in time order, paired to its item', async () => {
		seed();
		const result = await run({ parameters: getMany(), options: { batchSize: 23 } });
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual(Array.from({ length: 60 }, (_, i) => expectedEvent(i)));
		expect(paired(result)).toEqual(Array(60).fill({ item: 0 }));
		// The query, then pages of 23, 23 and 14, each cursor read once.
		expect(calls()).toEqual(['POST events', ...Array(3).fill('GET events')]);
		const [query, ...pages] = sim.requests;
		expect(query.query).toEqual({ batch_size: '23', events: 'false' });
		expect(query.json).toEqual({ event_name: 'Order Placed', from: 20261120, to: 20261122 });
		expect(new Set(pages.map((r) => r.query.cursor)).size).toBe(3);
		expect(sim.stats().eventPagesServed).toBe(3);
	});

	test('Limit: the first events only, and no page bigger than the Limit needs', async () => {
		seed();
		const result = await run({ parameters: getMany({ returnAll: false, limit: 30 }) });
		expect(jsons(result.success)).toEqual(Array.from({ length: 30 }, (_, i) => expectedEvent(i)));
		// batch_size 30 gives pages of 23: two pages, and the third is never asked for.
		expect(calls()).toEqual(['POST events', 'GET events', 'GET events']);
		expect(sim.requests[0].query.batch_size).toBe('30');
	});

	test('Include Event Summary off: no profile.events, and CleverTap is told events=false', async () => {
		seed();
		const result = await run({ parameters: getMany({ returnAll: false, limit: 5 }) });
		expect(result.success).toHaveLength(5);
		for (const item of result.success) {
			expect(item.json.profile).not.toHaveProperty('events');
			expect(item.json.profile).not.toHaveProperty('os_version');
		}
		expect(sim.requests[0].query).toEqual({ batch_size: '23', events: 'false' });
	});

	test("Include Event Summary on: each profile carries its events' counts and times", async () => {
		seed();
		const result = await run({
			parameters: getMany({ returnAll: false, limit: 7 }),
			options: { includeEventSummary: true },
		});
		expect(sim.requests[0].query).toEqual({ batch_size: '23', events: 'true' });
		// Profile n has events n, n + 7, …: 9 of the 60 for n < 4, 8 for the others.
		const first = Date.parse('2026-11-20T00:00:00Z') / 1000;
		expect(result.success.map((item) => item.json.profile)).toEqual(
			Array.from({ length: 7 }, (_, n) =>
				expect.objectContaining({
					identity: `seed-${n}`,
					events: {
						'Order Placed': {
							count: n < 4 ? 9 : 8,
							first_seen: first + n * 72 * 60,
							last_seen: first + (n + 7 * (n < 4 ? 8 : 7)) * 72 * 60,
						},
					},
				}),
			),
		);
	});

	test("Include App Fields: each profile carries the device's OS, make, model and app version", async () => {
		sim.addProfile({
			objectId: '__phone',
			identity: 'phone@x.com',
			device: { platform: 'Android', os_version: '14', app_version: '5.2.0', make: 'Pixel' },
			events: [{ name: 'Order Placed', date: '2026-11-21', data: { Amount: 99 } }],
		});
		const result = await run({ parameters: getMany(), options: { includeAppFields: true } });
		expect(sim.requests[0].query).toEqual({ batch_size: '5000', events: 'false', app: 'true' });
		expect(result.success).toHaveLength(1);
		expect(result.success[0].json).toMatchObject({
			time: '2026-11-21T00:00:00',
			eventProperties: { Amount: 99 },
			profile: {
				objectId: '__phone',
				identity: 'phone@x.com',
				platform: 'Android',
				os_version: '14',
				app_version: '5.2.0',
				make: 'Pixel',
				model: expect.any(String),
			},
		});
	});

	test('a page CleverTap is still preparing is read again with the same cursor', async () => {
		seed();
		// The second page read is answered "Request still in progress, please retry later".
		sim.addFault({ kind: '200-not-ready', api: 'events', after: 1 });
		const result = await run({ parameters: getMany(), options: { batchSize: 23 } });
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual(Array.from({ length: 60 }, (_, i) => expectedEvent(i)));
		expect(calls()).toEqual(['POST events', ...Array(4).fill('GET events')]);
		const pages = sim.requests.slice(1);
		expect(pages.map((r) => r.fault)).toEqual([undefined, '200-not-ready', undefined, undefined]);
		expect(pages[2].query.cursor).toBe(pages[1].query.cursor);
		// Read again after a pause, not at once.
		expect(pages[2].startedAt - (pages[1].endedAt as number)).toBeGreaterThanOrEqual(900);
		expect(sim.stats().eventPagesServed).toBe(3);
	});

	test('a range without events gives no items, after one empty page', async () => {
		seed();
		const result = await run({ parameters: getMany({ from: '2026-10-01', to: '2026-10-31' }) });
		expect(result.error).toBeUndefined();
		expect(result.success).toEqual([]);
		expect(calls()).toEqual(['POST events', 'GET events']);
		expect(sim.requests[0].json).toEqual({
			event_name: 'Order Placed',
			from: 20261001,
			to: 20261031,
		});
	});

	test('continue on fail: To before From fails that item alone; the others get their events', async () => {
		seed();
		const result = await run({
			items: [
				{ from: '2026-11-20', to: '2026-11-20' },
				{ from: '2026-11-22', to: '2026-11-21' },
				{ from: '2026-11-22', to: '2026-11-22' },
			],
			parameters: getMany({ from: '={{ $json.from }}', to: '={{ $json.to }}' }),
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		// 20 events a day: the first day's for item 0, the last day's for item 2.
		expect(jsons(result.success)).toEqual([
			...Array.from({ length: 20 }, (_, i) => expectedEvent(i)),
			...Array.from({ length: 20 }, (_, i) => expectedEvent(40 + i)),
		]);
		expect(paired(result)).toEqual([
			...Array(20).fill({ item: 0 }),
			...Array(20).fill({ item: 2 }),
		]);
		expect(result.errors).toHaveLength(1);
		expect(paired(result, 1)).toEqual([{ item: 1 }]);
		expect(result.errors[0].json).toMatchObject({
			from: '2026-11-22',
			to: '2026-11-21',
			error: 'From (20261122) is after To (20261121). Swap the two dates.',
		});
		// The bad item is never sent.
		expect(bodies('events')).toEqual([
			{ event_name: 'Order Placed', from: 20261120, to: 20261120 },
			{ event_name: 'Order Placed', from: 20261122, to: 20261122 },
		]);
	});
});

/** 40 "Order Placed" events over 2026-11-01..10 (4 a day, every 6 hours) on 8 profiles in turn. */
function seedOrders() {
	sim.seedEvents({
		name: 'Order Placed',
		count: 40,
		from: '2026-11-01',
		to: '2026-11-10',
		profiles: 8,
	});
}
const count = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'report',
	operation,
	eventName: 'Order Placed',
	from: '2026-11-01',
	to: '2026-11-10',
	...extra,
});

describe('Report → Count Events', () => {
	test('the count is what was seeded, for the whole range and for part of it', async () => {
		seedOrders();
		const result = await run({
			items: [
				{ from: '2026-11-01', to: '2026-11-10' },
				{ from: '2026-11-03', to: '2026-11-04' },
				{ from: '2026-12-01', to: '2026-12-31' },
			],
			parameters: count('countEvents', { from: '={{ $json.from }}', to: '={{ $json.to }}' }),
		});
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual([
			{ count: 40, eventName: 'Order Placed', from: '2026-11-01', to: '2026-11-10' },
			{ count: 8, eventName: 'Order Placed', from: '2026-11-03', to: '2026-11-04' },
			{ count: 0, eventName: 'Order Placed', from: '2026-12-01', to: '2026-12-31' },
		]);
		expect(paired(result)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(bodies('eventCount')).toEqual(
			expect.arrayContaining([
				{ event_name: 'Order Placed', from: 20261101, to: 20261110 },
				{ event_name: 'Order Placed', from: 20261103, to: 20261104 },
				{ event_name: 'Order Placed', from: 20261201, to: 20261231 },
			]),
		);
		expect(calls()).toEqual(Array(3).fill('POST eventCount'));
	});

	test('CleverTap still counting: polled twice by GET with its req_id, never POSTed again', async () => {
		seedOrders();
		sim.setCountPolls(2);
		const result = await run({ parameters: count('countEvents') });
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual([
			{ count: 40, eventName: 'Order Placed', from: '2026-11-01', to: '2026-11-10' },
		]);
		expect(calls()).toEqual(['POST eventCount', 'GET eventCount req_id', 'GET eventCount req_id']);
		const [start, first, second] = sim.requests;
		expect(first.query.req_id).toMatch(/^\d{15}$/);
		expect(second.query.req_id).toBe(first.query.req_id);
		expect(first.body).toBe('');
		// 1 s before the first poll, 1.5 s before the second.
		expect(first.startedAt - (start.endedAt as number)).toBeGreaterThanOrEqual(950);
		expect(second.startedAt - (first.endedAt as number)).toBeGreaterThanOrEqual(1450);
		expect(sim.stats()).toMatchObject({ countQueries: 1, countPolls: 2 });
	});

	test('six items: one count each, paired, in item order, never more than 3 requests at once', async () => {
		const days = ['01', '02', '03', '04', '05', '06'];
		seedOrders();
		sim.setLatency(60);
		sim.setCountPolls(1);
		const result = await run({
			items: days.map((day) => ({ day: `2026-11-${day}` })),
			parameters: count('countEvents', { from: '={{ $json.day }}', to: '2026-11-10' }),
		});
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual(
			days.map((day, i) => ({
				count: 40 - 4 * i,
				eventName: 'Order Placed',
				from: `2026-11-${day}`,
				to: '2026-11-10',
			})),
		);
		expect(paired(result)).toEqual(days.map((_day, item) => ({ item })));
		const stats = sim.stats();
		expect(stats.countQueries).toBe(6);
		expect(stats.countPolls).toBe(6);
		expect(stats.peakConcurrencyByApi.eventCount).toBeLessThanOrEqual(3);
		expect(stats.peakConcurrencyByApi.eventCount).toBeGreaterThan(1);
		expect(stats.concurrencyRejections).toBe(0);
		expect(stats.byStatus).toEqual({ '200': 12 });
	});
});

describe('Report → Count Profiles', () => {
	test('the count is the number of people who did the event, not the number of events', async () => {
		seedOrders();
		const result = await run({
			items: [
				{ from: '2026-11-01', to: '2026-11-10' },
				{ from: '2026-11-01', to: '2026-11-01' },
			],
			parameters: count('countProfiles', { from: '={{ $json.from }}', to: '={{ $json.to }}' }),
		});
		expect(jsons(result.success)).toEqual([
			{ count: 8, eventName: 'Order Placed', from: '2026-11-01', to: '2026-11-10' },
			{ count: 4, eventName: 'Order Placed', from: '2026-11-01', to: '2026-11-01' },
		]);
		expect(paired(result)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(calls()).toEqual(['POST profileCount', 'POST profileCount']);
	});

	test('polled twice, then the count', async () => {
		seedOrders();
		sim.setCountPolls(2);
		const result = await run({ parameters: count('countProfiles') });
		expect(jsons(result.success)).toEqual([
			{ count: 8, eventName: 'Order Placed', from: '2026-11-01', to: '2026-11-10' },
		]);
		expect(calls()).toEqual([
			'POST profileCount',
			'GET profileCount req_id',
			'GET profileCount req_id',
		]);
		expect(sim.stats().countPollsByApi.profileCount).toBe(2);
	});

	test('several items, 3 at a time at most, each result paired to its item', async () => {
		seedOrders();
		sim.setLatency(60);
		const result = await run({
			items: Array.from({ length: 7 }, (_, i) => ({ to: `2026-11-0${i + 1}` })),
			parameters: count('countProfiles', { to: '={{ $json.to }}' }),
		});
		// Profile n's events are n, n + 8, …: by day d (4 events a day) 4d of the 8 people.
		expect(result.success.map((item) => [item.json.to, item.json.count])).toEqual(
			Array.from({ length: 7 }, (_, i) => [`2026-11-0${i + 1}`, Math.min(8, 4 * (i + 1))]),
		);
		expect(paired(result)).toEqual(Array.from({ length: 7 }, (_, item) => ({ item })));
		expect(sim.stats().peakConcurrencyByApi.profileCount).toBe(3);
		expect(sim.stats().concurrencyRejections).toBe(0);
	});
});

describe('Report → Get Trends', () => {
	/** One "Charged" a day over November 2026, Amount 10 and 25 in turn, on 2 profiles in turn. */
	function seedNovember() {
		sim.seedEvents({
			name: 'Charged',
			count: 30,
			from: '2026-11-01',
			to: '2026-11-30',
			profiles: 2,
			data: [{ Amount: 10 }, { Amount: 25 }],
		});
	}
	const trends = (extra: Record<string, unknown>) => ({
		resource: 'report',
		operation: 'trends',
		eventName: 'Charged',
		...extra,
	});

	test('daily, counting people: one item per day, in day order', async () => {
		sim.seedEvents({
			name: 'Charged',
			count: 28,
			from: '2026-11-01',
			to: '2026-11-07',
			profiles: 2,
		});
		const result = await run({
			parameters: trends({
				from: '2026-11-01',
				to: '2026-11-07',
				granularity: 'daily',
				unique: true,
			}),
		});
		expect(result.error).toBeUndefined();
		// 4 events a day, by the same 2 people.
		expect(jsons(result.success)).toEqual(
			Array.from({ length: 7 }, (_, i) => ({ period: `2026-11-0${i + 1}`, value: 2 })),
		);
		expect(paired(result)).toEqual(Array(7).fill({ item: 0 }));
		expect(bodies('trends')).toEqual([
			{
				event_name: 'Charged',
				from: 20261101,
				to: 20261107,
				unique: true,
				groups: { daily: { trend_type: 'daily' } },
			},
		]);
	});

	test('weekly: ISO weeks as 2026-W44 …, each counting its events', async () => {
		seedNovember();
		const result = await run({
			parameters: trends({ from: '2026-11-01', to: '2026-11-30', granularity: 'weekly' }),
		});
		// 1 November is a Sunday (the end of week 44), 30 November the Monday of week 49.
		expect(jsons(result.success)).toEqual([
			{ period: '2026-W44', value: 1 },
			{ period: '2026-W45', value: 7 },
			{ period: '2026-W46', value: 7 },
			{ period: '2026-W47', value: 7 },
			{ period: '2026-W48', value: 7 },
			{ period: '2026-W49', value: 1 },
		]);
		expect(bodies('trends')).toEqual([
			{
				event_name: 'Charged',
				from: 20261101,
				to: 20261130,
				unique: false,
				groups: { weekly: { trend_type: 'weekly' } },
			},
		]);
	});

	test('monthly with Sum Property, polled: the sum per month, empty months 0', async () => {
		seedNovember();
		sim.setCountPolls(1);
		const result = await run({
			parameters: trends({
				from: '2026-10-01',
				to: '2026-12-31',
				granularity: 'monthly',
				sumProperty: ' Amount ',
			}),
		});
		expect(jsons(result.success)).toEqual([
			{ period: '2026-10', value: 0 },
			{ period: '2026-11', value: 15 * 10 + 15 * 25 },
			{ period: '2026-12', value: 0 },
		]);
		expect(bodies('trends')).toEqual([
			{
				event_name: 'Charged',
				from: 20261001,
				to: 20261231,
				unique: false,
				sum_event_prop: 'Amount',
				groups: { monthly: { trend_type: 'monthly' } },
			},
		]);
		expect(calls()).toEqual(['POST trends', 'GET trends req_id']);
	});

	test('one item per input item, each its own granularity, paired and in item order', async () => {
		seedNovember();
		const result = await run({
			items: [{ granularity: 'monthly' }, { granularity: 'weekly' }],
			parameters: trends({
				from: '2026-11-23',
				to: '2026-11-30',
				granularity: '={{ $json.granularity }}',
			}),
		});
		expect(
			output(result).map((item) => [item.pairedItem, item.json.period, item.json.value]),
		).toEqual([
			[{ item: 0 }, '2026-11', 8],
			[{ item: 1 }, '2026-W48', 7],
			[{ item: 1 }, '2026-W49', 1],
		]);
	});
});

describe('Report → Get Top Values', () => {
	const topValues = (extra: Record<string, unknown> = {}) => ({
		resource: 'report',
		operation: 'topValues',
		eventName: 'Product Viewed',
		from: '2026-11-01',
		to: '2026-11-30',
		propertyType: 'eventProperty',
		propertyName: 'Category',
		topN: 2,
		...extra,
	});
	function seedViews() {
		// Books 3 of every 6, Toys 2, Games 1.
		sim.seedEvents({
			name: 'Product Viewed',
			count: 60,
			from: '2026-11-01',
			to: '2026-11-30',
			data: ['Books', 'Toys', 'Books', 'Games', 'Books', 'Toys'].map((Category) => ({ Category })),
		});
	}

	test('Top N: the most frequent values, most first, with their counts', async () => {
		seedViews();
		const result = await run({ parameters: topValues() });
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual([
			{ value: 'Books', count: 30 },
			{ value: 'Toys', count: 20 },
		]);
		expect(paired(result)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(bodies('top')).toEqual([
			{
				event_name: 'Product Viewed',
				from: 20261101,
				to: 20261130,
				groups: {
					top: { property_type: 'event_properties', name: 'Category', top_n: 2, order: 'desc' },
				},
			},
		]);
	});

	test('a Top N above the number of values gives them all; items keep their order', async () => {
		seedViews();
		const result = await run({
			items: [{ topN: 10 }, { topN: 1 }],
			parameters: topValues({ topN: '={{ $json.topN }}' }),
		});
		expect(
			output(result).map((item) => [item.pairedItem, item.json.value, item.json.count]),
		).toEqual([
			[{ item: 0 }, 'Books', 30],
			[{ item: 0 }, 'Toys', 20],
			[{ item: 0 }, 'Games', 10],
			[{ item: 1 }, 'Books', 30],
		]);
		expect(
			bodies('top')
				.map((body) => (body as { groups: { top: { top_n: number } } }).groups.top.top_n)
				.sort((a, b) => a - b),
		).toEqual([1, 10]);
	});
});

describe('Report → Get Real-Time Count', () => {
	const LAST = Date.parse('2026-11-28T09:30:00Z') / 1000;
	const realTime = { resource: 'report', operation: 'realTime' };

	test('without breakdowns: the count and when CleverTap last processed, nothing else', async () => {
		sim.setRealtimeCounts({ count: 42, last_processed_ts: LAST });
		const result = await run({ parameters: realTime });
		expect(jsons(result.success)).toEqual([
			{ count: 42, lastProcessed: '2026-11-28T09:30:00.000Z' },
		]);
		expect(bodies('now')).toEqual([{}]);
	});

	test('with breakdowns: the flags sent, each breakdown under its own name', async () => {
		const userType = { new: 10, repeat: 20, addressable: 5, customer: 7 };
		const device = { desktop: 12, mobile: 28, tablet: 2 };
		sim.setRealtimeCounts({ count: 42, last_processed_ts: LAST, user_type: userType, device });
		const result = await run({
			items: [{}, {}],
			parameters: realTime,
			options: { userType: true, device: true },
		});
		const expected = {
			count: 42,
			lastProcessed: '2026-11-28T09:30:00.000Z',
			userType,
			device,
		};
		expect(jsons(result.success)).toEqual([expected, expected]);
		expect(paired(result)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(bodies('now')).toEqual([
			{ user_type: true, device: true },
			{ user_type: true, device: true },
		]);
	});
});

describe('Report → Get Message Reports', () => {
	const messageReports = (extra: Record<string, unknown> = {}) => ({
		resource: 'report',
		operation: 'messageReports',
		from: '2026-11-01',
		to: '2026-12-05',
		...extra,
	});
	const slice = (from: string, to: string) => ({ from, to });

	test('35 days go in slices of 14, answered out of order and merged in start order', async () => {
		// The longer a slice, the slower its answer: the last (7 days) comes back first.
		sim.setMessageReportMsPerDay(15);
		const result = await run({ parameters: messageReports() });
		expect(result.error).toBeUndefined();
		expect(bodies('messageReport')).toEqual(
			expect.arrayContaining([
				slice('20261101', '20261114'),
				slice('20261115', '20261128'),
				slice('20261129', '20261205'),
			]),
		);
		expect(bodies('messageReport')).toHaveLength(3);
		const answered = [...sim.requests].sort(
			(a, b) => (a.endedAt as number) - (b.endedAt as number),
		);
		expect((answered[0].json as { from: string }).from).toBe('20261129');
		// One generated message a day, at 10:00 UTC.
		const days = Array.from({ length: 35 }, (_, i) =>
			new Date(Date.UTC(2026, 10, 1 + i, 10)).toISOString().slice(0, 19),
		);
		expect(result.success.map((item) => item.json.startTime)).toEqual(days);
		expect(result.success.map((item) => item.json.messageId)).toEqual(
			days.map((day) => Date.parse(`${day}Z`) / 1000),
		);
		expect(result.success[0].json).toEqual({
			messageId: Date.parse('2026-11-01T10:00:00Z') / 1000,
			startTime: '2026-11-01T10:00:00',
			'message name': 'Daily message 2026-11-01',
			start_date: '01 Nov, 2026 10:00:00',
			channel: expect.any(String),
			status: expect.any(String),
			delivery: expect.any(String),
			sent: expect.any(Number),
			viewed: expect.any(Number),
			clicked: expect.any(Number),
		});
		expect(paired(result)).toEqual(Array(35).fill({ item: 0 }));
		expect(sim.stats().peakConcurrencyByApi.messageReport).toBe(3);
	});

	test('the filters go with every slice; only the messages CleverTap matched come out', async () => {
		sim.setMessages([
			{ id: 1, name: 'Welcome', start: '2026-11-02 09:00', channel: 'Push', status: 'running' },
			{ id: 2, name: 'Promo', start: '2026-11-03 12:00', channel: 'Email', status: 'running' },
			{ id: 3, name: 'Old', start: '2026-10-20', channel: 'Push', status: 'running' },
			{ id: 4, name: 'Reminder', start: '2026-11-20 08:15:30', channel: 'Push', status: 'stopped' },
			{
				id: 5,
				name: 'Winter',
				start: '2026-12-04 18:00',
				channel: 'SMS',
				status: 'running',
				sent: 7,
			},
			{ id: 6, name: 'Late', start: '2026-12-06', channel: 'Push', status: 'running' },
		]);
		const result = await run({
			parameters: messageReports(),
			options: { channel: ['push', 'sms'], status: ['running', 'stopped'] },
		});
		const filters = { channel: ['push', 'sms'], status: ['running', 'stopped'] };
		expect(bodies('messageReport')).toEqual(
			expect.arrayContaining([
				{ ...slice('20261101', '20261114'), ...filters },
				{ ...slice('20261115', '20261128'), ...filters },
				{ ...slice('20261129', '20261205'), ...filters },
			]),
		);
		expect(
			result.success.map((item) => [
				item.json.messageId,
				item.json['message name'],
				item.json.startTime,
			]),
		).toEqual([
			[1, 'Welcome', '2026-11-02T09:00:00'],
			[4, 'Reminder', '2026-11-20T08:15:30'],
			[5, 'Winter', '2026-12-04T18:00:00'],
		]);
		expect(result.success[2].json).toMatchObject({ channel: 'SMS', status: 'running', sent: 7 });
	});
});

describe('Reports when CleverTap falters', () => {
	test('a 429 on a count is waited out and sent again; the count comes', async () => {
		seedOrders();
		sim.addFault({ kind: '429', api: 'eventCount' });
		const result = await run({ parameters: count('countEvents') });
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual([
			{ count: 40, eventName: 'Order Placed', from: '2026-11-01', to: '2026-11-10' },
		]);
		expect(sim.requests.map((r: RequestRecord) => [r.method, r.status])).toEqual([
			['POST', 429],
			['POST', 200],
		]);
		expect(sim.requests[1].json).toEqual(sim.requests[0].json);
	});

	test('a 503 on a poll is retried with the same req_id, without starting the query again', async () => {
		seedOrders();
		sim.setCountPolls(1);
		sim.addFault({ kind: '503-html', api: 'profileCount', after: 1 });
		const result = await run({ parameters: count('countProfiles') });
		expect(result.error).toBeUndefined();
		expect(jsons(result.success)).toEqual([
			{ count: 8, eventName: 'Order Placed', from: '2026-11-01', to: '2026-11-10' },
		]);
		expect(calls()).toEqual([
			'POST profileCount',
			'GET profileCount req_id',
			'GET profileCount req_id',
		]);
		const [, faulted, retried] = sim.requests;
		expect([faulted.status, retried.status]).toEqual([503, 200]);
		expect(retried.query.req_id).toBe(faulted.query.req_id);
		expect(sim.stats().countQueries).toBe(1);
	});

	test("an unknown event fails with CleverTap's words, sent once", async () => {
		seedOrders();
		const result = await run({ parameters: count('countEvents', { eventName: 'Never Seen' }) });
		expect(result.success).toEqual([]);
		expect(result.error?.message).toContain('The count of events for "Never Seen" failed');
		expect(result.error?.message).toContain('Invalid event : Never Seen');
		expect(result.error?.message).not.toContain('[\\"');
		expect(calls()).toEqual(['POST eventCount']);
	});

	test('continue on fail: the unknown event fails its item alone, the others are counted', async () => {
		seedOrders();
		const result = await run({
			items: [{ name: 'Order Placed' }, { name: 'Never Seen' }, { name: 'Charged' }],
			parameters: count('countEvents', { eventName: '={{ $json.name }}' }),
			onError: 'continueErrorOutput',
		});
		expect(jsons(result.success)).toEqual([
			{ count: 40, eventName: 'Order Placed', from: '2026-11-01', to: '2026-11-10' },
			{ count: 0, eventName: 'Charged', from: '2026-11-01', to: '2026-11-10' },
		]);
		expect(paired(result)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(result.errors).toHaveLength(1);
		expect(paired(result, 1)).toEqual([{ item: 1 }]);
		expect(result.errors[0].json.name).toBe('Never Seen');
		expect(result.errors[0].json.error).toContain('Invalid event : Never Seen');
	});
});
