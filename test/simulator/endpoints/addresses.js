'use strict';

/**
 * What Subscribe (subscribe.js) and Disassociate (disassociate.js) share: a body
 * `{"d": [records]}` of 1..`maxAddressRecords` (1,000) records, each naming an address (an email or
 * a phone number) and judged on its own, and an answer in the shape of an upload's:
 *   {"status": "success" | "partial" | "fail", "processed": n, "unprocessed": [
 *     {"status": "fail", "code": 516, "error": "…", "record": …the record as sent…}]}
 * HTTP 200 whatever the records; "partial" when some were refused, "fail" when none was processed.
 *
 * PRESUMED, not recorded: no answer of either endpoint was recorded anywhere
 * (clevertap-api-endpoints.md §8, §9). CleverTap's own Node client test accepts `status` "success"
 * or "partial" for both (`CleverTap/clevertap-node` test/test.js) and a third-party Java client
 * models both answers as `{status, processed, unprocessed}`; the entries are upload's
 * (endpoints/upload.js). Picked here: the per-record codes and texts. The texts are plain words
 * without upload's "Skipped record number : N" (a client matches an entry by its echoed `record`,
 * here the record exactly as sent, or by order); the codes reuse upload's for the same problem
 * (515 email, 516 phone), 400 for a record that is malformed and 404 for a phone that is no
 * profile's identity.
 * A body that is not such an envelope, and more than 1,000 records, are a 400 for the whole request.
 */

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A phone number as CleverTap wants it: '+', the country code and the number, digits only. */
const PHONE_RE = /^\+[1-9]\d{6,14}$/;

/** @typedef {{ code: number, text: string }} Refusal */

/** @param {number} code @param {string} text @returns {Refusal} */
const refuse = (code, text) => ({ code, text });

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What is wrong with a record's `value` as an address of this type, or undefined.
 * @param {'email' | 'phone' | 'whatsapp'} type
 * @param {unknown} value
 * @returns {Refusal | undefined}
 */
function addressProblem(type, value) {
	if (typeof value !== 'string' || value.trim() === '') {
		return refuse(400, `value is required: the ${type === 'email' ? 'email' : 'phone number'}`);
	}
	if (type === 'email') {
		return EMAIL_RE.test(value) ? undefined : refuse(515, `Email is not valid: ${value}`);
	}
	return PHONE_RE.test(value)
		? undefined
		: refuse(
				516,
				`Phone number is not valid: ${value} (it must start with + and the country code, digits only)`,
			);
}

/**
 * The request's checks (a 400 for the whole request): a JSON object with `d`, a list of 1..max
 * records.
 * @param {{ maxAddressRecords: number }} sim
 * @param {{ body: string, json: unknown }} record
 * @param {string} expected the body's shape, for the message
 * @returns {{ error: string } | { ok: unknown[] }}
 */
function checkEnvelope(sim, record, expected) {
	if (record.body.trim() === '') return { error: `Request body is empty; expected ${expected}` };
	const json = record.json;
	if (json === undefined) return { error: 'Request body is not valid JSON' };
	if (!isPlainObject(json)) return { error: 'Request body must be a JSON object' };
	if (!Array.isArray(json.d)) return { error: 'd must be an array of records' };
	if (json.d.length === 0) return { error: 'd must not be empty' };
	if (json.d.length > sim.maxAddressRecords) {
		return {
			error: `Too many records: ${json.d.length} (at most ${sim.maxAddressRecords} per request)`,
		};
	}
	return { ok: json.d };
}

/**
 * Judge and apply each record in order (`take` applies a record and returns undefined, or returns
 * why it was refused), and the upload-style answer. Sets the request record's `processed` and
 * `unprocessed` (1-based numbers), as an upload's.
 * @param {any} record the request record
 * @param {unknown[]} records
 * @param {(rec: unknown, number: number) => Refusal | undefined} take
 */
function judgeRecords(record, records, take) {
	/** @type {Array<{ status: 'fail', code: number, error: string, record: unknown }>} */
	const unprocessed = [];
	/** @type {number[]} */
	const numbers = [];
	let processed = 0;
	for (let i = 0; i < records.length; i++) {
		const problem = take(records[i], i + 1);
		if (!problem) {
			processed++;
			continue;
		}
		numbers.push(i + 1);
		unprocessed.push({
			status: 'fail',
			code: problem.code,
			error: problem.text,
			record: records[i],
		});
	}
	const status = unprocessed.length === 0 ? 'success' : processed === 0 ? 'fail' : 'partial';
	record.processed = processed;
	record.unprocessed = numbers;
	return { status, processed, unprocessed };
}

/** The values a body's records name, valid or not (for the request record), or undefined. @param {any} json */
function valuesOf(json) {
	const d = json?.d;
	return Array.isArray(d)
		? d.map((rec) => (isPlainObject(rec) ? rec.value : undefined))
		: undefined;
}

module.exports = {
	EMAIL_RE,
	PHONE_RE,
	refuse,
	isPlainObject,
	addressProblem,
	checkEnvelope,
	judgeRecords,
	valuesOf,
};
