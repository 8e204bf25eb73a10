import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { cursorForUrl } from '../../helpers/cursor';
import { cleverTapDate, isProfileRecord, profileFields } from '../../helpers/profiles';
import { judgeNotReady, judgeResponse, type FullResponse } from '../../transport';
import { CLEVERTAP_APIS, minRecordsPerRequest } from '../../transport/apis';
import type { Failure, SendOutcome } from '../../transport/batchRunner';
import { readBeforeStop, readFailed, withAdvice } from '../common/messages';
import { readRunSettings, runOptions } from '../common/options';
import {
	apiError,
	connect,
	hintForApi,
	inputItems,
	isConnection,
	sendWithRetries,
} from '../common/pipeline';

const DEFAULT_LIMIT = 50;

const properties: INodeProperties[] = [
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Identity Error',
		description:
			'The event the profiles must have done, exactly as CleverTap names it. "Identity Error" finds the profiles CleverTap merged by mistake.',
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'First day of the event, in the time zone of your CleverTap account',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Last day of the event (included), in the time zone of your CleverTap account',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
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

/** An answer that opens the query: the cursor of its first page. */
export function judgeQuery(response: FullResponse): SendOutcome {
	const notReady = judgeNotReady(response, 'the query');
	if (notReady) return notReady;
	const outcome = judgeResponse(response);
	return outcome.ok ? { ...outcome, records: [{ ok: true, data: outcome.body?.cursor }] } : outcome;
}

/**
 * A page: its profiles and the cursor of the next page, if there is one. A page CleverTap is still
 * preparing is read again; one without `records` (CleverTap's answer for an empty result) is empty.
 */
export function judgePage(response: FullResponse): SendOutcome {
	const notReady = judgeNotReady(response, 'the page');
	if (notReady) return notReady;
	const outcome = judgeResponse(response);
	if (!outcome.ok) return outcome;
	const records = Array.isArray(outcome.body?.records) ? outcome.body.records : [];
	const next = outcome.body?.next_cursor;
	return {
		...outcome,
		records: [
			{
				ok: true,
				data: { records, next: typeof next === 'string' && next !== '' ? next : undefined },
			},
		],
	};
}

interface Query {
	eventName: string;
	from: number;
	to: number;
	limit: number;
}

/** Reads and checks one item's query, or says what is wrong with it. */
function readQuery(this: IExecuteFunctions, itemIndex: number): Query | NodeOperationError {
	const invalid = (message: string, description: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex, description });
	const eventName = String(this.getNodeParameter('eventName', itemIndex, '') ?? '').trim();
	if (eventName === '') {
		return invalid(
			'The event name is empty',
			'Enter the event exactly as CleverTap names it, such as Identity Error.',
		);
	}
	const dateHint =
		'Pick a date, or give one as 2026-11-28 (an expression such as {{ $now.minus(1, "day") }} works too).';
	const fromValue = this.getNodeParameter('from', itemIndex, '');
	const toValue = this.getNodeParameter('to', itemIndex, '');
	const from = cleverTapDate(fromValue);
	const to = cleverTapDate(toValue);
	if (from === undefined)
		return invalid(`From is not a date (${JSON.stringify(fromValue)})`, dateHint);
	if (to === undefined) return invalid(`To is not a date (${JSON.stringify(toValue)})`, dateHint);
	if (from > to) return invalid(`From (${from}) is after To (${to})`, 'Swap the two dates.');
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) === true;
	const limit = returnAll
		? Infinity
		: Math.max(
				1,
				Math.floor(Number(this.getNodeParameter('limit', itemIndex, DEFAULT_LIMIT))) ||
					DEFAULT_LIMIT,
			);
	return { eventName, from, to, limit };
}

/**
 * Get Many by Event: the profiles that did an event between two dates. CleverTap answers a query
 * with a cursor, then one page per request; pages are read one after another, so memory holds one
 * page beside the output.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = inputItems.call(this);
	const settings = readRunSettings.call(this, 'profilesByEvent');
	const continueOnFail = this.continueOnFail();
	const connection = await connect.call(this);
	if (!isConnection(connection)) {
		if (!continueOnFail) throw connection;
		const text = withAdvice(connection.message, connection.description);
		this.addExecutionHints?.({ message: text, type: 'danger', location: 'outputPane' });
		return [items.map((_item, item) => ({ json: { error: text }, pairedItem: { item } }))];
	}
	const { method, path } = CLEVERTAP_APIS.profilesByEvent;
	const output: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let read = 0;
		const stopped = (failure: Failure, what: string): NodeApiError =>
			apiError.call(
				this,
				failure,
				itemIndex,
				readFailed(what, failure),
				[hintForApi('profilesByEvent', failure), readBeforeStop(read, 'profiles')]
					.filter(Boolean)
					.join(' '),
			);
		/** Reads every page of this item's query into the output; returns what stopped it, if anything. */
		const readAll = async (): Promise<NodeApiError | NodeOperationError | undefined> => {
			const query = readQuery.call(this, itemIndex);
			if (query instanceof NodeOperationError) return query;
			const opened = await sendWithRetries.call(
				this,
				'profilesByEvent',
				connection,
				{
					method,
					path,
					// No bigger pages than the Limit needs (CleverTap builds every profile of a page), and
					// none under CleverTap's smallest, which it would ignore and send everything.
					qs: {
						batch_size: String(
							Math.max(
								minRecordsPerRequest('profilesByEvent'),
								Math.min(settings.batchSize, query.limit),
							),
						),
					},
					body: { event_name: query.eventName, from: query.from, to: query.to },
				},
				settings,
				judgeQuery,
			);
			if (!opened.ok) return stopped(opened.failure, `The query for "${query.eventName}"`);
			let cursor = typeof opened.data === 'string' && opened.data !== '' ? opened.data : undefined;
			for (let page = 1; cursor !== undefined && read < query.limit; page++) {
				const answer = await sendWithRetries.call(
					this,
					'profilesByEvent',
					connection,
					{ method: 'GET', path, rawQuery: `cursor=${cursorForUrl(cursor)}` },
					settings,
					judgePage,
				);
				if (!answer.ok) return stopped(answer.failure, `Page ${page} of "${query.eventName}"`);
				const { records, next } = answer.data as { records: unknown[]; next?: string };
				for (const record of records) {
					if (read >= query.limit) break;
					if (!isProfileRecord(record)) continue;
					output.push({ json: profileFields(record), pairedItem: { item: itemIndex } });
					read++;
				}
				cursor = next;
			}
			return undefined;
		};
		const problem = await readAll();
		if (problem && !continueOnFail) throw problem;
		if (problem) {
			output.push({
				json: { error: withAdvice(problem.message, problem.description) },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
