import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { runRecordOperation } from '../common/pipeline';
import { uploadOperation, uploadParameters } from '../common/upload';

/** Its entry in the Operation list. */
export const option = {
	name: 'Upload',
	value: 'upload',
	description: 'Record events on user profiles, one event per item',
	action: 'Upload events',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['event'], operation: ['upload'] } },
	[
		{
			displayName:
				'CleverTap records every event it receives. When its answer is lost on the way (a timeout or a broken connection), the node sends the request again, and those events may then be recorded twice. To never send a request twice, set Max Retries to 0 under Options.',
			name: 'uploadNotice',
			type: 'notice',
			default: '',
		},
		...uploadParameters('event'),
	],
);

/** Uploads one event per item: 1,000 records a request, up to 15 at a time. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runRecordOperation.call(this, uploadOperation.call(this, 'event'));
}
