/**
 * Profile → Unsubscribe, Resubscribe and Disassociate Phone against a mocked n8n context: the
 * bodies CleverTap documents (clevertap-api-endpoints.md §8–9), 1,000 records a request and 3 at a
 * time, each address checked before anything is sent, each record's result read from CleverTap's
 * per-record answer as an upload's is.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import {
	mockExecuteContext,
	stopError,
	type FakeResponse,
	type MockContextOptions,
	type RecordedRequest,
} from '../../support/mockExecuteContext';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Back-off waits are not waited out.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const BASE = 'https://in1.api.clevertap.com';
type Sent = { d: Array<Record<string, unknown>> };
const sent = (request: RecordedRequest) => (request.body as Sent).d;
/** CleverTap's answer taking every record of the request. */
const ok = (request: RecordedRequest): FakeResponse => ({
	statusCode: 200,
	body: JSON.stringify({ status: 'success', processed: sent(request).length, unprocessed: [] }),
});
/** An answer refusing the records `refuse` names, upload-style, each echoed as sent. */
const refusing =
	(refuse: (record: Record<string, unknown>) => { code: number; error: string } | undefined) =>
	(request: RecordedRequest): FakeResponse => {
		const unprocessed = sent(request).flatMap((record) => {
			const why = refuse(record);
			return why ? [{ status: 'fail', ...why, record }] : [];
		});
		const processed = sent(request).length - unprocessed.length;
		return {
			statusCode: 200,
			body: JSON.stringify({
				status: unprocessed.length === 0 ? 'success' : processed === 0 ? 'fail' : 'partial',
				processed,
				unprocessed,
			}),
		};
	};

type Config = Omit<MockContextOptions, 'parameters'> & { parameters?: IDataObject };

function consent(
	operation: 'unsubscribe' | 'resubscribe' | 'disassociatePhone',
	config: Config,
	channel = 'email',
) {
	const mock = mockExecuteContext({
		...config,
		parameters: {
			resource: 'profile',
			operation,
			...(operation === 'disassociatePhone'
				? { phone: '={{ $json.phone }}' }
				: { channel, value: `={{ $json.${channel === 'email' ? 'email' : 'phone'} }}` }),
			...config.parameters,
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

const emails = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ id: `crm-${i}`, email: `person${i}@example.com` }));

describe('CleverTap → Profile → Unsubscribe, Resubscribe and Disassociate Phone', () => {
	test('the three operations are in the Profile operation list', () => {
		const operations = node.description.properties.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes('profile'),
		) as INodeProperties;
		const values = (operations.options as Array<{ value: string; name: string }>).map((option) => [
			option.value,
			option.name,
		]);
		expect(values).toEqual(
			expect.arrayContaining([
				['unsubscribe', 'Unsubscribe'],
				['resubscribe', 'Resubscribe'],
				['disassociatePhone', 'Disassociate Phone'],
			]),
		);
	});

	test('Unsubscribe: one record per item to /1/subscribe, exactly as CleverTap documents it', async () => {
		const { run, requests } = consent('unsubscribe', { items: emails(2), respond: ok });
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(requests[0].options).toMatchObject({ method: 'POST', url: `${BASE}/1/subscribe` });
		expect(requests[0].body).toEqual({
			d: [
				{ type: 'email', value: 'person0@example.com', status: 'Unsubscribe' },
				{ type: 'email', value: 'person1@example.com', status: 'Unsubscribe' },
			],
		});
		expect(output).toEqual([
			{
				json: {
					id: 'crm-0',
					email: 'person0@example.com',
					status: 'success',
					channel: 'email',
					value: 'person0@example.com',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					id: 'crm-1',
					email: 'person1@example.com',
					status: 'success',
					channel: 'email',
					value: 'person1@example.com',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	test.each([
		['phone', 'phone'],
		['whatsapp', 'whatsapp'],
	])(
		'Resubscribe by %s: status "Resubscribe", the number as CleverTap takes it',
		async (channel, type) => {
			const { run, requests } = consent(
				'resubscribe',
				{
					items: [{ phone: '+1 (415) 555-0123' }, { phone: '+44 20.7946.0958' }],
					options: { includeInputFields: false },
					respond: ok,
				},
				channel,
			);
			const [output] = await run;
			expect(requests[0].options.url).toBe(`${BASE}/1/subscribe`);
			expect(requests[0].body).toEqual({
				d: [
					{ type, value: '+14155550123', status: 'Resubscribe' },
					{ type, value: '+442079460958', status: 'Resubscribe' },
				],
			});
			expect(output.map((item) => item.json)).toEqual([
				{ status: 'success', channel: type, value: '+14155550123' },
				{ status: 'success', channel: type, value: '+442079460958' },
			]);
		},
	);

	test('Disassociate Phone: {"type":"phone","value"} to /1/disassociate, formatting stripped', async () => {
		const { run, requests } = consent('disassociatePhone', {
			items: [{ phone: '+1 (415) 555-0123' }, { phone: '+91-92132-31415' }],
			options: { includeInputFields: false },
			respond: ok,
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(requests[0].options).toMatchObject({ method: 'POST', url: `${BASE}/1/disassociate` });
		expect(requests[0].body).toEqual({
			d: [
				{ type: 'phone', value: '+14155550123' },
				{ type: 'phone', value: '+919213231415' },
			],
		});
		expect(output).toEqual([
			{ json: { status: 'success', phone: '+14155550123' }, pairedItem: { item: 0 } },
			{ json: { status: 'success', phone: '+919213231415' }, pairedItem: { item: 1 } },
		]);
	});

	test('1,500 items: 2 requests of 1,000 and 500, every address once, in order', async () => {
		const { run, requests } = consent('unsubscribe', {
			items: emails(1500),
			options: { includeInputFields: false },
			respond: ok,
		});
		const [output] = await run;
		expect(requests.map((request) => sent(request).length)).toEqual([1000, 500]);
		expect(requests.flatMap((request) => sent(request).map((record) => record.value))).toEqual(
			emails(1500).map((item) => item.email),
		);
		expect(output).toHaveLength(1500);
		expect(output[1499]).toEqual({
			json: { status: 'success', channel: 'email', value: 'person1499@example.com' },
			pairedItem: { item: 1499 },
		});
	});

	test('at most 3 requests at a time', async () => {
		let inFlight = 0;
		let peak = 0;
		const { run, requests } = consent('unsubscribe', {
			items: emails(5000),
			options: { batchSize: 500 },
			respond: async (request) => {
				peak = Math.max(peak, ++inFlight);
				await new Promise((resolve) => setImmediate(resolve));
				inFlight--;
				return ok(request);
			},
		});
		await run;
		expect(requests).toHaveLength(10);
		expect(peak).toBe(3);
	});

	test.each([
		[
			'an email that is not one',
			'unsubscribe',
			'email',
			[{ email: 'a@x.com' }, { email: 'not-an-email' }, { email: 'c@x.com' }],
			'"not-an-email" is not an email address',
		],
		[
			'a phone without + and country code',
			'unsubscribe',
			'phone',
			[{ phone: '+14155550123' }, { phone: '415 555 0199' }, { phone: '+14155550100' }],
			'The phone number "415 555 0199" has no country code: it must start with + and the country code, such as +14155550123',
		],
		[
			'a WhatsApp number without + and country code',
			'resubscribe',
			'whatsapp',
			[{ phone: '+14155550123' }, { phone: '4155550199' }, { phone: '+14155550100' }],
			'The WhatsApp number "4155550199" has no country code: it must start with + and the country code, such as +14155550123',
		],
		[
			'a phone that is no number',
			'unsubscribe',
			'phone',
			[{ phone: '+14155550123' }, { phone: '+1 call me' }, { phone: '+14155550100' }],
			'"+1 call me" is not a phone number',
		],
		[
			'a phone to disassociate without + and country code',
			'disassociatePhone',
			'phone',
			[{ phone: '+14155550123' }, { phone: '(415) 555-0199' }, { phone: '+14155550100' }],
			'The phone number "(415) 555-0199" has no country code: it must start with + and the country code, such as +14155550123',
		],
	] as const)(
		'under continue-on-fail %s fails its item alone, before anything is sent',
		async (_name, operation, channel, items, message) => {
			const { run, requests } = consent(
				operation,
				{
					items: [...items],
					continueOnFail: true,
					options: { includeInputFields: false },
					respond: ok,
				},
				channel,
			);
			const [output] = await run;
			expect(requests).toHaveLength(1);
			const address = (item: IDataObject) => item.email ?? item.phone;
			expect(sent(requests[0]).map((record) => record.value)).toEqual([
				address(items[0]),
				address(items[2]),
			]);
			expect(output[1]).toEqual({ json: { error: message }, pairedItem: { item: 1 } });
			expect(output[0].json.status).toBe('success');
			expect(output[2].json.status).toBe('success');
		},
	);

	test('without continue-on-fail a bad address stops the node on its item before any request', async () => {
		const { run, requests } = consent('unsubscribe', {
			items: [...emails(3), { email: 'jane at example.com' }],
			respond: ok,
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('"jane at example.com" is not an email address');
		expect(error.context.itemIndex).toBe(3);
		expect(error.description).toBe('Fix the address, or leave the item out.');
		expect(requests).toEqual([]);
	});

	test('without continue-on-fail a number without country code says how to write it', async () => {
		const { run, requests } = consent('disassociatePhone', {
			items: [{ phone: '9213231415' }],
			respond: ok,
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'The phone number "9213231415" has no country code: it must start with + and the country code, such as +14155550123',
		);
		expect(error.description).toBe(
			'Write the number with + and the country code, such as +14155550123.',
		);
		expect(requests).toEqual([]);
	});

	test('an item without an address fails alone, naming the field', async () => {
		const { run, requests } = consent('unsubscribe', {
			items: [{ email: 'a@x.com' }, { name: 'no email' }],
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: ok,
		});
		const [output] = await run;
		expect(String(output[1].json.error)).toMatch(/^The email address is missing/);
		expect(output[0].json.status).toBe('success');
		expect(sent(requests[0])).toHaveLength(1);
	});

	test('the same address in several items (however written) is sent once; every item succeeds', async () => {
		const { run, requests } = consent(
			'unsubscribe',
			{
				items: [
					{ phone: '+1 (415) 555-0123' },
					{ phone: '+14155550123' },
					{ phone: '+1 415 555 0100' },
					{ phone: '+1-415-555-0123' },
				],
				options: { includeInputFields: false },
				respond: ok,
			},
			'phone',
		);
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(requests[0].body).toEqual({
			d: [
				{ type: 'phone', value: '+14155550123', status: 'Unsubscribe' },
				{ type: 'phone', value: '+14155550100', status: 'Unsubscribe' },
			],
		});
		expect(output.map((item) => item.json)).toEqual([
			{ status: 'success', channel: 'phone', value: '+14155550123' },
			{ status: 'success', channel: 'phone', value: '+14155550123' },
			{ status: 'success', channel: 'phone', value: '+14155550100' },
			{ status: 'success', channel: 'phone', value: '+14155550123' },
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	test("a record CleverTap refuses in `unprocessed` fails only its item, with CleverTap's code and words", async () => {
		const { run, requests } = consent('unsubscribe', {
			items: emails(4),
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: refusing((record) =>
				record.value === 'person2@example.com'
					? { code: 515, error: 'Email is not valid: person2@example.com' }
					: undefined,
			),
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(output.map((item) => item.json)).toEqual([
			{ status: 'success', channel: 'email', value: 'person0@example.com' },
			{ status: 'success', channel: 'email', value: 'person1@example.com' },
			{
				error:
					'The email address "person2@example.com" was not unsubscribed: CleverTap did not take it (code 515: Email is not valid: person2@example.com)',
			},
			{ status: 'success', channel: 'email', value: 'person3@example.com' },
		]);
	});

	test('a refusal numbered as an upload\'s ("Skipped record number") is placed by its number', async () => {
		const { run } = consent('resubscribe', {
			items: emails(3),
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: () => ({
				statusCode: 200,
				body: JSON.stringify({
					status: 'partial',
					processed: 2,
					unprocessed: [
						{ status: 'fail', code: 515, error: 'Email is not valid. Skipped record number : 2' },
					],
				}),
			}),
		});
		const [output] = await run;
		expect(output.map((item) => item.json.status ?? item.json.error)).toEqual([
			'success',
			'The email address "person1@example.com" was not resubscribed: CleverTap did not take it (code 515: Email is not valid.)',
			'success',
		]);
	});

	test('Disassociate: a number that is no identity is refused for its item alone', async () => {
		const { run } = consent('disassociatePhone', {
			items: [{ phone: '+14155550123' }, { phone: '+14155550199' }],
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: refusing((record) =>
				record.value === '+14155550199'
					? { code: 404, error: 'Phone number is not an identity of any profile: +14155550199' }
					: undefined,
			),
		});
		const [output] = await run;
		expect(output).toEqual([
			{ json: { status: 'success', phone: '+14155550123' }, pairedItem: { item: 0 } },
			{
				json: {
					error:
						'The phone number "+14155550199" was not disassociated: CleverTap did not take it (code 404: Phone number is not an identity of any profile: +14155550199)',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	test("without continue-on-fail a refused record stops the node with CleverTap's code and words", async () => {
		const { run, requests } = consent('unsubscribe', {
			items: emails(1500),
			options: { concurrency: 1 },
			respond: refusing((record) =>
				record.value === 'person1200@example.com'
					? { code: 515, error: 'Email is not valid' }
					: undefined,
			),
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'The email address "person1200@example.com" was not unsubscribed: CleverTap did not take it (code 515: Email is not valid)',
		);
		expect(error.context.itemIndex).toBe(1200);
		expect(error.errorResponse).toEqual({ status: 'fail', error: 'Email is not valid', code: 515 });
		expect(error.description).toBe(
			'1499 of 1500 addresses were unsubscribed before the node stopped.',
		);
		expect(requests).toHaveLength(2);
	});

	test('a whole request refused with a 400 is split until the refused address stands alone', async () => {
		const { run, requests } = consent('unsubscribe', {
			items: emails(4),
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: (request) =>
				sent(request).some((record) => record.value === 'person1@example.com')
					? { statusCode: 400, body: '{"status":"fail","error":"Bad record","code":400}' }
					: ok(request),
		});
		const [output] = await run;
		expect(output.map((item) => item.json.status ?? 'failed')).toEqual([
			'success',
			'failed',
			'success',
			'success',
		]);
		expect(String(output[1].json.error)).toBe(
			'The email address "person1@example.com" was not unsubscribed: CleverTap refused the request as invalid (HTTP 400: "Bad record")',
		);
		// The 4, then halves of 2, then the half with the refused address in ones.
		expect(requests.map((request) => sent(request).length)).toEqual([4, 2, 2, 1, 1]);
	});

	test('Dry Run sends nothing and shows the record each item would send, and where', async () => {
		const { run, requests, hints } = consent('unsubscribe', {
			items: [...emails(2), { email: 'nope' }],
			continueOnFail: true,
			options: { dryRun: true, includeInputFields: false },
		});
		const [output] = await run;
		expect(requests).toEqual([]);
		expect(output[0]).toEqual({
			json: {
				status: 'dryRun',
				message:
					'Nothing was sent (Dry Run is on). Without Dry Run, request 1 of 1 would send this to CleverTap.',
				record: { type: 'email', value: 'person0@example.com', status: 'Unsubscribe' },
				requests: [1],
				requestCount: 1,
				url: `${BASE}/1/subscribe`,
			},
			pairedItem: { item: 0 },
		});
		expect(output[2].json).toEqual({ error: '"nope" is not an email address' });
		expect(hints.map((hint) => hint.message)).toEqual([
			'Dry Run is on: nothing was sent to CleverTap. It would take 1 request. Turn off Dry Run under Options to send them.',
		]);
	});

	test('Dry Run of Disassociate Phone shows its record and URL', async () => {
		const { run, requests } = consent('disassociatePhone', {
			items: [{ phone: '+1 (415) 555-0123' }],
			options: { dryRun: true, includeInputFields: false },
		});
		const [output] = await run;
		expect(requests).toEqual([]);
		expect(output[0].json).toMatchObject({
			status: 'dryRun',
			record: { type: 'phone', value: '+14155550123' },
			url: `${BASE}/1/disassociate`,
		});
	});
});
