import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	buildEventRecord,
	buildProfileRecord,
	STANDARD_PROFILE_PROPERTIES,
	UPLOAD_LIMITS,
	type UploadRecord,
} from '../../helpers/records';
import { mapUnprocessed, type Refusal } from '../../helpers/unprocessed';
import { judgeResponse, parseBody, type FullResponse } from '../../transport';
import { CLEVERTAP_APIS } from '../../transport/apis';
import type { RecordOutcome, SendOutcome } from '../../transport/batchRunner';
import { maybeRefusedRecord, refusedRecord, uncountedRecord } from './messages';
import { runOptions } from './options';
import type { ItemRecords, RecordOperation } from './pipeline';
import { readIdentifiers, valueReader } from './readParameters';

/** One item's record, and which item it came from (records are distinct objects, never merged). */
export interface ItemUpload {
	itemIndex: number;
	identifier: string;
	record: UploadRecord;
}

type Kind = 'profile' | 'event';

const NOUN = { identity: 'identity', objectId: 'CleverTap ID' } as const;

/** The parameters of Create or Update (profile) and Upload (event). */
export function uploadParameters(kind: Kind): INodeProperties[] {
	const propertyFields = (nameField: INodeProperties): INodeProperties[] => [
		nameField,
		{
			displayName: 'Value',
			name: 'value',
			type: 'string',
			default: '',
			description: `Text, a number or true/false; at most ${UPLOAD_LIMITS.propertyValueBytes} bytes`,
		},
	];
	const customName: INodeProperties = {
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: kind === 'profile' ? 'e.g. Plan' : 'e.g. Amount',
		description: `The property's name, at most ${UPLOAD_LIMITS.propertyNameBytes} bytes`,
	};
	return [
		{
			displayName: 'Identify By',
			name: 'identifierType',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'CleverTap ID', value: 'objectId' },
				{ name: 'Identity', value: 'identity' },
			],
			default: 'identity',
			description:
				kind === 'profile'
					? 'Whether the profile is found by its identity (email, phone number or customer ID) or by its CleverTap ID. To put an identity back on a profile after a demerge, use its CleverTap ID and set the standard property Identity.'
					: 'Whether the profile that did the event is found by its identity or by its CleverTap ID',
		},
		{
			displayName: 'Value',
			name: 'identifier',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. jane@example.com',
			description: `For each item, the identity or CleverTap ID of the profile, at most ${UPLOAD_LIMITS.identifierLength} characters. Usually a field of the item: drag it here from the input.`,
		},
		...(kind === 'event'
			? [
					{
						displayName: 'Event Name',
						name: 'eventName',
						type: 'string' as const,
						required: true,
						default: '',
						placeholder: 'e.g. Order Placed',
						description: 'The name of the event, as it should appear in CleverTap',
					},
				]
			: []),
		{
			displayName: kind === 'profile' ? 'Profile Data' : 'Event Data',
			name: 'dataMode',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Define Below', value: 'fields' },
				{ name: 'JSON', value: 'json' },
			],
			default: 'fields',
			description: 'Whether to list the properties one by one or give them as one JSON object',
		},
		{
			displayName: 'Properties',
			name: 'fields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add property',
			default: {},
			displayOptions: { show: { dataMode: ['fields'] } },
			options:
				kind === 'profile'
					? [
							{
								displayName: 'Standard Property',
								name: 'standard',
								values: propertyFields({
									displayName: 'Name',
									name: 'name',
									type: 'options',
									options: STANDARD_PROFILE_PROPERTIES.map((name) => ({ name, value: name })),
									default: 'Name',
									description:
										"One of CleverTap's own profile properties. Phone must start with + and the country code; DOB is a date; MSG-… are true or false.",
								}),
							},
							{
								displayName: 'Custom Property',
								name: 'custom',
								values: propertyFields(customName),
							},
						]
					: [{ displayName: 'Property', name: 'custom', values: propertyFields(customName) }],
		},
		{
			displayName: 'JSON',
			name: 'json',
			type: 'json',
			default: '{}',
			displayOptions: { show: { dataMode: ['json'] } },
			description:
				'The properties as one JSON object of names and values, usually a field of the item that holds them',
		},
		runOptions('upload', {
			records: 'records',
			extra: [
				{
					displayName: 'Retry When Unsure',
					name: 'retryWhenUnsure',
					type: 'boolean',
					default: true,
					description:
						kind === 'event'
							? 'Whether to send a request again when its answer was lost (a timeout, a broken connection, a 5xx). CleverTap may have recorded it already: an event sent twice is counted twice (a Charged event, twice the revenue), and each item sent again says resent: true. Off, those items fail instead, and nothing is sent twice.'
							: 'Whether to send a request again when its answer was lost (a timeout, a broken connection, a 5xx). CleverTap may have taken it already; a profile update sent twice sets the same values again, and each item sent again says resent: true. Off, those items fail instead, and nothing is sent twice.',
				},
				{
					displayName: 'Timestamp',
					name: 'timestamp',
					type: 'dateTime',
					default: '',
					description:
						kind === 'profile'
							? "When the change happened, for example the item's own date field; left empty, CleverTap uses the time it receives it"
							: "When the event happened, for example the item's own date field; left empty, CleverTap uses the time it receives it",
				},
			],
		}),
	];
}

/**
 * How to read the Properties (or the JSON) of an item, worked out once for the run: by name, raw
 * as given, checked when the record is built; a text is what is wrong with them.
 */
export function propertiesReader(
	this: IExecuteFunctions,
	mode: string,
	saved: INodeParameters,
): (item: INodeExecutionData, itemIndex: number) => Record<string, unknown> | string {
	if (mode === 'json') {
		const read = valueReader.call(this, saved.json, 'json');
		return (item, itemIndex) => {
			let value = read(item, itemIndex);
			if (typeof value === 'string') {
				try {
					value = JSON.parse(value === '' ? '{}' : value);
				} catch {
					return 'The JSON is not valid JSON';
				}
			}
			return value !== null && typeof value === 'object' && !Array.isArray(value)
				? (value as Record<string, unknown>)
				: `The JSON must be an object of names and values, not ${Array.isArray(value) ? 'a list' : typeof value}`;
		};
	}
	const groups = (saved.fields ?? {}) as Record<string, Array<{ name?: unknown; value?: unknown }>>;
	const readers = ['standard', 'custom'].flatMap((group) =>
		(groups[group] ?? []).map((entry, index) => {
			const path = `fields.${group}[${index}]`;
			return {
				name: valueReader.call(this, entry.name, `${path}.name`),
				value: valueReader.call(this, entry.value, `${path}.value`),
			};
		}),
	);
	return (item, itemIndex) => {
		const properties: Record<string, unknown> = {};
		for (const reader of readers) {
			properties[String(reader.name(item, itemIndex) ?? '')] = reader.value(item, itemIndex);
		}
		return properties;
	};
}

/**
 * Seconds since 1970 of an item's Timestamp option (often an expression such as
 * `{{ $json.orderedAt }}`), undefined when it is empty, a message when it is not a date.
 */
function toEpochSeconds(raw: unknown): number | undefined | string {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const ms =
		typeof raw === 'number'
			? raw * (raw < 1e12 ? 1000 : 1)
			: typeof raw === 'object' && 'toMillis' in raw
				? Number((raw as { toMillis: () => unknown }).toMillis())
				: Date.parse(String(raw));
	if (!Number.isFinite(ms)) return `The Timestamp "${String(raw)}" is not a date`;
	return Math.floor(ms / 1000);
}

/**
 * CleverTap answers an upload with HTTP 200 and a per-record account: an item succeeds only when
 * its record is not among `unprocessed`, whatever the top-level status says (it has been recorded
 * saying "success" with a record unprocessed).
 */
export function judgeUpload(response: FullResponse, records: readonly ItemUpload[]): SendOutcome {
	return judgeRecords(
		response,
		records.map((entry) => entry.record),
	);
}

/**
 * An answer that accounts for each record it refused (uploads, consent): the records as they
 * were sent, in the request's order.
 */
export function judgeRecords(response: FullResponse, records: readonly unknown[]): SendOutcome {
	const body = parseBody(response.body);
	const accounted =
		response.statusCode >= 200 &&
		response.statusCode < 300 &&
		body !== undefined &&
		(Array.isArray(body.unprocessed) || typeof body.processed === 'number');
	if (!accounted) return judgeResponse(response);
	const { refused, unplaced } = mapUnprocessed(body.unprocessed, records);
	// A "fail" that names no record and counts none is about the whole request.
	if (
		body.status === 'fail' &&
		typeof body.processed !== 'number' &&
		refused.size === 0 &&
		unplaced.length === 0
	) {
		return judgeResponse(response);
	}
	// Fewer records taken than CleverTap accounts for: which ones is not said, so none is claimed.
	const unconfirmed =
		unplaced.length === 0 &&
		typeof body.processed === 'number' &&
		body.processed + refused.size < records.length;
	const notTaken = (summary: string, refusal?: Refusal): RecordOutcome => ({
		ok: false,
		failure: {
			ok: false,
			decision: 'fail',
			status: response.statusCode,
			...(refusal && { apiCode: refusal.code, apiError: refusal.error }),
			summary,
		},
	});
	const outcomes: Array<RecordOutcome | undefined> = records.map((_entry, position) => {
		if (unconfirmed && !refused.has(position)) {
			return notTaken(uncountedRecord(Number(body.processed), records.length));
		}
		const refusal = refused.get(position) ?? (unplaced.length > 0 ? unplaced[0] : undefined);
		if (!refusal) return undefined;
		return notTaken(
			refused.has(position)
				? refusedRecord(refusal)
				: maybeRefusedRecord(refusal, unplaced.length, records.length),
			refusal,
		);
	});
	return { ok: true, status: response.statusCode, records: outcomes };
}

/** Create or Update (profile) or Upload (event): one record per item, 1,000 a request, 15 at a time. */
export function uploadOperation(this: IExecuteFunctions, kind: Kind): RecordOperation<ItemUpload> {
	const identifierType =
		this.getNodeParameter('identifierType', 0, 'identity') === 'objectId' ? 'objectId' : 'identity';
	const build = kind === 'profile' ? buildProfileRecord : buildEventRecord;
	const retryWhenUnsure =
		(this.getNodeParameter('options', 0, {}) as IDataObject).retryWhenUnsure !== false;
	return {
		api: 'upload',
		words: { done: 'uploaded', one: 'record', many: 'records', unsureDone: 'recorded' },
		// Off, a lost answer fails its records instead of sending them again; a refusal is still
		// narrowed down, since CleverTap took nothing of a refused request.
		atMostOnce: !retryWhenUnsure,
		splitRefused: true,
		readItems: (items): Array<ItemRecords<ItemUpload>> => {
			// One copy of the parameters for the run: n8n copies the whole node on every getNode().
			const saved = this.getNode().parameters;
			const savedOptions = (saved.options ?? {}) as IDataObject;
			const readTimestamp = valueReader.call(this, savedOptions.timestamp, 'options.timestamp');
			const identifiers = readIdentifiers.call(this, items, 'identifier', NOUN[identifierType]);
			const readProperties = propertiesReader.call(
				this,
				String(this.getNodeParameter('dataMode', 0, 'fields')),
				saved,
			);
			const readEventName = valueReader.call(this, saved.eventName, 'eventName');
			return items.map((item, itemIndex) => {
				const fail = (reason: string) => ({
					ok: false as const,
					error: new NodeOperationError(this.getNode(), reason, {
						itemIndex,
						description:
							"Fix the item's values, or the parameters, so they fit what CleverTap takes (the message names the limit).",
					}),
				});
				const identifier = identifiers[itemIndex];
				if (!identifier.ok) return identifier;
				try {
					const timestamp = toEpochSeconds(readTimestamp(item, itemIndex));
					if (typeof timestamp === 'string') {
						return {
							ok: false,
							error: new NodeOperationError(this.getNode(), timestamp, {
								itemIndex,
								description:
									'Pick a date and time under Options → Timestamp, or set it to a field of the item that holds one, or leave it empty.',
							}),
						};
					}
					const properties = readProperties(item, itemIndex);
					if (typeof properties === 'string') return fail(properties);
					const built = build({
						identifierType,
						identifier: identifier.value,
						properties,
						ts: timestamp,
						eventName: kind === 'event' ? readEventName(item, itemIndex) : undefined,
					});
					if (!built.ok) return fail(built.reason);
					return {
						ok: true,
						records: [{ itemIndex, identifier: identifier.value, record: built.record }],
					};
				} catch (error) {
					return {
						ok: false,
						error: new NodeOperationError(this.getNode(), error as Error, { itemIndex }),
					};
				}
			});
		},
		request: (records) => ({
			method: CLEVERTAP_APIS.upload.method,
			path: CLEVERTAP_APIS.upload.path,
			body: { d: records.map((entry) => entry.record) },
		}),
		judge: judgeUpload,
		name: (entry) => `the ${kind} record for ${NOUN[identifierType]} "${entry.identifier}"`,
		success: ([entry], [result]) => ({
			status: 'success',
			identifier: entry.identifier,
			// Sent again after a lost answer: CleverTap may have it twice.
			...(result?.ok && result.resent ? { resent: true } : {}),
		}),
		preview: ([entry]) => ({ record: entry.record as unknown as IDataObject }),
	};
}
