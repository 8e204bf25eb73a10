'use strict';

/**
 * Get User Profiles by event, one API ('profiles') with two calls, answered as CleverTap was
 * recorded answering (ids in brackets: the sources in test/fixtures/clevertap-recorded/README.md;
 * the cursor model, shared with Get Events, is in cursor.js):
 * - POST /1/profiles.json[?batch_size=N] `{"event_name", "from", "to"}` (days as numbers YYYYMMDD)
 *   → `{"cursor":"…","status":"success"}` [V]. The cursor holds the profiles that had the event on a
 *   day from..to inclusive (the account's time zone is UTC), ordered by objectId, as they were when
 *   it was made. `event_properties` (query.js) keeps the profiles with a matching event.
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

const { profileRecord } = require('../store');
const {
	cursorEndpoints,
	MAX_BATCH_SIZE,
	PAGE_UNIT,
	LARGEST_PAGE,
	CURSOR_STYLES,
	pageSizeFor,
} = require('./cursor');

const PATH = '/1/profiles.json';

const { cursorEndpoint, pageEndpoint } = cursorEndpoints({
	api: 'profiles',
	path: PATH,
	pageStat: 'pagesServed',
	collect: (sim, q) => sim._store.withEvent(q.eventName, q.from, q.to, q.keep),
	renderer: () => (_sim, profiles) => profiles.map((p) => profileRecord(/** @type {any} */ (p))),
});

module.exports = {
	cursorEndpoint,
	pageEndpoint,
	MAX_BATCH_SIZE,
	PAGE_UNIT,
	LARGEST_PAGE,
	CURSOR_STYLES,
	pageSizeFor,
};
