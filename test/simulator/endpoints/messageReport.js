'use strict';

/**
 * Message Reports, API 'messageReport' (3 concurrent): POST /1/message/report.json
 * `{"from":"YYYYMMDD","to":"YYYYMMDD"}` (strings as the current doc and CleverTap's Node client
 * send them; integers as the old support page has them) with optional filters `channel`, `status`
 * and `delivery` (a list of strings or comma-separated text, any case); `daily`, `message_type`
 * and `label` are accepted and do not filter. One synchronous answer, no paging
 * (clevertap-api-endpoints.md §4):
 * `{"status":"success","messages":[…],"total_results":N}`. A message is in the range when it
 * *started* on a day from..to (UTC) ([LMCP]: "one that began before the range but is still running
 * is not included"); messages come in start order. Each has `"message id"` (with a space, a
 * number), `"message name"`, `start_date` like "05 Mar, 2024 10:00:00", `channel` in mixed case
 * ("Push", "Email", "SMS", "WhatsApp", "InApp", "Browser"), `status`, `delivery` and the counters
 * `sent`, `viewed`, `clicked` (what callers of the live API read; the full documented example was
 * never read).
 * Messages: by default one a day, generated for whatever range is asked (id = epoch seconds of its
 * start at 10:00 UTC, so ids grow with the date; channel, status, delivery and counters cycle with
 * the day); `setMessages(list)` gives a fixed list instead.
 * Latency ([LMCP] measured 1 day 0.7 s … 90 days 109 s): `messageReportMsPerDay` adds that many ms
 * per day of the range to the answer's service time, holding the concurrency slot meanwhile; a
 * client that gives up (closes the connection) frees it.
 */

const { isDayNumber, dayStart, dayOf } = require('../store');
const { bodyObjectProblem } = require('./common');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CHANNELS = ['Push', 'Email', 'SMS', 'WhatsApp', 'InApp', 'Browser'];
const STATUSES = ['completed', 'running', 'stopped', 'scheduled'];
const DELIVERIES = ['one_time', 'api', 'action', 'inaction', 'recurring'];
const FILTERS = /** @type {const} */ (['channel', 'status', 'delivery']);
/** Filter words that name the same channel as another word. */
const ALIASES = /** @type {Record<string, string>} */ ({
	webpush: 'browser',
	nativedisplay: 'webnativedisplay',
});
const START_RE = /^(\d{2}) ([A-Z][a-z]{2}), (\d{4}) (\d{2}):(\d{2}):(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** @param {number} n */
const two = (n) => String(n).padStart(2, '0');

/** Epoch seconds as CleverTap's start_date, "05 Mar, 2024 10:00:00" (UTC). @param {number} ts */
function startDate(ts) {
	const d = new Date(ts * 1000);
	return (
		`${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ` +
		`${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
	);
}

/**
 * A message's start in epoch seconds: start_date in CleverTap's form, or `start` as 'YYYY-MM-DD',
 * 'YYYY-MM-DD HH:MM[:SS]', a Date or epoch seconds.
 * @param {any} spec
 */
function startOf(spec) {
	if (spec.start_date !== undefined) {
		const m = START_RE.exec(String(spec.start_date));
		const month = m ? MONTHS.indexOf(m[2]) : -1;
		if (m && month >= 0) {
			const ts = Date.UTC(+m[3], month, +m[1], +m[4], +m[5], +m[6]) / 1000;
			if (startDate(ts) === spec.start_date) return ts;
		}
		throw new TypeError(
			`start_date must look like "05 Mar, 2024 10:00:00", got ${JSON.stringify(spec.start_date)}`,
		);
	}
	const start = spec.start;
	if (start instanceof Date && !Number.isNaN(start.getTime()))
		return Math.floor(start.getTime() / 1000);
	if (typeof start === 'number' && Number.isFinite(start)) return Math.floor(start);
	const m = typeof start === 'string' ? DATE_TIME_RE.exec(start) : null;
	if (m) {
		const ts = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) / 1000;
		if (Number.isFinite(ts) && isDayNumber(dayOf(ts)) && dayOf(ts) === Number(m[1] + m[2] + m[3])) {
			return ts;
		}
	}
	throw new TypeError(
		`A message needs start_date ("05 Mar, 2024 10:00:00") or start ('YYYY-MM-DD[ HH:MM:SS]', a Date or epoch seconds), got ${JSON.stringify(start)}`,
	);
}

/**
 * @typedef {object} StoredMessage
 * @property {number} ts its start, epoch seconds
 * @property {number} day its start day, YYYYMMDD
 * @property {Record<string, unknown>} wire the message as the answer shows it
 */

/**
 * A message a test gives, in CleverTap's form (`"message id"`, `"message name"`, `start_date`) or
 * with the shorter keys id, name and start; missing fields get defaults; other keys are kept.
 * @param {any} spec
 * @param {number} index its place in the list, for the default id
 * @returns {StoredMessage}
 */
function normaliseMessage(spec, index) {
	if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
		throw new TypeError('A message must be an object');
	}
	const ts = startOf(spec);
	const {
		id,
		name,
		start,
		'message id': messageId,
		'message name': messageName,
		start_date: _startDate,
		channel,
		status,
		delivery,
		sent,
		viewed,
		clicked,
		...rest
	} = spec;
	const theId = messageId ?? id ?? index + 1;
	/** @type {Record<string, unknown>} */
	const wire = {
		'message id': theId,
		'message name': messageName ?? name ?? `Message ${theId}`,
		start_date: startDate(ts),
		channel: channel ?? 'Push',
		status: status ?? 'completed',
		delivery: delivery ?? 'one_time',
		sent: sent ?? 0,
		viewed: viewed ?? 0,
		clicked: clicked ?? 0,
		...rest,
	};
	return { ts, day: dayOf(ts), wire };
}

/** A list given by a test, or null (back to the generated messages). @param {unknown} list */
function normaliseMessages(list) {
	if (list === null || list === undefined) return null;
	if (!Array.isArray(list)) throw new TypeError('Messages must be a list (or null)');
	return list.map(normaliseMessage).sort((a, b) => a.ts - b.ts);
}

/** The generated message of a day YYYYMMDD. @param {number} day */
function generated(day) {
	const ts = dayStart(day) + 10 * 3600;
	const n = dayStart(day) / 86_400;
	const sent = 1000 + (n % 10) * 100;
	const iso = `${Math.floor(day / 10000)}-${two(Math.floor(day / 100) % 100)}-${two(day % 100)}`;
	return {
		'message id': ts,
		'message name': `Daily message ${iso}`,
		start_date: startDate(ts),
		channel: CHANNELS[n % CHANNELS.length],
		status: STATUSES[n % STATUSES.length],
		delivery: DELIVERIES[n % DELIVERIES.length],
		sent,
		viewed: Math.round(sent * 0.4),
		clicked: Math.round(sent * 0.1),
	};
}

/** A word as filters compare it: lower case, letters and digits only, aliases resolved. @param {unknown} s */
function word(s) {
	const w = String(s)
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
	return ALIASES[w] ?? w;
}

/** @param {unknown} value @param {string} name */
function dayProblem(value, name) {
	if (value === undefined) return { error: `${name} is required: a day "YYYYMMDD"` };
	const n = typeof value === 'string' && /^\d{8}$/.test(value) ? Number(value) : value;
	if (!isDayNumber(n)) {
		return { error: `${name} must be a day "YYYYMMDD", got ${JSON.stringify(value)}` };
	}
	return { day: /** @type {number} */ (n) };
}

/** Days in from..to, both counted. @param {number} from @param {number} to */
const daysIn = (from, to) => (dayStart(to) - dayStart(from)) / 86_400 + 1;

module.exports = {
	api: 'messageReport',
	method: 'POST',
	path: '/1/message/report.json',
	normaliseMessages,
	startDate,
	daysIn,

	/** @param {any} _sim @param {any} record */
	check(_sim, record) {
		const error = bodyObjectProblem(record, '{"from": "YYYYMMDD", "to": "YYYYMMDD"}');
		if (error) return { error };
		const json = record.json;
		const from = dayProblem(json.from, 'from');
		if ('error' in from) return from;
		const to = dayProblem(json.to, 'to');
		if ('error' in to) return to;
		if (from.day > to.day) return { error: `from (${json.from}) is after to (${json.to})` };
		/** @type {Record<string, Set<string>>} */
		const filters = {};
		for (const name of FILTERS) {
			let value = json[name];
			if (value === undefined) continue;
			if (typeof value === 'string') value = value.split(',');
			if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
				return { error: `${name} must be a list of strings or comma-separated text` };
			}
			const words = value.map(word).filter((w) => w !== '');
			if (words.length > 0) filters[name] = new Set(words);
		}
		return { ok: { from: from.day, to: to.day, filters } };
	},

	/** Extra service time: messageReportMsPerDay for each day of the range. @param {any} sim @param {{ from: number, to: number }} ok */
	serviceMs(sim, ok) {
		return sim.messageReportMsPerDay * daysIn(ok.from, ok.to);
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {{ from: number, to: number, filters: Record<string, Set<string>> }} ok */
	serve(sim, record, res, ok) {
		/** @type {Array<Record<string, unknown>>} */
		let messages;
		if (sim._messages) {
			messages = sim._messages
				.filter((/** @type {StoredMessage} */ m) => m.day >= ok.from && m.day <= ok.to)
				.map((/** @type {StoredMessage} */ m) => ({ ...m.wire }));
		} else {
			messages = [];
			for (let t = dayStart(ok.from), end = dayStart(ok.to); t <= end; t += 86_400) {
				messages.push(generated(dayOf(t)));
			}
		}
		const filters = Object.entries(ok.filters);
		if (filters.length > 0) {
			messages = messages.filter((m) => filters.every(([key, words]) => words.has(word(m[key]))));
		}
		sim._sendJson(record, res, 200, {
			status: 'success',
			messages,
			total_results: messages.length,
		});
	},
};
