'use strict';

/**
 * Get Events, one API ('events', 3 concurrent) with two calls, on the cursor model of cursor.js
 * (same cursor styles, expiry, pages in multiples of 23, page faults). Ids in brackets: the sources
 * in test/fixtures/clevertap-recorded/README.md.
 * - POST /1/events.json?batch_size=N[&app=true][&events=false][&profile=false]
 *   `{"event_name", "from", "to", "event_properties"?}` (days as numbers YYYYMMDD) →
 *   `{"cursor":"…","status":"success"}` ([SNIP] `downloading_user_events_example_response.json`).
 *   The cursor holds the store's events of that name on a day from..to inclusive (UTC), in time
 *   order, as they were when it was made.
 * - GET /1/events.json?cursor=… → `{"status":"success","records":[…],"next_cursor":"…"}`; no
 *   `records` key for an empty result [LMCP], no `next_cursor` on the last page.
 * A record ([SNIP] 2017, [FIX] 2022): `{"profile": {objectId, identity, email, name, platform,
 * profileData (unless profile=false), events: {<name>: {count, first_seen, last_seen}} (unless
 * events=false), os_version, app_version, make, model (only with app=true)}, "ts": yyyyMMddHHmmss
 * (an integer, UTC), "event_props": {…}, "session_props": {session_source, utm_source, …}}`.
 * The URL flags take 'true' or 'false' (any case); anything else is a 400.
 */

const { cursorEndpoints } = require('./cursor');
const { eventProfile, tsNumber, DEFAULT_SESSION } = require('../store');

const PATH = '/1/events.json';

/** The URL flags and their defaults ([DOC]: app false, events true, profile true). */
const FLAGS = /** @type {const} */ ({ app: false, events: true, profile: true });

/** @param {any} record */
function checkFlags(record) {
	/** @type {Record<string, boolean>} */
	const flags = {};
	for (const [name, fallback] of Object.entries(FLAGS)) {
		const raw = record.query[name];
		if (raw === undefined) flags[name] = fallback;
		else if (/^(true|false)$/i.test(raw)) flags[name] = raw.toLowerCase() === 'true';
		else return { error: `${name} must be true or false, got ${raw}` };
	}
	return { ok: { flags } };
}

/**
 * @param {{ flags: { app: boolean, events: boolean, profile: boolean } }} query
 * @returns {(sim: any, items: unknown[]) => unknown[]}
 */
function renderer({ flags }) {
	return (_sim, items) => {
		// A profile's part is the same in every record of a page: made once per page.
		/** @type {Map<unknown, Record<string, unknown>>} */
		const profiles = new Map();
		return items.map((item) => {
			const { profile, event } = /** @type {{ profile: any, event: any }} */ (item);
			let part = profiles.get(profile);
			if (!part) {
				part = eventProfile(profile, flags);
				profiles.set(profile, part);
			}
			return {
				profile: part,
				ts: tsNumber(event.ts),
				event_props: event.data,
				session_props: event.session ?? DEFAULT_SESSION,
			};
		});
	};
}

const { cursorEndpoint, pageEndpoint } = cursorEndpoints({
	api: 'events',
	path: PATH,
	pageStat: 'eventPagesServed',
	checkQuery: checkFlags,
	collect: (sim, q) => sim._store.eventsOf(q.eventName, q.from, q.to, q.keep),
	renderer,
});

module.exports = { cursorEndpoint, pageEndpoint, PATH };
