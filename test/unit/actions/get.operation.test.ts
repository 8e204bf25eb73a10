import { NodeApiError } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import { mockExecuteContext, type MockContextOptions } from '../../support/mockExecuteContext';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const record = (identity: string) => ({
	identity,
	email: identity,
	name: 'Jane',
	profileData: { Plan: 'gold' },
	platformInfo: [{ platform: 'Web', objectId: `__${identity}` }],
});

async function get(
	config: Omit<MockContextOptions, 'parameters'> & { type?: string; value?: unknown },
) {
	const mock = mockExecuteContext({
		...config,
		parameters: {
			operation: 'get',
			identifierType: config.type ?? 'identity',
			identifier: config.value ?? '={{ $json.email }}',
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

describe('CleverTap → Profile → Get (mocked n8n context)', () => {
	test('one GET per item, with exactly one key and no body or Content-Type', async () => {
		const { run, requests } = await get({
			items: [{ email: 'jane@x.com' }, { email: 'ravi@x.com' }],
			respond: (request) => ({
				statusCode: 200,
				body: JSON.stringify({
					status: 'success',
					record: record(String(request.options.qs?.identity)),
				}),
			}),
		});
		const [output] = await run;
		expect(
			requests.map((r) => [r.options.method, r.options.url, r.options.qs, r.options.body]),
		).toEqual([
			[
				'GET',
				'https://in1.api.clevertap.com/1/profile.json',
				{ identity: 'jane@x.com' },
				undefined,
			],
			[
				'GET',
				'https://in1.api.clevertap.com/1/profile.json',
				{ identity: 'ravi@x.com' },
				undefined,
			],
		]);
		expect(requests[0].headers['Content-Type']).toBeUndefined();
		expect(output[1]).toEqual({
			json: {
				found: true,
				objectId: '__ravi@x.com',
				identity: 'ravi@x.com',
				email: 'ravi@x.com',
				name: 'Jane',
				profileData: { Plan: 'gold' },
				platformInfo: [{ platform: 'Web', objectId: '__ravi@x.com' }],
			},
			pairedItem: { item: 1 },
		});
	});

	test.each([
		['email', 'email'],
		['objectId', 'objectId'],
	])('by %s', async (type, key) => {
		const { run, requests } = await get({
			items: [{ v: ' x@y.com ' }],
			type,
			value: '={{ $json.v }}',
		});
		await run;
		expect(requests[0].options.qs).toEqual({ [key]: 'x@y.com' });
	});

	test.each([
		['a 200 without a record', 200, '{"status":"success","record":null}'],
		['a 200 with no record key', 200, '{"status":"success"}'],
		['a 200 that says fail', 200, '{"status":"fail","error":"Profile not found","code":404}'],
		['a 200 that says fail without a code', 200, '{"status":"fail","error":"Not found"}'],
		['a 400', 400, '{"status":"fail","error":"Profile not found","code":400}'],
		// A client written against the live API reads this as "no record" (shared/clevertap-recorded.md).
		[
			"a 404 in CleverTap's envelope",
			404,
			'{"status":"fail","error":"Profile not found","code":404}',
		],
	])('%s is "not found", on the main output', async (_name, statusCode, body) => {
		const { run } = await get({
			items: [{ email: 'gone@x.com' }],
			respond: () => ({ statusCode, body }),
		});
		const [output] = await run;
		expect(output).toEqual([
			{
				json: { found: false, identifierType: 'identity', identifier: 'gone@x.com' },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('a 401 is still the credential: the node stops with its hint', async () => {
		const { run, requests } = await get({
			items: [{ email: 'a@x.com' }, { email: 'b@x.com' }],
			options: { concurrency: 1 },
			respond: () => ({
				statusCode: 401,
				body: '{"status":"fail","error":"Passcode is not valid","code":401}',
			}),
		});
		const error = (await run.catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Nothing was looked up: CleverTap did not accept the Account ID and Passcode (HTTP 401: "Passcode is not valid")',
		);
		expect(requests).toHaveLength(1);
	});

	test.each([401, 403])(
		'a 200 that says fail with credential code %s is the credential too',
		async (code) => {
			const { run } = await get({
				items: [{ email: 'a@x.com' }],
				respond: () => ({
					statusCode: 200,
					body: `{"status":"fail","error":"Account ID is not valid","code":${code}}`,
				}),
			});
			expect(((await run.catch((e: unknown) => e)) as Error).message).toMatch(
				/^Nothing was looked up: /,
			);
		},
	);

	test('a 503 or 429 is retried, then the profile is read', async () => {
		const { run, requests, logs } = await get({
			items: [{ email: 'a@x.com' }],
			respond: (_r, call) =>
				call === 1
					? { statusCode: 503, body: '<html>x</html>' }
					: call === 2
						? { statusCode: 200, body: '{"status":"fail","error":"busy","code":503}' }
						: call === 3
							? { statusCode: 429, body: '{"status":"fail","error":"Too many","code":429}' }
							: {
									statusCode: 200,
									body: JSON.stringify({ status: 'success', record: record('a@x.com') }),
								},
		});
		const [output] = await run;
		expect(requests).toHaveLength(4);
		expect(output[0].json.found).toBe(true);
		expect(logs.join('\n')).toContain('a request of 1 profile failed');
	});

	test.each([429, 500])('a 200 that says fail with code %s is retried too', async (code) => {
		const { run, requests } = await get({
			items: [{ email: 'a@x.com' }],
			respond: (_r, call) =>
				call === 1
					? { statusCode: 200, body: `{"status":"fail","error":"busy","code":${code}}` }
					: {
							statusCode: 200,
							body: JSON.stringify({ status: 'success', record: record('a@x.com') }),
						},
		});
		const [output] = await run;
		expect(requests).toHaveLength(2);
		expect(output[0].json.found).toBe(true);
	});

	test.each([
		[
			"a 404 page that is not CleverTap's",
			404,
			'<html><body><h1>404 Not Found</h1>nginx</body></html>',
			'Nothing was looked up: CleverTap does not know this address (HTTP 404)',
		],
		[
			"a 404 in JSON without CleverTap's envelope",
			404,
			'{"message":"Not Found"}',
			'Nothing was looked up: CleverTap does not know this address (HTTP 404)',
		],
		[
			'a 300 that says fail',
			300,
			'{"status":"fail","error":"Moved"}',
			'Nothing was looked up: CleverTap sent the request on to another address (HTTP 300)',
		],
		[
			'a 200 that cannot be read',
			200,
			'<html>Service Unavailable</html>',
			'The profile with identity "a@x.com" was not looked up: CleverTap\'s answer could not be read (HTTP 200, not JSON)',
		],
	])('%s is not "not found": the node stops', async (_name, statusCode, body, message) => {
		const { run } = await get({
			items: [{ email: 'a@x.com' }],
			options: { maxRetries: 0 },
			respond: () => ({ statusCode, body }),
		});
		const error = (await run.catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain(message);
	});

	test('a failure that is not the credential names the profile and says how far the node got', async () => {
		const { run } = await get({
			items: [{ email: 'a@x.com' }, { email: 'b@x.com' }],
			options: { concurrency: 1, maxRetries: 0 },
			respond: (_r, call) =>
				call === 1
					? { statusCode: 200, body: '{"status":"success","record":null}' }
					: { statusCode: 500, body: '{"status":"fail","error":"Internal error","code":500}' },
		});
		const error = (await run.catch((e: unknown) => e)) as NodeApiError;
		expect(error.message).toBe(
			'The profile with identity "b@x.com" was not looked up: CleverTap had an internal error (HTTP 500: "Internal error")',
		);
		expect(error.description).toMatch(/ 1 of 2 profiles were looked up before the node stopped\.$/);
	});

	test('options saved with Dry Run on send nothing and show what would be looked up', async () => {
		const { run, requests } = await get({
			items: [{ email: 'a@x.com' }],
			options: { dryRun: true },
		});
		const [output] = await run;
		expect(output[0].json).toMatchObject({
			status: 'dryRun',
			identifierType: 'identity',
			identifier: 'a@x.com',
		});
		expect(requests).toEqual([]);
	});

	test('a bad identifier fails its item alone under continue-on-fail; up to 3 at a time', async () => {
		let inFlight = 0;
		let peak = 0;
		const { run, requests } = await get({
			items: [{ email: '' }, ...Array.from({ length: 9 }, (_, i) => ({ email: `u${i}@x.com` }))],
			continueOnFail: true,
			respond: async () => {
				peak = Math.max(peak, ++inFlight);
				await new Promise((resolve) => setImmediate(resolve));
				inFlight--;
				return { statusCode: 200, body: '{"status":"success","record":null}' };
			},
		});
		const [output] = await run;
		expect(output[0].json).toEqual({ error: 'The identity is empty (field "email")' });
		expect(requests).toHaveLength(9);
		expect(peak).toBe(3);
	});

	test('Include Input Fields (off by default here) adds the contact', async () => {
		const { run } = await get({
			items: [{ id: 'crm-1', email: 'a@x.com' }],
			options: { includeInputFields: true },
			respond: () => ({ statusCode: 200, body: '{"status":"success","record":null}' }),
		});
		const [output] = await run;
		expect(output[0].json).toEqual({
			id: 'crm-1',
			email: 'a@x.com',
			found: false,
			identifierType: 'identity',
			identifier: 'a@x.com',
		});
	});
});
