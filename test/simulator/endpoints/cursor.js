'use strict';

/**
 * The cursor model Get User Profiles by event ('profiles') and Get Events ('events') share: a POST
 * with `?batch_size=N` and a query body makes a cursor over a snapshot of the result; GETs with
 * `?cursor=` read it page by page. Ids in brackets: the sources in
 * test/fixtures/clevertap-recorded/README.md.
 * - POST → `{"cursor":"…","status":"success"}` [V] (keys in that order).
 * - GET → `{"status":"success","records":[…],"next_cursor":"…"}` [N][Y]: `next_cursor` only while
 *   more remain; no `records` key at all when the result is empty [LMCP]. A cursor stays valid until
 *   it expires (`cursorTtlMs`), so a failed page can be read again and gives the same page.
 * Page sizes [L]/[LMCP]: a batch_size under 23 is ignored and the whole result comes in one page
 * (batch_size 5 gave 989 records); from 23 up a page holds floor(batch_size / 23) * 23 records (25
 * gave 23, 50 gave 46); without batch_size one page holds everything (4,991 seen). The simulator
 * caps a page at floor(5000 / 23) * 23 = 4,991, the most a batch_size of 5000 gives.
 * Cursors [V]: about 1.6 KB and already percent-encoded (`%2F`, `%2B`, `%3D`) in the JSON; the
 * client must put them in the URL as given [N]. Here they are base64 of ~1.2 KB that always holds
 * '+', '/' and '=', sent through encodeURIComponent (`cursorStyle: 'encoded'`, the default) or as
 * they are (`'raw'`, for a client that must then encode them itself). The query string is decoded
 * once, so a cursor encoded twice (`%252F`), or a raw one whose '+' arrived as a space, is
 * "Invalid cursor". A cursor of one API is "Invalid cursor" on the other.
 * Page faults ('200-not-ready', '202-not-ready') are served on the GET only.
 */

const { randomBytes } = require('node:crypto');
const { JSON_TYPE, BODY } = require('../answers');
const { checkQueryBody } = require('./query');

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
 * @property {string} api the API that made it
 * @property {string | undefined} accountId
 * @property {unknown[]} items the snapshot
 * @property {(sim: any, items: unknown[]) => unknown[]} render a page's items as records
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

/**
 * The two endpoints of a cursor API.
 * @param {object} spec
 * @param {string} spec.api
 * @param {string} spec.path
 * @param {'pagesServed' | 'eventPagesServed'} spec.pageStat the stat a page served counts in
 * @param {(record: any) => { error: string } | { ok: any }} [spec.checkQuery] the URL's other
 *   parameters (besides batch_size): their problem or what the query needs of them
 * @param {(sim: any, query: any) => unknown[]} spec.collect the snapshot, from the checked query
 * @param {(query: any) => (sim: any, items: unknown[]) => unknown[]} spec.renderer how a page's
 *   items become records
 */
function cursorEndpoints({ api, path, pageStat, checkQuery, collect, renderer }) {
	const cursorEndpoint = {
		api,
		method: 'POST',
		path,

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
			const extra = checkQuery ? checkQuery(record) : { ok: {} };
			if ('error' in extra) return extra;
			const body = checkQueryBody(record);
			if ('error' in body) return body;
			return { ok: { ...body.ok, ...extra.ok, pageSize: pageSizeFor(batchSize) } };
		},

		/**
		 * @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res
		 * @param {{ pageSize: number }} ok
		 */
		serve(sim, record, res, ok) {
			sim._applyDue();
			const id = newCursor(sim, {
				api,
				accountId: record.accountId,
				items: collect(sim, ok),
				render: renderer(ok),
				offset: 0,
				pageSize: ok.pageSize,
			});
			// Keys in [V]'s order.
			sim._sendJson(record, res, 200, { cursor: cursorText(sim, id), status: 'success' });
		},
	};

	const pageEndpoint = {
		api,
		method: 'GET',
		path,
		/** Page faults ('200-not-ready', '202-not-ready') are served on this call only. */
		pageRead: true,

		/** @param {any} sim @param {any} record */
		check(sim, record) {
			const id = record.query.cursor;
			if (id === undefined || id === '') return { error: 'cursor is required' };
			/** @type {Cursor | undefined} */
			const cursor = sim._cursors.get(id);
			if (!cursor || cursor.accountId !== record.accountId || cursor.api !== api) {
				return { error: 'Invalid cursor' };
			}
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
			if (cursor.items.length > 0) {
				const end = cursor.offset + cursor.pageSize;
				body.records = cursor.render(sim, cursor.items.slice(cursor.offset, end));
				if (end < cursor.items.length) {
					cursor.next ??= newCursor(sim, {
						api,
						accountId: cursor.accountId,
						items: cursor.items,
						render: cursor.render,
						offset: end,
						pageSize: cursor.pageSize,
					});
					body.next_cursor = cursorText(sim, cursor.next);
				}
			}
			sim._stats[pageStat]++;
			return sim._sendJson(record, res, 200, body);
		},
	};

	return { cursorEndpoint, pageEndpoint };
}

module.exports = {
	cursorEndpoints,
	MAX_BATCH_SIZE,
	PAGE_UNIT,
	LARGEST_PAGE,
	CURSOR_STYLES,
	pageSizeFor,
};
