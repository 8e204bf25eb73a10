import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Resource } from './common/resource';
import * as event from './event';
import * as profile from './profile';

const RESOURCES: Record<string, Resource> = { event, profile };

/** Dispatches to the operation the node is set to; each operation owns its item loop. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = String(this.getNodeParameter('resource', 0));
	const operation = String(this.getNodeParameter('operation', 0));
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
