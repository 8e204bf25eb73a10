import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { sendAtText } from '../../helpers/campaigns';
import { CLEVERTAP_APIS } from '../../transport/apis';
import {
	channelProperty,
	CHANNELS,
	contentProperties,
	readContent,
	type Channel,
} from '../common/content';
import { eventNameProperty, invalidInput, rangeProperties, readEventQuery } from '../common/query';
import { reportOptions, runReportOperation, type ReportOperation } from '../common/report';

const eventQuery = { show: { audience: ['eventQuery'] } };
const OPERATORS = ['equals', 'not_equals', 'contains', 'greater_than', 'less_than'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Campaign Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Winter sale reminder',
		description: 'The name the campaign gets in CleverTap',
	},
	channelProperty,
	{
		displayName: 'Audience',
		name: 'audience',
		type: 'options',
		options: [
			{
				name: 'People Who Did an Event',
				value: 'eventQuery',
				description: 'Everyone who did an event between two dates',
			},
			{ name: 'Saved Segment', value: 'segment', description: 'A segment saved in CleverTap' },
		],
		default: 'eventQuery',
		description: 'Who the campaign reaches',
	},
	{
		displayName: 'Segment ID',
		name: 'segmentId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1581498000',
		displayOptions: { show: { audience: ['segment'] } },
		description: "The ID of a segment saved in CleverTap (in the segment's details)",
	},
	{ ...eventNameProperty('The event the people must have done'), displayOptions: eventQuery },
	...rangeProperties().map((property) => ({ ...property, displayOptions: eventQuery })),
	{
		displayName: 'Event Property Filters',
		name: 'eventProperties',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add filter',
		default: {},
		displayOptions: eventQuery,
		description: 'Only the people whose event had these property values',
		options: [
			{
				displayName: 'Filter',
				name: 'filter',
				values: [
					{
						displayName: 'Property',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. Category',
						description: 'The event property, exactly as CleverTap names it',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: OPERATORS.map((value) => ({
							name: value.replace('_', ' ').replace(/^./, (c) => c.toUpperCase()),
							value,
						})),
						default: 'equals',
						description: 'How the property is compared with the value',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'The value to compare with',
					},
				],
			},
		],
	},
	...contentProperties,
	{
		displayName: 'When',
		name: 'when',
		type: 'options',
		options: [
			{ name: 'Now', value: 'now' },
			{ name: 'Later', value: 'later' },
		],
		default: 'now',
		description: 'Whether the campaign goes out at once or at a set time',
	},
	{
		displayName: 'Send At',
		name: 'sendAt',
		type: 'dateTime',
		required: true,
		default: '',
		displayOptions: { show: { when: ['later'] } },
		description: 'When the campaign goes out, in the time zone of your CleverTap account',
	},
	reportOptions('campaignCreate', {
		extra: [
			{
				displayName: 'Estimate Only',
				name: 'estimateOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to only ask CleverTap how many people the campaign would reach, per platform, without creating it',
			},
			{
				displayName: 'Labels',
				name: 'labels',
				type: 'string',
				default: '',
				placeholder: 'e.g. winter, reminders',
				description: 'Labels for the campaign in CleverTap, separated by commas',
			},
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
					"Whether CleverTap holds the campaign back from people who already got as many messages as the account's caps allow",
			},
		],
	}),
];

/** Its entry in the Operation list; the action is also what an AI agent reads about it. */
export const option = {
	name: 'Create',
	value: 'create',
	description:
		'Create a campaign that reaches people at once or later, or only estimate how many it would reach',
	action: 'Create a campaign (reaches real people unless Estimate Only is on)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['campaign'], operation: ['create'] } },
	properties,
);

const create: ReportOperation<{ body: IDataObject; name: string; estimateOnly: boolean }> = {
	api: 'campaignCreate',
	atMostOnce: { done: 'created' },
	readItem(itemIndex) {
		const invalid = (message: string, hint: string) =>
			invalidInput.call(this, itemIndex, message, hint);
		const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const name = text('name');
		if (name === '') return invalid('The campaign name is empty', 'Enter a name for the campaign.');
		const channel = String(this.getNodeParameter('channel', itemIndex, 'push')) as Channel;
		if (!(channel in CHANNELS)) {
			return invalid(
				`The channel "${channel}" is not one CleverTap knows`,
				'Choose Push, Email, SMS or Web Push.',
			);
		}
		const body: IDataObject = { name, target_mode: CHANNELS[channel].cleverTap };

		// One audience only: CleverTap refuses a saved segment and an event query together.
		if (this.getNodeParameter('audience', itemIndex, 'eventQuery') === 'segment') {
			const segment = text('segmentId');
			if (!/^\d+$/.test(segment)) {
				return invalid(
					segment === ''
						? 'The Segment ID is empty'
						: `The Segment ID "${segment}" is not a number`,
					"Copy the ID from the segment's details in CleverTap.",
				);
			}
			body.segment = Number(segment);
		} else {
			const query = readEventQuery.call(this, itemIndex);
			if (query instanceof NodeOperationError) return query;
			const filters = ((this.getNodeParameter('eventProperties', itemIndex, {}) as IDataObject)
				.filter ?? []) as Array<{ name?: unknown; operator?: unknown; value?: unknown }>;
			const eventProperties = [];
			for (const filter of filters) {
				const property = String(filter.name ?? '').trim();
				if (property === '')
					return invalid(
						'An event property filter has no property',
						'Enter the property, or remove the filter.',
					);
				if (!(OPERATORS as readonly string[]).includes(String(filter.operator))) {
					return invalid(
						`The operator "${String(filter.operator)}" is not one CleverTap knows`,
						`Use one of ${OPERATORS.join(', ')}.`,
					);
				}
				eventProperties.push({
					name: property,
					operator: filter.operator,
					value: filter.value ?? '',
				});
			}
			body.where = {
				event_name: query.eventName,
				from: query.from,
				to: query.to,
				...(eventProperties.length ? { event_properties: eventProperties } : {}),
			};
		}

		const content = readContent.call(this, itemIndex, channel);
		if (content instanceof NodeOperationError) return content;
		body.content = content.content;
		if (content.devices) body.devices = content.devices;

		if (this.getNodeParameter('when', itemIndex, 'now') === 'later') {
			const raw = this.getNodeParameter('sendAt', itemIndex, '');
			const when = sendAtText(raw);
			if (when === undefined) {
				return invalid(
					`Send At is not a date and time (${JSON.stringify(raw)})`,
					'Pick a date and time, or give one as 2026-12-24T09:30.',
				);
			}
			body.when = when;
		} else {
			body.when = 'now';
		}
		const estimateOnly = options.estimateOnly === true;
		body.respect_frequency_caps = options.respectFrequencyCaps !== false;
		if (estimateOnly) body.estimate_only = true;
		const provider = String(options.providerNickname ?? '').trim();
		if (provider) body.provider_nick_name = provider;
		const labels = String(options.labels ?? '')
			.split(',')
			.map((label) => label.trim())
			.filter(Boolean);
		if (labels.length) body.labels = labels;
		return { body, name, estimateOnly };
	},
	async report({ body, name, estimateOnly }, ask) {
		const answer = await ask(
			{ method: 'POST', path: CLEVERTAP_APIS.campaignCreate.path, body },
			estimateOnly ? `The estimate for campaign "${name}"` : `Campaign "${name}"`,
		);
		const estimates = (answer.estimates ?? null) as IDataObject | null;
		// CleverTap has been seen to give an ID with an estimate too; nothing was created then.
		return [
			estimateOnly
				? { estimateOnly: true, name, estimates }
				: {
						status: 'created',
						campaignId: (answer.id ?? null) as IDataObject[string],
						name,
						estimates,
					},
		];
	},
};

/** Campaign → Create: one campaign (or estimate) per input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runReportOperation.call(this, create);
}
