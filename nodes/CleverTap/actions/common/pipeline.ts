import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { planBatches } from '../../helpers/batches';
import {
	atMostOnce,
	getConnection,
	hintFor,
	sendRequest,
	type CleverTapConnection,
	type CleverTapRequest,
	type FullResponse,
	type RequestFailure,
} from '../../transport';
import { CLEVERTAP_APIS, type CleverTapApi } from '../../transport/apis';
import {
	runBatches,
	type Failure,
	type RecordResult,
	type RetryEvent,
	type RunResult,
	type SendOutcome,
} from '../../transport/batchRunner';
import {
	dryRunHint,
	dryRunItem,
	itemNotDone,
	nothingDone,
	progress,
	withAdvice,
	type RecordWords,
} from './messages';
import { readRunSettings, type RunSettings } from './options';

/** One item's records, or why the item cannot be sent. */
export type ItemRecords<R> = { ok: true; records: R[] } | { ok: false; error: NodeOperationError };

export type { RecordWords };

/**
 * What makes an operation: its API, how items become records, the request for a list of records
 * and how an answer is judged for each record. The loop, batching, retries, dry run, messages and
 * continue-on-fail exist once, here.
 */
export interface RecordOperation<R> {
	api: CleverTapApi;
	words: RecordWords;
	/** Reads and checks every item before anything is sent. */
	readItems(this: IExecuteFunctions, items: INodeExecutionData[]): Array<ItemRecords<R>>;
	request(records: readonly R[]): CleverTapRequest;
	/** Judges an answer per record; the transport's rule (2xx and "success") when left out. */
	judge?(response: FullResponse, records: readonly R[]): SendOutcome;
	/** How one record is named in a message, e.g. `identity "jane@example.com"`. */
	name(record: R): string;
	/** The result of an item all of whose records went through. */
	success(records: readonly R[], results: readonly RecordResult[]): IDataObject;
	/** What a dry run shows for an item, besides the plain-words message. */
	preview(records: readonly R[]): IDataObject;
	includeInputFieldsByDefault?: boolean;
	/** The path of the request for `records`, where it is not the API's (one per channel). */
	path?(records: readonly R[]): string;
	/** Records that may share a request have the same group (a message's content); all by default. */
	group?(record: R): string;
	/**
	 * The request reaches people or cannot be repeated: it is sent again only when CleverTap surely
	 * never got it (see `atMostOnce`).
	 */
	atMostOnce?: boolean;
	/** With `atMostOnce`: a refused request is still split to find the record it refuses. */
	splitRefused?: boolean;
}

/** HTTP statuses that say the credential or its address is wrong, whatever is sent. */
function isSetupFailure(failure: RequestFailure): boolean {
	const { status } = failure;
	return (
		failure.decision === 'stop' &&
		status !== undefined &&
		(status === 401 || status === 403 || status === 404 || status === 405 || status < 400)
	);
}

/**
 * A failed item under continue-on-fail. Json of exactly `{ error }` is the shape every n8n version
 * routes to the error output (1.x accepts no other keys but `message`) and merges with the input
 * item there, so the user sees which contact failed; the hint is part of the text.
 */
function errorItem(text: string, itemIndex: number): INodeExecutionData {
	return { json: { error: text }, pairedItem: { item: itemIndex } };
}

/**
 * The input items in an array of this realm. Behind n8n 1.x's default, in-process Code node the
 * array n8n hands over is a vm2 proxy: `map`, `find` and the like on it run through vm2's bridge
 * for every item and return another proxy, so each later pass over the items (and over what was
 * mapped from them) pays the bridge again. Reading it by index pays once per item.
 */
export function inputItems(this: IExecuteFunctions): INodeExecutionData[] {
	const input = this.getInputData();
	const items: INodeExecutionData[] = new Array(input.length);
	for (let index = 0; index < items.length; index++) items[index] = input[index];
	return items;
}

/** Runs a record operation over all input items: one output item per input item, in order. */
export async function runRecordOperation<R>(
	this: IExecuteFunctions,
	operation: RecordOperation<R>,
): Promise<INodeExecutionData[][]> {
	const items = inputItems.call(this);
	const settings = readRunSettings.call(this, operation.api, operation.includeInputFieldsByDefault);
	const continueOnFail = this.continueOnFail();
	const { words } = operation;

	const collected = operation.readItems.call(this, items);
	if (!continueOnFail) {
		const firstBad = collected.find((entry) => !entry.ok);
		// Nothing has been sent yet: fail before the first request.
		if (firstBad && !firstBad.ok) throw firstBad.error;
	}
	const plan = planBatches(
		collected.map((entry) => (entry.ok ? entry.records : null)),
		settings.batchSize,
		operation.group?.bind(operation),
	);
	const connection = await connect.call(this);
	if (!isConnection(connection)) {
		// The credential cannot work (a bad Custom URL, a region that no longer exists).
		if (!continueOnFail) throw connection;
		return [setupProblem.call(this, collected, connection.message, connection.description)];
	}
	const withInput = (itemIndex: number, json: IDataObject): INodeExecutionData => ({
		json: settings.includeInputFields ? { ...items[itemIndex].json, ...json } : json,
		pairedItem: { item: itemIndex },
	});

	if (settings.dryRun) {
		const count = plan.batches.length;
		this.addExecutionHints?.({
			message: dryRunHint(count),
			type: 'warning',
			location: 'outputPane',
		});
		const url = (records: readonly R[]) =>
			`${connection.baseUrl}${operation.path?.(records) ?? CLEVERTAP_APIS[operation.api].path}`;
		// One text per request, not per item: a dry run of 100,000 items is for checking, not for
		// filling memory.
		const messages = new Map<string, string>();
		return [
			collected.map((entry, itemIndex) => {
				if (!entry.ok) return errorItem(entry.error.message, itemIndex);
				const requests = plan.itemBatches[itemIndex].map((index) => index + 1);
				const key = requests.join(', ');
				let message = messages.get(key);
				if (message === undefined) {
					message = dryRunItem(requests, count);
					messages.set(key, message);
				}
				return withInput(itemIndex, {
					status: 'dryRun',
					message,
					...operation.preview(entry.records),
					requests,
					requestCount: count,
					url: url(entry.records),
				});
			}),
		];
	}

	const run: RunResult<R> = await runBatches({
		...sending.call(this, operation.api, settings, words),
		batches: plan.batches,
		send: async (records) => {
			const outcome = await sendRequest.call(
				this,
				connection,
				operation.request(records),
				settings.timeout,
				operation.judge ? (response) => operation.judge!(response, records) : undefined,
			);
			return operation.atMostOnce
				? atMostOnce(outcome, { split: operation.splitRefused === true })
				: outcome;
		},
		stopOnFailure: !continueOnFail,
	});

	const hint = (failure: Failure) => hintForApi(operation.api, failure);
	let succeeded = 0;
	for (const result of run.results.values()) if (result.ok) succeeded++;
	const total = plan.batches.reduce((sum, batch) => sum + batch.length, 0);

	/** The first failure among an item's records, with the message that names them. */
	const itemFailure = (itemIndex: number): { message: string; failure: Failure } | undefined => {
		const entry = collected[itemIndex];
		if (!entry.ok) return undefined;
		// Most items have one record, and most records went through: no list for those.
		if (entry.records.every((record) => run.results.get(record)?.ok === true)) return undefined;
		const failed = entry.records.filter((record) => run.results.get(record)?.ok !== true);
		const failure: Failure = (() => {
			const result = run.results.get(failed[0]);
			return result && !result.ok
				? result.failure
				: { ok: false, decision: 'fail', summary: 'No result was recorded', attempts: 0 };
		})();
		const message = itemNotDone(
			words,
			{ failed: failed.length, records: entry.records.length },
			failed.slice(0, 3).map((record) => operation.name(record)),
			failure,
		);
		return { message, failure };
	};

	const stop = run.stoppedBy;
	if (stop && succeeded === 0 && isSetupFailure(stop)) {
		// Nothing went through and nothing would: the credential or its address is wrong. That is one
		// problem to fix, said once. Under continue-on-fail the node still returns every item as an
		// error: a node that throws there has n8n pass its input on as if it had succeeded.
		const setupMessage = nothingDone(words, stop);
		const advice = hint(stop);
		if (continueOnFail) return [setupProblem.call(this, collected, setupMessage, advice)];
		const culprit = collected.findIndex(
			(entry) => entry.ok && entry.records.includes(stop.records[0]),
		);
		throw apiError.call(this, stop, Math.max(0, culprit), setupMessage, advice);
	}
	if (!continueOnFail) {
		// Name the failure that stopped the run, on the item whose request met it; an item that was
		// only cut short by the stop is never presented as the cause.
		let culprit =
			stop && stop.records.length > 0
				? collected.findIndex((entry) => entry.ok && entry.records.includes(stop.records[0]))
				: -1;
		if (culprit === -1) culprit = collected.findIndex((_entry, i) => itemFailure(i) !== undefined);
		if (culprit !== -1) {
			const { message, failure } = itemFailure(culprit) as { message: string; failure: Failure };
			throw apiError.call(
				this,
				failure,
				culprit,
				message,
				[hint(failure), progress(words, succeeded, total)].filter(Boolean).join(' '),
			);
		}
	}

	const output: INodeExecutionData[] = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const entry = collected[itemIndex];
		if (!entry.ok) {
			output[itemIndex] = errorItem(entry.error.message, itemIndex);
			continue;
		}
		const failed = itemFailure(itemIndex);
		if (failed) {
			output[itemIndex] = errorItem(withAdvice(failed.message, hint(failed.failure)), itemIndex);
			continue;
		}
		const results = entry.records.map((record) => run.results.get(record) as RecordResult);
		output[itemIndex] = withInput(itemIndex, operation.success(entry.records, results));
	}
	return [output];
}

/** The run's connection to CleverTap, or what is wrong with the credential. */
export async function connect(
	this: IExecuteFunctions,
): Promise<CleverTapConnection | NodeOperationError> {
	return await getConnection.call(this).catch((error: unknown) => {
		if (error instanceof NodeOperationError) return error;
		throw error;
	});
}

export function isConnection(
	value: CleverTapConnection | NodeOperationError,
): value is CleverTapConnection {
	return !(value instanceof NodeOperationError);
}

/**
 * A problem with the credential or its address, under continue-on-fail: said once in the editor
 * and on every item (bad input keeps its own message). The node does not throw here: a node that
 * throws under continue-on-fail has n8n pass its input on as if it had succeeded.
 */
function setupProblem<R>(
	this: IExecuteFunctions,
	collected: ReadonlyArray<ItemRecords<R>>,
	message: string,
	advice: string | null | undefined,
): INodeExecutionData[] {
	const text = withAdvice(message, advice);
	this.addExecutionHints?.({ message: text, type: 'danger', location: 'outputPane' });
	return collected.map((entry, itemIndex) =>
		errorItem(entry.ok ? text : entry.error.message, itemIndex),
	);
}

/** How requests to `api` are sent: within its limit, with the run's retries, cancellable, logged. */
function sending(
	this: IExecuteFunctions,
	api: CleverTapApi,
	settings: Pick<RunSettings, 'concurrency' | 'maxRetries'>,
	words: Pick<RecordWords, 'one' | 'many'>,
) {
	const cancelSignal = this.getExecutionCancelSignal?.();
	return {
		concurrency: settings.concurrency,
		maxConcurrency: CLEVERTAP_APIS[api].maxConcurrentRequests,
		pipeline: true,
		maxRetries: settings.maxRetries,
		sleep,
		isCancelled: () => cancelSignal?.aborted === true,
		onRetry: ({ records, failure, attempts, delayMs }: RetryEvent) =>
			this.logger?.debug(
				`CleverTap: a request of ${records} ${records === 1 ? words.one : words.many} failed (${failure.summary}); trying again in ${delayMs} ms (attempt ${attempts + 1})`,
				{ node: this.getNode().name },
			),
	};
}

/**
 * Sends one request to `api` with the same retries, waits and cancellation as a run of many, for
 * operations that go one request after another (pages of a cursor). Never throws.
 */
export async function sendWithRetries(
	this: IExecuteFunctions,
	api: CleverTapApi,
	connection: CleverTapConnection,
	request: CleverTapRequest,
	settings: Pick<RunSettings, 'maxRetries' | 'timeout'>,
	judge?: (response: FullResponse) => SendOutcome,
	/** The request reaches people or cannot be repeated: see `atMostOnce`. */
	once = false,
): Promise<RecordResult> {
	const only = {};
	const run = await runBatches({
		...sending.call(this, api, { ...settings, concurrency: 1 }, { one: 'page', many: 'pages' }),
		batches: [[only]],
		send: async () => {
			const outcome = await sendRequest.call(this, connection, request, settings.timeout, judge);
			return once ? atMostOnce(outcome) : outcome;
		},
		stopOnFailure: true,
	});
	return run.results.get(only) as RecordResult;
}

/** What the user can do about a failure of a request to `api`. */
export function hintForApi(api: CleverTapApi, failure: Failure): string | undefined {
	return hintFor(failure, {
		concurrentRequests: CLEVERTAP_APIS[api].maxConcurrentRequests,
		attempts: failure.attempts,
	});
}

/** The error the node stops with, built from plain fields: a request error would carry the headers. */
export function apiError(
	this: IExecuteFunctions,
	failure: Failure,
	itemIndex: number,
	message: string,
	description: string | undefined,
): NodeApiError {
	const error = new NodeApiError(
		this.getNode(),
		{
			status: 'fail',
			error: failure.apiError ?? failure.summary,
			...(failure.apiCode !== undefined ? { code: failure.apiCode } : {}),
		},
		{
			message,
			description: description || undefined,
			httpCode: failure.status !== undefined ? String(failure.status) : undefined,
			itemIndex,
		},
	);
	// NodeApiError swaps any message naming a network code (ECONNREFUSED…) for a generic one; ours
	// already says what failed, where, and after how many attempts.
	error.message = message;
	// Without an HTTP answer there is no HTTP code; NodeApiError would read "fail" from our body.
	if (failure.status === undefined) error.httpCode = null;
	return error;
}

export type { RunSettings };
