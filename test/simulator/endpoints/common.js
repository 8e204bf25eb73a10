'use strict';

/** Checks the demerge and delete endpoints share. */

/**
 * What is wrong with a POST body that must be a JSON object, or undefined when it is one.
 * @param {{ body: string, json: unknown }} record
 * @param {string} expected the body's shape, for the message
 */
function bodyObjectProblem(record, expected) {
	if (record.body.trim() === '') return `Request body is empty; expected ${expected}`;
	if (record.json === undefined) return 'Request body is not valid JSON';
	const json = record.json;
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return 'Request body must be a JSON object';
	}
	return undefined;
}

/**
 * What is wrong with a list of identities (or guids), or undefined: 1..maxIdentities non-blank
 * strings, none of them in rejectIdentities (CleverTap answers 400 for the whole request).
 * @param {{ maxIdentities: number, rejectIdentities: Set<string> }} sim
 * @param {unknown} ids
 * @param {string} key the body's key, for the message
 * @param {string} label one value's name, for the message
 * @param {string} plural
 */
function identityListProblem(sim, ids, key, label, plural) {
	if (!Array.isArray(ids)) return `${key} must be an array of strings`;
	if (ids.length === 0) return `${key} must not be empty`;
	if (ids.length > sim.maxIdentities) {
		return `Too many ${plural}: ${ids.length} (at most ${sim.maxIdentities} per request)`;
	}
	for (const id of ids) {
		if (typeof id !== 'string' || id.trim() === '')
			return `Invalid ${label}: ${JSON.stringify(id)}`;
	}
	if (sim.rejectIdentities.size > 0) {
		for (const id of ids) if (sim.rejectIdentities.has(id)) return `Invalid ${label}: ${id}`;
	}
	return undefined;
}

module.exports = { bodyObjectProblem, identityListProblem };
