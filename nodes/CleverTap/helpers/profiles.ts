import type { IDataObject } from 'n8n-workflow';

/** A profile as CleverTap answers it (Get profile, profiles by event): only what the node reads. */
type ProfileRecord = Record<string, unknown> & {
	objectId?: unknown;
	identity?: unknown;
	email?: unknown;
	name?: unknown;
	platformInfo?: unknown;
};

/**
 * A profile record as an output item: its CleverTap ID, identity, email and name first, then every
 * field CleverTap sent. The CleverTap ID is the record's own, or its first device's.
 */
export function profileFields(record: ProfileRecord): IDataObject {
	const devices = Array.isArray(record.platformInfo) ? record.platformInfo : [];
	const firstDevice = devices.find(
		(device): device is { objectId: unknown } =>
			device !== null && typeof device === 'object' && 'objectId' in device,
	);
	return {
		objectId: (record.objectId ?? firstDevice?.objectId ?? null) as IDataObject[string],
		identity: (record.identity ?? null) as IDataObject[string],
		email: (record.email ?? null) as IDataObject[string],
		name: (record.name ?? null) as IDataObject[string],
		...(record as IDataObject),
	};
}

/** True for a value CleverTap could have sent as a profile record. */
export function isProfileRecord(value: unknown): value is ProfileRecord {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A date as CleverTap's event queries take it: the number YYYYMMDD. Reads what n8n hands a
 * dateTime parameter (an ISO text, with or without time and offset, a Date, a Luxon DateTime) and
 * keeps the calendar date as written, or undefined when it is not a date.
 */
export function cleverTapDate(value: unknown): number | undefined {
	let text: string | undefined;
	if (typeof value === 'string') text = value.trim();
	else if (typeof value === 'number') text = String(value);
	else if (value instanceof Date)
		text = Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	else if (value !== null && typeof value === 'object' && 'toISODate' in value) {
		const iso = (value as { toISODate: () => unknown }).toISODate();
		text = typeof iso === 'string' ? iso : undefined;
	}
	const match = text === undefined ? null : /^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])/.exec(text);
	if (!match) return undefined;
	const [, year, month, day] = match;
	const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
	if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day))
		return undefined;
	return Number(`${year}${month}${day}`);
}
