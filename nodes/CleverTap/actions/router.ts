import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as event from './event';
import * as profile from './profile';

type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

const OPERATIONS: Record<string, Record<string, Execute>> = {
	profile: {
		delete: profile.delete.execute,
		demerge: profile.demerge.execute,
		get: profile.get.execute,
		getMany: profile.getMany.execute,
		upsert: profile.upsert.execute,
	},
	event: {
		upload: event.upload.execute,
	},
};

/** Dispatches to the operation the node is set to; each operation owns its item loop. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = String(this.getNodeParameter('resource', 0));
	const operation = String(this.getNodeParameter('operation', 0));
	const execute = OPERATIONS[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" on "${resource}" is not supported`,
			{ itemIndex: 0 },
		);
	}
	return await execute.call(this);
}
