import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import {
	mockExecuteContext,
	stopError,
	type FakeResponse,
	type MockContextOptions,
	type RecordedRequest,
} from '../../support/mockExecuteContext';
import { N8N_MAJORS, recordedN8nError } from '../../support/n8nErrors';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Back-off waits are counted, never waited out.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const BASE = 'https://in1.api.clevertap.com';
const UNSURE_HINT =
	'The node did not send it again, so that CleverTap does not get it twice. Look in CleverTap whether it arrived (the campaign list, the message reports, the profile or its events) before you run it again.';

type Config = Omit<MockContextOptions, 'parameters'> & { parameters?: IDataObject };

const ok = (body: IDataObject): FakeResponse => ({
	statusCode: 200,
	body: JSON.stringify({ status: 'success', ...body }),
});
const CREATED = ok({ id: 1457433898, estimates: { android: 10, ios: 30 } });

/** Runs a Campaign operation. */
function campaign(operation: string, config: Config) {
	const mock = mockExecuteContext({
		...config,
		parameters: { resource: 'campaign', operation, ...config.parameters },
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

/** Campaign → Create; by default a push to iOS now, to the people who did Charged in November. */
function create(config: Config) {
	return campaign('create', {
		...config,
		parameters: {
			name: 'Winter sale',
			channel: 'push',
			audience: 'eventQuery',
			eventName: 'Charged',
			from: '2026-11-01T00:00:00',
			to: '2026-11-30T00:00:00',
			title: 'Winter sale',
			body: 'Everything half price',
			devices: ['ios'],
			when: 'now',
			...config.parameters,
		},
	});
}

const line = (request: RecordedRequest) => [request.options.method, request.options.url];

beforeEach(() => {
	jest.mocked(sleep).mockClear();
});

describe('CleverTap → Campaign → Create', () => {
	test('a push to the people of an event, with property filters, now', async () => {
		const { run, requests } = create({
			items: [{}],
			parameters: {
				devices: ['android', 'ios'],
				channelId: 'offers',
				eventProperties: {
					filter: [
						{ name: ' Category ', operator: 'equals', value: 'Shoes' },
						{ name: 'Amount', operator: 'greater_than', value: '100' },
					],
				},
			},
			respond: () => CREATED,
		});
		const [output] = await run;
		expect(requests.map(line)).toEqual([['POST', `${BASE}/1/targets/create.json`]]);
		expect(requests[0].body).toEqual({
			name: 'Winter sale',
			target_mode: 'push',
			where: {
				event_name: 'Charged',
				from: 20261101,
				to: 20261130,
				event_properties: [
					{ name: 'Category', operator: 'equals', value: 'Shoes' },
					{ name: 'Amount', operator: 'greater_than', value: '100' },
				],
			},
			content: {
				title: 'Winter sale',
				body: 'Everything half price',
				platform_specific: { android: { wzrk_cid: 'offers' } },
			},
			devices: ['android', 'ios'],
			when: 'now',
			respect_frequency_caps: true,
		});
		expect(output).toEqual([
			{
				json: {
					status: 'created',
					campaignId: 1457433898,
					name: 'Winter sale',
					estimates: { android: 10, ios: 30 },
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('an email to a saved segment: no where, the segment as a number, provider and labels', async () => {
		const { run, requests } = create({
			items: [{}],
			parameters: {
				channel: 'email',
				audience: 'segment',
				segmentId: ' 1581498000 ',
				subject: 'Our winter sale',
				senderName: 'Shop',
				body: '<p>Half price</p>',
			},
			options: {
				providerNickname: 'Provider 1',
				labels: 'winter, , reminders ',
				respectFrequencyCaps: false,
			},
			respond: () => CREATED,
		});
		await run;
		expect(requests[0].body).toEqual({
			name: 'Winter sale',
			target_mode: 'email',
			segment: 1581498000,
			content: { subject: 'Our winter sale', body: '<p>Half price</p>', sender_name: 'Shop' },
			when: 'now',
			respect_frequency_caps: false,
			provider_nick_name: 'Provider 1',
			labels: ['winter', 'reminders'],
		});
	});

	test('an SMS to a segment', async () => {
		const { run, requests } = create({
			items: [{}],
			parameters: { channel: 'sms', audience: 'segment', segmentId: '42', body: 'Sale!' },
			respond: () => CREATED,
		});
		await run;
		expect(requests[0].body).toEqual({
			name: 'Winter sale',
			target_mode: 'sms',
			segment: 42,
			content: { body: 'Sale!' },
			when: 'now',
			respect_frequency_caps: true,
		});
	});

	test('a web push to the people of an event, without filters', async () => {
		const { run, requests } = create({
			items: [{}],
			parameters: { channel: 'webPush', deepLink: 'https://shop.example.com' },
			respond: () => CREATED,
		});
		await run;
		expect(requests[0].body).toEqual({
			name: 'Winter sale',
			target_mode: 'webpush',
			where: { event_name: 'Charged', from: 20261101, to: 20261130 },
			content: {
				title: 'Winter sale',
				body: 'Everything half price',
				platform_specific: { chrome: { deep_link: 'https://shop.example.com' } },
			},
			when: 'now',
			respect_frequency_caps: true,
		});
	});

	test.each([
		['an ISO text', '2026-12-24T09:30:00'],
		['an ISO text with an offset, its time as written', '2026-12-24T09:30:00.000+05:30'],
	])('when later (%s) → "20261224 09:30"', async (_name, sendAt) => {
		const { run, requests } = create({
			items: [{}],
			parameters: { when: 'later', sendAt },
			respond: () => CREATED,
		});
		await run;
		expect((requests[0].body as IDataObject).when).toBe('20261224 09:30');
	});

	test('Estimate Only asks with estimate_only and gives the estimates, not a campaign', async () => {
		const { run, requests } = create({
			items: [{}],
			options: { estimateOnly: true },
			// CleverTap has been seen to give an ID with an estimate too.
			respond: () => ok({ id: 99, estimates: { chrome: 2 } }),
		});
		const [output] = await run;
		expect(requests[0].body).toMatchObject({ estimate_only: true, when: 'now' });
		expect(output).toEqual([
			{
				json: { estimateOnly: true, name: 'Winter sale', estimates: { chrome: 2 } },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('without Estimate Only there is no estimate_only in the body', async () => {
		const { run, requests } = create({ items: [{}], respond: () => CREATED });
		await run;
		expect(requests[0].body).not.toHaveProperty('estimate_only');
	});

	test('one campaign per item, each paired to its item', async () => {
		const { run, requests } = create({
			items: [{ n: 'First' }, { n: 'Second' }],
			parameters: { name: '={{ $json.n }}' },
			evaluate: (name, item) => (name === 'name' ? item.n : undefined),
			options: { concurrency: 1 },
			respond: (request) =>
				ok({ id: (request.body as IDataObject).name === 'First' ? 1 : 2, estimates: {} }),
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(output.map((item) => [item.json.campaignId, item.json.name, item.pairedItem])).toEqual([
			[1, 'First', { item: 0 }],
			[2, 'Second', { item: 1 }],
		]);
	});

	const lostAnswers = [
		[
			'a timeout (ETIMEDOUT)',
			() => {
				throw Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ETIMEDOUT' });
			},
			'CleverTap at in1.api.clevertap.com did not answer within 30 seconds',
		],
		...N8N_MAJORS.map(
			(major) =>
				[
					`a timeout as n8n ${major.slice(4)}.x throws it`,
					() => {
						throw recordedN8nError(major, 'hang');
					},
					'CleverTap at in1.api.clevertap.com did not answer within 30 seconds',
				] as const,
		),
		[
			'a connection reset (ECONNRESET)',
			() => {
				throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
			},
			'The connection to CleverTap at in1.api.clevertap.com broke off before the answer came (ECONNRESET)',
		],
		[
			'a 503',
			() => ({ statusCode: 503, body: '<html>Unavailable</html>' }),
			'CleverTap is unavailable for now (HTTP 503)',
		],
	] as const;

	// A lost answer on Create: CleverTap may have created the campaign, so it is not sent again.
	const [unsureByAnswer, ...unsureByTransport] = [lostAnswers[4], ...lostAnswers.slice(0, 4)];
	test.each([unsureByAnswer])(
		'%s: one request only, and the item may have been created',
		async (_name, lost, summary) => await expectCreatedOnceUnsure(lost, summary),
	);

	/** A failure without an answer (timeout, reset) is as unsure as a 5xx: one campaign at most. */
	test.each(unsureByTransport)(
		'%s: one request only, and the item may have been created',
		async (_name, lost, summary) => await expectCreatedOnceUnsure(lost, summary),
	);

	async function expectCreatedOnceUnsure(lost: () => unknown, summary: string) {
		const { run, requests } = create({
			items: [{}],
			continueOnFail: true,
			respond: () => lost() as FakeResponse,
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(output).toEqual([
			{
				json: {
					error: `Campaign "Winter sale" may have been created: check in CleverTap before sending again (${summary}). ${UNSURE_HINT}`,
				},
				pairedItem: { item: 0 },
			},
		]);
	}

	test('a timeout without continue-on-fail stops the node with "may have been created"', async () => {
		const { run, requests } = create({
			items: [{}],
			respond: () => {
				throw Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
			},
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Campaign "Winter sale" may have been created: check in CleverTap before sending again (CleverTap at in1.api.clevertap.com did not answer within 30 seconds)',
		);
		expect(error.description).toBe(UNSURE_HINT);
		expect(requests).toHaveLength(1);
	});

	test('a 429 is waited out and sent again', async () => {
		const { run, requests } = create({
			items: [{}],
			respond: (_request, call) =>
				call === 1
					? { statusCode: 429, body: '{"status":"fail","error":"Too many","code":429}' }
					: CREATED,
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(requests[1].body).toEqual(requests[0].body);
		expect(output[0].json.status).toBe('created');
	});

	test('ECONNREFUSED is sent again: it never reached CleverTap', async () => {
		const { run, requests } = create({
			items: [{}],
			respond: (_request, call) => {
				if (call === 1) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
				return CREATED;
			},
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(output[0].json.campaignId).toBe(1457433898);
	});

	test("a 400 fails the item with CleverTap's words, after one request", async () => {
		const { run, requests } = create({
			items: [{}],
			continueOnFail: true,
			respond: () => ({
				statusCode: 400,
				body: '{"status":"fail","error":"Notification channel is required for devices having Android 8.0 or above","code":9}',
			}),
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(output[0].json.error).toBe(
			'Campaign "Winter sale" failed: CleverTap refused the request as invalid (HTTP 400, code 9: "Notification channel is required for devices having Android 8.0 or above")',
		);
	});

	test.each([
		['an empty name', { name: '  ' }, 'The campaign name is empty'],
		[
			'a channel CleverTap does not know',
			{ channel: 'fax' },
			'The channel "fax" is not one CleverTap knows',
		],
		['an empty Segment ID', { audience: 'segment', segmentId: '' }, 'The Segment ID is empty'],
		[
			'a Segment ID that is not a number',
			{ audience: 'segment', segmentId: 'vip' },
			'The Segment ID "vip" is not a number',
		],
		['an empty event name', { eventName: '' }, 'The event name is empty'],
		[
			'From after To',
			{ from: '2026-12-01', to: '2026-11-01' },
			'From (20261201) is after To (20261101)',
		],
		[
			'a filter without a property',
			{ eventProperties: { filter: [{ name: ' ', operator: 'equals', value: 'x' }] } },
			'An event property filter has no property',
		],
		[
			'an unknown operator',
			{ eventProperties: { filter: [{ name: 'a', operator: 'like', value: 'x' }] } },
			'The operator "like" is not one CleverTap knows',
		],
		[
			'a push to Android without a channel ID',
			{ devices: ['android'] },
			'A push to Android needs an Android Channel ID',
		],
		['an empty Send At', { when: 'later', sendAt: '' }, 'Send At is not a date and time ("")'],
		[
			'a Send At that is no date',
			{ when: 'later', sendAt: 'next Friday' },
			'Send At is not a date and time ("next Friday")',
		],
		[
			'a Send At on a day that does not exist',
			{ when: 'later', sendAt: '2026-02-30T09:30:00' },
			'Send At is not a date and time ("2026-02-30T09:30:00")',
		],
	])('%s fails before anything is sent', async (_name, parameters, message) => {
		const stopped = create({ items: [{}], parameters, respond: () => CREATED });
		const error = await stopError(stopped.run);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(stopped.requests).toHaveLength(0);
	});

	test('under continue-on-fail a bad item fails alone; the good one is created', async () => {
		const { run, requests } = create({
			items: [{ n: '' }, { n: 'Good' }],
			parameters: { name: '={{ $json.n }}' },
			evaluate: (name, item) => (name === 'name' ? item.n : undefined),
			continueOnFail: true,
			respond: () => CREATED,
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(output[0]).toEqual({
			json: { error: 'The campaign name is empty. Enter a name for the campaign.' },
			pairedItem: { item: 0 },
		});
		expect(output[1].json).toMatchObject({ status: 'created', name: 'Good' });
	});
});

describe('CleverTap → Campaign → Get Many', () => {
	test('one POST to list.json with the days; one item per campaign, id as campaignId', async () => {
		const { run, requests } = campaign('getMany', {
			items: [{}],
			parameters: { from: '2026-11-01T00:00:00', to: '2026-11-30T00:00:00' },
			respond: () =>
				ok({
					targets: [
						{
							id: 1457433898,
							name: 'Winter sale',
							scheduled_on: 202611281030,
							status: 'completed',
						},
						{ id: 1457433899, name: 'Reminder', scheduled_on: 202611291030, status: 'scheduled' },
					],
				}),
		});
		const [output] = await run;
		expect(requests.map(line)).toEqual([['POST', `${BASE}/1/targets/list.json`]]);
		expect(requests[0].body).toEqual({ from: 20261101, to: 20261130 });
		expect(output).toEqual([
			{
				json: {
					campaignId: 1457433898,
					name: 'Winter sale',
					scheduled_on: 202611281030,
					status: 'completed',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					campaignId: 1457433899,
					name: 'Reminder',
					scheduled_on: 202611291030,
					status: 'scheduled',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(output.every((item) => !('id' in item.json))).toBe(true);
	});

	test('no campaigns (or no list): no items', async () => {
		for (const body of [{ targets: [] }, { targets: null, note: 'x' }]) {
			const { run } = campaign('getMany', {
				items: [{}],
				parameters: { from: '2026-11-01', to: '2026-11-30' },
				respond: () => ok(body),
			});
			expect(await run).toEqual([[]]);
		}
	});

	test('a bad date fails before anything is sent', async () => {
		const { run, requests } = campaign('getMany', {
			items: [{}],
			parameters: { from: 'yesterday', to: '2026-11-30' },
		});
		const error = await stopError(run);
		expect(error.message).toBe('From is not a date ("yesterday")');
		expect(requests).toHaveLength(0);
	});
});

describe('CleverTap → Campaign → Get Report', () => {
	test('a completed campaign: its counts, the ID sent as a number', async () => {
		const { run, requests } = campaign('getReport', {
			items: [{}],
			parameters: { campaignId: ' 1457432766 ' },
			respond: () => ({
				statusCode: 200,
				body: '{"result":{"clicked":28,"sent":82},"status":"success"}',
			}),
		});
		const [output] = await run;
		expect(requests.map(line)).toEqual([['POST', `${BASE}/1/targets/result.json`]]);
		expect(requests[0].body).toEqual({ id: 1457432766 });
		expect(output).toEqual([
			{
				json: { campaignId: 1457432766, completed: true, clicked: 28, sent: 82 },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('a campaign not completed yet is an answer, not an error', async () => {
		const { run, requests } = campaign('getReport', {
			items: [{}],
			parameters: { campaignId: '1457432766' },
			respond: () => ({
				statusCode: 200,
				body: '{"error":"This target hasn\'t been completed","status":"fail"}',
			}),
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(output).toEqual([
			{ json: { campaignId: 1457432766, completed: false }, pairedItem: { item: 0 } },
		]);
	});

	test('any other failure is an error with what CleverTap said', async () => {
		const { run } = campaign('getReport', {
			items: [{}],
			parameters: { campaignId: '1' },
			continueOnFail: true,
			respond: () => ({
				statusCode: 200,
				body: '{"error":"Invalid campaign id","status":"fail","code":400}',
			}),
		});
		const [output] = await run;
		expect(output[0].json.error).toBe(
			'The report of campaign 1 failed: CleverTap answered but reported "fail" (HTTP 200, code 400: "Invalid campaign id")',
		);
	});

	test.each([
		['', 'The Campaign ID is empty'],
		['winter', 'The Campaign ID "winter" is not a number'],
		['-3', 'The Campaign ID "-3" is not a number'],
	])('Campaign ID %j fails before anything is sent', async (campaignId, message) => {
		const { run, requests } = campaign('getReport', {
			items: [{}],
			parameters: { campaignId },
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(requests).toHaveLength(0);
	});
});

describe('CleverTap → Campaign → Stop', () => {
	/** stop.json answers exactly `{"status":"success"}` (clevertap-api-endpoints.md §5). */
	test('one POST to stop.json with the ID as a number', async () => {
		const { run, requests } = campaign('stop', {
			items: [{ campaign: 1457432766 }],
			parameters: { campaignId: '={{ $json.campaign }}' },
			evaluate: (_name, item) => item.campaign,
			respond: () => ok({}),
		});
		const [output] = await run;
		expect(requests.map(line)).toEqual([['POST', `${BASE}/1/targets/stop.json`]]);
		expect(requests[0].body).toEqual({ id: 1457432766 });
		expect(output).toEqual([
			{ json: { campaignId: 1457432766, stopped: true }, pairedItem: { item: 0 } },
		]);
	});

	test('an answer with more than its status is a stop too', async () => {
		const { run, requests } = campaign('stop', {
			items: [{}],
			parameters: { campaignId: '1457432766' },
			respond: () => ok({ message: 'Campaign stopped' }),
		});
		const [output] = await run;
		expect(requests[0].body).toEqual({ id: 1457432766 });
		expect(output.map((item) => item.json)).toEqual([{ campaignId: 1457432766, stopped: true }]);
	});

	test('a bad Campaign ID fails before anything is sent', async () => {
		const { run, requests } = campaign('stop', { items: [{}], parameters: { campaignId: 'x1' } });
		const error = await stopError(run);
		expect(error.message).toBe('The Campaign ID "x1" is not a number');
		expect(requests).toHaveLength(0);
	});

	test("CleverTap's refusal is the item's error", async () => {
		const { run } = campaign('stop', {
			items: [{}],
			parameters: { campaignId: '5' },
			continueOnFail: true,
			respond: () => ({
				statusCode: 200,
				body: '{"status":"fail","error":"Campaign already stopped","code":400}',
			}),
		});
		const [output] = await run;
		expect(output[0].json.error).toBe(
			'Stopping campaign 5 failed: CleverTap answered but reported "fail" (HTTP 200, code 400: "Campaign already stopped")',
		);
	});
});
