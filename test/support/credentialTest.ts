import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	INode,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';
import { ExecuteContext, RoutingNode } from 'n8n-core';

import { CleverTapApi } from '../../credentials/CleverTapApi.credentials';
import { TestCredentialsHelper } from './workflowHarness';

const credentialType = new CleverTapApi();

interface Rule {
	type: 'responseCode' | 'responseSuccessBody';
	properties: { value: unknown; message: string; key?: string };
}

/**
 * The credential dialog's "Test" as n8n 2.x runs it, in this process: the credential's `test`
 * request becomes the routing of a temporary node that n8n-core's RoutingNode sends (the base URL
 * expression evaluated, the credential's `authenticate` applied), and the rules judge the answer:
 * `responseCode` rules the status n8n threw on, `responseSuccessBody` rules the body of an answer
 * it let through (`asN8n1`: every status, as n8n 1.x reads the request, see the credential).
 */
export async function testCredentialInProcess(
	data: ICredentialDataDecryptedObject,
	{ asN8n1 = false } = {},
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const credentials: ICredentialsDecrypted = {
		id: 'cred-test',
		name: 'CleverTap',
		type: credentialType.name,
		data,
	};
	const nodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Credential test' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					// n8n 1.x reads any truthy ignoreHttpStatusErrors as "ignore every status".
					routing: {
						request: asN8n1
							? { ...credentialType.test.request, ignoreHttpStatusErrors: true }
							: credentialType.test.request,
					},
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: credentials.id, name: credentials.name } },
	};
	const nodeTypes = {
		getByName: () => nodeType as INodeType | IVersionedNodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(data),
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData = { resultData: { runData: {} } } as unknown as IRunExecutionData;
	const inputData = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		inputData,
		{ node, data: inputData, source: null },
		[],
	);
	const rules = (credentialType.test.rules ?? []) as unknown as Rule[];
	let response: IDataObject | undefined;
	try {
		const output = await new RoutingNode(context, nodeType, credentials).runNode();
		response = output?.[0]?.[0]?.json;
	} catch (error) {
		const status = (error as { cause?: { response?: { status?: number } } }).cause?.response
			?.status;
		const rule = rules.find((r) => r.type === 'responseCode' && r.properties.value === status);
		return { status: 'Error', message: rule?.properties.message ?? (error as Error).message };
	}
	const rule = rules.find(
		(r) =>
			r.type === 'responseSuccessBody' &&
			(response as IDataObject | undefined)?.[r.properties.key as string] === r.properties.value,
	);
	return rule
		? { status: 'Error', message: rule.properties.message }
		: { status: 'OK', message: 'Connection successful!' };
}
