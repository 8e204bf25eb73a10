import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { CLEVERTAP_APIS } from '../../transport/apis';
import {
	channelProperty,
	CHANNELS,
	contentProperties,
	readContent,
	type Channel,
} from '../common/content';
import { runOptions } from '../common/options';
import { runRecordOperation, type ItemRecords, type RecordOperation } from '../common/pipeline';
import { readIdentifiers } from '../common/readParameters';
import {
	identifierProperties,
	NOUNS,
	readIdentifierType,
	recipientsOf,
	type IdentifierType,
} from './recipients';

/** CleverTap's keys of `to` here: capitalised, unlike External Trigger's. */
const TO_KEYS: Record<IdentifierType, string> = {
	identity: 'Identity',
	email: 'Email',
	objectId: 'objectId',
};

const properties: INodeProperties[] = [
	channelProperty,
	...identifierProperties('to send the message to'),
	...contentProperties,
	runOptions('send', {
		records: 'people',
		batchSizeDescription:
			'How many people one request sends to. CleverTap takes at most 1,000; items whose message is the same share a request, others go in requests of their own.',
		extra: [
			{
				displayName: 'Provider Nickname',
				name: 'providerNickname',
				type: 'string',
				default: '',
				description:
					'For email and SMS, the provider to send through, as named in CleverTap; needed when the account has more than one',
			},
			{
				displayName: 'Respect Frequency Caps',
				name: 'respectFrequencyCaps',
				type: 'boolean',
				default: true,
				description:
					"Whether CleverTap holds the message back from people who already got as many messages as the account's caps allow",
			},
		],
	}),
];

/** Its entry in the Operation list; the action is also what an AI agent reads about it. */
export const option = {
	name: 'Send to Users',
	value: 'send',
	description: 'Send a push, email, SMS or web push to the people of the items (cannot be undone)',
	action: 'Send a message to people (reaches real people; cannot be undone)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['send'] } },
	properties,
);

interface Recipient {
	/** The message: the same for every recipient that may share a request. */
	message: string;
	identifier: string;
	content: IDataObject;
}

/** Send to Users: items batched to 1,000 people a request, never sent twice behind the user's back. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const channel = String(this.getNodeParameter('channel', 0, 'push')) as Channel;
	if (!(channel in CHANNELS)) {
		throw new NodeOperationError(
			this.getNode(),
			`The channel "${channel}" is not one CleverTap knows`,
			{
				itemIndex: 0,
				description: 'Choose Push, Email, SMS or Web Push.',
			},
		);
	}
	const identifierType = readIdentifierType.call(this);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const providerNickname = String(options.providerNickname ?? '').trim();
	const { noun } = CHANNELS[channel];
	const path = `${CLEVERTAP_APIS.send.path}/${CHANNELS[channel].cleverTap}.json`;
	const send: RecordOperation<Recipient> = {
		api: 'send',
		words: { done: 'sent', one: 'person', many: 'people' },
		atMostOnce: true,
		readItems: (items): Array<ItemRecords<Recipient>> => {
			const identifiers = readIdentifiers.call(this, items, 'identifier', NOUNS[identifierType]);
			const recipients = recipientsOf<Recipient>();
			return items.map((_item, itemIndex) => {
				const identifier = identifiers[itemIndex];
				if (!identifier.ok) return identifier;
				const read = readContent.call(this, itemIndex, channel);
				if (read instanceof NodeOperationError) return { ok: false, error: read };
				return {
					ok: true,
					records: [
						recipients(JSON.stringify(read.content), identifier.value, { content: read.content }),
					],
				};
			});
		},
		group: (recipient) => recipient.message,
		path: () => path,
		request: (recipients) => ({
			method: 'POST',
			path,
			body: {
				to: { [TO_KEYS[identifierType]]: recipients.map((recipient) => recipient.identifier) },
				content: recipients[0].content,
				respect_frequency_caps: options.respectFrequencyCaps !== false,
				...(providerNickname ? { provider_nick_name: providerNickname } : {}),
			},
		}),
		name: (recipient) => `the ${noun} to ${NOUNS[identifierType]} "${recipient.identifier}"`,
		// CleverTap queues the message; it says nothing about delivery.
		success: ([recipient]) => ({
			status: 'queued',
			channel,
			identifierType,
			identifier: recipient.identifier,
		}),
		preview: ([recipient]) => ({
			channel,
			to: { [TO_KEYS[identifierType]]: [recipient.identifier] },
			content: recipient.content,
		}),
	};
	return await runRecordOperation.call(this, send);
}
