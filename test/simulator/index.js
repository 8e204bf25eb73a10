'use strict';

/**
 * A loopback simulator of the CleverTap REST API, for tests, benchmarks and `npm start`.
 *
 * It speaks the endpoints the node calls (one module each under endpoints/, behind one router):
 * - 'demerge'  POST /1/demerge/profiles.json `{"identities": [...]}` (1..100 strings),
 * - 'delete'   POST /1/delete/profiles.json `{"identity": [...]}` or `{"guid": [...]}`,
 * - 'profile'  GET  /1/profile.json?identity=… (or email=, objectId=),
 * - 'profiles' POST /1/profiles.json?batch_size=N `{event_name, from, to}` → cursor, and
 *              GET  /1/profiles.json?cursor=… → a page of profiles,
 * - 'upload'   POST /1/upload `{"d": [records]}` (1..1000), each record's own result,
 * - 'events'   POST /1/events.json?batch_size=N `{event_name, from, to}` → cursor, and
 *              GET  /1/events.json?cursor=… → a page of events (the same cursor model),
 * - 'eventCount', 'profileCount', 'trends', 'top'
 *              POST /1/counts/{events,profiles,trends,top}.json → the result, or a req_id to poll
 *              with GET …?req_id= (`countPolls`),
 * - 'now'      POST /1/now.json → real-time counts,
 * - 'messageReport' POST /1/message/report.json `{from, to}` → the messages that started then,
 * - 'campaigns' POST /1/targets/{create,list,result,stop}.json: campaigns made through the API, their
 *              estimates (create with `estimate_only`, which makes nothing), list, result, stop,
 * - 'send'     POST /1/send/{push,email,sms,webpush}.json `{"to": {"Identity": [...]}, "content"}`,
 * - 'externalTrigger' POST /1/send/externaltrigger.json `{"to": {"identity": [...]}, "campaign_id"}`
 *              (every taken send and trigger is kept with its recipients: `sends`, `recipients()`),
 * - 'subscribe' POST /1/subscribe `{"d": [{"type", "value", "status"}]}` (1..1000): the state of an
 *              email, phone or WhatsApp number, for every profile that shares it (`subscription()`),
 * - 'disassociate' POST /1/disassociate `{"d": [{"type": "phone", "value"}]}` (1..1000): a phone
 *              number used as an identity leaves its profile (`disassociated`),
 * answering by default as CleverTap was recorded answering (test/fixtures/clevertap-recorded/README.md:
 * percent-encoded cursors, pages in multiples of 23, upload refusals in all three recorded text
 * forms; see each endpoint's module), with options for the other forms,
 * with `X-CleverTap-Account-Id` / `X-CleverTap-Passcode` headers (401 envelope otherwise), a limit
 * of concurrent requests per account and per API (3, and 15 for uploads; 429 "Too many concurrent
 * requests" over it) and scripted faults (faults.js: answered before processing, or, for the
 * lost answers take-then-reset / -hang / -503, after the endpoint has taken the request). It keeps profiles and their events
 * (store.js), so a Get after a Demerge, a Delete or an Upload shows the effect; demerge and delete
 * are accepted at once and change the store after `processingDelayMs`, as CleverTap processes them
 * later.
 *
 * Node built-ins only. Per-request work is kept light (no logging unless asked, no sync fs,
 * constant bodies pre-serialised) because benchmarks push 1,000+ requests/s through it.
 */

const http = require('node:http');
const { performance } = require('node:perf_hooks');

const { JSON_TYPE, envelope, failBody, BODY } = require('./answers');
const {
	FAULT_KINDS,
	UPLOAD_FAULT_KINDS,
	PAGE_FAULT_KINDS,
	ANSWER_FAULT_KINDS,
	TAKE_FAULT_KINDS,
	ALL_FAULT_KINDS,
	APIS,
	normaliseFault,
	takeFault,
	serveFault,
	loseAnswer,
} = require('./faults');
const { ProfileStore, addressKey, DEFAULT_SESSION, DEFAULT_DEVICE } = require('./store');
const endpoints = require('./endpoints');

const DEMERGE_PATH = endpoints.demerge.path;
const DELETE_PATH = endpoints.del.path;
const PROFILE_PATH = endpoints.profile.path;
const PROFILES_PATH = endpoints.cursorEndpoint.path;
const UPLOAD_PATH = endpoints.upload.path;
const EVENTS_PATH = endpoints.events.PATH;
const COUNT_PATHS = /** @type {Record<string, string>} */ (
	Object.fromEntries(endpoints.counts.QUERIES.map((q) => [q.api, q.path]))
);
const NOW_PATH = endpoints.now.path;
const MESSAGE_REPORT_PATH = endpoints.messageReport.path;
const CAMPAIGN_PATHS = endpoints.campaigns.PATHS;
const SEND_PATHS = endpoints.send.PATHS;
const EXTERNAL_TRIGGER_PATH = endpoints.externalTrigger.path;
const SUBSCRIBE_PATH = endpoints.subscribe.path;
const DISASSOCIATE_PATH = endpoints.disassociate.path;
/** Lost-answer fault kinds, looked up on every answer. */
const TAKE_KINDS = new Set(/** @type {readonly string[]} */ (TAKE_FAULT_KINDS));
const CONTROL_PREFIX = '/__simulator/';
/** Largest request body, except uploads (UPLOAD_MAX_BODY_BYTES). */
const MAX_BODY_BYTES = 1024 * 1024;
const UPLOAD_MAX_BODY_BYTES = endpoints.upload.maxBodyBytes;
/** setTimeout's longest wait; a longer processing delay waits in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const NOT_FOUND_STYLES = endpoints.profile.NOT_FOUND_STYLES;
const { CURSOR_STYLES } = endpoints;
const { UPLOAD_TEXT_STYLES, UPLOAD_ECHO_STYLES, UPLOAD_NUMBER_STYLES } = endpoints.upload;

/** @typedef {import('./faults').SimApi} SimApi */

/** Epoch-based milliseconds with sub-millisecond resolution (comparable across processes). */
const now = () => performance.timeOrigin + performance.now();

/** @param {number} value @param {(api: SimApi) => number} [of] */
const perApi = (value, of) =>
	/** @type {Record<SimApi, number>} */ (
		Object.fromEntries(APIS.map((api) => [api, of ? of(api) : value]))
	);

/** @param {string} name @param {unknown} value @param {readonly string[]} allowed */
function oneOf(name, value, allowed) {
	if (!allowed.includes(/** @type {string} */ (value))) {
		throw new TypeError(`${name} must be one of ${allowed.join(', ')}, got ${String(value)}`);
	}
	return /** @type {string} */ (value);
}

/** @param {string} name @param {unknown} ms */
function delay(name, ms) {
	if (!(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) {
		throw new TypeError(`${name} must be a number of milliseconds >= 0, got ${String(ms)}`);
	}
	return ms;
}

/** @param {unknown} n @param {string} [name] */
function pollCount(n, name = 'countPolls') {
	if (!(typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
		throw new TypeError(`${name} must be a whole number >= 0, got ${String(n)}`);
	}
	return n;
}

/** A list of provider nick names, or null (the simulator does not know them). @param {unknown} list */
function providerList(list) {
	if (list === null || list === undefined) return null;
	if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p === '')) {
		throw new TypeError('providers must be a list of provider nick names (or null)');
	}
	return [...list];
}

/** External-Trigger campaign ids as text, or null (any id is one). @param {unknown} list */
function triggerCampaigns(list) {
	if (list === null || list === undefined) return null;
	if (
		!Array.isArray(list) ||
		list.some((id) => !(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))))
	) {
		throw new TypeError('External Trigger campaigns must be a list of campaign ids (or null)');
	}
	return new Set(list.map(String));
}

/**
 * A profile named in a control request's query: `identity`, `email` or `objectId` (the first given).
 * @param {URLSearchParams} params
 * @returns {{ identity?: string, email?: string, objectId?: string }}
 */
function profileKey(params) {
	for (const name of /** @type {const} */ (['identity', 'email', 'objectId'])) {
		const value = params.get(name);
		if (value !== null) return { [name]: value };
	}
	return {};
}

/** The recipient types of sends and triggers, one spelling each. */
const RECIPIENT_TYPE = /** @type {Record<string, string>} */ ({
	Identity: 'identity',
	identity: 'identity',
	Email: 'email',
	email: 'email',
	objectId: 'objectId',
	FBID: 'FBID',
	GPID: 'GPID',
});

const INVALID_EVENT_STATUSES = /** @type {readonly any[]} */ ([400, 200]);

function freshStats() {
	return {
		requests: 0,
		requestsByApi: perApi(0),
		/** @type {Record<string, number>} */
		byStatus: {},
		faultsServed: 0,
		concurrencyRejections: 0,
		peakConcurrencyByApi: perApi(0),
		demergeCalls: 0,
		deleteCalls: 0,
		pagesServed: 0,
		eventPagesServed: 0,
		countQueries: 0,
		countPolls: 0,
		countPollsByApi: /** @type {Record<string, number>} */ (
			Object.fromEntries(endpoints.counts.COUNT_APIS.map((api) => [api, 0]))
		),
		recordsProcessed: 0,
		recordsUnprocessed: 0,
		campaignsCreated: 0,
		campaignEstimates: 0,
		campaignsStopped: 0,
		campaignResultCalls: 0,
		sendsAccepted: 0,
		messagesQueued: 0,
		subscribeRecords: 0,
		subscribeRecordsRefused: 0,
		disassociated: 0,
		disassociateRecordsRefused: 0,
		/** @type {number | undefined} */
		firstRequestAt: undefined,
		/** @type {number | undefined} */
		lastResponseAt: undefined,
	};
}

class Simulator {
	/** @param {any} options see SimulatorOptions in index.d.ts */
	constructor(options) {
		this._initial = {
			latencyMs: delay('latencyMs', options.latencyMs ?? 0),
			rejectIdentities: [...(options.rejectIdentities ?? [])],
			processingDelayMs: delay('processingDelayMs', options.processingDelayMs ?? 0),
			notFoundStyle: oneOf('notFoundStyle', options.notFoundStyle ?? 'null', NOT_FOUND_STYLES),
			cursorStyle: oneOf('cursorStyle', options.cursorStyle ?? 'encoded', CURSOR_STYLES),
			uploadTextStyle: oneOf(
				'uploadTextStyle',
				options.uploadTextStyle ?? 'mixed',
				UPLOAD_TEXT_STYLES,
			),
			uploadEchoStyle: oneOf(
				'uploadEchoStyle',
				options.uploadEchoStyle ?? 'mixed',
				UPLOAD_ECHO_STYLES,
			),
			uploadNumberStyle: oneOf(
				'uploadNumberStyle',
				options.uploadNumberStyle ?? 'number',
				UPLOAD_NUMBER_STYLES,
			),
			rejectRecords: options.rejectRecords ?? null,
			profiles: [...(options.profiles ?? [])],
			countPolls: pollCount(options.countPolls ?? 0),
			invalidEventStatus: oneOf(
				'invalidEventStatus',
				options.invalidEventStatus ?? 400,
				INVALID_EVENT_STATUSES,
			),
			realtime: endpoints.now.realtimeAnswer(options.realtimeCounts ?? null),
			messages: endpoints.messageReport.normaliseMessages(options.messages ?? null),
			messageReportMsPerDay: delay('messageReportMsPerDay', options.messageReportMsPerDay ?? 0),
			campaignPendingResults: pollCount(
				options.campaignPendingResults ?? 0,
				'campaignPendingResults',
			),
			providers: providerList(options.providers ?? null),
			externalTriggerCampaigns: triggerCampaigns(options.externalTriggerCampaigns ?? null),
		};
		/** @type {Record<string, string>} */
		this.accounts = { ...(options.accounts ?? { 'TEST-ACCOUNT': 'test-passcode' }) };
		this.concurrencyLimit = options.concurrencyLimit ?? 3;
		this.uploadConcurrencyLimit = options.uploadConcurrencyLimit ?? 15;
		this.maxIdentities = options.maxIdentities ?? 100;
		this.maxUploadRecords = options.maxUploadRecords ?? 1000;
		this.maxRecipients = options.maxRecipients ?? 1000;
		this.maxAddressRecords = options.maxAddressRecords ?? 1000;
		this.cursorTtlMs = options.cursorTtlMs ?? Infinity;
		if (!(this.cursorTtlMs > 0))
			throw new TypeError(`cursorTtlMs must be > 0, got ${this.cursorTtlMs}`);
		this.reqIdTtlMs = options.reqIdTtlMs ?? Infinity;
		if (!(this.reqIdTtlMs > 0))
			throw new TypeError(`reqIdTtlMs must be > 0, got ${this.reqIdTtlMs}`);
		this.log = options.log ?? null;
		this.maxRecords = options.maxRecords ?? Infinity;
		this.control = options.control ?? false;
		/** @type {any[]} */
		this.requests = [];
		/** @type {Map<string, number>} */
		this.demerged = new Map();
		/** @type {Map<string, number>} */
		this.deleted = new Map();
		/** @type {unknown[]} */
		this.uploaded = [];
		/** @type {any[]} Every taken send and External Trigger call, in order (SentMessage). */
		this.sends = [];
		/** @type {any[]} Every processed Subscribe record, in order (SubscriptionChange). */
		this.subscriptionChanges = [];
		/** @type {Map<string, number>} phone number → times disassociated */
		this.disassociated = new Map();
		/** @type {any[]} */
		this._faults = [];
		/** In-service counts: api → accountId → n. Not cleared by reset() (those requests are live). */
		this._inFlight = /** @type {Record<SimApi, Map<string, number>>} */ (
			Object.fromEntries(APIS.map((api) => [api, new Map()]))
		);
		this._inFlightTotal = 0;
		/** @type {Set<NodeJS.Timeout>} */
		this._timers = new Set();
		this._store = new ProfileStore();
		/** @type {Map<string, any>} cursor → state (endpoints/cursor.js) */
		this._cursors = new Map();
		/** @type {Map<string, any>} req_id → a Counts query (endpoints/counts.js) */
		this._countJobs = new Map();
		/** @type {Map<number, any>} id → a campaign made through the API (endpoints/campaigns.js) */
		this._campaigns = new Map();
		this._lastCampaignId = 0;
		/** Demerge and delete effects waiting for the processing delay, in the order accepted. */
		/** @type {Array<{ due: number, effect: () => void }>} */
		this._pending = [];
		/** @type {NodeJS.Timeout | undefined} */
		this._pendingTimer = undefined;
		this._connections = 0;
		this._closed = false;
		this.port = 0;
		this.url = '';
		this._seq = 0;
		this._stats = freshStats();
		this._restore();
		this.server = http.createServer((req, res) => this._onRequest(req, res));
		// Keep idle keep-alive connections longer than clients do (Node's agent and undici use 4-5 s),
		// so the server never closes a socket the client is about to reuse (a spurious ECONNRESET).
		this.server.keepAliveTimeout = 65_000;
		this.server.headersTimeout = 66_000;
		this.server.on('connection', (socket) => {
			/** @type {any} */ (socket).__simId = ++this._connections;
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

	/** Settings back to the start options; the seed profiles back in a cleared store. */
	_restore({ keepProfiles = false } = {}) {
		const initial = this._initial;
		this.latencyMs = initial.latencyMs;
		/** @type {Set<string>} */
		this.rejectIdentities = new Set(initial.rejectIdentities);
		this.processingDelayMs = initial.processingDelayMs;
		this.notFoundStyle = initial.notFoundStyle;
		this.cursorStyle = initial.cursorStyle;
		this.uploadTextStyle = initial.uploadTextStyle;
		this.uploadEchoStyle = initial.uploadEchoStyle;
		this.uploadNumberStyle = initial.uploadNumberStyle;
		this.setRejectRecords(initial.rejectRecords);
		this.countPolls = initial.countPolls;
		/** @type {200 | 400} */
		this.invalidEventStatus = initial.invalidEventStatus;
		this._realtime = initial.realtime;
		this._messages = initial.messages;
		this.messageReportMsPerDay = initial.messageReportMsPerDay;
		this.campaignPendingResults = initial.campaignPendingResults;
		/** @type {string[] | null} */
		this.providers = initial.providers === null ? null : [...initial.providers];
		/** @type {Set<string> | null} */
		this._triggerCampaigns =
			initial.externalTriggerCampaigns === null ? null : new Set(initial.externalTriggerCampaigns);
		if (keepProfiles) return;
		this._dropPending();
		this._store.clear();
		for (const spec of initial.profiles) this._store.add(spec);
	}

	// ---- scripting -------------------------------------------------------------------------------

	/**
	 * Script a fault for the next matching request(s). Faults are served in the order added.
	 * @param {any} spec FaultSpec
	 * @returns {this}
	 */
	addFault(spec) {
		this._faults.push(normaliseFault(spec));
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
	 * Make chosen upload records unprocessed: a list of identities/objectIds, a function
	 * (record, number) returning true or `{ code?, error? }`, or `{ match, code?, error? }`;
	 * null or [] for none. Default refusal: code 555.
	 * @param {any} spec
	 * @param {{ code?: number, error?: string }} [refusal]
	 */
	setRejectRecords(spec, refusal) {
		this._rejectRecords = endpoints.upload.compileReject(spec, refusal);
	}

	/** @param {number} ms how long demerge and delete effects wait before they change the store */
	setProcessingDelay(ms) {
		this.processingDelayMs = delay('processing delay', ms);
	}

	/** @param {'null' | 'fail' | '400' | '404'} style how Get profile answers an unknown profile */
	setNotFoundStyle(style) {
		this.notFoundStyle = oneOf('notFoundStyle', style, NOT_FOUND_STYLES);
	}

	/** @param {'encoded' | 'raw'} style how cursors appear in the JSON (already percent-encoded, or not) */
	setCursorStyle(style) {
		this.cursorStyle = oneOf('cursorStyle', style, CURSOR_STYLES);
	}

	/**
	 * How upload answers show an unprocessed record: `text` 'space' | 'nospace' | 'errorcode' |
	 * 'mixed' (the error text's recorded form), `echo` 'object' | 'string' | 'mixed' (the echoed
	 * record), `number` 'number' | 'none' ("Skipped record number : k" in the error text or not).
	 * @param {{ text?: 'space' | 'nospace' | 'errorcode' | 'mixed', echo?: 'object' | 'string' | 'mixed', number?: 'number' | 'none' }} style
	 */
	setUploadAnswerStyle({ text, echo, number } = {}) {
		if (text !== undefined) this.uploadTextStyle = oneOf('text', text, UPLOAD_TEXT_STYLES);
		if (echo !== undefined) this.uploadEchoStyle = oneOf('echo', echo, UPLOAD_ECHO_STYLES);
		if (number !== undefined) {
			this.uploadNumberStyle = oneOf('number', number, UPLOAD_NUMBER_STYLES);
		}
	}

	/**
	 * How many `GET …?req_id=` polls a Counts query takes: 0 (the default) answers the POST with the
	 * result; N > 0 answers it `{"req_id", "status":"partial"}` and the N-th poll with the result.
	 * @param {number} polls
	 */
	setCountPolls(polls) {
		this.countPolls = pollCount(polls);
	}

	/** @param {200 | 400} status the HTTP status of a Counts "Invalid event" answer (default 400) */
	setInvalidEventStatus(status) {
		this.invalidEventStatus = /** @type {200 | 400} */ (
			oneOf('invalidEventStatus', status, INVALID_EVENT_STATUSES)
		);
	}

	/**
	 * Real-Time Counts' figures: `{count, last_processed_ts, user_type, session_source, browser, os,
	 * device, new}` (any of them; the rest from CleverTap's sample), or null for the sample.
	 * @param {any} answer
	 */
	setRealtimeCounts(answer) {
		this._realtime = endpoints.now.realtimeAnswer(answer);
	}

	/**
	 * The messages Message Reports answers from (see MessageSpec in index.d.ts), or null for the
	 * generated ones (one a day).
	 * @param {any[] | null} messages
	 */
	setMessages(messages) {
		this._messages = endpoints.messageReport.normaliseMessages(messages);
	}

	/** @param {number} ms added to a Message Reports answer's service time per day of its range */
	setMessageReportMsPerDay(ms) {
		this.messageReportMsPerDay = delay('messageReportMsPerDay', ms);
	}

	/**
	 * How many result.json calls of a campaign made from now on answer "This target hasn't been
	 * completed" before its result: 0 (the default) completes campaigns at once.
	 * @param {number} calls
	 */
	setCampaignPendingResults(calls) {
		this.campaignPendingResults = pollCount(calls, 'campaignPendingResults');
	}

	/**
	 * The account's provider nick names: with two or more, email and sms need `provider_nick_name`;
	 * a name given must be one of them. null (the default): one provider, any name taken.
	 * @param {string[] | null} providers
	 */
	setProviders(providers) {
		this.providers = providerList(providers);
	}

	/**
	 * The account's External-Trigger campaign ids (text or numbers); a trigger of any other is a
	 * 400. null (the default): every id is taken.
	 * @param {Array<string | number> | null} ids
	 */
	setExternalTriggerCampaigns(ids) {
		this._triggerCampaigns = triggerCampaigns(ids);
	}

	/** The account's External-Trigger campaign ids (as text), or null for any. */
	get externalTriggerCampaigns() {
		return this._triggerCampaigns === null ? null : [...this._triggerCampaigns];
	}

	// ---- campaigns and sends ---------------------------------------------------------------------

	/** The campaigns made through the API, in the order made (copies; SimCampaign). */
	get campaigns() {
		return [...this._campaigns.values()].map(endpoints.campaigns.copyCampaign);
	}

	/**
	 * Complete a campaign now: its next result call answers its result (`sent`, `clicked` when given,
	 * else its estimate's total and a third of it). Throws for an unknown id.
	 * @param {number} id
	 * @param {{ sent?: number, clicked?: number }} [result]
	 */
	completeCampaign(id, result = {}) {
		const campaign = this._campaigns.get(Number(id));
		if (!campaign) throw new Error(`No campaign ${id}`);
		for (const key of /** @type {const} */ (['sent', 'clicked'])) {
			const n = result[key];
			if (n === undefined) continue;
			if (!(Number.isInteger(n) && n >= 0)) {
				throw new TypeError(`${key} must be a whole number >= 0, got ${n}`);
			}
			campaign.result[key] = n;
		}
		campaign.pendingResults = 0;
		if (campaign.status !== 'stopped') campaign.status = 'completed';
	}

	/**
	 * Every id that taken sends and External Trigger calls named, with how many times each was sent
	 * to (an id twice in one request counts twice), in the order first sent to. `type` is one
	 * spelling for both endpoints: identity, email, objectId, FBID, GPID; emails are compared and
	 * listed in lower case. `filter` narrows to one API ('send' | 'externalTrigger'), one channel
	 * ('push', 'email', 'sms', 'webpush', 'externaltrigger'), one External-Trigger campaign id or one
	 * account.
	 * @param {{ api?: string, channel?: string, campaignId?: string | number, accountId?: string }} [filter]
	 * @returns {Array<{ type: string, id: string, times: number }>}
	 */
	recipients(filter = {}) {
		/** @type {Map<string, { type: string, id: string, times: number }>} */
		const found = new Map();
		const campaignId = filter.campaignId === undefined ? undefined : String(filter.campaignId);
		for (const sent of this.sends) {
			if (filter.api !== undefined && sent.api !== filter.api) continue;
			if (filter.channel !== undefined && sent.channel !== filter.channel) continue;
			if (campaignId !== undefined && sent.campaignId !== campaignId) continue;
			if (filter.accountId !== undefined && sent.accountId !== filter.accountId) continue;
			for (const [key, ids] of Object.entries(/** @type {Record<string, string[]>} */ (sent.to))) {
				const type = RECIPIENT_TYPE[key] ?? key;
				for (const raw of ids) {
					const id = type === 'email' ? raw.toLowerCase() : raw;
					const k = `${type}\u0000${id}`;
					const entry = found.get(k);
					if (entry) entry.times++;
					else found.set(k, { type, id, times: 1 });
				}
			}
		}
		return [...found.values()];
	}

	/**
	 * A send or trigger taken: keep it with its recipients.
	 * @param {any} record
	 * @param {string} api
	 * @param {string} channel
	 * @param {Record<string, string[]>} to
	 * @param {number} total
	 * @param {string | undefined} campaignId
	 */
	_acceptSend(record, api, channel, to, total, campaignId) {
		this.sends.push({
			seq: record.seq,
			api,
			channel,
			accountId: record.accountId,
			to,
			...(campaignId === undefined ? {} : { campaignId }),
			body: record.json,
		});
		this._stats.sendsAccepted++;
		this._stats.messagesQueued += total;
	}

	/**
	 * A campaign made: keep it (endpoints/campaigns.js). Its id is the epoch second, one more than
	 * the last when taken.
	 * @param {string} accountId
	 * @param {any} checked
	 * @param {Record<string, number>} estimates
	 */
	_createCampaign(accountId, checked, estimates) {
		const t = Date.now();
		const id = Math.max(this._lastCampaignId + 1, Math.floor(t / 1000));
		this._lastCampaignId = id;
		const campaign = endpoints.campaigns.newCampaign(
			id,
			accountId,
			checked,
			estimates,
			t,
			this.campaignPendingResults,
		);
		this._campaigns.set(id, campaign);
		this._stats.campaignsCreated++;
		return campaign;
	}

	// ---- subscriptions and disassociations -------------------------------------------------------

	/**
	 * An address's state as Subscribe left it: 'unsubscribed', 'subscribed', or undefined when no
	 * Subscribe record set it. `type` 'email' (any case), 'phone' or 'whatsapp'.
	 * @param {string} type
	 * @param {string} value
	 * @returns {'unsubscribed' | 'subscribed' | undefined}
	 */
	subscription(type, value) {
		return this._store.subscriptionOf(type, value);
	}

	/**
	 * Every address Subscribe set, in the order first set: its state now, how many processed records
	 * unsubscribed and resubscribed it (repeats counted) and how many profiles have it now (the state
	 * applies to each of them). `filter.type` narrows to one type. Addresses set before a
	 * `reset({ keepProfiles: true })` keep their state but have no changes counted.
	 * @param {{ type?: string }} [filter]
	 * @returns {Array<{ type: string, value: string, state: 'unsubscribed' | 'subscribed', unsubscribes: number, resubscribes: number, profiles: number }>}
	 */
	subscriptions(filter = {}) {
		const store = this._store;
		this._applyDue();
		const counts = store.addressCounts();
		/** @type {Map<string, { unsubscribes: number, resubscribes: number }>} */
		const changes = new Map();
		for (const c of this.subscriptionChanges) {
			const key = addressKey(c.type, c.value);
			const n = changes.get(key) ?? { unsubscribes: 0, resubscribes: 0 };
			if (c.status === 'Unsubscribe') n.unsubscribes++;
			else n.resubscribes++;
			changes.set(key, n);
		}
		return [...store.subscriptions.entries()]
			.filter(([, sub]) => filter.type === undefined || sub.type === filter.type)
			.map(([key, sub]) => ({
				type: sub.type,
				value: sub.value,
				state: sub.state,
				...(changes.get(key) ?? { unsubscribes: 0, resubscribes: 0 }),
				profiles: counts.get(key) ?? 0,
			}));
	}

	/**
	 * The subscription states that reach one profile (by identity, email or objectId): one entry per
	 * address of it that Subscribe set (its email, a Phone property, identities that are emails or
	 * numbers; WhatsApp by its numbers). undefined when no profile is found.
	 * @param {{ identity?: string | number, email?: string, objectId?: string }} key
	 * @returns {Array<{ type: string, value: string, state: 'unsubscribed' | 'subscribed' }> | undefined}
	 */
	profileSubscriptions(key) {
		const profile = this.findProfile(key);
		if (!profile) return undefined;
		/** @type {Array<{ type: string, value: string, state: 'unsubscribed' | 'subscribed' }>} */
		const found = [];
		for (const { type, value } of this._store.addressesOf(profile)) {
			const state = this._store.subscriptionOf(type, value);
			if (state !== undefined) found.push({ type, value, state });
		}
		return found;
	}

	/**
	 * A Subscribe record processed: the address's state changes at once; the change is kept.
	 * @param {any} record
	 * @param {string} type
	 * @param {string} value
	 * @param {'Unsubscribe' | 'Resubscribe'} status
	 */
	_acceptSubscription(record, type, value, status) {
		this._store.setSubscription(type, value, endpoints.subscribe.STATUSES[status]);
		this.subscriptionChanges.push({
			seq: record.seq,
			accountId: record.accountId,
			type,
			value,
			status,
		});
		this._stats.subscribeRecords++;
	}

	/**
	 * A Disassociate record: take the number off the profile that has it as an identity, at once
	 * (after any demerge or delete already due). False when no profile has it as an identity.
	 * @param {string} phone
	 */
	_disassociate(phone) {
		this._applyDue();
		if (!this._store.detachIdentity(phone)) return false;
		this.disassociated.set(phone, (this.disassociated.get(phone) ?? 0) + 1);
		this._stats.disassociated++;
		return true;
	}

	/**
	 * How many events of this name the store holds: on the profile an identity (a string or a number)
	 * or `{ identity | email | objectId }` resolves to, or on every profile when no key is given. An
	 * event uploaded twice (a retry after a lost answer) counts twice. 0 when no profile is found.
	 * @param {string} name
	 * @param {string | number | { identity?: string | number, email?: string, objectId?: string }} [key]
	 */
	eventCount(name, key) {
		this._applyDue();
		/** @param {{ events: Array<{ name: string }> }} p */
		const countOn = (p) => p.events.reduce((n, e) => (e.name === name ? n + 1 : n), 0);
		if (key === undefined) {
			let n = 0;
			for (const profile of this._store.profiles.values()) n += countOn(profile);
			return n;
		}
		const profile = this._store.find(
			typeof key === 'string' || typeof key === 'number' ? { identity: key } : key,
		);
		return profile ? countOn(profile) : 0;
	}

	// ---- profiles --------------------------------------------------------------------------------

	/**
	 * Add a profile to the store (see ProfileSpec in index.d.ts); returns it.
	 * @param {any} spec
	 */
	addProfile(spec) {
		return this._store.add(spec);
	}

	/** objectId → profile, with every effect already due applied. */
	get profiles() {
		this._applyDue();
		return this._store.profiles;
	}

	/**
	 * The profile an identity, an email or an objectId resolves to now, or undefined.
	 * @param {{ identity?: string | number, email?: string, objectId?: string }} key
	 */
	findProfile(key) {
		this._applyDue();
		return this._store.find(key);
	}

	/** How many demerge and delete effects still wait for the processing delay. */
	pending() {
		this._applyDue();
		return this._pending.length;
	}

	/** Apply every waiting effect now (tests need not wait for the delay); returns how many. */
	flushPending() {
		const waiting = this._pending.splice(0);
		this._clearPendingTimer();
		for (const p of waiting) p.effect();
		return waiting.length;
	}

	/**
	 * Many events of one name at once, spread evenly over a range of days and over profiles made
	 * (or found) by identity (see SeedEventsSpec in index.d.ts).
	 * @param {any} spec
	 */
	seedEvents(spec) {
		return this._store.seedEvents(spec);
	}

	/** Make every cursor handed out so far expired (tests need not wait for cursorTtlMs). */
	expireCursors() {
		for (const cursor of this._cursors.values()) cursor.expiresAt = -Infinity;
	}

	/** Make every Counts req_id handed out so far expired (tests need not wait for reqIdTtlMs). */
	expireCountQueries() {
		for (const job of this._countJobs.values()) job.expiresAt = -Infinity;
	}

	/**
	 * Clear records, stats, demerged/deleted/uploaded/disassociated, sends, subscription changes and
	 * faults; restore the settings (latency, rejectIdentities, rejectRecords, processing delay, answer
	 * styles) to the start options; clear the profiles, the addresses' subscription states, cursors
	 * and waiting effects and add the start option `profiles` again, unless `keepProfiles` (then
	 * those stay). Accounts and requests still in service are kept.
	 * @param {{ keepProfiles?: boolean }} [options]
	 */
	reset(options = {}) {
		this.requests = [];
		this.demerged = new Map();
		this.deleted = new Map();
		this.uploaded = [];
		this.sends = [];
		this.subscriptionChanges = [];
		this.disassociated = new Map();
		if (!options.keepProfiles) {
			this._cursors.clear();
			this._countJobs.clear();
			this._campaigns.clear();
		}
		this._faults.length = 0;
		this._seq = 0;
		this._stats = freshStats();
		this._restore(options);
	}

	// ---- effects ---------------------------------------------------------------------------------

	/** Demerge accepted: count it now, detach the identities after the processing delay. @param {string[]} identities */
	_acceptDemerge(identities) {
		for (const id of identities) this.demerged.set(id, (this.demerged.get(id) ?? 0) + 1);
		this._stats.demergeCalls += identities.length;
		this._process(() => {
			for (const id of identities) this._store.detachIdentity(id);
		});
	}

	/** Delete accepted: count it now, remove the profiles after the processing delay. @param {'identity' | 'guid'} key @param {string[]} values */
	_acceptDelete(key, values) {
		for (const v of values) this.deleted.set(v, (this.deleted.get(v) ?? 0) + 1);
		this._stats.deleteCalls += values.length;
		const store = this._store;
		this._process(() => {
			for (const v of values) {
				store.remove(key === 'guid' ? store.profiles.get(v) : store.byIdentity.get(v));
			}
		});
	}

	/** @param {() => void} effect */
	_process(effect) {
		if (this.processingDelayMs <= 0 && this._pending.length === 0) return effect();
		this._pending.push({ due: now() + this.processingDelayMs, effect });
		this._applyDue();
		this._armPending();
		return undefined;
	}

	/** Apply the waiting effects that are due, in the order accepted. */
	_applyDue() {
		const q = this._pending;
		if (q.length === 0) return;
		const t = now();
		let n = 0;
		while (n < q.length && q[n].due <= t) n++;
		if (n === 0) return;
		for (const p of q.splice(0, n)) p.effect();
	}

	_armPending() {
		if (this._pendingTimer || this._pending.length === 0 || this._closed) return;
		const wait = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(this._pending[0].due - now())));
		this._pendingTimer = setTimeout(() => {
			this._pendingTimer = undefined;
			this._applyDue();
			this._armPending();
		}, wait);
		// The server keeps the process alive while it listens; a waiting effect alone must not.
		this._pendingTimer.unref();
	}

	_clearPendingTimer() {
		if (this._pendingTimer) clearTimeout(this._pendingTimer);
		this._pendingTimer = undefined;
	}

	_dropPending() {
		this._pending = [];
		this._clearPendingTimer();
	}

	// ---- stats -----------------------------------------------------------------------------------

	/** @returns {any} SimulatorStats */
	stats() {
		const s = this._stats;
		return {
			requests: s.requests,
			demergeRequests: s.requestsByApi.demerge,
			profileRequests: s.requestsByApi.profile,
			deleteRequests: s.requestsByApi.delete,
			profilesRequests: s.requestsByApi.profiles,
			uploadRequests: s.requestsByApi.upload,
			requestsByApi: { ...s.requestsByApi },
			byStatus: { ...s.byStatus },
			faultsServed: s.faultsServed,
			concurrencyRejections: s.concurrencyRejections,
			peakConcurrency: s.peakConcurrencyByApi.demerge,
			peakProfileConcurrency: s.peakConcurrencyByApi.profile,
			peakUploadConcurrency: s.peakConcurrencyByApi.upload,
			peakConcurrencyByApi: { ...s.peakConcurrencyByApi },
			inFlight: this._inFlightTotal,
			identitiesDemerged: this.demerged.size,
			demergeCalls: s.demergeCalls,
			identitiesDeleted: this.deleted.size,
			deleteCalls: s.deleteCalls,
			pagesServed: s.pagesServed,
			eventPagesServed: s.eventPagesServed,
			countQueries: s.countQueries,
			countPolls: s.countPolls,
			countPollsByApi: { ...s.countPollsByApi },
			recordsProcessed: s.recordsProcessed,
			recordsUnprocessed: s.recordsUnprocessed,
			campaignsCreated: s.campaignsCreated,
			campaignEstimates: s.campaignEstimates,
			campaignsStopped: s.campaignsStopped,
			campaignResultCalls: s.campaignResultCalls,
			sendsAccepted: s.sendsAccepted,
			messagesQueued: s.messagesQueued,
			subscribeRecords: s.subscribeRecords,
			subscribeRecordsRefused: s.subscribeRecordsRefused,
			disassociated: s.disassociated,
			disassociateRecordsRefused: s.disassociateRecordsRefused,
			pendingEffects: this.pending(),
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
		const others = /** @type {const} */ ([
			'delete',
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
		])
			.filter((api) => s.requestsByApi[api] > 0)
			.map((api) => `, ${s.requestsByApi[api]} ${api}`)
			.join('');
		let line =
			`${s.requests} requests (${s.demergeRequests} demerge, ${s.profileRequests} profile${others}) in ${secs} s; ` +
			`status {${statuses}}; ${s.faultsServed} faults served; ${s.concurrencyRejections} concurrency 429s; ` +
			`peak demerge concurrency ${s.peakConcurrency}; ${s.identitiesDemerged} identities demerged ` +
			`(${s.demergeCalls} demerge calls)`;
		if (s.deleteRequests > 0) line += `; ${s.identitiesDeleted} identities deleted`;
		if (s.profilesRequests > 0) line += `; ${s.pagesServed} pages of profiles served`;
		if (s.requestsByApi.events > 0) line += `; ${s.eventPagesServed} pages of events served`;
		if (s.countQueries > 0 || s.countPolls > 0) {
			line += `; ${s.countQueries} count queries, ${s.countPolls} polls`;
		}
		if (s.uploadRequests > 0) {
			line +=
				`; ${s.recordsProcessed} records uploaded, ${s.recordsUnprocessed} unprocessed ` +
				`(peak upload concurrency ${s.peakUploadConcurrency})`;
		}
		if (s.campaignsCreated > 0 || s.campaignEstimates > 0) {
			line += `; ${s.campaignsCreated} campaigns created, ${s.campaignEstimates} estimates`;
		}
		if (s.sendsAccepted > 0) {
			line += `; ${s.messagesQueued} messages queued in ${s.sendsAccepted} sends`;
		}
		if (s.requestsByApi.subscribe > 0) {
			line += `; ${s.subscribeRecords} subscription records (${s.subscribeRecordsRefused} refused)`;
		}
		if (s.requestsByApi.disassociate > 0) {
			line += `; ${s.disassociated} phone numbers disassociated (${s.disassociateRecordsRefused} refused)`;
		}
		if (s.pendingEffects > 0) line += `; ${s.pendingEffects} demerge/delete effects waiting`;
		return line;
	}

	// ---- server ----------------------------------------------------------------------------------

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
		this._clearPendingTimer();
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

	_now() {
		return now();
	}

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
		const found = endpoints.route(path, req.method);
		const endpoint = found?.endpoint;
		if (endpoint) s.requestsByApi[/** @type {SimApi} */ (endpoint.api)]++;
		const accountHeader = req.headers['x-clevertap-account-id'];

		const record = {
			seq: ++this._seq,
			method: req.method ?? '',
			path,
			query,
			headers: req.headers,
			body: '',
			/** @type {unknown} */
			json: undefined,
			/** @type {unknown[] | undefined} */
			identities: undefined,
			accountId: typeof accountHeader === 'string' ? accountHeader : undefined,
			/** @type {SimApi | undefined} */
			api: endpoint?.api,
			connection: /** @type {any} */ (req.socket).__simId,
			/** @type {number | 'reset' | 'hung' | undefined} */
			status: undefined,
			/** @type {string | undefined} */
			fault: undefined,
			clientAborted: false,
			startedAt,
			/** @type {number | undefined} */
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

		const maxBytes = endpoint?.maxBodyBytes ?? MAX_BODY_BYTES;
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			if (tooLarge) return;
			size += chunk.length;
			if (size > maxBytes) {
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
			this._route(record, req, res, found);
		});
		return undefined;
	}

	/**
	 * @param {any} record
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {ReturnType<typeof endpoints.route>} found
	 */
	_route(record, req, res, found) {
		const endpoint = found?.endpoint;
		if (record.body !== '') {
			try {
				record.json = JSON.parse(record.body);
			} catch {
				record.json = undefined;
			}
			const ids = endpoint?.identitiesOf
				? endpoint.identitiesOf(record.json)
				: /** @type {any} */ (record.json)?.identities;
			if (Array.isArray(ids)) record.identities = ids;
		}

		if (!endpoint) {
			if (found?.allow) {
				res.setHeader('Allow', found.allow);
				return this._send(record, res, 405, BODY.methodNotAllowed, JSON_TYPE);
			}
			return this._send(record, res, 404, BODY.notFound, JSON_TYPE);
		}
		/** @type {SimApi} */
		const api = endpoint.api;

		// Scripted faults come first: they stand for the proxy / infrastructure in front of the API.
		// An answer fault ('200-success-unprocessed', '200-not-ready', '202-not-ready') is CleverTap's
		// own answer: it passes the credentials and checks and changes only how the endpoint answers.
		const fault = takeFault(this._faults, api, record.accountId, endpoint.pageRead === true);
		let answerFault;
		if (fault) {
			record.fault = fault.kind;
			this._stats.faultsServed++;
			if (!ANSWER_FAULT_KINDS.includes(fault.kind)) {
				return serveFault(this, record, req, res, fault, endpoint);
			}
			answerFault = fault;
		}

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

		// The endpoint's checks: a 400 envelope naming the problem, before a slot is taken.
		// An endpoint may give the exact body CleverTap was recorded answering (`body`).
		const checked = endpoint.check(this, record);
		if (checked.error !== undefined) {
			return this._send(
				record,
				res,
				checked.status ?? 400,
				checked.body ?? failBody(400, checked.error),
				JSON_TYPE,
			);
		}

		// Concurrency limit per account and per API: over it, 429 at once.
		const counts = this._inFlight[api];
		const current = counts.get(accountId) ?? 0;
		const limit = api === 'upload' ? this.uploadConcurrencyLimit : this.concurrencyLimit;
		if (current >= limit) {
			this._stats.concurrencyRejections++;
			return this._send(record, res, 429, BODY.tooMany, JSON_TYPE);
		}
		counts.set(accountId, current + 1);
		this._inFlightTotal++;
		const peaks = this._stats.peakConcurrencyByApi;
		if (current + 1 > peaks[api]) peaks[api] = current + 1;

		// Taken: a lost-answer fault lets the endpoint process it, then loses its answer (_send).
		const lose = takeFault(this._faults, api, accountId, endpoint.pageRead === true, true);
		if (lose) {
			record.fault = lose.kind;
			this._stats.faultsServed++;
		}
		const release = () => {
			counts.set(accountId, /** @type {number} */ (counts.get(accountId)) - 1);
			this._inFlightTotal--;
		};
		// An endpoint's own service time (Message Reports: per day of the range) holds the slot too;
		// a client that gives up during it frees the slot.
		const extraMs = endpoint.serviceMs ? endpoint.serviceMs(this, checked.ok) : 0;
		this._later(
			() => {
				release();
				if (this._closed) return;
				endpoint.serve(this, record, res, checked.ok, answerFault);
			},
			release,
			extraMs,
			extraMs > 0 ? res : undefined,
		);
		return undefined;
	}

	/**
	 * Run fn after the current latency plus extraMs (at once when 0); onCancel runs instead if
	 * close() cancels it, or if `res` is given and its client goes away first.
	 * @param {() => void} fn
	 * @param {() => void} [onCancel]
	 * @param {number} [extraMs]
	 * @param {import('node:http').ServerResponse} [res]
	 */
	_later(fn, onCancel, extraMs = 0, res) {
		const wait = this.latencyMs + extraMs;
		if (wait <= 0) return fn();
		const gone = () => {
			if (!this._timers.delete(timer)) return;
			clearTimeout(timer);
			if (onCancel) onCancel();
		};
		const timer = setTimeout(() => {
			this._timers.delete(timer);
			res?.off('close', gone);
			fn();
		}, wait);
		// close() clears timers; keep the in-flight count right if it does.
		if (onCancel) /** @type {any} */ (timer).__onCancel = onCancel;
		this._timers.add(timer);
		res?.on('close', gone);
		return undefined;
	}

	/** @param {number | string} status */
	_count(status) {
		const byStatus = this._stats.byStatus;
		byStatus[status] = (byStatus[status] ?? 0) + 1;
	}

	/**
	 * @param {any} record
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {unknown} value serialised as JSON
	 */
	_sendJson(record, res, status, value) {
		return this._send(record, res, status, Buffer.from(JSON.stringify(value)), JSON_TYPE);
	}

	/**
	 * @param {any} record
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {Buffer} body
	 * @param {string} contentType
	 */
	_send(record, res, status, body, contentType) {
		// A request taken under a lost-answer fault: its answer never arrives as given.
		if (record.status === undefined && TAKE_KINDS.has(record.fault)) {
			return loseAnswer(this, record, res, status);
		}
		return this._write(record, res, status, body, contentType);
	}

	/**
	 * @param {any} record
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {Buffer} body
	 * @param {string} contentType
	 */
	_write(record, res, status, body, contentType) {
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
			const size = record.identities
				? ` ${record.identities.length} identities`
				: record.processed !== undefined
					? ` ${record.processed} records processed, ${record.unprocessed.length} unprocessed`
					: '';
			this.log(
				`${record.seq} ${record.method} ${record.path} ${status}${record.fault ? ` (fault ${record.fault})` : ''} ` +
					`${(t - record.startedAt).toFixed(1)} ms${size}`,
			);
		}
	}

	/**
	 * Out-of-process control (only with `control: true`, e.g. the CLI): lets a benchmark or a manual
	 * n8n session script faults, seed profiles and read stats of a simulator running in another
	 * process. These requests are neither recorded nor counted in stats.
	 *   GET  /__simulator/stats             → stats()
	 *   GET  /__simulator/demerged          → { identity: count }
	 *   GET  /__simulator/deleted           → { identity or guid: count }
	 *   GET  /__simulator/profiles          → [profile, ...] (objectId, identities, email, name, profileData, events)
	 *   POST /__simulator/profiles          body ProfileSpec or ProfileSpec[] → { objectIds }
	 *   GET  /__simulator/pending           → { pending: n }
	 *   POST /__simulator/flush             → flushPending()
	 *   POST /__simulator/reset             body {"keepProfiles": true} optional
	 *   POST /__simulator/faults            body FaultSpec or FaultSpec[] (times: null = Infinity), e.g.
	 *                                       {"kind": "202-not-ready", "api": "profiles", "times": 2}
	 *   POST /__simulator/latency           body {"ms": n}
	 *   POST /__simulator/processing-delay  body {"ms": n}
	 *   POST /__simulator/not-found-style   body {"style": "null" | "fail" | "400" | "404"}
	 *   POST /__simulator/cursor-style      body {"style": "encoded" | "raw"}
	 *   POST /__simulator/upload-style      body {"text"?: "space" | "nospace" | "errorcode" | "mixed",
	 *                                             "echo"?: "object" | "string" | "mixed", "number"?: "number" | "none"}
	 *   POST /__simulator/reject-identities body ["id", ...]
	 *   POST /__simulator/reject-records    body ["identity or objectId", ...] or {"match": [...], "code"?, "error"?}
	 *   POST /__simulator/events            body SeedEventsSpec or SeedEventsSpec[] (no functions) →
	 *                                       { events, profiles, created } (summed)
	 *   POST /__simulator/count-polls       body {"polls": n}
	 *   POST /__simulator/invalid-event-status body {"status": 400 | 200}
	 *   POST /__simulator/realtime          body {"count"?, "last_processed_ts"?, "user_type"?, …} or null
	 *   POST /__simulator/messages          body [MessageSpec, ...] or null (the generated ones)
	 *   POST /__simulator/message-report-latency body {"msPerDay": n}
	 *   POST /__simulator/expire            body {"cursors"?: true, "countQueries"?: true} (both when empty)
	 *   GET  /__simulator/campaigns         → [SimCampaign, ...] (those made through the API)
	 *   POST /__simulator/complete-campaign body {"id", "sent"?, "clicked"?}
	 *   POST /__simulator/campaign-pending-results body {"calls": n}
	 *   POST /__simulator/providers         body ["nick name", ...] or null
	 *   POST /__simulator/external-trigger-campaigns body ["id", ...] or null (any id)
	 *   GET  /__simulator/sends             → [SentMessage, ...]
	 *   GET  /__simulator/recipients        ?api=&channel=&campaignId=&accountId= (each optional) →
	 *                                       [{type, id, times}, ...]
	 *   GET  /__simulator/subscription      ?type=&value= → {"state": "unsubscribed" | "subscribed" | null}
	 *   GET  /__simulator/subscriptions     ?type= (optional) → [{type, value, state, unsubscribes,
	 *                                       resubscribes, profiles}, ...]
	 *   GET  /__simulator/subscription-changes → [{seq, accountId, type, value, status}, ...]
	 *   GET  /__simulator/profile-subscriptions ?identity= | email= | objectId= → [{type, value, state}, ...]
	 *                                       (404 when no profile is found)
	 *   GET  /__simulator/disassociated     → { phone number: count }
	 *   GET  /__simulator/event-count       ?name=&identity= | email= | objectId= (optional) → {"count": n}
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
			if (size <= UPLOAD_MAX_BODY_BYTES) chunks.push(c);
		});
		req.on('end', () => {
			const send = (/** @type {number} */ status, /** @type {unknown} */ value) => {
				const body = Buffer.from(JSON.stringify(value));
				res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': body.length });
				res.end(body);
			};
			const ok = { status: 'success' };
			const name = path.slice(CONTROL_PREFIX.length);
			const q = (req.url ?? '').indexOf('?');
			const params = new URLSearchParams(q === -1 ? '' : (req.url ?? '').slice(q + 1));
			try {
				const text = Buffer.concat(chunks).toString('utf8');
				/** @type {any} */
				const json = text.trim() === '' ? undefined : JSON.parse(text);
				const list = (/** @type {any} */ v) => (Array.isArray(v) ? v : [v]);
				switch (`${req.method} ${name}`) {
					case 'GET stats':
						return send(200, this.stats());
					case 'GET demerged':
						return send(200, Object.fromEntries(this.demerged));
					case 'GET deleted':
						return send(200, Object.fromEntries(this.deleted));
					case 'GET profiles':
						return send(200, [...this.profiles.values()]);
					case 'POST profiles': {
						const objectIds = list(json).map((spec) => this.addProfile(spec).objectId);
						return send(200, { ...ok, objectIds });
					}
					case 'GET pending':
						return send(200, { pending: this.pending() });
					case 'POST flush':
						return send(200, { ...ok, applied: this.flushPending() });
					case 'POST reset':
						this.reset({ keepProfiles: json?.keepProfiles === true });
						return send(200, ok);
					case 'POST faults':
						for (const spec of list(json)) {
							this.addFault({ ...spec, times: spec?.times === null ? Infinity : spec?.times });
						}
						return send(200, { ...ok, pending: this._faults.length });
					case 'POST latency':
						this.setLatency(json?.ms);
						return send(200, ok);
					case 'POST processing-delay':
						this.setProcessingDelay(json?.ms);
						return send(200, ok);
					case 'POST not-found-style':
						this.setNotFoundStyle(json?.style);
						return send(200, ok);
					case 'POST cursor-style':
						this.setCursorStyle(json?.style);
						return send(200, ok);
					case 'POST upload-style':
						this.setUploadAnswerStyle(json ?? {});
						return send(200, ok);
					case 'POST reject-identities':
						if (!Array.isArray(json)) throw new Error('Expected a JSON array of identities');
						this.setRejectIdentities(json);
						return send(200, ok);
					case 'POST reject-records':
						if (typeof json !== 'object' || json === null) {
							throw new Error('Expected a JSON array of identities or {"match": [...]}');
						}
						this.setRejectRecords(json);
						return send(200, ok);
					case 'POST events': {
						const total = { events: 0, profiles: 0, created: 0 };
						for (const spec of list(json)) {
							const seeded = this.seedEvents(spec);
							total.events += seeded.events;
							total.profiles += seeded.profiles;
							total.created += seeded.created;
						}
						return send(200, { ...ok, ...total });
					}
					case 'POST count-polls':
						this.setCountPolls(json?.polls);
						return send(200, ok);
					case 'POST invalid-event-status':
						this.setInvalidEventStatus(json?.status);
						return send(200, ok);
					case 'POST realtime':
						this.setRealtimeCounts(json ?? null);
						return send(200, ok);
					case 'POST messages':
						this.setMessages(json ?? null);
						return send(200, ok);
					case 'POST message-report-latency':
						this.setMessageReportMsPerDay(json?.msPerDay);
						return send(200, ok);
					case 'GET campaigns':
						return send(200, this.campaigns);
					case 'POST complete-campaign':
						this.completeCampaign(json?.id, { sent: json?.sent, clicked: json?.clicked });
						return send(200, ok);
					case 'POST campaign-pending-results':
						this.setCampaignPendingResults(json?.calls);
						return send(200, ok);
					case 'POST providers':
						this.setProviders(json ?? null);
						return send(200, ok);
					case 'POST external-trigger-campaigns':
						this.setExternalTriggerCampaigns(json ?? null);
						return send(200, ok);
					case 'GET sends':
						return send(200, this.sends);
					case 'GET recipients': {
						/** @type {Record<string, string>} */
						const filter = {};
						for (const key of ['api', 'channel', 'campaignId', 'accountId']) {
							const value = params.get(key);
							if (value !== null) filter[key] = value;
						}
						return send(200, this.recipients(filter));
					}
					case 'GET subscription': {
						const type = params.get('type');
						const value = params.get('value');
						if (type === null || value === null) throw new Error('type and value are required');
						return send(200, { state: this.subscription(type, value) ?? null });
					}
					case 'GET subscriptions': {
						const type = params.get('type');
						return send(200, this.subscriptions(type === null ? {} : { type }));
					}
					case 'GET subscription-changes':
						return send(200, this.subscriptionChanges);
					case 'GET profile-subscriptions': {
						const found = this.profileSubscriptions(profileKey(params));
						if (found === undefined) return send(404, JSON.parse(BODY.notFound.toString()));
						return send(200, found);
					}
					case 'GET disassociated':
						return send(200, Object.fromEntries(this.disassociated));
					case 'GET event-count': {
						const eventName = params.get('name');
						if (eventName === null) throw new Error('name is required');
						const key = profileKey(params);
						return send(200, {
							count: this.eventCount(eventName, Object.keys(key).length > 0 ? key : undefined),
						});
					}
					case 'POST expire': {
						const both = json?.cursors === undefined && json?.countQueries === undefined;
						if (both || json?.cursors === true) this.expireCursors();
						if (both || json?.countQueries === true) this.expireCountQueries();
						return send(200, ok);
					}
					default:
						return send(404, JSON.parse(BODY.notFound.toString()));
				}
			} catch (err) {
				return send(400, { status: 'fail', error: /** @type {Error} */ (err).message, code: 400 });
			}
		});
	}
}

/**
 * Start a CleverTap simulator on 127.0.0.1.
 * @param {any} [options] SimulatorOptions
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
	UPLOAD_FAULT_KINDS,
	PAGE_FAULT_KINDS,
	TAKE_FAULT_KINDS,
	ALL_FAULT_KINDS,
	APIS,
	NOT_FOUND_STYLES,
	CURSOR_STYLES,
	UPLOAD_TEXT_STYLES,
	UPLOAD_ECHO_STYLES,
	UPLOAD_NUMBER_STYLES,
	RESTRICTED_EVENTS: endpoints.upload.RESTRICTED_EVENTS,
	DEMERGE_PATH,
	DELETE_PATH,
	PROFILE_PATH,
	PROFILES_PATH,
	UPLOAD_PATH,
	EVENTS_PATH,
	COUNT_PATHS,
	NOW_PATH,
	MESSAGE_REPORT_PATH,
	CAMPAIGN_PATHS,
	SEND_PATHS,
	EXTERNAL_TRIGGER_PATH,
	SUBSCRIBE_PATH,
	DISASSOCIATE_PATH,
	SUBSCRIPTION_TYPES: endpoints.subscribe.TYPES,
	TARGET_MODES: endpoints.campaigns.TARGET_MODES,
	SEND_RECIPIENT_TYPES: endpoints.send.RECIPIENT_TYPES,
	TRIGGER_RECIPIENT_TYPES: endpoints.externalTrigger.RECIPIENT_TYPES,
	COUNT_APIS: endpoints.counts.COUNT_APIS,
	SYSTEM_EVENTS: endpoints.counts.SYSTEM_EVENTS,
	REALTIME_SAMPLE: endpoints.now.SAMPLE,
	DEFAULT_SESSION,
	DEFAULT_DEVICE,
	MAX_BODY_BYTES,
	UPLOAD_MAX_BODY_BYTES,
};
