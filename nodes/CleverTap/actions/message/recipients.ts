/** Who a message goes to: the Identify By and Value parameters, and one record per person. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export type IdentifierType = 'identity' | 'email' | 'objectId';

export const NOUNS: Record<IdentifierType, string> = {
	identity: 'identity',
	email: 'email',
	objectId: 'CleverTap ID',
};

/** Identify By and Value: how each item names its person. */
export function identifierProperties(what: string): INodeProperties[] {
	return [
		{
			displayName: 'Identify By',
			name: 'identifierType',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'CleverTap ID', value: 'objectId' },
				{ name: 'Email', value: 'email' },
				{ name: 'Identity', value: 'identity' },
			],
			default: 'identity',
			description: `Whether the person ${what} is found by identity (email, phone number or customer ID), by email or by CleverTap ID`,
		},
		{
			displayName: 'Value',
			name: 'identifier',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. {{ $json.email }}',
			description: `For each item, the identity, email or CleverTap ID of the person ${what}. Usually a field of the item: drag it here from the input.`,
		},
	];
}

/** The run's Identify By, checked. */
export function readIdentifierType(this: IExecuteFunctions): IdentifierType {
	const value = String(this.getNodeParameter('identifierType', 0, 'identity'));
	if (value in NOUNS) return value as IdentifierType;
	throw new NodeOperationError(
		this.getNode(),
		`Identify By "${value}" is not one CleverTap knows`,
		{
			itemIndex: 0,
			description: 'Choose Identity, Email or CleverTap ID.',
		},
	);
}

/**
 * One record per person and message: two items that send the same message to the same person get
 * the same record, so it is sent once and both items get its result.
 */
export function recipientsOf<R extends { message: string; identifier: string }>(): (
	message: string,
	identifier: string,
	rest: Omit<R, 'message' | 'identifier'>,
) => R {
	const known = new Map<string, R>();
	return (message, identifier, rest) => {
		const key = `${message}\u0000${identifier}`;
		let recipient = known.get(key);
		if (recipient === undefined) {
			recipient = { ...rest, message, identifier } as R;
			known.set(key, recipient);
		}
		return recipient;
	};
}
