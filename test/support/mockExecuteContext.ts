import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CleverTapApi } from '../../credentials/CleverTapApi.credentials';

export interface RecordedRequest {
	credentialType: string;
	/** The options as they went out, after the credential's `authenticate` added its headers. */
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
	/** Node parameters as saved in the workflow; `identities` e.g. '={{ $json.email }}'. */
	parameters?: IDataObject;
	/** The raw `identities` parameter (shorthand for parameters.identities). */
	identities?: unknown;
	/** How n8n would evaluate a parameter for item i, when the node asks it to. */
	evaluate?: (name: string, item: IDataObject, itemIndex: number) => unknown;
	options?: IDataObject;
	credentials?: IDataObject;
	continueOnFail?: boolean;
	/** Answers a request, or throws the error n8n would (see test/support/n8nErrors.ts). */
	respond?: (request: RecordedRequest, call: number) => FakeResponse | Promise<FakeResponse>;
	/** The execution's cancel signal, as n8n hands it to the node. */
	cancelSignal?: AbortSignal;
}

export const TEST_CREDENTIALS = {
	accountId: 'TEST-ACCOUNT',
	passcode: 'SECRET-PASSCODE-1234',
	region: 'in1',
};

const credentialType = new CleverTapApi();

/**
 * An IExecuteFunctions double that records every request. Requests are authenticated by the real
 * credential's `authenticate`, as n8n's request helper does, so a change to the credential shows.
 */
export function mockExecuteContext(config: MockContextOptions) {
	const requests: RecordedRequest[] = [];
	const evaluated: Array<[string, number]> = [];
	const hints: NodeExecutionHint[] = [];
	const logs: string[] = [];
	const credentials = config.credentials ?? TEST_CREDENTIALS;
	const parameters: IDataObject = {
		resource: 'profile',
		operation: 'demerge',
		...(config.identities !== undefined ? { identities: config.identities } : {}),
		...config.parameters,
		options: config.options ?? {},
	};
	const node: INode = {
		id: 'node-1',
		name: 'CleverTap',
		type: 'n8n-nodes-clevertap.cleverTap',
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { cleverTapApi: { id: 'cred-1', name: 'CleverTap account' } },
	};
	const items: INodeExecutionData[] = config.items.map((json) => ({ json }));
	const respond = config.respond ?? (() => ({ statusCode: 200, body: '{"status":"success"}' }));
	const log = (level: string) => (message: string) => logs.push(`${level} ${message}`);

	const context = {
		getInputData: () => items,
		getNode: () => node,
		continueOnFail: () => config.continueOnFail === true,
		getExecutionCancelSignal: () => config.cancelSignal,
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
		getCredentials: async (type: string) => {
			if (type !== 'cleverTapApi') throw new Error(`unexpected credential type ${type}`);
			return { ...credentials };
		},
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			// A path into a parameter, as n8n takes it: `fields.custom[0].value`.
			const value = name
				.split(/\.|\[(\d+)\]/)
				.filter((part) => part !== undefined && part !== '')
				.reduce<unknown>(
					(current, part) =>
						current !== null && typeof current === 'object'
							? (current as Record<string, unknown>)[part]
							: undefined,
					parameters,
				);
			if (typeof value === 'string' && value.startsWith('=')) {
				evaluated.push([name, itemIndex]);
				if (!config.evaluate) throw new Error(`the test gives no evaluation of ${name}`);
				return config.evaluate(name, items[itemIndex].json, itemIndex);
			}
			return value === undefined ? fallback : value;
		},
		helpers: {
			httpRequestWithAuthentication: async function (
				type: string,
				options: IHttpRequestOptions,
				extra?: { credentialsDecrypted?: { data?: IDataObject } },
			) {
				const data = extra?.credentialsDecrypted?.data ?? credentials;
				const sent = await credentialType.authenticate(
					{ ...data } as ICredentialDataDecryptedObject,
					{ ...options, headers: { ...options.headers } },
				);
				const request: RecordedRequest = {
					credentialType: type,
					options: sent,
					headers: sent.headers as Record<string, string>,
					body: typeof sent.body === 'string' ? JSON.parse(sent.body) : sent.body,
					credentialsPassedIn: extra?.credentialsDecrypted !== undefined,
				};
				requests.push(request);
				const response = await respond(request, requests.length);
				return { headers: {}, ...response };
			},
		},
	};
	return {
		context: context as unknown as IExecuteFunctions,
		requests,
		evaluated,
		hints,
		logs,
		node,
	};
}

/** The error a node run stops with, one of n8n's own; a run that does not stop fails with its output. */
export async function stopError(run: Promise<unknown>): Promise<NodeApiError> {
	let output: unknown;
	try {
		output = await run;
	} catch (error) {
		if (error instanceof NodeApiError || error instanceof NodeOperationError) {
			return error as NodeApiError;
		}
		throw error;
	}
	throw new Error(`the run did not stop; output: ${JSON.stringify(output).slice(0, 500)}`);
}
