import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { IDENTITY_NOUNS } from '../../helpers/identities';
import { CLEVERTAP_APIS } from '../../transport/apis';
import { identitiesParameter, readIdentities } from '../common/readParameters';
import { IDENTITIES_BATCH_SIZE_DESCRIPTION, runOptions } from '../common/options';
import { runRecordOperation, type RecordOperation } from '../common/pipeline';

const properties: INodeProperties[] = [
	{
		displayName:
			'Delete cannot be undone: the profiles and their history are removed from CleverTap. CleverTap takes the request at once and removes them within about 48 hours. Turn on Dry Run under Options to see what would be sent first.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Delete By',
		name: 'identifierType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'CleverTap ID', value: 'guid' },
			{ name: 'Identity', value: 'identity' },
		],
		default: 'identity',
		description:
			'Whether the values below are identities (email, phone number or customer ID) or CleverTap IDs',
	},
	{
		...identitiesParameter('to delete'),
		description:
			'For each item, the identity or CleverTap ID of the profile to delete, or a list of them. Usually a field of the item: drag it here from the input.',
	},
	runOptions('delete', {
		records: 'identities',
		batchSizeDescription: IDENTITIES_BATCH_SIZE_DESCRIPTION,
	}),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete user profiles for good (cannot be undone)',
	action: 'Delete user profiles (cannot be undone)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['profile'], operation: ['delete'] } },
	properties,
);

/** Delete: identities (or CleverTap IDs) from every item, 100 a request, 3 requests at a time. */
export function deletion(identifierType: 'identity' | 'guid'): RecordOperation<string> {
	const nouns =
		identifierType === 'guid' ? { one: 'CleverTap ID', many: 'CleverTap IDs' } : IDENTITY_NOUNS;
	return {
		api: 'delete',
		words: { done: 'deleted', ...nouns },
		readItems(items) {
			return readIdentities.call(this, items, nouns);
		},
		// Never both keys: CleverTap takes one kind of identifier per request.
		request: (identities) => ({
			method: CLEVERTAP_APIS.delete.method,
			path: CLEVERTAP_APIS.delete.path,
			body: { [identifierType]: identities },
		}),
		name: (identity) => `${nouns.one} "${identity}"`,
		success: (identities) => ({ status: 'success', identities: [...identities] }),
		preview: (identities) => ({ identifierType, identities: [...identities] }),
	};
}

/** Deletes the profiles of all items in batches of up to 100, up to 3 requests at a time. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const identifierType = this.getNodeParameter('identifierType', 0, 'identity');
	return await runRecordOperation.call(
		this,
		deletion(identifierType === 'guid' ? 'guid' : 'identity'),
	);
}
