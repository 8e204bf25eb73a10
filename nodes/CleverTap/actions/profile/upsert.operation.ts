import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { runRecordOperation } from '../common/pipeline';
import { uploadOperation, uploadParameters } from '../common/upload';

/** Its entry in the Operation list. */
export const option = {
	name: 'Create or Update',
	value: 'upsert',
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	action: 'Create or update user profiles',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['profile'], operation: ['upsert'] } },
	uploadParameters('profile'),
);

/** Creates or updates one profile per item: 1,000 records a request, up to 15 at a time. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runRecordOperation.call(this, uploadOperation.call(this, 'profile'));
}
