'use strict';

/** Helpers the simulator's test files share: requests to a simulator and waiting on conditions. */

const http = require('node:http');
const { startSimulator } = require('./index.js');

const DEMERGE = '/1/demerge/profiles.json';
const DELETE = '/1/delete/profiles.json';
const PROFILE = '/1/profile.json';
const PROFILES = '/1/profiles.json';
const UPLOAD = '/1/upload';
const EVENTS = '/1/events.json';
const COUNTS = {
	eventCount: '/1/counts/events.json',
	profileCount: '/1/counts/profiles.json',
	trends: '/1/counts/trends.json',
	top: '/1/counts/top.json',
};
const NOW = '/1/now.json';
const MESSAGE_REPORT = '/1/message/report.json';
const TARGETS = {
	create: '/1/targets/create.json',
	list: '/1/targets/list.json',
	result: '/1/targets/result.json',
	stop: '/1/targets/stop.json',
};
const SEND = {
	push: '/1/send/push.json',
	email: '/1/send/email.json',
	sms: '/1/send/sms.json',
	webpush: '/1/send/webpush.json',
};
const EXTERNAL_TRIGGER = '/1/send/externaltrigger.json';
const SUBSCRIBE = '/1/subscribe';
const DISASSOCIATE = '/1/disassociate';

const AUTH_ONLY = {
	'X-CleverTap-Account-Id': 'TEST-ACCOUNT',
	'X-CleverTap-Passcode': 'test-passcode',
};
const GOOD = { ...AUTH_ONLY, 'Content-Type': 'application/json; charset=utf-8' };

/** Auth headers (with a JSON content type) for another account. @param {string} account @param {string} passcode */
const headersFor = (account, passcode) => ({
	...GOOD,
	'X-CleverTap-Account-Id': account,
	'X-CleverTap-Passcode': passcode,
});

/** CleverTap's error envelope. @param {number} code @param {string} error */
const fail = (code, error) => ({ status: 'fail', error, code });

/** @param {string} text */
function parse(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * POST a JSON body (an object, or a raw string) with fetch.
 * @param {{ url: string }} s
 * @param {string} path
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
async function post(s, path, body, headers = GOOD) {
	const res = await fetch(s.url + path, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, json: parse(text) };
}

/**
 * GET with fetch (no body, no Content-Type).
 * @param {{ url: string }} s
 * @param {string} pathAndQuery
 * @param {Record<string, string>} [headers]
 */
async function get(s, pathAndQuery, headers = AUTH_ONLY) {
	const res = await fetch(s.url + pathAndQuery, { headers });
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, json: parse(text) };
}

/** @param {{ url: string }} s @param {unknown} body @param {Record<string, string>} [headers] */
const demerge = (s, body, headers) => post(s, DEMERGE, body, headers);
/** @param {{ url: string }} s @param {unknown} body @param {Record<string, string>} [headers] */
const del = (s, body, headers) => post(s, DELETE, body, headers);
/** @param {{ url: string }} s @param {unknown} body @param {Record<string, string>} [headers] */
const upload = (s, body, headers) => post(s, UPLOAD, body, headers);
/** @param {{ url: string }} s @param {unknown} body @param {Record<string, string>} [headers] */
const subscribe = (s, body, headers) => post(s, SUBSCRIBE, body, headers);
/** @param {{ url: string }} s @param {unknown} body @param {Record<string, string>} [headers] */
const disassociate = (s, body, headers) => post(s, DISASSOCIATE, body, headers);
/** GET /1/profile.json with one query key. @param {{ url: string }} s @param {Record<string, string>} params @param {Record<string, string>} [headers] */
const getProfile = (s, params, headers) =>
	get(s, `${PROFILE}?${new URLSearchParams(params)}`, headers);

/**
 * A plain node:http request that resolves with the outcome, including socket errors.
 * @param {{ port: number }} s
 * @param {{ method?: string, path?: string, body?: string | Buffer, headers?: Record<string, string | number>, timeout?: number, agent?: http.Agent }} opts
 * @returns {Promise<{ status?: number, headers?: http.IncomingHttpHeaders, text?: string, error?: NodeJS.ErrnoException, reusedSocket?: boolean }>}
 */
function raw(s, opts) {
	return new Promise((resolve) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port: s.port,
				method: opts.method ?? 'POST',
				path: opts.path ?? DEMERGE,
				headers: opts.headers ?? GOOD,
				agent: opts.agent ?? false,
				timeout: opts.timeout,
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode,
						headers: res.headers,
						text: Buffer.concat(chunks).toString('utf8'),
						reusedSocket: req.reusedSocket,
					}),
				);
				res.on('error', (error) => resolve({ error }));
			},
		);
		req.on('timeout', () =>
			req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
		);
		req.on('error', (error) => resolve({ error }));
		req.end(opts.body);
	});
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Poll a condition until it holds; throw (saying what was awaited) after the deadline.
 * @param {() => boolean | Promise<boolean>} predicate
 * @param {number} [ms]
 * @param {string} [what]
 */
async function waitFor(predicate, ms = 5000, what = 'condition') {
	const end = Date.now() + ms;
	while (!(await predicate())) {
		if (Date.now() > end) throw new Error(`waitFor timed out: ${what}`);
		await sleep(5);
	}
}

/**
 * Start `n` requests with the simulator slowed down, wait until all `n` are in service, and return
 * their pending answers (so a further request meets full slots, whatever the machine's load).
 * @param {{ stats(): { inFlight: number }, setLatency(ms: number): void }} s
 * @param {number} n
 * @param {(i: number) => Promise<any>} send
 */
async function fillSlots(s, n, send) {
	const pending = Array.from({ length: n }, (_, i) => send(i));
	await waitFor(() => s.stats().inFlight === n, 10_000, `${n} requests in service`);
	return pending;
}

/**
 * One simulator for a test file: started before its tests, reset before each, closed after all.
 * Returns a stand-in that forwards to it (the simulator exists only once beforeAll has run).
 * @param {import('./index').SimulatorOptions} [options]
 * @returns {import('./index').Simulator}
 */
function useSimulator(options) {
	/** @type {any} */
	let sim;
	beforeAll(async () => {
		sim = await startSimulator(options);
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.reset());
	return /** @type {any} */ (
		new Proxy(
			{},
			{
				get: (_t, prop) => {
					const value = sim[prop];
					return typeof value === 'function' ? value.bind(sim) : value;
				},
				set: (_t, prop, value) => {
					sim[prop] = value;
					return true;
				},
			},
		)
	);
}

/**
 * Call a simulator's /__simulator/* control endpoint.
 * @param {{ url: string }} s
 * @param {string} method
 * @param {string} name
 * @param {unknown} [body]
 */
async function control(s, method, name, body) {
	const res = await fetch(`${s.url}/__simulator/${name}`, {
		method,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, json: await res.json() };
}

module.exports = {
	useSimulator,
	control,
	DEMERGE,
	DELETE,
	PROFILE,
	PROFILES,
	UPLOAD,
	EVENTS,
	COUNTS,
	NOW,
	MESSAGE_REPORT,
	TARGETS,
	SEND,
	EXTERNAL_TRIGGER,
	SUBSCRIBE,
	DISASSOCIATE,
	AUTH_ONLY,
	GOOD,
	headersFor,
	fail,
	post,
	get,
	demerge,
	del,
	upload,
	subscribe,
	disassociate,
	getProfile,
	raw,
	sleep,
	waitFor,
	fillSlots,
};
