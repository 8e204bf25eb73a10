'use strict';

/**
 * The Counts APIs, each its own API name (3 concurrent) with a POST that starts a query and a GET
 * that polls it (clevertap-api-endpoints.md §2; ids in brackets: the sources in
 * test/fixtures/clevertap-recorded/README.md):
 * - 'eventCount'   /1/counts/events.json   → `{"status":"success","count":N}`: the matching events
 *   ([SNIP] `sample_count_response.json`);
 * - 'profileCount' /1/counts/profiles.json → the same, counting distinct profiles;
 * - 'trends'       /1/counts/trends.json   `groups: {<label>: {"trend_type": "daily" | "weekly" |
 *   "monthly"}}`, `unique`, `sum_event_prop` → `{"status":"success", <label>: {<key>: n}}`, keys
 *   YYYYMMDD, YYYYWW (ISO week and its year) or YYYYMM, every period of from..to present (0 when
 *   empty), the value summed over the numeric event property `sum_event_prop` when given (it wins
 *   over `unique`), distinct profiles with `unique`, else events ([SNIP] `sample_trends_*.json`;
 *   that sample's weekly figures copy its monthly ones and are not ISO weeks);
 * - 'top'          /1/counts/top.json      `groups: {<label>: {"property_type", "name", "top_n"?
 *   (1..100, default 10), "order"? ("desc" default, "asc")}}` → `{"status":"success", <label>:
 *   {"STR": {<value>: n}, "NUMBER": {"<low>-<high>": n}}}` ([SNIP] `sample_top_*.json`): events
 *   counted by the property's value, string (and boolean) values under "STR", numbers in ranges of
 *   one width (1, 2 or 5 times a power of ten, at most 10 ranges) under "NUMBER", as the sample's
 *   "0-100", "100-200"; each kind keeps its top_n. `event_properties` reads the event's data,
 *   `profile_fields` the profile's profileData (and Name, Email, Identity), `session_properties`
 *   the event's session, `app_fields` the profile's device; `demographics`, `technographics`,
 *   `reachability` and `geo_fields` split the event count over a small fixed table. A group with
 *   another property_type, no name, or a bad top_n or order is a 400 '["Invalid group : <label>"]'
 *   (the words "Invalid group" are [LMCP]'s; the array form is inferred from the observed
 *   "Invalid event" answer).
 * Query bodies: `{"event_name", "from", "to", "event_properties"?}` (query.js). An event name the
 * account has never seen (none in the store and not one of CleverTap's system events) is answered
 * `{"status":"fail","error":"[\"Invalid event : X\"]","code":400}` (observed [LMCP]; HTTP 400 by
 * default, 200 with `invalidEventStatus: 200`, the status the observed mock used).
 *
 * Asynchronous answers ([SNIP] `sample_count_partial_response.json`, [LMCP] `client.ts`): with
 * `countPolls` N > 0 the POST answers `{"req_id":<long integer>,"status":"partial"}` and the query
 * finishes on the N-th `GET <same path>?req_id=<id>`; each earlier poll answers
 * `{"status":"partial","req_id":<id>}`. Polls after that get the result again until the id expires
 * (`reqIdTtlMs`). An unknown or expired id, an id of another path or account, and a POST with
 * `?req_id=` (a client that re-POSTs instead of polling) are a 400 "Invalid request id" (the words
 * are inferred from [LMCP]'s hints; no answer was recorded). The result is worked out when the
 * query starts.
 */

const { checkQueryBody } = require('./query');
const { dayStart, dayOf, DEFAULT_SESSION, DEFAULT_DEVICE } = require('../store');
const { RESTRICTED_EVENTS } = require('./upload');

/** Events every account has (CleverTap raises them itself), so they are never "Invalid event". */
const SYSTEM_EVENTS = new Set([...RESTRICTED_EVENTS, 'App Installed', 'Charged', 'Product Viewed']);

const TREND_TYPES = ['daily', 'weekly', 'monthly'];
const PROPERTY_TYPES = [
	'event_properties',
	'session_properties',
	'profile_fields',
	'app_fields',
	'demographics',
	'technographics',
	'reachability',
	'geo_fields',
];
/** The answers of the property types the store knows nothing of: shares of the event count. */
const FIXED_TABLES = /** @type {Record<string, Array<[string, number]>>} */ ({
	demographics: [
		['Male', 0.45],
		['Female', 0.45],
		['Unknown', 0.1],
	],
	technographics: [
		['Android', 0.6],
		['iOS', 0.3],
		['Web', 0.1],
	],
	reachability: [
		['Reachable', 0.75],
		['Not reachable', 0.25],
	],
	geo_fields: [
		['India', 0.5],
		['United States', 0.3],
		['Germany', 0.2],
	],
});
const MAX_NUMBER_RANGES = 10;

const INVALID_REQUEST_ID = 'Invalid request id';

/** @param {string} label */
const invalidGroup = (label) => JSON.stringify([`Invalid group : ${label}`]);

/** @param {unknown} v */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- the four queries ------------------------------------------------------------------------

/** @typedef {Array<{ profile: import('../store').SimProfile, event: import('../store').SimEvent }>} Items */

/** YYYYWW of a day YYYYMMDD: its ISO 8601 week and the year that week belongs to. @param {number} day */
function isoWeekKey(day) {
	const date = new Date(dayStart(day) * 1000);
	const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
	// The week's Thursday decides its year.
	const thursday = new Date(date.getTime() + (3 - weekday) * 86_400_000);
	const year = thursday.getUTCFullYear();
	const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
	return year * 100 + week;
}

/** @type {Record<string, (day: number) => number>} */
const PERIOD_OF = {
	daily: (day) => day,
	weekly: isoWeekKey,
	monthly: (day) => Math.floor(day / 100),
};

/**
 * @param {any} q the checked query
 * @param {Items} items
 */
function trends(q, items) {
	/** @type {Record<string, unknown>} */
	const result = { status: 'success' };
	const sumProp = typeof q.json.sum_event_prop === 'string' ? q.json.sum_event_prop : undefined;
	const unique = sumProp === undefined && q.json.unique === true;
	for (const [label, group] of Object.entries(q.json.groups)) {
		const periodOf = PERIOD_OF[group.trend_type];
		/** @type {Map<number, number>} */
		const totals = new Map();
		/** @type {Map<number, Set<unknown>>} */
		const profiles = new Map();
		for (let t = dayStart(q.from), end = dayStart(q.to); t <= end; t += 86_400) {
			const period = periodOf(dayOf(t));
			totals.set(period, 0);
			profiles.set(period, new Set());
		}
		/** @type {Map<number, number>} */
		const periodOfDay = new Map();
		for (const { profile, event } of items) {
			let period = periodOfDay.get(event.date);
			if (period === undefined) {
				period = periodOf(event.date);
				periodOfDay.set(event.date, period);
			}
			if (unique) /** @type {Set<unknown>} */ (profiles.get(period)).add(profile);
			else if (sumProp !== undefined) {
				const value = Number(event.data[sumProp]);
				if (event.data[sumProp] !== null && event.data[sumProp] !== '' && Number.isFinite(value)) {
					totals.set(period, /** @type {number} */ (totals.get(period)) + value);
				}
			} else totals.set(period, /** @type {number} */ (totals.get(period)) + 1);
		}
		/** @type {Record<string, number>} */
		const out = {};
		for (const [period, total] of totals) {
			out[period] = unique ? /** @type {Set<unknown>} */ (profiles.get(period)).size : total;
		}
		result[label] = out;
	}
	return result;
}

/** The smallest width of 1, 2 or 5 times a power of ten that puts min..max in at most 10 ranges. @param {number} min @param {number} max */
function rangeWidth(min, max) {
	for (let power = 1; ; power *= 10) {
		for (const m of [1, 2, 5]) {
			const width = m * power;
			if (Math.floor(max / width) - Math.floor(min / width) + 1 <= MAX_NUMBER_RANGES) return width;
		}
	}
}

/**
 * The top_n entries by count (desc, or asc), ties by value.
 * @param {Map<string, number>} counts @param {number} topN @param {'asc' | 'desc'} order
 */
function topOf(counts, topN, order) {
	const sign = order === 'asc' ? 1 : -1;
	const entries = [...counts].sort(
		(a, b) => sign * (a[1] - b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
	);
	return Object.fromEntries(entries.slice(0, topN));
}

/**
 * The value a top group reads from an event, or undefined.
 * @param {string} type @param {string} name
 * @returns {(profile: import('../store').SimProfile, event: import('../store').SimEvent) => unknown}
 */
function readerOf(type, name) {
	switch (type) {
		case 'event_properties':
			return (_p, event) => event.data[name];
		case 'session_properties':
			return (_p, event) =>
				/** @type {Record<string, unknown>} */ (event.session ?? DEFAULT_SESSION)[name];
		case 'profile_fields':
			if (name === 'Name') return (p) => p.name;
			if (name === 'Email') return (p) => p.email;
			if (name === 'Identity') return (p) => p.identities[0];
			return (p) => p.profileData[name];
		default: {
			// app_fields: "App Version", "app_version" and "appVersion" all name app_version.
			const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
			return (p) => {
				/** @type {Record<string, unknown>} */
				const device = { ...DEFAULT_DEVICE, ...(p.device ?? {}) };
				const found = Object.keys(device).find((k) => k.replace(/_/g, '') === key);
				return found === undefined ? undefined : device[found];
			};
		}
	}
}

/**
 * @param {any} q the checked query
 * @param {Items} items
 */
function top(q, items) {
	/** @type {Record<string, unknown>} */
	const result = { status: 'success' };
	for (const [label, group] of Object.entries(q.json.groups)) {
		const topN = group.top_n ?? 10;
		const order = group.order ?? 'desc';
		const table = FIXED_TABLES[group.property_type];
		if (table) {
			/** @type {Map<string, number>} */
			const counts = new Map();
			let left = items.length;
			for (const [value, share] of table) {
				const n = Math.floor(items.length * share);
				counts.set(value, n);
				left -= n;
			}
			counts.set(table[0][0], /** @type {number} */ (counts.get(table[0][0])) + left);
			result[label] = { STR: topOf(counts, topN, order) };
			continue;
		}
		const read = readerOf(group.property_type, group.name);
		/** @type {Map<string, number>} */
		const strings = new Map();
		/** @type {number[]} */
		const numbers = [];
		for (const { profile, event } of items) {
			const value = read(profile, event);
			if (typeof value === 'string' || typeof value === 'boolean') {
				const key = String(value);
				strings.set(key, (strings.get(key) ?? 0) + 1);
			} else if (typeof value === 'number' && Number.isFinite(value)) numbers.push(value);
		}
		/** @type {Record<string, unknown>} */
		const out = {};
		if (numbers.length > 0) {
			let min = Infinity;
			let max = -Infinity;
			for (const v of numbers) {
				if (v < min) min = v;
				if (v > max) max = v;
			}
			const width = rangeWidth(min, max);
			/** @type {Map<string, number>} */
			const ranges = new Map();
			for (const v of numbers) {
				const low = Math.floor(v / width) * width;
				const key = `${low}-${low + width}`;
				ranges.set(key, (ranges.get(key) ?? 0) + 1);
			}
			out.NUMBER = topOf(ranges, topN, order);
		}
		if (strings.size > 0) out.STR = topOf(strings, topN, order);
		result[label] = out;
	}
	return result;
}

/** @param {any} json @returns {string | undefined} */
function trendGroupsProblem(json) {
	if (!isObject(json.groups) || Object.keys(json.groups).length === 0) {
		return 'groups is required: {"<label>": {"trend_type": "daily" | "weekly" | "monthly"}}';
	}
	for (const [label, group] of Object.entries(json.groups)) {
		if (!isObject(group) || !TREND_TYPES.includes(group.trend_type)) return invalidGroup(label);
	}
	if (json.unique !== undefined && typeof json.unique !== 'boolean') {
		return 'unique must be true or false';
	}
	if (json.sum_event_prop !== undefined && typeof json.sum_event_prop !== 'string') {
		return 'sum_event_prop must be the name of an event property';
	}
	return undefined;
}

/** @param {any} json @returns {string | undefined} */
function topGroupsProblem(json) {
	if (!isObject(json.groups) || Object.keys(json.groups).length === 0) {
		return 'groups is required: {"<label>": {"property_type": …, "name": …}}';
	}
	for (const [label, group] of Object.entries(json.groups)) {
		if (
			!isObject(group) ||
			!PROPERTY_TYPES.includes(group.property_type) ||
			typeof group.name !== 'string' ||
			group.name === '' ||
			(group.top_n !== undefined &&
				!(Number.isInteger(group.top_n) && group.top_n >= 1 && group.top_n <= 100)) ||
			(group.order !== undefined && group.order !== 'asc' && group.order !== 'desc')
		) {
			return invalidGroup(label);
		}
	}
	return undefined;
}

/** The four queries: API name, path, extra checks of the body and the answer. */
const QUERIES = [
	{
		api: 'eventCount',
		path: '/1/counts/events.json',
		/** @param {any} _q @param {Items} items */
		answer: (_q, items) => ({ status: 'success', count: items.length }),
	},
	{
		api: 'profileCount',
		path: '/1/counts/profiles.json',
		/** @param {any} _q @param {Items} items */
		answer: (_q, items) => ({
			status: 'success',
			count: new Set(items.map((i) => i.profile)).size,
		}),
	},
	{
		api: 'trends',
		path: '/1/counts/trends.json',
		groupsProblem: trendGroupsProblem,
		answer: trends,
	},
	{ api: 'top', path: '/1/counts/top.json', groupsProblem: topGroupsProblem, answer: top },
];

// ---- the endpoints ---------------------------------------------------------------------------

/** A new req_id: a 15-digit integer, as [SNIP]'s 384649162721759. @param {any} sim */
function newReqId(sim) {
	let id;
	do id = 100_000_000_000_000 + Math.floor(Math.random() * 800_000_000_000_000);
	while (sim._countJobs.has(String(id)));
	return id;
}

/** @param {(typeof QUERIES)[number]} query */
function startEndpoint(query) {
	return {
		api: query.api,
		method: 'POST',
		path: query.path,

		/** @param {any} sim @param {any} record */
		check(sim, record) {
			if (record.query.req_id !== undefined) return { error: INVALID_REQUEST_ID };
			const checked = checkQueryBody(record);
			if ('error' in checked) return checked;
			const name = checked.ok.eventName;
			if (!sim._store.eventNames.has(name) && !SYSTEM_EVENTS.has(name)) {
				return {
					error: JSON.stringify([`Invalid event : ${name}`]),
					status: sim.invalidEventStatus,
				};
			}
			const problem = query.groupsProblem?.(checked.ok.json);
			return problem ? { error: problem } : checked;
		},

		/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {any} q */
		serve(sim, record, res, q) {
			sim._applyDue();
			const result = query.answer(q, sim._store.eventsOf(q.eventName, q.from, q.to, q.keep, false));
			sim._stats.countQueries++;
			if (sim.countPolls <= 0) return sim._sendJson(record, res, 200, result);
			const reqId = newReqId(sim);
			sim._countJobs.set(String(reqId), {
				api: query.api,
				accountId: record.accountId,
				reqId,
				result,
				pollsLeft: sim.countPolls,
				expiresAt: sim._now() + sim.reqIdTtlMs,
			});
			// Keys in [SNIP]'s order.
			return sim._sendJson(record, res, 200, { req_id: reqId, status: 'partial' });
		},
	};
}

/** @param {(typeof QUERIES)[number]} query */
function pollEndpoint(query) {
	return {
		api: query.api,
		method: 'GET',
		path: query.path,

		/** @param {any} sim @param {any} record */
		check(sim, record) {
			const id = record.query.req_id;
			if (id === undefined || id === '') return { error: 'req_id is required' };
			const job = sim._countJobs.get(id);
			if (!job || job.accountId !== record.accountId || job.api !== query.api) {
				return { error: INVALID_REQUEST_ID };
			}
			if (sim._now() >= job.expiresAt) return { error: INVALID_REQUEST_ID };
			return { ok: job };
		},

		/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {any} job */
		serve(sim, record, res, job) {
			sim._stats.countPolls++;
			sim._stats.countPollsByApi[query.api]++;
			if (job.pollsLeft > 0) job.pollsLeft--;
			if (job.pollsLeft > 0) {
				// Keys in the order [LMCP]'s mock has them.
				return sim._sendJson(record, res, 200, { status: 'partial', req_id: job.reqId });
			}
			return sim._sendJson(record, res, 200, job.result);
		},
	};
}

const ENDPOINTS = QUERIES.flatMap((q) => [startEndpoint(q), pollEndpoint(q)]);
const COUNT_APIS = /** @type {const} */ (['eventCount', 'profileCount', 'trends', 'top']);

module.exports = {
	ENDPOINTS,
	COUNT_APIS,
	QUERIES,
	SYSTEM_EVENTS,
	INVALID_REQUEST_ID,
	isoWeekKey,
	rangeWidth,
};
