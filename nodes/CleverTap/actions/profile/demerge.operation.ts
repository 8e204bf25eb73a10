import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';

import { planBatches } from '../../helpers/batches';
import { isUndecided, parseJsonFieldReference, readJsonPath } from '../../helpers/fieldReference';
import { MAX_IDENTITIES_PER_REQUEST, normaliseIdentities } from '../../helpers/identities';
import { demergeProfiles, getConnection, hintFor } from '../../transport';
import {
	MAX_CONCURRENT_DEMERGE_REQUESTS,
	runBatches,
	type Failure,
	type IdentityResult,
} from '../../transport/batchRunner';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 5;

const properties: INodeProperties[] = [
	{
		displayName:
			'Demerge cannot be undone. CleverTap splits the merged profile and may lose event data of the profile. Turn on Dry Run under Options to see what would be sent first.',
		name: 'demergeNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Identities',
		name: 'identities',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.email }}',
		description:
			'For each item, the identity to demerge (email, phone or customer ID) or a list of them. Usually an expression: drag the field that holds it (e.g. email) here from the input.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_IDENTITIES_PER_REQUEST },
				default: MAX_IDENTITIES_PER_REQUEST,
				description: `Most identities sent in one request. CleverTap accepts at most ${MAX_IDENTITIES_PER_REQUEST}.`,
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENT_DEMERGE_REQUESTS },
				default: MAX_CONCURRENT_DEMERGE_REQUESTS,
				description: `Most requests in flight at once. CleverTap allows ${MAX_CONCURRENT_DEMERGE_REQUESTS} per account, shared with every other client of the account; the node lowers it by itself when CleverTap answers 429.`,
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only validate and plan: output what each item would send, without calling CleverTap',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: DEFAULT_MAX_RETRIES,
				description:
					'How often to try a request again after a 429, a 5xx, a timeout or a connection error, waiting longer each time',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1000 },
				default: DEFAULT_TIMEOUT_MS,
				description: 'How long to wait for CleverTap to answer one request before trying again',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['profile'], operation: ['demerge'] } },
	properties,
);

interface DemergeOptions {
	batchSize: number;
	concurrency: number;
	dryRun: boolean;
	maxRetries: number;
	timeout: number;
}

function clamp(value: unknown, fallback: number, min: number, max: number): number {
	// An expression can hand over "50" as text; blank or non-numeric text means the default.
	const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const number =
		typeof parsed === 'number' && Number.isFinite(parsed) ? Math.floor(parsed) : fallback;
	return Math.min(max, Math.max(min, number));
}

function readOptions(this: IExecuteFunctions): DemergeOptions {
	const raw = this.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		batchSize: clamp(raw.batchSize, MAX_IDENTITIES_PER_REQUEST, 1, MAX_IDENTITIES_PER_REQUEST),
		concurrency: clamp(
			raw.concurrency,
			MAX_CONCURRENT_DEMERGE_REQUESTS,
			1,
			MAX_CONCURRENT_DEMERGE_REQUESTS,
		),
		dryRun: raw.dryRun === true,
		maxRetries: clamp(raw.maxRetries, DEFAULT_MAX_RETRIES, 0, 10),
		timeout: clamp(raw.timeout, DEFAULT_TIMEOUT_MS, 1000, 10 * 60_000),
	};
}

type ItemIdentities = { ok: true; identities: string[] } | { ok: false; error: NodeOperationError };

/**
 * Reads every item's identities. A plain `{{ $json.field }}` is read straight from the item:
 * n8n's expression engine costs more per item than the requests do at scale.
 */
function collectIdentities(this: IExecuteFunctions, items: INodeExecutionData[]): ItemIdentities[] {
	const rawParameter = this.getNode().parameters.identities;
	const fieldPath = parseJsonFieldReference(rawParameter);
	const fieldName = fieldPath?.join('.');
	const collected: ItemIdentities[] = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let value: unknown;
		try {
			value = fieldPath ? readJsonPath(items[itemIndex].json, fieldPath) : undefined;
			if (!fieldPath || isUndecided(value)) {
				value = this.getNodeParameter('identities', itemIndex, undefined);
			}
		} catch (error) {
			collected[itemIndex] = {
				ok: false,
				error: new NodeOperationError(this.getNode(), error as Error, { itemIndex }),
			};
			continue;
		}
		const normalised = normaliseIdentities(value);
		if (normalised.ok) {
			collected[itemIndex] = normalised;
			continue;
		}
		const where = fieldName ? ` (field "${fieldName}")` : '';
		collected[itemIndex] = {
			ok: false,
			error: new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex + 1}: ${normalised.reason}${where}`,
				{
					itemIndex,
					description:
						'Set Identities to the field that holds the identity, e.g. {{ $json.email }}, or to a list of identities. Blank, null and object values are not identities.',
				},
			),
		};
	}
	return collected;
}

function describeFailure(failure: Failure): string {
	const attempts = failure.attempts > 1 ? ` after ${failure.attempts} attempts` : '';
	return `${failure.summary}${attempts}`;
}

function apiError(
	this: IExecuteFunctions,
	failure: Failure,
	itemIndex: number,
	message: string,
	extra?: string,
): NodeApiError {
	const description = [hintFor(failure), extra].filter(Boolean).join(' ');
	// Built from our own plain fields: a raw request error would carry the request headers.
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

/**
 * A failed item under "continue on fail". Json of exactly `{ error }` is the shape every n8n
 * version routes to the error output (1.x accepts no other keys) and merges with the input item,
 * so the user sees which contact failed. Setting `item.error` instead would also route it, but
 * n8n 2.x then rewrites the json and the input item's fields are lost.
 */
function errorItem(message: string, itemIndex: number): INodeExecutionData {
	return { json: { error: message }, pairedItem: { item: itemIndex } };
}

/** Demerges the identities of all items in batches of up to 100, up to 3 requests at a time. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = readOptions.call(this);
	const continueOnFail = this.continueOnFail();

	const collected = collectIdentities.call(this, items);
	if (!continueOnFail) {
		const firstBad = collected.find((entry) => !entry.ok);
		// Nothing has been sent yet: fail before the first destructive request.
		if (firstBad && !firstBad.ok) throw firstBad.error;
	}

	const plan = planBatches(
		collected.map((entry) => (entry.ok ? entry.identities : null)),
		options.batchSize,
	);
	const connection = await getConnection.call(this);

	if (options.dryRun) {
		const url = `${connection.baseUrl}/1/demerge/profiles.json`;
		return [
			collected.map((entry, itemIndex) =>
				entry.ok
					? {
							json: {
								status: 'dryRun',
								identities: entry.identities,
								batches: plan.itemBatches[itemIndex].map((index) => index + 1),
								batchCount: plan.batches.length,
								url,
							},
							pairedItem: { item: itemIndex },
						}
					: errorItem(entry.error.message, itemIndex),
			),
		];
	}

	const cancelSignal = this.getExecutionCancelSignal?.();
	const run = await runBatches({
		batches: plan.batches,
		send: async (identities) =>
			await demergeProfiles.call(this, connection, identities, options.timeout),
		concurrency: options.concurrency,
		maxRetries: options.maxRetries,
		stopOnFailure: !continueOnFail,
		sleep,
		isCancelled: () => cancelSignal?.aborted === true,
	});

	let demerged = 0;
	for (const result of run.results.values()) if (result.ok) demerged++;
	const total = plan.batches.reduce((sum, batch) => sum + batch.length, 0);
	const progress = `${demerged} of ${total} identities were demerged before the node stopped.`;

	const failedPerItem = collected.map((entry) => {
		if (!entry.ok) return [];
		const failed: Array<[string, Failure]> = [];
		for (const identity of entry.identities) {
			const result = run.results.get(identity) as IdentityResult | undefined;
			if (result === undefined) {
				failed.push([
					identity,
					{ ok: false, decision: 'fail', summary: 'No result recorded', attempts: 0 },
				]);
			} else if (!result.ok) {
				failed.push([identity, result.failure]);
			}
		}
		return failed;
	});

	const failureMessage = (itemIndex: number): { message: string; failure: Failure } => {
		const failed = failedPerItem[itemIndex];
		const [firstIdentity, failure] = failed[0];
		const count = (collected[itemIndex] as { identities: string[] }).identities.length;
		const which =
			failed.length === 1
				? `identity "${firstIdentity}"`
				: `${failed.length} of its ${count} identities`;
		const message = failure.notSent
			? `Item ${itemIndex + 1}: ${which} not demerged: the run stopped after an earlier failure (${describeFailure(failure)})`
			: `Item ${itemIndex + 1}: ${which} not demerged: ${describeFailure(failure)}`;
		return { message, failure };
	};

	if (!continueOnFail) {
		// Report the item whose request failed, not one that was merely never sent.
		let culprit = failedPerItem.findIndex((failed) => failed.some(([, f]) => !f.notSent));
		if (culprit === -1) culprit = failedPerItem.findIndex((failed) => failed.length > 0);
		if (culprit !== -1) {
			const { message, failure } = failureMessage(culprit);
			throw apiError.call(this, failure, culprit, message, progress);
		}
	}

	const output: INodeExecutionData[] = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const entry = collected[itemIndex];
		if (!entry.ok) {
			output[itemIndex] = errorItem(entry.error.message, itemIndex);
		} else if (failedPerItem[itemIndex].length === 0) {
			output[itemIndex] = {
				json: { status: 'success', identities: entry.identities },
				pairedItem: { item: itemIndex },
			};
		} else {
			output[itemIndex] = errorItem(failureMessage(itemIndex).message, itemIndex);
		}
	}
	return [output];
}
