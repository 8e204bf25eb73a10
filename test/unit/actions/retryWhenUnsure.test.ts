/**
 * Options → Retry When Unsure of Event → Upload and Profile → Create or Update, against a mocked
 * n8n context. On (the default), a request whose answer was lost (a timeout, a reset after
 * sending, a 5xx) is sent again and each of its items says `resent: true`: CleverTap may have it
 * twice. Off, those items fail as "may have been recorded" and nothing is sent twice; what surely
 * never reached CleverTap (a 429, nothing listening, no such host) is still sent again, and a 400
 * is still split to find the record it refuses.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

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
const UNSURE_HINT =
	'The node did not send it again, so that CleverTap does not get it twice. Look in CleverTap whether it arrived (the campaign list, the message reports, the profile or its events) before you run it again.';
const TIMEOUT_SUMMARY = 'CleverTap at in1.api.clevertap.com did not answer within 30 seconds';
const RESET_SUMMARY =
	'The connection to CleverTap at in1.api.clevertap.com broke off before the answer came (ECONNRESET)';

type Kind = 'event' | 'profile';
type Sent = { d: Array<Record<string, unknown>> };
const identitiesOf = (request: RecordedRequest) =>
	(request.body as Sent).d.map((record) => String(record.identity));
const ok = (request: RecordedRequest): FakeResponse => ({
	statusCode: 200,
	body: JSON.stringify({
		status: 'success',
		processed: identitiesOf(request).length,
		unprocessed: [],
	}),
});
type Config = Omit<MockContextOptions, 'parameters'> & { parameters?: IDataObject };

function upload(kind: Kind, config: Config) {
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
					? { custom: [{ name: 'Plan', value: 'gold' }] }
					: { custom: [{ name: 'Amount', value: '={{ $json.amount }}' }] },
			...(kind === 'event' ? { eventName: 'Charged' } : {}),
			...config.parameters,
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

/** Five contacts; with Batch Size 2 they go in requests [c0, c1], [c2, c3], [c4]. */
const contacts = (count = 5) =>
	Array.from({ length: count }, (_, i) => ({ id: `crm-${i}`, email: `c${i}@x.com`, amount: i }));
/** The request that carries c2 and c3. */
const isSecond = (request: RecordedRequest) => identitiesOf(request).includes('c2@x.com');

type Fault = (request: RecordedRequest) => FakeResponse;
/** Answers lost after CleverTap may have taken the request, and how the node words each. */
const LOST: Array<[string, Fault, string, string | null]> = [
	[
		'a timeout (ETIMEDOUT)',
		() => {
			throw Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ETIMEDOUT' });
		},
		TIMEOUT_SUMMARY,
		null,
	],
	...N8N_MAJORS.flatMap((major): Array<[string, Fault, string, string | null]> => [
		[
			`a timeout as n8n ${major.slice(4)}.x throws it`,
			(request) => {
				throw recordedN8nError(major, 'hang', request.options);
			},
			TIMEOUT_SUMMARY,
			null,
		],
		[
			`a reset after sending as n8n ${major.slice(4)}.x throws it`,
			(request) => {
				throw recordedN8nError(major, 'reset', request.options);
			},
			RESET_SUMMARY,
			null,
		],
	]),
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

/** Failures that show the request never reached CleverTap, or that it was turned away. */
const NOT_TAKEN: Array<[string, Fault]> = [
	[
		'a 429',
		() => ({
			statusCode: 429,
			body: '{"status":"fail","error":"Too many concurrent requests","code":429}',
		}),
	],
	[
		'ECONNREFUSED',
		() => {
			throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		},
	],
	[
		'ENOTFOUND',
		() => {
			throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
		},
	],
	[
		'refused, as n8n 1.x throws it',
		() => {
			throw recordedN8nError('n8n-1', 'refused');
		},
	],
	[
		'an unknown host, as n8n 2.x throws it',
		() => {
			throw recordedN8nError('n8n-2', 'unknown-host');
		},
	],
];

/** Answers the first request `which` picks with `fault`, everything else with success. */
function faultOnce(which: (request: RecordedRequest) => boolean, fault: Fault) {
	let faulted = false;
	return (request: RecordedRequest): FakeResponse => {
		if (which(request) && !faulted) {
			faulted = true;
			return fault(request);
		}
		return ok(request);
	};
}
/** Answers the second request's first attempt with `fault`, everything else with success. */
const faultOnceOnSecond = (fault: Fault) => faultOnce(isSecond, fault);

const cases = (kind: Kind) => LOST.map(([name, ...rest]) => [`${kind}: ${name}`, kind, ...rest]);
const KINDS: Kind[] = ['event', 'profile'];
const word = { event: 'event', profile: 'profile' } as const;

beforeEach(() => {
	jest.mocked(sleep).mockClear();
});

describe('Retry When Unsure on (the default)', () => {
	test.each(KINDS.flatMap(cases))(
		'%s then success: sent again, and only its items carry resent: true',
		async (_name, kind, fault) => {
			const { run, requests } = upload(kind as Kind, {
				items: contacts(),
				options: { batchSize: 2, includeInputFields: false },
				respond: faultOnceOnSecond(fault as Fault),
			});
			const [output] = await run;
			expect(requests.filter(isSecond)).toHaveLength(2);
			expect(requests).toHaveLength(4);
			expect(jest.mocked(sleep)).toHaveBeenCalledTimes(1);
			expect(output.map((item) => item.json)).toEqual([
				{ status: 'success', identifier: 'c0@x.com' },
				{ status: 'success', identifier: 'c1@x.com' },
				{ status: 'success', identifier: 'c2@x.com', resent: true },
				{ status: 'success', identifier: 'c3@x.com', resent: true },
				{ status: 'success', identifier: 'c4@x.com' },
			]);
		},
	);

	test('resent: true sits with the input fields, on the paired item', async () => {
		const { run } = upload('event', {
			items: contacts(2),
			options: { batchSize: 1 },
			respond: faultOnce(
				(request) => identitiesOf(request)[0] === 'c1@x.com',
				() => ({ statusCode: 503, body: 'busy' }),
			),
		});
		const [output] = await run;
		const resent = output.find((item) => item.json.resent === true);
		expect(resent).toEqual({
			json: {
				id: 'crm-1',
				email: 'c1@x.com',
				amount: 1,
				status: 'success',
				identifier: 'c1@x.com',
				resent: true,
			},
			pairedItem: { item: 1 },
		});
		expect(output.filter((item) => 'resent' in item.json)).toHaveLength(1);
	});

	test.each(KINDS.flatMap((kind) => NOT_TAKEN.map(([name, fault]) => [name, kind, fault])))(
		'%s (%s) then success: sent again, and no item says resent',
		async (_name, kind, fault) => {
			const { run, requests } = upload(kind as Kind, {
				items: contacts(),
				options: { batchSize: 2, includeInputFields: false },
				respond: faultOnceOnSecond(fault as Fault),
			});
			const [output] = await run;
			expect(requests.filter(isSecond)).toHaveLength(2);
			expect(output.map((item) => item.json.status)).toEqual(Array(5).fill('success'));
			expect(output.filter((item) => 'resent' in item.json)).toEqual([]);
		},
	);

	test('a lost answer, then a 429, then success: still resent (the first may have been taken)', async () => {
		let call = 0;
		const { run, requests } = upload('event', {
			items: contacts(2),
			options: { includeInputFields: false },
			respond: (request) => {
				call++;
				if (call === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
				if (call === 2) return { statusCode: 429, body: '{"status":"fail","code":429}' };
				return ok(request);
			},
		});
		const [output] = await run;
		expect(requests).toHaveLength(3);
		expect(output.map((item) => item.json.resent)).toEqual([true, true]);
	});

	test('a resent request CleverTap refuses with a 400 is split; the records taken still say resent', async () => {
		let call = 0;
		const { run, requests } = upload('profile', {
			items: contacts(4),
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: (request) => {
				call++;
				if (call === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
				if (identitiesOf(request).includes('c1@x.com')) {
					return { statusCode: 400, body: '{"status":"fail","error":"Bad record","code":400}' };
				}
				return ok(request);
			},
		});
		const [output] = await run;
		expect(requests.map((request) => identitiesOf(request).length)).toEqual([4, 4, 2, 2, 1, 1]);
		expect(output.map((item) => item.json.resent ?? item.json.error)).toEqual([
			true,
			'The profile record for identity "c1@x.com" was not uploaded: CleverTap refused the request as invalid (HTTP 400: "Bad record")',
			true,
			true,
		]);
	});
});

describe('Retry When Unsure off', () => {
	test.each(KINDS.flatMap(cases))(
		'%s: its request is sent once; its items may have been recorded, the others succeed',
		async (_name, kind, fault, summary) => {
			const { run, requests } = upload(kind as Kind, {
				items: contacts(),
				continueOnFail: true,
				options: { batchSize: 2, includeInputFields: false, retryWhenUnsure: false },
				respond: faultOnceOnSecond(fault as Fault),
			});
			const [output] = await run;
			expect(requests.filter(isSecond)).toHaveLength(1);
			expect(requests).toHaveLength(3);
			expect(jest.mocked(sleep)).not.toHaveBeenCalled();
			const unsure = (identity: string) =>
				`The ${word[kind as Kind]} record for identity "${identity}" may have been recorded: check in CleverTap before sending again (${String(summary)}). ${UNSURE_HINT}`;
			expect(output.map((item) => item.json)).toEqual([
				{ status: 'success', identifier: 'c0@x.com' },
				{ status: 'success', identifier: 'c1@x.com' },
				{ error: unsure('c2@x.com') },
				{ error: unsure('c3@x.com') },
				{ status: 'success', identifier: 'c4@x.com' },
			]);
			expect(output.map((item) => item.pairedItem)).toEqual(
				[0, 1, 2, 3, 4].map((item) => ({ item })),
			);
		},
	);

	test.each(KINDS.flatMap(cases))(
		'%s, without continue-on-fail: the node stops with "may have been recorded"',
		async (_name, kind, fault, summary, httpCode) => {
			const { run, requests } = upload(kind as Kind, {
				items: contacts(),
				options: { batchSize: 2, concurrency: 1, retryWhenUnsure: false },
				respond: faultOnceOnSecond(fault as Fault),
			});
			const error = await stopError(run);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				`The ${word[kind as Kind]} record for identity "c2@x.com" may have been recorded: check in CleverTap before sending again (${String(summary)})`,
			);
			expect(error.description).toBe(
				`${UNSURE_HINT} 2 of 5 records were uploaded before the node stopped.`,
			);
			expect(error.context.itemIndex).toBe(2);
			expect(error.httpCode).toBe(httpCode);
			expect(requests.filter(isSecond)).toHaveLength(1);
			// Stopped: the third request is never sent.
			expect(requests).toHaveLength(2);
		},
	);

	test.each(KINDS.flatMap((kind) => NOT_TAKEN.map(([name, fault]) => [name, kind, fault])))(
		'%s (%s) is still sent again: CleverTap surely never took it',
		async (_name, kind, fault) => {
			const { run, requests } = upload(kind as Kind, {
				items: contacts(),
				options: { batchSize: 2, includeInputFields: false, retryWhenUnsure: false },
				respond: faultOnceOnSecond(fault as Fault),
			});
			const [output] = await run;
			expect(requests.filter(isSecond)).toHaveLength(2);
			expect(jest.mocked(sleep)).toHaveBeenCalledTimes(1);
			expect(output.map((item) => item.json.status)).toEqual(Array(5).fill('success'));
			expect(output.filter((item) => 'resent' in item.json)).toEqual([]);
		},
	);

	test.each(KINDS)(
		'%s: a 400 is still split until the refused record stands alone; only it fails',
		async (kind) => {
			const { run, requests } = upload(kind, {
				items: contacts(4),
				continueOnFail: true,
				options: { includeInputFields: false, retryWhenUnsure: false },
				respond: (request) =>
					identitiesOf(request).includes('c2@x.com')
						? { statusCode: 400, body: '{"status":"fail","error":"Bad record","code":400}' }
						: ok(request),
			});
			const [output] = await run;
			expect(requests.map(identitiesOf)).toEqual([
				['c0@x.com', 'c1@x.com', 'c2@x.com', 'c3@x.com'],
				['c0@x.com', 'c1@x.com'],
				['c2@x.com', 'c3@x.com'],
				['c2@x.com'],
				['c3@x.com'],
			]);
			expect(output.map((item) => item.json)).toEqual([
				{ status: 'success', identifier: 'c0@x.com' },
				{ status: 'success', identifier: 'c1@x.com' },
				{
					error: `The ${kind} record for identity "c2@x.com" was not uploaded: CleverTap refused the request as invalid (HTTP 400: "Bad record")`,
				},
				{ status: 'success', identifier: 'c3@x.com' },
			]);
		},
	);

	test("a record CleverTap refuses in `unprocessed` fails alone, in CleverTap's words, as with it on", async () => {
		const { run, requests } = upload('event', {
			items: contacts(3),
			continueOnFail: true,
			options: { includeInputFields: false, retryWhenUnsure: false },
			respond: () => ({
				statusCode: 200,
				body: '{"status":"partial","processed":2,"unprocessed":[{"code":513,"error":"Trying to raise a restricted system event. Skipped record number : 2"}]}',
			}),
		});
		const [output] = await run;
		expect(requests).toHaveLength(1);
		expect(output.map((item) => item.json.status ?? item.json.error)).toEqual([
			'success',
			'The event record for identity "c1@x.com" was not uploaded: CleverTap did not take it (code 513: Trying to raise a restricted system event.)',
			'success',
		]);
	});

	test('the option is read as off only when it is false', async () => {
		const { run, requests } = upload('event', {
			items: contacts(1),
			options: { retryWhenUnsure: true, includeInputFields: false },
			respond: (request, call) => (call === 1 ? { statusCode: 503, body: 'busy' } : ok(request)),
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(output[0].json).toEqual({ status: 'success', identifier: 'c0@x.com', resent: true });
	});
});

describe('Retry When Unsure in the node description', () => {
	const optionFor = (resource: string, operation: string) => {
		const options = node.description.properties.find(
			(property) =>
				property.name === 'options' &&
				property.displayOptions?.show?.resource?.includes(resource) &&
				property.displayOptions?.show?.operation?.includes(operation),
		) as INodeProperties;
		return (options.options as INodeProperties[]).find(
			(option) => option.name === 'retryWhenUnsure',
		) as INodeProperties;
	};

	test('Event → Upload: on by default; says an event sent twice is counted twice', () => {
		const option = optionFor('event', 'upload');
		expect(option).toMatchObject({
			displayName: 'Retry When Unsure',
			type: 'boolean',
			default: true,
		});
		expect(option.description).toMatch(/counted twice/);
		expect(option.description).toMatch(/resent: true/);
		expect(option.description).toMatch(/nothing is sent twice/);
	});

	test('Profile → Create or Update: on by default; says what a profile update sent twice does', () => {
		const option = optionFor('profile', 'upsert');
		expect(option).toMatchObject({
			displayName: 'Retry When Unsure',
			type: 'boolean',
			default: true,
		});
		expect(option.description).toMatch(/profile/);
		expect(option.description).not.toMatch(/counted twice/);
		expect(option.description).toMatch(/resent: true/);
	});

	test.each([
		['profile', 'unsubscribe'],
		['profile', 'disassociatePhone'],
	])('%s → %s has no such option', (resource, operation) => {
		expect(optionFor(resource, operation)).toBeUndefined();
	});
});
