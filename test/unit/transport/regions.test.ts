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

	test('the credential test expression names every host exactly once', () => {
		const expression = baseUrlExpression();
		expect(expression.startsWith('={{')).toBe(true);
		for (const { host } of CLEVERTAP_REGIONS) {
			expect(expression.split(`'https://${host}'`)).toHaveLength(2);
		}
	});
});
