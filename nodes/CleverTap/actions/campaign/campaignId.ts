import type { IExecuteFunctions, INodeProperties, NodeOperationError } from 'n8n-workflow';

import { campaignIdNumber } from '../../helpers/campaigns';
import { invalidInput } from '../common/query';

/** The Campaign ID parameter. */
export const campaignIdProperty: INodeProperties = {
	displayName: 'Campaign ID',
	name: 'campaignId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1457433898',
	description: 'The ID CleverTap gave the campaign, such as the campaignId of Create or Get Many',
};

/** The item's campaign ID as a number, or what is wrong with it. */
export function readCampaignId(
	this: IExecuteFunctions,
	itemIndex: number,
): { id: number } | NodeOperationError {
	const raw = this.getNodeParameter('campaignId', itemIndex, '');
	const id = campaignIdNumber(raw);
	if (id !== undefined) return { id };
	return invalidInput.call(
		this,
		itemIndex,
		String(raw ?? '').trim() === ''
			? 'The Campaign ID is empty'
			: `The Campaign ID "${String(raw)}" is not a number`,
		'Use the campaignId of Campaign → Create or Get Many, or copy the ID from CleverTap.',
	);
}
