/**
 * Consent, keyed by address rather than by profile: Unsubscribe and Resubscribe (`/1/subscribe`)
 * and Disassociate Phone (`/1/disassociate`). One record per item, 1,000 a request, each record's
 * result read from CleverTap's answer as an upload's is.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { CLEVERTAP_APIS } from '../../transport/apis';
import { runOptions } from '../common/options';
import { runRecordOperation, type ItemRecords, type RecordOperation } from '../common/pipeline';
import { readIdentifiers } from '../common/readParameters';
import { judgeRecords } from '../common/upload';

export type ConsentChannel = 'email' | 'phone' | 'whatsapp';
const NOUNS: Record<ConsentChannel, string> = {
	email: 'email address',
	phone: 'phone number',
	whatsapp: 'WhatsApp number',
};

/** One address and what to do with it, as CleverTap takes it. */
export interface ConsentRecord {
	type: ConsentChannel;
	value: string;
	status?: 'Unsubscribe' | 'Resubscribe';
}

/**
 * An address as CleverTap takes it, or why not: an email with one "@" and a dot after it; a phone
 * (or WhatsApp) number with "+", the country code and 7 to 15 digits, spaces, dashes, dots and
 * brackets removed.
 */
export function consentValue(
	type: ConsentChannel,
	raw: string,
): { ok: true; value: string } | { ok: false; reason: string } {
	if (type === 'email') {
		const value = raw.trim();
		return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
			? { ok: true, value }
			: { ok: false, reason: `"${value}" is not an email address` };
	}
	const value = raw.replace(/[\s\-.()]/g, '');
	if (!value.startsWith('+')) {
		return {
			ok: false,
			reason: `The ${NOUNS[type]} "${raw}" has no country code: it must start with + and the country code, such as +14155550123`,
		};
	}
	// E.164: a country code never starts with 0; 7 to 15 digits in all.
	return /^\+[1-9]\d{6,14}$/.test(value)
		? { ok: true, value }
		: { ok: false, reason: `"${raw}" is not a ${NOUNS[type]}` };
}

/** What a consent operation is: its API, its parameter and what each record says. */
export function consentOperation(kind: 'Unsubscribe' | 'Resubscribe' | 'disassociate'): {
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
} {
	const operation =
		kind === 'disassociate'
			? 'disassociatePhone'
			: kind === 'Unsubscribe'
				? 'unsubscribe'
				: 'resubscribe';
	const api = kind === 'disassociate' ? 'disassociate' : 'subscribe';
	const parameter = kind === 'disassociate' ? 'phone' : 'value';
	const properties: INodeProperties[] =
		kind === 'disassociate'
			? [
					{
						displayName:
							'Works only for a phone number used as an identity of a profile: the number is taken off that profile, which stays. To give the number to someone else, create their profile afterwards.',
						name: 'notice',
						type: 'notice',
						default: '',
					},
					{
						displayName: 'Phone',
						name: 'phone',
						type: 'string',
						required: true,
						default: '',
						placeholder: 'e.g. {{ $json.phone }}',
						description:
							'For each item, the phone number to free, with + and the country code, such as +14155550123',
					},
				]
			: [
					{
						displayName: `${kind === 'Unsubscribe' ? 'Unsubscribing' : 'Resubscribing'} applies to every profile that shares the address, not only one. To change one profile alone, set its MSG-email, MSG-sms or MSG-whatsapp with Create or Update.`,
						name: 'notice',
						type: 'notice',
						default: '',
					},
					{
						displayName: 'Channel',
						name: 'channel',
						type: 'options',
						noDataExpression: true,
						options: [
							{ name: 'Email', value: 'email' },
							{ name: 'Phone (SMS)', value: 'phone' },
							{ name: 'WhatsApp', value: 'whatsapp' },
						],
						default: 'email',
						description: `Which kind of address to ${kind === 'Unsubscribe' ? 'unsubscribe' : 'resubscribe'}`,
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						required: true,
						default: '',
						placeholder: 'e.g. {{ $json.email }}',
						description:
							'For each item, the email address, or the phone number with + and the country code',
					},
				];
	properties.push(
		runOptions(api, {
			records: kind === 'disassociate' ? 'phone numbers' : 'addresses',
		}),
	);
	const description = updateDisplayOptions(
		{ show: { resource: ['profile'], operation: [operation] } },
		properties,
	);

	async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const type: ConsentChannel =
			kind === 'disassociate'
				? 'phone'
				: (String(this.getNodeParameter('channel', 0, 'email')) as ConsentChannel);
		if (!(type in NOUNS)) {
			throw new NodeOperationError(
				this.getNode(),
				`The channel "${type}" is not one CleverTap knows`,
				{
					itemIndex: 0,
					description: 'Choose Email, Phone (SMS) or WhatsApp.',
				},
			);
		}
		const known = new Map<string, ConsentRecord>();
		const consent: RecordOperation<ConsentRecord> = {
			api,
			words:
				kind === 'disassociate'
					? { done: 'disassociated', one: 'phone number', many: 'phone numbers' }
					: {
							done: kind === 'Unsubscribe' ? 'unsubscribed' : 'resubscribed',
							one: 'address',
							many: 'addresses',
						},
			readItems: (items): Array<ItemRecords<ConsentRecord>> =>
				readIdentifiers.call(this, items, parameter, NOUNS[type]).map((read, itemIndex) => {
					if (!read.ok) return read;
					const checked = consentValue(type, read.value);
					if (!checked.ok) {
						return {
							ok: false,
							error: new NodeOperationError(this.getNode(), checked.reason, {
								itemIndex,
								description:
									type === 'email'
										? 'Fix the address, or leave the item out.'
										: 'Write the number with + and the country code, such as +14155550123.',
							}),
						};
					}
					// The same address in two items is sent once.
					let record = known.get(checked.value);
					if (record === undefined) {
						record =
							kind === 'disassociate'
								? { type, value: checked.value }
								: { type, value: checked.value, status: kind };
						known.set(checked.value, record);
					}
					return { ok: true, records: [record] };
				}),
			request: (records) => ({
				method: 'POST',
				path: CLEVERTAP_APIS[api].path,
				body: { d: [...records] },
			}),
			judge: (response, records) => judgeRecords(response, records),
			name: (record) => `the ${NOUNS[record.type]} "${record.value}"`,
			success: ([record]) =>
				kind === 'disassociate'
					? { status: 'success', phone: record.value }
					: { status: 'success', channel: record.type, value: record.value },
			preview: ([record]) => ({ record: { ...record } }),
		};
		return await runRecordOperation.call(this, consent);
	}
	return { description, execute };
}
