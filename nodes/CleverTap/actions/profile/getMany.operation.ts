import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { isProfileRecord, profileFields } from '../../helpers/profiles';
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
	eventNameProperty(
		'The event the profiles must have done, exactly as CleverTap names it. "Identity Error" finds the profiles CleverTap merged by mistake.',
		'e.g. Identity Error',
	),
	...rangeProperties(),
	...limitProperties,
	runOptions('profilesByEvent', {
		records: 'profiles',
		omit: ['concurrency', 'dryRun', 'includeInputFields'],
		batchSizeDescription: `How many profiles CleverTap sends in one page, from ${minRecordsPerRequest('profilesByEvent')} to ${CLEVERTAP_APIS.profilesByEvent.maxRecordsPerRequest}. CleverTap fills pages in steps of 23, so a page can hold fewer; the node never returns more than Limit.`,
	}),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Get Many by Event',
	value: 'getMany',
	description: 'Get the user profiles that did an event between two dates',
	action: 'Get user profiles by event',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['profile'], operation: ['getMany'] } },
	properties,
);

/** Get Many by Event: the profiles that did an event between two dates, page by page. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPagedOperation.call(this, {
		api: 'profilesByEvent',
		many: 'profiles',
		readQuery(itemIndex) {
			const eventName = readEventName.call(this, itemIndex, 'Identity Error');
			if (eventName instanceof NodeOperationError) return eventName;
			const range = readRange.call(this, itemIndex);
			if (range instanceof NodeOperationError) return range;
			return {
				name: `"${eventName}"`,
				limit: readLimit.call(this, itemIndex),
				body: { event_name: eventName, from: range.from, to: range.to },
			};
		},
		toItem: (record) => (isProfileRecord(record) ? profileFields(record) : undefined),
	});
}
