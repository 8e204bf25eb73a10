// Types for the CleverTap simulator (test/simulator/index.js, plain CommonJS).
import type { IncomingHttpHeaders, Server } from 'node:http';

export type FaultKind =
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

export type SimApi = 'demerge' | 'profile';

export interface SimulatorOptions {
	/** Always '127.0.0.1'; anything else is refused. */
	host?: string;
	/** Default 0: a random free port. */
	port?: number;
	/** accountId → passcode. Default `{ 'TEST-ACCOUNT': 'test-passcode' }`. */
	accounts?: Record<string, string>;
	/** Service time of an accepted request (and of most faults), in ms. Default 0. */
	latencyMs?: number;
	/** Concurrent requests in service per account and per API (demerge, profile). Default 3. */
	concurrencyLimit?: number;
	/** Most identities in one demerge request. Default 100. */
	maxIdentities?: number;
	/** A demerge batch containing any of these is answered 400 "Invalid identity: <x>". */
	rejectIdentities?: string[];
	/** Called with one line per answered request. Default null (no logging). */
	log?: ((line: string) => void) | null;
	/** Most request records kept; beyond it the oldest half is dropped. Stats stay exact. Default Infinity. */
	maxRecords?: number;
	/** Serve the `/__simulator/*` control endpoints (stats, reset, faults, latency). Default false. */
	control?: boolean;
}

export interface FaultSpec {
	kind: FaultKind;
	/** How many matching requests get this fault; `Infinity` = persistent. Default 1. */
	times?: number;
	/** Which API's requests it applies to. Default 'demerge'. */
	api?: SimApi;
	/** For '429-retry-after': seconds in the `Retry-After` header. Default 1. */
	retryAfterSeconds?: number;
	/** For '429-retry-after': raw `Retry-After` value (e.g. an HTTP date); overrides retryAfterSeconds. */
	retryAfter?: string;
	/** Only requests of this account (X-CleverTap-Account-Id) get it. Default: any account. */
	account?: string;
	/** Let this many matching requests through before serving it. Default 0. */
	after?: number;
	/** For 'redirect': the server to send the client to (the path is kept). Default http://127.0.0.1:1. */
	location?: string;
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
	/** `json.identities` when it is an array (as sent, even if invalid). */
	identities: unknown[] | undefined;
	/** The X-CleverTap-Account-Id header as received. */
	accountId: string | undefined;
	/** 'demerge' for POST /1/demerge/profiles.json, 'profile' for GET /1/profile.json, else undefined. */
	api: SimApi | undefined;
	/** Sequence number of the TCP connection that carried the request (keep-alive checks). */
	connection: number;
	/** HTTP status answered, 'reset' / 'hung' for those faults, undefined while in service. */
	status: number | 'reset' | 'hung' | undefined;
	fault: FaultKind | undefined;
	/** The client closed the connection before the answer was written. */
	clientAborted: boolean;
	/** For a '200-partial' fault: the identities it did demerge (the first half, rounded down). */
	taken?: string[];
	/** Epoch ms (performance.timeOrigin + performance.now()). */
	startedAt: number;
	endedAt: number | undefined;
}

export interface SimulatorStats {
	requests: number;
	demergeRequests: number;
	profileRequests: number;
	/** Keys are HTTP statuses ('200', '429', ...) plus 'reset' and 'hung'. */
	byStatus: Record<string, number>;
	faultsServed: number;
	/** 429s from the concurrency limit (scripted 429 faults are not counted here). */
	concurrencyRejections: number;
	/** Max demerge requests in service at once for one account (max over accounts). */
	peakConcurrency: number;
	/** Same for profile GETs. */
	peakProfileConcurrency: number;
	/** Requests in service right now. */
	inFlight: number;
	/** Distinct identities demerged. */
	identitiesDemerged: number;
	/** Identity demerges including repeats. */
	demergeCalls: number;
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
	/** identity → times demerged. */
	demerged: Map<string, number>;
	accounts: Record<string, string>;
	concurrencyLimit: number;
	maxIdentities: number;
	latencyMs: number;
	log: ((line: string) => void) | null;
	/** Faults not yet served (copies). */
	readonly faults: FaultSpec[];
	/** Script a fault for the next matching request(s); faults are served in the order added. */
	addFault(spec: FaultSpec): this;
	clearFaults(): void;
	setLatency(ms: number): void;
	setRejectIdentities(identities: string[]): void;
	/**
	 * Clears records, stats, demerged identities and faults, and restores latency and
	 * rejectIdentities to the start options. Accounts are kept.
	 */
	reset(): void;
	stats(): SimulatorStats;
	/** One-line human summary of stats(). */
	summary(): string;
	/** Stops listening and destroys every socket (idle, in service, hung). Idempotent. */
	close(): Promise<void>;
}

export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

export declare const FAULT_KINDS: readonly FaultKind[];
export declare const DEMERGE_PATH: '/1/demerge/profiles.json';
export declare const PROFILE_PATH: '/1/profile.json';
export declare const MAX_BODY_BYTES: number;
