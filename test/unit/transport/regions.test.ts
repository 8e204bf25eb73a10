import type { INodeTypes, IWorkflowDataProxyAdditionalKeys } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import {
	baseUrlExpression,
	CLEVERTAP_REGIONS,
	regionBaseUrl,
} from '../../../nodes/CleverTap/transport/regions';

describe('regions', () => {
	test.each([
		['eu1', 'https://eu1.api.clevertap.com'],
		['in1', 'https://in1.api.clevertap.com'],
		['sg1', 'https://sg1.api.clevertap.com'],
		['us1', 'https://us1.api.clevertap.com'],
		['aps3', 'https://aps3.api.clevertap.com'],
		['mec1', 'https://mec1.api.clevertap.com'],
		['sk1', 'https://sk1.api.clevertap.com'],
	])('%s → %s', (region, url) => {
		expect(regionBaseUrl(region)).toBe(url);
	});

	test('unknown and custom regions have no fixed host', () => {
		expect(regionBaseUrl('custom')).toBeUndefined();
		expect(regionBaseUrl('in')).toBeUndefined();
		expect(regionBaseUrl('')).toBeUndefined();
	});

	test('the option values are the public contract', () => {
		expect(CLEVERTAP_REGIONS.map((region) => region.value)).toEqual([
			'eu1',
			'in1',
			'sg1',
			'us1',
			'aps3',
			'mec1',
			'sk1',
		]);
	});

	/** The credential test's base URL, evaluated by n8n's expression engine as n8n does. */
	function evaluateBaseUrl(credentials: Record<string, string>): unknown {
		const node = {
			id: 'n',
			name: 'N',
			type: 't',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: {},
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: { getByNameAndVersion: () => undefined } as unknown as INodeTypes,
		});
		return workflow.expression.getParameterValue(
			baseUrlExpression(),
			null,
			0,
			0,
			'N',
			[],
			'internal',
			{
				$credentials: credentials,
			} as unknown as IWorkflowDataProxyAdditionalKeys,
		);
	}

	test.each(CLEVERTAP_REGIONS.map(({ value }) => value))(
		"the credential test's base URL for %s is the node's",
		(region) => {
			expect(evaluateBaseUrl({ region })).toBe(regionBaseUrl(region));
		},
	);

	test.each([
		['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
		['  https://proxy.example.com//  ', 'https://proxy.example.com'],
	])("the credential test's base URL for Custom URL %j is %s", (baseUrl, expected) => {
		expect(evaluateBaseUrl({ region: 'custom', baseUrl })).toBe(expected);
	});

	test('an unknown region gives the credential test no base URL', () => {
		expect(evaluateBaseUrl({ region: 'in' })).toBe('');
	});
});
