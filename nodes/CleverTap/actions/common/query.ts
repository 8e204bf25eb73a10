/**
 * The parameters every event query shares (event name, From, To, Return All, Limit) and how an
 * item's values are read and checked, so each read says the same thing about the same mistake.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cleverTapDate } from '../../helpers/profiles';
import { daysInRange } from '../../helpers/reports';

const DEFAULT_LIMIT = 50;

/** The Event Name parameter, with what the event is for in this operation. */
export function eventNameProperty(
	description: string,
	placeholder = 'e.g. Charged',
): INodeProperties {
	return {
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		required: true,
		default: '',
		placeholder,
		description,
	};
}

/** From and To: the days of the query, both included. */
export function rangeProperties(what = 'the event'): INodeProperties[] {
	return [
		{
			displayName: 'From',
			name: 'from',
			type: 'dateTime',
			required: true,
			default: '',
			description: `First day of ${what}, in the time zone of your CleverTap account`,
		},
		{
			displayName: 'To',
			name: 'to',
			type: 'dateTime',
			required: true,
			default: '',
			description: `Last day of ${what} (included), in the time zone of your CleverTap account`,
		},
	];
}

/** Return All and Limit. */
export const limitProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** A bad value of an item, said before anything is sent. */
export function invalidInput(
	this: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), message, { itemIndex, description });
}

/** The item's event name, trimmed, or what is wrong with it. */
export function readEventName(
	this: IExecuteFunctions,
	itemIndex: number,
	example = 'Charged',
): string | NodeOperationError {
	const eventName = String(this.getNodeParameter('eventName', itemIndex, '') ?? '').trim();
	if (eventName !== '') return eventName;
	return invalidInput.call(
		this,
		itemIndex,
		'The event name is empty',
		`Enter the event exactly as CleverTap names it, such as ${example}.`,
	);
}

/** The item's From and To as CleverTap's YYYYMMDD numbers, or what is wrong with them. */
export function readRange(
	this: IExecuteFunctions,
	itemIndex: number,
	limits: { maxDays?: number; what?: string } = {},
): { from: number; to: number } | NodeOperationError {
	const invalid = (message: string, description: string) =>
		invalidInput.call(this, itemIndex, message, description);
	const dateHint =
		'Pick a date, or give one as 2026-11-28 (an expression such as {{ $now.minus(1, "day") }} works too).';
	const fromValue = this.getNodeParameter('from', itemIndex, '');
	const toValue = this.getNodeParameter('to', itemIndex, '');
	const from = cleverTapDate(fromValue);
	const to = cleverTapDate(toValue);
	if (from === undefined)
		return invalid(`From is not a date (${JSON.stringify(fromValue)})`, dateHint);
	if (to === undefined) return invalid(`To is not a date (${JSON.stringify(toValue)})`, dateHint);
	if (from > to) return invalid(`From (${from}) is after To (${to})`, 'Swap the two dates.');
	const { maxDays } = limits;
	if (maxDays !== undefined && daysInRange(from, to) > maxDays) {
		return invalid(
			`From (${from}) to To (${to}) is ${daysInRange(from, to)} days; ${limits.what ?? 'this report'} covers at most ${maxDays}`,
			'Choose a shorter range, or split it over several items.',
		);
	}
	return { from, to };
}

/** The item's Limit, or Infinity with Return All. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number {
	if (this.getNodeParameter('returnAll', itemIndex, false) === true) return Infinity;
	return Math.max(
		1,
		Math.floor(Number(this.getNodeParameter('limit', itemIndex, DEFAULT_LIMIT))) || DEFAULT_LIMIT,
	);
}

/** An item's event name and days. */
export interface EventQuery {
	eventName: string;
	from: number;
	to: number;
}

/** The item's event name, From and To, or what is wrong with them. */
export function readEventQuery(
	this: IExecuteFunctions,
	itemIndex: number,
	limits: { maxDays?: number; what?: string } = {},
): EventQuery | NodeOperationError {
	const eventName = readEventName.call(this, itemIndex);
	if (eventName instanceof NodeOperationError) return eventName;
	const range = readRange.call(this, itemIndex, limits);
	if (range instanceof NodeOperationError) return range;
	return { eventName, ...range };
}
