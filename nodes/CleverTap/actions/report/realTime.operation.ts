import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { CLEVERTAP_APIS } from '../../transport/apis';
import { reportOptions, runReportOperation, type ReportOperation } from '../common/report';

/** The breakdowns CleverTap offers: the option's name, CleverTap's flag and output field. */
const BREAKDOWNS = [
	{
		name: 'userType',
		displayName: 'By User Type',
		cleverTap: 'user_type',
		what: 'new, repeat, addressable and paying people',
	},
	{
		name: 'sessionSource',
		displayName: 'By Session Source',
		cleverTap: 'session_source',
		what: 'where sessions came from (direct, search, social, email, …)',
	},
	{
		name: 'browser',
		displayName: 'By Browser',
		cleverTap: 'browser',
		what: 'browsers, the mobile app counted as one',
	},
	{ name: 'os', displayName: 'By OS', cleverTap: 'os', what: 'operating systems' },
	{
		name: 'device',
		displayName: 'By Device',
		cleverTap: 'device',
		what: 'desktop, mobile and tablet',
	},
	{
		name: 'newUsers',
		displayName: 'By New People',
		cleverTap: 'new',
		what: 'session source, browser, OS and device, for the new people among them',
	},
] as const;

const properties: INodeProperties[] = [
	reportOptions('realTime', {
		extra: BREAKDOWNS.map(({ name, displayName, what }) => ({
			displayName,
			name,
			type: 'boolean' as const,
			default: false,
			description: `Whether to also count the people active now by ${what}`,
		})),
	}),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Get Real-Time Count',
	value: 'realTime',
	description: 'Count the people active in the last 5 minutes',
	action: 'Get real time count',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['report'], operation: ['realTime'] } },
	properties,
);

const realTime: ReportOperation<Record<string, boolean>> = {
	api: 'realTime',
	readItem(itemIndex) {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		return Object.fromEntries(
			BREAKDOWNS.filter(({ name }) => options[name] === true).map(({ cleverTap }) => [
				cleverTap,
				true,
			]),
		);
	},
	async report(flags, ask) {
		const body = await ask(
			{ method: 'POST', path: CLEVERTAP_APIS.realTime.path, body: flags },
			'The real-time count',
		);
		const lastProcessed = Number(body.last_processed_ts);
		const result: IDataObject = {
			count: typeof body.count === 'number' ? body.count : null,
			// Epoch seconds.
			lastProcessed:
				Number.isFinite(lastProcessed) && lastProcessed > 0
					? new Date(lastProcessed * 1000).toISOString()
					: null,
		};
		for (const { name, cleverTap } of BREAKDOWNS) {
			if (body[cleverTap] !== undefined) result[name] = body[cleverTap] as IDataObject;
		}
		return [result];
	},
};

/** Get Real-Time Count: one item per input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runReportOperation.call(this, realTime);
}
