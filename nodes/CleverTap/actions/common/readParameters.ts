import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isUndecided, parseJsonFieldReference, readJsonPath } from '../../helpers/fieldReference';
import {
	IDENTITY_NOUNS,
	normaliseIdentifier,
	normaliseIdentities,
	type IdentityNouns,
} from '../../helpers/identities';
import type { ItemRecords } from './pipeline';

/** The Identities parameter of the operations that take a list of identities per item. */
export function identitiesParameter(what: string): INodeProperties {
	return {
		displayName: 'Identities',
		name: 'identities',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.email }}',
		description: `For each item, the identity ${what} (email, phone number or customer ID), or a list of them. Usually a field of the item: drag it here from the input (for example the email).`,
	};
}

const FIELD_HINT =
	'Set it to the field that holds the value, such as {{ $json.email }}. Empty values, null and objects cannot be sent.';

/**
 * How to read a parameter (or a path inside one, such as `fields.custom[0].value`) for any item,
 * worked out once from how it was saved: text without "=" as it is, a plain `{{ $json.field }}`
 * straight from the item, anything else evaluated by n8n. n8n's expression engine costs more per
 * item than the requests do at scale.
 */
export function valueReader(
	this: IExecuteFunctions,
	saved: unknown,
	path: string,
): (item: INodeExecutionData, itemIndex: number) => unknown {
	if (typeof saved !== 'string' || !saved.startsWith('=')) return () => saved;
	const fieldPath = parseJsonFieldReference(saved);
	const evaluate = (itemIndex: number) => this.getNodeParameter(path, itemIndex, undefined);
	if (!fieldPath) return (_item, itemIndex) => evaluate(itemIndex);
	return (item, itemIndex) => {
		const value = readJsonPath(item.json, fieldPath);
		return isUndecided(value) ? evaluate(itemIndex) : value;
	};
}

/**
 * Reads a parameter for every item (see `valueReader`). Returns the values and, for a plain field
 * reference, the field's name, for messages.
 */
function readPerItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	parameter: string,
): {
	values: Array<{ ok: true; value: unknown } | { ok: false; error: NodeOperationError }>;
	field?: string;
} {
	const saved = this.getNode().parameters[parameter];
	const read = valueReader.call(this, saved, parameter);
	const values = items.map((item, itemIndex) => {
		try {
			return { ok: true as const, value: read(item, itemIndex) };
		} catch (error) {
			return {
				ok: false as const,
				error: new NodeOperationError(this.getNode(), error as Error, { itemIndex }),
			};
		}
	});
	return { values, field: parseJsonFieldReference(saved)?.join('.') };
}

function badInput(
	this: IExecuteFunctions,
	reason: string,
	field: string | undefined,
	itemIndex: number,
	description: string,
): { ok: false; error: NodeOperationError } {
	const where = field ? ` (field "${field}")` : '';
	return {
		ok: false,
		error: new NodeOperationError(this.getNode(), `${reason}${where}`, { itemIndex, description }),
	};
}

/**
 * Every item's identities (one, or a list of up to 100), trimmed and unique, or why not; `nouns`
 * name them in messages (CleverTap IDs for a delete by CleverTap ID).
 */
export function readIdentities(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	nouns: IdentityNouns = IDENTITY_NOUNS,
): Array<ItemRecords<string>> {
	const { values, field } = readPerItem.call(this, items, 'identities');
	const example = nouns === IDENTITY_NOUNS ? '{{ $json.email }}' : '{{ $json.objectId }}';
	return values.map((read, itemIndex) => {
		if (!read.ok) return read;
		const normalised = normaliseIdentities(read.value, nouns);
		return normalised.ok
			? { ok: true, records: normalised.identities }
			: badInput.call(
					this,
					normalised.reason,
					field,
					itemIndex,
					`Set Identities to the field that holds the ${nouns.one}, such as ${example}, or to a list of ${nouns.many}. Empty values, null and objects cannot be sent.`,
				);
	});
}

/**
 * Every item's single value of `parameter` (an identity, an email, a CleverTap ID), or why not;
 * `noun` names it in messages, per item when it depends on the item.
 */
export function readIdentifiers(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	parameter: string,
	noun: string | ((itemIndex: number) => string),
): Array<{ ok: true; value: string } | { ok: false; error: NodeOperationError }> {
	const { values, field } = readPerItem.call(this, items, parameter);
	return values.map((read, itemIndex) => {
		if (!read.ok) return read;
		const normalised = normaliseIdentifier(
			read.value,
			typeof noun === 'string' ? noun : noun(itemIndex),
		);
		return normalised.ok
			? normalised
			: badInput.call(this, normalised.reason, field, itemIndex, FIELD_HINT);
	});
}
