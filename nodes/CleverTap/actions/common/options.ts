import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CLEVERTAP_APIS, minRecordsPerRequest, type CleverTapApi } from '../../transport/apis';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 5;
export const MAX_RETRIES_LIMIT = 10;
export const MIN_TIMEOUT_MS = 1000;
export const MAX_TIMEOUT_MS = 10 * 60_000;

/** The options of one run, each within its allowed range. */
export interface RunSettings {
	batchSize: number;
	concurrency: number;
	dryRun: boolean;
	maxRetries: number;
	timeout: number;
	includeInputFields: boolean;
}

/** What a record is called in an option's words, e.g. "identities" or "records". */
interface OptionWords {
	records: string;
	/** False for operations that send one record a request (no Batch Size option). */
	batched?: boolean;
	/** Default of Include Input Fields. */
	includeInputFieldsByDefault?: boolean;
	/** Options an operation has no use for. */
	omit?: Array<'concurrency' | 'dryRun' | 'includeInputFields'>;
	/** Batch Size's description, where "records per request" is not what it means. */
	batchSizeDescription?: string;
	/** Options of the operation's own, sorted in with the rest. */
	extra?: INodeProperties[];
}

/** Batch Size of the operations that read a list of identities per item (Demerge, Delete). */
export const IDENTITIES_BATCH_SIZE_DESCRIPTION =
	"How many identities to send in one request. An item's identities always go in the same request, so an item with more than this goes in a request of its own. CleverTap takes at most 100.";

/** The Options collection of an operation on `api`, with ranges from CleverTap's limits. */
export function runOptions(api: CleverTapApi, words: OptionWords): INodeProperties {
	const { maxRecordsPerRequest, maxConcurrentRequests } = CLEVERTAP_APIS[api];
	const options: INodeProperties[] = [];
	if (words.batched !== false) {
		options.push({
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: minRecordsPerRequest(api), maxValue: maxRecordsPerRequest },
			default: maxRecordsPerRequest,
			description:
				words.batchSizeDescription ??
				`How many ${words.records} to send in one request. CleverTap takes at most ${maxRecordsPerRequest}.`,
		});
	}
	options.push(
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: maxConcurrentRequests },
			default: maxConcurrentRequests,
			description: `How many requests CleverTap may work on at the same time. CleverTap allows ${maxConcurrentRequests} at a time for each account, shared with every other system that uses the account. At ${maxConcurrentRequests}, the node sends the next request while earlier answers are still on their way back, timed to reach CleverTap as a place frees there; set lower, it is a hard cap on the requests open. When CleverTap is busy the node waits and sends fewer at a time by itself.`,
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to only check the input and show what would be sent, without sending anything to CleverTap',
		},
		{
			displayName: 'Include Input Fields',
			name: 'includeInputFields',
			type: 'boolean',
			default: true,
			description:
				"Whether each result also carries the fields of the item it came from (such as the contact's ID and name), so it can be matched to its record",
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: MAX_RETRIES_LIMIT },
			default: DEFAULT_MAX_RETRIES,
			description:
				'How often to try a request again when CleverTap is briefly unavailable or does not answer, waiting longer each time. When CleverTap is busy, the node waits its turn without using these.',
		},
		{
			displayName: 'Timeout (Milliseconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: MIN_TIMEOUT_MS },
			default: DEFAULT_TIMEOUT_MS,
			description:
				'How long to wait for CleverTap to answer one request before trying again, in milliseconds (30000 is 30 seconds)',
		},
	);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...options, ...(words.extra ?? [])]
			.sort((a, b) => a.displayName.localeCompare(b.displayName))
			.filter((option) => !(words.omit as string[] | undefined)?.includes(option.name))
			.map((option) =>
				option.name === 'includeInputFields' && words.includeInputFieldsByDefault === false
					? { ...option, default: false }
					: option,
			),
	};
}

/** A number option as typed or computed; blank or non-numeric text means the default. */
export function clamp(value: unknown, fallback: number, min: number, max: number): number {
	// An expression can hand over "50" as text.
	const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const number =
		typeof parsed === 'number' && Number.isFinite(parsed) ? Math.floor(parsed) : fallback;
	return Math.min(max, Math.max(min, number));
}

/** Reads the Options collection; values outside their range are brought to the nearest allowed. */
export function readRunSettings(
	this: IExecuteFunctions,
	api: CleverTapApi,
	includeInputFieldsByDefault = true,
): RunSettings {
	const { maxRecordsPerRequest, maxConcurrentRequests } = CLEVERTAP_APIS[api];
	const raw = this.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		batchSize: clamp(
			raw.batchSize,
			maxRecordsPerRequest,
			minRecordsPerRequest(api),
			maxRecordsPerRequest,
		),
		concurrency: clamp(raw.concurrency, maxConcurrentRequests, 1, maxConcurrentRequests),
		dryRun: raw.dryRun === true,
		maxRetries: clamp(raw.maxRetries, DEFAULT_MAX_RETRIES, 0, MAX_RETRIES_LIMIT),
		timeout: clamp(raw.timeout, DEFAULT_TIMEOUT_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS),
		includeInputFields:
			typeof raw.includeInputFields === 'boolean'
				? raw.includeInputFields
				: includeInputFieldsByDefault,
	};
}
