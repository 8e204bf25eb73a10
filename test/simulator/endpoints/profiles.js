'use strict';

/**
 * Get User Profiles by event, one API ('profiles') with two calls, answered as CleverTap was
 * recorded answering (ids in brackets: the sources in test/fixtures/clevertap-recorded/README.md):
 * - POST /1/profiles.json[?batch_size=N] `{"event_name", "from", "to"}` (days as numbers YYYYMMDD)
 *   → `{"cursor":"…","status":"success"}` [V]. The cursor holds the profiles that had the event on a
 *   day from..to inclusive (the account's time zone is UTC), ordered by objectId, as they were when
 *   it was made.
 * - GET /1/profiles.json?cursor=… → `{"status":"success","records":[…],"next_cursor":"…"}` [N][Y]:
 *   records in the shape of Get profile's `record`; `next_cursor` only when more remain; no
 *   `records` key at all when the result is empty [LMCP]. A cursor stays valid until it expires
 *   (`cursorTtlMs`), so a failed page can be read again and gives the same page.
 * Page sizes [L]/[LMCP]: a batch_size under 23 is ignored and the whole result comes in one page
 * (batch_size 5 gave 989 records); from 23 up a page holds floor(batch_size / 23) * 23 records (25
 * gave 23, 50 gave 46); without batch_size one page holds everything (4,991 seen). The simulator
 * caps a page at floor(5000 / 23) * 23 = 4,991, the most a batch_size of 5000 gives.
 * Cursors [V]: about 1.6 KB and already percent-encoded (`%2F`, `%2B`, `%3D`) in the JSON; the
 * client must put them in the URL as given [N]. Here they are base64 of ~1.2 KB that always holds
 * '+', '/' and '=', sent through encodeURIComponent (`cursorStyle: 'encoded'`, the default) or as
 * they are (`'raw'`, for a client that must then encode them itself). The query string is decoded
 * once, so a cursor encoded twice (`%252F`), or a raw one whose '+' arrived as a space, is
 * "Invalid cursor".
 */

const { randomBytes } = require('node:crypto');
const { JSON_TYPE, BODY } = require('../answers');
const { isDayNumber, profileRecord } = require('../store');

const PATH = '/1/profiles.json';
const MAX_BATCH_SIZE = 5000;
/** CleverTap fills pages in multiples of 23 ("23 memory buckets", the Get User Profiles page). */
const PAGE_UNIT = 23;
const LARGEST_PAGE = Math.floor(MAX_BATCH_SIZE / PAGE_UNIT) * PAGE_UNIT;
const CURSOR_STYLES = /** @type {const} */ (['encoded', 'raw']);

// 899 bytes: 1,200 base64 characters ending in one '=' of padding.
const CURSOR_BYTES = 899;
// Every 7th 3-byte group is set to one that encodes to four '+' or four '/', so each cursor holds
// ~200 of them and its encoded form is ~1.6 KB, as [V]'s is; the rest is random.
const PLUSES = Buffer.from([0xfb, 0xef, 0xbe]);
const SLASHES = Buffer.from([0xff, 0xff, 0xff]);
const GROUP_STEP = 7;

/**
 * @typedef {object} Cursor
 * @property {string | undefined} accountId
 * @property {import('../store').SimProfile[]} profiles the snapshot
 * @property {number} offset
 * @property {number} pageSize
 * @property {number} expiresAt epoch ms (Infinity: never)
 * @property {string} [next] the cursor after this page, once made
 */

/** Records a page holds for a batch_size (undefined when absent), as CleverTap honours it. @param {number | undefined} batchSize */
function pageSizeFor(batchSize) {
	if (batchSize === undefined || batchSize < PAGE_UNIT) return LARGEST_PAGE;
	return Math.min(LARGEST_PAGE, Math.floor(batchSize / PAGE_UNIT) * PAGE_UNIT);
}

/**
 * A new cursor's id: the base64 text the server looks up, after the query string is decoded.
 * @param {any} sim
 * @param {Omit<Cursor, 'expiresAt' | 'next'>} state
 */
function newCursor(sim, state) {
	let id;
	do {
		const bytes = randomBytes(CURSOR_BYTES);
		for (let g = 1; (g + 1) * 3 <= CURSOR_BYTES; g += GROUP_STEP) {
			(g % 2 ? PLUSES : SLASHES).copy(bytes, g * 3);
		}
		id = bytes.toString('base64');
	} while (sim._cursors.has(id));
	sim._cursors.set(id, { ...state, expiresAt: sim._now() + sim.cursorTtlMs });
	return id;
}

/** A cursor id as the JSON carries it, in the simulator's cursorStyle. @param {any} sim @param {string} id */
const cursorText = (sim, id) => (sim.cursorStyle === 'raw' ? id : encodeURIComponent(id));

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
		/** @type {number | undefined} */
		let batchSize;
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
		return {
			ok: {
				pageSize: pageSizeFor(batchSize),
				eventName: json.event_name,
				from: json.from,
				to: json.to,
			},
		};
	},

	/**
	 * @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res
	 * @param {{ pageSize: number, eventName: string, from: number, to: number }} ok
	 */
	serve(sim, record, res, ok) {
		sim._applyDue();
		const id = newCursor(sim, {
			accountId: record.accountId,
			profiles: sim._store.withEvent(ok.eventName, ok.from, ok.to),
			offset: 0,
			pageSize: ok.pageSize,
		});
		// Keys in [V]'s order.
		sim._sendJson(record, res, 200, { cursor: cursorText(sim, id), status: 'success' });
	},
};

const pageEndpoint = {
	api: 'profiles',
	method: 'GET',
	path: PATH,
	/** Page faults ('200-not-ready', '202-not-ready') are served on this call only. */
	pageRead: true,

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

	/**
	 * @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res
	 * @param {Cursor} cursor
	 * @param {any} [fault] a '200-not-ready' or '202-not-ready' fault
	 */
	serve(sim, record, res, cursor, fault) {
		if (fault) {
			// The cursor is left as it is: read again, it gives the page.
			return sim._send(
				record,
				res,
				fault.kind === '202-not-ready' ? 202 : 200,
				BODY.notReady,
				JSON_TYPE,
			);
		}
		/** @type {{ status: string, records?: unknown[], next_cursor?: string }} */
		const body = { status: 'success' };
		if (cursor.profiles.length > 0) {
			const end = cursor.offset + cursor.pageSize;
			body.records = cursor.profiles.slice(cursor.offset, end).map(profileRecord);
			if (end < cursor.profiles.length) {
				cursor.next ??= newCursor(sim, {
					accountId: cursor.accountId,
					profiles: cursor.profiles,
					offset: end,
					pageSize: cursor.pageSize,
				});
				body.next_cursor = cursorText(sim, cursor.next);
			}
		}
		sim._stats.pagesServed++;
		return sim._sendJson(record, res, 200, body);
	},
};

module.exports = {
	cursorEndpoint,
	pageEndpoint,
	MAX_BATCH_SIZE,
	PAGE_UNIT,
	LARGEST_PAGE,
	CURSOR_STYLES,
	pageSizeFor,
};
