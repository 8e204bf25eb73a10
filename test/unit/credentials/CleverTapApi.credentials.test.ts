import {
	CleverTapApi,
	CREDENTIAL_REJECTED_HINT,
} from '../../../credentials/CleverTapApi.credentials';
import { startSimulator, type Simulator } from '../../simulator';
import { testCredentialInProcess } from '../../support/credentialTest';

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

	test("n8n's copy for the editor keeps authenticate: the HTTP Request node can offer CleverTap API", async () => {
		// n8n 1.123 and 2.40 hand the editor `{ ...credential }` (own fields only), serialised with
		// the loader's toJSON; the editor lists it under Predefined Credential Type only when
		// `authenticate` survives. A method on the prototype would be lost here.
		const copy = { ...new CleverTapApi() };
		expect(typeof copy.authenticate).toBe('function');
		const signed = await copy.authenticate(
			{ accountId: 'ACC-1', passcode: 'secret', region: 'eu1' },
			{ url: 'https://eu1.api.clevertap.com/1/profile.json' },
		);
		expect(signed.headers).toEqual({
			'X-CleverTap-Account-Id': 'ACC-1',
			'X-CleverTap-Passcode': 'secret',
		});
		expect(credential.httpRequestNode).toEqual({
			name: 'CleverTap',
			docsUrl: 'https://developer.clevertap.com/docs/api-overview',
			apiBaseUrlPlaceholder: 'https://eu1.api.clevertap.com/1/',
		});
	});

	test('the test request: Get Profile, and 401/403 worded the way each n8n major needs', () => {
		expect(credential.test.request).toMatchObject({
			method: 'GET',
			url: '/1/profile.json',
			qs: { identity: 'n8n-credential-test' },
		});
		// n8n 2.x throws on 401/403 only, so responseCode rules word them; n8n 1.x reads any truthy
		// value as "ignore every status" and lets the answer through, so body rules word it there.
		expect(credential.test.request.ignoreHttpStatusErrors).toEqual({
			ignore: true,
			except: [401, 403],
		});
		const rules = credential.test.rules as Array<{
			type: string;
			properties: { key?: string; value: number; message: string };
		}>;
		expect(rules.map((rule) => [rule.type, rule.properties.key, rule.properties.value])).toEqual([
			['responseCode', undefined, 401],
			['responseCode', undefined, 403],
			['responseSuccessBody', 'code', 401],
			['responseSuccessBody', 'code', 403],
		]);
	});
});

describe('the credential test, run as n8n 2.x runs it (in this process, against the simulator)', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ accounts: { 'ACC-1': 'right-passcode' } });
	});
	afterEach(() => sim.reset());
	afterAll(async () => await sim.close());

	const data = (fields: Record<string, string>) => ({
		accountId: 'ACC-1',
		passcode: 'right-passcode',
		region: 'custom',
		baseUrl: `${sim.url}/`,
		...fields,
	});

	test('the right account and passcode: successful, with one Get Profile and both headers', async () => {
		expect(await testCredentialInProcess(data({}))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(sim.requests.map((r) => `${r.method} ${r.path}?identity=${r.query.identity}`)).toEqual([
			'GET /1/profile.json?identity=n8n-credential-test',
		]);
		expect(sim.requests[0].headers['x-clevertap-account-id']).toBe('ACC-1');
		expect(sim.requests[0].headers['x-clevertap-passcode']).toBe('right-passcode');
		expect(sim.requests[0].headers['content-type']).toBeUndefined();
	});

	test.each([
		['a wrong passcode', { passcode: 'not-it' }],
		['a wrong account', { accountId: 'OTHER' }],
		['padding that authenticate trims away is not the problem', { passcode: ' not-it ' }],
	])('%s: account, passcode and region named', async (_name, fields) => {
		expect(await testCredentialInProcess(data(fields))).toEqual({
			status: 'Error',
			message: `CleverTap did not accept this Account ID and Passcode. ${CREDENTIAL_REJECTED_HINT}`,
		});
	});

	test('a passcode padded with spaces still works: authenticate trims it', async () => {
		expect((await testCredentialInProcess(data({ passcode: ' right-passcode\n' }))).status).toBe(
			'OK',
		);
	});

	test('a 403: refused access, account, passcode and region named', async () => {
		sim.addFault({ kind: '403', api: 'profile' });
		expect(await testCredentialInProcess(data({}))).toEqual({
			status: 'Error',
			message: `CleverTap refused access with this Passcode. ${CREDENTIAL_REJECTED_HINT}`,
		});
	});

	test.each([
		[
			'401',
			{},
			`CleverTap did not accept this Account ID and Passcode. ${CREDENTIAL_REJECTED_HINT}`,
		],
		[
			'403',
			{ fault: '403' },
			`CleverTap refused access with this Passcode. ${CREDENTIAL_REJECTED_HINT}`,
		],
	] as const)(
		"as n8n 1.x reads the request (every status let through), the body's code words a %s",
		async (_name, { fault }: { fault?: '403' }, message) => {
			if (fault) sim.addFault({ kind: fault, api: 'profile' });
			const fields: Record<string, string> = fault ? {} : { passcode: 'not-it' };
			expect(await testCredentialInProcess(data(fields), { asN8n1: true })).toEqual({
				status: 'Error',
				message,
			});
			expect(await testCredentialInProcess(data({}), { asN8n1: true })).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
		},
	);
});
