import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { eventTime } from '../../helpers/reports';
import { CLEVERTAP_APIS, minRecordsPerRequest } from '../../transport/apis';
import { runOptions } from '../common/options';
import { runPagedOperation } from '../common/pager';
import {
	eventNameProperty,
	limitProperties,
	rangeProperties,
	readEventName,
	readLimit,
	readRange,
} from '../common/query';

const properties: INodeProperties[] = [
	eventNameProperty('The event to get, exactly as CleverTap names it'),
	...rangeProperties(),
	...limitProperties,
	runOptions('events', {
		records: 'events',
		omit: ['concurrency', 'dryRun', 'includeInputFields'],
		batchSizeDescription: `How many events CleverTap sends in one page, from ${minRecordsPerRequest('events')} to ${CLEVERTAP_APIS.events.maxRecordsPerRequest}. CleverTap fills pages in steps of 23, so a page can hold fewer; the node never returns more than Limit.`,
		extra: [
			{
				displayName: 'Include App Fields',
				name: 'includeAppFields',
				type: 'boolean',
				default: false,
				description:
					"Whether each event's profile also carries the device's OS version, make, model and app version",
			},
			{
				displayName: 'Include Event Summary',
				name: 'includeEventSummary',
				type: 'boolean',
				default: false,
				description:
					"Whether each event's profile also carries how often and when the person did each event. It makes each event about four times larger, and reading slower.",
			},
		],
	}),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Get Many',
	value: 'getMany',
	description: 'Get the events of one kind between two dates, with who did them',
	action: 'Get many events',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['event'], operation: ['getMany'] } },
	properties,
);

/** An event as CleverTap sends it: `ts`, `event_props`, `session_props`, `profile`. */
function eventItem(record: unknown, eventName: string): IDataObject | undefined {
	if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
	const event = record as Record<string, unknown>;
	const objectOrEmpty = (value: unknown) =>
		(value !== null && typeof value === 'object' ? value : {}) as IDataObject;
	return {
		ts: event.ts as IDataObject[string],
		time: eventTime(event.ts) ?? null,
		eventName,
		eventProperties: objectOrEmpty(event.event_props),
		sessionProperties: objectOrEmpty(event.session_props),
		profile: objectOrEmpty(event.profile),
	};
}

/** Event → Get Many: the events of one name between two dates, page by page. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	// CleverTap adds the event summary unless told not to; it is most of each record.
	const qs: Record<string, string> = {
		events: options.includeEventSummary === true ? 'true' : 'false',
		...(options.includeAppFields === true ? { app: 'true' } : {}),
	};
	return await runPagedOperation.call(this, {
		api: 'events',
		many: 'events',
		readQuery(itemIndex) {
			const name = readEventName.call(this, itemIndex);
			if (name instanceof NodeOperationError) return name;
			const range = readRange.call(this, itemIndex);
			if (range instanceof NodeOperationError) return range;
			return {
				name: `"${name}"`,
				limit: readLimit.call(this, itemIndex),
				qs,
				body: { event_name: name, from: range.from, to: range.to },
			};
		},
		toItem: (record, query) => eventItem(record, String(query.body.event_name)),
	});
}
