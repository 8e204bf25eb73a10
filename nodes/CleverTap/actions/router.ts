import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as profile from './profile';

/** Dispatches to the operation the node is set to; each operation owns its item loop. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0);
	const operation = this.getNodeParameter('operation', 0);
	if (resource === 'profile' && operation === 'demerge') {
		return await profile.demerge.execute.call(this);
	}
	throw new NodeOperationError(
		this.getNode(),
		`The operation "${String(operation)}" on "${String(resource)}" is not supported`,
		{ itemIndex: 0 },
	);
}
