/**
 * Upload records (POST /1/upload) built from an item's values and checked against CleverTap's
 * documented limits before anything is sent, so a bad record fails its item alone.
 */

/** CleverTap's documented limits for uploaded data. */
export const UPLOAD_LIMITS = {
	identifierLength: 120,
	propertyNameBytes: 120,
	propertyValueBytes: 512,
	customProperties: 256,
} as const;

/** CleverTap's standard profile properties, by the names its upload API takes. */
export const STANDARD_PROFILE_PROPERTIES = [
	'Name',
	'Email',
	'Phone',
	'Gender',
	'DOB',
	'Identity',
	'MSG-email',
	'MSG-push',
	'MSG-sms',
	'MSG-whatsapp',
] as const;

const STANDARD = new Set<string>(STANDARD_PROFILE_PROPERTIES);
const SUBSCRIPTIONS = new Set(['MSG-email', 'MSG-push', 'MSG-sms', 'MSG-whatsapp']);

export type PropertyValue = string | number | boolean;

export interface UploadRecord {
	type: 'profile' | 'event';
	identity?: string;
	objectId?: string;
	ts?: number;
	profileData?: Record<string, PropertyValue>;
	evtName?: string;
	evtData?: Record<string, PropertyValue>;
}

export type Built = { ok: true; record: UploadRecord } | { ok: false; reason: string };

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The identifier of a record: a non-empty string or number of at most 120 characters. */
function checkIdentifier(value: unknown, noun: string): string | { reason: string } {
	if (value === undefined || value === null) return { reason: `The ${noun} is missing` };
	if (typeof value !== 'string' && typeof value !== 'number') {
		return { reason: `The ${noun} is ${describe(value)}, not text or a number` };
	}
	const text = String(value).trim();
	if (text === '') return { reason: `The ${noun} is empty` };
	if (text.length > UPLOAD_LIMITS.identifierLength) {
		return {
			reason: `The ${noun} is ${text.length} characters long; CleverTap takes at most ${UPLOAD_LIMITS.identifierLength}`,
		};
	}
	return text;
}

/** A date as CleverTap's upload takes it: "$D_" and seconds since 1970, or undefined. */
export function cleverTapDateValue(value: unknown): string | undefined {
	if (typeof value === 'string' && /^\$D_\d+$/.test(value.trim())) return value.trim();
	let ms: number | undefined;
	if (value instanceof Date) ms = value.getTime();
	else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
		const text = value.trim();
		ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
	} else if (value !== null && typeof value === 'object' && 'toMillis' in value) {
		ms = Number((value as { toMillis: () => unknown }).toMillis());
	}
	return ms === undefined || !Number.isFinite(ms) ? undefined : `$D_${Math.floor(ms / 1000)}`;
}

/** Checks one property and brings it to the form CleverTap takes, or says why it cannot. */
function checkProperty(
	name: string,
	value: unknown,
	kind: 'profile' | 'event',
): { ok: true; value: PropertyValue } | { ok: false; reason: string } {
	const fail = (reason: string) => ({ ok: false as const, reason });
	if (bytes(name) > UPLOAD_LIMITS.propertyNameBytes) {
		return fail(
			`The property name "${name.slice(0, 40)}…" is ${bytes(name)} bytes long; CleverTap takes at most ${UPLOAD_LIMITS.propertyNameBytes}`,
		);
	}
	if (
		value !== null &&
		typeof value === 'object' &&
		!(value instanceof Date) &&
		!('toMillis' in value)
	) {
		return fail(
			`The property "${name}" is ${describe(value)}; CleverTap takes text, numbers and true/false`,
		);
	}
	if (typeof value === 'number' && !Number.isFinite(value)) {
		return fail(`The property "${name}" is not a finite number (${value})`);
	}
	let sent: PropertyValue =
		typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
			? value
			: (cleverTapDateValue(value) as string);
	if (kind === 'profile' && name === 'Phone') {
		const phone = String(value).replace(/[\s().-]/g, '');
		if (!/^\+[1-9]\d{5,14}$/.test(phone)) {
			return fail(
				`The phone number "${String(value)}" must start with + and the country code, such as +14155551234`,
			);
		}
		sent = phone;
	}
	if (kind === 'profile' && name === 'DOB') {
		const date = cleverTapDateValue(value);
		if (date === undefined) {
			return fail(`DOB "${String(value)}" is not a date; give it as 1990-04-21`);
		}
		sent = date;
	}
	if (kind === 'profile' && SUBSCRIPTIONS.has(name) && typeof sent === 'string') {
		const answer = sent.trim().toLowerCase();
		if (answer !== 'true' && answer !== 'false') {
			return fail(`The property "${name}" must be true or false, not "${sent}"`);
		}
		sent = answer === 'true';
	}
	if (typeof sent === 'string' && bytes(sent) > UPLOAD_LIMITS.propertyValueBytes) {
		return fail(
			`The value of "${name}" is ${bytes(sent)} bytes long; CleverTap takes at most ${UPLOAD_LIMITS.propertyValueBytes}`,
		);
	}
	return { ok: true, value: sent };
}

/** Checks a set of properties; at most 256 of them may be custom (not one of CleverTap's own). */
function checkProperties(
	properties: Record<string, unknown>,
	kind: 'profile' | 'event',
): { ok: true; data: Record<string, PropertyValue> } | { ok: false; reason: string } {
	const data: Record<string, PropertyValue> = {};
	let custom = 0;
	for (const [rawName, value] of Object.entries(properties)) {
		const name = rawName.trim();
		if (name === '') return { ok: false, reason: 'A property has no name' };
		// A contact without a phone number leaves Phone out, rather than failing or erasing it.
		if (value === undefined || value === null || value === '') continue;
		if (kind === 'event' || !STANDARD.has(name)) custom++;
		const checked = checkProperty(name, value, kind);
		if (!checked.ok) return checked;
		data[name] = checked.value;
	}
	if (custom > UPLOAD_LIMITS.customProperties) {
		return {
			ok: false,
			reason: `The item has ${custom} custom properties; CleverTap takes at most ${UPLOAD_LIMITS.customProperties}`,
		};
	}
	return { ok: true, data };
}

export interface RecordInput {
	identifierType: 'identity' | 'objectId';
	identifier: unknown;
	properties: Record<string, unknown>;
	/** Seconds since 1970; left out when CleverTap should use the time it receives the record. */
	ts?: number;
	/** For an event record. */
	eventName?: unknown;
}

/** A profile record for Create or Update, or why the item cannot be sent. */
export function buildProfileRecord(input: RecordInput): Built {
	return build(input, 'profile');
}

/** An event record for Event → Upload, or why the item cannot be sent. */
export function buildEventRecord(input: RecordInput): Built {
	return build(input, 'event');
}

function build(input: RecordInput, type: 'profile' | 'event'): Built {
	const noun = input.identifierType === 'objectId' ? 'CleverTap ID' : 'identity';
	const identifier = checkIdentifier(input.identifier, noun);
	if (typeof identifier !== 'string') return { ok: false, ...identifier };
	const record: UploadRecord = { type, [input.identifierType]: identifier };
	if (input.ts !== undefined) record.ts = input.ts;
	if (type === 'event') {
		const eventName = typeof input.eventName === 'string' ? input.eventName.trim() : '';
		if (eventName === '') return { ok: false, reason: 'The event name is empty' };
		record.evtName = eventName;
	}
	const checked = checkProperties(input.properties, type);
	if (!checked.ok) return checked;
	if (type === 'event') record.evtData = checked.data;
	else {
		if (Object.keys(checked.data).length === 0) {
			return { ok: false, reason: 'There is nothing to update: add at least one property' };
		}
		record.profileData = checked.data;
	}
	return { ok: true, record };
}
