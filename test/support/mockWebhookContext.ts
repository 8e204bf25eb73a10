import type { IDataObject, INode, IWebhookFunctions } from 'n8n-workflow';

export interface MockWebhookOptions {
	/** The node's Authentication parameter; default 'none'. */
	authentication?: 'none' | 'basicAuth' | 'headerAuth';
	/** The node's Options collection as saved. */
	options?: IDataObject;
	/** The credentials the node has, by type; a type missing here throws as n8n does. */
	credentials?: Record<string, IDataObject>;
	/** The request's headers, with lowercase names as Node gives them. */
	headers?: IDataObject;
	/** `req.body` as n8n's body parser leaves it. */
	body?: unknown;
	/** `req.rawBody`: the bytes as they came. */
	rawBody?: Buffer;
	/** The node's static data; pass the same object to calls of one workflow. */
	staticData?: IDataObject;
}

/** What the node wrote to the response itself (with `noWebhookResponse`), if anything. */
export interface WrittenResponse {
	status?: number;
	headers?: Record<string, string>;
	body?: string;
	ended: boolean;
}

/**
 * An IWebhookFunctions double for one call: the node's parameters, credentials, the request
 * (headers, body, rawBody), the response it writes, and the node's static data, which persists
 * between calls when the same object is passed in.
 */
/** One workflow id per static data object: calls that share it are calls to one workflow. */
const workflowIds = new WeakMap<IDataObject, string>();

export function mockWebhookContext(config: MockWebhookOptions = {}) {
	const staticData = config.staticData ?? {};
	if (!workflowIds.has(staticData)) workflowIds.set(staticData, `workflow-${Math.random()}`);
	const workflow = { id: workflowIds.get(staticData), name: 'Webhook test', active: true };
	const response: WrittenResponse = { ended: false };
	const credentialTypes: string[] = [];
	const parameters: IDataObject = {
		authentication: config.authentication ?? 'none',
		options: config.options ?? {},
	};
	const node: INode = {
		id: 'trigger-1',
		name: 'CleverTap Trigger',
		type: 'n8n-nodes-clevertap.cleverTapTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		webhookId: 'webhook-1',
	};
	const headers = config.headers ?? {};

	const context = {
		getNode: () => node,
		getWorkflow: () => workflow,
		getNodeParameter: (name: string, fallback?: unknown) =>
			parameters[name] === undefined ? fallback : parameters[name],
		getCredentials: async (type: string) => {
			credentialTypes.push(type);
			const credential = config.credentials?.[type];
			if (credential === undefined) {
				throw new Error(`Node "${node.name}" does not have any credentials set for "${type}"`);
			}
			return { ...credential };
		},
		getHeaderData: () => headers,
		getRequestObject: () => ({ headers, body: config.body, rawBody: config.rawBody }),
		getResponseObject: () => ({
			writeHead(status: number, written: Record<string, string>) {
				if (response.status !== undefined) throw new Error('writeHead called twice');
				response.status = status;
				response.headers = written;
			},
			end(body: string) {
				if (response.ended) throw new Error('end called twice');
				response.body = body;
				response.ended = true;
			},
		}),
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error(`unexpected static data type ${type}`);
			return staticData;
		},
	};
	return {
		context: context as unknown as IWebhookFunctions,
		response,
		staticData,
		credentialTypes,
		node,
	};
}
