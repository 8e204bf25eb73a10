/**
 * Event → Get Many and the Report resource in real n8n 1.x and 2.x, through the installed package:
 * events read over several pages of CleverTap's 23-steps with the event summary left out; counts
 * CleverTap finishes later, polled by request ID; trends by week and by day and an event
 * property's top values; the real-time count with two breakdowns; 90 days of message reports cut
 * into 14-day slices a short Timeout allows, three at a time; a trend too long for CleverTap refused
 * before anything is sent; and a count still not ready at Max Wait.
 * One `n8n start` per major runs every case, each started by a webhook (scripts/lib/n8n-runs.js).
 */
import path from 'node:path';

import { packedForSuite } from './support/packed';
import { DEFAULT_SESSION, startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance, describeRun } = require('../../scripts/lib/n8n-harness');
const { importForRuns, startRuns } = require('../../scripts/lib/n8n-runs');
const { cleverTapCredential, CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const PASSCODE = 'reports-passcode-3c71';
const ACCOUNT = 'REPORTS';
const CREDENTIAL = { id: 'ctCredReports001', name: 'CleverTap' };
const DAY_MS = 86_400_000;

const start = {
	id: 'start',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const code = (name: string, js: string) => ({
	id: name,
	name,
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [240, 0],
	parameters: { jsCode: js },
});
/** A CleverTap node at `[x, y]`. */
const cleverTap = (name: string, parameters: Json, [x, y] = [480, 0]) => ({
	id: name,
	name,
	type: NODE_TYPE,
	typeVersion: 1,
	position: [x, y],
	parameters,
	credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
});
const link = (node: string) => ({ node, type: 'main', index: 0 });
const chain = (...names: string[]) =>
	Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[link(names[i + 1])]] }]));
const workflow = (id: string, nodes: Json[], connections: Json) => ({
	id,
	name: id,
	active: false,
	settings: { executionOrder: 'v1' },
	nodes,
	connections,
});
const report = (operation: string, parameters: Json = {}) => ({
	resource: 'report',
	operation,
	...parameters,
});

/** A day 'YYYY-MM-DD' as the From/To a user picks. */
const picked = (day: string) => `${day}T00:00:00`;
/** Epoch ms as CleverTap's event ts (yyyyMMddHHmmss) and as the node shows it. */
const eventTimes = (ms: number) => {
	const time = new Date(ms).toISOString().slice(0, 19);
	return { ts: Number(time.replace(/\D/g, '')), time };
};

const suite = packedForSuite('reports-e2e');

describe.each([1, 2])('Event → Get Many and the reports in real n8n %i.x', (major) => {
	let sim: Simulator;
	let instance: Json;
	let runs: Json;
	const id = (name: string) => `ct${name}${major}`.padEnd(16, 'x').slice(0, 16);

	beforeAll(async () => {
		sim = await startSimulator({ accounts: { [ACCOUNT]: PASSCODE }, latencyMs: 10 });
		const n8n = await ensureN8n(major);
		instance = createN8nInstance({ n8n, userFolder: path.join(suite.workDir, `n8n-${major}`) });
		await instance.installPackage(suite.tarball);
		await instance.importCredentials([
			cleverTapCredential({
				...CREDENTIAL,
				accountId: ACCOUNT,
				passcode: PASSCODE,
				baseUrl: sim.url,
			}),
		]);
		const events = (parameters: Json) =>
			cleverTap('Events', {
				resource: 'event',
				operation: 'getMany',
				eventName: 'Charged',
				from: picked('2026-11-25'),
				to: picked('2026-11-28'),
				...parameters,
			});
		const week = { from: picked('2026-11-23'), to: picked('2026-12-06') };
		await importForRuns(instance, [
			workflow(
				id('EventsAll'),
				[start, events({ returnAll: true, options: { batchSize: 50 } })],
				chain('Start', 'Events'),
			),
			workflow(
				id('EventsLimit'),
				[start, events({ returnAll: false, limit: 5 })],
				chain('Start', 'Events'),
			),
			workflow(
				id('CountEvents'),
				[
					start,
					cleverTap(
						'Count',
						report('countEvents', {
							eventName: 'Charged',
							from: picked('2026-11-25'),
							to: picked('2026-11-28'),
						}),
					),
				],
				chain('Start', 'Count'),
			),
			workflow(
				id('CountProfiles'),
				[
					start,
					code(
						'Events',
						`return ['Charged', 'App Launched'].map((event) => ({ json: { event } }));`,
					),
					cleverTap(
						'Count',
						report('countProfiles', {
							eventName: '={{ $json.event }}',
							from: picked('2026-11-25'),
							to: picked('2026-11-28'),
						}),
					),
				],
				chain('Start', 'Events', 'Count'),
			),
			workflow(
				id('TrendsTop'),
				[
					start,
					cleverTap(
						'Weekly',
						report('trends', { eventName: 'Charged', ...week, granularity: 'weekly' }),
						[240, 0],
					),
					cleverTap(
						'Daily',
						report('trends', { eventName: 'Charged', ...week, granularity: 'daily' }),
						[240, 200],
					),
					cleverTap(
						'Top',
						report('topValues', {
							eventName: 'Product Viewed',
							from: picked('2026-11-23'),
							to: picked('2026-11-28'),
							propertyType: 'eventProperty',
							propertyName: 'Category',
							topN: 2,
						}),
						[240, 400],
					),
				],
				{ Start: { main: [[link('Weekly'), link('Daily'), link('Top')]] } },
			),
			workflow(
				id('RealTime'),
				[start, cleverTap('Now', report('realTime', { options: { userType: true, os: true } }))],
				chain('Start', 'Now'),
			),
			workflow(
				id('Messages'),
				[
					start,
					cleverTap(
						'Messages',
						report('messageReports', {
							from: picked('2026-09-01'),
							to: picked('2026-11-29'),
							options: { timeout: 3000 },
						}),
					),
				],
				chain('Start', 'Messages'),
			),
			workflow(
				id('LongTrend'),
				[
					start,
					cleverTap(
						'Trend',
						report('trends', {
							eventName: 'Charged',
							from: picked('2025-01-01'),
							to: picked('2026-06-30'),
							granularity: 'monthly',
						}),
					),
				],
				chain('Start', 'Trend'),
			),
			workflow(
				id('MaxWait'),
				[
					start,
					cleverTap(
						'Count',
						report('countEvents', {
							eventName: 'Charged',
							from: picked('2026-11-25'),
							to: picked('2026-11-28'),
							options: { maxWait: 3 },
						}),
					),
				],
				chain('Start', 'Count'),
			),
		]);
		runs = await startRuns({ instance });
	}, 45 * 60_000);

	afterAll(async () => {
		await runs?.stop();
		await sim?.close();
	});

	async function execute(name: string, { fails = false } = {}) {
		const result = await runs.execute(id(name));
		const printed = `${result.stdout}\n${result.stderr}`;
		expect(printed).not.toContain(PASSCODE);
		if (result.code !== (fails ? 1 : 0) || !result.json)
			throw new Error(`${sim.summary()}\n${describeRun(result)}`);
		const output = (node: string) =>
			(result.json.data.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []) as Json[];
		return { result, output };
	}

	const requestsOf = (api: string) => sim.requests.filter((r) => r.api === api);

	test('Event → Get Many: 120 events in pages of 46 with the summary left out, each paired; a Limit of 5 returns 5', async () => {
		sim.reset();
		sim.seedEvents({
			name: 'Charged',
			count: 120,
			from: '2026-11-25',
			to: '2026-11-28',
			profiles: 40,
			data: (i) => ({ Amount: 10 + i, Currency: 'USD' }),
		});
		// Outside the days asked for, and another event on them.
		sim.seedEvents({ name: 'Charged', count: 10, from: '2026-11-20', to: '2026-11-21' });
		sim.seedEvents({ name: 'App Launched', count: 30, from: '2026-11-25', to: '2026-11-28' });

		const { output } = await execute('EventsAll');
		const items = output('Events');
		expect(items).toHaveLength(120);
		items.forEach((item, i) => {
			// Spread evenly over the 4 days: event i at i × 2,880 s, on profile i % 40.
			const profile = sim.findProfile({ identity: `seed-${i % 40}` });
			expect(item.json).toEqual({
				...eventTimes(Date.UTC(2026, 10, 25) + i * 2880 * 1000),
				eventName: 'Charged',
				eventProperties: { Amount: 10 + i, Currency: 'USD' },
				sessionProperties: DEFAULT_SESSION,
				profile: {
					objectId: profile?.objectId,
					identity: `seed-${i % 40}`,
					email: `seed-${i % 40}@example.com`,
					name: `Seed User ${i % 40}`,
					platform: 'Web',
					profileData: {},
				},
			});
			expect(item.pairedItem).toMatchObject({ item: 0 });
		});
		// The query, then pages of 46, 46 and 28, every cursor taken as given.
		const reads = requestsOf('events');
		expect(reads.map((r) => [r.method, r.status])).toEqual([
			['POST', 200],
			['GET', 200],
			['GET', 200],
			['GET', 200],
		]);
		expect(reads[0].query).toEqual({ batch_size: '50', events: 'false' });
		expect(reads[0].path).toBe('/1/events.json');
		expect(reads[0].json).toEqual({ event_name: 'Charged', from: 20261125, to: 20261128 });
		expect(reads.slice(1).every((r) => typeof r.query.cursor === 'string')).toBe(true);
		expect(sim.stats().eventPagesServed).toBe(3);

		sim.reset({ keepProfiles: true });
		const limited = (await execute('EventsLimit')).output('Events');
		expect(limited.map((item) => item.json.ts)).toEqual(
			items.slice(0, 5).map((item) => item.json.ts),
		);
		// The smallest page CleverTap honours, and no page after the first.
		expect(requestsOf('events').map((r) => [r.method, r.status, r.query.batch_size])).toEqual([
			['POST', 200, '23'],
			['GET', 200, undefined],
		]);
	}, 300_000);

	test('Count Events polled by request ID until ready; Count Profiles for 2 items, paired in order', async () => {
		sim.reset();
		sim.seedEvents({
			name: 'Charged',
			count: 120,
			from: '2026-11-25',
			to: '2026-11-28',
			profiles: 40,
		});
		sim.seedEvents({ name: 'Charged', count: 7, from: '2026-11-29', to: '2026-11-30' });
		sim.seedEvents({
			name: 'App Launched',
			count: 30,
			from: '2026-11-25',
			to: '2026-11-28',
			profiles: 10,
		});
		sim.setCountPolls(3);

		const events = (await execute('CountEvents')).output('Count');
		expect(events.map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{ count: 120, eventName: 'Charged', from: '2026-11-25', to: '2026-11-28' },
				expect.objectContaining({ item: 0 }),
			],
		]);
		const asked = requestsOf('eventCount');
		expect(asked.map((r) => [r.method, r.path, r.status])).toEqual([
			['POST', '/1/counts/events.json', 200],
			['GET', '/1/counts/events.json', 200],
			['GET', '/1/counts/events.json', 200],
			['GET', '/1/counts/events.json', 200],
		]);
		expect(asked[0].json).toEqual({ event_name: 'Charged', from: 20261125, to: 20261128 });
		expect(asked[0].query).toEqual({});
		const reqId = asked[1].query.req_id;
		expect(reqId).toMatch(/^\d{15}$/);
		expect(asked.slice(1).map((r) => r.query)).toEqual(Array(3).fill({ req_id: reqId }));
		expect(sim.stats().countPollsByApi.eventCount).toBe(3);

		const profiles = (await execute('CountProfiles')).output('Count');
		expect(profiles.map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{ count: 40, eventName: 'Charged', from: '2026-11-25', to: '2026-11-28' },
				expect.objectContaining({ item: 0 }),
			],
			[
				{ count: 10, eventName: 'App Launched', from: '2026-11-25', to: '2026-11-28' },
				expect.objectContaining({ item: 1 }),
			],
		]);
		const counted = requestsOf('profileCount');
		expect(
			counted.filter((r) => r.method === 'POST').map((r) => (r.json as Json).event_name),
		).toEqual(['Charged', 'App Launched']);
		// Each query polled 3 times by its own ID.
		const polls = counted.filter((r) => r.method === 'GET');
		expect(polls.every((r) => r.status === 200)).toBe(true);
		const byId = new Map<string, number>();
		for (const r of polls) byId.set(r.query.req_id, (byId.get(r.query.req_id) ?? 0) + 1);
		expect([...byId.values()]).toEqual([3, 3]);
	}, 300_000);

	test("Get Trends by week and by day, and an event property's top values, most frequent first", async () => {
		sim.reset();
		// 10 a day from 2026-11-20 to 2026-12-07, and 5 more on Saturday 2026-11-28.
		sim.seedEvents({ name: 'Charged', count: 180, from: '2026-11-20', to: '2026-12-07' });
		sim.seedEvents({ name: 'Charged', count: 5, from: '2026-11-28', to: '2026-11-28' });
		// Books 30, Toys 20, Garden 10.
		sim.seedEvents({
			name: 'Product Viewed',
			count: 60,
			from: '2026-11-23',
			to: '2026-11-28',
			data: ['Books', 'Toys', 'Books', 'Garden', 'Toys', 'Books'].map((Category) => ({ Category })),
		});

		const { output } = await execute('TrendsTop');
		expect(output('Weekly').map((item) => item.json)).toEqual([
			{ period: '2026-W48', value: 75 },
			{ period: '2026-W49', value: 70 },
		]);
		expect(output('Daily').map((item) => item.json)).toEqual(
			Array.from({ length: 14 }, (_, i) => {
				const period = new Date(Date.UTC(2026, 10, 23) + i * DAY_MS).toISOString().slice(0, 10);
				return { period, value: period === '2026-11-28' ? 15 : 10 };
			}),
		);
		expect(output('Top').map((item) => item.json)).toEqual([
			{ value: 'Books', count: 30 },
			{ value: 'Toys', count: 20 },
		]);
		for (const node of ['Weekly', 'Daily', 'Top'])
			expect(output(node).every((item) => item.pairedItem?.item === 0)).toBe(true);

		expect(requestsOf('trends').map((r) => [r.method, r.status, r.json])).toEqual(
			['weekly', 'daily'].map((granularity) => [
				'POST',
				200,
				{
					event_name: 'Charged',
					from: 20261123,
					to: 20261206,
					unique: false,
					groups: { [granularity]: { trend_type: granularity } },
				},
			]),
		);
		expect(requestsOf('top').map((r) => [r.method, r.status, r.json])).toEqual([
			[
				'POST',
				200,
				{
					event_name: 'Product Viewed',
					from: 20261123,
					to: 20261128,
					groups: {
						top: { property_type: 'event_properties', name: 'Category', top_n: 2, order: 'desc' },
					},
				},
			],
		]);
	}, 300_000);

	test('Get Real-Time Count with the user-type and OS breakdowns', async () => {
		sim.reset();
		const userType = { new: 20, repeat: 37, addressable: 30, customer: 12 };
		const os = { android: 30, ios: 20, windows: 7 };
		sim.setRealtimeCounts({ count: 57, last_processed_ts: 1795860000, user_type: userType, os });

		const now = (await execute('RealTime')).output('Now');
		expect(now.map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{ count: 57, lastProcessed: '2026-11-28T10:00:00.000Z', userType, os },
				expect.objectContaining({ item: 0 }),
			],
		]);
		expect(requestsOf('now').map((r) => [r.method, r.path, r.status, r.json])).toEqual([
			['POST', '/1/now.json', 200, { user_type: true, os: true }],
		]);
	}, 300_000);

	test('Get Message Reports over 90 days: 7 slices of at most 14 days within a 3 s Timeout, 3 at a time, merged in order', async () => {
		sim.reset();
		// 50 ms a day: 90 days in one request would take 4.5 s, over the Timeout of 3 s; 14 take 0.7 s.
		sim.setMessageReportMsPerDay(50);

		const messages = (await execute('Messages')).output('Messages');
		// The simulator's messages: one a day, started at 10:00 UTC, its ID the start in epoch seconds.
		const days = Array.from({ length: 90 }, (_, i) => Date.UTC(2026, 8, 1 + i, 10));
		expect(messages.map((item) => item.json.messageId)).toEqual(days.map((ms) => ms / 1000));
		expect(messages.map((item) => item.json.startTime)).toEqual(
			days.map((ms) => new Date(ms).toISOString().slice(0, 19)),
		);
		expect(messages[0].json).toMatchObject({
			'message name': 'Daily message 2026-09-01',
			start_date: '01 Sep, 2026 10:00:00',
		});
		expect(messages[0].json).not.toHaveProperty('message id');
		expect(messages.every((item) => item.pairedItem?.item === 0)).toBe(true);

		const asked = requestsOf('messageReport');
		const slice = (from: string, to: string) => ({ from, to });
		expect(
			asked.map((r) => r.json).sort((a, b) => ((a as Json).from < (b as Json).from ? -1 : 1)),
		).toEqual([
			slice('20260901', '20260914'),
			slice('20260915', '20260928'),
			slice('20260929', '20261012'),
			slice('20261013', '20261026'),
			slice('20261027', '20261109'),
			slice('20261110', '20261123'),
			slice('20261124', '20261129'),
		]);
		// Every slice answered once, none given up on for taking too long.
		expect(asked.map((r) => [r.status, r.clientAborted])).toEqual(Array(7).fill([200, false]));
		for (const r of asked) expect((r.endedAt as number) - r.startedAt).toBeLessThan(3000);
		const peak = sim.stats().peakConcurrencyByApi.messageReport;
		expect(peak).toBeLessThanOrEqual(3);
		expect(peak).toBeGreaterThan(1);
	}, 300_000);

	test('a trend over more than 366 days fails before anything is sent', async () => {
		sim.reset();
		sim.seedEvents({ name: 'Charged', count: 10, from: '2025-06-01', to: '2025-06-10' });
		const { result } = await execute('LongTrend', { fails: true });
		const error = result.json.data.resultData.error;
		expect(error.message).toBe(
			'From (20250101) to To (20260630) is 546 days; a trend covers at most 366',
		);
		expect(error.description).toBe('Choose a shorter range, or split it over several items.');
		expect(sim.requests).toEqual([]);
	}, 300_000);

	test('a count not ready at Max Wait fails with its request ID', async () => {
		sim.reset();
		sim.setCountPolls(1000);
		const { result } = await execute('MaxWait', { fails: true });
		const error = result.json.data.resultData.error;
		const asked = requestsOf('eventCount');
		const polls = asked.filter((r) => r.method === 'GET');
		expect(polls.length).toBeGreaterThan(0);
		expect(sim.stats().countPolls).toBe(polls.length);
		const reqId = polls[0].query.req_id;
		expect(polls.every((r) => r.query.req_id === reqId && r.status === 200)).toBe(true);
		expect(asked.filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(error.message).toContain('request ID');
		expect(error.message).toContain('Max Wait');
		expect(error.message).toBe(
			`The count of events for "Charged" was not ready after 3 seconds (Max Wait): CleverTap is still working on it as request ID ${reqId}`,
		);
		// Pauses of 1 s and 1.5 s, the last cut to end at 3 s: three polls in all.
		expect(polls.length).toBeLessThanOrEqual(4);
	}, 300_000);
});
