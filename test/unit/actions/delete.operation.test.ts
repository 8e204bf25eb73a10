import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import { mockExecuteContext, type MockContextOptions } from '../../support/mockExecuteContext';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();

async function remove(config: Omit<MockContextOptions, 'parameters'> & { type?: string }) {
	const mock = mockExecuteContext({
		...config,
		parameters: {
			operation: 'delete',
			identifierType: config.type ?? 'identity',
			identities: '={{ $json.id }}',
		},
	});
	return { ...mock, run: node.execute.call(mock.context) };
}

const ids = (count: number, prefix = 'u') =>
	Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}` }));

describe('CleverTap → Profile → Delete (mocked n8n context)', () => {
	test.each([
		['identity', 'identity'],
		['guid', 'guid'],
	])('by %s: 250 items in 100/100/50 under the one key, never both', async (type, key) => {
		const { run, requests } = await remove({ items: ids(250), type });
		const [output] = await run;
		expect(requests.map((r) => Object.keys(r.body as object))).toEqual([[key], [key], [key]]);
		expect(requests.map((r) => (r.body as Record<string, string[]>)[key].length)).toEqual([
			100, 100, 50,
		]);
		expect(requests[0].options).toMatchObject({
			method: 'POST',
			url: 'https://in1.api.clevertap.com/1/delete/profiles.json',
		});
		expect(output[3].json).toEqual({ id: 'u3', status: 'success', identities: ['u3'] });
	});

	test('duplicates once, lists per item, and a refused one narrowed down and named as such', async () => {
		const { run, requests } = await remove({
			items: [{ id: ['a', 'b'] }, { id: 'a' }, { id: 'bad' }, { id: 'c' }],
			type: 'guid',
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: (request) =>
				(request.body as { guid: string[] }).guid.includes('bad')
					? { statusCode: 400, body: '{"status":"fail","error":"Invalid guid","code":400}' }
					: { statusCode: 200, body: '{"status":"success"}' },
		});
		const [output] = await run;
		expect(requests[0].body).toEqual({ guid: ['a', 'b', 'bad', 'c'] });
		expect(output.map((item) => item.json)).toEqual([
			{ status: 'success', identities: ['a', 'b'] },
			{ status: 'success', identities: ['a'] },
			{
				error:
					'CleverTap ID "bad" was not deleted: CleverTap refused the request as invalid (HTTP 400: "Invalid guid")',
			},
			{ status: 'success', identities: ['c'] },
		]);
	});

	test('a stop counts what was deleted', async () => {
		const { run } = await remove({
			items: ids(150),
			options: { concurrency: 1 },
			respond: (_r, call) =>
				call === 1
					? { statusCode: 200, body: '{"status":"success"}' }
					: { statusCode: 500, body: '{"status":"fail","error":"Internal error","code":500}' },
		});
		const error = (await run.catch((e: unknown) => e)) as Error & { description: string };
		expect(error.message).toBe(
			'Identity "u100" was not deleted: CleverTap had an internal error (HTTP 500: "Internal error") after 6 attempts',
		);
		expect(error.description).toMatch(
			/ 100 of 150 identities were deleted before the node stopped\.$/,
		);
	});

	test('by CleverTap ID, messages speak of CleverTap IDs', async () => {
		const { run } = await remove({
			items: [{ id: [] }, { id: ['a', ['b']] }, { id: 'c' }],
			type: 'guid',
			continueOnFail: true,
			options: { includeInputFields: false },
			respond: () => ({ statusCode: 500, body: '{"status":"fail"}' }),
		});
		const [output] = await run;
		expect(output.map((item) => item.json.error)).toEqual([
			'The list of CleverTap IDs is empty (field "id")',
			'CleverTap ID 2 of the list is a nested list; give a flat list of CleverTap IDs (field "id")',
			expect.stringMatching(/^CleverTap ID "c" was not deleted: /),
		]);
	});

	test('dry run shows the key it would use', async () => {
		const { run, requests } = await remove({
			items: ids(2),
			type: 'guid',
			options: { dryRun: true },
		});
		const [output] = await run;
		expect(requests).toEqual([]);
		expect(output[0].json).toMatchObject({
			status: 'dryRun',
			identifierType: 'guid',
			identities: ['u0'],
			url: 'https://in1.api.clevertap.com/1/delete/profiles.json',
		});
	});

	test('the notice says it cannot be undone and takes about 48 hours', () => {
		const notice = node.description.properties.find((p) => p.name === 'deleteNotice');
		expect(notice?.displayName).toMatch(/cannot be undone/);
		expect(notice?.displayName).toMatch(/48 hours/);
	});
});
