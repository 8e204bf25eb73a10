import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { CLEVERTAP_APIS } from '../../transport/apis';
import { runOptions } from '../common/options';
import { runRecordOperation, type ItemRecords, type RecordOperation } from '../common/pipeline';
import { readIdentifiers, valueReader } from '../common/readParameters';
import { propertiesReader } from '../common/upload';
import {
	identifierProperties,
	NOUNS,
	readIdentifierType,
	recipientsOf,
	type IdentifierType,
} from './recipients';

const properties: INodeProperties[] = [
	{
		displayName: 'Campaign ID',
		name: 'campaignId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1695721550',
		description:
			'The ID of a published CleverTap campaign whose qualification is "External Trigger" (shown in the campaign\'s details)',
	},
	...identifierProperties('to reach'),
	{
		displayName: 'Data',
		name: 'dataMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Define Below', value: 'fields' },
			{ name: 'JSON', value: 'json' },
		],
		default: 'fields',
		description:
			"The values the campaign's message shows, such as {{ExternalTrigger.orderId}}, listed one by one or as one JSON object",
	},
	{
		displayName: 'Properties',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add property',
		default: {},
		displayOptions: { show: { dataMode: ['fields'] } },
		options: [
			{
				displayName: 'Property',
				name: 'custom',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. orderId',
						description: 'The name the message uses, as in {{ExternalTrigger.orderId}}',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Text; a number or true/false is sent as text',
					},
				],
			},
		],
	},
	{
		displayName: 'JSON',
		name: 'json',
		type: 'json',
		default: '{}',
		displayOptions: { show: { dataMode: ['json'] } },
		description: 'The values as one JSON object of names and texts',
	},
	runOptions('externalTrigger', {
		records: 'people',
		batchSizeDescription:
			'How many people one request reaches. Items with the same data share a request, up to this many; CleverTap takes at most 1,000.',
	}),
];

/** Its entry in the Operation list; the action is also what an AI agent reads about it. */
export const option = {
	name: 'Trigger Campaign',
	value: 'triggerCampaign',
	description:
		'Start an External Trigger campaign for the people of the items, with their data (cannot be undone)',
	action: 'Trigger a campaign for people (reaches real people; cannot be undone)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['triggerCampaign'] } },
	properties,
);

interface Recipient {
	message: string;
	identifier: string;
	campaignId: string;
	data: Record<string, string>;
}

/**
 * An item's data as CleverTap takes it: every value text. A number or true/false becomes text; a
 * list or an object cannot, and fails the item. Empty values are left out.
 */
export function triggerData(
	properties: Record<string, unknown>,
): { ok: true; data: Record<string, string> } | { ok: false; reason: string } {
	const data: Record<string, string> = {};
	for (const [name, value] of Object.entries(properties)) {
		if (name.trim() === '') {
			if (value === undefined || value === null || value === '') continue;
			return { ok: false, reason: 'A property has a value but no name' };
		}
		if (value === undefined || value === null || value === '') continue;
		if (typeof value === 'string') data[name] = value;
		else if (typeof value === 'number' || typeof value === 'boolean') data[name] = String(value);
		else {
			return {
				ok: false,
				reason: `The value of "${name}" is ${Array.isArray(value) ? 'a list' : 'an object'}; CleverTap takes only text in a campaign's data`,
			};
		}
	}
	return { ok: true, data };
}

/** Trigger Campaign: External Trigger, items with the same data sharing a request, never twice. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const identifierType: IdentifierType = readIdentifierType.call(this);
	const trigger: RecordOperation<Recipient> = {
		api: 'externalTrigger',
		words: { done: 'sent', one: 'person', many: 'people' },
		atMostOnce: true,
		readItems: (items): Array<ItemRecords<Recipient>> => {
			const saved = this.getNode().parameters;
			const readCampaign = valueReader.call(this, saved.campaignId, 'campaignId');
			const readProperties = propertiesReader.call(
				this,
				String(this.getNodeParameter('dataMode', 0, 'fields')),
				saved,
			);
			const identifiers = readIdentifiers.call(this, items, 'identifier', NOUNS[identifierType]);
			const recipients = recipientsOf<Recipient>();
			return items.map((item, itemIndex) => {
				const fail = (message: string, hint: string) => ({
					ok: false as const,
					error: new NodeOperationError(this.getNode(), message, { itemIndex, description: hint }),
				});
				const identifier = identifiers[itemIndex];
				if (!identifier.ok) return identifier;
				const campaignId = String(readCampaign(item, itemIndex) ?? '').trim();
				if (!/^\d+$/.test(campaignId)) {
					return fail(
						campaignId === ''
							? 'The Campaign ID is empty'
							: `The Campaign ID "${campaignId}" is not a number`,
						"Copy the ID from the campaign's details in CleverTap: a number such as 1695721550.",
					);
				}
				const properties = readProperties(item, itemIndex);
				if (typeof properties === 'string') {
					return fail(properties, 'Give the data as an object of names and texts.');
				}
				const data = triggerData(properties);
				if (!data.ok) {
					return fail(
						data.reason,
						'Turn the value into text first (for example with an expression), or leave it out.',
					);
				}
				const message = JSON.stringify([campaignId, data.data]);
				return {
					ok: true,
					records: [recipients(message, identifier.value, { campaignId, data: data.data })],
				};
			});
		},
		group: (recipient) => recipient.message,
		request: (recipients) => ({
			method: 'POST',
			path: CLEVERTAP_APIS.externalTrigger.path,
			body: {
				// Lowercase here, unlike Send to Users.
				to: { [identifierType]: recipients.map((recipient) => recipient.identifier) },
				campaign_id: recipients[0].campaignId,
				ExternalTrigger: recipients[0].data,
			},
		}),
		name: (recipient) =>
			`the campaign message to ${NOUNS[identifierType]} "${recipient.identifier}"`,
		success: ([recipient]) => ({
			status: 'queued',
			campaignId: recipient.campaignId,
			identifierType,
			identifier: recipient.identifier,
		}),
		preview: ([recipient]) => ({
			campaignId: recipient.campaignId,
			to: { [identifierType]: [recipient.identifier] },
			data: recipient.data,
		}),
	};
	return await runRecordOperation.call(this, trigger);
}
