import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { isoDay } from '../../helpers/reports';
import { CLEVERTAP_APIS } from '../../transport/apis';
import { rangeProperties, readRange } from '../common/query';
import { reportOptions, runReportOperation, type ReportOperation } from '../common/report';

const properties: INodeProperties[] = [
	...rangeProperties('the campaigns'),
	reportOptions('campaignList'),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Get Many',
	value: 'getMany',
	description:
		'Get the campaigns created through the API between two dates (CleverTap does not list those made in its dashboard)',
	action: 'Get many campaigns',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['campaign'], operation: ['getMany'] } },
	properties,
);

const getMany: ReportOperation<{ from: number; to: number }> = {
	api: 'campaignList',
	readItem: readRange,
	async report({ from, to }, ask) {
		const answer = await ask(
			{ method: 'POST', path: CLEVERTAP_APIS.campaignList.path, body: { from, to } },
			`The campaigns from ${isoDay(from)} to ${isoDay(to)}`,
		);
		const targets = Array.isArray(answer.targets) ? answer.targets : [];
		return targets
			.filter((target): target is IDataObject => target !== null && typeof target === 'object')
			.map(({ id, ...rest }) => ({ campaignId: (id ?? null) as IDataObject[string], ...rest }));
	},
};

/** Campaign → Get Many: one item per campaign. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runReportOperation.call(this, getMany);
}
