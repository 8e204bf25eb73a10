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
const QUEUED: FakeResponse = {
	statusCode: 200,
	body: '{ "message" : "Added to queue for processing" , "status" : "success"}',
};
const UNSURE_HINT =
	'The node did not send it again, so that CleverTap does not get it twice. Look in CleverTap whether it arrived (the campaign list, the message reports, the profile or its events) before you run it again.';
const TIMEOUT_SUMMARY = 'CleverTap at in1.api.clevertap.com did not answer within 30 seconds';

type Config = Omit<MockContextOptions, 'parameters'> & { parameters?: IDataObject };

/** Runs Message → Send to Users; by default a push to iOS, by identity from `$json.id`. */
function send(config: Config) {
	const mock = mockExecuteContext({
		...config,
		parameters: {
			resource: 'message',
			operation: 'send',
			channel: 'push',
			identifierType: 'identity',
			identifier: '={{ $json.id }}',
			title: 'Winter sale',
			body: 'Everything half price',
			devices: ['ios'],
			...config.parameters,
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

interface SentBody {
	to: Record<string, string[]>;
	content: IDataObject;
	respect_frequency_caps: boolean;
	provider_nick_name?: string;
}
const bodyOf = (request: RecordedRequest) => request.body as SentBody;
const people = (count: number, prefix = 'u') =>
	Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}` }));
/** Who a request went to, whatever the key. */
const recipientsOf = (request: RecordedRequest) => Object.values(bodyOf(request).to).flat();

beforeEach(() => {
	jest.mocked(sleep).mockClear();
});

describe('CleverTap → Message → Send to Users', () => {
	test('2,500 items with the same content: 3 requests of 1,000/1,000/500 to Identity, all queued', async () => {
		const { run, requests } = send({ items: people(2500), respond: () => QUEUED });
		const [output] = await run;
		expect(requests.map((request) => bodyOf(request).to.Identity.length)).toEqual([
			1000, 1000, 500,
		]);
		expect(requests.every((request) => Object.keys(bodyOf(request).to).join() === 'Identity')).toBe(
			true,
		);
		expect(requests.flatMap(recipientsOf)).toEqual(people(2500).map((person) => person.id));
		expect(requests[0].options).toMatchObject({ method: 'POST', url: `${BASE}/1/send/push.json` });
		expect(bodyOf(requests[2])).toEqual({
			to: {
				Identity: people(2500)
					.slice(2000)
					.map((person) => person.id),
			},
			content: { title: 'Winter sale', body: 'Everything half price' },
			respect_frequency_caps: true,
		});
		expect(output).toHaveLength(2500);
		expect(output[1234]).toEqual({
			json: {
				id: 'u1234',
				status: 'queued',
				channel: 'push',
				identifierType: 'identity',
				identifier: 'u1234',
			},
			pairedItem: { item: 1234 },
		});
		expect(output.every((item) => item.json.status === 'queued')).toBe(true);
	});

	test('an email by Email, through a provider, without frequency caps', async () => {
		const { run, requests } = send({
			items: [{ email: 'jane@example.com' }, { email: 'joe@example.com' }],
			parameters: {
				channel: 'email',
				identifierType: 'email',
				identifier: '={{ $json.email }}',
				subject: 'Your order',
				senderName: 'Shop',
				body: '<p>Shipped</p>',
			},
			options: { providerNickname: ' Provider 1 ', respectFrequencyCaps: false },
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(requests[0].options.url).toBe(`${BASE}/1/send/email.json`);
		expect(requests[0].body).toEqual({
			to: { Email: ['jane@example.com', 'joe@example.com'] },
			content: { subject: 'Your order', body: '<p>Shipped</p>', sender_name: 'Shop' },
			respect_frequency_caps: false,
			provider_nick_name: 'Provider 1',
		});
		expect(output[1].json).toMatchObject({
			status: 'queued',
			channel: 'email',
			identifierType: 'email',
			identifier: 'joe@example.com',
		});
	});

	test('an SMS by CleverTap ID goes to objectId', async () => {
		const { run, requests } = send({
			items: [{ ctid: '__g1' }, { ctid: '__g2' }],
			parameters: {
				channel: 'sms',
				identifierType: 'objectId',
				identifier: '={{ $json.ctid }}',
				body: 'Your code is 1234',
			},
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(requests[0].options.url).toBe(`${BASE}/1/send/sms.json`);
		expect(requests[0].body).toEqual({
			to: { objectId: ['__g1', '__g2'] },
			content: { body: 'Your code is 1234' },
			respect_frequency_caps: true,
		});
		expect(output[0].json).toMatchObject({ status: 'queued', identifierType: 'objectId' });
	});

	test('a web push with a deep link', async () => {
		const { run, requests } = send({
			items: people(1),
			parameters: { channel: 'webPush', deepLink: 'https://shop.example.com/sale' },
			respond: () => QUEUED,
		});
		await run;
		expect(requests[0].options.url).toBe(`${BASE}/1/send/webpush.json`);
		expect(bodyOf(requests[0]).content).toEqual({
			title: 'Winter sale',
			body: 'Everything half price',
			platform_specific: { chrome: { deep_link: 'https://shop.example.com/sale' } },
		});
	});

	test('a push to Android carries its channel ID (wzrk_cid), and the deep link per platform', async () => {
		const { run, requests } = send({
			items: people(1),
			parameters: { devices: ['android', 'ios'], channelId: 'offers', deepLink: 'app://sale' },
			respond: () => QUEUED,
		});
		await run;
		expect(bodyOf(requests[0]).content).toEqual({
			title: 'Winter sale',
			body: 'Everything half price',
			platform_specific: {
				android: { wzrk_cid: 'offers', deep_link: 'app://sale' },
				ios: { deep_link: 'app://sale' },
			},
		});
	});

	test('items with different content go in separate requests; the same content shares one', async () => {
		const items = [
			{ id: 'a', text: 'Hello' },
			{ id: 'b', text: 'Bonjour' },
			{ id: 'c', text: 'Hello' },
			{ id: 'd', text: 'Hallo' },
			{ id: 'e', text: 'Bonjour' },
		];
		const { run, requests } = send({
			items,
			parameters: { body: '={{ $json.text }}' },
			evaluate: (name, item) => (name === 'body' ? item.text : undefined),
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(
			requests.map((request) => [bodyOf(request).content.body, recipientsOf(request)]),
		).toEqual([
			['Hello', ['a', 'c']],
			['Bonjour', ['b', 'e']],
			['Hallo', ['d']],
		]);
		expect(output.map((item) => [item.json.identifier, item.json.status])).toEqual(
			items.map((item) => [item.id, 'queued']),
		);
	});

	test('the same person and content twice is sent once; both items are queued', async () => {
		const items = [{ id: 'a' }, { id: ' a ' }, { id: 'b' }, { id: 'a' }];
		const { run, requests } = send({
			items,
			options: { includeInputFields: false },
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(bodyOf(requests[0]).to).toEqual({ Identity: ['a', 'b'] });
		expect(output.map((item) => item.json)).toEqual(
			['a', 'a', 'b', 'a'].map((identifier) => ({
				status: 'queued',
				channel: 'push',
				identifierType: 'identity',
				identifier,
			})),
		);
	});

	test('the same person with two different messages gets both', async () => {
		const { run, requests } = send({
			items: [
				{ id: 'a', text: 'one' },
				{ id: 'a', text: 'two' },
			],
			parameters: { body: '={{ $json.text }}' },
			evaluate: (name, item) => (name === 'body' ? item.text : undefined),
			respond: () => QUEUED,
		});
		await run;
		expect(
			requests.map((request) => [bodyOf(request).content.body, recipientsOf(request)]),
		).toEqual([
			['one', ['a']],
			['two', ['a']],
		]);
	});

	test('a push to Android without a channel ID fails before anything is sent', async () => {
		const { run, requests } = send({
			items: people(3),
			parameters: { devices: ['android', 'ios'], channelId: '  ' },
			respond: () => QUEUED,
		});
		const error = await stopError(run);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('A push to Android needs an Android Channel ID');
		expect(error.description).toMatch(
			/^Android 8 and later show a push only in a notification channel/,
		);
		expect(error.context.itemIndex).toBe(0);
		expect(requests).toHaveLength(0);
	});

	test('under continue-on-fail only the item without a channel ID fails; the others are sent', async () => {
		const { run, requests } = send({
			items: [
				{ id: 'a', cid: 'offers' },
				{ id: 'b', cid: '' },
				{ id: 'c', cid: 'offers' },
			],
			continueOnFail: true,
			parameters: { devices: ['android'], channelId: '={{ $json.cid }}' },
			evaluate: (name, item) => (name === 'channelId' ? item.cid : undefined),
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(bodyOf(requests[0]).to).toEqual({ Identity: ['a', 'c'] });
		expect(output[1]).toEqual({
			json: { error: 'A push to Android needs an Android Channel ID' },
			pairedItem: { item: 1 },
		});
		expect(output[0].json.status).toBe('queued');
		expect(output[2].json.status).toBe('queued');
	});

	test.each([
		['the body', { body: '' }, 'The body is empty'],
		['the title', { title: ' ' }, 'The title is empty'],
		['the devices', { devices: [] }, 'No device is chosen'],
		[
			'a device',
			{ devices: ['ios', 'blackberry'] },
			'The device "blackberry" is not one CleverTap knows',
		],
		[
			'the identity',
			{ identifier: '={{ $json.missing }}' },
			'The identity is missing (field "missing")',
		],
	])(
		'bad input (%s) stops the node before anything is sent',
		async (_name, parameters, message) => {
			const { run, requests } = send({ items: people(2), parameters, respond: () => QUEUED });
			const error = await stopError(run);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(message);
			expect(requests).toHaveLength(0);
		},
	);

	test('Dry Run sends nothing and shows, per item, the channel, to, content and URL', async () => {
		const { run, requests, hints } = send({
			items: [...people(1500), { id: '' }],
			continueOnFail: true,
			options: { dryRun: true },
			respond: () => QUEUED,
		});
		const [output] = await run;
		expect(requests).toHaveLength(0);
		expect(output[1200]).toEqual({
			json: {
				id: 'u1200',
				status: 'dryRun',
				message:
					'Nothing was sent (Dry Run is on). Without Dry Run, request 2 of 2 would send this to CleverTap.',
				channel: 'push',
				to: { Identity: ['u1200'] },
				content: { title: 'Winter sale', body: 'Everything half price' },
				requests: [2],
				requestCount: 2,
				url: `${BASE}/1/send/push.json`,
			},
			pairedItem: { item: 1200 },
		});
		expect(output[1500].json).toEqual({ error: 'The identity is empty (field "id")' });
		expect(hints).toEqual([
			expect.objectContaining({
				message:
					'Dry Run is on: nothing was sent to CleverTap. It would take 2 requests. Turn off Dry Run under Options to send them.',
			}),
		]);
	});

	test('Dry Run shows the URL of the channel: an email by Email', async () => {
		const { run, requests } = send({
			items: [{ email: 'jane@example.com' }],
			parameters: {
				channel: 'email',
				identifierType: 'email',
				identifier: '={{ $json.email }}',
				subject: 'S',
				senderName: 'N',
			},
			options: { dryRun: true, includeInputFields: false },
		});
		const [output] = await run;
		expect(requests).toHaveLength(0);
		expect(output[0].json).toMatchObject({
			channel: 'email',
			to: { Email: ['jane@example.com'] },
			content: { subject: 'S', body: 'Everything half price', sender_name: 'N' },
			url: `${BASE}/1/send/email.json`,
		});
	});
});

describe('Send to Users never sends a message twice', () => {
	/** Items in two messages: "lost" (whose request meets the failure) and "fine". */
	const twoMessages = [
		{ id: 'a', text: 'lost' },
		{ id: 'b', text: 'fine' },
		{ id: 'c', text: 'lost' },
		{ id: 'd', text: 'fine' },
	];
	const byText = {
		parameters: { body: '={{ $json.text }}' },
		evaluate: (name: string, item: IDataObject) => (name === 'body' ? item.text : undefined),
	};
	const isLost = (request: RecordedRequest) => bodyOf(request).content.body === 'lost';

	const lostAnswers: Array<
		[string, (request: RecordedRequest) => FakeResponse, string, string | null]
	> = [
		[
			'a timeout (ETIMEDOUT)',
			() => {
				throw Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ETIMEDOUT' });
			},
			TIMEOUT_SUMMARY,
			null,
		],
		...N8N_MAJORS.map(
			(major) =>
				[
					`a timeout as n8n ${major.slice(4)}.x throws it`,
					(request: RecordedRequest) => {
						throw recordedN8nError(major, 'hang', request.options);
					},
					TIMEOUT_SUMMARY,
					null,
				] as [string, (request: RecordedRequest) => FakeResponse, string, string | null],
		),
		...N8N_MAJORS.map(
			(major) =>
				[
					`a reset (ECONNRESET) as n8n ${major.slice(4)}.x throws it`,
					(request: RecordedRequest) => {
						throw recordedN8nError(major, 'reset', request.options);
					},
					'The connection to CleverTap at in1.api.clevertap.com broke off before the answer came (ECONNRESET)',
					null,
				] as [string, (request: RecordedRequest) => FakeResponse, string, string | null],
		),
		[
			'an answer that broke off (n8n 1.x)',
			(request) => {
				throw recordedN8nError('n8n-1', 'close-mid-body', request.options);
			},
			'The connection to CleverTap at in1.api.clevertap.com broke off in the middle of the answer',
			null,
		],
		[
			'a 503',
			() => ({ statusCode: 503, body: '<html>Service Unavailable</html>' }),
			'CleverTap is unavailable for now (HTTP 503)',
			'503',
		],
		[
			'a 500',
			() => ({ statusCode: 500, body: '{"status":"fail","error":"Internal error","code":500}' }),
			'CleverTap had an internal error (HTTP 500: "Internal error")',
			'500',
		],
	];

	test.each(lostAnswers)(
		'%s: its request is sent once; its items may have been sent, the others are queued',
		async (_name, lost, summary) => {
			const { run, requests } = send({
				items: twoMessages,
				...byText,
				continueOnFail: true,
				options: { includeInputFields: false },
				respond: (request) => (isLost(request) ? lost(request) : QUEUED),
			});
			const [output] = await run;
			expect(requests.filter(isLost)).toHaveLength(1);
			expect(requests).toHaveLength(2);
			expect(jest.mocked(sleep)).not.toHaveBeenCalled();
			expect(output.map((item) => item.json)).toEqual([
				{
					error: `The push to identity "a" may have been sent: check in CleverTap before sending again (${summary}). ${UNSURE_HINT}`,
				},
				{ status: 'queued', channel: 'push', identifierType: 'identity', identifier: 'b' },
				{
					error: `The push to identity "c" may have been sent: check in CleverTap before sending again (${summary}). ${UNSURE_HINT}`,
				},
				{ status: 'queued', channel: 'push', identifierType: 'identity', identifier: 'd' },
			]);
		},
	);

	test.each(lostAnswers)(
		'%s, without continue-on-fail: the node stops with "may have been sent"',
		async (_name, lost, summary, httpCode) => {
			const { run, requests } = send({
				items: twoMessages,
				...byText,
				options: { concurrency: 1 },
				respond: (request) => (isLost(request) ? lost(request) : QUEUED),
			});
			const error = await stopError(run);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				`The push to identity "a" may have been sent: check in CleverTap before sending again (${summary})`,
			);
			expect(error.description).toBe(
				`${UNSURE_HINT} 0 of 4 people were sent before the node stopped.`,
			);
			expect(error.context.itemIndex).toBe(0);
			expect(error.httpCode).toBe(httpCode);
			expect(requests.filter(isLost)).toHaveLength(1);
		},
	);

	test('in a run of 2,500, a lost answer on the second request fails its 1,000 only, sent once', async () => {
		const { run, requests } = send({
			items: people(2500),
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: (request) => {
				if (recipientsOf(request).includes('u1000')) {
					throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
				}
				return QUEUED;
			},
		});
		const [output] = await run;
		expect(requests).toHaveLength(3);
		expect(requests.filter((request) => recipientsOf(request).includes('u1000'))).toHaveLength(1);
		const failed = output.flatMap((item, index) => (item.json.error ? [index] : []));
		expect(failed).toHaveLength(1000);
		expect(failed[0]).toBe(1000);
		expect(failed[999]).toBe(1999);
		expect(output[1999].json.error).toMatch(
			/^The push to identity "u1999" may have been sent: check in CleverTap before sending again \(/,
		);
		expect(output[0].json.status).toBe('queued');
		expect(output[2499].json.status).toBe('queued');
	});

	test('a 429 is waited out and sent again: two requests, and the items are queued', async () => {
		const { run, requests } = send({
			items: people(3),
			respond: (_request, call) =>
				call === 1
					? {
							statusCode: 429,
							body: '{"status":"fail","error":"Too many concurrent requests","code":429}',
						}
					: QUEUED,
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(requests[1].body).toEqual(requests[0].body);
		expect(jest.mocked(sleep)).toHaveBeenCalledTimes(1);
		expect(output.every((item) => item.json.status === 'queued')).toBe(true);
	});

	test.each([
		[
			'ECONNREFUSED',
			() => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
		],
		['ENOTFOUND', () => Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })],
		['refused, as n8n 1.x throws it', () => recordedN8nError('n8n-1', 'refused')],
		['an unknown host, as n8n 2.x throws it', () => recordedN8nError('n8n-2', 'unknown-host')],
	])('%s then success: retried, since it never reached CleverTap', async (_name, error) => {
		const { run, requests } = send({
			items: people(2),
			respond: (_request, call) => {
				if (call === 1) throw error();
				return QUEUED;
			},
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(output.every((item) => item.json.status === 'queued')).toBe(true);
	});

	test('a 400 is sent once, not split: every item of its request fails with what CleverTap said', async () => {
		const refused = {
			statusCode: 400,
			body: '{ "status" : "fail" , "error" : "Notification channel is required for devices having Android 8.0 or above" , "code" : 9}',
		};
		const { run, requests } = send({
			items: people(4),
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: () => refused,
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(recipientsOf(requests[0])).toEqual(['u0', 'u1', 'u2', 'u3']);
		expect(output.map((item) => item.json)).toEqual(
			['u0', 'u1', 'u2', 'u3'].map((id) => ({
				error: `The push to identity "${id}" was not sent: CleverTap refused the request as invalid (HTTP 400, code 9: "Notification channel is required for devices having Android 8.0 or above")`,
			})),
		);
	});

	test('a 400 without continue-on-fail stops the node, after one request', async () => {
		const { run, requests } = send({
			items: people(4),
			respond: () => ({ statusCode: 400, body: '{"status":"fail","error":"Bad","code":400}' }),
		});
		const error = await stopError(run);
		expect(error.message).toBe(
			'The push to identity "u0" was not sent: CleverTap refused the request as invalid (HTTP 400: "Bad")',
		);
		expect(requests).toHaveLength(1);
	});
});
