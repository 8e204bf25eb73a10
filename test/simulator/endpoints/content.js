'use strict';

/**
 * What Create Campaign (campaigns.js), Send to users (send.js) and External Trigger
 * (externalTrigger.js) share (clevertap-api-endpoints.md §5-§7; ids in brackets: the sources in
 * test/fixtures/clevertap-recorded/README.md):
 * - the content each channel needs ([SNIP] `sending_*_example_request_payload.json`, the ruby gem's
 *   `lib/clever_tap/campaign/*.rb` [T]): push `title` and `body`; email `subject`, `body` and
 *   `sender_name`; sms `body`; webpush `title` and `body`; whatsapp only an object (its fields are
 *   known from one unverified third-party source);
 * - push to Android needs a notification channel: a push whose `devices` include "android" or whose
 *   `content.platform_specific` has an `android` block, without
 *   `content.platform_specific.android.wzrk_cid`, is answered HTTP 400
 *   `{ "status" : "fail" , "error" : "Notification channel is required for devices having Android 8.0 or above" , "code" : 9}`
 *   (recorded 2020 [T], spacing kept);
 * - `provider_nick_name`: needed for email, sms and whatsapp only when the account has several
 *   providers (`setProviders`); when the simulator knows the account's providers, a name must be one
 *   of them (the ruby gem's recorded email and sms sends had none and were taken [T]);
 * - recipient lists (`to`): arrays of ids per recipient type, at most `maxRecipients` (1,000) in
 *   total across all types (the ruby gem's MAX_USERS_PER_CAMPAIGN, summed over types; its cassette
 *   splits 4 + 4 + 4 + 4 + 2 ids over mixed types with the limit stubbed to 4 [T]).
 */

const { BODY } = require('../answers');

const CHANNEL_FIELDS = /** @type {Record<string, string[]>} */ ({
	push: ['title', 'body'],
	email: ['subject', 'body', 'sender_name'],
	sms: ['body'],
	webpush: ['title', 'body'],
	whatsapp: [],
});
/** The channels that go through a provider the account sets up. */
const PROVIDER_CHANNELS = new Set(['email', 'sms', 'whatsapp']);
const DEVICES = ['android', 'ios', 'windows'];

/** @param {unknown} v */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What is wrong with a channel's content, or undefined.
 * @param {string} channel
 * @param {unknown} content
 */
function contentProblem(channel, content) {
	const fields = CHANNEL_FIELDS[channel];
	if (!isObject(content)) {
		const needs = fields.length > 0 ? `{${fields.map((f) => `"${f}"`).join(', ')}}` : 'an object';
		return `content is required for ${channel}: ${needs}`;
	}
	const c = /** @type {Record<string, unknown>} */ (content);
	for (const field of fields) {
		if (typeof c[field] !== 'string' || c[field] === '') {
			return `content.${field} is required for ${channel}`;
		}
	}
	if (c.platform_specific !== undefined && !isObject(c.platform_specific)) {
		return 'content.platform_specific must be an object';
	}
	return undefined;
}

/**
 * `devices` checked: a list of android, ios and windows (duplicates dropped), required when
 * `required`.
 * @param {unknown} devices
 * @param {boolean} required
 * @returns {{ error: string } | { devices: string[] | undefined }}
 */
function checkDevices(devices, required) {
	if (devices === undefined) {
		return required
			? { error: 'devices is required for push: a list of "android", "ios", "windows"' }
			: { devices: undefined };
	}
	if (!Array.isArray(devices) || devices.length === 0) {
		return { error: 'devices must be a list of "android", "ios", "windows"' };
	}
	for (const d of devices) {
		if (!DEVICES.includes(d)) return { error: `Invalid device: ${JSON.stringify(d)}` };
	}
	return { devices: [...new Set(/** @type {string[]} */ (devices))] };
}

/**
 * True when a push lacks the Android notification channel it needs (the recorded code 9).
 * @param {any} content
 * @param {string[] | undefined} devices
 */
function missesAndroidChannel(content, devices) {
	const android = isObject(content?.platform_specific)
		? content.platform_specific.android
		: undefined;
	if (android === undefined && !devices?.includes('android')) return false;
	const cid = isObject(android) ? android.wzrk_cid : undefined;
	return !(typeof cid === 'string' && cid !== '');
}

/** The recorded code 9 answer, as a check result. */
const ANDROID_CHANNEL = {
	error: 'Notification channel is required for devices having Android 8.0 or above',
	body: BODY.androidChannel,
};

/**
 * What is wrong with `provider_nick_name`, or undefined.
 * @param {{ providers: string[] | null }} sim
 * @param {string} channel
 * @param {unknown} name
 */
function providerProblem(sim, channel, name) {
	if (name !== undefined && (typeof name !== 'string' || name === '')) {
		return 'provider_nick_name must be the nick name of a provider';
	}
	if (!PROVIDER_CHANNELS.has(channel)) return undefined;
	const providers = sim.providers;
	if (providers === null) return undefined;
	if (name === undefined) {
		return providers.length > 1
			? `provider_nick_name is required: this account has ${providers.length} ${channel} providers`
			: undefined;
	}
	if (!providers.includes(/** @type {string} */ (name))) {
		return `Invalid provider_nick_name: ${JSON.stringify(name)}`;
	}
	return undefined;
}

/**
 * A recipient list `to` checked: an object of recipient types to lists of ids (strings, or
 * numbers kept as text), every type one of `types`, at least one id and at most `max` in total.
 * `wrongCase` maps the spellings of the other endpoint to the message that names the right one.
 * @param {unknown} to
 * @param {readonly string[]} types
 * @param {Record<string, string>} wrongCase
 * @param {number} max
 * @returns {{ error: string } | { to: Record<string, string[]>, total: number }}
 */
function checkRecipients(to, types, wrongCase, max) {
	const example = `{${types.map((t) => `"${t}": [...]`).join(', ')}}`;
	if (!isObject(to)) return { error: `to is required: ${example}` };
	/** @type {Record<string, string[]>} */
	const out = {};
	let total = 0;
	for (const [type, ids] of Object.entries(/** @type {Record<string, unknown>} */ (to))) {
		if (!types.includes(type)) {
			return { error: wrongCase[type] ?? `Invalid recipient type in to: ${JSON.stringify(type)}` };
		}
		if (!Array.isArray(ids)) return { error: `to.${type} must be a list of ids` };
		for (const id of ids) {
			const ok =
				(typeof id === 'string' && id.trim() !== '') ||
				(typeof id === 'number' && Number.isFinite(id));
			if (!ok) return { error: `Invalid ${type} in to: ${JSON.stringify(id)}` };
		}
		total += ids.length;
		if (ids.length > 0) out[type] = ids.map(String);
	}
	if (total === 0) return { error: `to has no recipients: ${example}` };
	if (total > max) {
		return {
			error: `Too many recipients: ${total} (at most ${max} per request, counted across ${types.join(', ')})`,
		};
	}
	return { to: out, total };
}

/** Every id of a recipient list, for the request record. @param {unknown} to */
function idsOf(to) {
	if (!isObject(to)) return undefined;
	return Object.values(/** @type {Record<string, unknown>} */ (to)).flatMap((ids) =>
		Array.isArray(ids) ? ids : [],
	);
}

module.exports = {
	CHANNEL_FIELDS,
	DEVICES,
	ANDROID_CHANNEL,
	isObject,
	contentProblem,
	checkDevices,
	missesAndroidChannel,
	providerProblem,
	checkRecipients,
	idsOf,
};
