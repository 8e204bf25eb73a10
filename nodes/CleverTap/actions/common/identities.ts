import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isUndecided, parseJsonFieldReference, readJsonPath } from '../../helpers/fieldReference';
import { normaliseIdentities } from '../../helpers/identities';
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

/**
 * Reads every item's identities. A plain `{{ $json.field }}` is read straight from the item:
 * n8n's expression engine costs more per item than the requests do at scale.
 */
export function readIdentities(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Array<ItemRecords<string>> {
	const rawParameter = this.getNode().parameters.identities;
	const fieldPath = parseJsonFieldReference(rawParameter);
	const fieldName = fieldPath?.join('.');
	const collected: Array<ItemRecords<string>> = new Array(items.length);
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
			collected[itemIndex] = { ok: true, records: normalised.identities };
			continue;
		}
		const where = fieldName ? ` (field "${fieldName}")` : '';
		collected[itemIndex] = {
			ok: false,
			error: new NodeOperationError(this.getNode(), `${normalised.reason}${where}`, {
				itemIndex,
				description:
					'Set Identities to the field that holds the identity, such as {{ $json.email }}, or to a list of identities. Empty values, null and objects are not identities.',
			}),
		};
	}
	return collected;
}
