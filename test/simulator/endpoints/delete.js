'use strict';

/**
 * POST /1/delete/profiles.json with exactly one of `{"identity": [...]}` or `{"guid": [...]}`
 * (guid = objectId), 1..100 strings. Accepted at once with `{"status":"success"}`; the profiles go
 * away after the processing delay (CleverTap says it deletes within about 48 hours).
 */

const { JSON_TYPE, BODY } = require('../answers');
const { bodyObjectProblem, identityListProblem } = require('./common');

const EXPECTED = '{"identity": [...]} or {"guid": [...]}';

/** @param {any} sim @param {any} record @returns {{ error: string } | { ok: { key: 'identity' | 'guid', values: string[] } }} */
function check(sim, record) {
	const bodyError = bodyObjectProblem(record, EXPECTED);
	if (bodyError) return { error: bodyError };
	const json = record.json;
	const hasIdentity = Object.prototype.hasOwnProperty.call(json, 'identity');
	const hasGuid = Object.prototype.hasOwnProperty.call(json, 'guid');
	if (hasIdentity && hasGuid) return { error: 'Send either identity or guid, not both' };
	if (!hasIdentity && !hasGuid) return { error: `identity or guid is required: ${EXPECTED}` };
	const key = hasIdentity ? 'identity' : 'guid';
	const error = identityListProblem(
		sim,
		json[key],
		key,
		key,
		key === 'identity' ? 'identities' : 'guids',
	);
	return error ? { error } : { ok: { key, values: json[key] } };
}

module.exports = {
	api: 'delete',
	method: 'POST',
	path: '/1/delete/profiles.json',
	check,

	/** The values a body names (for the request record), valid or not. @param {any} json */
	identitiesOf(json) {
		const values = json?.identity ?? json?.guid;
		return Array.isArray(values) ? values : undefined;
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {{ key: 'identity' | 'guid', values: string[] }} ok */
	serve(sim, record, res, ok) {
		sim._acceptDelete(ok.key, ok.values);
		sim._send(record, res, 200, BODY.success, JSON_TYPE);
	},

	/** '200-partial': the first half of the request (rounded down) is deleted. @param {any} sim @param {any} record */
	partial(sim, record) {
		const key = Array.isArray(record.json?.identity) ? 'identity' : 'guid';
		const ids = Array.isArray(record.identities) ? record.identities : [];
		record.taken = ids.slice(0, Math.floor(ids.length / 2)).map(String);
		sim._acceptDelete(key, record.taken);
	},
};
