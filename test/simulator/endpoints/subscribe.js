'use strict';

/**
 * Subscribe, API 'subscribe' (3 concurrent, as every API but upload): POST /1/subscribe
 * (clevertap-api-endpoints.md §8, [DOC] https://developer.clevertap.com/docs/subscribe-api) with
 * `{"d": [{"type": "email" | "phone" | "whatsapp", "value": "…", "status": "Unsubscribe" |
 * "Resubscribe"}]}`, at most 1,000 records (more: a 400 for the whole request).
 *
 * Each record on its own (the answer and its presumed shape: addresses.js), refused when:
 * - it is not an object, or its `type` is none of email, phone, whatsapp (400),
 * - its `value` is missing (400), or is not an email (515) / not a phone number "+<country
 *   code><number>", digits only (516) for phone and whatsapp,
 * - its `status` is not exactly "Unsubscribe" or "Resubscribe" (400): the case as the doc, CleverTap's
 *   Node client test and a Java client's enum write it; "unsubscribe" is refused.
 * A processed record sets the address's state (store.js, keyed by type and value, an email in any
 * case): Unsubscribe → 'unsubscribed', Resubscribe → 'subscribed'. The state belongs to the address,
 * so it applies to every profile that shares it, those made later included, as the doc says
 * ("the user phone number or email is unsubscribed for all users who share the same phone number or
 * email"). An address no profile has yet is taken too (the doc does not say otherwise).
 * WhatsApp keeps its own state: a phone's Unsubscribe does not unsubscribe its WhatsApp.
 * Every processed record is kept in order (`sim.subscriptionChanges`).
 */

const {
	refuse,
	isPlainObject,
	addressProblem,
	checkEnvelope,
	judgeRecords,
} = require('./addresses');

const TYPES = /** @type {const} */ (['email', 'phone', 'whatsapp']);
/** The statuses a record may carry, and the state each leaves the address in. */
const STATUSES = /** @type {const} */ ({ Unsubscribe: 'unsubscribed', Resubscribe: 'subscribed' });

/**
 * Why this record is refused, or undefined.
 * @param {unknown} rec
 */
function recordProblem(rec) {
	if (!isPlainObject(rec))
		return refuse(400, 'Record must be an object {"type", "value", "status"}');
	const type = rec.type;
	if (!TYPES.includes(/** @type {any} */ (type))) {
		return refuse(400, `Unknown type: ${JSON.stringify(type)} (email, phone or whatsapp)`);
	}
	const problem = addressProblem(/** @type {'email' | 'phone' | 'whatsapp'} */ (type), rec.value);
	if (problem) return problem;
	if (!Object.prototype.hasOwnProperty.call(STATUSES, /** @type {any} */ (rec.status))) {
		return refuse(
			400,
			`status must be "Unsubscribe" or "Resubscribe", got ${JSON.stringify(rec.status)}`,
		);
	}
	return undefined;
}

module.exports = {
	api: 'subscribe',
	method: 'POST',
	path: '/1/subscribe',
	TYPES,
	STATUSES,
	recordProblem,

	/** @param {any} sim @param {any} record */
	check(sim, record) {
		return checkEnvelope(sim, record, '{"d": [{"type", "value", "status"}]}');
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {unknown[]} records */
	serve(sim, record, res, records) {
		const answer = judgeRecords(record, records, (rec) => {
			const problem = recordProblem(rec);
			if (problem) return problem;
			const { type, value, status } = /** @type {any} */ (rec);
			sim._acceptSubscription(record, type, value, status);
			return undefined;
		});
		sim._stats.subscribeRecordsRefused += answer.unprocessed.length;
		sim._sendJson(record, res, 200, answer);
	},
};
