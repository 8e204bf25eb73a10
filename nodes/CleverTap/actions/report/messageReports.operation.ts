import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { dateSlices, isoDay, messageStart } from '../../helpers/reports';
import { CLEVERTAP_APIS } from '../../transport/apis';
import { invalidInput, rangeProperties, readRange } from '../common/query';
import { reportOptions, runReportOperation, type ReportOperation } from '../common/report';

/**
 * CleverTap takes about 26 s for 30 days and 109 s for 90: a range goes in slices of this many
 * days, each answered well within the default timeout.
 */
export const SLICE_DAYS = 14;

const FILTERS = {
	channel: {
		displayName: 'Channels',
		what: 'channels',
		values: {
			push: 'Push',
			email: 'Email',
			sms: 'SMS',
			whatsapp: 'WhatsApp',
			browser: 'Web Push',
			inapp: 'In-App',
			webhooks: 'Webhooks',
			audiences: 'Audiences',
			web_pop_up: 'Web Pop-Up',
			web_exit_intent: 'Web Exit Intent',
			web_native_display: 'Web Native Display',
			web_inbox: 'Web Inbox',
		},
	},
	delivery: {
		displayName: 'Delivery',
		what: 'ways of delivery',
		values: {
			one_time: 'One Time',
			recurring: 'Recurring',
			inaction: 'On Inaction',
			action: 'On Action',
			property_time: 'On a Date Property',
			api: 'Through the API',
		},
	},
	status: {
		displayName: 'Status',
		what: 'states',
		values: {
			scheduled: 'Scheduled',
			running: 'Running',
			stopped: 'Stopped',
			completed: 'Completed',
		},
	},
} as const;
type Filter = keyof typeof FILTERS;

const properties: INodeProperties[] = [
	...rangeProperties('the messages (the day they started)'),
	reportOptions('messageReport', {
		extra: (Object.entries(FILTERS) as Array<[Filter, (typeof FILTERS)[Filter]]>).map(
			([name, { displayName, what, values }]) => ({
				displayName,
				name,
				type: 'multiOptions' as const,
				options: Object.entries(values)
					.map(([value, label]) => ({ name: label, value }))
					.sort((a, b) => a.name.localeCompare(b.name)),
				default: [],
				description: `Only the messages of these ${what}; none chosen means all`,
			}),
		),
	}),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Get Message Reports',
	value: 'messageReports',
	description:
		'Get the messages sent between two dates, with how many were sent, viewed and clicked',
	action: 'Get message reports',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['report'], operation: ['messageReports'] } },
	properties,
);

interface MessageQuery {
	from: number;
	to: number;
	filters: Partial<Record<Filter, string[]>>;
}

/** A message as an output item: its ID and start first, then what CleverTap sent. */
function messageItem(message: Record<string, unknown>): IDataObject {
	const { 'message id': messageId, ...rest } = message;
	return {
		messageId: (messageId ?? null) as IDataObject[string],
		startTime: messageStart(message.start_date) ?? null,
		...(rest as IDataObject),
	};
}

const messageReports: ReportOperation<MessageQuery> = {
	api: 'messageReport',
	readItem(itemIndex) {
		const range = readRange.call(this, itemIndex);
		if (range instanceof NodeOperationError) return range;
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const filters: MessageQuery['filters'] = {};
		for (const name of Object.keys(FILTERS) as Filter[]) {
			const raw = options[name];
			if (raw === undefined) continue;
			const chosen = (Array.isArray(raw) ? raw : String(raw).split(',')).map((value) =>
				String(value).trim(),
			);
			const known = Object.keys(FILTERS[name].values);
			const unknown = chosen.find((value) => !known.includes(value));
			if (unknown !== undefined) {
				return invalidInput.call(
					this,
					itemIndex,
					`${FILTERS[name].displayName} "${unknown}" is not one CleverTap knows`,
					`Use ${known.join(', ')}.`,
				);
			}
			if (chosen.length > 0) filters[name] = chosen;
		}
		return { ...range, filters };
	},
	async report({ from, to, filters }, ask) {
		const slices = dateSlices(from, to, SLICE_DAYS);
		// The slices go out together (within the limit); CleverTap matches a message by its start
		// day, so each message is in one slice, and the slices are merged in order.
		const answers = await Promise.all(
			slices.map(
				async (slice) =>
					await ask(
						{
							method: 'POST',
							path: CLEVERTAP_APIS.messageReport.path,
							body: { from: String(slice.from), to: String(slice.to), ...filters },
						},
						`The message report from ${isoDay(slice.from)} to ${isoDay(slice.to)}`,
					),
			),
		);
		const seen = new Set<unknown>();
		const output: IDataObject[] = [];
		for (const body of answers) {
			const messages = Array.isArray(body.messages) ? body.messages : [];
			for (const message of messages) {
				if (message === null || typeof message !== 'object') continue;
				const id = (message as Record<string, unknown>)['message id'];
				if (id !== undefined && seen.has(id)) continue;
				seen.add(id);
				output.push(messageItem(message as Record<string, unknown>));
			}
		}
		return output;
	},
};

/** Get Message Reports: one item per message. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runReportOperation.call(this, messageReports);
}
