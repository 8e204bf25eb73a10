import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { CLEVERTAP_APIS } from '../../transport/apis';
import { identitiesParameter, readIdentities } from '../common/readParameters';
import { IDENTITIES_BATCH_SIZE_DESCRIPTION, runOptions } from '../common/options';
import { runRecordOperation, type RecordOperation } from '../common/pipeline';

const properties: INodeProperties[] = [
	{
		displayName:
			'Demerge cannot be undone. CleverTap splits the merged profile and may lose some of its event data. Turn on Dry Run under Options to see what would be sent first. CleverTap takes the request at once but may take up to a day to carry it out: check with Profile → Get the next day.',
		name: 'demergeNotice',
		type: 'notice',
		default: '',
	},
	identitiesParameter('to demerge'),
	runOptions('demerge', {
		records: 'identities',
		batchSizeDescription: IDENTITIES_BATCH_SIZE_DESCRIPTION,
	}),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Demerge',
	value: 'demerge',
	description: 'Split merged user profiles apart by identity (cannot be undone)',
	action: 'Demerge user profiles (cannot be undone)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['profile'], operation: ['demerge'] } },
	properties,
);

/** Demerge: identities from every item, 100 a request, 3 requests at a time. */
export const demerge: RecordOperation<string> = {
	api: 'demerge',
	words: { done: 'demerged', one: 'identity', many: 'identities' },
	readItems: readIdentities,
	request: (identities) => ({
		method: CLEVERTAP_APIS.demerge.method,
		path: CLEVERTAP_APIS.demerge.path,
		body: { identities },
	}),
	name: (identity) => `identity "${identity}"`,
	success: (identities) => ({ status: 'success', identities: [...identities] }),
	preview: (identities) => ({ identities: [...identities] }),
};

/** Demerges the identities of all items in batches of up to 100, up to 3 requests at a time. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runRecordOperation.call(this, demerge);
}
