import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { judgeResponse } from '../../transport';
import { CLEVERTAP_APIS } from '../../transport/apis';
import { reportOptions, runReportOperation, type ReportOperation } from '../common/report';
import { campaignIdProperty, readCampaignId } from './campaignId';

const properties: INodeProperties[] = [campaignIdProperty, reportOptions('campaignStop')];

/** Its entry in the Operation list. */
export const option = {
	name: 'Stop',
	value: 'stop',
	description: 'Stop a scheduled or running campaign (cannot be undone)',
	action: 'Stop a campaign (cannot be undone)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['campaign'], operation: ['stop'] } },
	properties,
);

const stop: ReportOperation<{ id: number }> = {
	api: 'campaignStop',
	readItem: readCampaignId,
	async report({ id }, ask) {
		await ask(
			{ method: 'POST', path: CLEVERTAP_APIS.campaignStop.path, body: { id } },
			`Stopping campaign ${id}`,
			// CleverTap's answer is `{"status":"success"}` and nothing else.
			(response) => {
				const outcome = judgeResponse(response);
				return outcome.ok ? { ...outcome, records: [{ ok: true, data: { body: {} } }] } : undefined;
			},
		);
		return [{ campaignId: id, stopped: true }];
	},
};

/** Campaign → Stop: one item per campaign. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runReportOperation.call(this, stop);
}
