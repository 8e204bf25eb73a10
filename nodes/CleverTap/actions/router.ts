import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Resource } from './common/resource';
import * as campaign from './campaign';
import * as event from './event';
import * as message from './message';
import * as profile from './profile';
import * as report from './report';

const RESOURCES: Record<string, Resource> = { campaign, event, message, profile, report };

/** The value n8n gives its "Custom API Call" entry, for nodes whose credential authenticates. */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

/** Dispatches to the operation the node is set to; each operation owns its item loop. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = String(this.getNodeParameter('resource', 0));
	const operation = String(this.getNodeParameter('operation', 0));
	if (resource === CUSTOM_API_CALL || operation === CUSTOM_API_CALL) {
		// n8n adds this entry to the node's lists and shows its notice for it; a run reaches here only
		// from a workflow saved that way.
		throw new NodeOperationError(
			this.getNode(),
			'Custom API Call runs in an HTTP Request node, not in the CleverTap node',
			{
				description:
					'Add an HTTP Request node, set Authentication to Predefined Credential Type and Credential Type to CleverTap API, choose your CleverTap credential, and type the full address of your region in URL, such as https://eu1.api.clevertap.com/1/profile.json?identity=jane@example.com. Then choose an operation here, or remove this node.',
				itemIndex: 0,
			},
		);
	}
	const found = RESOURCES[resource]?.operations.find((entry) => entry.option.value === operation);
	if (!found) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" on "${resource}" is not supported`,
			{ itemIndex: 0 },
		);
	}
	return await found.execute.call(this);
}
