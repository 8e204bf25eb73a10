// Types for the CleverTap simulator (test/simulator/index.js, plain CommonJS).
import type { IncomingHttpHeaders, Server } from 'node:http';

/** Fault kinds every API can be given (FAULT_KINDS). */
export type TransportFaultKind =
	| '429'
	| '429-retry-after'
	| '500'
	| '502'
	| '504'
	| '503-html'
	| 'reset'
	| 'reset-mid-body'
	| 'close-mid-body'
	| 'hang'
	| '200-fail'
	| '200-partial'
	| '200-not-json'
	| '401'
	| '403'
	| '404'
	| '405'
	| 'redirect';

/**
 * Fault kinds for api 'upload' only (UPLOAD_FAULT_KINDS). '200-success-unprocessed': the upload is
 * answered as usual except that the top-level status is "success" whatever the records, and the
 * records named by `records` (default: all) are unprocessed with `code` (default 523) and `error`,
 * in the 2017 form by default ('nospace' text, the echo a JSON string), as CleverTap's live API was
 * recorded answering ([T] in clevertap-recorded.md).
 */
export type UploadFaultKind = '200-success-unprocessed';

/**
 * Fault kinds for the cursor APIs 'profiles' (the default) and 'events' only (PAGE_FAULT_KINDS),
 * served on page reads (GET with a cursor), never on the POST that opens the query: the page is not
 * ready yet,
 * `{"status":"fail","error":"Request still in progress, please retry later","code":2}` with HTTP
 * 200 ('200-not-ready') or 202 ('202-not-ready'). The cursor keeps its position: the next read of
 * it gives the page. They need good credentials and a valid cursor, like the page itself.
 */
export type PageFaultKind = '200-not-ready' | '202-not-ready';

/**
 * Lost answers, for every API (TAKE_FAULT_KINDS): the request is TAKEN (it passes the credentials,
 * its checks and the concurrency limit, and the endpoint processes it: a send is recorded, a
 * campaign made, a profile demerged) and then its answer is lost. 'take-then-reset': the connection
 * is reset instead (ECONNRESET); 'take-then-hang': no answer ever comes (the client times out;
 * status 'hung'); 'take-then-503': a proxy's 503 HTML page replaces it. The endpoint's own status
 * is kept as `RequestRecord.lostStatus`. A request refused with a 401, a 400 or a 429 does not use
 * such a fault up, and `after` counts only taken requests. Every other kind is served before the
 * request is processed, so a '429' fault never records a send.
 */
export type TakeFaultKind = 'take-then-reset' | 'take-then-hang' | 'take-then-503';

export type FaultKind = TransportFaultKind | UploadFaultKind | PageFaultKind | TakeFaultKind;

/**
 * The simulator's APIs, each with its own concurrency limit per account and its own faults:
 * 'demerge' POST /1/demerge/profiles.json, 'delete' POST /1/delete/profiles.json,
 * 'profile' GET /1/profile.json, 'profiles' POST and GET /1/profiles.json, 'upload' POST /1/upload,
 * 'events' POST and GET /1/events.json, 'eventCount' POST and GET /1/counts/events.json,
 * 'profileCount' … /1/counts/profiles.json, 'trends' … /1/counts/trends.json, 'top' …
 * /1/counts/top.json, 'now' POST /1/now.json, 'messageReport' POST /1/message/report.json,
 * 'campaigns' POST /1/targets/{create,list,result,stop}.json (one limit for the four),
 * 'send' POST /1/send/{push,email,sms,webpush}.json (one limit for the four), 'externalTrigger'
 * POST /1/send/externaltrigger.json, 'subscribe' POST /1/subscribe, 'disassociate'
 * POST /1/disassociate.
 */
export type SimApi =
	| 'demerge'
	| 'delete'
	| 'profile'
	| 'profiles'
	| 'upload'
	| 'events'
	| 'eventCount'
	| 'profileCount'
	| 'trends'
	| 'top'
	| 'now'
	| 'messageReport'
	| 'campaigns'
	| 'send'
	| 'externalTrigger'
	| 'subscribe'
	| 'disassociate';

/** The Counts APIs: a POST starts a query, `GET <same path>?req_id=` polls it (see countPolls). */
export type CountApi = 'eventCount' | 'profileCount' | 'trends' | 'top';

/** How Get profile answers an unknown profile (CleverTap does not document it; nothing recorded). */
export type NotFoundStyle =
	/** 200 `{"status":"success","record":null}` */
	| 'null'
	/** 200 `{"status":"fail","error":"Profile not found","code":404}` */
	| 'fail'
	/** 400 `{"status":"fail","error":"Profile not found","code":400}` */
	| '400'
	/** 404 `{"status":"fail","error":"Profile not found","code":404}`, content-type application/json;charset=utf-8 */
	| '404';

/**
 * How Get Many by Event cursors appear in the JSON: 'encoded', already percent-encoded (`%2F`,
 * `%2B`, `%3D`, ~1.6 KB) as recorded [V], to be put in the URL as given; 'raw', plain base64 with
 * '/', '+' and '=', which the client must encode itself.
 */
export type CursorStyle = 'encoded' | 'raw';

/**
 * The recorded forms of an unprocessed upload record's error text:
 * 'space' "<text> Skipped record number : N" [T]; 'nospace' "<text>.Skipped record number : N" [T]
 * (2017); 'errorcode' "<Field> is incorrect. ErrorCode: <code> - <text> Skipped record number : N"
 * [RT][RS] (2022+); 'mixed' by the record's number N: N % 3 === 1 space, 2 nospace, 0 errorcode.
 */
export type UploadTextStyle = 'space' | 'nospace' | 'errorcode' | 'mixed';
/**
 * How an unprocessed upload record is echoed: as an object, as a JSON string, or 'mixed' (a string
 * with the 'nospace' text, an object otherwise). Always CleverTap's normalised copy [T]: in
 * profileData a Phone "+<digits>" loses its '+' (a number when only digits remain) and a numeric
 * identity becomes a string.
 */
export type UploadEchoStyle = 'object' | 'string' | 'mixed';
/** 'number': the error text ends "Skipped record number : k"; 'none': it has no number. */
export type UploadNumberStyle = 'number' | 'none';

/** A refusal of an upload record: its CleverTap code and the error text (without the record number). */
export interface RecordRefusal {
	code?: number;
	error?: string;
}

/**
 * Which upload records to refuse: identities/objectIds; a function of the record and its 1-based
 * number in the request returning true (default refusal) or a refusal; or that with a refusal.
 */
export type RejectRecords =
	| Array<string | number>
	| ((record: unknown, number: number) => boolean | RecordRefusal | null | undefined)
	| ({
			match:
				| Array<string | number>
				| ((record: unknown, number: number) => boolean | RecordRefusal | null | undefined);
	  } & RecordRefusal);

/** An event of a profile given to addProfile. */
export interface EventSpec {
	name: string;
	/** 'YYYY-MM-DD' (UTC midnight), a Date, or epoch seconds. */
	date: string | Date | number;
	data?: Record<string, unknown>;
	/** Its session's properties, Get Events' `session_props`. Default DEFAULT_SESSION. */
	session?: Record<string, string>;
}

/**
 * A profile's device: Get Events shows `platform` always and the rest with `app=true`; Top
 * Property Count reads them for `app_fields`. Each missing field comes from DEFAULT_DEVICE.
 */
export interface SimDevice {
	platform?: string;
	os_version?: string;
	app_version?: string;
	make?: string;
	model?: string;
}

/**
 * Many events of one name at once (`seedEvents`, POST /__simulator/events): event i (0-based) at
 * `midnight(from) + floor(i * span / count)` seconds, span running to the end of `to`, so they are
 * spread evenly and in time order; on profile `i % profiles`. 100,000 events on 10,000 profiles take
 * a few hundred ms and ~16 MB.
 */
export interface SeedEventsSpec {
	name: string;
	/** How many events (0 or more). */
	count: number;
	/** First day: 'YYYY-MM-DD' or a number YYYYMMDD. */
	from: string | number;
	/** Last day, inclusive. */
	to: string | number;
	/**
	 * How many profiles they are spread over, in turn. Default min(count, 10000). Profiles are made
	 * with identity `<identityPrefix><n>` (n from 0), email `<identity>@example.com` (unless taken)
	 * and name `Seed User <n>`; a profile that has the identity already is used as it is.
	 */
	profiles?: number;
	/** Default 'seed-'. */
	identityPrefix?: string;
	/**
	 * Every event's properties: one object (shared by all), a list taken in turn (event i gets
	 * `data[i % data.length]`), or a function of i (JS API only). Default none (`{}`).
	 */
	data?:
		| Record<string, unknown>
		| Array<Record<string, unknown>>
		| ((i: number) => Record<string, unknown>);
	/** Every event's session properties. Default DEFAULT_SESSION. */
	session?: Record<string, string>;
}

export interface SeedEventsResult {
	events: number;
	/** Profiles the events went to. */
	profiles: number;
	/** Of those, how many were made. */
	created: number;
}

/**
 * Real-Time Counts' figures (`setRealtimeCounts`, option `realtimeCounts`): any of them; the rest
 * come from CleverTap's sample (REALTIME_SAMPLE, `sample_now_response_full.json`).
 */
export interface RealtimeCounts {
	count?: number;
	/** Epoch seconds. */
	last_processed_ts?: number;
	user_type?: Record<string, number>;
	session_source?: Record<string, number>;
	browser?: Record<string, number>;
	os?: Record<string, number>;
	device?: Record<string, number>;
	new?: Record<string, Record<string, number>>;
}

/**
 * A message Message Reports answers with (`setMessages`, option `messages`), in CleverTap's form or
 * with the short keys. The start is `start_date` ("05 Mar, 2024 10:00:00", UTC) or `start`
 * ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]', a Date or epoch seconds); the answer always shows
 * start_date. Defaults: id its 1-based place in the list, name "Message <id>", channel 'Push',
 * status 'completed', delivery 'one_time', counters 0. Other keys are passed through.
 */
export interface MessageSpec {
	'message id'?: number;
	id?: number;
	'message name'?: string;
	name?: string;
	start_date?: string;
	start?: string | Date | number;
	/** Mixed case as CleverTap shows it: 'Push', 'Email', 'SMS', 'WhatsApp', … */
	channel?: string;
	status?: string;
	delivery?: string;
	sent?: number;
	viewed?: number;
	clicked?: number;
	[key: string]: unknown;
}

/** Create Campaign's `target_mode`s. */
export type TargetMode = 'push' | 'email' | 'sms' | 'webpush' | 'whatsapp';

/**
 * A campaign made through POST /1/targets/create.json (without `estimate_only`), as
 * `sim.campaigns` and GET /__simulator/campaigns show it (copies).
 */
export interface SimCampaign {
	/** The epoch second it was made, one more than the last when taken. */
	id: number;
	accountId: string;
	name: string;
	targetMode: TargetMode;
	labels: string[];
	/** Epoch ms. */
	createdAt: number;
	/** The UTC day it was made, YYYYMMDD: what list.json's from..to select on. */
	createdDay: number;
	/** YYYYMMDDHHMM (UTC): the time `when` named, or when it was made for "now". list.json's `scheduled_on`. */
	scheduledOn: number;
	/** 'completed' at once when campaignPendingResults was 0; else 'running' ("now") or 'scheduled' until completed or stopped. */
	status: 'scheduled' | 'running' | 'completed' | 'stopped';
	/** The create answer's estimates, keyed by platform. */
	estimates: Record<string, number>;
	/** Result calls still to be answered "This target hasn't been completed". */
	pendingResults: number;
	/** Result calls answered so far. */
	resultCalls: number;
	/** What result.json answers once completed: sent = the estimate's total, clicked a third of it, unless completeCampaign set others. */
	result: { sent: number; clicked: number };
	/** The create body as sent. */
	request: unknown;
}

/** A send or External Trigger call the simulator took (`sim.sends`, GET /__simulator/sends). */
export interface SentMessage {
	/** The request's `seq`. */
	seq: number;
	api: 'send' | 'externalTrigger';
	channel: 'push' | 'email' | 'sms' | 'webpush' | 'externaltrigger';
	accountId: string;
	/** The recipients as sent (ids as text), by the request's own key spelling. */
	to: Record<string, string[]>;
	/** External Trigger only: `campaign_id` as text. */
	campaignId?: string;
	/** The whole request body. */
	body: unknown;
}

/**
 * One id that taken sends and External Trigger calls named, and how many times (`recipients()`).
 * `type` is one spelling for both endpoints; emails are in lower case.
 */
export interface Recipient {
	type: 'identity' | 'email' | 'objectId' | 'FBID' | 'GPID';
	id: string;
	times: number;
}

export interface RecipientFilter {
	api?: 'send' | 'externalTrigger';
	channel?: 'push' | 'email' | 'sms' | 'webpush' | 'externaltrigger';
	/** An External Trigger campaign id (text or number). */
	campaignId?: string | number;
	accountId?: string;
}

/** The addresses Subscribe takes (SUBSCRIPTION_TYPES). WhatsApp goes by the phone number. */
export type SubscriptionType = 'email' | 'phone' | 'whatsapp';

/** An address's state as Subscribe left it: "Unsubscribe" → 'unsubscribed', "Resubscribe" → 'subscribed'. */
export type SubscriptionState = 'unsubscribed' | 'subscribed';

/** One processed Subscribe record (`sim.subscriptionChanges`, GET /__simulator/subscription-changes). */
export interface SubscriptionChange {
	/** The request's `seq`. */
	seq: number;
	accountId: string;
	type: SubscriptionType;
	/** As sent. */
	value: string;
	status: 'Unsubscribe' | 'Resubscribe';
}

/** An address Subscribe set, with its changes counted (`sim.subscriptions()`). */
export interface SubscriptionSummary {
	type: SubscriptionType;
	/** An email in lower case, a number as sent. */
	value: string;
	/** Now. */
	state: SubscriptionState;
	/** Processed records that unsubscribed / resubscribed it (since the last reset). */
	unsubscribes: number;
	resubscribes: number;
	/** Profiles that have the address now: the state applies to each of them. */
	profiles: number;
}

/** A state that reaches a profile through one of its addresses (`sim.profileSubscriptions()`). */
export interface ProfileSubscription {
	type: SubscriptionType;
	value: string;
	state: SubscriptionState;
}

/** A profile given to addProfile (or the `profiles` option, or POST /__simulator/profiles). */
export interface ProfileSpec {
	/** Default: generated, `__sim<hex>`, in creation order. */
	objectId?: string;
	identity?: string | number;
	/** More identities: a profile CleverTap merged. */
	identities?: Array<string | number>;
	email?: string;
	name?: string;
	profileData?: Record<string, unknown>;
	events?: EventSpec[];
	device?: SimDevice;
}

export interface SimEvent {
	name: string;
	/** Epoch seconds. */
	ts: number;
	/** The UTC day of ts, as a number YYYYMMDD. */
	date: number;
	data: Record<string, unknown>;
	/** Only when given. */
	session?: Record<string, string>;
}

/** A stored profile (live object: the simulator changes it as requests come in). */
export interface SimProfile {
	objectId: string;
	identities: string[];
	email: string | undefined;
	name: string | undefined;
	/** Custom and standard properties other than Name, Email and Identity. */
	profileData: Record<string, unknown>;
	events: SimEvent[];
	/** Only when given. */
	device?: SimDevice;
}

/**
 * A profile as Get profile's `record` (and every record of a Get Many by Event page) shows it.
 * `identity` is the first identity; `identities` only when there is more than one; absent fields
 * are left out.
 */
export interface ProfileRecord {
	objectId: string;
	identity?: string;
	identities?: string[];
	email?: string;
	name?: string;
	profileData: Record<string, unknown>;
	platformInfo: Array<{ platform: 'Web'; objectId: string }>;
}

export interface SimulatorOptions {
	/** Always '127.0.0.1'; anything else is refused. */
	host?: string;
	/** Default 0: a random free port. */
	port?: number;
	/** accountId → passcode. Default `{ 'TEST-ACCOUNT': 'test-passcode' }`. */
	accounts?: Record<string, string>;
	/** Service time of an accepted request (and of most faults), in ms. Default 0. */
	latencyMs?: number;
	/** Concurrent requests in service per account for each API but upload. Default 3. */
	concurrencyLimit?: number;
	/** Concurrent upload requests in service per account. Default 15. */
	uploadConcurrencyLimit?: number;
	/** Most identities (or guids) in one demerge or delete request. Default 100. */
	maxIdentities?: number;
	/** Most records in one upload request; more is a 400 "Too many records: …". Default 1000. */
	maxUploadRecords?: number;
	/** A demerge or delete request naming any of these is answered 400 "Invalid identity: <x>" ("Invalid guid: <x>"). */
	rejectIdentities?: string[];
	/** Upload records to answer as unprocessed (default refusal: code 555). */
	rejectRecords?: RejectRecords | null;
	/** How long demerge and delete wait before they change the profiles (CleverTap processes later). Default 0. */
	processingDelayMs?: number;
	/** How Get profile answers an unknown profile. Default 'null'. */
	notFoundStyle?: NotFoundStyle;
	/** How long a Get Many by Event cursor stays valid, in ms. Default Infinity. */
	cursorTtlMs?: number;
	/** Default 'encoded' (as recorded). */
	cursorStyle?: CursorStyle;
	/** Default 'mixed' (all three recorded forms). */
	uploadTextStyle?: UploadTextStyle;
	/** Default 'mixed'. */
	uploadEchoStyle?: UploadEchoStyle;
	/** Default 'number'. */
	uploadNumberStyle?: UploadNumberStyle;
	/** Profiles the store starts with, and gets again on reset(). */
	profiles?: ProfileSpec[];
	/** Called with one line per answered request. Default null (no logging). */
	log?: ((line: string) => void) | null;
	/** Most request records kept; beyond it the oldest half is dropped. Stats stay exact. Default Infinity. */
	maxRecords?: number;
	/** Serve the `/__simulator/*` control endpoints (stats, reset, faults, latency, profiles, …). Default false. */
	control?: boolean;
	/**
	 * Polls a Counts query takes: 0 (default) answers the POST with the result; N > 0 answers it
	 * `{"req_id":…,"status":"partial"}`, polls 1..N-1 `{"status":"partial","req_id":…}` and poll N
	 * the result. Restored by reset().
	 */
	countPolls?: number;
	/** How long a Counts req_id stays valid, in ms. Default Infinity. */
	reqIdTtlMs?: number;
	/** HTTP status of a Counts "Invalid event" answer (its body is the same). Default 400. */
	invalidEventStatus?: 400 | 200;
	/** Real-Time Counts' figures. Default REALTIME_SAMPLE. */
	realtimeCounts?: RealtimeCounts | null;
	/** Message Reports' messages. Default null: one generated message a day. */
	messages?: MessageSpec[] | null;
	/** Ms a Message Reports answer takes per day of its range (on top of latencyMs). Default 0. */
	messageReportMsPerDay?: number;
	/**
	 * Result calls (POST /1/targets/result.json) a new campaign answers
	 * `{"error":"This target hasn't been completed","status":"fail"}` (HTTP 200) before its result.
	 * Default 0: campaigns complete at once. Restored by reset().
	 */
	campaignPendingResults?: number;
	/**
	 * The account's provider nick names. With two or more, email and sms sends and campaigns (and
	 * whatsapp campaigns) need `provider_nick_name`; a name given must be one of them. Default null:
	 * one provider, any name (or none) taken.
	 */
	providers?: string[] | null;
	/** The account's External-Trigger campaign ids; a trigger of another is a 400. Default null: any id. */
	externalTriggerCampaigns?: Array<string | number> | null;
	/** Most recipient ids in one send or External Trigger call, counted across all `to` keys. Default 1000. */
	maxRecipients?: number;
	/** Most records in one Subscribe or Disassociate request; more is a 400 "Too many records: …". Default 1000. */
	maxAddressRecords?: number;
}

export interface FaultSpec {
	kind: FaultKind;
	/** How many matching requests get this fault; `Infinity` = persistent. Default 1. */
	times?: number;
	/** Which API's requests it applies to. Default 'demerge' ('upload' for upload fault kinds, 'profiles' for page fault kinds, which may also be given 'events'). */
	api?: SimApi;
	/** For '429-retry-after': seconds in the `Retry-After` header. Default 1. */
	retryAfterSeconds?: number;
	/** For '429-retry-after': raw `Retry-After` value (e.g. an HTTP date); overrides retryAfterSeconds. */
	retryAfter?: string;
	/** Only requests of this account (X-CleverTap-Account-Id) get it. Default: any account. */
	account?: string;
	/** Let this many matching requests (for page fault kinds: page reads) through before serving it. Default 0. */
	after?: number;
	/** For 'redirect': the server to send the client to (path and query are kept). Default http://127.0.0.1:1. */
	location?: string;
	/** For '200-success-unprocessed': the 1-based numbers of the records to refuse. Default: all. */
	records?: number[];
	/** For '200-success-unprocessed': the refused records' code. Default 523. */
	code?: number;
	/** For '200-success-unprocessed': their error text (before " Skipped record number : k"). */
	error?: string;
	/** For '200-success-unprocessed': the text form of this answer. Default 'nospace' (2017). */
	textStyle?: UploadTextStyle;
	/** For '200-success-unprocessed': the echo form of this answer. Default 'string' (2017). */
	echoStyle?: UploadEchoStyle;
	/** For '200-success-unprocessed': overrides the simulator's uploadNumberStyle for this answer. */
	numberStyle?: UploadNumberStyle;
}

export interface RequestRecord {
	seq: number;
	method: string;
	path: string;
	/** Query parameters (first value of each), decoded. */
	query: Record<string, string>;
	/** As received; Node lower-cases the names. */
	headers: IncomingHttpHeaders;
	/** Raw body ('' when none). */
	body: string;
	/** Parsed body, or undefined when empty / not JSON. */
	json: unknown;
	/**
	 * The identities a demerge (`json.identities`) or a delete (`json.identity` or `json.guid`)
	 * names, when an array (as sent, even if invalid); every id of `json.to` for a send or an
	 * External Trigger call; each record's `value` for a Disassociate; `json.identities` for other
	 * paths.
	 */
	identities: unknown[] | undefined;
	/** The X-CleverTap-Account-Id header as received. */
	accountId: string | undefined;
	/** The API of a known path and method, else undefined (404, 405). */
	api: SimApi | undefined;
	/** Sequence number of the TCP connection that carried the request (keep-alive checks). */
	connection: number;
	/** HTTP status answered, 'reset' / 'hung' for those faults, undefined while in service. */
	status: number | 'reset' | 'hung' | undefined;
	fault: FaultKind | undefined;
	/** The client closed the connection before the answer was written. */
	clientAborted: boolean;
	/** For a '200-partial' fault on demerge or delete: the values it did take (the first half, rounded down). */
	taken?: string[];
	/** For an answered upload, Subscribe or Disassociate: how many records were processed. */
	processed?: number;
	/** For an answered upload, Subscribe or Disassociate: the 1-based numbers of the unprocessed records. */
	unprocessed?: number[];
	/** For a lost-answer fault (take-then-*): the HTTP status of the answer the endpoint gave and the client never got. */
	lostStatus?: number;
	/** Epoch ms (performance.timeOrigin + performance.now()). */
	startedAt: number;
	endedAt: number | undefined;
}

export interface SimulatorStats {
	requests: number;
	demergeRequests: number;
	profileRequests: number;
	deleteRequests: number;
	/** Get Many by Event requests: cursor POSTs and page GETs. */
	profilesRequests: number;
	uploadRequests: number;
	requestsByApi: Record<SimApi, number>;
	/** Keys are HTTP statuses ('200', '429', ...) plus 'reset' and 'hung'. */
	byStatus: Record<string, number>;
	faultsServed: number;
	/** 429s from the concurrency limit (scripted 429 faults are not counted here). */
	concurrencyRejections: number;
	/** Max demerge requests in service at once for one account (max over accounts). */
	peakConcurrency: number;
	/** Same for profile GETs. */
	peakProfileConcurrency: number;
	/** Same for uploads. */
	peakUploadConcurrency: number;
	peakConcurrencyByApi: Record<SimApi, number>;
	/** Requests in service right now. */
	inFlight: number;
	/** Distinct identities demerged. */
	identitiesDemerged: number;
	/** Identity demerges including repeats. */
	demergeCalls: number;
	/** Distinct identities and guids deleted. */
	identitiesDeleted: number;
	/** Deletes including repeats. */
	deleteCalls: number;
	/** Get Many by Event pages answered (a page fault's "not ready" is not a page). */
	pagesServed: number;
	/** Get Events pages answered. */
	eventPagesServed: number;
	/** Counts queries started (POSTs answered with a result or a req_id). */
	countQueries: number;
	/** Counts polls answered (`GET …?req_id=` with a valid id), partial or final. */
	countPolls: number;
	countPollsByApi: Record<CountApi, number>;
	/** Upload records processed / unprocessed. */
	recordsProcessed: number;
	recordsUnprocessed: number;
	/** Campaigns made (create.json without estimate_only). */
	campaignsCreated: number;
	/** create.json answers with estimate_only: true (nothing made). */
	campaignEstimates: number;
	/** Campaigns stop.json stopped (not counting ones already completed or stopped). */
	campaignsStopped: number;
	/** result.json calls answered (not completed, or the result). */
	campaignResultCalls: number;
	/** Send and External Trigger calls taken. */
	sendsAccepted: number;
	/** Recipient ids those calls named, repeats included. */
	messagesQueued: number;
	/** Subscribe records processed (each set its address's state) / refused. */
	subscribeRecords: number;
	subscribeRecordsRefused: number;
	/** Phone numbers Disassociate took off a profile (repeats counted) / records refused. */
	disassociated: number;
	disassociateRecordsRefused: number;
	/** Demerge and delete effects still waiting for the processing delay. */
	pendingEffects: number;
	firstRequestAt: number | undefined;
	lastResponseAt: number | undefined;
}

export declare class Simulator {
	readonly server: Server;
	/** `http://127.0.0.1:<port>` */
	readonly url: string;
	readonly port: number;
	/** Every request, in arrival order. */
	requests: RequestRecord[];
	/** identity → times demerged (counted when accepted). */
	demerged: Map<string, number>;
	/** identity or guid → times deleted (counted when accepted). */
	deleted: Map<string, number>;
	/** Every processed upload record, in order. */
	uploaded: unknown[];
	/** Every taken send and External Trigger call, in order (cleared by reset()). */
	sends: SentMessage[];
	/** Every processed Subscribe record, in order (cleared by reset()). */
	subscriptionChanges: SubscriptionChange[];
	/** Phone number → times Disassociate took it off a profile (cleared by reset()). */
	disassociated: Map<string, number>;
	/** The campaigns made through the API, in the order made (copies). */
	readonly campaigns: SimCampaign[];
	/** The account's External-Trigger campaign ids as text, or null (any id). */
	readonly externalTriggerCampaigns: string[] | null;
	campaignPendingResults: number;
	providers: string[] | null;
	maxRecipients: number;
	maxAddressRecords: number;
	/** objectId → profile, with every due effect applied. */
	readonly profiles: Map<string, SimProfile>;
	accounts: Record<string, string>;
	concurrencyLimit: number;
	uploadConcurrencyLimit: number;
	maxIdentities: number;
	maxUploadRecords: number;
	cursorTtlMs: number;
	latencyMs: number;
	processingDelayMs: number;
	notFoundStyle: NotFoundStyle;
	cursorStyle: CursorStyle;
	uploadTextStyle: UploadTextStyle;
	uploadEchoStyle: UploadEchoStyle;
	uploadNumberStyle: UploadNumberStyle;
	countPolls: number;
	reqIdTtlMs: number;
	invalidEventStatus: 400 | 200;
	messageReportMsPerDay: number;
	log: ((line: string) => void) | null;
	/** Faults not yet served (copies). */
	readonly faults: FaultSpec[];
	/** Script a fault for the next matching request(s); faults are served in the order added. */
	addFault(spec: FaultSpec): this;
	clearFaults(): void;
	setLatency(ms: number): void;
	setRejectIdentities(identities: string[]): void;
	/** Upload records to answer as unprocessed; null or [] for none. */
	setRejectRecords(spec: RejectRecords | null, refusal?: RecordRefusal): void;
	setProcessingDelay(ms: number): void;
	setNotFoundStyle(style: NotFoundStyle): void;
	setCursorStyle(style: CursorStyle): void;
	setUploadAnswerStyle(style: {
		text?: UploadTextStyle;
		echo?: UploadEchoStyle;
		number?: UploadNumberStyle;
	}): void;
	/** Polls a Counts query takes from now on (see SimulatorOptions.countPolls). */
	setCountPolls(polls: number): void;
	setInvalidEventStatus(status: 400 | 200): void;
	/** Real-Time Counts' figures; null for CleverTap's sample. */
	setRealtimeCounts(counts: RealtimeCounts | null): void;
	/** Message Reports' messages; null for the generated ones (one a day). */
	setMessages(messages: MessageSpec[] | null): void;
	setMessageReportMsPerDay(ms: number): void;
	/** Result calls a campaign made from now on answers "not completed" before its result (0: at once). */
	setCampaignPendingResults(calls: number): void;
	/** The account's provider nick names (see SimulatorOptions.providers); null: one, any name. */
	setProviders(providers: string[] | null): void;
	/** The account's External-Trigger campaign ids; null: any id. */
	setExternalTriggerCampaigns(ids: Array<string | number> | null): void;
	/** Complete a campaign now (its next result call answers the result); throws for an unknown id. */
	completeCampaign(id: number, result?: { sent?: number; clicked?: number }): void;
	/**
	 * Every id taken sends and External Trigger calls named, with how many times each was sent to
	 * (an id twice in one request counts twice), in the order first sent to.
	 */
	recipients(filter?: RecipientFilter): Recipient[];
	/**
	 * An address's state as Subscribe left it, or undefined when no Subscribe record set it. An
	 * email is matched in any case. The state belongs to the address: every profile that has it
	 * (see profileSubscriptions) shares it, profiles made later too.
	 * @example
	 *   await post(sim, '/1/subscribe', { d: [{ type: 'email', value: 'a@x.com', status: 'Unsubscribe' }] });
	 *   expect(sim.subscription('email', 'A@x.com')).toBe('unsubscribed');
	 */
	subscription(type: SubscriptionType, value: string): SubscriptionState | undefined;
	/**
	 * Every address Subscribe set, in the order first set, with its state, its changes counted and
	 * how many profiles have it now.
	 * @example
	 *   expect(sim.subscriptions({ type: 'phone' })).toEqual([{ type: 'phone', value: '+14155551234',
	 *     state: 'unsubscribed', unsubscribes: 1, resubscribes: 0, profiles: 2 }]);
	 */
	subscriptions(filter?: { type?: SubscriptionType }): SubscriptionSummary[];
	/**
	 * The states that reach one profile through its addresses (its email, a Phone property,
	 * identities that are emails or numbers; WhatsApp by its numbers); undefined when no profile is
	 * found.
	 */
	profileSubscriptions(key: {
		identity?: string | number;
		email?: string;
		objectId?: string;
	}): ProfileSubscription[] | undefined;
	/**
	 * How many events of this name the store holds on the profile an identity (or `{ identity |
	 * email | objectId }`) resolves to, or on every profile when no key is given; 0 when no profile
	 * is found. An event uploaded again after a lost answer (take-then-*) counts twice.
	 * @example
	 *   sim.addFault({ kind: 'take-then-reset', api: 'upload' });
	 *   // … the client uploads { type: 'event', identity: 'u1', evtName: 'Charged' } and retries …
	 *   expect(sim.eventCount('Charged', 'u1')).toBe(2);
	 */
	eventCount(
		name: string,
		key?: string | number | { identity?: string | number; email?: string; objectId?: string },
	): number;
	/** Add a profile; throws if one of its identities, its email or its objectId has a profile already. */
	addProfile(spec: ProfileSpec): SimProfile;
	/** Many events of one name at once (see SeedEventsSpec). */
	seedEvents(spec: SeedEventsSpec): SeedEventsResult;
	/** The profile an identity, an email (any case) or an objectId resolves to now. */
	findProfile(key: {
		identity?: string | number;
		email?: string;
		objectId?: string;
	}): SimProfile | undefined;
	/** How many demerge/delete effects still wait for the processing delay. */
	pending(): number;
	/** Apply every waiting effect now; returns how many. */
	flushPending(): number;
	/** Make every cursor handed out so far expired. */
	expireCursors(): void;
	/** Make every Counts req_id handed out so far expired. */
	expireCountQueries(): void;
	/**
	 * Clears records, stats, demerged/deleted/uploaded/disassociated, sends, subscription changes and
	 * faults, and restores the settings to the start options (countPolls, invalidEventStatus,
	 * real-time counts, messages, messageReportMsPerDay, campaignPendingResults, providers,
	 * External-Trigger campaigns included).
	 * Clears the profiles, the addresses' subscription states, cursors, Counts req_ids, campaigns and
	 * waiting effects and adds the start option `profiles` again, unless `keepProfiles`. Accounts are
	 * kept.
	 */
	reset(options?: { keepProfiles?: boolean }): void;
	stats(): SimulatorStats;
	/** One-line human summary of stats(). */
	summary(): string;
	/** Stops listening and destroys every socket (idle, in service, hung). Idempotent. */
	close(): Promise<void>;
}

export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

/** Fault kinds every API can be given. */
export declare const FAULT_KINDS: readonly TransportFaultKind[];
/** Fault kinds for api 'upload' only. */
export declare const UPLOAD_FAULT_KINDS: readonly UploadFaultKind[];
/** Fault kinds for api 'profiles' only, served on page reads. */
export declare const PAGE_FAULT_KINDS: readonly PageFaultKind[];
/** Lost answers, for every API: the request is processed, then its answer is lost. */
export declare const TAKE_FAULT_KINDS: readonly TakeFaultKind[];
export declare const ALL_FAULT_KINDS: readonly FaultKind[];
export declare const APIS: readonly SimApi[];
export declare const NOT_FOUND_STYLES: readonly NotFoundStyle[];
export declare const CURSOR_STYLES: readonly CursorStyle[];
export declare const UPLOAD_TEXT_STYLES: readonly UploadTextStyle[];
export declare const UPLOAD_ECHO_STYLES: readonly UploadEchoStyle[];
export declare const UPLOAD_NUMBER_STYLES: readonly UploadNumberStyle[];
/** Event names an upload may not raise (CleverTap's own system events): refused with code 513. */
export declare const RESTRICTED_EVENTS: ReadonlySet<string>;
export declare const DEMERGE_PATH: '/1/demerge/profiles.json';
export declare const DELETE_PATH: '/1/delete/profiles.json';
export declare const PROFILE_PATH: '/1/profile.json';
export declare const PROFILES_PATH: '/1/profiles.json';
export declare const UPLOAD_PATH: '/1/upload';
export declare const EVENTS_PATH: '/1/events.json';
export declare const COUNT_PATHS: {
	eventCount: '/1/counts/events.json';
	profileCount: '/1/counts/profiles.json';
	trends: '/1/counts/trends.json';
	top: '/1/counts/top.json';
};
export declare const NOW_PATH: '/1/now.json';
export declare const MESSAGE_REPORT_PATH: '/1/message/report.json';
/** There is no estimate.json: an estimate is create.json with `estimate_only: true`. */
export declare const CAMPAIGN_PATHS: {
	create: '/1/targets/create.json';
	list: '/1/targets/list.json';
	result: '/1/targets/result.json';
	stop: '/1/targets/stop.json';
};
export declare const SEND_PATHS: {
	push: '/1/send/push.json';
	email: '/1/send/email.json';
	sms: '/1/send/sms.json';
	webpush: '/1/send/webpush.json';
};
export declare const EXTERNAL_TRIGGER_PATH: '/1/send/externaltrigger.json';
export declare const SUBSCRIBE_PATH: '/1/subscribe';
export declare const DISASSOCIATE_PATH: '/1/disassociate';
/** Subscribe's record types: email, phone, whatsapp. */
export declare const SUBSCRIPTION_TYPES: readonly SubscriptionType[];
export declare const TARGET_MODES: readonly TargetMode[];
/** Send to users' `to` keys, capitalised: Identity, Email, objectId, FBID, GPID. */
export declare const SEND_RECIPIENT_TYPES: readonly string[];
/** External Trigger's `to` keys, lowercase: identity, email, objectId. */
export declare const TRIGGER_RECIPIENT_TYPES: readonly string[];
export declare const COUNT_APIS: readonly CountApi[];
/** Event names every account knows (Counts never answer "Invalid event" for them). */
export declare const SYSTEM_EVENTS: ReadonlySet<string>;
/** CleverTap's `sample_now_response_full.json` without its status: Real-Time Counts' default. */
export declare const REALTIME_SAMPLE: Readonly<Required<RealtimeCounts>>;
/** Session properties of an event given none: those of a captured 2022 page ([FIX]). */
export declare const DEFAULT_SESSION: Readonly<Record<string, string>>;
/** Device fields of a profile given none: platform 'Web', and app fields of a captured 2022 page ([FIX]). */
export declare const DEFAULT_DEVICE: Readonly<Required<SimDevice>>;
/** Largest request body (except uploads): 1 MB; beyond it a 413. */
export declare const MAX_BODY_BYTES: number;
/** Largest upload body: 10 MB. */
export declare const UPLOAD_MAX_BODY_BYTES: number;
