import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	baseUrlExpression,
	CLEVERTAP_REGIONS,
	CUSTOM_REGION,
} from '../nodes/CleverTap/transport/regions';
import { CREDENTIAL_REJECTED_HINT } from '../nodes/CleverTap/transport/judge';

/** Shown when CleverTap answers 401/403: a wrong region answers exactly like a wrong passcode. */
export { CREDENTIAL_REJECTED_HINT };

const REJECTED_401 = `CleverTap did not accept this Account ID and Passcode. ${CREDENTIAL_REJECTED_HINT}`;
const REFUSED_403 = `CleverTap refused access with this Passcode. ${CREDENTIAL_REJECTED_HINT}`;

export class CleverTapApi implements ICredentialType {
	name = 'cleverTapApi';

	displayName = 'CleverTap API';

	icon: Icon = {
		light: 'file:../nodes/CleverTap/clevertap.svg',
		dark: 'file:../nodes/CleverTap/clevertap.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-clevertap/n8n-nodes-clevertap#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'W9R-486-4W5Z',
			description:
				"Your project's Account ID, from the CleverTap dashboard under Settings → Project",
		},
		// Masked on purpose: the passcode is CleverTap's API secret. n8n's scan warns
		// (credential-unnecessary-password) because it judges by the name alone, and the name cannot
		// change without breaking saved credentials; scripts/lint-scan.js accepts exactly this warning.
		{
			displayName: 'Passcode',
			name: 'passcode',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The project's passcode (Settings → Project) or a user passcode. n8n keeps it encrypted and sends it only to CleverTap.",
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				...CLEVERTAP_REGIONS.map(({ value, name }) => ({ name, value })),
				{ name: 'Custom URL (Proxy or Simulator)', value: CUSTOM_REGION },
			],
			default: 'eu1',
			description:
				'The data centre of your CleverTap account. Read it from your dashboard URL: in1.dashboard.clevertap.com means India (IN1), us1.dashboard.clevertap.com means United States (US1); eu1 or no prefix (dashboard.clevertap.com) means Europe (EU1).',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://127.0.0.1:8080',
			description:
				'The address of a proxy in front of CleverTap, or of the local CleverTap simulator, such as http://127.0.0.1:8080 (without /1/… at the end)',
			displayOptions: { show: { region: [CUSTOM_REGION] } },
		},
	];

	// For the HTTP Request node, which reaches the endpoints this node lacks. n8n hides it from the
	// editor's node list (this package's node uses the credential): it only documents the API.
	httpRequestNode: ICredentialType['httpRequestNode'] = {
		name: 'CleverTap',
		docsUrl: 'https://developer.clevertap.com/docs/api-overview',
		apiBaseUrlPlaceholder: 'https://eu1.api.clevertap.com/1/',
	};

	// A function, not the generic `={{ $credentials.… }}` headers: n8n would run its expression
	// engine twice for every request (about 3 ms of CPU each time in n8n 1.x, measured by the
	// benchmark), which at 3 requests in flight keeps CleverTap's slots idle between requests.
	// A field, not a method: n8n 1.123 and 2.40 give the editor a copy of the credential with its
	// own fields only, and the editor lists a credential under the HTTP Request node's "Predefined
	// Credential Type" only when `authenticate` is one of them. It also makes n8n add "Custom API
	// Call" to the node's Resource and Operation lists (test/e2e/n8n-server.e2e.test.ts).
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		requestOptions.headers = {
			...requestOptions.headers,
			'X-CleverTap-Account-Id': String(credentials.accountId ?? '').trim(),
			'X-CleverTap-Passcode': String(credentials.passcode ?? '').trim(),
		};
		return requestOptions;
	};

	// Get Profile changes nothing: 401/403 mean account, passcode or region do not fit together;
	// 200 (even with no such profile) or 400 mean they work.
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(),
			url: '/1/profile.json',
			method: 'GET',
			qs: { identity: 'n8n-credential-test' },
			// n8n 2.x throws on 401/403 only, and the responseCode rules below word the message.
			// n8n 1.x reads any truthy value as "ignore every status", and only rules on the body
			// can word it there: CleverTap's error body carries the status as `code`.
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403] },
		},
		// n8n checks each rule by its own type; its typings only allow one type per list.
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: REJECTED_401 } },
			{ type: 'responseCode', properties: { value: 403, message: REFUSED_403 } },
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 401, message: REJECTED_401 },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 403, message: REFUSED_403 },
			},
		] as unknown as ICredentialTestRequest['rules'],
	};
}
