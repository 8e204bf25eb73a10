/**
 * n8n 1.x's default, in-process Code node hands the next node its items in a vm2 proxy array:
 * every `map`, `find`, `some`… on it runs through vm2's bridge for each item and returns another
 * proxy, which every later pass pays again (issue 20, point 5: 175 µs per item in the bench).
 * The node reads the input array by index only, once per item, into an array of its own.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CleverTap } from '../../../nodes/CleverTap/CleverTap.node';
import { mockExecuteContext, type MockContextOptions } from '../../support/mockExecuteContext';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const node = new CleverTap();
const emails = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ id: `crm-${i}`, email: `user${i}@example.com` }));

/** Runs the node on a watched input array; returns the output and what was read of the array. */
async function watchedRun(config: MockContextOptions) {
	const mock = mockExecuteContext({ identities: '={{ $json.email }}', ...config });
	const context = mock.context as unknown as { getInputData: () => INodeExecutionData[] };
	const items = context.getInputData();
	const other: string[] = [];
	let indexReads = 0;
	const watched = new Proxy(items, {
		get(target, key, receiver) {
			if (typeof key === 'string' && /^\d+$/.test(key)) indexReads++;
			else if (key !== 'length') other.push(String(key));
			return Reflect.get(target, key, receiver) as unknown;
		},
	});
	context.getInputData = () => watched;
	const [output] = await node.execute.call(mock.context as IExecuteFunctions);
	return { output, other, indexReads, requests: mock.requests };
}

describe('the input array is read by index, once per item', () => {
	test.each([
		['Demerge', {}],
		['Demerge, Include Input Fields off', { options: { includeInputFields: false } }],
		['Demerge, dry run', { options: { dryRun: true } }],
		['Delete', { parameters: { operation: 'delete', identifierType: 'identity' }, options: {} }],
	] as Array<[string, Partial<MockContextOptions>]>)('%s', async (_name, config) => {
		const { output, other, indexReads } = await watchedRun({ items: emails(250), ...config });
		expect(output).toHaveLength(250);
		expect(other).toEqual([]);
		expect(indexReads).toBe(250);
	});

	test('a bad item under continue-on-fail changes nothing about it', async () => {
		const items = emails(5);
		items[2].email = '';
		const { output, other, indexReads } = await watchedRun({ items, continueOnFail: true });
		expect(output.map((item) => item.json.status ?? 'error')).toEqual([
			'success',
			'success',
			'error',
			'success',
			'success',
		]);
		expect(other).toEqual([]);
		expect(indexReads).toBe(5);
	});
});
