'use strict';

/**
 * POST /1/demerge/profiles.json `{"identities": [...]}` (1..100 strings). Accepted at once with
 * `{"status":"success"}`; the store changes after the processing delay: each identity leaves its
 * profile. Unknown identities are accepted too, as CleverTap does.
 */

const { JSON_TYPE, BODY } = require('../answers');
const { bodyObjectProblem, identityListProblem } = require('./common');

module.exports = {
	api: 'demerge',
	method: 'POST',
	path: '/1/demerge/profiles.json',

	/** @param {any} sim @param {any} record */
	check(sim, record) {
		const error =
			bodyObjectProblem(record, '{"identities": [...]}') ??
			identityListProblem(sim, record.json.identities, 'identities', 'identity', 'identities');
		return error ? { error } : { ok: record.identities };
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {string[]} identities */
	serve(sim, record, res, identities) {
		sim._acceptDemerge(identities);
		sim._send(record, res, 200, BODY.success, JSON_TYPE);
	},

	/** '200-partial': the first half of the request (rounded down) is demerged. @param {any} sim @param {any} record */
	partial(sim, record) {
		const ids = Array.isArray(record.identities) ? record.identities : [];
		record.taken = ids.slice(0, Math.floor(ids.length / 2)).map(String);
		sim._acceptDemerge(record.taken);
	},
};
