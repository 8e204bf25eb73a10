'use strict';

/**
 * Scripted faults: what the proxy and infrastructure in front of CleverTap can answer (429s, 5xx,
 * HTML pages, resets, hangs, HTTP 200 bodies that say "fail"), on any of the simulator's APIs, plus
 * answers CleverTap itself gives now and then: an upload recorded as "success" with records refused
 * ('200-success-unprocessed', [T] 2017) and a page of a cursor not ready yet ('200-not-ready',
 * '202-not-ready', [LMCP]/[S]/[Y]). Ids in brackets are the sources in clevertap-recorded.md.
 *
 * All of those are answered BEFORE CleverTap processes the request: nothing takes effect (except the
 * documented half of '200-partial'). The lost answers ('take-then-reset', 'take-then-hang',
 * 'take-then-503', TAKE_FAULT_KINDS) are the other way round: the request passes the credentials,
 * its checks and the concurrency limit and is processed (a send is recorded, a campaign made, a
 * profile demerged), and then its answer never arrives.
 */

const { JSON_TYPE, HTML_TYPE, BODY } = require('./answers');
const {
	UPLOAD_TEXT_STYLES,
	UPLOAD_ECHO_STYLES,
	UPLOAD_NUMBER_STYLES,
} = require('./endpoints/upload');

/** How long a 'reset-mid-body' fault leaves half an answer on the wire before the reset. */
const MID_BODY_RESET_DELAY_MS = 100;

/** Fault kinds every API can be given. */
const FAULT_KINDS = /** @type {const} */ ([
	'429',
	'429-retry-after',
	'500',
	'502',
	'504',
	'503-html',
	'reset',
	'reset-mid-body',
	'close-mid-body',
	'hang',
	'200-fail',
	'200-partial',
	'200-not-json',
	'401',
	'403',
	'404',
	'405',
	'redirect',
]);

/**
 * Fault kinds for api 'upload' only. '200-success-unprocessed': the upload is answered as usual
 * except that the top-level status says "success" whatever the records, and the records it names
 * (`records`, 1-based; default all) are unprocessed with `code` (default 523) and `error` — as the
 * live API was recorded answering `{"status":"success","processed":0,"unprocessed":[{…523…}]}`.
 */
const UPLOAD_FAULT_KINDS = /** @type {const} */ (['200-success-unprocessed']);

/**
 * Fault kinds for the cursor APIs 'profiles' (the default) and 'events', served on page reads (GET
 * with a cursor) only, never on the POST that opens the query: CleverTap is still preparing the
 * page and answers
 * `{"status":"fail","error":"Request still in progress, please retry later","code":2}` with HTTP 200
 * ('200-not-ready', the body [LMCP] measured) or 202 ('202-not-ready', the status [S] checks for).
 * The cursor keeps its position: the next read of it gives the page.
 */
const PAGE_FAULT_KINDS = /** @type {const} */ (['200-not-ready', '202-not-ready']);

/** Faults answered by the endpoint itself, after the credentials and the request's checks. */
const ANSWER_FAULT_KINDS = [...UPLOAD_FAULT_KINDS, ...PAGE_FAULT_KINDS];

/**
 * Lost answers, for every API: the request is TAKEN (it passed the credentials, its checks and the
 * concurrency limit, and the endpoint processed it: a send is recorded, a campaign made) and then
 * the answer is lost. 'take-then-reset': the connection is reset instead of the answer (the client
 * sees ECONNRESET); 'take-then-hang': no answer ever comes (the client times out; the record's
 * status is 'hung'); 'take-then-503': a proxy's 503 HTML page replaces the answer. The answer the
 * endpoint gave is kept in the request record as `lostStatus`. Such a fault waits for a request
 * that gets that far: one refused with a 401, a 400 or a 429 does not use it up (and `after`
 * counts only requests that were taken).
 */
const TAKE_FAULT_KINDS = /** @type {const} */ ([
	'take-then-reset',
	'take-then-hang',
	'take-then-503',
]);

const ALL_FAULT_KINDS = [...FAULT_KINDS, ...ANSWER_FAULT_KINDS, ...TAKE_FAULT_KINDS];

/** @typedef {(typeof APIS)[number]} SimApi */
const APIS = /** @type {const} */ ([
	'demerge',
	'delete',
	'profile',
	'profiles',
	'upload',
	'events',
	'eventCount',
	'profileCount',
	'trends',
	'top',
	'now',
	'messageReport',
	'campaigns',
	'send',
	'externalTrigger',
	'subscribe',
	'disassociate',
]);

/** The APIs page fault kinds may be given to (the first is their default). */
const CURSOR_APIS = ['profiles', 'events'];

/**
 * A FaultSpec checked and with its defaults, or a TypeError naming the problem.
 * @param {any} spec
 */
function normaliseFault(spec) {
	const kind = spec?.kind;
	if (!ALL_FAULT_KINDS.includes(kind)) {
		throw new TypeError(
			`Unknown fault kind: ${String(kind)} (known: ${ALL_FAULT_KINDS.join(', ')})`,
		);
	}
	const times = spec.times ?? 1;
	if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
		throw new TypeError(`Fault times must be a positive integer or Infinity, got ${times}`);
	}
	const only = UPLOAD_FAULT_KINDS.includes(kind)
		? ['upload']
		: PAGE_FAULT_KINDS.includes(kind)
			? CURSOR_APIS
			: undefined;
	const api = spec.api ?? only?.[0] ?? 'demerge';
	if (!APIS.includes(api)) {
		throw new TypeError(`Fault api must be one of ${APIS.join(', ')}, got ${String(api)}`);
	}
	if (only !== undefined && !only.includes(api)) {
		const also = only
			.slice(1)
			.map((a) => ` (or '${a}')`)
			.join('');
		throw new TypeError(`Fault kind ${kind} is for api '${only[0]}' only${also}, got ${api}`);
	}
	const after = spec.after ?? 0;
	if (!(Number.isInteger(after) && after >= 0)) {
		throw new TypeError(`Fault after must be a whole number >= 0, got ${after}`);
	}
	if (
		spec.records !== undefined &&
		!(Array.isArray(spec.records) && spec.records.every((n) => Number.isInteger(n) && n > 0))
	) {
		throw new TypeError('Fault records must be an array of record numbers (1-based)');
	}
	/** @type {Array<[string, readonly string[]]>} */
	const styles = [
		['textStyle', UPLOAD_TEXT_STYLES],
		['echoStyle', UPLOAD_ECHO_STYLES],
		['numberStyle', UPLOAD_NUMBER_STYLES],
	];
	for (const [name, allowed] of styles) {
		if (spec[name] !== undefined && !allowed.includes(spec[name])) {
			throw new TypeError(`Fault ${name} must be one of ${allowed.join(', ')}, got ${spec[name]}`);
		}
	}
	return { ...spec, kind, times, api, after };
}

/**
 * The first scripted fault this request matches; a fault still letting requests through (`after`)
 * counts this one and does not match it. Served faults are used up (`times`). Asked twice per
 * request: on arrival for every kind but the lost answers, and once the request has been taken
 * (`taken`) for the lost answers only.
 * @param {Array<any>} faults
 * @param {string} api
 * @param {string | undefined} accountId
 * @param {boolean} [pageRead] a GET of a page of a cursor: the only request page faults match
 * @param {boolean} [taken] the request passed its checks and holds a slot: lost-answer kinds only
 */
function takeFault(faults, api, accountId, pageRead = false, taken = false) {
	let found;
	for (let i = 0; i < faults.length; i++) {
		const f = faults[i];
		if (f.api !== api || (f.account !== undefined && f.account !== accountId)) continue;
		// Skipped before `after` counts, so `after: 1` lets one page through, not the POST, and a
		// lost answer counts only requests that were taken.
		if (TAKE_FAULT_KINDS.includes(f.kind) !== taken) continue;
		if (!pageRead && PAGE_FAULT_KINDS.includes(f.kind)) continue;
		if (f.after > 0) {
			f.after--;
			continue;
		}
		if (found) continue;
		found = f;
		if (f.times !== Infinity) {
			f.times--;
			if (f.times <= 0) {
				faults.splice(i, 1);
				i--;
			}
		}
	}
	return found;
}

/** The faults that are one answer: [HTTP status, body, content type]. */
const ANSWERS = {
	429: [429, BODY.tooMany, JSON_TYPE],
	'429-retry-after': [429, BODY.tooMany, JSON_TYPE],
	500: [500, BODY.internal, JSON_TYPE],
	502: [502, BODY.html502, HTML_TYPE],
	504: [504, BODY.html504, HTML_TYPE],
	'503-html': [503, BODY.html503, HTML_TYPE],
	'200-fail': [200, BODY.fail200, JSON_TYPE],
	'200-partial': [200, BODY.partial200, JSON_TYPE],
	'200-not-json': [200, BODY.notJson200, HTML_TYPE],
	401: [401, BODY.badAccount, JSON_TYPE],
	403: [403, BODY.forbidden, JSON_TYPE],
	404: [404, BODY.notFound, JSON_TYPE],
	405: [405, BODY.methodNotAllowed, JSON_TYPE],
	redirect: [302, BODY.empty, JSON_TYPE],
};

/**
 * Answer a request with a transport fault (any kind of FAULT_KINDS). Most take the service latency;
 * 429s are answered at once, as the concurrency limit does.
 * @param {any} sim
 * @param {any} record
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {any} fault
 * @param {{ partial?: (sim: any, record: any) => void } | undefined} endpoint
 */
function serveFault(sim, record, req, res, fault, endpoint) {
	const kind = fault.kind;
	const answer = () => {
		const [status, body, type] = ANSWERS[/** @type {keyof typeof ANSWERS} */ (kind)];
		return sim._send(record, res, status, body, type);
	};
	if (kind === '429') return answer();
	if (kind === '429-retry-after') {
		res.setHeader('Retry-After', fault.retryAfter ?? String(fault.retryAfterSeconds ?? 1));
		return answer();
	}
	if (kind === 'hang') {
		record.status = 'hung';
		sim._count('hung');
		return undefined;
	}
	sim._later(() => {
		if (sim._closed) return undefined;
		switch (kind) {
			case '200-partial':
				// CleverTap took part of the request and says only "partial", not which: demerge and
				// delete take the first half (rounded down, `record.taken`); the others change nothing.
				endpoint?.partial?.(sim, record);
				return answer();
			case 'redirect':
				// As a misconfigured proxy or a moved endpoint would: elsewhere, same path and query.
				res.setHeader('Location', `${fault.location ?? 'http://127.0.0.1:1'}${req.url ?? '/'}`);
				return answer();
			case 'reset-mid-body':
			case 'close-mid-body':
				return breakMidBody(sim, record, req, res, kind === 'reset-mid-body');
			case 'reset':
				markReset(sim, record);
				// RST rather than FIN, so the client sees ECONNRESET.
				return resetSocket(req.socket);
			default:
				return answer();
		}
	});
	return undefined;
}

/** @param {any} sim @param {any} record */
function markReset(sim, record) {
	record.status = 'reset';
	record.endedAt = sim._now();
	sim._count('reset');
}

/** @param {import('node:net').Socket} socket */
function resetSocket(socket) {
	if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
	else socket.destroy();
}

/**
 * Status line, headers and half the body arrive, then the connection is reset (a moment later, so
 * the client has read the status line: a reset before that is the plain 'reset' fault) or closed
 * (as a proxy that gives up does: the answer ends early without a reset).
 * @param {any} sim
 * @param {any} record
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {boolean} reset
 */
function breakMidBody(sim, record, req, res, reset) {
	markReset(sim, record);
	const socket = req.socket;
	res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': BODY.success.length });
	res.write(BODY.success.subarray(0, BODY.success.length >> 1), () => {
		if (!reset) {
			socket.end();
			return;
		}
		const timer = setTimeout(() => {
			sim._timers.delete(timer);
			resetSocket(socket);
		}, MID_BODY_RESET_DELAY_MS);
		sim._timers.add(timer);
	});
	return undefined;
}

/**
 * Lose the answer of a request that was taken (a TAKE_FAULT_KINDS fault): reset the connection,
 * leave it hanging, or put a proxy's 503 page in the answer's place.
 * @param {any} sim
 * @param {any} record
 * @param {import('node:http').ServerResponse} res
 * @param {number} status the answer the endpoint gave, kept as record.lostStatus
 */
function loseAnswer(sim, record, res, status) {
	record.lostStatus = status;
	switch (record.fault) {
		case 'take-then-hang':
			record.status = 'hung';
			sim._count('hung');
			return undefined;
		case 'take-then-503':
			return sim._write(record, res, 503, BODY.html503, HTML_TYPE);
		default:
			markReset(sim, record);
			if (res.socket) resetSocket(res.socket);
			return undefined;
	}
}

module.exports = {
	FAULT_KINDS,
	UPLOAD_FAULT_KINDS,
	PAGE_FAULT_KINDS,
	ANSWER_FAULT_KINDS,
	TAKE_FAULT_KINDS,
	ALL_FAULT_KINDS,
	APIS,
	CURSOR_APIS,
	normaliseFault,
	takeFault,
	serveFault,
	loseAnswer,
};
