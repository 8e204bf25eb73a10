import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

export interface RecordedRequest {
	credentialType: string;
	options: IHttpRequestOptions;
	headers: Record<string, string>;
	body: unknown;
	credentialsPassedIn: boolean;
}

export interface FakeResponse {
	statusCode: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface MockContextOptions {
	items: IDataObject[];
	/** The raw `identities` parameter as saved in the workflow, e.g. '={{ $json.email }}'. */
	identities: unknown;
	/** How n8n would evaluate the parameter for item i, when the node asks it to. */
	evaluate?: (item: IDataObject, itemIndex: number) => unknown;
	options?: IDataObject;
	credentials?: IDataObject;
	continueOnFail?: boolean;
	respond?: (request: RecordedRequest, call: number) => FakeResponse | Promise<FakeResponse>;
}

export const TEST_CREDENTIALS = {
	accountId: 'TEST-ACCOUNT',
	passcode: 'SECRET-PASSCODE-1234',
	region: 'in1',
};

/** An IExecuteFunctions double that records every request, with the auth n8n would add. */
export function mockExecuteContext(config: MockContextOptions) {
	const requests: RecordedRequest[] = [];
	const evaluated: number[] = [];
	const credentials = config.credentials ?? TEST_CREDENTIALS;
	const node: INode = {
		id: 'node-1',
		name: 'CleverTap',
		type: 'n8n-nodes-clevertap.cleverTap',
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			resource: 'profile',
			operation: 'demerge',
			identities: config.identities as string,
			options: (config.options ?? {}) as INode['parameters'][string],
		},
		credentials: { cleverTapApi: { id: 'cred-1', name: 'CleverTap account' } },
	};
	const items: INodeExecutionData[] = config.items.map((json) => ({ json }));
	const respond = config.respond ?? (() => ({ statusCode: 200, body: '{"status":"success"}' }));

	const context = {
		getInputData: () => items,
		getNode: () => node,
		continueOnFail: () => config.continueOnFail === true,
		getExecutionCancelSignal: () => undefined,
		getCredentials: async (type: string) => {
			if (type !== 'cleverTapApi') throw new Error(`unexpected credential type ${type}`);
			return { ...credentials };
		},
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			if (name === 'identities') {
				evaluated.push(itemIndex);
				return config.evaluate
					? config.evaluate(items[itemIndex].json, itemIndex)
					: config.identities;
			}
			const value = (node.parameters as IDataObject)[name];
			return value === undefined ? fallback : value;
		},
		helpers: {
			httpRequestWithAuthentication: async function (
				credentialType: string,
				options: IHttpRequestOptions,
				extra?: { credentialsDecrypted?: { data?: IDataObject } },
			) {
				const data = extra?.credentialsDecrypted?.data ?? credentials;
				const headers: Record<string, string> = {
					...(options.headers as Record<string, string>),
					'X-CleverTap-Account-Id': String(data.accountId),
					'X-CleverTap-Passcode': String(data.passcode),
				};
				const request: RecordedRequest = {
					credentialType,
					options,
					headers,
					body: typeof options.body === 'string' ? JSON.parse(options.body) : options.body,
					credentialsPassedIn: extra?.credentialsDecrypted !== undefined,
				};
				requests.push(request);
				const response = await respond(request, requests.length);
				return { headers: {}, ...response };
			},
		},
	};
	return { context: context as unknown as IExecuteFunctions, requests, evaluated, node };
}
