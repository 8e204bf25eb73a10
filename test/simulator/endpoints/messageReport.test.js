'use strict';

const { startSimulator } = require('../index.js');
const { startDate } = require('./messageReport');
const { MESSAGE_REPORT, AUTH_ONLY, fail, post, get, control, useSimulator } = require('../testkit');

const sim = useSimulator();

/** @param {any} s @param {unknown} body @param {Record<string, string>} [headers] */
const report = (s, body, headers) => post(s, MESSAGE_REPORT, body, headers);
/** The messages' ids. @param {any} r */
const ids = (r) => r.json.messages.map((/** @type {any} */ m) => m['message id']);

describe('Message Reports: POST /1/message/report.json', () => {
	test('one synchronous answer {status, messages, total_results}; by default one message a day, ids growing with the date', async () => {
		const r = await report(sim, { from: '20240305', to: '20240307' });
		expect(r.status).toBe(200);
		expect(Object.keys(r.json)).toEqual(['status', 'messages', 'total_results']);
		expect(r.json.total_results).toBe(3);
		const [first, second] = r.json.messages;
		expect(first).toEqual({
			'message id': Date.UTC(2024, 2, 5, 10) / 1000,
			'message name': 'Daily message 2024-03-05',
			start_date: '05 Mar, 2024 10:00:00',
			channel: expect.stringMatching(/^[A-Z]/),
			status: expect.any(String),
			delivery: expect.any(String),
			sent: expect.any(Number),
			viewed: expect.any(Number),
			clicked: expect.any(Number),
		});
		expect(second.start_date).toBe('06 Mar, 2024 10:00:00');
		const all = ids(r);
		expect(all).toEqual([...all].sort((a, b) => a - b));
		// The same day gives the same message, whatever the range.
		expect((await report(sim, { from: 20240306, to: 20240306 })).json.messages).toEqual([second]);
		expect(sim.stats()).toMatchObject({ requestsByApi: { messageReport: 2 } });
	});

	test('channels in mixed case, and a mix of statuses and deliveries over a month', async () => {
		const { messages } = (await report(sim, { from: '20240101', to: '20240131' })).json;
		const channels = new Set(messages.map((/** @type {any} */ m) => m.channel));
		expect([...channels].sort()).toEqual(['Browser', 'Email', 'InApp', 'Push', 'SMS', 'WhatsApp']);
		expect(new Set(messages.map((/** @type {any} */ m) => m.status)).size).toBe(4);
		expect(new Set(messages.map((/** @type {any} */ m) => m.delivery)).size).toBe(5);
	});

	test('filters channel, status and delivery: lists or comma-separated text, any case', async () => {
		const month = { from: '20240101', to: '20240131' };
		const all = (await report(sim, month)).json.messages;
		const pick = (/** @type {(m: any) => boolean} */ f) =>
			all.filter(f).map((/** @type {any} */ m) => m['message id']);
		expect(ids(await report(sim, { ...month, channel: ['push'] }))).toEqual(
			pick((m) => m.channel === 'Push'),
		);
		expect(ids(await report(sim, { ...month, channel: 'PUSH, email' }))).toEqual(
			pick((m) => m.channel === 'Push' || m.channel === 'Email'),
		);
		expect(ids(await report(sim, { ...month, channel: ['webpush'] }))).toEqual(
			pick((m) => m.channel === 'Browser'),
		);
		const both = await report(sim, {
			...month,
			status: 'completed',
			delivery: ['api', 'one_time'],
		});
		expect(ids(both)).toEqual(
			pick((m) => m.status === 'completed' && ['api', 'one_time'].includes(m.delivery)),
		);
		expect(both.json.total_results).toBe(both.json.messages.length);
		const none = await report(sim, { ...month, channel: ['tiktok'] });
		expect(none.json).toEqual({ status: 'success', messages: [], total_results: 0 });
		// Accepted, not filtering.
		expect(
			(await report(sim, { ...month, daily: true, label: ['x'], message_type: ['single'] })).json
				.total_results,
		).toBe(31);
	});

	test.each([
		['empty body', '', /empty/],
		['from missing', { to: '20240101' }, /from is required/],
		['to not a day', { from: '20240101', to: '2024-01-31' }, /to must be a day "YYYYMMDD"/],
		['from not a real day', { from: 20240230, to: 20240301 }, /from must be a day/],
		['from after to', { from: '20240201', to: '20240101' }, /is after to/],
		[
			'channel a number',
			{ from: '20240101', to: '20240101', channel: 5 },
			/channel must be a list/,
		],
		[
			'status a list of numbers',
			{ from: '20240101', to: '20240101', status: [1] },
			/status must be a list/,
		],
	])('%s → 400', async (_name, body, error) => {
		const r = await report(sim, body);
		expect(r.status).toBe(400);
		expect(r.json.error).toMatch(error);
	});

	test('GET → 405; wrong passcode → 401', async () => {
		expect((await get(sim, MESSAGE_REPORT)).json).toEqual(fail(405, 'Method not allowed'));
		expect(
			(
				await report(
					sim,
					{ from: '20240101', to: '20240101' },
					{ ...AUTH_ONLY, 'X-CleverTap-Passcode': 'x' },
				)
			).status,
		).toBe(401);
	});

	describe('setMessages: a fixed list, matched by start date', () => {
		test('a message that began before the range is not in it ([LMCP]); start order; defaults filled in', async () => {
			sim.setMessages([
				{
					'message id': 77,
					'message name': 'Spring sale',
					start_date: '05 Mar, 2024 10:00:00',
					channel: 'Email',
					status: 'running',
					delivery: 'one_time',
					sent: 10,
					viewed: 4,
					clicked: 1,
				},
				{ id: 5, name: 'Early', start: '2024-02-28 23:59:59', channel: 'Push', status: 'running' },
				{ id: 6, start: '2024-03-01' },
				{ id: 9, start: new Date('2024-03-31T23:00:00Z'), channel: 'SMS', extra: 'kept' },
				{ start: Date.UTC(2024, 3, 1) / 1000 },
			]);
			const r = await report(sim, { from: '20240301', to: '20240331' });
			expect(r.json.messages).toEqual([
				{
					'message id': 6,
					'message name': 'Message 6',
					start_date: '01 Mar, 2024 00:00:00',
					channel: 'Push',
					status: 'completed',
					delivery: 'one_time',
					sent: 0,
					viewed: 0,
					clicked: 0,
				},
				{
					'message id': 77,
					'message name': 'Spring sale',
					start_date: '05 Mar, 2024 10:00:00',
					channel: 'Email',
					status: 'running',
					delivery: 'one_time',
					sent: 10,
					viewed: 4,
					clicked: 1,
				},
				{
					'message id': 9,
					'message name': 'Message 9',
					start_date: '31 Mar, 2024 23:00:00',
					channel: 'SMS',
					status: 'completed',
					delivery: 'one_time',
					sent: 0,
					viewed: 0,
					clicked: 0,
					extra: 'kept',
				},
			]);
			expect(r.json.total_results).toBe(3);
			expect(ids(await report(sim, { from: '20240401', to: '20240401' }))).toEqual([5]);
			expect(ids(await report(sim, { from: '20240228', to: '20240228', channel: 'push' }))).toEqual(
				[5],
			);
			sim.setMessages(null);
			expect((await report(sim, { from: '20240301', to: '20240331' })).json.total_results).toBe(31);
		});

		test('bad lists are refused; reset() restores the start option', async () => {
			expect(() => sim.setMessages(/** @type {any} */ ({}))).toThrow(/list/);
			expect(() => sim.setMessages([{ start_date: '2024-03-05' }])).toThrow(/start_date/);
			expect(() => sim.setMessages([{ start_date: '31 Feb, 2024 10:00:00' }])).toThrow(
				/start_date/,
			);
			expect(() => sim.setMessages([{ start: '2024-02-30' }])).toThrow(/start/);
			expect(() => sim.setMessages([{ name: 'no start' }])).toThrow(/start/);
			expect(() => sim.setMessages([/** @type {any} */ ('x')])).toThrow(/object/);
			sim.setMessages([]);
			expect((await report(sim, { from: '20240301', to: '20240331' })).json.total_results).toBe(0);
			sim.reset();
			expect((await report(sim, { from: '20240301', to: '20240301' })).json.total_results).toBe(1);
		});

		test('option messages and POST /__simulator/messages', async () => {
			const s = await startSimulator({ control: true, messages: [{ id: 1, start: '2024-03-02' }] });
			try {
				expect(ids(await report(s, { from: '20240301', to: '20240331' }))).toEqual([1]);
				await control(s, 'POST', 'messages', [
					{ id: 2, start: '2024-03-03' },
					{ id: 3, start: '2024-03-04' },
				]);
				expect(ids(await report(s, { from: '20240301', to: '20240331' }))).toEqual([2, 3]);
				expect((await control(s, 'POST', 'messages', [{ id: 4 }])).status).toBe(400);
				await control(s, 'POST', 'messages', null);
				expect((await report(s, { from: '20240301', to: '20240331' })).json.total_results).toBe(31);
			} finally {
				await s.close();
			}
		});
	});

	describe('latency: messageReportMsPerDay per day of the range ([LMCP] measured ~1.2 s a day)', () => {
		test('90 days outlast a client timeout that 14-day slices fit in', async () => {
			sim.setMessageReportMsPerDay(10);
			const timeout = 500;
			const started = Date.now();
			const whole = await fetch(`${sim.url}${MESSAGE_REPORT}`, {
				method: 'POST',
				headers: { ...AUTH_ONLY, 'Content-Type': 'application/json' },
				body: JSON.stringify({ from: '20240101', to: '20240330' }),
				signal: AbortSignal.timeout(timeout),
			}).catch((err) => err);
			expect(whole.name).toBe('TimeoutError');
			expect(Date.now() - started).toBeGreaterThanOrEqual(timeout - 20);
			const slice = Date.now();
			const r = await report(sim, { from: '20240101', to: '20240114' });
			const took = Date.now() - slice;
			expect(r.json.total_results).toBe(14);
			expect(took).toBeGreaterThanOrEqual(140 - 5);
			expect(took).toBeLessThan(timeout);
		});

		test('setter checks; reset() restores; option and POST /__simulator/message-report-latency', async () => {
			expect(() => sim.setMessageReportMsPerDay(-1)).toThrow(/messageReportMsPerDay/);
			sim.setMessageReportMsPerDay(1000);
			sim.reset();
			expect(sim.messageReportMsPerDay).toBe(0);
			const s = await startSimulator({ control: true, messageReportMsPerDay: 30 });
			try {
				let t = Date.now();
				await report(s, { from: '20240101', to: '20240103' });
				expect(Date.now() - t).toBeGreaterThanOrEqual(85);
				expect((await control(s, 'POST', 'message-report-latency', { msPerDay: 0 })).json).toEqual({
					status: 'success',
				});
				t = Date.now();
				await report(s, { from: '20240101', to: '20240331' });
				expect(Date.now() - t).toBeLessThan(85);
				expect(
					(await control(s, 'POST', 'message-report-latency', { msPerDay: 'slow' })).status,
				).toBe(400);
			} finally {
				await s.close();
			}
		});
	});
});

test('startDate: CleverTap\'s "05 Mar, 2024 10:00:00" in UTC', () => {
	expect(startDate(Date.UTC(2024, 2, 5, 10) / 1000)).toBe('05 Mar, 2024 10:00:00');
	expect(startDate(Date.UTC(1999, 11, 31, 23, 59, 59) / 1000)).toBe('31 Dec, 1999 23:59:59');
});
