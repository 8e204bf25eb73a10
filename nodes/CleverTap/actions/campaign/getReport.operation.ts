import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { parseBody } from '../../transport';
import { CLEVERTAP_APIS } from '../../transport/apis';
import { reportOptions, runReportOperation, type ReportOperation } from '../common/report';
import { campaignIdProperty, readCampaignId } from './campaignId';

const properties: INodeProperties[] = [campaignIdProperty, reportOptions('campaignReport')];

/** Its entry in the Operation list. */
export const option = {
	name: 'Get Report',
	value: 'getReport',
	description: 'Get how many people a completed campaign reached and how many clicked',
	action: 'Get a campaign report',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['campaign'], operation: ['getReport'] } },
	properties,
);

/** CleverTap's words for a campaign that has not finished sending yet. */
const NOT_COMPLETED = /has(?:n't| not) been completed|not completed/i;

const getReport: ReportOperation<{ id: number }> = {
	api: 'campaignReport',
	readItem: readCampaignId,
	async report({ id }, ask) {
		const answer = await ask(
			{ method: 'POST', path: CLEVERTAP_APIS.campaignReport.path, body: { id } },
			`The report of campaign ${id}`,
			(response) => {
				// A campaign still sending is an answer, not a failure.
				const body = parseBody(response.body);
				return response.statusCode < 300 &&
					body?.status === 'fail' &&
					NOT_COMPLETED.test(String(body.error ?? ''))
					? {
							ok: true,
							status: response.statusCode,
							records: [{ ok: true, data: { body: { completed: false } } }],
						}
					: undefined;
			},
		);
		if (answer.completed === false) return [{ campaignId: id, completed: false }];
		const result = (answer.result ?? {}) as IDataObject;
		return [{ campaignId: id, completed: true, ...result }];
	},
};

/** Campaign → Get Report: one item per campaign. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runReportOperation.call(this, getReport);
}
