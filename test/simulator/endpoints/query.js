'use strict';

/**
 * What Get Events and the Counts APIs share: the query body `{"event_name", "from", "to",
 * "event_properties"?}` ([DOC], [SNIP] `downloading_user_events_example_request_payload.json`), its
 * checks, and the events it selects from the store.
 *
 * `event_properties` is CleverTap's query language, `[{"name", "operator", "value"}]`; the
 * simulator knows the operators equals (the default; a list of values means any of them),
 * not_equals, contains, not_contains, greater_than, greater_than_equals, less_than,
 * less_than_equals, between (`[low, high]`), exists and not_exists. Any other is a 400.
 */

const { isDayNumber } = require('../store');

/** @param {any} value @param {string} name */
function dayProblem(value, name) {
	if (value === undefined) return `${name} is required: a day as a number YYYYMMDD`;
	if (!isDayNumber(value)) {
		return `${name} must be a day as a number YYYYMMDD, got ${JSON.stringify(value)}`;
	}
	return undefined;
}

const OPERATORS = new Set([
	'equals',
	'not_equals',
	'contains',
	'not_contains',
	'greater_than',
	'greater_than_equals',
	'less_than',
	'less_than_equals',
	'between',
	'exists',
	'not_exists',
]);

/** @param {unknown} v */
const asNumber = (v) =>
	typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
/** @param {unknown} a @param {unknown} b */
const same = (a, b) => String(a) === String(b);

/**
 * One condition as a test of a property value.
 * @param {{ operator: string, value: unknown }} c
 * @returns {(v: unknown) => boolean}
 */
function condition(c) {
	const values = Array.isArray(c.value) ? c.value : [c.value];
	const n = asNumber(values[0]);
	switch (c.operator) {
		case 'equals':
			return (v) => v !== undefined && values.some((x) => same(v, x));
		case 'not_equals':
			return (v) => v !== undefined && !values.some((x) => same(v, x));
		case 'contains':
			return (v) => v !== undefined && values.some((x) => String(v).includes(String(x)));
		case 'not_contains':
			return (v) => v !== undefined && !values.some((x) => String(v).includes(String(x)));
		case 'greater_than':
			return (v) => asNumber(v) > n;
		case 'greater_than_equals':
			return (v) => asNumber(v) >= n;
		case 'less_than':
			return (v) => asNumber(v) < n;
		case 'less_than_equals':
			return (v) => asNumber(v) <= n;
		case 'between': {
			const high = asNumber(values[1]);
			return (v) => asNumber(v) >= n && asNumber(v) <= high;
		}
		case 'exists':
			return (v) => v !== undefined;
		default:
			return (v) => v === undefined;
	}
}

/**
 * `event_properties` checked and compiled, or the problem.
 * @param {unknown} list
 * @returns {{ error: string } | { keep: ((event: import('../store').SimEvent) => boolean) | undefined }}
 */
function compileFilter(list) {
	if (list === undefined) return { keep: undefined };
	if (!Array.isArray(list))
		return { error: 'event_properties must be a list of {name, operator, value}' };
	/** @type {Array<[string, (v: unknown) => boolean]>} */
	const tests = [];
	for (const c of list) {
		if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || c.name === '') {
			return { error: 'Each of event_properties needs a name' };
		}
		const operator = c.operator ?? 'equals';
		if (!OPERATORS.has(operator)) {
			return { error: `Invalid operator: ${JSON.stringify(operator)}` };
		}
		tests.push([c.name, condition({ operator, value: c.value })]);
	}
	if (tests.length === 0) return { keep: undefined };
	return { keep: (event) => tests.every(([name, test]) => test(event.data[name])) };
}

/**
 * The query body's checks: a JSON object with event_name, from and to (days as numbers YYYYMMDD,
 * from <= to) and optional event_properties.
 * @param {{ body: string, json: any }} record
 * @returns {{ error: string } | { ok: { eventName: string, from: number, to: number, keep: ((event: import('../store').SimEvent) => boolean) | undefined, json: any } }}
 */
function checkQueryBody(record) {
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
	const filter = compileFilter(json.event_properties);
	if ('error' in filter) return filter;
	return {
		ok: { eventName: json.event_name, from: json.from, to: json.to, keep: filter.keep, json },
	};
}

module.exports = { dayProblem, compileFilter, checkQueryBody, OPERATORS };
