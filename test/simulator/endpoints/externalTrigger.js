'use strict';

/**
 * External Trigger, API 'externalTrigger' (3 concurrent, api-evangelist's copy of CleverTap's
 * table): POST /1/send/externaltrigger.json (clevertap-api-endpoints.md §7, [DOC]
 * https://developer.clevertap.com/docs/external-trigger-api) with
 * `{"to": {"identity" | "email" | "objectId": [...]}, "campaign_id": "<id>" or <id>,
 * "ExternalTrigger"?: {"<key>": "<text>"}}`.
 * - `to` keys are lowercase (objectId camelCase), the doc's spelling; the capitalised `Identity` and
 *   `Email` of Send to users are a 400 naming the right spelling, any other key a 400 too.
 * - At most `maxRecipients` (1,000) ids in total per call: one third-party client batches 1,000
 *   emails; no document confirms it (inferred).
 * - `campaign_id` is required, as text or a number (the doc sends text, some clients a number).
 *   When the simulator knows the account's External-Trigger campaigns (`setExternalTriggerCampaigns`)
 *   any other id is a 400 naming it; by default every id is taken.
 * - Every `ExternalTrigger` value must be text ("CleverTap only supports String Data type for
 *   mapped property values", the doc): a number, true/false, null, an object or a list is a 400
 *   naming the key (though the doc's own example nests objects).
 * The words of those 400s are inferred: no refusal was recorded. Taken:
 * `{"status":"success","message":"Added to queue for processing"}`, HTTP 200 (inferred: no answer
 * was recorded; the words and key order of CleverTap's own send sample [SNIP]). Every taken call is
 * kept with its recipients, as for Send to users.
 */

const { JSON_TYPE, BODY } = require('../answers');
const { bodyObjectProblem } = require('./common');
const { isObject, checkRecipients, idsOf } = require('./content');

const API = 'externalTrigger';
const PATH = '/1/send/externaltrigger.json';
const RECIPIENT_TYPES = ['identity', 'email', 'objectId'];
/** Send to users' spellings, and what to say when they come here. */
const WRONG_CASE = /** @type {Record<string, string>} */ ({
	Identity: 'to.Identity is not a recipient type here: use "identity" (lowercase)',
	Email: 'to.Email is not a recipient type here: use "email" (lowercase)',
	objectid: 'to.objectid is not a recipient type here: use "objectId"',
	ObjectId: 'to.ObjectId is not a recipient type here: use "objectId"',
});

/** @param {unknown} v */
function kindOf(v) {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'a list';
	if (typeof v === 'object') return 'an object';
	return `a ${typeof v}`;
}

module.exports = {
	api: API,
	method: 'POST',
	path: PATH,
	RECIPIENT_TYPES,

	/** @param {any} json */
	identitiesOf(json) {
		return idsOf(json?.to);
	},

	/** @param {any} sim @param {any} record */
	check(sim, record) {
		const error = bodyObjectProblem(
			record,
			'{"to": {"identity": [...]}, "campaign_id": "…", "ExternalTrigger": {...}}',
		);
		if (error) return { error };
		const json = record.json;
		const to = checkRecipients(json.to, RECIPIENT_TYPES, WRONG_CASE, sim.maxRecipients);
		if ('error' in to) return to;
		const id = json.campaign_id;
		const idOk =
			(typeof id === 'string' && id.trim() !== '') ||
			(typeof id === 'number' && Number.isSafeInteger(id) && id > 0);
		if (!idOk) {
			return { error: 'campaign_id is required: the id of an External Trigger campaign' };
		}
		const campaignId = String(id);
		if (sim._triggerCampaigns !== null && !sim._triggerCampaigns.has(campaignId)) {
			return {
				error: `Invalid campaign_id: ${campaignId} is not an External Trigger campaign of this account`,
			};
		}
		const props = json.ExternalTrigger;
		if (props !== undefined) {
			if (!isObject(props)) return { error: 'ExternalTrigger must be an object of texts' };
			for (const [key, value] of Object.entries(props)) {
				if (typeof value !== 'string') {
					return {
						error: `ExternalTrigger.${key} must be a string, got ${kindOf(value)} (CleverTap only supports String values)`,
					};
				}
			}
		}
		return { ok: { to: to.to, total: to.total, campaignId } };
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {{ to: Record<string, string[]>, total: number, campaignId: string }} ok */
	serve(sim, record, res, ok) {
		sim._acceptSend(record, API, 'externaltrigger', ok.to, ok.total, ok.campaignId);
		sim._send(record, res, 200, BODY.triggerQueued, JSON_TYPE);
	},
};
