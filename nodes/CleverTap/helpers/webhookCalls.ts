import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/** A webhook call from CleverTap, read whatever its key casing and profile form. */
export interface WebhookCall {
	isTest: boolean;
	campaignId: number | string | null;
	keyValues: IDataObject;
	profiles: IDataObject[];
}

export type ReadCall = { call: WebhookCall } | { problem: string };

const FORMAT_HINT =
	'In CleverTap, choose JSON as the webhook\'s format with the body "Profile variables & custom key value pairs".';

/** A key as CleverTap may spell it: `ProfileData`, `profileData` and `profile_data` are one key. */
function keyOf(name: string): string {
	return name.toLowerCase().replace(/_/g, '');
}

/** The value under a key, whatever its casing or underscores; the first spelling found wins. */
export function pick(source: IDataObject, name: string): unknown {
	const wanted = keyOf(name);
	for (const key of Object.keys(source)) {
		if (keyOf(key) === wanted && source[key] !== undefined) return source[key];
	}
	return undefined;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
	if (value === null) return 'empty (null)';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return 'a text';
	return `a ${typeof value}`;
}

/** Reads a call's body (parsed JSON, or its text), or says in plain words why it cannot. */
export function readCall(body: unknown): ReadCall {
	let payload = body;
	if (typeof body === 'string') {
		try {
			payload = JSON.parse(body);
		} catch {
			return { problem: `The call's body is not JSON. ${FORMAT_HINT}` };
		}
	}
	if (!isObject(payload)) {
		return {
			problem: `The call's body must be a JSON object with "profiles", but it is ${kindOf(payload)}. ${FORMAT_HINT}`,
		};
	}
	const profiles = pick(payload, 'profiles');
	if (profiles === undefined) {
		return { problem: `The call has no "profiles". ${FORMAT_HINT}` };
	}
	// Broadcast webhooks send a list of profiles; every other webhook sends one profile object.
	const list = Array.isArray(profiles) ? profiles : [profiles];
	const bad = list.findIndex((profile) => !isObject(profile));
	if (bad !== -1) {
		const which = Array.isArray(profiles) ? `Profile ${bad + 1} of ${list.length}` : '"profiles"';
		return {
			problem: `${which} is not an object with a person's fields: it is ${kindOf(list[bad])}.`,
		};
	}
	const keyValues = pick(payload, 'key_values');
	const campaignId = pick(payload, 'targetId');
	const isTest = pick(payload, 'is_test');
	return {
		call: {
			isTest: isTest === true || isTest === 'true',
			campaignId:
				typeof campaignId === 'number' || typeof campaignId === 'string' ? campaignId : null,
			keyValues: isObject(keyValues) ? keyValues : {},
			profiles: list as IDataObject[],
		},
	};
}

const DATE = /^\$D_(\d{1,16})$/;

/** CleverTap's `$D_<epoch seconds>` dates as ISO dates, anywhere inside the value. */
export function withIsoDates(value: unknown): unknown {
	if (typeof value === 'string') {
		const match = DATE.exec(value);
		if (!match) return value;
		// Seconds, as CleverTap sends them; 13 digits and more can only be milliseconds.
		const epoch = Number(match[1]);
		const ms = match[1].length >= 13 ? epoch : epoch * 1000;
		const date = new Date(ms);
		return Number.isNaN(date.getTime()) ? value : date.toISOString();
	}
	if (Array.isArray(value)) return value.map(withIsoDates);
	if (isObject(value)) {
		const out: IDataObject = {};
		for (const [key, inner] of Object.entries(value)) out[key] = withIsoDates(inner) as IDataObject;
		return out;
	}
	return value;
}

function text(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return null;
}

function objectOrEmpty(value: unknown): IDataObject {
	return isObject(value) ? value : {};
}

/** An object's copy with ISO dates, or an empty one for anything else. */
function object(value: unknown): IDataObject {
	return withIsoDates(objectOrEmpty(value)) as IDataObject;
}

/** One profile of a call as the trigger's item: the fields people map, then the profile as sent. */
export function profileItem(profile: IDataObject, call: WebhookCall): IDataObject {
	return {
		identity: text(pick(profile, 'identity')),
		email: text(pick(profile, 'email')),
		objectId: text(pick(profile, 'objectId')),
		phone: text(pick(profile, 'phone')),
		name: text(pick(profile, 'name')),
		profileData: object(pick(profile, 'profileData')),
		eventProperties: object(pick(profile, 'event_properties')),
		// The profile's own key-values (personalised) override the call's.
		keyValues: object({ ...call.keyValues, ...objectOrEmpty(pick(profile, 'key_values')) }),
		campaignId: call.campaignId,
		isTest: call.isTest,
		raw: profile,
	};
}

/** The whole call as one item: its campaign, key-values and every profile as an item would be. */
export function callItem(call: WebhookCall): IDataObject {
	return {
		campaignId: call.campaignId,
		keyValues: object(call.keyValues),
		isTest: call.isTest,
		profileCount: call.profiles.length,
		profiles: call.profiles.map((profile) => {
			const item = profileItem(profile, call);
			delete item.campaignId;
			delete item.isTest;
			return item;
		}),
	};
}

/** A digest naming a call's body, so an identical call (CleverTap's retry) is known again. */
export function callFingerprint(body: unknown): string {
	const textBody = typeof body === 'string' ? body : JSON.stringify(body ?? null);
	return createHash('sha256').update(textBody).digest('base64');
}

export const RETRY_WINDOW_MS = 10 * 60 * 1000;
const REMEMBERED_CALLS = 1000;

/**
 * Whether a call was already received within the window, remembering it if not. `seen` maps
 * fingerprints to when they came (kept in the workflow's static data); it is pruned here.
 */
export function seenBefore(seen: IDataObject, fingerprint: string, now: number): boolean {
	for (const [key, at] of Object.entries(seen)) {
		if (typeof at !== 'number' || now - at >= RETRY_WINDOW_MS) delete seen[key];
	}
	const at = seen[fingerprint];
	if (typeof at === 'number') return true;
	const keys = Object.keys(seen);
	// Oldest first: object keys keep insertion order, and calls are remembered as they come.
	for (const key of keys.slice(0, Math.max(0, keys.length - REMEMBERED_CALLS + 1))) {
		delete seen[key];
	}
	seen[fingerprint] = now;
	return false;
}
