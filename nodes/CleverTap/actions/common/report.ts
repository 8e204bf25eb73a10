/**
 * The one runner of CleverTap's reports: one query per input item, a few items at a time, each
 * request within the API's limit, results paired to their item. Its poller serves the counts,
 * trends and top values, which CleverTap may answer with "partial" and a request ID: polled with
 * GET on the same path, pausing longer each time, until Max Wait.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { requestId } from '../../helpers/reports';
import {
	judgeResponse,
	parseBody,
	type CleverTapConnection,
	type CleverTapRequest,
	type FullResponse,
} from '../../transport';
import { CLEVERTAP_APIS, type CleverTapApi } from '../../transport/apis';
import type { SendOutcome } from '../../transport/batchRunner';
import { mayHaveBeenDone, notFinished, readFailed, withAdvice } from './messages';
import { clamp, readRunSettings, runOptions, type RunSettings } from './options';
import {
	apiError,
	connect,
	hintForApi,
	inputItems,
	isConnection,
	sendWithRetries,
} from './pipeline';

export const DEFAULT_MAX_WAIT_S = 300;
const MAX_MAX_WAIT_S = 3600;
/** The first pause before asking CleverTap again, and the longest. */
export const FIRST_POLL_DELAY_MS = 1000;
export const MAX_POLL_DELAY_MS = 10_000;
/** How often a pause looks whether the execution was cancelled. */
const CANCEL_CHECK_MS = 500;

/** The pause before poll number `polls` (0 for the first): 1 s growing by half each time, to 10 s. */
export function pollDelayMs(polls: number): number {
	return Math.min(MAX_POLL_DELAY_MS, Math.round(FIRST_POLL_DELAY_MS * 1.5 ** polls));
}

/** The Max Wait option of the reports that CleverTap may answer later. */
export const maxWaitOption: INodeProperties = {
	displayName: 'Max Wait (Seconds)',
	name: 'maxWait',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: MAX_MAX_WAIT_S },
	default: DEFAULT_MAX_WAIT_S,
	description:
		'How long to wait for CleverTap to finish a report it works on in the background, in seconds (300 is 5 minutes). If it has not finished by then the item fails with the request ID CleverTap gave.',
};

/**
 * The Options of an operation run by `runReportOperation` on `api` (one query per item, nothing to
 * batch, no dry run): Max Wait where CleverTap may answer later, and the operation's own.
 */
export function reportOptions(
	api: CleverTapApi,
	{ polled = false, extra = [] }: { polled?: boolean; extra?: INodeProperties[] } = {},
): INodeProperties {
	return runOptions(api, {
		records: 'reports',
		batched: false,
		omit: ['dryRun', 'includeInputFields'],
		extra: polled ? [maxWaitOption, ...extra] : extra,
	});
}

/**
 * A report's answer: done (its body), or still being worked on (the ID to poll). A "partial"
 * answer is not a failure here, as it would be for an upload.
 */
export function judgeReport(response: FullResponse, polledId?: string): SendOutcome {
	const { statusCode: status } = response;
	const body = parseBody(response.body);
	if (status >= 200 && status < 300 && body?.status === 'partial') {
		// A poll's answer may leave out the ID it was asked about.
		const id = requestId(response.body) ?? polledId;
		if (id !== undefined) return { ok: true, status, body, records: [{ ok: true, data: { id } }] };
	}
	const outcome = judgeResponse(response);
	if (outcome.ok && body !== undefined && Object.keys(body).length === 1) {
		// CleverTap answers an address it does not serve with 200 and nothing in it.
		return {
			ok: false,
			decision: 'fail',
			status,
			summary: `CleverTap's answer held no report (HTTP ${status})`,
		};
	}
	return outcome.ok
		? { ...outcome, records: [{ ok: true, data: { body: outcome.body } }] }
		: outcome;
}

/** At most `size` tasks at once; the rest wait their turn in order. */
export class Limiter {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly size: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
		else this.active++;
		try {
			return await task();
		} finally {
			const next = this.waiting.shift();
			if (next) next();
			else this.active--;
		}
	}
}

/** Asks CleverTap for one report; throws the error the item fails with. */
export type Ask = (
	request: CleverTapRequest,
	/** The report in messages: `The count of "Charged"`. */
	what: string,
	/** Reads an answer the common rule would not (a campaign not completed yet is no failure). */
	judge?: (response: FullResponse) => SendOutcome | undefined,
) => Promise<Record<string, unknown>>;

/** What makes a report: its API, how an item becomes a query, and how the query is answered. */
export interface ReportOperation<Q> {
	api: CleverTapApi;
	/**
	 * The request acts on people or cannot be repeated (creating a campaign): sent again only when
	 * CleverTap surely never got it, and its past participle for the message when unsure.
	 */
	atMostOnce?: { done: string };
	readItem(this: IExecuteFunctions, itemIndex: number): Q | NodeOperationError;
	report(this: IExecuteFunctions, query: Q, ask: Ask): Promise<IDataObject[]>;
}

/** The Max Wait of the run, in milliseconds. */
function readMaxWaitMs(this: IExecuteFunctions): number {
	const raw = (this.getNodeParameter('options', 0, {}) as IDataObject).maxWait;
	return clamp(raw, DEFAULT_MAX_WAIT_S, 0, MAX_MAX_WAIT_S) * 1000;
}

/** Runs a report for every input item: its result items, paired to it, in item order. */
export async function runReportOperation<Q>(
	this: IExecuteFunctions,
	operation: ReportOperation<Q>,
): Promise<INodeExecutionData[][]> {
	const items = inputItems.call(this);
	const { api } = operation;
	const settings = readRunSettings.call(this, api);
	const maxWaitMs = readMaxWaitMs.call(this);
	const continueOnFail = this.continueOnFail();

	const queries = items.map((_item, itemIndex) => operation.readItem.call(this, itemIndex));
	if (!continueOnFail) {
		// Nothing has been sent yet: fail before the first request.
		const bad = queries.find((query) => query instanceof NodeOperationError);
		if (bad) throw bad;
	}
	const connection = await connect.call(this);
	if (!isConnection(connection)) {
		if (!continueOnFail) throw connection;
		const text = withAdvice(connection.message, connection.description);
		this.addExecutionHints?.({ message: text, type: 'danger', location: 'outputPane' });
		return [items.map((_item, item) => ({ json: { error: text }, pairedItem: { item } }))];
	}

	// Every request of the run, polls included, counts against CleverTap's limit for the API.
	const limiter = new Limiter(settings.concurrency);
	const results: Array<IDataObject[] | NodeApiError | NodeOperationError | undefined> = new Array(
		items.length,
	);
	let next = 0;
	let stopping = false;
	const worker = async () => {
		while (!stopping && next < items.length) {
			const itemIndex = next++;
			const query = queries[itemIndex];
			if (query instanceof NodeOperationError) {
				results[itemIndex] = query;
				continue;
			}
			const ask: Ask = async (request, what, judge) =>
				await askCleverTap.call(this, {
					judge,
					api,
					atMostOnce: operation.atMostOnce,
					connection,
					settings,
					maxWaitMs,
					limiter,
					itemIndex,
					request,
					what,
				});
			try {
				results[itemIndex] = await operation.report.call(this, query, ask);
			} catch (error) {
				results[itemIndex] =
					error instanceof NodeApiError || error instanceof NodeOperationError
						? error
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				if (!continueOnFail) stopping = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(settings.concurrency, items.length) }, worker));

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = results[itemIndex];
		if (result === undefined) continue;
		if (Array.isArray(result)) {
			for (const json of result) output.push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		if (!continueOnFail) throw result;
		output.push({
			json: { error: withAdvice(result.message, result.description) },
			pairedItem: { item: itemIndex },
		});
	}
	return [output];
}

interface AskContext {
	api: CleverTapApi;
	judge?: (response: FullResponse) => SendOutcome | undefined;
	atMostOnce?: { done: string };
	connection: CleverTapConnection;
	settings: RunSettings;
	maxWaitMs: number;
	limiter: Limiter;
	itemIndex: number;
	request: CleverTapRequest;
	what: string;
}

/** One report: its request, then polls while CleverTap works on it, each within the limit. */
async function askCleverTap(
	this: IExecuteFunctions,
	context: AskContext,
): Promise<Record<string, unknown>> {
	const { api, connection, settings, limiter, itemIndex, request, what } = context;
	const cancelSignal = this.getExecutionCancelSignal?.();
	let expiredOnce = false;
	const send = async (toSend: CleverTapRequest, polledId?: string) => {
		const answer = await limiter.run(
			async () =>
				await sendWithRetries.call(
					this,
					api,
					connection,
					toSend,
					settings,
					(response) => context.judge?.(response) ?? judgeReport(response, polledId),
					context.atMostOnce !== undefined,
				),
		);
		if (
			!answer.ok &&
			polledId !== undefined &&
			!expiredOnce &&
			isUnknownRequestId(answer.failure)
		) {
			// CleverTap forgot the query (its IDs expire): ask for it once more, as a new query.
			expiredOnce = true;
			return { expired: true } as const;
		}
		if (!answer.ok) {
			const hint = hintForApi(api, answer.failure);
			const error = apiError.call(
				this,
				answer.failure,
				itemIndex,
				answer.failure.unsure && context.atMostOnce
					? mayHaveBeenDone(what, context.atMostOnce.done, answer.failure)
					: readFailed(what, answer.failure),
				hint,
			);
			// Without a hint NodeApiError would repeat CleverTap's words, already in the message.
			if (!hint) error.description = null;
			throw error;
		}
		return answer.data as { body?: Record<string, unknown>; id?: string };
	};

	let answer = (await send(request)) as { body?: Record<string, unknown>; id?: string };
	const started = Date.now();
	for (let polls = 0; answer.body === undefined; polls++) {
		const id = answer.id as string;
		const waited = Date.now() - started;
		if (waited >= context.maxWaitMs) {
			const failure = {
				ok: false as const,
				decision: 'fail' as const,
				summary: notFinished(what, context.maxWaitMs, id),
				attempts: polls + 1,
			};
			throw apiError.call(
				this,
				failure,
				itemIndex,
				failure.summary,
				'CleverTap keeps working on it: raise Max Wait under Options, or run the node again later.',
			);
		}
		// The last pause ends at Max Wait, for one more look before giving up.
		let pause = Math.min(pollDelayMs(polls), context.maxWaitMs - waited);
		while (pause > 0) {
			if (cancelSignal?.aborted === true) {
				throw new NodeOperationError(
					this.getNode(),
					`The execution was cancelled while CleverTap was still working on ${lowerFirst(what)} (request ID ${id})`,
					{ itemIndex },
				);
			}
			const step = Math.min(pause, CANCEL_CHECK_MS);
			await sleep(step);
			pause -= step;
		}
		const polled = await send(
			{ method: 'GET', path: CLEVERTAP_APIS[api].path, rawQuery: `req_id=${id}` },
			id,
		);
		answer = ('expired' in polled ? await send(request) : polled) as typeof answer;
	}
	return answer.body;
}

/** CleverTap no longer knows a request ID ("Invalid request id"): it expired or was never made. */
function isUnknownRequestId(failure: { apiError?: string; decision: string }): boolean {
	return (
		(failure.decision === 'fail' || failure.decision === 'split') &&
		/request.?id|req_id/i.test(failure.apiError ?? '')
	);
}

function lowerFirst(text: string): string {
	return text.charAt(0).toLowerCase() + text.slice(1);
}
