/** CleverTap accepts at most this many identities in one demerge or delete request (as in transport/apis.ts). */
export const MAX_IDENTITIES_PER_REQUEST = 100;

/**
 * Longest identity the node sends. CleverTap documents no limit for demerge; identity values it
 * stores are short (emails, phone numbers, customer IDs), so a longer value is almost certainly the
 * wrong field (a whole record, a note) and is rejected before it costs a request.
 */
export const MAX_IDENTITY_LENGTH = 1024;

export type NormalisedIdentities =
	{ ok: true; identities: string[] } | { ok: false; reason: string };

/** What the values are called in messages: identities, or CleverTap IDs. */
export interface IdentityNouns {
	one: string;
	many: string;
}

export const IDENTITY_NOUNS: IdentityNouns = { one: 'identity', many: 'identities' };

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function normaliseOne(value: unknown, position: string): string | { reason: string } {
	if (value === undefined) return { reason: `${position} is missing` };
	if (value === null) return { reason: `${position} is null` };
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return { reason: `${position} is not a finite number (${value})` };
		return String(value);
	}
	if (typeof value === 'bigint') return value.toString();
	if (typeof value !== 'string') {
		return { reason: `${position} is ${describe(value)}, not a string or number` };
	}
	const trimmed = value.trim();
	if (trimmed === '')
		return { reason: `${position} is ${value === '' ? 'empty' : 'only whitespace'}` };
	if (trimmed.length > MAX_IDENTITY_LENGTH) {
		return {
			reason: `${position} is ${trimmed.length} characters long; the most is ${MAX_IDENTITY_LENGTH}`,
		};
	}
	return trimmed;
}

/**
 * One identifier (an identity, an email, a CleverTap ID) trimmed, or why it cannot be sent, in
 * the words "The <noun> is …".
 */
export function normaliseIdentifier(
	value: unknown,
	noun = 'identity',
): { ok: true; value: string } | { ok: false; reason: string } {
	const single = normaliseOne(value, `The ${noun}`);
	return typeof single === 'string' ? { ok: true, value: single } : { ok: false, ...single };
}

/**
 * Turns one item's `identities` value (a string, a number or a list of them) into trimmed, unique
 * strings, or the reason it cannot be sent. An item is all or nothing: one bad entry fails the
 * item, so no item is half demerged because of its own input.
 */
export function normaliseIdentities(
	value: unknown,
	nouns: IdentityNouns = IDENTITY_NOUNS,
): NormalisedIdentities {
	if (!Array.isArray(value)) {
		const single = normaliseOne(value, `The ${nouns.one}`);
		return typeof single === 'string'
			? { ok: true, identities: [single] }
			: { ok: false, ...single };
	}
	if (value.length === 0) return { ok: false, reason: `The list of ${nouns.many} is empty` };
	const unique = new Set<string>();
	for (let index = 0; index < value.length; index++) {
		const entry: unknown = value[index];
		const position = `${capitalised(nouns.one)} ${index + 1} of the list`;
		if (Array.isArray(entry)) {
			return {
				ok: false,
				reason: `${position} is a nested list; give a flat list of ${nouns.many}`,
			};
		}
		const single = normaliseOne(entry, position);
		if (typeof single !== 'string') return { ok: false, ...single };
		unique.add(single);
	}
	if (unique.size > MAX_IDENTITIES_PER_REQUEST) {
		return {
			ok: false,
			reason: `The item has ${unique.size} different ${nouns.many}; one item may have at most ${MAX_IDENTITIES_PER_REQUEST}, since CleverTap takes at most ${MAX_IDENTITIES_PER_REQUEST} in one request and an item's ${nouns.many} are sent together`,
		};
	}
	return { ok: true, identities: [...unique] };
}
