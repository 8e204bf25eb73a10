'use strict';

/**
 * Disassociate, API 'disassociate' (3 concurrent, as every API but upload): POST /1/disassociate
 * (clevertap-api-endpoints.md §9, [DOC] https://developer.clevertap.com/docs/disassociate-api) with
 * `{"d": [{"type": "phone", "value": "+919213231415"}, …]}`, at most 1,000 records (more: a 400 for
 * the whole request).
 *
 * Each record on its own (the answer and its presumed shape: addresses.js), refused when:
 * - it is not an object, or its `type` is not "phone" (400),
 * - its `value` is missing (400) or not a phone number "+<country code><number>" (516),
 * - the number is not an identity of a profile in the store (404, "Phone number is not an identity
 *   of any profile: +…"): "You can disassociate a phone number only when it is used as an identity"
 *   (the doc). A number stored only as a profile's Phone property, or unknown, is refused alike.
 * A processed record takes the identity off its profile at once: the profile stays, with its other
 * identities, its Phone property and its events; the number no longer finds it. Uploading a profile
 * with that identity afterwards makes a new profile, as the doc describes for a reassigned number.
 * A number twice in one request: the second is refused (no longer an identity).
 * Counted in `sim.disassociated` (number → times) and stats `disassociated`.
 */

const {
	refuse,
	isPlainObject,
	addressProblem,
	checkEnvelope,
	judgeRecords,
	valuesOf,
} = require('./addresses');

/**
 * Why this record cannot be taken before the store is asked, or undefined.
 * @param {unknown} rec
 */
function recordProblem(rec) {
	if (!isPlainObject(rec))
		return refuse(400, 'Record must be an object {"type": "phone", "value"}');
	if (rec.type !== 'phone') {
		return refuse(400, `type must be "phone", got ${JSON.stringify(rec.type)}`);
	}
	return addressProblem('phone', rec.value);
}

module.exports = {
	api: 'disassociate',
	method: 'POST',
	path: '/1/disassociate',
	recordProblem,

	/** The numbers a body names, valid or not (the request record's `identities`). @param {any} json */
	identitiesOf(json) {
		return valuesOf(json);
	},

	/** @param {any} sim @param {any} record */
	check(sim, record) {
		return checkEnvelope(sim, record, '{"d": [{"type": "phone", "value"}]}');
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {unknown[]} records */
	serve(sim, record, res, records) {
		const answer = judgeRecords(record, records, (rec) => {
			const problem = recordProblem(rec);
			if (problem) return problem;
			const phone = /** @type {string} */ (/** @type {any} */ (rec).value);
			if (!sim._disassociate(phone)) {
				return refuse(404, `Phone number is not an identity of any profile: ${phone}`);
			}
			return undefined;
		});
		sim._stats.disassociateRecordsRefused += answer.unprocessed.length;
		sim._sendJson(record, res, 200, answer);
	},
};
