import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import { triggerData } from '../../../nodes/CleverTap/actions/message/triggerCampaign.operation';
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
const URL = 'https://in1.api.clevertap.com/1/send/externaltrigger.json';
const QUEUED: FakeResponse = {
	statusCode: 200,
	body: '{"status":"success","message":"Added to queue for processing"}',
};
const UNSURE_HINT =
	'The node did not send it again, so that CleverTap does not get it twice. Look in CleverTap whether it arrived (the campaign list, the message reports, the profile or its events) before you run it again.';

type Config = Omit<MockContextOptions, 'parameters'> & { parameters?: IDataObject };

/** Properties read from the item's fields of the same names. */
const fieldsFrom = (...names: string[]) => ({
	custom: names.map((name) => ({ name, value: `={{ $json.${name} }}` })),
});

/** Runs Message → Trigger Campaign; by default by identity from `$json.id`, data from `$json.order`. */
function trigger(config: Config) {
	const mock = mockExecuteContext({
		...config,
		parameters: {
			resource: 'message',
			operation: 'triggerCampaign',
			campaignId: '1695721550',
			identifierType: 'identity',
			identifier: '={{ $json.id }}',
			dataMode: 'fields',
			fields: fieldsFrom('order'),
			...config.parameters,
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

interface SentBody {
	to: Record<string, string[]>;
	campaign_id: string;
	ExternalTrigger: Record<string, string>;
}
const bodyOf = (request: RecordedRequest) => request.body as SentBody;
const recipients = (request: RecordedRequest) => Object.values(bodyOf(request).to).flat();

beforeEach(() => {
	jest.mocked(sleep).mockClear();
});

describe('CleverTap → Message → Trigger Campaign', () => {
	test('one POST to externaltrigger.json: lowercase to, campaign_id as text, data as text', async () => {
		const { run, requests } = trigger({
			items: [
				{ id: 'jane', order: 'A-1' },
				{ id: 'joe', order: 'A-1' },
			],
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(requests[0].options).toMatchObject({ method: 'POST', url: URL });
		expect(requests[0].body).toEqual({
			to: { identity: ['jane', 'joe'] },
			campaign_id: '1695721550',
			ExternalTrigger: { order: 'A-1' },
		});
		expect(output[1]).toEqual({
			json: {
				id: 'joe',
				order: 'A-1',
				status: 'queued',
				campaignId: '1695721550',
				identifierType: 'identity',
				identifier: 'joe',
			},
			pairedItem: { item: 1 },
		});
	});

	test.each([
		['email', 'jane@example.com'],
		['objectId', '__g1a2b3'],
	])('by %s the key of to is %s, as written', async (identifierType, value) => {
		const { run, requests } = trigger({
			items: [{ who: value, order: 'A-1' }],
			parameters: { identifierType, identifier: '={{ $json.who }}' },
			respond: () => QUEUED,
		});
		await run;
		expect(bodyOf(requests[0]).to).toEqual({ [identifierType]: [value] });
	});

	test('a campaign ID that is a number in the item is sent as text', async () => {
		const { run, requests } = trigger({
			items: [{ id: 'a', campaign: 1695721550, order: 'x' }],
			parameters: { campaignId: '={{ $json.campaign }}' },
			respond: () => QUEUED,
		});
		await run;
		expect(bodyOf(requests[0]).campaign_id).toBe('1695721550');
	});

	test('numbers and true/false become text; empty values are left out', async () => {
		const { run, requests } = trigger({
			items: [
				{
					id: 'a',
					amount: 42.5,
					zero: 0,
					paid: true,
					gift: false,
					note: '',
					coupon: null,
					name: 'Jane',
				},
			],
			parameters: {
				fields: fieldsFrom('amount', 'zero', 'paid', 'gift', 'note', 'coupon', 'missing', 'name'),
			},
			respond: () => QUEUED,
		});
		await run;
		expect(bodyOf(requests[0]).ExternalTrigger).toEqual({
			amount: '42.5',
			zero: '0',
			paid: 'true',
			gift: 'false',
			name: 'Jane',
		});
	});

	test.each([
		[
			'a list',
			{ products: ['watch', 'strap'] },
			'The value of "products" is a list; CleverTap takes only text in a campaign\'s data',
		],
		[
			'an object',
			{ products: { name: 'watch' } },
			'The value of "products" is an object; CleverTap takes only text in a campaign\'s data',
		],
	])('%s as a value fails its item before anything is sent', async (_name, value, message) => {
		const items = [
			{ id: 'a', products: 'watch' },
			{ id: 'b', ...value },
		];
		const stopped = trigger({
			items,
			parameters: { fields: fieldsFrom('products') },
			respond: () => QUEUED,
		});
		const error = await stopError(stopped.run);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(error.context.itemIndex).toBe(1);
		expect(stopped.requests).toHaveLength(0);

		const continued = trigger({
			items,
			parameters: { fields: fieldsFrom('products') },
			continueOnFail: true,
			respond: () => QUEUED,
		});
		const [output] = await continued.run;
		expect(continued.requests).toHaveLength(1);
		expect(recipients(continued.requests[0])).toEqual(['a']);
		expect(output[1]).toEqual({ json: { error: message }, pairedItem: { item: 1 } });
		expect(output[0].json.status).toBe('queued');
	});

	test('a value without a name fails; an empty row is left out', async () => {
		expect(triggerData({ '': '', ' ': null, a: 'b' })).toEqual({ ok: true, data: { a: 'b' } });
		expect(triggerData({ ' ': 'x' })).toEqual({
			ok: false,
			reason: 'A property has a value but no name',
		});
		const { run, requests } = trigger({
			items: [{ id: 'a' }],
			parameters: { fields: { custom: [{ name: '', value: 'orphan' }] } },
		});
		const error = await stopError(run);
		expect(error.message).toBe('A property has a value but no name');
		expect(requests).toHaveLength(0);
	});

	test('items with the same data share a request; different data or campaigns split', async () => {
		const items = [
			{ id: 'a', order: '1', campaign: '111' },
			{ id: 'b', order: '2', campaign: '111' },
			{ id: 'c', order: '1', campaign: '111' },
			{ id: 'd', order: '1', campaign: '222' },
			{ id: 'e', order: '2', campaign: '111' },
		];
		const { run, requests } = trigger({
			items,
			parameters: { campaignId: '={{ $json.campaign }}' },
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(requests.map((request) => request.body)).toEqual([
			{ to: { identity: ['a', 'c'] }, campaign_id: '111', ExternalTrigger: { order: '1' } },
			{ to: { identity: ['b', 'e'] }, campaign_id: '111', ExternalTrigger: { order: '2' } },
			{ to: { identity: ['d'] }, campaign_id: '222', ExternalTrigger: { order: '1' } },
		]);
		expect(output.map((item) => [item.json.identifier, item.json.campaignId])).toEqual(
			items.map((item) => [item.id, item.campaign]),
		);
	});

	test('the same person with the same data twice is sent once; both items are queued', async () => {
		const { run, requests } = trigger({
			items: [
				{ id: 'a', order: '1' },
				{ id: 'a', order: '1' },
				{ id: 'a', order: '2' },
			],
			options: { includeInputFields: false },
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(
			requests.map((request) => [recipients(request), bodyOf(request).ExternalTrigger]),
		).toEqual([
			[['a'], { order: '1' }],
			[['a'], { order: '2' }],
		]);
		expect(output.map((item) => item.json.status)).toEqual(['queued', 'queued', 'queued']);
	});

	test('1,200 people with the same data: 1,000 and 200 a request', async () => {
		const items = Array.from({ length: 1200 }, (_, i) => ({ id: `u${i}`, order: 'same' }));
		const { run, requests } = trigger({ items, respond: () => QUEUED });
		await run;
		expect(requests.map((request) => bodyOf(request).to.identity.length)).toEqual([1000, 200]);
	});

	describe('JSON mode', () => {
		test('an object from the item: its values as text', async () => {
			const { run, requests } = trigger({
				items: [{ id: 'a', data: { orderId: 7, express: true, note: '' } }],
				parameters: { dataMode: 'json', json: '={{ $json.data }}' },
				respond: () => QUEUED,
			});
			await run;
			expect(bodyOf(requests[0]).ExternalTrigger).toEqual({ orderId: '7', express: 'true' });
		});

		test('JSON text as typed in the editor', async () => {
			const { run, requests } = trigger({
				items: [{ id: 'a' }],
				parameters: { dataMode: 'json', json: '{"Name":"John Doe","total":"$8.66"}' },
				respond: () => QUEUED,
			});
			await run;
			expect(bodyOf(requests[0]).ExternalTrigger).toEqual({ Name: 'John Doe', total: '$8.66' });
		});

		test('empty JSON text is no data', async () => {
			const { run, requests } = trigger({
				items: [{ id: 'a' }],
				parameters: { dataMode: 'json', json: '' },
				respond: () => QUEUED,
			});
			await run;
			expect(bodyOf(requests[0]).ExternalTrigger).toEqual({});
		});

		test.each([
			['not JSON', '{"a":', 'The JSON is not valid JSON'],
			['a list', '[1,2]', 'The JSON must be an object of names and values, not a list'],
			['a number', '42', 'The JSON must be an object of names and values, not number'],
			[
				'an object with a nested list',
				'{"products":[{"productName":"Apple Watch"}]}',
				'The value of "products" is a list; CleverTap takes only text in a campaign\'s data',
			],
		])('%s fails the item before anything is sent', async (_name, json, message) => {
			const { run, requests } = trigger({
				items: [{ id: 'a' }],
				parameters: { dataMode: 'json', json },
				respond: () => QUEUED,
			});
			const error = await stopError(run);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(message);
			expect(requests).toHaveLength(0);
		});
	});

	test.each([
		['', 'The Campaign ID is empty'],
		['campaign-1', 'The Campaign ID "campaign-1" is not a number'],
		['12.5', 'The Campaign ID "12.5" is not a number'],
	])('Campaign ID %j fails before anything is sent', async (campaignId, message) => {
		const { run, requests } = trigger({
			items: [{ id: 'a', order: '1' }],
			parameters: { campaignId },
			respond: () => QUEUED,
		});
		const error = await stopError(run);
		expect(error.message).toBe(message);
		expect(requests).toHaveLength(0);
	});

	test('Dry Run sends nothing and shows, per item, the campaign, to, data and URL', async () => {
		const { run, requests } = trigger({
			items: [
				{ id: 'a', order: '1' },
				{ id: 'b', order: '2' },
			],
			options: { dryRun: true, includeInputFields: false },
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(requests).toHaveLength(0);
		expect(output[1].json).toEqual({
			status: 'dryRun',
			message:
				'Nothing was sent (Dry Run is on). Without Dry Run, request 2 of 2 would send this to CleverTap.',
			campaignId: '1695721550',
			to: { identity: ['b'] },
			data: { order: '2' },
			requests: [2],
			requestCount: 2,
			url: URL,
		});
	});
});

describe('Trigger Campaign never triggers twice', () => {
	const items = [
		{ id: 'a', order: 'lost' },
		{ id: 'b', order: 'fine' },
	];
	const isLost = (request: RecordedRequest) => bodyOf(request).ExternalTrigger.order === 'lost';
	const throwing = (error: () => unknown) => (): FakeResponse => {
		throw error();
	};
	type LostAnswer = [name: string, lost: () => FakeResponse, summary: string];

	test.each<LostAnswer>([
		[
			'a timeout (ETIMEDOUT)',
			throwing(() => Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
			'CleverTap at in1.api.clevertap.com did not answer within 30 seconds',
		],
		...N8N_MAJORS.map(
			(major) =>
				[
					`a reset as n8n ${major.slice(4)}.x throws it`,
					throwing(() => recordedN8nError(major, 'reset')),
					'The connection to CleverTap at in1.api.clevertap.com broke off before the answer came (ECONNRESET)',
				] as LostAnswer,
		),
		[
			'a 503',
			() => ({ statusCode: 503, body: '<html>Unavailable</html>' }),
			'CleverTap is unavailable for now (HTTP 503)',
		],
		[
			'a 200 that is not JSON',
			() => ({ statusCode: 200, body: '<html>proxy</html>' }),
			"CleverTap's answer could not be read (HTTP 200, not JSON)",
		],
	])('%s: a lost answer is not sent again', async (_name, lost, summary) => {
		const { run, requests } = trigger({
			items,
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: (request) => (isLost(request) ? lost() : QUEUED),
		});
		const [output] = await run;
		expect(requests.filter(isLost)).toHaveLength(1);
		expect(jest.mocked(sleep)).not.toHaveBeenCalled();
		expect(output.map((item) => item.json)).toEqual([
			{
				error: `The campaign message to identity "a" may have been sent: check in CleverTap before sending again (${summary}). ${UNSURE_HINT}`,
			},
			{ status: 'queued', campaignId: '1695721550', identifierType: 'identity', identifier: 'b' },
		]);
	});

	test('without continue-on-fail the node stops with "may have been sent", after one request', async () => {
		const { run, requests } = trigger({
			items,
			options: { concurrency: 1 },
			respond: () => ({ statusCode: 504, body: '' }),
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'The campaign message to identity "a" may have been sent: check in CleverTap before sending again (CleverTap did not answer its gateway in time (HTTP 504))',
		);
		expect(error.description).toMatch(new RegExp(`^${UNSURE_HINT.replace(/[.()]/g, '\\$&')}`));
		expect(requests).toHaveLength(1);
	});

	test.each([
		['a 429', () => ({ statusCode: 429, body: '{"status":"fail","error":"Too many","code":429}' })],
		['ECONNREFUSED', throwing(() => Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))],
		['EAI_AGAIN', throwing(() => Object.assign(new Error('dns'), { code: 'EAI_AGAIN' }))],
	])('%s then success: sent again, since CleverTap did not take it', async (_name, first) => {
		const { run, requests } = trigger({
			items: [{ id: 'a', order: '1' }],
			respond: (_request, call) => (call === 1 ? (first() as FakeResponse) : QUEUED),
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(requests[1].body).toEqual(requests[0].body);
		expect(output[0].json.status).toBe('queued');
	});

	test('a 400 is sent once, not split into smaller requests', async () => {
		const { run, requests } = trigger({
			items: [
				{ id: 'a', order: '1' },
				{ id: 'b', order: '1' },
				{ id: 'c', order: '1' },
			],
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: () => ({
				statusCode: 400,
				body: '{"status":"fail","error":"Campaign is not of type External Trigger","code":400}',
			}),
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(output[2].json).toEqual({
			error:
				'The campaign message to identity "c" was not sent: CleverTap refused the request as invalid (HTTP 400: "Campaign is not of type External Trigger")',
		});
	});
});
