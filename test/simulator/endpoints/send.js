'use strict';

/**
 * Send to listed users, API 'send' (3 concurrent, the four paths together; not in CleverTap's
 * per-API table, so assumed): POST /1/send/{push,email,sms,webpush}.json
 * (clevertap-api-endpoints.md §6; ids in brackets: the sources in
 * test/fixtures/clevertap-recorded/README.md), body ([SNIP]
 * `sending_message_by_identity_sample_request_payload_*.json`, the ruby gem's cassettes [T]):
 * `{"to": {"Identity": [...], "Email": [...], "objectId": [...], "FBID": [...], "GPID": [...]},
 * "content": {...}, "tag_group"?, "respect_frequency_caps"?, "provider_nick_name"?, "devices"?,
 * "campaign_id"?}`.
 * - `to` keys are capitalised (objectId camelCase). The lowercase `identity` and `email` of External
 *   Trigger are a 400 naming the right spelling (the words are inferred; no answer was recorded);
 *   any other key is a 400 too.
 * - At most `maxRecipients` (1,000) ids in total across all keys (the ruby gem's
 *   MAX_USERS_PER_CAMPAIGN, summed over types, and its recorded split [T]); more is a 400.
 * - Content per channel, the Android channel (recorded HTTP 400 code 9 [T]) and the provider as
 *   content.js says.
 * Taken: HTTP 200 `{ "message" : "Added to queue for processing" , "status" : "success"}`, the body
 * as recorded in 2020 [T], spacing kept. "Added to queue" means accepted, not delivered: there is no
 * per-user result. Every taken send is kept with its recipients (`sim.sends`, `sim.recipients()`,
 * stats `messagesQueued`).
 */

const { JSON_TYPE, BODY } = require('../answers');
const { bodyObjectProblem } = require('./common');
const {
	contentProblem,
	checkDevices,
	missesAndroidChannel,
	providerProblem,
	checkRecipients,
	idsOf,
	ANDROID_CHANNEL,
} = require('./content');

const API = 'send';
const CHANNELS = /** @type {const} */ (['push', 'email', 'sms', 'webpush']);
const PATHS = /** @type {Record<(typeof CHANNELS)[number], string>} */ (
	Object.fromEntries(CHANNELS.map((c) => [c, `/1/send/${c}.json`]))
);
/** The recipient types of this endpoint, spelled as CleverTap wants them. */
const RECIPIENT_TYPES = ['Identity', 'Email', 'objectId', 'FBID', 'GPID'];
/** External Trigger's spellings, and what to say when they come here. */
const WRONG_CASE = /** @type {Record<string, string>} */ ({
	identity: 'to.identity is not a recipient type here: use "Identity" (capitalised)',
	email: 'to.email is not a recipient type here: use "Email" (capitalised)',
	objectid: 'to.objectid is not a recipient type here: use "objectId"',
	ObjectId: 'to.ObjectId is not a recipient type here: use "objectId"',
});

/** @param {(typeof CHANNELS)[number]} channel */
function endpoint(channel) {
	return {
		api: API,
		method: 'POST',
		path: PATHS[channel],
		channel,

		/** @param {any} json */
		identitiesOf(json) {
			return idsOf(json?.to);
		},

		/** @param {any} sim @param {any} record */
		check(sim, record) {
			const error = bodyObjectProblem(record, '{"to": {"Identity": [...]}, "content": {...}}');
			if (error) return { error };
			const json = record.json;
			const to = checkRecipients(json.to, RECIPIENT_TYPES, WRONG_CASE, sim.maxRecipients);
			if ('error' in to) return to;
			const contentError = contentProblem(channel, json.content);
			if (contentError) return { error: contentError };
			const devices = checkDevices(json.devices, false);
			if ('error' in devices) return devices;
			if (channel === 'push' && missesAndroidChannel(json.content, devices.devices)) {
				return ANDROID_CHANNEL;
			}
			if (
				json.respect_frequency_caps !== undefined &&
				typeof json.respect_frequency_caps !== 'boolean'
			) {
				return { error: 'respect_frequency_caps must be true or false' };
			}
			const providerError = providerProblem(sim, channel, json.provider_nick_name);
			if (providerError) return { error: providerError };
			return { ok: { to: to.to, total: to.total } };
		},

		/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {{ to: Record<string, string[]>, total: number }} ok */
		serve(sim, record, res, ok) {
			sim._acceptSend(record, API, channel, ok.to, ok.total, undefined);
			sim._send(record, res, 200, BODY.queued, JSON_TYPE);
		},
	};
}

const ENDPOINTS = CHANNELS.map(endpoint);

module.exports = { API, CHANNELS, PATHS, RECIPIENT_TYPES, ENDPOINTS };
