'use strict';

/**
 * A loopback simulator of the CleverTap REST API, for tests, benchmarks and `npm start`.
 *
 * It speaks the contract in /work/shared/clevertap-api.md:
 * - `POST /1/demerge/profiles.json` with `{"identities": [...]}` (1..100 strings),
 * - `GET /1/profile.json?identity=…` (or `email=`, `objectId=`), side-effect free,
 * - `X-CleverTap-Account-Id` / `X-CleverTap-Passcode` headers, 401 envelope otherwise,
 * - a limit of concurrent requests per account and per API (429 "Too many concurrent requests"),
 * - scripted faults (429, 5xx, HTML bodies, resets, hangs, HTTP 200 with `"status":"fail"`).
 *
 * Node built-ins only. Per-request work is kept light (no logging unless asked, no sync fs,
 * constant bodies pre-serialised) because benchmarks push 1,000+ requests/s through it.
 */

const http = require('node:http');
const { performance } = require('node:perf_hooks');

const DEMERGE_PATH = '/1/demerge/profiles.json';
const PROFILE_PATH = '/1/profile.json';
const CONTROL_PREFIX = '/__simulator/';
const MAX_BODY_BYTES = 1024 * 1024;
/** How long a 'reset-mid-body' fault leaves half an answer on the wire before the reset. */
const MID_BODY_RESET_DELAY_MS = 100;

/** @typedef {'429'|'429-retry-after'|'500'|'502'|'504'|'503-html'|'reset'|'reset-mid-body'|'close-mid-body'|'hang'|'200-fail'|'200-partial'|'200-not-json'|'401'|'403'|'404'|'405'|'redirect'} FaultKind */
/** @typedef {'demerge'|'profile'} SimApi */

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

/** Epoch-based milliseconds with sub-millisecond resolution (comparable across processes). */
const now = () => performance.timeOrigin + performance.now();

const JSON_TYPE = 'application/json;charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * @param {number} code
 * @param {string} error
 */
const envelope = (code, error) => JSON.stringify({ status: 'fail', error, code });

// Constant bodies, serialised once.
const BODY = {
	success: Buffer.from('{"status":"success"}'),
	profileNull: Buffer.from('{"status":"success","record":null}'),
	badAccount: Buffer.from(envelope(401, 'Account ID is not valid')),
	badPasscode: Buffer.from(envelope(401, 'Passcode is not valid')),
	tooMany: Buffer.from(envelope(429, 'Too many concurrent requests')),
	internal: Buffer.from(envelope(500, 'Internal error')),
	fail200: Buffer.from(envelope(500, 'Something went wrong')),
	partial200: Buffer.from(
		JSON.stringify({ status: 'partial', error: 'Some identities were not processed', code: 200 }),
	),
	notJson200: Buffer.from('<html>OK</html>'),
	notFound: Buffer.from(envelope(404, 'Not found')),
	forbidden: Buffer.from(envelope(403, 'Not allowed for this passcode')),
	empty: Buffer.alloc(0),
	methodNotAllowed: Buffer.from(envelope(405, 'Method not allowed')),
	tooLarge: Buffer.from(envelope(413, 'Request body too large')),
	html502: Buffer.from(
		'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
	),
	html503: Buffer.from(
		'<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.</p><hr><address>proxy</address></body></html>\n',
	),
	html504: Buffer.from(
		'<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n',
	),
};

/**
 * @typedef {object} SimulatorOptions
 * @property {string} [host] Always '127.0.0.1' (anything else is refused).
 * @property {number} [port] Default 0 (a random free port).
 * @property {Record<string, string>} [accounts] accountId → passcode. Default `{ 'TEST-ACCOUNT': 'test-passcode' }`.
 * @property {number} [latencyMs] Service time per accepted request. Default 0.
 * @property {number} [concurrencyLimit] Concurrent requests per account and per API. Default 3.
 * @property {number} [maxIdentities] Most identities in one demerge request. Default 100.
 * @property {string[]} [rejectIdentities] A demerge batch containing one of these is answered 400.
 * @property {((line: string) => void) | null} [log] Called once per answered request. Default null.
 * @property {number} [maxRecords] Most request records kept (oldest half dropped beyond). Default Infinity.
 * @property {boolean} [control] Serve `/__simulator/*` control endpoints (for out-of-process use). Default false.
 */

/**
 * @typedef {object} FaultSpec
 * @property {FaultKind} kind
 * @property {number} [times] How many matching requests get it; Infinity = persistent. Default 1.
 * @property {SimApi} [api] Default 'demerge'.
 * @property {number} [retryAfterSeconds] For '429-retry-after'. Default 1.
 * @property {string} [retryAfter] For '429-retry-after': raw header value (e.g. an HTTP date), overrides retryAfterSeconds.
 * @property {string} [account] Only requests of this account (X-CleverTap-Account-Id) get it. Default: any.
 * @property {number} [after] Let this many matching requests through first. Default 0.
 * @property {string} [location] For 'redirect': where to send the client (the path is kept). Default http://127.0.0.1:1.
 */

/**
 * @typedef {object} RequestRecord
 * @property {number} seq
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} body
 * @property {unknown} json
 * @property {unknown[] | undefined} identities
 * @property {string | undefined} accountId
 * @property {SimApi | undefined} api
 * @property {number} connection Sequence number of the TCP connection that carried it.
 * @property {number | 'reset' | 'hung' | undefined} status
 * @property {FaultKind | undefined} fault
 * @property {boolean} clientAborted True when the client closed the connection before the answer.
 * @property {string[]} [taken] For a '200-partial' fault: the identities it did demerge.
 * @property {number} startedAt
 * @property {number | undefined} endedAt
 */

/**
 * @typedef {object} SimulatorStats
 * @property {number} requests
 * @property {number} demergeRequests
 * @property {number} profileRequests
 * @property {Record<string, number>} byStatus
 * @property {number} faultsServed
 * @property {number} concurrencyRejections 429s from the concurrency limit (not scripted faults).
 * @property {number} peakConcurrency Max in-service demerge requests at once for one account.
 * @property {number} peakProfileConcurrency Same for profile GETs.
 * @property {number} inFlight Requests in service now (all accounts and APIs).
 * @property {number} identitiesDemerged Distinct identities demerged.
 * @property {number} demergeCalls Identity demerges including repeats.
 * @property {number | undefined} firstRequestAt
 * @property {number | undefined} lastResponseAt
 */

function freshStats() {
	return {
		requests: 0,
		demergeRequests: 0,
		profileRequests: 0,
		/** @type {Record<string, number>} */
		byStatus: {},
		faultsServed: 0,
		concurrencyRejections: 0,
		peakConcurrency: 0,
		peakProfileConcurrency: 0,
		demergeCalls: 0,
		/** @type {number | undefined} */
		firstRequestAt: undefined,
		/** @type {number | undefined} */
		lastResponseAt: undefined,
	};
}

class Simulator {
	/** @param {SimulatorOptions} options */
	constructor(options) {
		this._initialLatency = options.latencyMs ?? 0;
		this._initialReject = [...(options.rejectIdentities ?? [])];
		/** @type {Record<string, string>} */
		this.accounts = { ...(options.accounts ?? { 'TEST-ACCOUNT': 'test-passcode' }) };
		this.concurrencyLimit = options.concurrencyLimit ?? 3;
		this.maxIdentities = options.maxIdentities ?? 100;
		this.log = options.log ?? null;
		this.maxRecords = options.maxRecords ?? Infinity;
		this.control = options.control ?? false;
		this.latencyMs = this._initialLatency;
		/** @type {Set<string>} */
		this.rejectIdentities = new Set(this._initialReject);
		/** @type {RequestRecord[]} */
		this.requests = [];
		/** @type {Map<string, number>} */
		this.demerged = new Map();
		/** @type {Array<Required<Pick<FaultSpec, 'kind' | 'times' | 'api'>> & FaultSpec>} */
		this._faults = [];
		/** In-service counts: api → accountId → n. Not cleared by reset() (those requests are live). */
		this._inFlight = { demerge: new Map(), profile: new Map() };
		this._inFlightTotal = 0;
		/** @type {Set<NodeJS.Timeout>} */
		this._timers = new Set();
		this._connections = 0;
		this._closed = false;
		this.port = 0;
		this.url = '';
		this._seq = 0;
		this._stats = freshStats();
		this.server = http.createServer((req, res) => this._onRequest(req, res));
		// Keep idle keep-alive connections longer than clients do (Node's agent and undici use 4-5 s),
		// so the server never closes a socket the client is about to reuse (a spurious ECONNRESET).
		this.server.keepAliveTimeout = 65_000;
		this.server.headersTimeout = 66_000;
		this.server.on('connection', (socket) => {
			// @ts-expect-error private tag for records
			socket.__simId = ++this._connections;
			socket.setNoDelay(true);
		});
		this.server.on('clientError', (err, socket) => {
			// Malformed HTTP: answer 400 if the socket can still take it, never crash.
			if (/** @type {any} */ (err).code === 'ECONNRESET' || !socket.writable) {
				socket.destroy();
				return;
			}
			const body = envelope(400, 'Bad request');
			socket.end(
				`HTTP/1.1 400 Bad Request\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
			);
		});
	}

	/**
	 * Script a fault for the next matching request(s). Faults are served in the order added.
	 * @param {FaultSpec} spec
	 * @returns {this}
	 */
	addFault(spec) {
		const kind = spec?.kind;
		if (!FAULT_KINDS.includes(/** @type {any} */ (kind))) {
			throw new TypeError(`Unknown fault kind: ${String(kind)} (known: ${FAULT_KINDS.join(', ')})`);
		}
		const times = spec.times ?? 1;
		if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
			throw new TypeError(`Fault times must be a positive integer or Infinity, got ${times}`);
		}
		const api = spec.api ?? 'demerge';
		if (api !== 'demerge' && api !== 'profile') {
			throw new TypeError(`Fault api must be 'demerge' or 'profile', got ${String(api)}`);
		}
		const after = spec.after ?? 0;
		if (!(Number.isInteger(after) && after >= 0)) {
			throw new TypeError(`Fault after must be a whole number >= 0, got ${after}`);
		}
		this._faults.push({ ...spec, kind, times, api, after });
		return this;
	}

	/** Faults not yet served (copies). */
	get faults() {
		return this._faults.map((f) => ({ ...f }));
	}

	/** Remove all scripted faults. */
	clearFaults() {
		this._faults.length = 0;
	}

	/** @param {number} ms */
	setLatency(ms) {
		if (!(Number.isFinite(ms) && ms >= 0)) throw new TypeError(`Latency must be >= 0, got ${ms}`);
		this.latencyMs = ms;
	}

	/** @param {string[]} identities */
	setRejectIdentities(identities) {
		this.rejectIdentities = new Set(identities);
	}

	/**
	 * Clear records, stats, demerged identities and faults; restore latency and rejectIdentities to
	 * the values given at start. Accounts and requests still in service are kept.
	 */
	reset() {
		this.requests = [];
		this.demerged = new Map();
		this._faults.length = 0;
		this.latencyMs = this._initialLatency;
		this.rejectIdentities = new Set(this._initialReject);
		this._seq = 0;
		this._stats = freshStats();
	}

	/** @returns {SimulatorStats} */
	stats() {
		const s = this._stats;
		return {
			requests: s.requests,
			demergeRequests: s.demergeRequests,
			profileRequests: s.profileRequests,
			byStatus: { ...s.byStatus },
			faultsServed: s.faultsServed,
			concurrencyRejections: s.concurrencyRejections,
			peakConcurrency: s.peakConcurrency,
			peakProfileConcurrency: s.peakProfileConcurrency,
			inFlight: this._inFlightTotal,
			identitiesDemerged: this.demerged.size,
			demergeCalls: s.demergeCalls,
			firstRequestAt: s.firstRequestAt,
			lastResponseAt: s.lastResponseAt,
		};
	}

	/** One-line human summary of stats(). */
	summary() {
		const s = this.stats();
		const statuses = Object.entries(s.byStatus)
			.map(([k, v]) => `${k}: ${v}`)
			.join(', ');
		const secs =
			s.firstRequestAt !== undefined && s.lastResponseAt !== undefined
				? ((s.lastResponseAt - s.firstRequestAt) / 1000).toFixed(2)
				: '0.00';
		return (
			`${s.requests} requests (${s.demergeRequests} demerge, ${s.profileRequests} profile) in ${secs} s; ` +
			`status {${statuses}}; ${s.faultsServed} faults served; ${s.concurrencyRejections} concurrency 429s; ` +
			`peak demerge concurrency ${s.peakConcurrency}; ${s.identitiesDemerged} identities demerged ` +
			`(${s.demergeCalls} demerge calls)`
		);
	}

	/** @param {number} port */
	_listen(port) {
		return new Promise((resolve, reject) => {
			const onError = (/** @type {Error} */ err) => reject(err);
			this.server.once('error', onError);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', onError);
				const address = /** @type {import('node:net').AddressInfo} */ (this.server.address());
				this.port = address.port;
				this.url = `http://127.0.0.1:${address.port}`;
				resolve(this);
			});
		});
	}

	/** Stop listening and destroy every open socket (idle, in service or hung). */
	close() {
		if (this._closed) return this._closePromise;
		this._closed = true;
		for (const t of this._timers) {
			clearTimeout(t);
			// Give cancelled in-service requests their concurrency slots back.
			const onCancel = /** @type {any} */ (t).__onCancel;
			if (onCancel) onCancel();
		}
		this._timers.clear();
		this._closePromise = new Promise((resolve) => {
			this.server.close(() => resolve(undefined));
			this.server.closeAllConnections();
		});
		return this._closePromise;
	}

	// ---------------------------------------------------------------------------------------------

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	_onRequest(req, res) {
		const startedAt = now();
		const rawUrl = req.url ?? '/';
		const q = rawUrl.indexOf('?');
		const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
		if (this.control && path.startsWith(CONTROL_PREFIX)) return this._onControl(req, res, path);

		const s = this._stats;
		s.requests++;
		if (s.firstRequestAt === undefined) s.firstRequestAt = startedAt;
		/** @type {Record<string, string>} */
		const query = {};
		if (q !== -1) {
			for (const [k, v] of new URLSearchParams(rawUrl.slice(q + 1))) {
				if (!(k in query)) query[k] = v;
			}
		}
		const accountHeader = req.headers['x-clevertap-account-id'];
		/** @type {SimApi | undefined} */
		let api;
		if (path === DEMERGE_PATH && req.method === 'POST') {
			api = 'demerge';
			s.demergeRequests++;
		} else if (path === PROFILE_PATH && req.method === 'GET') {
			api = 'profile';
			s.profileRequests++;
		}

		/** @type {RequestRecord} */
		const record = {
			seq: ++this._seq,
			method: req.method ?? '',
			path,
			query,
			headers: req.headers,
			body: '',
			json: undefined,
			identities: undefined,
			accountId: typeof accountHeader === 'string' ? accountHeader : undefined,
			api,
			// @ts-expect-error private tag set on 'connection'
			connection: req.socket.__simId,
			status: undefined,
			fault: undefined,
			clientAborted: false,
			startedAt,
			endedAt: undefined,
		};
		if (this.requests.length >= this.maxRecords) {
			this.requests.splice(0, Math.max(1, Math.floor(this.requests.length / 2)));
		}
		this.requests.push(record);

		req.on('error', () => {});
		res.on('error', () => {});
		res.on('close', () => {
			if (!res.writableFinished) {
				record.clientAborted = true;
				if (record.status === 'hung' && record.endedAt === undefined) record.endedAt = now();
			}
		});

		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			if (tooLarge) return;
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				tooLarge = true;
				chunks.length = 0;
				// Answer now; Node discards the rest of the body. Close: the stream position is unknown.
				res.setHeader('Connection', 'close');
				this._send(record, res, 413, BODY.tooLarge, JSON_TYPE);
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			if (tooLarge || this._closed) return;
			record.body =
				chunks.length === 0
					? ''
					: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
			this._route(record, req, res);
		});
	}

	/**
	 * @param {RequestRecord} record
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	_route(record, req, res) {
		const { path } = record;
		if (record.body !== '') {
			try {
				record.json = JSON.parse(record.body);
			} catch {
				record.json = undefined;
			}
			const ids = /** @type {any} */ (record.json)?.identities;
			if (Array.isArray(ids)) record.identities = ids;
		}

		if (record.api === undefined) {
			if (path === DEMERGE_PATH || path === PROFILE_PATH) {
				res.setHeader('Allow', path === DEMERGE_PATH ? 'POST' : 'GET');
				return this._send(record, res, 405, BODY.methodNotAllowed, JSON_TYPE);
			}
			return this._send(record, res, 404, BODY.notFound, JSON_TYPE);
		}

		// Scripted faults come first: they stand for the proxy / infrastructure in front of the API.
		const fault = this._takeFault(record.api, record.accountId);
		if (fault) return this._serveFault(record, req, res, fault);

		// Authentication.
		const accountId = record.accountId;
		const passcode = req.headers['x-clevertap-passcode'];
		if (
			accountId === undefined ||
			!Object.prototype.hasOwnProperty.call(this.accounts, accountId)
		) {
			return this._send(record, res, 401, BODY.badAccount, JSON_TYPE);
		}
		if (passcode !== this.accounts[accountId]) {
			return this._send(record, res, 401, BODY.badPasscode, JSON_TYPE);
		}

		// Validation.
		if (record.api === 'demerge') {
			const problem = this._validateDemerge(record);
			if (problem)
				return this._send(record, res, 400, Buffer.from(envelope(400, problem)), JSON_TYPE);
		} else {
			const q = record.query;
			if (!q.identity && !q.email && !q.objectId) {
				return this._send(
					record,
					res,
					400,
					Buffer.from(envelope(400, 'One of identity, email or objectId is required')),
					JSON_TYPE,
				);
			}
		}

		// Concurrency limit per account and per API: over it, 429 at once.
		const counts = this._inFlight[record.api];
		const current = counts.get(accountId) ?? 0;
		if (current >= this.concurrencyLimit) {
			this._stats.concurrencyRejections++;
			return this._send(record, res, 429, BODY.tooMany, JSON_TYPE);
		}
		counts.set(accountId, current + 1);
		this._inFlightTotal++;
		if (record.api === 'demerge') {
			if (current + 1 > this._stats.peakConcurrency) this._stats.peakConcurrency = current + 1;
		} else if (current + 1 > this._stats.peakProfileConcurrency) {
			this._stats.peakProfileConcurrency = current + 1;
		}
		const finish = () => {
			counts.set(accountId, /** @type {number} */ (counts.get(accountId)) - 1);
			this._inFlightTotal--;
			if (this._closed) return;
			if (record.api === 'demerge') {
				this._demerge(/** @type {string[]} */ (record.identities));
				this._send(record, res, 200, BODY.success, JSON_TYPE);
			} else {
				this._send(record, res, 200, BODY.profileNull, JSON_TYPE);
			}
		};
		this._later(finish, () => {
			counts.set(accountId, /** @type {number} */ (counts.get(accountId)) - 1);
			this._inFlightTotal--;
		});
	}

	/**
	 * Run fn after the current latency (at once when 0); onCancel runs instead if close() cancels it.
	 * @param {() => void} fn
	 * @param {() => void} [onCancel]
	 */
	_later(fn, onCancel) {
		if (this.latencyMs <= 0) return fn();
		const timer = setTimeout(() => {
			this._timers.delete(timer);
			fn();
		}, this.latencyMs);
		// close() clears timers; keep the in-flight count right if it does.
		if (onCancel) /** @type {any} */ (timer).__onCancel = onCancel;
		this._timers.add(timer);
	}

	/** @param {string[]} identities */
	_demerge(identities) {
		for (const id of identities) this.demerged.set(id, (this.demerged.get(id) ?? 0) + 1);
		this._stats.demergeCalls += identities.length;
	}

	/** @param {RequestRecord} record @returns {string | undefined} */
	_validateDemerge(record) {
		if (record.body.trim() === '') return 'Request body is empty; expected {"identities": [...]}';
		if (record.json === undefined) return 'Request body is not valid JSON';
		const json = /** @type {any} */ (record.json);
		if (typeof json !== 'object' || json === null || Array.isArray(json)) {
			return 'Request body must be a JSON object';
		}
		const ids = json.identities;
		if (!Array.isArray(ids)) return 'identities must be an array of strings';
		if (ids.length === 0) return 'identities must not be empty';
		if (ids.length > this.maxIdentities) {
			return `Too many identities: ${ids.length} (at most ${this.maxIdentities} per request)`;
		}
		for (const id of ids) {
			if (typeof id !== 'string' || id.trim() === '')
				return `Invalid identity: ${JSON.stringify(id)}`;
		}
		if (this.rejectIdentities.size > 0) {
			for (const id of ids) {
				if (this.rejectIdentities.has(id)) return `Invalid identity: ${id}`;
			}
		}
		return undefined;
	}

	/**
	 * The first scripted fault this request matches; a fault still letting requests through (`after`)
	 * counts this one and does not match it.
	 * @param {SimApi} api
	 * @param {string | undefined} accountId
	 */
	_takeFault(api, accountId) {
		const faults = this._faults;
		let found;
		for (let i = 0; i < faults.length; i++) {
			const f = faults[i];
			if (f.api !== api || (f.account !== undefined && f.account !== accountId)) continue;
			if (/** @type {number} */ (f.after) > 0) {
				f.after = /** @type {number} */ (f.after) - 1;
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

	/**
	 * @param {RequestRecord} record
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {FaultSpec} fault
	 */
	_serveFault(record, req, res, fault) {
		record.fault = fault.kind;
		this._stats.faultsServed++;
		switch (fault.kind) {
			case '429':
				return this._send(record, res, 429, BODY.tooMany, JSON_TYPE);
			case '429-retry-after':
				res.setHeader('Retry-After', fault.retryAfter ?? String(fault.retryAfterSeconds ?? 1));
				return this._send(record, res, 429, BODY.tooMany, JSON_TYPE);
			case 'hang':
				record.status = 'hung';
				this._count('hung');
				return undefined;
			default:
				break;
		}
		this._later(() => {
			if (this._closed) return;
			switch (fault.kind) {
				case '500':
					return this._send(record, res, 500, BODY.internal, JSON_TYPE);
				case '502':
					return this._send(record, res, 502, BODY.html502, HTML_TYPE);
				case '504':
					return this._send(record, res, 504, BODY.html504, HTML_TYPE);
				case '503-html':
					return this._send(record, res, 503, BODY.html503, HTML_TYPE);
				case '200-fail':
					return this._send(record, res, 200, BODY.fail200, JSON_TYPE);
				case '200-partial': {
					// CleverTap took the first half of the request (rounded down) and says only
					// "partial", not which ones: its answers name no identities.
					const ids = Array.isArray(record.identities) ? record.identities : [];
					const taken = ids.slice(0, Math.floor(ids.length / 2)).map(String);
					record.taken = taken;
					this._demerge(taken);
					return this._send(record, res, 200, BODY.partial200, JSON_TYPE);
				}
				case '200-not-json':
					return this._send(record, res, 200, BODY.notJson200, HTML_TYPE);
				case '401':
					return this._send(record, res, 401, BODY.badAccount, JSON_TYPE);
				case '403':
					return this._send(record, res, 403, BODY.forbidden, JSON_TYPE);
				case '404':
					return this._send(record, res, 404, BODY.notFound, JSON_TYPE);
				case '405':
					return this._send(record, res, 405, BODY.methodNotAllowed, JSON_TYPE);
				case 'redirect':
					// As a misconfigured proxy or a moved endpoint would: elsewhere, same path.
					res.setHeader('Location', `${fault.location ?? 'http://127.0.0.1:1'}${record.path}`);
					return this._send(record, res, 302, BODY.empty, JSON_TYPE);
				case 'reset-mid-body': {
					// Status line, headers and half the body arrive, then the connection is reset.
					record.status = 'reset';
					record.endedAt = now();
					this._count('reset');
					const socket = req.socket;
					res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': BODY.success.length });
					// The reset comes a moment later, so the client has read the status line: a reset
					// before that is the plain 'reset' fault.
					res.write(BODY.success.subarray(0, BODY.success.length >> 1), () => {
						const timer = setTimeout(() => {
							this._timers.delete(timer);
							if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
							else socket.destroy();
						}, MID_BODY_RESET_DELAY_MS);
						this._timers.add(timer);
					});
					return undefined;
				}
				case 'close-mid-body': {
					// Status line, headers and half the body, then the connection is closed (as a proxy
					// that gives up does): the answer ends early without a reset.
					record.status = 'reset';
					record.endedAt = now();
					this._count('reset');
					const socket = req.socket;
					res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': BODY.success.length });
					res.write(BODY.success.subarray(0, BODY.success.length >> 1), () => socket.end());
					return undefined;
				}
				case 'reset': {
					record.status = 'reset';
					record.endedAt = now();
					this._count('reset');
					// RST rather than FIN, so the client sees ECONNRESET.
					const socket = req.socket;
					if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
					else socket.destroy();
					return undefined;
				}
				default:
					return undefined;
			}
		});
		return undefined;
	}

	/** @param {number | string} status */
	_count(status) {
		const byStatus = this._stats.byStatus;
		byStatus[status] = (byStatus[status] ?? 0) + 1;
	}

	/**
	 * @param {RequestRecord} record
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {Buffer} body
	 * @param {string} contentType
	 */
	_send(record, res, status, body, contentType) {
		record.status = status;
		const t = now();
		record.endedAt = t;
		this._stats.lastResponseAt = t;
		this._count(status);
		if (!res.destroyed && !res.writableEnded) {
			res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
			res.end(body);
		} else {
			record.clientAborted = true;
		}
		if (this.log) {
			this.log(
				`${record.seq} ${record.method} ${record.path} ${status}${record.fault ? ` (fault ${record.fault})` : ''} ` +
					`${(t - record.startedAt).toFixed(1)} ms${record.identities ? ` ${record.identities.length} identities` : ''}`,
			);
		}
	}

	/**
	 * Out-of-process control (only with `control: true`, e.g. the CLI): lets a benchmark or a manual
	 * n8n session script faults and read stats of a simulator running in another process. These
	 * requests are neither recorded nor counted in stats.
	 *   GET  /__simulator/stats             → stats()
	 *   GET  /__simulator/demerged          → { identity: count }
	 *   POST /__simulator/reset             → reset()
	 *   POST /__simulator/faults            body FaultSpec or FaultSpec[] (times: null = Infinity)
	 *   POST /__simulator/latency           body {"ms": n}
	 *   POST /__simulator/reject-identities body ["id", ...]
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {string} path
	 */
	_onControl(req, res, path) {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('error', () => {});
		res.on('error', () => {});
		req.on('data', (/** @type {Buffer} */ c) => {
			size += c.length;
			if (size <= MAX_BODY_BYTES) chunks.push(c);
		});
		req.on('end', () => {
			const send = (/** @type {number} */ status, /** @type {unknown} */ value) => {
				const body = Buffer.from(JSON.stringify(value));
				res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': body.length });
				res.end(body);
			};
			const name = path.slice(CONTROL_PREFIX.length);
			try {
				const text = Buffer.concat(chunks).toString('utf8');
				/** @type {any} */
				const json = text.trim() === '' ? undefined : JSON.parse(text);
				if (req.method === 'GET' && name === 'stats') return send(200, this.stats());
				if (req.method === 'GET' && name === 'demerged')
					return send(200, Object.fromEntries(this.demerged));
				if (req.method === 'POST' && name === 'reset') {
					this.reset();
					return send(200, { status: 'success' });
				}
				if (req.method === 'POST' && name === 'faults') {
					const specs = Array.isArray(json) ? json : [json];
					for (const spec of specs) {
						this.addFault({ ...spec, times: spec?.times === null ? Infinity : spec?.times });
					}
					return send(200, { status: 'success', pending: this._faults.length });
				}
				if (req.method === 'POST' && name === 'latency') {
					this.setLatency(json?.ms);
					return send(200, { status: 'success' });
				}
				if (req.method === 'POST' && name === 'reject-identities') {
					if (!Array.isArray(json)) throw new Error('Expected a JSON array of identities');
					this.setRejectIdentities(json);
					return send(200, { status: 'success' });
				}
				return send(404, JSON.parse(BODY.notFound.toString()));
			} catch (err) {
				return send(400, { status: 'fail', error: /** @type {Error} */ (err).message, code: 400 });
			}
		});
	}
}

/**
 * Start a CleverTap simulator on 127.0.0.1.
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	if (options.host !== undefined && options.host !== '127.0.0.1') {
		throw new Error(`The CleverTap simulator only listens on 127.0.0.1, not ${options.host}`);
	}
	const port = options.port ?? 0;
	if (!(Number.isInteger(port) && port >= 0 && port < 65536))
		throw new Error(`Invalid port: ${port}`);
	const sim = new Simulator(options);
	await sim._listen(port);
	return sim;
}

module.exports = {
	startSimulator,
	Simulator,
	FAULT_KINDS,
	DEMERGE_PATH,
	PROFILE_PATH,
	MAX_BODY_BYTES,
};
