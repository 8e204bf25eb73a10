import type { IDataObject } from 'n8n-workflow';

import { CleverTap } from '../../nodes/CleverTap/CleverTap.node';
import { MAX_IDENTITY_LENGTH } from '../../nodes/CleverTap/helpers/identities';
import { mockExecuteContext, stopError, TEST_CREDENTIALS } from '../support/mockExecuteContext';
import { runDemergeWorkflow } from '../support/workflowHarness';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// Retries are counted, not waited out.
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();

const ITEM_HINT =
	'Set Identities to the field that holds the identity, such as {{ $json.email }}, or to a list of identities. Empty values, null and objects cannot be sent.';
const BASE_URL_HINT =
	'Give only the address of the server, for example http://127.0.0.1:8080 or https://proxy.example.com, without /1/… at the end: the node adds that itself.';

/** One bad input: the item's json and, where they differ from a plain setup, parameter and credential. */
interface Input {
	item?: IDataObject;
	/** The Identities parameter as saved; default `={{ $json.email }}`. */
	identities?: string;
	/** What n8n's expression engine gives for a parameter that is not a plain field reference. */
	evaluates?: unknown;
	credentials?: IDataObject;
}

const custom = (baseUrl: string | undefined) => ({
	...TEST_CREDENTIALS,
	region: 'custom',
	baseUrl,
});
const list = (count: number) => Array.from({ length: count }, (_, i) => `id-${i}`);
const tooLong = 'x'.repeat(MAX_IDENTITY_LENGTH + 1);

// kind | input | the exact message the user sees. Item-level: the node stops before sending
// anything (the error's description is ITEM_HINT), or under continue-on-fail that item alone gets
// it as `error`.
const ITEM_ERRORS: Array<[kind: string, input: Input, message: string]> = [
	['identity field missing', { item: { name: 'Jane' } }, 'The identity is missing (field "email")'],
	['identity null', { item: { email: null } }, 'The identity is null (field "email")'],
	['identity empty', { item: { email: '' } }, 'The identity is empty (field "email")'],
	[
		'identity whitespace',
		{ item: { email: ' \t\n' } },
		'The identity is only whitespace (field "email")',
	],
	[
		'identity a non-breaking space',
		{ item: { email: '\u00a0' } },
		'The identity is only whitespace (field "email")',
	],
	[
		'identity an object',
		{ item: { email: { address: 'a@x.com' } } },
		'The identity is an object, not a string or number (field "email")',
	],
	[
		'identity a boolean',
		{ item: { email: true } },
		'The identity is a boolean, not a string or number (field "email")',
	],
	[
		'identity NaN',
		{ item: { email: Number.NaN } },
		'The identity is not a finite number (NaN) (field "email")',
	],
	[
		'identity Infinity',
		{ item: { email: Number.POSITIVE_INFINITY } },
		'The identity is not a finite number (Infinity) (field "email")',
	],
	[
		'identity over-long (1025 chars)',
		{ item: { email: tooLong } },
		'The identity is 1025 characters long; the most is 1024 (field "email")',
	],
	['empty list', { item: { email: [] } }, 'The list of identities is empty (field "email")'],
	[
		'list with a blank',
		{ item: { email: ['a@x.com', ' '] } },
		'Identity 2 of the list is only whitespace (field "email")',
	],
	[
		'list with null',
		{ item: { email: [null, 'a@x.com'] } },
		'Identity 1 of the list is null (field "email")',
	],
	[
		'list with an object',
		{ item: { email: ['a@x.com', {}] } },
		'Identity 2 of the list is an object, not a string or number (field "email")',
	],
	[
		'list with a boolean',
		{ item: { email: [false] } },
		'Identity 1 of the list is a boolean, not a string or number (field "email")',
	],
	[
		'nested list',
		{ item: { email: ['a@x.com', ['b@x.com']] } },
		'Identity 2 of the list is a nested list; give a flat list of identities (field "email")',
	],
	[
		'list with an over-long entry',
		{ item: { email: ['a@x.com', tooLong] } },
		'Identity 2 of the list is 1025 characters long; the most is 1024 (field "email")',
	],
	[
		'more than 100 identities in one item',
		{ item: { email: list(101) } },
		'The item has 101 different identities; one item may have at most 100, since CleverTap takes at most 100 in one request and an item\'s identities are sent together (field "email")',
	],
	[
		'quoted field name missing',
		{ identities: '={{ $json["e-mail"] }}', item: { email: 'a@x.com' } },
		'The identity is missing (field "e-mail")',
	],
	[
		'nested field missing',
		{ identities: '={{ $json.contact.email }}', item: { contact: {} } },
		'The identity is missing (field "contact.email")',
	],
	[
		'expression giving nothing',
		{ identities: '={{ $json.email.toLowerCase() }}', evaluates: undefined },
		'The identity is missing',
	],
	[
		'expression giving an object',
		{ identities: '={{ $json }}', evaluates: { email: 'a@x.com' } },
		'The identity is an object, not a string or number',
	],
];

// kind | input | exact message. Credential-level: nothing can be sent, so the node stops even
// under continue-on-fail, with the hint as description.
const CREDENTIAL_ERRORS: Array<[kind: string, input: Input, message: string, hint: string]> = [
	[
		'custom base URL empty',
		{ credentials: custom('') },
		'The CleverTap credential\'s Base URL is empty; region "Custom URL" needs one',
		BASE_URL_HINT,
	],
	[
		'custom base URL missing',
		{ credentials: custom(undefined) },
		'The CleverTap credential\'s Base URL is empty; region "Custom URL" needs one',
		BASE_URL_HINT,
	],
	[
		'custom base URL without a scheme',
		{ credentials: custom('proxy.example.com:8080') },
		'The CleverTap credential\'s Base URL "proxy.example.com:8080" must start with http:// or https://',
		BASE_URL_HINT,
	],
	[
		'custom base URL not http(s)',
		{ credentials: custom('ftp://proxy.example.com') },
		"The CleverTap credential's Base URL must start with http:// or https://, not ftp://",
		BASE_URL_HINT,
	],
	[
		'custom base URL with user:password',
		{ credentials: custom('https://admin:hunter2@proxy.example.com') },
		"The CleverTap credential's Base URL must not contain a user name or password: CleverTap authenticates with the Account ID and Passcode fields",
		BASE_URL_HINT,
	],
	[
		'custom base URL with user:password, no scheme',
		{ credentials: custom('admin:hunter2@proxy.example.com') },
		'The CleverTap credential\'s Base URL "***@proxy.example.com" must start with http:// or https://',
		BASE_URL_HINT,
	],
	[
		'custom base URL with user:password that does not parse',
		{ credentials: custom('https://admin:hun/ter2@proxy .example.com') },
		'The CleverTap credential\'s Base URL "https://***@proxy .example.com" is not a URL',
		BASE_URL_HINT,
	],
	[
		'custom base URL with a path',
		{ credentials: custom('https://proxy.example.com/1/demerge') },
		'The CleverTap credential\'s Base URL "https://proxy.example.com/1/demerge" has a path after the address; give only the address',
		BASE_URL_HINT,
	],
	[
		'custom base URL with a query',
		{ credentials: custom('https://proxy.example.com?x=1') },
		'The CleverTap credential\'s Base URL "https://proxy.example.com?x=1" has a path after the address; give only the address',
		BASE_URL_HINT,
	],
	[
		'custom base URL not a URL',
		{ credentials: custom('http://') },
		'The CleverTap credential\'s Base URL "http://" is not a URL',
		BASE_URL_HINT,
	],
	[
		'region no longer known (old credential)',
		{ credentials: { ...TEST_CREDENTIALS, region: 'in' } },
		'The CleverTap credential\'s region "in" is not one this node knows',
		'Open the credential and choose the region again (eu1, in1, sg1, us1, aps3, mec1, sk1 or Custom URL). Your region is the prefix of your dashboard URL, e.g. in1.dashboard.clevertap.com means in1.',
	],
	[
		'region missing (old credential)',
		{ credentials: { accountId: 'A', passcode: 'P' } },
		'The CleverTap credential\'s region "" is not one this node knows',
		'Open the credential and choose the region again (eu1, in1, sg1, us1, aps3, mec1, sk1 or Custom URL). Your region is the prefix of your dashboard URL, e.g. in1.dashboard.clevertap.com means in1.',
	],
];

// Valid for every field reference in the tables, so it is demerged next to a bad item.
const NEIGHBOUR = { email: 'ok@x.com', 'e-mail': 'ok@x.com', contact: { email: 'ok@x.com' } };

function execute(input: Input, options: { continueOnFail: boolean; neighbour?: boolean }) {
	const items = [input.item ?? { email: 'ok@x.com' }, ...(options.neighbour ? [NEIGHBOUR] : [])];
	const mock = mockExecuteContext({
		items,
		identities: input.identities ?? '={{ $json.email }}',
		evaluate:
			'evaluates' in input
				? (_name, _item, itemIndex) => (itemIndex === 0 ? input.evaluates : 'ok@x.com')
				: undefined,
		credentials: input.credentials,
		continueOnFail: options.continueOnFail,
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

describe('bad input: the exact message the user sees', () => {
	test.each(ITEM_ERRORS)(
		'%s: stops the node before anything is sent',
		async (_kind, input, message) => {
			const { run, requests } = execute(input, { continueOnFail: false, neighbour: true });
			const error = await stopError(run);
			expect(error.message).toBe(message);
			expect(error.description).toBe(ITEM_HINT);
			expect(requests).toHaveLength(0);
		},
	);

	test.each(ITEM_ERRORS)(
		'%s: under continue-on-fail fails that item alone; the next item is still demerged',
		async (_kind, input, message) => {
			const { run, requests } = execute(input, { continueOnFail: true, neighbour: true });
			const [output] = await run;
			expect(output).toEqual([
				{ json: { error: message }, pairedItem: { item: 0 } },
				{
					json: { ...NEIGHBOUR, status: 'success', identities: ['ok@x.com'] },
					pairedItem: { item: 1 },
				},
			]);
			expect(requests.map((request) => request.body)).toEqual([{ identities: ['ok@x.com'] }]);
		},
	);

	test.each(CREDENTIAL_ERRORS)(
		'%s: stops the node before sending anything; under continue-on-fail every item says so',
		async (_kind, input, message, hint) => {
			const stopped = execute(input, { continueOnFail: false });
			const error = await stopError(stopped.run);
			expect(error.message).toBe(message);
			expect(error.description).toBe(hint);
			expect(stopped.requests).toHaveLength(0);
			// A password typed into the URL is never quoted back.
			expect(JSON.stringify({ ...error, message: error.message })).not.toContain('hunter2');

			// Under continue-on-fail a throw would have n8n pass the items on as if demerged.
			const continued = execute(input, { continueOnFail: true, neighbour: true });
			const [output] = await continued.run;
			const text = `${message}. ${hint}`;
			expect(output).toEqual([
				{ json: { error: text }, pairedItem: { item: 0 } },
				{ json: { error: text }, pairedItem: { item: 1 } },
			]);
			expect(continued.hints).toEqual([{ message: text, type: 'danger', location: 'outputPane' }]);
			expect(continued.requests).toHaveLength(0);
			expect(JSON.stringify(output)).not.toContain('hunter2');
		},
	);
});

describe('bad input that n8n itself evaluates or refuses (through WorkflowExecute)', () => {
	const credentials = { ...TEST_CREDENTIALS, region: 'custom', baseUrl: 'http://127.0.0.1:9' };

	// kind | Identities parameter | exact message. n8n's expression engine (2.x) turns a property
	// read on undefined and even a thrown error into "no value", so most mistakes read as a missing
	// identity; only syntax errors and unknown node references surface as n8n's own error.
	test.each([
		[
			'$json.a.b.c on an item without a',
			'={{ $json.a.b.c }}',
			'The identity is missing (field "a.b.c")',
		],
		[
			'a method called on a missing field',
			'={{ $json.email.toLowerCase() }}',
			'The identity is missing',
		],
		[
			'an expression that throws',
			'={{ (() => { throw new Error("boom") })() }}',
			'The identity is missing',
		],
		['an expression with a syntax error', '={{ $json.email.foo( }}', 'invalid syntax'],
		[
			'an expression naming a node that does not exist',
			'={{ $("Nope").item.json.email }}',
			"Referenced node doesn't exist",
		],
	])('%s: %s gives %j', async (_kind, identities, message) => {
		for (const onError of [undefined, 'continueRegularOutput'] as const) {
			const result = await runDemergeWorkflow({
				items: [{ name: 'no email' }],
				identities,
				credentials,
				onError,
				options: { dryRun: true },
			});
			if (onError) {
				expect(result.success).toHaveLength(1);
				expect(result.success[0].json.error).toBe(message);
			} else {
				expect(result.error?.message).toBe(message);
			}
		}
	});

	test('Identities left empty: n8n refuses to start the workflow', async () => {
		await expect(
			runDemergeWorkflow({ items: [{ email: 'a@x.com' }], identities: '', credentials }),
		).rejects.toThrow('The \'CleverTap\' node has issues:\n- Parameter "Identities" is required.');
	});
});

describe('options out of range are clamped to what CleverTap and the editor allow, not refused', () => {
	// The editor enforces these bounds; only an expression or an imported workflow gets past them.
	// Clamping keeps such a run inside CleverTap's hard limits (100 per request, 3 at a time), and
	// every clamped value is one the user could have chosen.
	const items = Array.from({ length: 150 }, (_, i) => ({ email: `user${i}@x.com` }));

	async function sizes(batchSize: unknown) {
		const mock = mockExecuteContext({
			items,
			identities: '={{ $json.email }}',
			options: { batchSize } as IDataObject,
		});
		await node.execute.call(mock.context);
		return mock.requests.map((r) => (r.body as { identities: string[] }).identities.length);
	}

	test.each([
		['0 → 1', 0, Array(150).fill(1)],
		['-3 → 1', -3, Array(150).fill(1)],
		['2.7 → 2', 2.7, Array(75).fill(2)],
		['500 → 100', 500, [100, 50]],
		// Text from an expression is read as a number; text that is not a number means the default.
		['"50" → 50', '50', [50, 50, 50]],
		['"many" → 100 (the default)', 'many', [100, 50]],
		['NaN → 100 (the default)', Number.NaN, [100, 50]],
	])('batch size %s', async (_name, batchSize, expected) => {
		expect(await sizes(batchSize)).toEqual(expected);
	});

	test.each([
		['0 → 1', 0, 1],
		// 10 is the default, CleverTap's 3, with its one probe beyond it (transport/pacer.ts).
		['10 → 3 and the probe', 10, 4],
		['2.9 → 2', 2.9, 2],
	])('concurrency %s', async (_name, concurrency, peak) => {
		let inFlight = 0;
		let highest = 0;
		const mock = mockExecuteContext({
			items,
			identities: '={{ $json.email }}',
			options: { concurrency, batchSize: 10 },
			respond: async () => {
				highest = Math.max(highest, ++inFlight);
				await new Promise((resolve) => setImmediate(resolve));
				inFlight--;
				return { statusCode: 200, body: '{"status":"success"}' };
			},
		});
		await node.execute.call(mock.context);
		expect(highest).toBe(peak);
	});

	test.each([
		['10 ms → 1000 ms', 10, 1000],
		['10^9 ms → 600000 ms (10 minutes)', 1e9, 600_000],
	])('timeout %s', async (_name, timeout, sent) => {
		const mock = mockExecuteContext({
			items: items.slice(0, 1),
			identities: '={{ $json.email }}',
			options: { timeout },
		});
		await node.execute.call(mock.context);
		expect(mock.requests[0].options.timeout).toBe(sent);
	});

	test.each([
		['-1 → 0 (1 attempt)', -1, 1],
		['99 → 10 (11 attempts)', 99, 11],
	])('max retries %s on a persistent 503', async (_name, maxRetries, attempts) => {
		const mock = mockExecuteContext({
			items: items.slice(0, 1),
			identities: '={{ $json.email }}',
			options: { maxRetries },
			continueOnFail: true,
			respond: () => ({ statusCode: 503, body: '<html>Unavailable</html>' }),
		});
		await node.execute.call(mock.context);
		expect(mock.requests).toHaveLength(attempts);
	});
});
