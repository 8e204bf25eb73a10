import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { CleverTapApi } from '../../credentials/CleverTapApi.credentials';
import { CleverTap } from '../../nodes/CleverTap/CleverTap.node';

/** A source node for tests: emits the items given in its `items` parameter. */
class ItemsNode implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Test source',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json' as const, default: '[]' }],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [list.map((json, item) => ({ json, pairedItem: { item } }))];
	}
}

/** A sink for tests: passes its input through, so each output of the node under test is kept. */
class PassNode implements INodeType {
	description = {
		displayName: 'Pass',
		name: 'pass',
		group: ['transform'],
		version: 1,
		description: 'Test sink',
		defaults: { name: 'Pass' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const nodeTypesByName: Record<string, INodeType> = {
	'n8n-nodes-clevertap.cleverTap': new CleverTap(),
	'test.items': new ItemsNode(),
	'test.pass': new PassNode(),
};

const nodeTypes: INodeTypes = {
	getByName: (type: string) => nodeTypesByName[type] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (type: string) => nodeTypesByName[type],
	getKnownTypes: () => ({}),
} as INodeTypes;

const credentialType = new CleverTapApi();

/** Authenticates requests the way n8n's own credentials helper does: by the credential's function. */
export class TestCredentialsHelper extends ICredentialsHelper {
	private requests = 0;

	constructor(
		private readonly data: ICredentialDataDecryptedObject,
		private readonly beforeRequest?: WorkflowRunOptions['beforeRequest'],
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (typeName !== credentialType.name) throw new Error(`unknown credential type ${typeName}`);
		// n8n authenticates each request right before sending it: the one place a test can act
		// between two requests of a run without waiting on a clock.
		await this.beforeRequest?.(++this.requests);
		// As n8n's own helper does for a credential whose `authenticate` is a function.
		return await credentialType.authenticate({ ...credentials }, { ...requestOptions });
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return credentialType.properties;
	}
}

export interface WorkflowRunOptions {
	items: IDataObject[];
	/** Demerge's Identities parameter (for other operations, give `parameters`). */
	identities?: string;
	/** The CleverTap node's parameters besides Options; default Profile → Demerge. */
	parameters?: IDataObject;
	options?: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	/** 'stopWorkflow' (default), 'continueRegularOutput' or 'continueErrorOutput'. */
	onError?: INode['onError'];
	/** Awaited before the node's n-th request (from 1) is sent, e.g. to script a fault mid-run. */
	beforeRequest?: (requestNumber: number) => void | Promise<void>;
}

export interface WorkflowRunResult {
	run: IRun;
	/** Items on the CleverTap node's main output. */
	success: INodeExecutionData[];
	/** Items on its error output (only with continueErrorOutput). */
	errors: INodeExecutionData[];
	/** The error the run failed with, if it failed. */
	error?: IRun['data']['resultData']['error'];
	/** Everything n8n kept of the run, serialised as it would be stored. */
	serialised: string;
}

/** Runs Items → CleverTap (→ Success / Errors) through n8n-core's WorkflowExecute. */
export async function runNodeWorkflow(options: WorkflowRunOptions): Promise<WorkflowRunResult> {
	const nodes: INode[] = [
		{
			id: '1',
			name: 'Items',
			type: 'test.items',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items) },
		},
		{
			id: '2',
			name: 'CleverTap',
			type: 'n8n-nodes-clevertap.cleverTap',
			typeVersion: 1,
			position: [200, 0],
			parameters: {
				resource: 'profile',
				operation: 'demerge',
				...(options.identities !== undefined ? { identities: options.identities } : {}),
				...(options.parameters as INode['parameters']),
				options: (options.options ?? {}) as INode['parameters'][string],
			},
			credentials: { cleverTapApi: { id: 'cred-1', name: 'CleverTap test' } },
			...(options.onError ? { onError: options.onError } : {}),
		},
		{
			id: '3',
			name: 'Success',
			type: 'test.pass',
			typeVersion: 1,
			position: [400, 0],
			parameters: {},
		},
		{
			id: '4',
			name: 'Errors',
			type: 'test.pass',
			typeVersion: 1,
			position: [400, 200],
			parameters: {},
		},
	];
	const connections = {
		Items: { main: [[{ node: 'CleverTap', type: NodeConnectionTypes.Main, index: 0 }]] },
		CleverTap: {
			main: [
				[{ node: 'Success', type: NodeConnectionTypes.Main, index: 0 }],
				[{ node: 'Errors', type: NodeConnectionTypes.Main, index: 0 }],
			],
		},
	};
	const workflow = new Workflow({
		id: 'workflow-test',
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'execution-test', {
		id: 'workflow-test',
		name: 'Demerge test',
		nodes,
		connections,
		active: false,
		isArchived: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let resolveFinished: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveFinished(fullRunData));

	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(options.credentials, options.beforeRequest),
		currentNodeParameters: undefined,
		executionId: 'execution-test',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		userId: 'user-test',
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData: IRunExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
		},
	} as unknown as IRunExecutionData;

	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;
	const runData = run.data.resultData.runData;
	return {
		run,
		success: runData.Success?.[0]?.data?.main?.[0] ?? [],
		errors: runData.Errors?.[0]?.data?.main?.[0] ?? [],
		error: run.data.resultData.error,
		serialised: JSON.stringify(run),
	};
}

/** Items → CleverTap Demerge (the default operation) through WorkflowExecute. */
export const runDemergeWorkflow = runNodeWorkflow;
