import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { isoDay, periodLabel, type Granularity } from '../../helpers/reports';
import { CLEVERTAP_APIS } from '../../transport/apis';
import {
	eventNameProperty,
	invalidInput,
	rangeProperties,
	readEventQuery,
	type EventQuery,
} from '../common/query';
import { reportOptions, runReportOperation, type ReportOperation } from '../common/report';

/** CleverTap's longest trend. */
const MAX_DAYS = 366;
const GRANULARITIES: Granularity[] = ['daily', 'weekly', 'monthly'];

const properties: INodeProperties[] = [
	eventNameProperty('The event to follow over time, exactly as CleverTap names it'),
	...rangeProperties(),
	{
		displayName: 'Granularity',
		name: 'granularity',
		type: 'options',
		options: [
			{ name: 'Daily', value: 'daily', description: 'One result per day, such as 2026-11-28' },
			{ name: 'Weekly', value: 'weekly', description: 'One result per week, such as 2026-W48' },
			{ name: 'Monthly', value: 'monthly', description: 'One result per month, such as 2026-11' },
		],
		default: 'daily',
		description: 'How long each period of the trend is',
	},
	{
		displayName: 'Count People',
		name: 'unique',
		type: 'boolean',
		default: false,
		description:
			'Whether to count the people who did the event in each period instead of how often it happened',
	},
	{
		displayName: 'Sum Property',
		name: 'sumProperty',
		type: 'string',
		default: '',
		placeholder: 'e.g. Amount',
		description:
			'A number property of the event to add up in each period instead of counting, such as Amount of Charged. Leave empty to count.',
	},
	reportOptions('trends', { polled: true }),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Get Trends',
	value: 'trends',
	description: 'Count an event per day, week or month between two dates',
	action: 'Get event trends',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['report'], operation: ['trends'] } },
	properties,
);

interface TrendQuery extends EventQuery {
	granularity: Granularity;
	unique: boolean;
	sumProperty: string;
}

const trends: ReportOperation<TrendQuery> = {
	api: 'trends',
	readItem(itemIndex) {
		const query = readEventQuery.call(this, itemIndex, { maxDays: MAX_DAYS, what: 'a trend' });
		if (query instanceof NodeOperationError) return query;
		const granularity = String(this.getNodeParameter('granularity', itemIndex, 'daily'));
		if (!GRANULARITIES.includes(granularity as Granularity)) {
			return invalidInput.call(
				this,
				itemIndex,
				`Granularity "${granularity}" is not one CleverTap knows`,
				'Choose Daily, Weekly or Monthly.',
			);
		}
		return {
			...query,
			granularity: granularity as Granularity,
			unique: this.getNodeParameter('unique', itemIndex, false) === true,
			sumProperty: String(this.getNodeParameter('sumProperty', itemIndex, '') ?? '').trim(),
		};
	},
	async report(query, ask) {
		const { eventName, from, to, granularity, unique, sumProperty } = query;
		const body = await ask(
			{
				method: 'POST',
				path: CLEVERTAP_APIS.trends.path,
				body: {
					event_name: eventName,
					from,
					to,
					unique,
					...(sumProperty !== '' ? { sum_event_prop: sumProperty } : {}),
					// The answer comes keyed by this label.
					groups: { [granularity]: { trend_type: granularity } },
				},
			},
			`The ${granularity} trend of "${eventName}" from ${isoDay(from)} to ${isoDay(to)}`,
		);
		const group = body[granularity];
		const values = group !== null && typeof group === 'object' ? Object.entries(group) : [];
		return values
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([key, value]) => ({ period: periodLabel(key, granularity), value }));
	},
};

/** Get Trends: one item per period. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runReportOperation.call(this, trends);
}
