'use strict';

/**
 * GET /1/profile.json with exactly one of `identity`, `email`, `objectId` (URL-decoded). Found:
 * `{"status":"success","record":{…}}` [Y][S]. What CleverTap answers for an unknown profile was never
 * recorded ([S] maps an HTTP 404 to "no record"; elsewhere a 400 or a 200 is reported), so the
 * simulator answers it in one of four styles (`notFoundStyle`): 'null' (the default) 200
 * `{"status":"success","record":null}`, 'fail' 200 `{"status":"fail","error":"Profile not
 * found","code":404}`, '400' 400 `{"status":"fail","error":"Profile not found","code":400}`, '404'
 * 404 `{"status":"fail","error":"Profile not found","code":404}` (CleverTap's JSON envelope and
 * content type, which tell it from a 404 of a wrong address). Ids in brackets: the sources in
 * test/fixtures/clevertap-recorded/README.md.
 */

const { JSON_TYPE, failBody } = require('../answers');
const { profileRecord } = require('../store');

const KEYS = /** @type {const} */ (['identity', 'email', 'objectId']);

const NOT_FOUND = {
	null: { status: 200, body: Buffer.from('{"status":"success","record":null}') },
	fail: { status: 200, body: failBody(404, 'Profile not found') },
	400: { status: 400, body: failBody(400, 'Profile not found') },
	404: { status: 404, body: failBody(404, 'Profile not found') },
};

module.exports = {
	api: 'profile',
	method: 'GET',
	path: '/1/profile.json',
	NOT_FOUND_STYLES: ['null', 'fail', '400', '404'],

	/** @param {any} _sim @param {any} record */
	check(_sim, record) {
		const given = KEYS.filter((k) => record.query[k] !== undefined && record.query[k] !== '');
		if (given.length === 0) return { error: 'One of identity, email or objectId is required' };
		if (given.length > 1) return { error: 'Send only one of identity, email or objectId' };
		return { ok: { [given[0]]: record.query[given[0]] } };
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {Record<string, string>} key */
	serve(sim, record, res, key) {
		const profile = sim.findProfile(key);
		if (profile) {
			return sim._sendJson(record, res, 200, { status: 'success', record: profileRecord(profile) });
		}
		const answer = NOT_FOUND[/** @type {keyof typeof NOT_FOUND} */ (sim.notFoundStyle)];
		return sim._send(record, res, answer.status, answer.body, JSON_TYPE);
	},
};
