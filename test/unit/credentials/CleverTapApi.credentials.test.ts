import { CleverTapApi } from '../../../credentials/CleverTapApi.credentials';

const credential = new CleverTapApi();
const property = (name: string) => credential.properties.find((p) => p.name === name);

describe('CleverTapApi credential', () => {
	test('the public names saved workflows depend on', () => {
		expect(credential.name).toBe('cleverTapApi');
		expect(credential.displayName).toBe('CleverTap API');
		expect(credential.properties.map((p) => p.name)).toEqual([
			'accountId',
			'passcode',
			'region',
			'baseUrl',
		]);
		expect(property('region')?.options?.map((o) => (o as { value: string }).value)).toEqual([
			'eu1',
			'in1',
			'sg1',
			'us1',
			'aps3',
			'mec1',
			'sk1',
			'custom',
		]);
	});

	test('the passcode is masked; the base URL shows only for Custom URL', () => {
		expect(property('passcode')?.typeOptions?.password).toBe(true);
		expect(property('baseUrl')?.displayOptions).toEqual({ show: { region: ['custom'] } });
	});

	test('the region help tells how to read the region from the dashboard URL', () => {
		expect(property('region')?.description).toContain(
			'in1.dashboard.clevertap.com means India (IN1)',
		);
	});

	test('auth goes in the two CleverTap headers, trimmed, and nowhere else', async () => {
		const authenticated = await credential.authenticate(
			{ accountId: ' ACC-1 ', passcode: 'secret\n', region: 'in1' },
			{ url: '/1/demerge/profiles.json', headers: { Accept: 'application/json' }, body: '{}' },
		);
		expect(authenticated).toEqual({
			url: '/1/demerge/profiles.json',
			headers: {
				Accept: 'application/json',
				'X-CleverTap-Account-Id': 'ACC-1',
				'X-CleverTap-Passcode': 'secret',
			},
			body: '{}',
		});
	});

	test('the test request changes nothing and words 401/403 for both n8n majors', () => {
		expect(credential.test.request).toMatchObject({ method: 'GET', url: '/1/profile.json' });
		const rules = credential.test.rules as Array<{
			type: string;
			properties: { value: number; message: string };
		}>;
		expect(rules.map((rule) => [rule.type, rule.properties.value])).toEqual([
			['responseCode', 401],
			['responseCode', 403],
			['responseSuccessBody', 401],
			['responseSuccessBody', 403],
		]);
		for (const rule of rules)
			expect(rule.properties.message).toContain(
				'Check the Account ID, the Passcode and the Region',
			);
	});
});
