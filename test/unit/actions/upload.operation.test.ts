import fc from 'fast-check';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import {
	mockExecuteContext,
	type FakeResponse,
	type MockContextOptions,
	type RecordedRequest,
} from '../../support/mockExecuteContext';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
type Sent = { d: Array<Record<string, unknown>> };
const ok = (request: RecordedRequest): FakeResponse => ({
	statusCode: 200,
	body: JSON.stringify({
		status: 'success',
		processed: (request.body as Sent).d.length,
		unprocessed: [],
	}),
});

const PROFILE_FIELDS = {
	standard: [
		{ name: 'Name', value: '={{ $json.name }}' },
		{ name: 'Email', value: '={{ $json.email }}' },
	],
	custom: [{ name: 'Plan', value: 'gold' }],
};

function upload(
	kind: 'profile' | 'event',
	config: Omit<MockContextOptions, 'parameters'> & { parameters?: Record<string, unknown> },
) {
	const mock = mockExecuteContext({
		...config,
		parameters: {
			resource: kind,
			operation: kind === 'profile' ? 'upsert' : 'upload',
			identifierType: 'identity',
			identifier: '={{ $json.email }}',
			dataMode: 'fields',
			fields:
				kind === 'profile'
					? PROFILE_FIELDS
					: { custom: [{ name: 'Amount', value: '={{ $json.amount }}' }] },
			...(kind === 'event' ? { eventName: 'Order Placed' } : {}),
			...config.parameters,
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

const contacts = (count: number) =>
	Array.from({ length: count }, (_, i) => ({
		id: `crm-${i}`,
		name: `Contact ${i}`,
		email: `c${i}@x.com`,
		amount: i,
	}));

describe('CleverTap → Profile → Create or Update and Event → Upload (mocked n8n context)', () => {
	test('2,500 profiles go 1,000 a request to /1/upload, each record as CleverTap takes it', async () => {
		const { run, requests, evaluated } = await upload('profile', {
			items: contacts(2500),
			respond: ok,
		});
		const [output] = await run;
		expect(requests.map((r) => (r.body as Sent).d.length)).toEqual([1000, 1000, 500]);
		expect(requests[0].options).toMatchObject({
			method: 'POST',
			url: 'https://in1.api.clevertap.com/1/upload',
		});
		expect((requests[2].body as Sent).d[499]).toEqual({
			type: 'profile',
			identity: 'c2499@x.com',
			profileData: { Name: 'Contact 2499', Email: 'c2499@x.com', Plan: 'gold' },
		});
		expect(output[7]).toEqual({
			json: {
				id: 'crm-7',
				name: 'Contact 7',
				email: 'c7@x.com',
				amount: 7,
				status: 'success',
				identifier: 'c7@x.com',
			},
			pairedItem: { item: 7 },
		});
		// Plain field references are read straight from the items.
		expect(evaluated).toEqual([]);
	});

	test('an event record, with a timestamp in seconds and other expressions evaluated by n8n', async () => {
		const { run, requests, evaluated } = await upload('event', {
			items: contacts(2),
			options: { timestamp: '2026-11-28T10:00:00Z' },
			parameters: {
				fields: { custom: [{ name: 'Amount', value: '={{ $json.amount * 2 }}' }] },
			},
			evaluate: (name, item) =>
				name === 'fields.custom[0].value' ? Number(item.amount) * 2 : undefined,
			respond: ok,
		});
		await run;
		expect((requests[0].body as Sent).d).toEqual([
			{
				type: 'event',
				identity: 'c0@x.com',
				ts: 1795860000,
				evtName: 'Order Placed',
				evtData: { Amount: 0 },
			},
			{
				type: 'event',
				identity: 'c1@x.com',
				ts: 1795860000,
				evtName: 'Order Placed',
				evtData: { Amount: 2 },
			},
		]);
		expect(evaluated).toEqual([
			['fields.custom[0].value', 0],
			['fields.custom[0].value', 1],
		]);
	});

	test("a Timestamp that is an item's field is read per item; an item whose value is not a date fails alone", async () => {
		const { run, requests, evaluated } = await upload('event', {
			items: [
				{ email: 'a@x.com', amount: 1, orderedAt: '2026-11-28T10:00:00Z' },
				{ email: 'b@x.com', amount: 2, orderedAt: 'last Tuesday' },
				{ email: 'c@x.com', amount: 3, orderedAt: 1795863600 },
			],
			options: { timestamp: '={{ $json.orderedAt }}' },
			continueOnFail: true,
			respond: ok,
		});
		const [output] = await run;
		expect((requests[0].body as Sent).d.map((record) => [record.identity, record.ts])).toEqual([
			['a@x.com', 1795860000],
			['c@x.com', 1795863600],
		]);
		expect(output[1].json.error).toBe('The Timestamp "last Tuesday" is not a date');
		expect(evaluated).toEqual([]);
	});

	test('JSON mode and by CleverTap ID: puts an identity back on a profile after a demerge', async () => {
		const { run, requests } = await upload('profile', {
			items: [{ objectId: '__g1', props: { Identity: 'jane@x.com', Plan: 'gold' } }],
			parameters: {
				identifierType: 'objectId',
				identifier: '={{ $json.objectId }}',
				dataMode: 'json',
				json: '={{ $json.props }}',
			},
			respond: ok,
		});
		await run;
		expect((requests[0].body as Sent).d).toEqual([
			{ type: 'profile', objectId: '__g1', profileData: { Identity: 'jane@x.com', Plan: 'gold' } },
		]);
	});

	test('up to 15 requests at a time', async () => {
		let inFlight = 0;
		let peak = 0;
		const { run } = await upload('event', {
			items: contacts(3000),
			options: { batchSize: 100 },
			respond: async (request) => {
				peak = Math.max(peak, ++inFlight);
				await new Promise((resolve) => setImmediate(resolve));
				inFlight--;
				return ok(request);
			},
		});
		await run;
		expect(peak).toBe(15);
	});

	test('a bad item stops the node before anything is sent', async () => {
		const { run, requests } = await upload('profile', {
			items: [...contacts(2), { email: 'x@x.com', name: 'n'.repeat(600) }],
		});
		const error = (await run.catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'The value of "Name" is 600 bytes long; CleverTap takes at most 512',
		);
		expect(error.context.itemIndex).toBe(2);
		expect(requests).toEqual([]);
	});

	test.each([
		['no identifier', { name: 'x' }, 'The identity is missing (field "email")'],
		[
			'a phone without country code',
			{ email: 'a@x.com', name: 'x', phone: '98765' },
			'The phone number "98765" must start with + and the country code, such as +14155551234',
		],
	])('under continue-on-fail %s fails that item alone', async (_name, item, message) => {
		const { run, requests } = await upload('profile', {
			items: [item, ...contacts(1)],
			continueOnFail: true,
			parameters: {
				fields: {
					standard: [
						{ name: 'Name', value: '={{ $json.name }}' },
						...('phone' in item ? [{ name: 'Phone', value: '={{ $json.phone }}' }] : []),
					],
				},
			},
			respond: ok,
		});
		const [output] = await run;
		expect(output[0].json).toEqual({ error: message });
		expect(output[1].json.status).toBe('success');
		expect((requests[0].body as Sent).d).toHaveLength(1);
	});

	test.each([
		['top-level "partial"', 'partial'],
		['top-level "success" that hides an unprocessed record', 'success'],
		['top-level "fail"', 'fail'],
	])('%s: only the refused record fails, with its code and text', async (_name, status) => {
		const { run } = await upload('profile', {
			items: contacts(3),
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: () => ({
				statusCode: 200,
				body: JSON.stringify({
					status,
					processed: 2,
					unprocessed: [
						{
							status: 'fail',
							code: 515,
							error: 'Profile data is incorrect. Email is not valid. Skipped record number : 2',
							record: {},
						},
					],
				}),
			}),
		});
		const [output] = await run;
		expect(output.map((item) => item.json)).toEqual([
			{ status: 'success', identifier: 'c0@x.com' },
			{
				error:
					'The profile record for identity "c1@x.com" was not uploaded: CleverTap did not take it (code 515: Profile data is incorrect. Email is not valid.)',
			},
			{ status: 'success', identifier: 'c2@x.com' },
		]);
	});

	test.each([
		[
			'"fail" naming no record: the whole request failed',
			'{"status":"fail","unprocessed":[],"error":"Account is suspended"}',
			'The profile record for identity "c0@x.com" was not uploaded: CleverTap answered but reported "fail" (HTTP 200: "Account is suspended")',
		],
		[
			'"fail" that took none of the records, naming none',
			'{"status":"fail","processed":0,"unprocessed":[]}',
			'The profile record for identity "c0@x.com" was not uploaded: CleverTap took 0 of the 2 records of its request and did not say which, so this one may not have been taken',
		],
		[
			'"success" that took fewer records than it was sent, naming none',
			'{"status":"success","processed":1,"unprocessed":[]}',
			'The profile record for identity "c0@x.com" was not uploaded: CleverTap took 1 of the 2 records of its request and did not say which, so this one may not have been taken',
		],
		[
			'"partial" with only a count',
			'{"status":"partial","processed":1}',
			'The profile record for identity "c0@x.com" was not uploaded: CleverTap took 1 of the 2 records of its request and did not say which, so this one may not have been taken',
		],
		[
			'"partial" with neither a count nor a list: the whole request',
			'{"status":"partial"}',
			'The profile record for identity "c0@x.com" was not uploaded: CleverTap answered but took only part of the request',
		],
		[
			'"fail" with a refusal that names no record, without a count',
			'{"status":"fail","unprocessed":[{"code":512,"error":"Event name is invalid"}]}',
			'The profile record for identity "c0@x.com" was not uploaded: CleverTap did not take 1 of the 2 records of its request and did not say which, so this one may not have been taken either (code 512: Event name is invalid)',
		],
		[
			'an HTTP error whose body looks like a per-record answer',
			'500 {"status":"fail","processed":0,"unprocessed":[]}',
			// A 5xx may come after CleverTap recorded it: the item says so.
			'The profile record for identity "c0@x.com" may have been recorded: check in CleverTap before sending again (CleverTap had an internal error (HTTP 500))',
		],
		[
			'an HTTP 300 whose body looks like a per-record answer',
			'300 {"status":"success","processed":2,"unprocessed":[]}',
			'Nothing was uploaded: CleverTap sent the request on to another address (HTTP 300)',
		],
	])('top-level %s: no record is reported as uploaded', async (_name, answer, expected) => {
		// An answer may start with its HTTP status; 200 otherwise.
		const [, status, body] = /^(?:(\d{3}) )?(.*)$/s.exec(answer) as RegExpExecArray;
		const { run } = await upload('profile', {
			items: contacts(2),
			continueOnFail: true,
			options: { includeInputFields: false, maxRetries: 0 },
			respond: () => ({ statusCode: Number(status ?? 200), body }),
		});
		const [output] = await run;
		expect(output.map((item) => item.json.status)).toEqual([undefined, undefined]);
		expect(String(output[0].json.error)).toContain(expected);
	});

	test('a refusal that names no record fails the records it could be, saying so', async () => {
		const { run } = await upload('event', {
			items: contacts(2),
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: () => ({
				statusCode: 200,
				body: '{"status":"partial","processed":1,"unprocessed":[{"code":512,"error":"Event name is invalid"}]}',
			}),
		});
		const [output] = await run;
		expect(output[0].json.error).toBe(
			'The event record for identity "c0@x.com" was not uploaded: CleverTap did not take 1 of the 2 records of its request and did not say which, so this one may not have been taken either (code 512: Event name is invalid)',
		);
	});

	test('without continue-on-fail a refused record stops the node, counting what went through', async () => {
		const { run, requests } = await upload('profile', {
			items: contacts(2500),
			options: { concurrency: 1 },
			respond: (request, call) =>
				call === 2
					? {
							statusCode: 200,
							body: JSON.stringify({
								status: 'partial',
								processed: 999,
								unprocessed: [
									{
										code: 515,
										error: 'Email is not valid. Skipped record number : 10',
										record: {},
									},
								],
							}),
						}
					: ok(request),
		});
		const error = (await run.catch((e: unknown) => e)) as Error & { description: string };
		expect(error.message).toBe(
			'The profile record for identity "c1009@x.com" was not uploaded: CleverTap did not take it (code 515: Email is not valid.)',
		);
		expect(error.description).toBe('1999 of 2500 records were uploaded before the node stopped.');
		expect(requests).toHaveLength(2);
	});

	test('whatever subset CleverTap refuses, every item gets exactly one result, its own', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc
					.integer({ min: 1, max: 60 })
					.chain((count) =>
						fc.tuple(
							fc.constant(count),
							fc.subarray(Array.from({ length: count }, (_, i) => i)),
							fc.constantFrom('number', 'object', 'string'),
							fc.constantFrom('success', 'partial', 'fail'),
						),
					),
				async ([count, refused, style, status]) => {
					const { run } = await upload('event', {
						items: contacts(count),
						continueOnFail: true,
						options: { batchSize: 25, includeInputFields: false },
						respond: (request) => {
							const sent = (request.body as Sent).d;
							const unprocessed = sent.flatMap((record, position) => {
								const item = Number(String(record.identity).slice(1, -6));
								if (!refused.includes(item)) return [];
								return [
									{
										code: 500 + item,
										error:
											style === 'number' ? `bad. Skipped record number : ${position + 1}` : 'bad',
										record: style === 'string' ? JSON.stringify(record) : record,
									},
								];
							});
							return {
								statusCode: 200,
								body: JSON.stringify({
									status,
									processed: sent.length - unprocessed.length,
									unprocessed,
								}),
							};
						},
					});
					const [output] = await run;
					expect(output).toHaveLength(count);
					output.forEach((item, index) => {
						expect(item.pairedItem).toEqual({ item: index });
						if (refused.includes(index)) {
							expect(String(item.json.error)).toContain(`(code ${500 + index}: bad`);
						} else {
							expect(item.json).toEqual({ status: 'success', identifier: `c${index}@x.com` });
						}
					});
				},
			),
			{ seed: 20261129, numRuns: 60 },
		);
	});

	test.each([
		['an object', '{"Plan":"gold"}', { record: { Plan: 'gold' } }],
		[
			'empty, meaning no properties',
			'',
			{ error: 'There is nothing to update: add at least one property' },
		],
		['not JSON', '{Plan: gold}', { error: 'The JSON is not valid JSON' }],
		[
			'a list',
			'[{"Plan":"gold"}]',
			{ error: 'The JSON must be an object of names and values, not a list' },
		],
		['a number', '5', { error: 'The JSON must be an object of names and values, not number' }],
		['null', 'null', { error: 'The JSON must be an object of names and values, not object' }],
	])('JSON typed in as text, %s', async (_name, json, expected) => {
		const { run, requests } = await upload('profile', {
			items: contacts(1),
			continueOnFail: true,
			parameters: { dataMode: 'json', json },
			respond: ok,
		});
		const [output] = await run;
		if ('record' in expected) {
			expect(output[0].json.error).toBeUndefined();
			expect((requests[0].body as Sent).d).toEqual([
				{ type: 'profile', identity: 'c0@x.com', profileData: expected.record },
			]);
		} else {
			expect(output[0].json).toEqual({ error: expected.error });
			expect(requests).toEqual([]);
		}
	});

	test('parameters that need n8n to evaluate them are asked for by their own path', async () => {
		const values: Record<string, unknown> = {
			eventName: 'Order Placed',
			'fields.custom[0].name': 'Amount',
			'fields.custom[0].value': 5,
			'options.timestamp': '2026-11-28T10:00:00Z',
		};
		const { run, requests, evaluated } = await upload('event', {
			items: [{ email: 'a@x.com', kind: 'Placed', label: ' Amount ', at: ' 2026-11-28T10:00:00Z' }],
			parameters: {
				eventName: '={{ "Order " + $json.kind }}',
				fields: {
					custom: [{ name: '={{ $json.label.trim() }}', value: '={{ $json.amount ?? 5 }}' }],
				},
			},
			options: { timestamp: '={{ $json.at.trim() }}' },
			evaluate: (name) => values[name],
			respond: ok,
		});
		await run;
		expect((requests[0].body as Sent).d).toEqual([
			{
				type: 'event',
				identity: 'a@x.com',
				ts: 1795860000,
				evtName: 'Order Placed',
				evtData: { Amount: 5 },
			},
		]);
		expect(evaluated.map(([name]) => name).sort()).toEqual(Object.keys(values).sort());
	});

	test('JSON that needs n8n to evaluate it is asked for as "json"', async () => {
		const { run, requests, evaluated } = await upload('profile', {
			items: [{ email: 'a@x.com', plan: 'gold' }],
			parameters: { dataMode: 'json', json: '={{ { Plan: $json.plan } }}' },
			evaluate: (name, item) => (name === 'json' ? { Plan: item.plan } : undefined),
			respond: ok,
		});
		await run;
		expect((requests[0].body as Sent).d[0].profileData).toEqual({ Plan: 'gold' });
		expect(evaluated).toEqual([['json', 0]]);
	});

	test('a property whose name comes out empty fails its item', async () => {
		const { run, requests } = await upload('event', {
			items: contacts(1),
			continueOnFail: true,
			parameters: { fields: { custom: [{ name: '={{ $json.label }}', value: 'x' }] } },
			evaluate: () => undefined,
			respond: ok,
		});
		const [output] = await run;
		expect(output[0].json).toEqual({ error: 'A property has no name' });
		expect(requests).toEqual([]);
	});

	test.each([
		['empty: CleverTap uses the time it receives the record', '', undefined],
		['in milliseconds', 1795863600000, 1795863600],
		['in seconds', 1795863600, 1795863600],
	])('a Timestamp %s', async (_name, timestamp, ts) => {
		const { run, requests } = await upload('event', {
			items: contacts(1),
			options: { timestamp },
			respond: ok,
		});
		await run;
		expect((requests[0].body as Sent).d[0].ts).toBe(ts);
	});

	test('a Timestamp that is not a date stops the node on its item, saying what to do', async () => {
		const { run, requests } = await upload('event', {
			items: [
				{ email: 'a@x.com', at: '2026-11-28' },
				{ email: 'b@x.com', at: 'soon' },
			],
			options: { timestamp: '={{ $json.at }}' },
			respond: ok,
		});
		const error = (await run.catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The Timestamp "soon" is not a date');
		expect(error.context.itemIndex).toBe(1);
		expect(error.description).toBe(
			'Pick a date and time under Options → Timestamp, or set it to a field of the item that holds one, or leave it empty.',
		);
		expect(requests).toEqual([]);
	});

	test('an expression that fails in n8n stops the node on its item', async () => {
		const { run, requests } = await upload('event', {
			items: contacts(2),
			parameters: {
				fields: { custom: [{ name: 'Amount', value: '={{ $json.amount.toFixed() }}' }] },
			},
			evaluate: (_name, _item, itemIndex) => {
				if (itemIndex === 1) throw new Error('Cannot read properties of undefined');
				return 1;
			},
			respond: ok,
		});
		const error = (await run.catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Cannot read properties of undefined');
		expect(error.context.itemIndex).toBe(1);
		expect(requests).toEqual([]);
	});

	test('a bad item says how to fix it', async () => {
		const { run } = await upload('profile', {
			items: [{ email: 'x@x.com', name: 'n'.repeat(600) }],
		});
		const error = (await run.catch((e: unknown) => e)) as NodeOperationError;
		expect(error.description).toBe(
			"Fix the item's values, or the parameters, so they fit what CleverTap takes (the message names the limit).",
		);
	});

	test('a dry run shows the record each item would send', async () => {
		const { run, requests } = await upload('profile', {
			items: contacts(1),
			options: { dryRun: true, includeInputFields: false },
		});
		const [output] = await run;
		expect(output[0].json).toMatchObject({
			status: 'dryRun',
			record: {
				type: 'profile',
				identity: 'c0@x.com',
				profileData: { Name: 'Contact 0', Email: 'c0@x.com', Plan: 'gold' },
			},
		});
		expect(requests).toEqual([]);
	});

	test('a retry is logged in the words of one record', async () => {
		const { run, logs } = await upload('profile', {
			items: contacts(1),
			respond: (request, call) =>
				call === 1 ? { statusCode: 503, body: '<html>busy</html>' } : ok(request),
		});
		await run;
		expect(logs.join('\n')).toContain('a request of 1 record failed');
	});

	test("a refused record's stop carries CleverTap's code and text in the error's details", async () => {
		const { run } = await upload('profile', {
			items: contacts(1),
			respond: () => ({
				statusCode: 200,
				body: '{"status":"fail","processed":0,"unprocessed":[{"code":515,"error":"Email is not valid. Skipped record number : 1"}]}',
			}),
		});
		const error = (await run.catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.errorResponse).toEqual({
			status: 'fail',
			error: 'Email is not valid.',
			code: 515,
		});
	});

	test.each([
		[
			'"fail" without a count, naming the first record',
			'{"status":"fail","unprocessed":[{"code":515,"error":"Email is not valid. Skipped record number : 1"}]}',
			[
				'The profile record for identity "c0@x.com" was not uploaded: CleverTap did not take it (code 515: Email is not valid.)',
				'success',
			],
		],
		[
			'"partial" that names nothing and counts nothing',
			'{"status":"partial","unprocessed":[]}',
			['success', 'success'],
		],
		[
			'"partial" with a refusal without a code',
			'{"status":"partial","processed":1,"unprocessed":[{"error":"Bad record. Skipped record number : 2"}]}',
			[
				'success',
				'The profile record for identity "c1@x.com" was not uploaded: CleverTap did not take it (Bad record.)',
			],
		],
	])('top-level %s: each record as CleverTap said', async (_name, body, expected) => {
		const { run } = await upload('profile', {
			items: contacts(2),
			continueOnFail: true,
			options: { includeInputFields: false, maxRetries: 0 },
			respond: () => ({ statusCode: 200, body }),
		});
		const [output] = await run;
		expect(output.map((item) => item.json.status ?? item.json.error)).toEqual(expected);
	});
});
