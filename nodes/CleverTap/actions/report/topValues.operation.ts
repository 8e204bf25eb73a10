import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { isoDay, topValueList } from '../../helpers/reports';
import { CLEVERTAP_APIS } from '../../transport/apis';
import {
	eventNameProperty,
	invalidInput,
	rangeProperties,
	readEventQuery,
	type EventQuery,
} from '../common/query';
import { reportOptions, runReportOperation, type ReportOperation } from '../common/report';

/** The property types of the node, and CleverTap's name for each. */
const PROPERTY_TYPES = {
	eventProperty: { name: 'Event Property', cleverTap: 'event_properties' },
	profileField: { name: 'Profile Field', cleverTap: 'profile_fields' },
	sessionProperty: { name: 'Session Property', cleverTap: 'session_properties' },
	appField: { name: 'App Field', cleverTap: 'app_fields' },
	demographic: { name: 'Demographic', cleverTap: 'demographics' },
	technographic: { name: 'Technographic', cleverTap: 'technographics' },
	reachability: { name: 'Reachability', cleverTap: 'reachability' },
	geoField: { name: 'Geographic Field', cleverTap: 'geo_fields' },
} as const;
type PropertyType = keyof typeof PROPERTY_TYPES;
const MAX_TOP_N = 100;

const properties: INodeProperties[] = [
	eventNameProperty('The event whose people or properties to rank, exactly as CleverTap names it'),
	...rangeProperties(),
	{
		displayName: 'Property Type',
		name: 'propertyType',
		type: 'options',
		options: Object.entries(PROPERTY_TYPES)
			.map(([value, { name }]) => ({ name, value }))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: 'eventProperty',
		description: 'Where the property lives: on the event, on the profile, on the session, …',
	},
	{
		displayName: 'Property Name',
		name: 'propertyName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Category',
		description: 'The property whose most frequent values to get, exactly as CleverTap names it',
	},
	{
		displayName: 'Top N',
		name: 'topN',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_TOP_N },
		default: 10,
		description: 'How many of the most frequent values to get, from 1 to 100',
	},
	reportOptions('topValues', { polled: true }),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Get Top Values',
	value: 'topValues',
	description: "Get an event's most frequent values of a property, with how often each came",
	action: 'Get top property values',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['report'], operation: ['topValues'] } },
	properties,
);

interface TopQuery extends EventQuery {
	propertyType: PropertyType;
	propertyName: string;
	topN: number;
}

const topValues: ReportOperation<TopQuery> = {
	api: 'topValues',
	readItem(itemIndex) {
		const query = readEventQuery.call(this, itemIndex);
		if (query instanceof NodeOperationError) return query;
		const invalid = (message: string, hint: string) =>
			invalidInput.call(this, itemIndex, message, hint);
		const propertyType = String(this.getNodeParameter('propertyType', itemIndex, 'eventProperty'));
		if (!(propertyType in PROPERTY_TYPES)) {
			return invalid(
				`Property Type "${propertyType}" is not one CleverTap knows`,
				`Use one of ${Object.keys(PROPERTY_TYPES).join(', ')}.`,
			);
		}
		const propertyName = String(this.getNodeParameter('propertyName', itemIndex, '') ?? '').trim();
		if (propertyName === '') {
			return invalid(
				'The property name is empty',
				'Enter the property exactly as CleverTap names it, such as Category.',
			);
		}
		const rawTopN = this.getNodeParameter('topN', itemIndex, 10);
		const topN = Number(rawTopN);
		if (!Number.isInteger(topN) || topN < 1 || topN > MAX_TOP_N) {
			return invalid(
				`Top N is ${JSON.stringify(rawTopN)}; CleverTap gives from 1 to ${MAX_TOP_N} values`,
				'Enter a whole number from 1 to 100.',
			);
		}
		return { ...query, propertyType: propertyType as PropertyType, propertyName, topN };
	},
	async report(query, ask) {
		const { eventName, from, to, propertyType, propertyName, topN } = query;
		const body = await ask(
			{
				method: 'POST',
				path: CLEVERTAP_APIS.topValues.path,
				body: {
					event_name: eventName,
					from,
					to,
					// The answer comes keyed by this label.
					groups: {
						top: {
							property_type: PROPERTY_TYPES[propertyType].cleverTap,
							name: propertyName,
							top_n: topN,
							order: 'desc',
						},
					},
				},
			},
			`The top values of "${propertyName}" for "${eventName}" from ${isoDay(from)} to ${isoDay(to)}`,
		);
		return topValueList(body.top).slice(0, topN);
	},
};

/** Get Top Values: one item per value, most frequent first. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runReportOperation.call(this, topValues);
}
