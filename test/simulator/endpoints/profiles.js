'use strict';

/**
 * Get User Profiles by event, one API ('profiles') with two calls:
 * - POST /1/profiles.json?batch_size=N (1..5000, default 10) `{"event_name", "from", "to"}` (days as
 *   numbers YYYYMMDD) → `{"status":"success","cursor":"…"}`. The cursor holds the profiles that had
 *   the event on a day from..to inclusive (the account's time zone is UTC), ordered by objectId, as
 *   they were when it was made.
 * - GET /1/profiles.json?cursor=… → `{"status":"success","records":[…],"next_cursor":"…"}`, up to N
 *   records (the shape of Get profile's `record`); `next_cursor` only when more remain. A cursor
 *   stays valid until it expires (`cursorTtlMs`), so a failed page can be fetched again.
 * Cursors are base64 text that always holds '+', '/' and '=' (CleverTap's are base64 too): a
 * client that does not URL-encode them gets "Invalid cursor".
 */

const { randomBytes } = require('node:crypto');
const { isDayNumber, profileRecord } = require('../store');

const PATH = '/1/profiles.json';
const MAX_BATCH_SIZE = 5000;
const DEFAULT_BATCH_SIZE = 10;
// Two fixed leading bytes encode to '+/'; 17 bytes in all end in one '=' of padding.
const CURSOR_PREFIX = Buffer.from([0xfb, 0xff]);

/**
 * @typedef {object} Cursor
 * @property {string | undefined} accountId
 * @property {import('../store').SimProfile[]} profiles the snapshot
 * @property {number} offset
 * @property {number} batchSize
 * @property {number} expiresAt epoch ms (Infinity: never)
 * @property {string} [next] the cursor after this page, once made
 */

/**
 * @param {any} sim
 * @param {Omit<Cursor, 'expiresAt' | 'next'>} state
 */
function newCursor(sim, state) {
	let id;
	do id = Buffer.concat([CURSOR_PREFIX, randomBytes(15)]).toString('base64');
	while (sim._cursors.has(id));
	sim._cursors.set(id, { ...state, expiresAt: sim._now() + sim.cursorTtlMs });
	return id;
}

/** @param {any} value @param {string} name */
function dayProblem(value, name) {
	if (value === undefined) return `${name} is required: a day as a number YYYYMMDD`;
	if (!isDayNumber(value)) {
		return `${name} must be a day as a number YYYYMMDD, got ${JSON.stringify(value)}`;
	}
	return undefined;
}

const cursorEndpoint = {
	api: 'profiles',
	method: 'POST',
	path: PATH,

	/** @param {any} _sim @param {any} record */
	check(_sim, record) {
		let batchSize = DEFAULT_BATCH_SIZE;
		const raw = record.query.batch_size;
		if (raw !== undefined) {
			batchSize = /^\d+$/.test(raw) ? Number(raw) : NaN;
			if (!(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE)) {
				return {
					error: `batch_size must be a whole number from 1 to ${MAX_BATCH_SIZE}, got ${raw}`,
				};
			}
		}
		if (record.body.trim() === '') {
			return { error: 'Request body is empty; expected {"event_name": …, "from": …, "to": …}' };
		}
		const json = record.json;
		if (json === undefined) return { error: 'Request body is not valid JSON' };
		if (typeof json !== 'object' || json === null || Array.isArray(json)) {
			return { error: 'Request body must be a JSON object' };
		}
		if (typeof json.event_name !== 'string' || json.event_name.trim() === '') {
			return { error: 'event_name is required: the name of an event' };
		}
		const error = dayProblem(json.from, 'from') ?? dayProblem(json.to, 'to');
		if (error) return { error };
		if (json.from > json.to) return { error: `from (${json.from}) is after to (${json.to})` };
		return { ok: { batchSize, eventName: json.event_name, from: json.from, to: json.to } };
	},

	/**
	 * @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res
	 * @param {{ batchSize: number, eventName: string, from: number, to: number }} ok
	 */
	serve(sim, record, res, ok) {
		sim._applyDue();
		const cursor = newCursor(sim, {
			accountId: record.accountId,
			profiles: sim._store.withEvent(ok.eventName, ok.from, ok.to),
			offset: 0,
			batchSize: ok.batchSize,
		});
		sim._sendJson(record, res, 200, { status: 'success', cursor });
	},
};

const pageEndpoint = {
	api: 'profiles',
	method: 'GET',
	path: PATH,

	/** @param {any} sim @param {any} record */
	check(sim, record) {
		const id = record.query.cursor;
		if (id === undefined || id === '') return { error: 'cursor is required' };
		/** @type {Cursor | undefined} */
		const cursor = sim._cursors.get(id);
		if (!cursor || cursor.accountId !== record.accountId) return { error: 'Invalid cursor' };
		if (sim._now() >= cursor.expiresAt) return { error: 'Cursor expired' };
		return { ok: cursor };
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {Cursor} cursor */
	serve(sim, record, res, cursor) {
		const end = cursor.offset + cursor.batchSize;
		const records = cursor.profiles.slice(cursor.offset, end).map(profileRecord);
		/** @type {{ status: string, records: unknown[], next_cursor?: string }} */
		const body = { status: 'success', records };
		if (end < cursor.profiles.length) {
			cursor.next ??= newCursor(sim, {
				accountId: cursor.accountId,
				profiles: cursor.profiles,
				offset: end,
				batchSize: cursor.batchSize,
			});
			body.next_cursor = cursor.next;
		}
		sim._stats.pagesServed++;
		sim._sendJson(record, res, 200, body);
	},
};

module.exports = { cursorEndpoint, pageEndpoint, MAX_BATCH_SIZE, DEFAULT_BATCH_SIZE };
