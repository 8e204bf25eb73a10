/**
 * The CleverTap Trigger receiving calls through a mocked IWebhookFunctions: what it starts, what
 * it answers itself, and what it remembers in the workflow's static data.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeProperties,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CleverTapTrigger } from '../../../nodes/CleverTap/CleverTapTrigger.node';
import { RETRY_WINDOW_MS } from '../../../nodes/CleverTap/helpers/webhookCalls';
import {
	BASIC_AUTH_CREDENTIAL,
	HEADER_AUTH_CREDENTIAL,
} from '../../../nodes/CleverTap/trigger/auth';
import { secretProblem } from '../../../nodes/CleverTap/trigger/secret';
import { receiveCall } from '../../../nodes/CleverTap/trigger/webhook';
import { mockWebhookContext, type MockWebhookOptions } from '../../support/mockWebhookContext';
import { copy, fixture, profilesOf } from './webhookFixtures';

const FORMAT_HINT =
	'In CleverTap, choose JSON as the webhook\'s format with the body "Profile variables & custom key value pairs".';
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const BASIC = { user: 'clevertap', password: 'correct horse battery' };
const HEADER = { name: 'X-Webhook-Secret', value: 'a-long-shared-secret' };
const basic = (userAndPassword: string) =>
	`Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}`;

async function receive(config: MockWebhookOptions) {
	const mock = mockWebhookContext(config);
	const result = await receiveCall.call(mock.context);
	return { ...mock, result };
}

/** The items a call started the workflow with; fails if it started nothing. */
function itemsOf(result: IWebhookResponseData): IDataObject[] {
	expect(result.workflowData).toHaveLength(1);
	return (result.workflowData?.[0] ?? []).map((item) => item.json);
}

function broadcastOf(count: number): IDataObject {
	return {
		targetId: 1659684581,
		key_values: { PromoCode: 'MT50' },
		profiles: Array.from({ length: count }, (_, i) => ({
			identity: `user-${i}`,
			email: `user-${i}@example.com`,
			profileData: { score: i },
		})),
	};
}

let now = Date.UTC(2026, 0, 15, 12, 0, 0);
beforeEach(() => {
	now = Date.UTC(2026, 0, 15, 12, 0, 0);
	jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => jest.restoreAllMocks());

describe('calls that start the workflow', () => {
	test('a broadcast of 500 profiles: 500 items, in order, answered by n8n (200)', async () => {
		const { result, response } = await receive({ body: broadcastOf(500) });
		const items = itemsOf(result);
		expect(items).toHaveLength(500);
		expect(items.map((item) => item.identity)).toEqual(
			Array.from({ length: 500 }, (_, i) => `user-${i}`),
		);
		expect(items[499]).toMatchObject({
			email: 'user-499@example.com',
			profileData: { score: 499 },
			keyValues: { PromoCode: 'MT50' },
			campaignId: 1659684581,
			isTest: false,
		});
		expect(result.webhookResponse).toBeUndefined();
		expect(result.noWebhookResponse).toBeUndefined();
		expect(response).toEqual({ ended: false });
	});

	test('a non-broadcast call (one profile object): one item', async () => {
		const entry = fixture('non-broadcast-capitalised');
		const { result } = await receive({ body: copy(entry.body) });
		expect(itemsOf(result)).toEqual([
			{
				...entry.expected.items[0],
				campaignId: 1472124953,
				isTest: false,
				raw: entry.body.profiles,
			},
		]);
	});

	test.each([
		'broadcast-capitalised',
		'full-field-sample-lowercase',
		'non-broadcast-lowercase-inferred',
		'snip-sample-push-token',
	])('%s: the items the fixture expects', async (name) => {
		const entry = fixture(name);
		expect(entry.expected.startsWorkflowByDefault).toBe(true);
		const items = itemsOf((await receive({ body: copy(entry.body) })).result);
		expect(items).toEqual(
			entry.expected.items.map((expected, index) => ({
				...expected,
				campaignId: entry.expected.campaignId,
				isTest: false,
				raw: profilesOf(entry.body)[index],
			})),
		);
	});

	test('Split Profiles off: one item for the call, with its profiles in a list and their count', async () => {
		const entry = fixture('broadcast-capitalised');
		const { result } = await receive({
			body: copy(entry.body),
			options: { splitProfiles: false },
		});
		const items = itemsOf(result);
		expect(items).toHaveLength(1);
		expect(items[0]).toEqual({
			campaignId: 1472124953,
			keyValues: { PromoCode: 'MT50', PowerUser: 'true' },
			isTest: false,
			profileCount: 2,
			profiles: entry.expected.items.map((item, index) => ({
				...item,
				raw: profilesOf(entry.body)[index],
			})),
		});
	});

	test('Split Profiles off, a broadcast of 500: still one item', async () => {
		const items = itemsOf(
			(await receive({ body: broadcastOf(500), options: { splitProfiles: false } })).result,
		);
		expect(items).toHaveLength(1);
		expect(items[0].profileCount).toBe(500);
		expect((items[0].profiles as IDataObject[])[499].identity).toBe('user-499');
	});
});

describe('how the body is read', () => {
	const text = JSON.stringify(fixture('snip-sample-push-token').body);

	test('a text body (n8n left it unparsed): body {} and the JSON in rawBody', async () => {
		const { result } = await receive({ body: {}, rawBody: Buffer.from(text, 'utf8') });
		expect(itemsOf(result).map((item) => item.identity)).toEqual(['foo', 'bar']);
	});

	test('a body that is the bytes themselves, or the text', async () => {
		const fromBuffer = await receive({ body: Buffer.from(text, 'utf8') });
		expect(itemsOf(fromBuffer.result).map((item) => item.identity)).toEqual(['foo', 'bar']);
		const fromText = await receive({ body: text });
		expect(itemsOf(fromText.result).map((item) => item.identity)).toEqual(['foo', 'bar']);
	});

	test('a parsed body is read as it is, not the raw bytes beside it', async () => {
		const { result } = await receive({
			body: { profiles: [{ identity: 'parsed' }] },
			rawBody: Buffer.from('{"profiles":[{"identity":"raw"}]}'),
		});
		expect(itemsOf(result).map((item) => item.identity)).toEqual(['parsed']);
	});

	test('no body at all: 400, not JSON', async () => {
		const { result, response } = await receive({});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(400);
		expect(JSON.parse(response.body as string)).toEqual({
			message: `The call's body is not JSON. ${FORMAT_HINT}`,
		});
	});
});

describe('test calls', () => {
	const entry = fixture('test-call-mixed-casing');

	test('are answered 200 and start nothing by default, and are not remembered as calls', async () => {
		expect(entry.expected.startsWorkflowByDefault).toBe(false);
		const { result, response, staticData } = await receive({ body: copy(entry.body) });
		expect(result).toEqual({
			webhookResponse: { message: 'Test call received; no workflow started.' },
		});
		expect(result.workflowData).toBeUndefined();
		expect(response).toEqual({ ended: false });
		expect(staticData).toEqual({});
	});

	test('with Include Test Calls, start the workflow: 5 items marked isTest', async () => {
		const { result } = await receive({
			body: copy(entry.body),
			options: { includeTestCalls: true },
		});
		const items = itemsOf(result);
		expect(items).toHaveLength(5);
		for (const item of items) {
			expect(item).toMatchObject({
				isTest: true,
				campaignId: 1234,
				identity: 'UserId',
				email: 'User@user.com',
				keyValues: { key: 'value' },
				raw: { Identity: 'UserId', Email: 'User@user.com', push_token: 'Token' },
			});
		}
	});
});

describe('retries', () => {
	const body = fixture('broadcast-capitalised').body;

	test('the same call twice: the second starts nothing', async () => {
		const staticData: IDataObject = {};
		const first = await receive({ body: copy(body), staticData });
		expect(itemsOf(first.result)).toHaveLength(2);
		expect(Object.values(staticData.recentCalls as IDataObject)).toEqual([now]);

		now += 4_000;
		const second = await receive({ body: copy(body), staticData });
		expect(second.result).toEqual({
			webhookResponse: {
				message: 'The same call came in the last 10 minutes; no workflow started.',
			},
		});
		expect(second.response).toEqual({ ended: false });
	});

	test('the same call as text, twice: the second starts nothing', async () => {
		const staticData: IDataObject = {};
		const rawBody = Buffer.from(JSON.stringify(body));
		expect(itemsOf((await receive({ body: {}, rawBody, staticData })).result)).toHaveLength(2);
		expect((await receive({ body: {}, rawBody, staticData })).result.workflowData).toBeUndefined();
	});

	test('10 minutes later the same call starts the workflow again', async () => {
		const staticData: IDataObject = {};
		await receive({ body: copy(body), staticData });
		now += RETRY_WINDOW_MS - 1;
		expect((await receive({ body: copy(body), staticData })).result.workflowData).toBeUndefined();
		now += 1;
		expect(itemsOf((await receive({ body: copy(body), staticData })).result)).toHaveLength(2);
	});

	test('a different call is not a retry', async () => {
		const staticData: IDataObject = {};
		await receive({ body: copy(body), staticData });
		const other = { ...copy(body), targetId: 1472124954 };
		expect(itemsOf((await receive({ body: other, staticData })).result)).toHaveLength(2);
		expect(Object.keys(staticData.recentCalls as IDataObject)).toHaveLength(2);
	});

	test('with Ignore Retries off, both start, and nothing is remembered', async () => {
		const staticData: IDataObject = {};
		const options = { ignoreRetries: false };
		expect(itemsOf((await receive({ body: copy(body), staticData, options })).result)).toHaveLength(
			2,
		);
		expect(itemsOf((await receive({ body: copy(body), staticData, options })).result)).toHaveLength(
			2,
		);
		expect(staticData).toEqual({});
	});

	test('a test call let in twice is a retry too', async () => {
		const staticData: IDataObject = {};
		const options = { includeTestCalls: true };
		const ping = fixture('test-call-mixed-casing').body;
		expect(itemsOf((await receive({ body: copy(ping), staticData, options })).result)).toHaveLength(
			5,
		);
		expect(
			(await receive({ body: copy(ping), staticData, options })).result.workflowData,
		).toBeUndefined();
	});
});

describe('calls with no profiles', () => {
	test('an empty list of profiles: answered 200, no workflow, not remembered', async () => {
		const { result, response, staticData } = await receive({
			body: { targetId: 1, key_values: {}, profiles: [] },
		});
		expect(result).toEqual({
			webhookResponse: { message: 'No profiles in this call; no workflow started.' },
		});
		expect(response).toEqual({ ended: false });
		expect(staticData).toEqual({});
	});
});

describe('bodies that cannot be read: 400 with the reason, nothing started', () => {
	test.each<[string, MockWebhookOptions, string]>([
		[
			'text that is not JSON',
			{ body: {}, rawBody: Buffer.from('profiles=1&targetId=2') },
			`The call's body is not JSON. ${FORMAT_HINT}`,
		],
		[
			'a JSON list',
			{ body: [{ identity: 'a' }] },
			`The call's body must be a JSON object with "profiles", but it is a list. ${FORMAT_HINT}`,
		],
		[
			'a JSON number, as text',
			{ body: {}, rawBody: Buffer.from('42') },
			`The call's body must be a JSON object with "profiles", but it is a number. ${FORMAT_HINT}`,
		],
		[
			'no profiles',
			{ body: { targetId: 1, key_values: { a: 'b' } } },
			`The call has no "profiles". ${FORMAT_HINT}`,
		],
		['an empty body', { body: {} }, `The call has no "profiles". ${FORMAT_HINT}`],
		[
			'a profile that is not an object',
			{ body: { profiles: [{ identity: 'a' }, 7] } },
			"Profile 2 of 2 is not an object with a person's fields: it is a number.",
		],
		[
			'a single profile that is null',
			{ body: { profiles: null } },
			'"profiles" is not an object with a person\'s fields: it is empty (null).',
		],
	])('%s', async (_case, config, message) => {
		const { result, response, staticData } = await receive(config);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({
			status: 400,
			headers: JSON_TYPE,
			body: JSON.stringify({ message }),
			ended: true,
		});
		expect(staticData).toEqual({});
	});
});

describe('authentication', () => {
	const body = fixture('snip-sample-push-token').body;

	test('Basic auth, right: starts, with the Basic credential asked for', async () => {
		const { result, credentialTypes } = await receive({
			authentication: 'basicAuth',
			credentials: { [BASIC_AUTH_CREDENTIAL]: BASIC },
			headers: { authorization: basic('clevertap:correct horse battery') },
			body: copy(body),
		});
		expect(itemsOf(result)).toHaveLength(2);
		expect(credentialTypes).toEqual([BASIC_AUTH_CREDENTIAL]);
	});

	test.each<[string, IDataObject, string]>([
		[
			'a wrong password',
			{ authorization: basic('clevertap:wrong horse battery') },
			'Wrong user name or password.',
		],
		[
			'a wrong user',
			{ authorization: basic('clever:correct horse battery') },
			'Wrong user name or password.',
		],
		['no header', {}, 'This webhook needs a user name and password (Basic auth).'],
	])(
		'Basic auth, %s: 401 with a Basic challenge, nothing started or remembered',
		async (_case, headers, message) => {
			const { result, response, staticData } = await receive({
				authentication: 'basicAuth',
				credentials: { [BASIC_AUTH_CREDENTIAL]: BASIC },
				headers,
				body: copy(body),
			});
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response).toEqual({
				status: 401,
				headers: { ...JSON_TYPE, 'www-authenticate': 'Basic realm="CleverTap Trigger"' },
				body: JSON.stringify({ message }),
				ended: true,
			});
			expect(staticData).toEqual({});
		},
	);

	test('Header auth, right: starts, with the header credential asked for', async () => {
		const { result, credentialTypes } = await receive({
			authentication: 'headerAuth',
			credentials: { [HEADER_AUTH_CREDENTIAL]: HEADER },
			headers: { 'x-webhook-secret': 'a-long-shared-secret' },
			body: copy(body),
		});
		expect(itemsOf(result)).toHaveLength(2);
		expect(credentialTypes).toEqual([HEADER_AUTH_CREDENTIAL]);
	});

	test('Header auth, wrong: 401 without a Basic challenge, nothing started', async () => {
		const { result, response } = await receive({
			authentication: 'headerAuth',
			credentials: { [HEADER_AUTH_CREDENTIAL]: HEADER },
			headers: { 'x-webhook-secret': 'a-guess' },
			body: copy(body),
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({
			status: 401,
			headers: JSON_TYPE,
			body: JSON.stringify({ message: 'Wrong value in the header "X-Webhook-Secret".' }),
			ended: true,
		});
	});

	test('the caller is checked before the body: a stranger learns nothing about the format', async () => {
		const { response } = await receive({
			authentication: 'headerAuth',
			credentials: { [HEADER_AUTH_CREDENTIAL]: HEADER },
			body: 'not json',
		});
		expect(response.status).toBe(401);
		expect(JSON.parse(response.body as string)).toEqual({
			message: 'This webhook needs the header "X-Webhook-Secret".',
		});
	});

	test('a test call with wrong credentials is refused too (CleverTap will not save the webhook)', async () => {
		const { result, response } = await receive({
			authentication: 'basicAuth',
			credentials: { [BASIC_AUTH_CREDENTIAL]: BASIC },
			headers: { authorization: basic('clevertap:nope') },
			body: copy(fixture('test-call-mixed-casing').body),
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(401);
	});

	test('no credential set: 500 with a plain sentence, nothing started', async () => {
		const { result, response, credentialTypes } = await receive({
			authentication: 'basicAuth',
			headers: { authorization: basic('clevertap:correct horse battery') },
			body: copy(body),
		});
		expect(credentialTypes).toEqual([BASIC_AUTH_CREDENTIAL]);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({
			status: 500,
			headers: JSON_TYPE,
			body: JSON.stringify({
				message: 'The CleverTap Trigger has no credential to check calls with.',
			}),
			ended: true,
		});
	});

	test('no authentication: no credential is asked for', async () => {
		const { result, credentialTypes } = await receive({
			headers: { authorization: basic('anyone:anything') },
			body: copy(body),
		});
		expect(itemsOf(result)).toHaveLength(2);
		expect(credentialTypes).toEqual([]);
	});
});

describe('the node', () => {
	const node = new CleverTapTrigger();
	const { description } = node;
	const option = (name: string) =>
		(
			description.properties.find((property) => property.name === 'options')
				?.options as INodeProperties[]
		).find((entry) => entry.name === name);

	test('a trigger: no inputs, one output, not an AI tool', () => {
		expect(description.name).toBe('cleverTapTrigger');
		expect(description.inputs).toEqual([]);
		expect(description.outputs).toEqual(['main']);
		expect(description.group).toEqual(['trigger']);
		expect(description).not.toHaveProperty('usableAsTool');
		expect(description.version).toBe(1);
	});

	test('one POST webhook, answered when received', () => {
		expect(description.webhooks).toHaveLength(1);
		expect(description.webhooks?.[0]).toMatchObject({
			name: 'default',
			httpMethod: 'POST',
			responseMode: 'onReceived',
		});
	});

	test("the package's own credentials, each shown for its authentication, each tested", () => {
		expect(description.credentials).toEqual([
			{
				name: BASIC_AUTH_CREDENTIAL,
				required: true,
				testedBy: 'webhookSecret',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
			{
				name: HEADER_AUTH_CREDENTIAL,
				required: true,
				testedBy: 'webhookSecret',
				displayOptions: { show: { authentication: ['headerAuth'] } },
			},
		]);
	});

	test('defaults: no authentication, test calls left out, profiles split, retries ignored', () => {
		const authentication = description.properties.find((p) => p.name === 'authentication');
		expect(authentication?.default).toBe('none');
		expect(authentication?.options?.map((entry) => ('value' in entry ? entry.value : ''))).toEqual([
			'none',
			'basicAuth',
			'headerAuth',
		]);
		expect(option('includeTestCalls')?.default).toBe(false);
		expect(option('splitProfiles')?.default).toBe(true);
		expect(option('ignoreRetries')?.default).toBe(true);
	});

	test('webhook calls receiveCall', async () => {
		const mock = mockWebhookContext({ body: copy(fixture('broadcast-capitalised').body) });
		const result = await node.webhook.call(mock.context);
		expect(itemsOf(result).map((item) => item.identity)).toEqual(['foo', 'bar']);
	});

	test('nothing to create or delete in CleverTap on activation: every hook says true', async () => {
		const hooks = node.webhookMethods.default;
		const context = {} as IHookFunctions;
		await expect(hooks.checkExists.call(context)).resolves.toBe(true);
		await expect(hooks.create.call(context)).resolves.toBe(true);
		await expect(hooks.delete.call(context)).resolves.toBe(true);
	});

	describe('the credential test', () => {
		const test_ = (type: string, data?: IDataObject) =>
			node.methods.credentialTest.webhookSecret.call(
				{} as ICredentialTestFunctions,
				{
					id: 'cred-1',
					name: 'CleverTap webhook',
					type,
					data,
				} as ICredentialsDecrypted,
			);

		test.each<[string, string, IDataObject | undefined]>([
			['a long password', BASIC_AUTH_CREDENTIAL, BASIC],
			['a long header value', HEADER_AUTH_CREDENTIAL, HEADER],
		])('%s: OK', async (_case, type, data) => {
			await expect(test_(type, data)).resolves.toEqual({
				status: 'OK',
				message: 'The secret is long enough to guard the webhook.',
			});
		});

		test.each<[string, string, IDataObject | undefined]>([
			['a short password', BASIC_AUTH_CREDENTIAL, { user: 'clevertap', password: 'short' }],
			['no user', BASIC_AUTH_CREDENTIAL, { password: 'a-long-password' }],
			['no data', BASIC_AUTH_CREDENTIAL, undefined],
			['a short header value', HEADER_AUTH_CREDENTIAL, { name: 'X-Secret', value: 'short' }],
			['no header name', HEADER_AUTH_CREDENTIAL, { value: 'a-long-header-value' }],
			['no data', HEADER_AUTH_CREDENTIAL, undefined],
		])('%s: Error, saying what secretProblem says', async (_case, type, data) => {
			const expected = secretProblem(type, data ?? {});
			expect(expected).toEqual(expect.any(String));
			await expect(test_(type, data)).resolves.toEqual({ status: 'Error', message: expected });
		});
	});
});
