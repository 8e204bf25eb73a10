'use strict';

/**
 * Real-Time Counts, API 'now' (3 concurrent): POST /1/now.json with a body of optional booleans
 * `user_type`, `session_source`, `browser`, `os`, `device`, `new` ([SNIP] `sample_now_request.json`;
 * an empty body counts as `{}`). `{}` → `{"status":"success","count":N,"last_processed_ts":<epoch s>}`
 * ([SNIP] `sample_now_response_basic.json`); each flag set to true adds its breakdown, in the order
 * and shape of [SNIP] `sample_now_response_full.json` (`new` holds session_source, browser, os and
 * device of the new users). A GET is a 405 (the router: the path takes POST only). The figures are
 * the full sample's until a test sets others (`setRealtimeCounts`); breakdowns it leaves out come
 * from the sample.
 */

const { bodyObjectProblem } = require('./common');

/** [SNIP] `sample_now_response_full.json` (commit 1545ca5e, 2017-02-08), without its status. */
const SAMPLE = Object.freeze({
	count: 214,
	user_type: { new: 58, repeat: 25, addressable: 38, customer: 93 },
	session_source: { direct: 122, others: 115, search: 18, social: 2, email: 1, unavailable: 4 },
	browser: { others: 4, firefox: 2, chrome: 52, ie: 3, mobileapp: 201 },
	os: { others: 2, android: 196, ios: 35, windows: 25, mac: 3, linux: 2 },
	device: { desktop: 32, mobile: 230, tablet: 1 },
	new: {
		session_source: { direct: 18, others: 50, search: 12, social: 2, email: 1, unavailable: 3 },
		browser: { others: 1, firefox: 0, chrome: 36, ie: 3, mobileapp: 47 },
		os: { others: 0, android: 67, ios: 2, windows: 15, mac: 2, linux: 1 },
		device: { desktop: 18, mobile: 68, tablet: 1 },
	},
	last_processed_ts: 1486536600,
});

/** The body's flags, in the answer's order. */
const FLAGS = /** @type {const} */ ([
	'user_type',
	'session_source',
	'browser',
	'os',
	'device',
	'new',
]);

/**
 * The answer a test sets, checked and completed from the sample, or the sample for null.
 * @param {any} answer
 */
function realtimeAnswer(answer) {
	if (answer === null || answer === undefined) return SAMPLE;
	if (typeof answer !== 'object' || Array.isArray(answer)) {
		throw new TypeError('Real-time counts must be an object like {"count": 5} (or null)');
	}
	const merged = { ...SAMPLE, ...answer };
	delete (/** @type {any} */ (merged).status);
	if (!(Number.isInteger(merged.count) && merged.count >= 0)) {
		throw new TypeError(`Real-time count must be a whole number >= 0, got ${merged.count}`);
	}
	if (!Number.isInteger(merged.last_processed_ts)) {
		throw new TypeError('last_processed_ts must be epoch seconds');
	}
	return Object.freeze(merged);
}

module.exports = {
	api: 'now',
	method: 'POST',
	path: '/1/now.json',
	SAMPLE,
	FLAGS,
	realtimeAnswer,

	/** @param {any} _sim @param {any} record */
	check(_sim, record) {
		if (record.body.trim() === '') return { ok: [] };
		const error = bodyObjectProblem(record, '{"user_type": true, …}');
		if (error) return { error };
		for (const flag of FLAGS) {
			const value = record.json[flag];
			if (value !== undefined && typeof value !== 'boolean') {
				return { error: `${flag} must be true or false, got ${JSON.stringify(value)}` };
			}
		}
		return { ok: FLAGS.filter((flag) => record.json[flag] === true) };
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {string[]} flags */
	serve(sim, record, res, flags) {
		const figures = sim._realtime;
		/** @type {Record<string, unknown>} */
		const body = { status: 'success', count: figures.count };
		for (const flag of flags) body[flag] = figures[flag];
		body.last_processed_ts = figures.last_processed_ts;
		sim._sendJson(record, res, 200, body);
	},
};
