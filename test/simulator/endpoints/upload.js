'use strict';

/**
 * POST /1/upload `{"d": [records]}`, 1..1000 records of type "profile" or "event", 15 concurrent
 * requests per account. A body that is not such an envelope is a 400; otherwise the answer is
 * HTTP 200 with each record's own result:
 *   {"status": "success" | "partial" | "fail", "processed": n, "unprocessed": [
 *     {"status": "fail", "code": 515, "error": "…", "record": …the record…}]}
 * "success" when every record was processed, "partial" when some were, "fail" when none (2022+
 * [RT], 2024 [RS]; the '200-success-unprocessed' fault gives 2017's "success" with refusals [T]).
 * Ids in brackets are the sources in test/fixtures/clevertap-recorded/README.md.
 *
 * An entry's text comes in the three forms CleverTap was recorded using (`uploadTextStyle`):
 * - 'space': "<text> Skipped record number : N" [T] (2017, after a 523 text),
 * - 'nospace': "<text>.Skipped record number : N", no space before "Skipped", as in
 *   "Profile data is incorrect. Phone number is not valid.Skipped record number : 1" [T] (2017),
 * - 'errorcode': "<Field> is incorrect. ErrorCode: <code> - <text> Skipped record number : N", as in
 *   "Event Name is incorrect. ErrorCode: 509 - Event name is mandatory. Skipped record number : 2"
 *   [RT] and the 513 of [RS] (2022+),
 * - 'mixed' (the default): the form follows the record's number N in its request (N % 3: 1 space,
 *   2 nospace, 0 errorcode), so a client meets all three in one answer.
 * With `uploadNumberStyle: 'none'` the text has no "Skipped record number" at all (so a client's
 * fallback to the echo can be tested).
 *
 * The echoed `record` (`uploadEchoStyle`) is a JSON string (2017 [T]), an object (2018 [T], 2024
 * [RS]) or, in 'mixed' (the default), a string with the 'nospace' text and an object otherwise.
 * Either way it is CleverTap's normalised copy, not the record sent, as [T] recorded it in 2017
 * (`CleverTap_Uploader/_call/when_age_is_invalid`): in profileData a Phone "+35922333232" comes back
 * as the number 35922333232 and an identity 18 as "18" (the top-level identity is left as sent); a
 * client must not match the echo byte for byte.
 *
 * Sources for the per-record codes and texts:
 * - The codes: CleverTap's API errors page (developer.clevertap.com/docs/api-errors): upload events
 *   509 event name mandatory, 512 invalid event structure, 513 restricted system event, 522 event
 *   properties limit exceeded, 523 missing identity, 524 data neither event nor profile, 525
 *   timestamp not in UNIX epoch format, 526 objectId invalid, 555 miscellaneous server error;
 *   upload profiles 514 gender invalid, 515 email invalid, 516 phone number invalid, 520 age
 *   invalid.
 * - The answer's shape and the text pattern "<Field> is incorrect. … Skipped record number : <k>":
 *   live answers recorded in public integration tests (RudderStack's CleverTap destination:
 *   `"Event Name is incorrect. ErrorCode: 509 - Event name is mandatory. Skipped record number : 2"`
 *   with status "partial", and 513 "Trying to raise a restricted system event" for "Web Page
 *   Viewed"). The texts themselves follow the project's contract (e.g. "Profile data is incorrect.
 *   Email is not valid."); the 'errorcode' form puts "ErrorCode: <code> - " after the field.
 * - The limits: Upload User Profiles / Upload Events pages (1000 records a request, 15 concurrent
 *   requests, property names 120 bytes, values 512 bytes, 256 custom profile properties, 256
 *   properties an event).
 * Picked here, not documented (say so when it matters): the code for a profile property over a
 * size limit (522, the events' "properties limit exceeded"), for an event property name or value
 * over its limit (512), for a bad DOB (520, "age invalid"), for an identity over 120 characters or
 * both identity and objectId (523), for a profile record whose profileData is not an object (524),
 * which timestamps count as epoch seconds (whole numbers from 1 to 9,999,999,999), which DOB
 * strings are dates ("$D_<epoch seconds>" or "YYYY-MM-DD…"), which genders are valid (M, F, O, U)
 * and the restricted event names below.
 */

/** @typedef {{ code: number, text: string }} Refusal */

const MAX_KEY_BYTES = 120;
const MAX_VALUE_BYTES = 512;
const MAX_CUSTOM_PROFILE_PROPERTIES = 256;
const MAX_EVENT_PROPERTIES = 256;
const MAX_IDENTITY_CHARS = 120;
const MAX_EPOCH_SECONDS = 9_999_999_999;

/** CleverTap's standard profile properties: not counted against the 256 custom ones. */
const STANDARD_PROFILE_PROPERTIES = new Set([
	'Name',
	'Email',
	'Phone',
	'Gender',
	'DOB',
	'Identity',
	'Photo',
	'Employed',
	'Education',
	'Married',
	'Age',
	'MSG-email',
	'MSG-push',
	'MSG-sms',
	'MSG-whatsapp',
	'MSG-dndPhone',
	'MSG-dndEmail',
]);

/** System events CleverTap raises itself; an upload of one is refused with 513. */
const RESTRICTED_EVENTS = new Set([
	'App Launched',
	'App Uninstalled',
	'Notification Sent',
	'Notification Viewed',
	'Notification Clicked',
	'UTM Visited',
	'Web Page Viewed',
	'Identity Error',
	'Stayed',
]);

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_RE = /^\+[1-9]\d{6,14}$/;
const PHONE_SEPARATORS_RE = /[\s\-().]/g;
const DOB_EPOCH_RE = /^\$D_-?\d+$/;
const DOB_DATE_RE =
	/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const GENDERS = new Set(['M', 'F', 'O', 'U']);

/** @param {number} code @param {string} text @returns {Refusal} */
const refuse = (code, text) => ({ code, text });

const UPLOAD_TEXT_STYLES = /** @type {const} */ (['space', 'nospace', 'errorcode', 'mixed']);
const UPLOAD_ECHO_STYLES = /** @type {const} */ (['object', 'string', 'mixed']);
const UPLOAD_NUMBER_STYLES = /** @type {const} */ (['number', 'none']);
/** The 'mixed' text form of record N: MIXED_FORMS[N % 3]. */
const MIXED_FORMS = /** @type {const} */ (['errorcode', 'space', 'nospace']);
/** The answer [T] recorded with a top-level "success" (2017): the '200-success-unprocessed' default. */
const FAULT_TEXT_STYLE = 'nospace';
const FAULT_ECHO_STYLE = 'string';
const INCORRECT_RE = /^(.*? is incorrect\.)\s+([\s\S]*)$/;
const DIGITS_RE = /^\d+$/;

/** The refusal every record gets from a '200-success-unprocessed' fault without code/error. */
const FAULT_REFUSAL = refuse(523, 'Identity is incorrect. Identity is missing.');
/** The refusal of a record chosen by rejectRecords without code/error. */
const REJECT_REFUSAL = refuse(555, 'Record could not be processed. Miscellaneous server error.');

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @param {unknown} v */
const isIdValue = (v) =>
	(typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));

/** @param {unknown} v */
const present = (v) => v !== undefined && v !== null && v !== '';

/** @param {unknown} value */
function tooLong(value) {
	if (typeof value === 'string') return Buffer.byteLength(value) > MAX_VALUE_BYTES;
	if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && tooLong(v));
	return false;
}

/** @param {unknown} dob */
function isDob(dob) {
	if (typeof dob !== 'string') return false;
	if (DOB_EPOCH_RE.test(dob)) return true;
	return DOB_DATE_RE.test(dob) && !Number.isNaN(Date.parse(dob));
}

/** @param {string} key */
const shortKey = (key) => (key.length > 40 ? `${key.slice(0, 40)}…` : key);

/**
 * @param {Record<string, unknown>} data
 * @returns {Refusal | undefined}
 */
function profileDataProblem(data) {
	let custom = 0;
	for (const [key, value] of Object.entries(data)) {
		if (!STANDARD_PROFILE_PROPERTIES.has(key)) custom++;
		if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
			return refuse(
				522,
				`Profile data is incorrect. Property name longer than ${MAX_KEY_BYTES} bytes: ${shortKey(key)}.`,
			);
		}
		if (tooLong(value)) {
			return refuse(
				522,
				`Profile data is incorrect. Value of ${shortKey(key)} is longer than ${MAX_VALUE_BYTES} bytes.`,
			);
		}
		switch (key) {
			case 'Email':
				if (typeof value !== 'string' || !EMAIL_RE.test(value)) {
					return refuse(515, 'Profile data is incorrect. Email is not valid.');
				}
				break;
			case 'Phone':
				if (typeof value !== 'string' || !PHONE_RE.test(value.replace(PHONE_SEPARATORS_RE, ''))) {
					return refuse(516, 'Profile data is incorrect. Phone number is not valid.');
				}
				break;
			case 'Gender':
				if (typeof value !== 'string' || !GENDERS.has(value.toUpperCase())) {
					return refuse(514, 'Profile data is incorrect. Gender is not valid.');
				}
				break;
			case 'DOB':
				if (!isDob(value)) return refuse(520, 'Profile data is incorrect. DOB is not valid.');
				break;
			case 'Identity':
				if (!isIdValue(value) || String(value).length > MAX_IDENTITY_CHARS) {
					return refuse(523, 'Identity is incorrect. Identity in profile data is not valid.');
				}
				break;
			default:
				break;
		}
	}
	if (custom > MAX_CUSTOM_PROFILE_PROPERTIES) {
		return refuse(
			522,
			`Profile data is incorrect. More than ${MAX_CUSTOM_PROFILE_PROPERTIES} custom properties.`,
		);
	}
	return undefined;
}

/**
 * @param {Record<string, unknown>} record
 * @returns {Refusal | undefined}
 */
function eventProblem(record) {
	const name = record.evtName;
	if (typeof name !== 'string' || name.trim() === '') {
		return refuse(509, 'Event Name is incorrect. Event name is mandatory.');
	}
	if (RESTRICTED_EVENTS.has(name)) {
		return refuse(513, 'Event Name is incorrect. Trying to raise a restricted system event.');
	}
	const data = record.evtData;
	if (data === undefined) return undefined;
	if (!isPlainObject(data)) return refuse(512, 'Event data is incorrect. Invalid event structure.');
	const keys = Object.keys(data);
	if (keys.length > MAX_EVENT_PROPERTIES) {
		return refuse(
			522,
			`Event data is incorrect. Event properties limit exceeded (at most ${MAX_EVENT_PROPERTIES}).`,
		);
	}
	for (const key of keys) {
		if (key.length > MAX_KEY_BYTES) {
			return refuse(
				512,
				`Event data is incorrect. Property name longer than ${MAX_KEY_BYTES} characters: ${shortKey(key)}.`,
			);
		}
		if (tooLong(data[key])) {
			return refuse(
				512,
				`Event data is incorrect. Value of ${shortKey(key)} is longer than ${MAX_VALUE_BYTES} bytes.`,
			);
		}
	}
	return undefined;
}

/**
 * Why CleverTap would not process this record, or undefined.
 * @param {unknown} record
 * @returns {Refusal | undefined}
 */
function recordProblem(record) {
	if (!isPlainObject(record) || (record.type !== 'profile' && record.type !== 'event')) {
		return refuse(524, 'Record is incorrect. Data is neither event nor profile.');
	}
	const hasIdentity = present(record.identity);
	const hasObjectId = present(record.objectId);
	if (hasIdentity && hasObjectId) {
		return refuse(523, 'Identity is incorrect. Send either identity or objectId, not both.');
	}
	if (hasIdentity) {
		if (!isIdValue(record.identity)) {
			return refuse(523, 'Identity is incorrect. Identity must be a string or a number.');
		}
		if (String(record.identity).length > MAX_IDENTITY_CHARS) {
			return refuse(
				523,
				`Identity is incorrect. Identity is longer than ${MAX_IDENTITY_CHARS} characters.`,
			);
		}
	} else if (hasObjectId) {
		if (!isIdValue(record.objectId) || String(record.objectId).length > MAX_IDENTITY_CHARS) {
			return refuse(526, 'objectId is incorrect. objectId is not valid.');
		}
	} else {
		return refuse(523, 'Identity is incorrect. Identity is missing.');
	}
	if (
		record.ts !== undefined &&
		!(Number.isInteger(record.ts) && record.ts > 0 && record.ts <= MAX_EPOCH_SECONDS)
	) {
		return refuse(525, 'Timestamp is incorrect. Timestamp is not in UNIX epoch seconds.');
	}
	if (record.type === 'event') return eventProblem(record);
	if (record.profileData === undefined) return undefined;
	if (!isPlainObject(record.profileData)) {
		return refuse(524, 'Profile data is incorrect. profileData must be an object.');
	}
	return profileDataProblem(record.profileData);
}

/**
 * A processed record's effect on the store: profile records upsert the profile, event records
 * append to its events; an unknown identity or objectId gets a new profile, as CleverTap does.
 * @param {any} sim
 * @param {any} record
 * @param {number} nowSeconds
 */
function apply(sim, record, nowSeconds) {
	const store = sim._store;
	const profile = store.resolveOrCreate(
		present(record.identity)
			? { identity: String(record.identity) }
			: { objectId: String(record.objectId) },
	);
	if (record.type === 'profile') store.mergeProfileData(profile, record.profileData ?? {});
	else
		store.addEvent(profile, record.evtName, record.ts ?? nowSeconds, { ...(record.evtData ?? {}) });
}

/**
 * An entry's error text in one of the recorded forms.
 * @param {Refusal} problem
 * @param {'space' | 'nospace' | 'errorcode'} form
 * @param {number} number the record's 1-based number in the request
 * @param {boolean} withNumber false for uploadNumberStyle 'none'
 */
function refusalText(problem, form, number, withNumber) {
	let text = problem.text;
	if (form === 'errorcode') {
		const parts = INCORRECT_RE.exec(text);
		text = parts
			? `${parts[1]} ErrorCode: ${problem.code} - ${parts[2]}`
			: `ErrorCode: ${problem.code} - ${text}`;
	}
	if (!withNumber) return text;
	return `${text}${form === 'nospace' ? '' : ' '}Skipped record number : ${number}`;
}

/**
 * A refused record as CleverTap echoes it [T]: in profileData, a Phone "+<digits>" loses its '+'
 * (and is a number when only digits remain) and a numeric identity becomes a string. A copy; the
 * record sent is not changed.
 * @param {unknown} rec
 */
function normalisedEcho(rec) {
	if (!isPlainObject(rec) || !isPlainObject(rec.profileData)) return rec;
	const data = rec.profileData;
	/** @type {Record<string, unknown> | undefined} */
	let copy;
	const set = (/** @type {string} */ key, /** @type {unknown} */ value) => {
		copy ??= { ...data };
		copy[key] = value;
	};
	const phone = data.Phone;
	if (typeof phone === 'string' && phone.startsWith('+')) {
		const rest = phone.slice(1);
		// A number only when it reads back the same: no leading zero or digits lost.
		const n = Number(rest);
		set('Phone', DIGITS_RE.test(rest) && String(n) === rest ? n : rest);
	}
	for (const key of ['identity', 'Identity']) {
		if (typeof data[key] === 'number') set(key, String(data[key]));
	}
	return copy ? { ...rec, profileData: copy } : rec;
}

/**
 * The rejectRecords option as a function (record, number) → Refusal | undefined, or null.
 * `spec`: identities/objectIds, a predicate (true or `{ code?, error? }` refuses), or
 * `{ match, code?, error? }`; `refusal` sets the code and text (default 555).
 * @param {any} spec
 * @param {{ code?: number, error?: string }} [refusal]
 * @returns {((record: any, number: number) => Refusal | undefined) | null}
 */
function compileReject(spec, refusal = {}) {
	if (spec === null || spec === undefined) return null;
	if (isPlainObject(spec)) {
		return compileReject(spec.match, {
			code: refusal.code ?? spec.code,
			error: refusal.error ?? spec.error,
		});
	}
	const base = refuse(refusal.code ?? REJECT_REFUSAL.code, refusal.error ?? REJECT_REFUSAL.text);
	if (Array.isArray(spec)) {
		if (spec.length === 0) return null;
		const ids = new Set(spec.map(String));
		return (record) => {
			const id = isPlainObject(record) ? (record.identity ?? record.objectId) : undefined;
			return id !== undefined && ids.has(String(id)) ? base : undefined;
		};
	}
	if (typeof spec === 'function') {
		return (record, number) => {
			const verdict = spec(record, number);
			if (!verdict) return undefined;
			if (verdict === true) return base;
			return refuse(verdict.code ?? base.code, verdict.error ?? base.text);
		};
	}
	throw new TypeError(
		'rejectRecords must be a list of identities, a function (record, number) or { match, code, error }',
	);
}

module.exports = {
	api: 'upload',
	method: 'POST',
	path: '/1/upload',
	/** Uploads are larger than the other bodies: 1,000 records of up to 256 properties. Picked. */
	maxBodyBytes: 10 * 1024 * 1024,
	RESTRICTED_EVENTS,
	UPLOAD_TEXT_STYLES,
	UPLOAD_ECHO_STYLES,
	UPLOAD_NUMBER_STYLES,
	recordProblem,
	compileReject,
	refusalText,
	normalisedEcho,

	/** @param {any} sim @param {any} record */
	check(sim, record) {
		if (record.body.trim() === '') return { error: 'Request body is empty; expected {"d": [...]}' };
		const json = record.json;
		if (json === undefined) return { error: 'Request body is not valid JSON' };
		if (!isPlainObject(json)) return { error: 'Request body must be a JSON object' };
		if (!Array.isArray(json.d)) return { error: 'd must be an array of records' };
		if (json.d.length === 0) return { error: 'd must not be empty' };
		if (json.d.length > sim.maxUploadRecords) {
			return {
				error: `Too many records: ${json.d.length} (at most ${sim.maxUploadRecords} per request)`,
			};
		}
		return { ok: json.d };
	},

	/**
	 * @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res
	 * @param {unknown[]} records
	 * @param {any} [fault] a '200-success-unprocessed' fault
	 */
	serve(sim, record, res, records, fault) {
		const textStyle = fault ? (fault.textStyle ?? FAULT_TEXT_STYLE) : sim.uploadTextStyle;
		const echoStyle = fault ? (fault.echoStyle ?? FAULT_ECHO_STYLE) : sim.uploadEchoStyle;
		const withNumber = (fault?.numberStyle ?? sim.uploadNumberStyle) !== 'none';
		const reject = sim._rejectRecords;
		const faultRefusal = fault
			? refuse(fault.code ?? FAULT_REFUSAL.code, fault.error ?? FAULT_REFUSAL.text)
			: undefined;
		const nowSeconds = Math.floor(Date.now() / 1000);
		const unprocessed = [];
		/** @type {number[]} */
		const numbers = [];
		let processed = 0;
		for (let i = 0; i < records.length; i++) {
			const rec = records[i];
			const number = i + 1;
			let problem = recordProblem(rec);
			if (!problem && reject) problem = reject(rec, number);
			if (!problem && faultRefusal && (!fault.records || fault.records.includes(number))) {
				problem = faultRefusal;
			}
			if (!problem) {
				processed++;
				apply(sim, rec, nowSeconds);
				sim.uploaded.push(rec);
				continue;
			}
			numbers.push(number);
			const form = textStyle === 'mixed' ? MIXED_FORMS[number % 3] : textStyle;
			const echo = normalisedEcho(rec);
			const asString = echoStyle === 'mixed' ? form === 'nospace' : echoStyle === 'string';
			unprocessed.push({
				status: 'fail',
				code: problem.code,
				error: refusalText(problem, form, number, withNumber),
				record: asString ? JSON.stringify(echo) : echo,
			});
		}
		const status = fault
			? 'success'
			: unprocessed.length === 0
				? 'success'
				: processed === 0
					? 'fail'
					: 'partial';
		record.processed = processed;
		record.unprocessed = numbers;
		sim._stats.recordsProcessed += processed;
		sim._stats.recordsUnprocessed += unprocessed.length;
		sim._sendJson(record, res, 200, { status, processed, unprocessed });
	},

	REJECT_REFUSAL,
	FAULT_REFUSAL,
};
