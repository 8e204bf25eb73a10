/**
 * The one pager of CleverTap's cursor reads (profiles by event, events): a query answered with a
 * cursor, then one page per request, read one after another so memory holds one page beside the
 * output. Cursors go in the URL as CleverTap gave them, pages it is still preparing are read again,
 * and no page is asked bigger than the Limit needs nor smaller than CleverTap honours.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cursorForUrl } from '../../helpers/cursor';
import { judgeNotReady, judgeResponse, type FullResponse } from '../../transport';
import { CLEVERTAP_APIS, minRecordsPerRequest } from '../../transport/apis';
import type { Failure, SendOutcome } from '../../transport/batchRunner';
import { readBeforeStop, readFailed, withAdvice } from './messages';
import { readRunSettings, type RunSettings } from './options';
import {
	apiError,
	connect,
	hintForApi,
	inputItems,
	isConnection,
	sendWithRetries,
} from './pipeline';

/** An answer that opens the query: the cursor of its first page. */
export function judgeQuery(response: FullResponse): SendOutcome {
	const notReady = judgeNotReady(response, 'the query');
	if (notReady) return notReady;
	const outcome = judgeResponse(response);
	return outcome.ok ? { ...outcome, records: [{ ok: true, data: outcome.body?.cursor }] } : outcome;
}

/**
 * A page: its records and the cursor of the next page, if there is one. A page CleverTap is still
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

/** One item's query: what opens it, how many records it wants, and how messages name it. */
export interface PagedQuery {
	/** The query's name in messages, e.g. `"Identity Error"`. */
	name: string;
	limit: number;
	/** URL parameters of the opening request besides batch_size. */
	qs?: Record<string, string>;
	body: IDataObject;
}

/** What makes a paged read: its API, its records' name, how an item becomes a query and a record an item. */
export interface PagedOperation {
	api: 'profilesByEvent' | 'events';
	/** The records in messages: "profiles", "events". */
	many: string;
	readQuery(
		this: IExecuteFunctions,
		itemIndex: number,
		settings: RunSettings,
	): PagedQuery | NodeOperationError;
	/** A record as an output item's json, or undefined to skip something that is not a record. */
	toItem(record: unknown, query: PagedQuery): IDataObject | undefined;
}

/** Runs a paged read for every input item: its records as output items, paired to the item. */
export async function runPagedOperation(
	this: IExecuteFunctions,
	operation: PagedOperation,
): Promise<INodeExecutionData[][]> {
	const items = inputItems.call(this);
	const settings = readRunSettings.call(this, operation.api);
	const continueOnFail = this.continueOnFail();
	const connection = await connect.call(this);
	if (!isConnection(connection)) {
		if (!continueOnFail) throw connection;
		const text = withAdvice(connection.message, connection.description);
		this.addExecutionHints?.({ message: text, type: 'danger', location: 'outputPane' });
		return [items.map((_item, item) => ({ json: { error: text }, pairedItem: { item } }))];
	}
	const { api } = operation;
	const { method, path } = CLEVERTAP_APIS[api];
	const output: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let read = 0;
		const stopped = (failure: Failure, what: string): NodeApiError =>
			apiError.call(
				this,
				failure,
				itemIndex,
				readFailed(what, failure),
				[hintForApi(api, failure), readBeforeStop(read, operation.many)].filter(Boolean).join(' '),
			);
		/** Reads every page of this item's query into the output; returns what stopped it, if anything. */
		const readAll = async (): Promise<NodeApiError | NodeOperationError | undefined> => {
			const query = operation.readQuery.call(this, itemIndex, settings);
			if (query instanceof NodeOperationError) return query;
			const opened = await sendWithRetries.call(
				this,
				api,
				connection,
				{
					method,
					path,
					// No bigger pages than the Limit needs (CleverTap builds every record of a page), and
					// none under CleverTap's smallest, which it would ignore and send everything.
					qs: {
						batch_size: String(
							Math.max(minRecordsPerRequest(api), Math.min(settings.batchSize, query.limit)),
						),
						...query.qs,
					},
					body: query.body,
				},
				settings,
				judgeQuery,
			);
			if (!opened.ok) return stopped(opened.failure, `The query for ${query.name}`);
			let cursor = typeof opened.data === 'string' && opened.data !== '' ? opened.data : undefined;
			for (let page = 1; cursor !== undefined && read < query.limit; page++) {
				const answer = await sendWithRetries.call(
					this,
					api,
					connection,
					{ method: 'GET', path, rawQuery: `cursor=${cursorForUrl(cursor)}` },
					settings,
					judgePage,
				);
				if (!answer.ok) return stopped(answer.failure, `Page ${page} of ${query.name}`);
				const { records, next } = answer.data as { records: unknown[]; next?: string };
				for (const record of records) {
					if (read >= query.limit) break;
					const json = operation.toItem(record, query);
					if (json === undefined) continue;
					output.push({ json, pairedItem: { item: itemIndex } });
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
