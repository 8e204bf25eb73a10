import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { isoDay } from '../../helpers/reports';
import { CLEVERTAP_APIS } from '../../transport/apis';
import {
	eventNameProperty,
	rangeProperties,
	readEventQuery,
	type EventQuery,
} from '../common/query';
import { reportOptions, runReportOperation, type ReportOperation } from '../common/report';

/** Count Events and Count Profiles: one count per item, the same query to two APIs. */
export function countOperation(
	api: 'eventCount' | 'profileCount',
	operation: string,
	counted: string,
): {
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
} {
	const description = updateDisplayOptions(
		{ show: { resource: ['report'], operation: [operation] } },
		[
			eventNameProperty(
				counted === 'events'
					? 'The event to count, exactly as CleverTap names it'
					: 'The event whose people to count, exactly as CleverTap names it',
			),
			...rangeProperties(),
			reportOptions(api, { polled: true }),
		],
	);
	const count: ReportOperation<EventQuery> = {
		api,
		readItem: readEventQuery,
		async report({ eventName, from, to }, ask) {
			const body = await ask(
				{
					method: 'POST',
					path: CLEVERTAP_APIS[api].path,
					body: { event_name: eventName, from, to },
				},
				`The count of ${counted} for "${eventName}"`,
			);
			return [
				{
					count: typeof body.count === 'number' ? body.count : null,
					eventName,
					from: isoDay(from),
					to: isoDay(to),
				},
			];
		},
	};
	async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runReportOperation.call(this, count);
	}
	return { description, execute };
}
