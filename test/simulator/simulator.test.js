'use strict';

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const { startSimulator, FAULT_KINDS, MAX_BODY_BYTES } = require('./index.js');
const {
	DEMERGE,
	PROFILE,
	GOOD,
	AUTH_ONLY,
	fail,
	get,
	post,
	control,
	demerge,
	raw,
	sleep,
	waitFor,
} = require('./testkit');

/** @type {import('./index').Simulator} */
let sim;

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => sim.reset());

/** @param {import('./index').Simulator} s @param {string} query @param {Record<string, string>} [headers] */
const profile = (s, query, headers) => get(s, `${PROFILE}${query}`, headers);

describe('startSimulator', () => {
	test('listens on 127.0.0.1 with a random port and exposes url/port', () => {
		expect(sim.port).toBeGreaterThan(0);
		expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
		expect(sim.server.address()).toMatchObject({ address: '127.0.0.1', port: sim.port });
	});

	test('refuses any host other than 127.0.0.1', async () => {
		await expect(startSimulator({ host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1/);
		await expect(startSimulator({ host: 'localhost' })).rejects.toThrow(/127\.0\.0\.1/);
	});

	test('explicit host 127.0.0.1 and explicit port work; a taken port rejects', async () => {
		const a = await startSimulator({ host: '127.0.0.1' });
		try {
			await expect(startSimulator({ port: a.port })).rejects.toThrow(/EADDRINUSE/);
			await a.close();
			const b = await startSimulator({ port: a.port });
			expect(b.port).toBe(a.port);
			await b.close();
		} finally {
			await a.close();
		}
	});

	test('keep-alive timeout outlasts common clients (no reuse race)', () => {
		expect(sim.server.keepAliveTimeout).toBeGreaterThanOrEqual(5000);
		expect(sim.server.headersTimeout).toBeGreaterThan(sim.server.keepAliveTimeout);
	});
});

describe('POST /1/demerge/profiles.json', () => {
	test('answers 200 success and records the demerge', async () => {
		const r = await demerge(sim, { identities: ['client-1', 'jane@example.com'] });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ status: 'success' });
		expect(r.headers.get('content-type')).toMatch(/application\/json/);
		expect([...sim.demerged]).toEqual([
			['client-1', 1],
			['jane@example.com', 1],
		]);
	});

	test('records every request with headers lower-cased, raw body, parsed json and timing', async () => {
		const body = '{"identities":["a@b.c"]}';
		await demerge(sim, body, { ...GOOD, 'X-Custom': 'Yes' });
		expect(sim.requests).toHaveLength(1);
		const rec = sim.requests[0];
		expect(rec).toMatchObject({
			seq: 1,
			method: 'POST',
			path: DEMERGE,
			query: {},
			body,
			json: { identities: ['a@b.c'] },
			identities: ['a@b.c'],
			accountId: 'TEST-ACCOUNT',
			api: 'demerge',
			status: 200,
			fault: undefined,
			clientAborted: false,
		});
		expect(rec.headers['x-clevertap-account-id']).toBe('TEST-ACCOUNT');
		expect(rec.headers['x-clevertap-passcode']).toBe('test-passcode');
		expect(rec.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(rec.headers['x-custom']).toBe('Yes');
		expect(Object.keys(rec.headers).every((k) => k === k.toLowerCase())).toBe(true);
		expect(typeof rec.connection).toBe('number');
		expect(rec.endedAt).toBeGreaterThanOrEqual(rec.startedAt);
	});

	test('query string is recorded (so tests can assert secrets never appear in it)', async () => {
		await fetch(`${sim.url}${DEMERGE}?passcode=leak&x=a%20b`, {
			method: 'POST',
			headers: GOOD,
			body: '{"identities":["q"]}',
		});
		expect(sim.requests[0].query).toEqual({ passcode: 'leak', x: 'a b' });
		expect(sim.requests[0].path).toBe(DEMERGE);
	});

	test('double demerges are counted per identity', async () => {
		await demerge(sim, { identities: ['a', 'b'] });
		await demerge(sim, { identities: ['a'] });
		await demerge(sim, { identities: ['a', 'a'] });
		expect(sim.demerged.get('a')).toBe(4);
		expect(sim.demerged.get('b')).toBe(1);
		expect(sim.stats()).toMatchObject({ identitiesDemerged: 2, demergeCalls: 5 });
	});

	test('accepts 100 identities (the default maximum) and unicode', async () => {
		const ids = Array.from({ length: 100 }, (_, i) => `id-${i}-ü✓`);
		const r = await demerge(sim, { identities: ids });
		expect(r.status).toBe(200);
		expect(sim.demerged.size).toBe(100);
		expect(sim.requests[0].identities).toEqual(ids);
	});

	describe('authentication', () => {
		test.each([
			['no headers', { 'Content-Type': 'application/json' }],
			['no passcode', { 'X-CleverTap-Account-Id': 'TEST-ACCOUNT' }],
			['unknown account', { ...GOOD, 'X-CleverTap-Account-Id': 'NOPE' }],
		])('%s → 401 "Account ID is not valid" or passcode error', async (_name, headers) => {
			const r = await demerge(sim, { identities: ['a'] }, headers);
			expect(r.status).toBe(401);
			expect(r.json).toMatchObject({ status: 'fail', code: 401 });
			expect(typeof r.json.error).toBe('string');
			expect(sim.demerged.size).toBe(0);
		});

		test('missing or unknown account gets the live API text', async () => {
			const r = await demerge(sim, { identities: ['a'] }, { 'Content-Type': 'application/json' });
			expect(r.json).toEqual(fail(401, 'Account ID is not valid'));
		});

		test('wrong passcode → 401 envelope', async () => {
			const r = await demerge(
				sim,
				{ identities: ['a'] },
				{ ...GOOD, 'X-CleverTap-Passcode': 'wrong' },
			);
			expect(r.status).toBe(401);
			expect(r.json).toMatchObject({ status: 'fail', code: 401 });
		});

		test('credentials in the query string do not authenticate', async () => {
			const res = await fetch(
				`${sim.url}${DEMERGE}?X-CleverTap-Account-Id=TEST-ACCOUNT&X-CleverTap-Passcode=test-passcode`,
				{
					method: 'POST',
					body: '{"identities":["a"]}',
					headers: { 'Content-Type': 'application/json' },
				},
			);
			expect(res.status).toBe(401);
			await res.text();
		});

		test('custom accounts option', async () => {
			const s = await startSimulator({ accounts: { 'ACC-1': 'p1', 'ACC-2': 'p2' } });
			try {
				const h = (a, p) => ({ ...GOOD, 'X-CleverTap-Account-Id': a, 'X-CleverTap-Passcode': p });
				expect((await demerge(s, { identities: ['x'] }, h('ACC-1', 'p1'))).status).toBe(200);
				expect((await demerge(s, { identities: ['x'] }, h('ACC-2', 'p2'))).status).toBe(200);
				expect((await demerge(s, { identities: ['x'] }, h('ACC-1', 'p2'))).status).toBe(401);
				expect((await demerge(s, { identities: ['x'] }, GOOD)).status).toBe(401);
			} finally {
				await s.close();
			}
		});
	});

	describe('validation → 400 envelope, nothing demerged', () => {
		test.each([
			['malformed JSON', '{"identities": ["a",'],
			['empty body', ''],
			['JSON null', 'null'],
			['a bare array', '["a"]'],
			['a string', '"a"'],
			['identities missing', { identity: 'a', objectId: 'b' }],
			['identities a string', { identities: 'a' }],
			['identities empty', { identities: [] }],
			['101 identities', { identities: Array.from({ length: 101 }, (_, i) => `i${i}`) }],
			['a number identity', { identities: ['a', 5] }],
			['a null identity', { identities: [null] }],
			['an empty identity', { identities: ['a', ''] }],
			['a blank identity', { identities: ['  '] }],
			['an object identity', { identities: [{ identity: 'a' }] }],
		])('%s', async (_name, body) => {
			const r = await demerge(sim, body);
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ status: 'fail', code: 400 });
			expect(typeof r.json.error).toBe('string');
			expect(sim.demerged.size).toBe(0);
			expect(sim.requests[0].status).toBe(400);
		});

		test('maxIdentities option', async () => {
			const s = await startSimulator({ maxIdentities: 2 });
			try {
				expect((await demerge(s, { identities: ['a', 'b'] })).status).toBe(200);
				expect((await demerge(s, { identities: ['a', 'b', 'c'] })).status).toBe(400);
			} finally {
				await s.close();
			}
		});

		test('rejectIdentities option and setRejectIdentities()', async () => {
			const s = await startSimulator({ rejectIdentities: ['bad-1'] });
			try {
				const r = await demerge(s, { identities: ['ok', 'bad-1'] });
				expect(r.status).toBe(400);
				expect(r.json).toEqual(fail(400, 'Invalid identity: bad-1'));
				expect(s.demerged.size).toBe(0);
				expect((await demerge(s, { identities: ['ok'] })).status).toBe(200);

				s.setRejectIdentities(['ok']);
				expect((await demerge(s, { identities: ['bad-1'] })).status).toBe(200);
				expect((await demerge(s, { identities: ['x', 'ok'] })).json).toEqual(
					fail(400, 'Invalid identity: ok'),
				);
				expect([...s.demerged.keys()].sort()).toEqual(['bad-1', 'ok']);
			} finally {
				await s.close();
			}
		});

		test('a body over 1 MB → 413 envelope, server stays up', async () => {
			const big = JSON.stringify({ identities: ['x'.repeat(MAX_BODY_BYTES + 10)] });
			const r = await raw(sim, { body: big });
			if (r.error) {
				// The server answers 413 and closes while the client is still writing: some clients then
				// see EPIPE/ECONNRESET instead of the answer. Either way the server must survive.
				expect(['EPIPE', 'ECONNRESET']).toContain(r.error.code);
			} else {
				expect(r.status).toBe(413);
				expect(JSON.parse(r.text)).toMatchObject({ status: 'fail', code: 413 });
			}
			expect(sim.requests[0].status).toBe(413);
			expect((await demerge(sim, { identities: ['after'] })).status).toBe(200);
		});

		test('malformed HTTP → 400, server stays up', async () => {
			const socket = net.connect(sim.port, '127.0.0.1');
			socket.end('THIS IS NOT HTTP\r\n\r\n');
			const chunks = [];
			socket.on('data', (c) => chunks.push(c));
			await once(socket, 'close');
			expect(Buffer.concat(chunks).toString()).toMatch(/^HTTP\/1\.1 400/);
			expect((await demerge(sim, { identities: ['after'] })).status).toBe(200);
		});
	});

	describe('concurrency limit (per account, per API)', () => {
		// Deterministic under load: fill the slots, wait until the server has them all in service,
		// then send the extra requests (a plain Promise.all of 5 is racy on a busy 2-core machine).
		test('over 3 in service → immediate 429 envelope; peakConcurrency 3', async () => {
			sim.setLatency(500);
			const accepted = [1, 2, 3].map((i) => demerge(sim, { identities: [`c${i}`] }));
			await waitFor(() => sim.stats().inFlight === 3);
			const rejected = await Promise.all(
				[4, 5].map((i) => demerge(sim, { identities: [`c${i}`] })),
			);
			for (const r of rejected) {
				expect(r.status).toBe(429);
				expect(r.json).toEqual(fail(429, 'Too many concurrent requests'));
			}
			expect(sim.stats().inFlight).toBe(3); // answered while the others were still in service
			expect((await Promise.all(accepted)).map((r) => r.status)).toEqual([200, 200, 200]);
			expect([...sim.demerged.keys()].sort()).toEqual(['c1', 'c2', 'c3']);
			const recs = sim.requests.filter((r) => r.status === 429);
			expect(recs.map((r) => r.identities)).toEqual([['c4'], ['c5']]);
			expect(sim.stats()).toMatchObject({
				peakConcurrency: 3,
				concurrencyRejections: 2,
				inFlight: 0,
			});
		});

		test('slots are freed when answers go out', async () => {
			sim.setLatency(30);
			for (let round = 0; round < 3; round++) {
				const results = await Promise.all(
					[1, 2, 3].map((i) => demerge(sim, { identities: [`r${round}-${i}`] })),
				);
				expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
			}
			expect(sim.stats().peakConcurrency).toBe(3);
		});

		test('sequential requests never exceed concurrency 1', async () => {
			for (let i = 0; i < 5; i++) await demerge(sim, { identities: [`s${i}`] });
			expect(sim.stats().peakConcurrency).toBe(1);
		});

		test('each account and each API has its own limit', async () => {
			const s = await startSimulator({ accounts: { A: 'pa', B: 'pb' }, latencyMs: 120 });
			try {
				const h = (a, p) => ({ ...GOOD, 'X-CleverTap-Account-Id': a, 'X-CleverTap-Passcode': p });
				const ha = h('A', 'pa');
				const hb = h('B', 'pb');
				const results = await Promise.all([
					...[1, 2, 3].map((i) => demerge(s, { identities: [`a${i}`] }, ha)),
					...[1, 2, 3].map((i) => demerge(s, { identities: [`b${i}`] }, hb)),
					...[1, 2, 3].map((i) =>
						profile(s, `?identity=p${i}`, {
							'X-CleverTap-Account-Id': 'A',
							'X-CleverTap-Passcode': 'pa',
						}),
					),
				]);
				expect(results.map((r) => r.status)).toEqual(Array(9).fill(200));
				expect(s.stats()).toMatchObject({ peakConcurrency: 3, peakProfileConcurrency: 3 });
				const ha2 = { 'X-CleverTap-Account-Id': 'A', 'X-CleverTap-Passcode': 'pa' };
				s.setLatency(500);
				const three = [1, 2, 3].map((i) => profile(s, `?identity=q${i}`, ha2));
				await waitFor(() => s.stats().inFlight === 3);
				expect((await profile(s, '?identity=q4', ha2)).status).toBe(429);
				// the demerge API of the same account is not affected by the busy profile API
				expect((await demerge(s, { identities: ['a4'] }, ha)).status).toBe(200);
				expect((await Promise.all(three)).map((r) => r.status)).toEqual([200, 200, 200]);
			} finally {
				await s.close();
			}
		});

		test('concurrencyLimit option', async () => {
			const s = await startSimulator({ concurrencyLimit: 1, latencyMs: 500 });
			try {
				const first = demerge(s, { identities: ['x1'] });
				await waitFor(() => s.stats().inFlight === 1);
				expect((await demerge(s, { identities: ['x2'] })).status).toBe(429);
				expect((await first).status).toBe(200);
			} finally {
				await s.close();
			}
		});
	});

	test('setLatency() sets the service time', async () => {
		sim.setLatency(120);
		const t0 = performance.now();
		await demerge(sim, { identities: ['slow'] });
		expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
		const rec = sim.requests[0];
		expect(rec.endedAt - rec.startedAt).toBeGreaterThanOrEqual(110);
		expect(() => sim.setLatency(-1)).toThrow();
	});

	test('a client that gives up during service: still demerged, recorded as clientAborted', async () => {
		sim.setLatency(150);
		const r = await raw(sim, { body: '{"identities":["timeout-victim"]}', timeout: 30 });
		expect(r.error.code).toBe('CLIENT_TIMEOUT');
		await waitFor(() => sim.requests[0].status !== undefined);
		expect(sim.requests[0]).toMatchObject({ status: 200, clientAborted: true });
		expect(sim.demerged.get('timeout-victim')).toBe(1);
	});
});

describe('GET /1/profile.json', () => {
	test.each([
		['identity', '?identity=probe'],
		['email', '?email=jane%40example.com'],
		['objectId', '?objectId=abc'],
	])('by %s → 200 success, record null', async (_name, query) => {
		const r = await profile(sim, query);
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ status: 'success', record: null });
		expect(sim.requests[0]).toMatchObject({ method: 'GET', api: 'profile', body: '', status: 200 });
	});

	test('URL-encoded identity is decoded in the record', async () => {
		await profile(sim, `?identity=${encodeURIComponent('a+b c&d@e.f')}`);
		expect(sim.requests[0].query).toEqual({ identity: 'a+b c&d@e.f' });
	});

	test('no identity/email/objectId → 400 envelope', async () => {
		for (const q of ['', '?identity=', '?foo=bar']) {
			const r = await profile(sim, q);
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ status: 'fail', code: 400 });
		}
	});

	test('bad credentials → 401', async () => {
		expect((await profile(sim, '?identity=x', {})).json).toEqual(
			fail(401, 'Account ID is not valid'),
		);
		const r = await profile(sim, '?identity=x', { ...AUTH_ONLY, 'X-CleverTap-Passcode': 'nope' });
		expect(r.status).toBe(401);
	});

	test('has no side effect and counts as a profile request', async () => {
		await profile(sim, '?identity=x');
		expect(sim.demerged.size).toBe(0);
		expect(sim.stats()).toMatchObject({ requests: 1, profileRequests: 1, demergeRequests: 0 });
	});
});

describe('other paths and methods', () => {
	test.each([
		['GET', '/'],
		['POST', '/1/delete/profiles.json/'],
		['POST', '/1/demerge/profiles.json/'],
		['POST', '/1/uploads'],
		['GET', '/1/profile'],
	])('%s %s → 404 envelope', async (method, p) => {
		const r = await raw(sim, { method, path: p, body: method === 'POST' ? '{}' : undefined });
		expect(r.status).toBe(404);
		expect(JSON.parse(r.text)).toMatchObject({ status: 'fail', code: 404 });
	});

	test.each([
		['GET', DEMERGE, 'POST'],
		['PUT', DEMERGE, 'POST'],
		['POST', PROFILE, 'GET'],
		['DELETE', PROFILE, 'GET'],
		['GET', '/1/delete/profiles.json', 'POST'],
		['GET', '/1/upload', 'POST'],
		['PUT', '/1/profiles.json', 'GET, POST'],
	])('%s %s → 405 envelope with Allow', async (method, p, allow) => {
		const r = await raw(sim, { method, path: p });
		expect(r.status).toBe(405);
		expect(r.headers.allow).toBe(allow);
		expect(JSON.parse(r.text)).toMatchObject({ status: 'fail', code: 405 });
		expect(sim.demerged.size).toBe(0);
	});
});

describe('scripted faults', () => {
	const cases = [
		['429', 429, /json/, fail(429, 'Too many concurrent requests')],
		['500', 500, /json/, fail(500, 'Internal error')],
		['502', 502, /text\/html/, /<html>/],
		['504', 504, /text\/html/, /<html>/],
		['503-html', 503, /text\/html/, /<html>/],
		['200-fail', 200, /json/, fail(500, 'Something went wrong')],
		[
			'200-partial',
			200,
			/json/,
			{ status: 'partial', error: 'Some identities were not processed', code: 200 },
		],
		['200-not-json', 200, /text\/html/, /^<html>OK<\/html>$/],
		['401', 401, /json/, fail(401, 'Account ID is not valid')],
		['403', 403, /json/, fail(403, 'Not allowed for this passcode')],
		['404', 404, /json/, fail(404, 'Not found')],
		['405', 405, /json/, fail(405, 'Method not allowed')],
	];

	test.each(cases)('%s → %s', async (kind, status, type, expected) => {
		sim.addFault({ kind });
		const r = await demerge(sim, { identities: ['f1'] });
		expect(r.status).toBe(status);
		expect(r.headers.get('content-type')).toMatch(type);
		if (expected instanceof RegExp) {
			expect(r.text).toMatch(expected);
			expect(r.json).toBeUndefined();
		} else {
			expect(r.json).toEqual(expected);
		}
		expect(sim.demerged.size).toBe(0);
		expect(sim.requests[0]).toMatchObject({ fault: kind, status });
		expect(sim.stats().faultsServed).toBe(1);
		// consumed: the next request succeeds
		expect((await demerge(sim, { identities: ['f2'] })).status).toBe(200);
		expect([...sim.demerged.keys()]).toEqual(['f2']);
	});

	test('200-partial demerges the first half of the request and names none of them', async () => {
		sim.addFault({ kind: '200-partial' });
		const r = await demerge(sim, { identities: ['p1', 'p2', 'p3', 'p4', 'p5'] });
		expect(r.json).toEqual({
			status: 'partial',
			error: 'Some identities were not processed',
			code: 200,
		});
		expect([...sim.demerged.keys()]).toEqual(['p1', 'p2']);
		expect(sim.requests[0].taken).toEqual(['p1', 'p2']);
		expect(sim.stats().demergeCalls).toBe(2);
	});

	test('redirect: 302 to the given server, same path, nothing demerged', async () => {
		sim.addFault({ kind: 'redirect', location: 'http://127.0.0.1:9' });
		const r = await raw(sim, { body: '{"identities":["x"]}' });
		expect(r.status).toBe(302);
		expect(r.headers?.location).toBe('http://127.0.0.1:9/1/demerge/profiles.json');
		expect(sim.demerged.size).toBe(0);
	});

	test('every fault kind is covered by these tests', () => {
		const tested = new Set([
			...cases.map((c) => c[0]),
			'429-retry-after',
			'reset',
			'reset-mid-body',
			'close-mid-body',
			'hang',
			'redirect',
		]);
		expect([...FAULT_KINDS].sort()).toEqual([...tested].sort());
	});

	test('429-retry-after sends Retry-After (default 1, or retryAfterSeconds / retryAfter)', async () => {
		sim.addFault({ kind: '429-retry-after' });
		sim.addFault({ kind: '429-retry-after', retryAfterSeconds: 7 });
		sim.addFault({ kind: '429-retry-after', retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' });
		const a = await demerge(sim, { identities: ['x'] });
		const b = await demerge(sim, { identities: ['x'] });
		const c = await demerge(sim, { identities: ['x'] });
		expect(a.status).toBe(429);
		expect(a.json).toEqual(fail(429, 'Too many concurrent requests'));
		expect(a.headers.get('retry-after')).toBe('1');
		expect(b.headers.get('retry-after')).toBe('7');
		expect(c.headers.get('retry-after')).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
		expect(sim.demerged.size).toBe(0);
	});

	test('plain 429 fault has no Retry-After', async () => {
		sim.addFault({ kind: '429' });
		const r = await demerge(sim, { identities: ['x'] });
		expect(r.headers.get('retry-after')).toBeNull();
	});

	test('401 fault applies even with good credentials', async () => {
		sim.addFault({ kind: '401' });
		expect((await demerge(sim, { identities: ['x'] }, GOOD)).status).toBe(401);
	});

	test('times, FIFO order, then normal service', async () => {
		sim
			.addFault({ kind: '500', times: 2 })
			.addFault({ kind: '502' })
			.addFault({ kind: '200-fail' });
		expect(sim.faults.map((f) => [f.kind, f.times])).toEqual([
			['500', 2],
			['502', 1],
			['200-fail', 1],
		]);
		const statuses = [];
		for (let i = 0; i < 5; i++)
			statuses.push((await demerge(sim, { identities: [`t${i}`] })).status);
		expect(statuses).toEqual([500, 500, 502, 200, 200]);
		expect(sim.requests.map((r) => r.fault)).toEqual(['500', '500', '502', '200-fail', undefined]);
		expect(sim.faults).toEqual([]);
		expect([...sim.demerged.keys()]).toEqual(['t4']);
	});

	test('times: Infinity is persistent until reset()/clearFaults()', async () => {
		sim.addFault({ kind: '503-html', times: Infinity });
		for (let i = 0; i < 4; i++)
			expect((await demerge(sim, { identities: ['x'] })).status).toBe(503);
		sim.clearFaults();
		expect((await demerge(sim, { identities: ['x'] })).status).toBe(200);
	});

	test("api: 'profile' faults apply to profile GETs only, demerge faults to demerges only", async () => {
		sim.addFault({ kind: '500', api: 'profile' });
		sim.addFault({ kind: '502' });
		expect((await demerge(sim, { identities: ['x'] })).status).toBe(502);
		expect((await demerge(sim, { identities: ['y'] })).status).toBe(200);
		const res = await fetch(`${sim.url}${PROFILE}?identity=x`, { headers: AUTH_ONLY });
		expect(res.status).toBe(500);
		await res.text();
		expect((await profile(sim, '?identity=x')).status).toBe(200);
	});

	test('faults are not consumed by 404/405 requests', async () => {
		sim.addFault({ kind: '500' });
		await raw(sim, { method: 'GET', path: DEMERGE });
		await raw(sim, { method: 'POST', path: '/nope', body: '{}' });
		expect((await demerge(sim, { identities: ['x'] })).status).toBe(500);
	});

	test('faulted requests take the service latency (except 429s, answered at once)', async () => {
		sim.setLatency(300);
		sim.addFault({ kind: '500' }).addFault({ kind: '429' });
		const first = demerge(sim, { identities: ['x'] });
		await waitFor(() => sim.requests.length === 1);
		await demerge(sim, { identities: ['y'] });
		await first;
		const [a, b] = sim.requests;
		expect(a.endedAt - a.startedAt).toBeGreaterThanOrEqual(290);
		// The 429, sent while the 500 was being served, was answered before it.
		expect(b.endedAt).toBeLessThan(a.endedAt);
	});

	test('invalid fault specs throw', () => {
		expect(() => sim.addFault({ kind: '418' })).toThrow(/Unknown fault kind/);
		expect(() => sim.addFault({ kind: '500', times: 0 })).toThrow();
		expect(() => sim.addFault({ kind: '500', times: 1.5 })).toThrow();
		expect(() => sim.addFault({ kind: '500', api: 'bogus' })).toThrow(/Fault api/);
		expect(() => sim.addFault({ kind: '200-success-unprocessed', api: 'demerge' })).toThrow(
			/upload/,
		);
		expect(sim.faults).toEqual([]);
	});

	test('reset: the connection is reset without an answer', async () => {
		sim.addFault({ kind: 'reset' });
		const r = await raw(sim, { body: '{"identities":["x"]}' });
		expect(r.error?.code).toBe('ECONNRESET');
		expect(sim.requests[0]).toMatchObject({ status: 'reset', fault: 'reset' });
		expect(sim.demerged.size).toBe(0);
		expect(sim.stats().byStatus).toEqual({ reset: 1 });
		// fetch sees it as a failed fetch too, and the server stays up
		sim.addFault({ kind: 'reset' });
		await expect(demerge(sim, { identities: ['x'] })).rejects.toThrow();
		expect((await demerge(sim, { identities: ['x'] })).status).toBe(200);
	});

	test('reset-mid-body: the status line and part of the body arrive, then a reset', async () => {
		sim.addFault({ kind: 'reset-mid-body' });
		const r = await raw(sim, { body: '{"identities":["x"]}' });
		// The answer started (200, headers) but its body broke off.
		expect(r.error?.code).toBe('ECONNRESET');
		expect(sim.requests[0]).toMatchObject({ status: 'reset', fault: 'reset-mid-body' });
		expect(sim.demerged.size).toBe(0);
		expect((await demerge(sim, { identities: ['x'] })).status).toBe(200);
	});

	test('close-mid-body: the status line and part of the body arrive, then the connection closes', async () => {
		sim.addFault({ kind: 'close-mid-body' });
		const r = await raw(sim, { body: '{"identities":["x"]}' });
		expect(r.error?.message).toBe('aborted');
		expect(sim.requests[0]).toMatchObject({ status: 'reset', fault: 'close-mid-body' });
		expect(sim.demerged.size).toBe(0);
		expect((await demerge(sim, { identities: ['x'] })).status).toBe(200);
	});

	test('account: a fault only for one account; after: the first N requests pass', async () => {
		sim.accounts.OTHER = 'other-passcode';
		const other = {
			...GOOD,
			'X-CleverTap-Account-Id': 'OTHER',
			'X-CleverTap-Passcode': 'other-passcode',
		};
		sim.addFault({ kind: '500', account: 'OTHER', after: 2, times: 2 });
		const statuses = [];
		for (let i = 0; i < 5; i++) {
			statuses.push((await demerge(sim, { identities: [`g${i}`] })).status);
			statuses.push((await demerge(sim, { identities: [`o${i}`] }, other)).status);
		}
		expect(statuses).toEqual([200, 200, 200, 200, 200, 500, 200, 500, 200, 200]);
		expect(sim.faults).toEqual([]);
		delete sim.accounts.OTHER;
	});

	test('hang: never answers until the client gives up', async () => {
		sim.addFault({ kind: 'hang' });
		const r = await raw(sim, { body: '{"identities":["x"]}', timeout: 100 });
		expect(r.error.code).toBe('CLIENT_TIMEOUT');
		await waitFor(() => sim.requests[0].endedAt !== undefined);
		expect(sim.requests[0]).toMatchObject({ status: 'hung', fault: 'hang', clientAborted: true });
		expect(sim.demerged.size).toBe(0);
		expect((await demerge(sim, { identities: ['x'] })).status).toBe(200);
	});

	test('hang: close() destroys hung sockets so the process can exit', async () => {
		const s = await startSimulator();
		s.addFault({ kind: 'hang', times: Infinity });
		const pending = raw(s, { body: '{"identities":["x"]}' });
		const pending2 = demerge(s, { identities: ['y'] }).catch((e) => e);
		await waitFor(() => s.requests.length === 2);
		await s.close();
		// Without close() destroying them these would hang until the test times out.
		const r = await pending;
		expect(r.error?.code).toBe('ECONNRESET');
		expect(String(await pending2)).toMatch(/TypeError: fetch failed/); // (cross-realm: not instanceof Error in jest)
		await s.close(); // idempotent
	});
});

describe('close()', () => {
	test('cancels requests in service and closes idle keep-alive sockets', async () => {
		const s = await startSimulator({ latencyMs: 10_000 });
		const agent = new http.Agent({ keepAlive: true });
		try {
			s.setLatency(0);
			expect((await raw(s, { body: '{"identities":["a"]}', agent })).status).toBe(200); // leaves an idle socket
			s.setLatency(10_000);
			const pending = raw(s, { body: '{"identities":["b"]}' });
			await waitFor(() => s.requests.length === 2);
			expect(s.stats().inFlight).toBe(1);
			await s.close();
			expect((await pending).error?.code).toBe('ECONNRESET');
			expect(s.stats().inFlight).toBe(0);
			expect(s.demerged.has('b')).toBe(false);
		} finally {
			agent.destroy();
			await s.close();
		}
	});
});

describe('keep-alive', () => {
	test('sequential requests reuse one connection', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const results = [];
			for (let i = 0; i < 4; i++) {
				results.push(await raw(sim, { body: `{"identities":["k${i}"]}`, agent }));
			}
			expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
			expect(results.slice(1).every((r) => r.reusedSocket)).toBe(true);
			expect(new Set(sim.requests.map((r) => r.connection)).size).toBe(1);
			// error answers keep the connection too
			await raw(sim, { body: 'not json', agent });
			await raw(sim, { body: '{"identities":["k"]}', headers: {}, agent });
			expect(new Set(sim.requests.map((r) => r.connection)).size).toBe(1);
		} finally {
			agent.destroy();
		}
	});
});

describe('stats(), requests, reset()', () => {
	test('stats counts everything', async () => {
		sim.addFault({ kind: '500' });
		await demerge(sim, { identities: ['a'] }); // 500 fault
		await demerge(sim, { identities: ['a', 'b'] }); // 200
		await demerge(sim, { identities: ['a'] }); // 200
		await demerge(sim, 'nope'); // 400
		await demerge(sim, { identities: ['a'] }, {}); // 401
		await profile(sim, '?identity=a'); // 200
		await raw(sim, { method: 'GET', path: '/x' }); // 404
		const st = sim.stats();
		expect(st).toMatchObject({
			requests: 7,
			demergeRequests: 5,
			profileRequests: 1,
			byStatus: { 200: 3, 400: 1, 401: 1, 404: 1, 500: 1 },
			faultsServed: 1,
			concurrencyRejections: 0,
			peakConcurrency: 1,
			inFlight: 0,
			identitiesDemerged: 2,
			demergeCalls: 3,
		});
		expect(st.firstRequestAt).toBe(sim.requests[0].startedAt);
		expect(st.lastResponseAt).toBe(sim.requests[6].endedAt);
		expect(sim.requests.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(sim.summary()).toMatch(/^7 requests \(5 demerge, 1 profile\)/);
	});

	test('empty stats', () => {
		const zero = {
			demerge: 0,
			delete: 0,
			profile: 0,
			profiles: 0,
			upload: 0,
			events: 0,
			eventCount: 0,
			profileCount: 0,
			trends: 0,
			top: 0,
			now: 0,
			messageReport: 0,
			campaigns: 0,
			send: 0,
			externalTrigger: 0,
			subscribe: 0,
			disassociate: 0,
		};
		expect(sim.stats()).toEqual({
			requests: 0,
			demergeRequests: 0,
			profileRequests: 0,
			deleteRequests: 0,
			profilesRequests: 0,
			uploadRequests: 0,
			requestsByApi: zero,
			byStatus: {},
			faultsServed: 0,
			concurrencyRejections: 0,
			peakConcurrency: 0,
			peakProfileConcurrency: 0,
			peakUploadConcurrency: 0,
			peakConcurrencyByApi: zero,
			inFlight: 0,
			identitiesDemerged: 0,
			demergeCalls: 0,
			identitiesDeleted: 0,
			deleteCalls: 0,
			pagesServed: 0,
			eventPagesServed: 0,
			countQueries: 0,
			countPolls: 0,
			countPollsByApi: { eventCount: 0, profileCount: 0, trends: 0, top: 0 },
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
			pendingEffects: 0,
			firstRequestAt: undefined,
			lastResponseAt: undefined,
		});
	});

	test('reset() clears records, stats, demerged and faults; keeps accounts; restores latency', async () => {
		const s = await startSimulator({
			accounts: { X: 'px' },
			latencyMs: 5,
			rejectIdentities: ['r'],
		});
		try {
			const hx = { ...GOOD, 'X-CleverTap-Account-Id': 'X', 'X-CleverTap-Passcode': 'px' };
			await demerge(s, { identities: ['a'] }, hx);
			s.addFault({ kind: '500', times: Infinity });
			s.setLatency(500);
			s.setRejectIdentities([]);
			s.reset();
			expect(s.requests).toEqual([]);
			expect(s.demerged.size).toBe(0);
			expect(s.faults).toEqual([]);
			expect(s.stats().requests).toBe(0);
			expect(s.latencyMs).toBe(5);
			expect((await demerge(s, { identities: ['r'] }, hx)).status).toBe(400);
			const r = await demerge(s, { identities: ['a'] }, hx);
			expect(r.status).toBe(200);
			expect(s.requests.map((x) => x.seq)).toEqual([1, 2]);
		} finally {
			await s.close();
		}
	});

	test('maxRecords bounds memory; stats stay exact', async () => {
		const s = await startSimulator({ maxRecords: 4 });
		try {
			for (let i = 0; i < 10; i++) await demerge(s, { identities: [`m${i}`] });
			expect(s.requests.length).toBeLessThanOrEqual(4);
			expect(s.requests.at(-1).seq).toBe(10);
			expect(s.stats().requests).toBe(10);
			expect(s.demerged.size).toBe(10);
		} finally {
			await s.close();
		}
	});

	test('log option gets one line per answered request', async () => {
		const lines = [];
		const s = await startSimulator({ log: (l) => lines.push(l) });
		try {
			await demerge(s, { identities: ['a', 'b'] });
			s.addFault({ kind: '502' });
			await demerge(s, { identities: ['a'] });
			expect(lines).toHaveLength(2);
			expect(lines[0]).toMatch(/POST \/1\/demerge\/profiles\.json 200 .*2 identities/);
			expect(lines[1]).toMatch(/502 \(fault 502\)/);
		} finally {
			await s.close();
		}
	});
});

describe('control endpoints (control: true)', () => {
	test('stats, faults, latency, reject-identities, demerged, reset; not recorded', async () => {
		const s = await startSimulator({ control: true });
		const ctl = (method, name, body) => control(s, method, name, body);
		try {
			expect(
				(await ctl('POST', 'faults', [{ kind: '500' }, { kind: '502', times: null }])).json,
			).toEqual({
				status: 'success',
				pending: 2,
			});
			expect(s.faults[1].times).toBe(Infinity);
			expect((await ctl('POST', 'faults', { kind: 'bogus' })).status).toBe(400);
			expect((await demerge(s, { identities: ['a'] })).status).toBe(500);
			expect((await demerge(s, { identities: ['a'] })).status).toBe(502);
			await ctl('POST', 'reset');
			expect((await ctl('POST', 'latency', { ms: 40 })).status).toBe(200);
			expect(s.latencyMs).toBe(40);
			await ctl('POST', 'reject-identities', ['bad']);
			expect((await demerge(s, { identities: ['bad'] })).status).toBe(400);
			expect((await demerge(s, { identities: ['good'] })).status).toBe(200);
			expect((await ctl('GET', 'demerged')).json).toEqual({ good: 1 });
			const st = (await ctl('GET', 'stats')).json;
			expect(st).toMatchObject({ requests: 2, byStatus: { 200: 1, 400: 1 } });
			expect(s.requests).toHaveLength(2);
			expect((await ctl('GET', 'nope')).status).toBe(404);
		} finally {
			await s.close();
		}
	});

	test('profiles, processing delay, pending/flush, not-found style, upload style, reject-records, deleted', async () => {
		const s = await startSimulator({ control: true });
		const ctl = (method, name, body) => control(s, method, name, body);
		try {
			const added = await ctl('POST', 'profiles', [
				{ identities: ['a', 'b'], events: [{ name: 'Identity Error', date: '2024-05-01' }] },
				{ identity: 'c', email: 'c@x.io' },
			]);
			expect(added.json).toEqual({
				status: 'success',
				objectIds: ['__sim000000000001', '__sim000000000002'],
			});
			expect((await ctl('POST', 'profiles', { identity: 'd' })).json.objectIds).toHaveLength(1);
			expect((await ctl('POST', 'profiles', { identity: 'a' })).json).toMatchObject({
				status: 'fail',
				code: 400,
				error: expect.stringMatching(/already has a profile/),
			});
			const listed = (await ctl('GET', 'profiles')).json;
			expect(listed[0]).toEqual({
				objectId: '__sim000000000001',
				identities: ['a', 'b'],
				profileData: {},
				events: [{ name: 'Identity Error', ts: 1714521600, date: 20240501, data: {} }],
			});
			expect(listed).toHaveLength(3);

			expect((await ctl('POST', 'processing-delay', { ms: 60_000 })).status).toBe(200);
			expect((await ctl('POST', 'processing-delay', { ms: -5 })).status).toBe(400);
			await demerge(s, { identities: ['b'] });
			await post(s, '/1/delete/profiles.json', { identity: ['c'] });
			expect((await ctl('GET', 'pending')).json).toEqual({ pending: 2 });
			expect((await ctl('GET', 'deleted')).json).toEqual({ c: 1 });
			expect((await ctl('POST', 'flush')).json).toEqual({ status: 'success', applied: 2 });
			expect(s.findProfile({ identity: 'b' })).toBeUndefined();

			expect((await ctl('POST', 'not-found-style', { style: '400' })).status).toBe(200);
			expect((await profile(s, '?identity=b')).status).toBe(400);
			expect((await ctl('POST', 'not-found-style', { style: '404' })).status).toBe(200);
			expect((await profile(s, '?identity=b')).json).toEqual(fail(404, 'Profile not found'));
			expect((await ctl('POST', 'not-found-style', { style: 'nope' })).status).toBe(400);

			expect((await ctl('POST', 'cursor-style', { style: 'raw' })).status).toBe(200);
			expect(s.cursorStyle).toBe('raw');
			expect((await ctl('POST', 'cursor-style', { style: 'twice' })).status).toBe(400);

			await ctl('POST', 'upload-style', { echo: 'string', number: 'none' });
			await ctl('POST', 'reject-records', { match: ['u1'], code: 516, error: 'Phone!' });
			const rec = { type: 'profile', identity: 'u1', profileData: {} };
			expect((await post(s, '/1/upload', { d: [rec] })).json.unprocessed).toEqual([
				{ status: 'fail', code: 516, error: 'Phone!', record: JSON.stringify(rec) },
			]);
			await ctl('POST', 'upload-style', { text: 'errorcode', number: 'number' });
			expect((await post(s, '/1/upload', { d: [rec] })).json.unprocessed[0].error).toBe(
				'ErrorCode: 516 - Phone! Skipped record number : 1',
			);
			expect((await ctl('POST', 'upload-style', { text: 'nope' })).status).toBe(400);
			expect((await ctl('POST', 'reject-records', 'x')).status).toBe(400);
			expect((await ctl('POST', 'faults', { kind: '500', api: 'upload' })).json.pending).toBe(1);
			expect((await post(s, '/1/upload', { d: [rec] })).status).toBe(500);

			await ctl('POST', 'reset', { keepProfiles: true });
			expect(s.findProfile({ identity: 'a' })).toBeDefined();
			expect([
				s.processingDelayMs,
				s.notFoundStyle,
				s.cursorStyle,
				s.uploadTextStyle,
				s.uploadEchoStyle,
				s.uploadNumberStyle,
			]).toEqual([0, 'null', 'encoded', 'mixed', 'mixed', 'number']);
			await ctl('POST', 'reset');
			expect((await ctl('GET', 'profiles')).json).toEqual([]);
		} finally {
			await s.close();
		}
	});

	test('off by default: /__simulator/* is a 404', async () => {
		const r = await raw(sim, { method: 'GET', path: '/__simulator/stats' });
		expect(r.status).toBe(404);
	});
});

describe('cli.js', () => {
	const CLI = path.join(__dirname, 'cli.js');

	/** @param {string[]} args */
	async function startCli(args) {
		const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (d) => (out += d));
		const exited = once(child, 'exit');
		const end = Date.now() + 5000;
		while (!out.includes('\n')) {
			if (Date.now() > end || child.exitCode !== null) throw new Error(`CLI did not start: ${out}`);
			await sleep(10);
		}
		return { child, exited, output: () => out };
	}

	test.each(['SIGINT', 'SIGTERM'])(
		'starts, serves, prints a summary on %s and exits 0',
		async (signal) => {
			const { child, exited, output } = await startCli([
				'--port',
				'0',
				'--latency',
				'600',
				'--account',
				'ACC',
				'--passcode',
				'PASS',
				'--concurrency',
				'2',
				'--fault',
				'500:1',
			]);
			try {
				const first = output().split('\n')[0];
				expect(first).toMatch(
					/^CleverTap simulator listening on http:\/\/127\.0\.0\.1:\d+ \(account ACC, passcode PASS, latency 600 ms, 2 concurrent demerge requests\)$/,
				);
				const url = first.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
				const s = { url };
				const stats = async () => (await fetch(`${url}/__simulator/stats`)).json();
				const h = { ...GOOD, 'X-CleverTap-Account-Id': 'ACC', 'X-CleverTap-Passcode': 'PASS' };
				expect((await demerge(s, { identities: ['a'] }, h)).status).toBe(500);
				const two = [1, 2].map((i) => demerge(s, { identities: [`c${i}`] }, h));
				const end = Date.now() + 5000;
				while ((await stats()).inFlight < 2 && Date.now() < end) await sleep(10);
				expect((await demerge(s, { identities: ['c3'] }, h)).status).toBe(429);
				expect((await Promise.all(two)).map((r) => r.status)).toEqual([200, 200]);
				expect(await stats()).toMatchObject({ requests: 4, peakConcurrency: 2 });
			} finally {
				child.kill(signal);
			}
			const [code] = await exited;
			expect(code).toBe(0);
			const lines = output().trim().split('\n');
			expect(lines).toHaveLength(2);
			expect(lines[1]).toMatch(/^CleverTap simulator stopped: 4 requests \(4 demerge, 0 profile\)/);
			expect(lines[1]).toMatch(/2 identities demerged/);
		},
	);

	test('seeded profiles, processing delay, not-found style and a fault for another API', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-sim-'));
		const seed = path.join(dir, 'profiles.json');
		fs.writeFileSync(
			seed,
			JSON.stringify([
				{ identities: ['a', 'b'], events: [{ name: 'Identity Error', date: '2024-05-01' }] },
			]),
		);
		const { child, exited, output } = await startCli([
			'--port=0',
			'--seed-profiles',
			seed,
			'--processing-delay',
			'60000',
			'--not-found-style',
			'fail',
			'--fault',
			'502:1:upload',
		]);
		try {
			await waitFor(() => output().split('\n').length > 2, 5000, 'the second line');
			expect(output().split('\n')[1]).toBe(
				'  1 profiles seeded; demerge and delete take effect 60000 ms after they are accepted; unknown profiles answered in style fail',
			);
			const s = { url: output().match(/http:\/\/127\.0\.0\.1:\d+/)[0] };
			expect((await profile(s, '?identity=b')).json.record.identities).toEqual(['a', 'b']);
			expect((await demerge(s, { identities: ['b'] })).status).toBe(200);
			// Accepted, not processed yet.
			expect((await profile(s, '?identity=b')).json.record.platformInfo[0].objectId).toBe(
				'__sim000000000001',
			);
			expect((await fetch(`${s.url}/__simulator/flush`, { method: 'POST' })).status).toBe(200);
			expect((await profile(s, '?identity=b')).json).toEqual(fail(404, 'Profile not found'));
			const rec = { type: 'profile', identity: 'u', profileData: {} };
			expect((await post(s, '/1/upload', { d: [rec] })).status).toBe(502);
			expect((await post(s, '/1/upload', { d: [rec] })).json.status).toBe('success');
		} finally {
			child.kill('SIGTERM');
			fs.rmSync(dir, { recursive: true, force: true });
		}
		const [code] = await exited;
		expect(code).toBe(0);
		expect(output().trim().split('\n').at(-1)).toMatch(
			/^CleverTap simulator stopped: 6 requests \(1 demerge, 3 profile, 2 upload\).*; 1 records uploaded, 0 unprocessed/,
		);
	});

	test('seeded events, count polls, Message Reports latency and the new APIs from the command line', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-sim-'));
		const seed = path.join(dir, 'events.json');
		fs.writeFileSync(
			seed,
			JSON.stringify([
				{ name: 'Charged', count: 1000, from: 20240301, to: 20240310, profiles: 100 },
				{ name: 'Viewed', count: 5, from: '2024-03-01', to: '2024-03-01' },
			]),
		);
		const { child, exited, output } = await startCli([
			'--port=0',
			'--seed-events',
			seed,
			'--count-polls',
			'2',
			'--message-report-ms-per-day',
			'5',
			'--fault',
			'200-not-ready:1:events',
		]);
		try {
			await waitFor(() => output().split('\n').length > 2, 5000, 'the second line');
			expect(output().split('\n')[1]).toBe(
				'  1005 events seeded; Counts queries finish on poll 2; Message Reports take 5 ms per day of the range',
			);
			const s = { url: output().match(/http:\/\/127\.0\.0\.1:\d+/)[0] };
			const query = { event_name: 'Charged', from: 20240301, to: 20240310 };
			const { cursor } = (await post(s, '/1/events.json?batch_size=5000', query)).json;
			expect((await get(s, `/1/events.json?cursor=${cursor}`)).json.code).toBe(2);
			expect((await get(s, `/1/events.json?cursor=${cursor}`)).json.records).toHaveLength(1000);
			const { req_id } = (await post(s, '/1/counts/profiles.json', query)).json;
			expect((await get(s, `/1/counts/profiles.json?req_id=${req_id}`)).json.status).toBe(
				'partial',
			);
			expect((await get(s, `/1/counts/profiles.json?req_id=${req_id}`)).json).toEqual({
				status: 'success',
				count: 100,
			});
			const t = Date.now();
			const r = await post(s, '/1/message/report.json', { from: '20240301', to: '20240310' });
			expect(Date.now() - t).toBeGreaterThanOrEqual(45);
			expect(r.json.total_results).toBe(10);
		} finally {
			child.kill('SIGTERM');
			fs.rmSync(dir, { recursive: true, force: true });
		}
		const [code] = await exited;
		expect(code).toBe(0);
		expect(output().trim().split('\n').at(-1)).toMatch(
			/\(0 demerge, 0 profile, 3 events, 3 profileCount, 1 messageReport\).*; 1 pages of events served; 1 count queries, 2 polls/,
		);
	});

	test('campaigns, sends, External Trigger and a lost answer from the command line', async () => {
		const { child, exited, output } = await startCli([
			'--port=0',
			'--campaign-pending-results',
			'1',
			'--providers',
			'Provider 1,Provider 2',
			'--external-trigger-campaigns',
			'111,222',
			'--max-recipients',
			'2',
			'--fault',
			'take-then-503:1:send',
		]);
		try {
			await waitFor(() => output().split('\n').length > 2, 5000, 'the second line');
			expect(output().split('\n')[1]).toBe(
				'  campaign results come after 1 "not completed" answers; providers Provider 1, Provider 2; External Trigger campaigns 111, 222',
			);
			const s = { url: output().match(/http:\/\/127\.0\.0\.1:\d+/)[0] };
			const sms = { to: { Identity: ['a'] }, content: { body: 'Hi' } };
			expect((await post(s, '/1/send/sms.json', sms)).status).toBe(400);
			const withProvider = { ...sms, provider_nick_name: 'Provider 2' };
			expect((await post(s, '/1/send/sms.json', withProvider)).status).toBe(503);
			expect((await post(s, '/1/send/sms.json', withProvider)).status).toBe(200);
			const three = { ...withProvider, to: { Identity: ['a', 'b'], Email: ['c@x.com'] } };
			expect((await post(s, '/1/send/sms.json', three)).json.error).toMatch(/Too many recipients/);
			const trigger = (/** @type {unknown} */ id) =>
				post(s, '/1/send/externaltrigger.json', { to: { identity: ['a'] }, campaign_id: id });
			expect((await trigger(333)).status).toBe(400);
			expect((await trigger(222)).status).toBe(200);
			const created = await post(s, '/1/targets/create.json', {
				name: 'C',
				target_mode: 'push',
				segment: 1,
				devices: ['ios'],
				content: { title: 'T', body: 'B' },
			});
			const { id } = created.json;
			expect((await post(s, '/1/targets/result.json', { id })).json.status).toBe('fail');
			expect((await post(s, '/1/targets/result.json', { id })).json.status).toBe('success');
			const recipients = await (await fetch(`${s.url}/__simulator/recipients?api=send`)).json();
			expect(recipients).toEqual([{ type: 'identity', id: 'a', times: 2 }]);
		} finally {
			child.kill('SIGTERM');
		}
		const [code] = await exited;
		expect(code).toBe(0);
		expect(output().trim().split('\n').at(-1)).toMatch(
			/1 campaigns created, 0 estimates; 3 messages queued in 3 sends/,
		);
	});

	test('answer styles and a page fault from the command line', async () => {
		const { child, exited, output } = await startCli([
			'--port=0',
			'--cursor-style',
			'raw',
			'--upload-text',
			'errorcode',
			'--upload-echo',
			'string',
			'--not-found-style=404',
			'--fault',
			'202-not-ready:2',
		]);
		try {
			const s = { url: output().match(/http:\/\/127\.0\.0\.1:\d+/)[0] };
			expect(
				await (await fetch(`${s.url}/__simulator/faults`, { method: 'POST', body: '[]' })).json(),
			).toEqual({
				status: 'success',
				pending: 1,
			});
			expect((await profile(s, '?identity=nobody')).status).toBe(404);
			const bad = { type: 'event', identity: 'u', evtName: '' };
			expect((await post(s, '/1/upload', { d: [bad] })).json.unprocessed[0]).toEqual({
				status: 'fail',
				code: 509,
				error:
					'Event Name is incorrect. ErrorCode: 509 - Event name is mandatory. Skipped record number : 1',
				record: JSON.stringify(bad),
			});
			const opened = await post(s, '/1/profiles.json', {
				event_name: 'E',
				from: 20240101,
				to: 20240101,
			});
			const { cursor } = opened.json;
			expect(cursor).toMatch(/^[A-Za-z0-9+/]+=$/);
			const read = () => get(s, `/1/profiles.json?cursor=${encodeURIComponent(cursor)}`);
			expect((await read()).status).toBe(202);
			expect((await read()).status).toBe(202);
			expect((await read()).json).toEqual({ status: 'success' });
		} finally {
			child.kill('SIGTERM');
		}
		const [code] = await exited;
		expect(code).toBe(0);
	});

	test.each([
		[['--port', 'abc'], /--port needs a non-negative integer/],
		[['--not-found-style', 'maybe'], /--not-found-style needs one of null, fail, 400, 404/],
		[['--fault', '500:1:nowhere'], /--fault api needs one of demerge, delete/],
		[['--fault', 'not-ready'], /Unknown fault kind not-ready.*200-not-ready, 202-not-ready/],
		[['--upload-echo', 'xml'], /--upload-echo needs one of object, string, mixed/],
		[['--upload-text', '2017'], /--upload-text needs one of space, nospace, errorcode, mixed/],
		[['--cursor-style', 'double'], /--cursor-style needs one of encoded, raw/],
		[['--seed-profiles', '/nonexistent/profiles.json'], /--seed-profiles \/nonexistent/],
		[['--seed-events', '/nonexistent/events.json'], /--seed-events \/nonexistent/],
		[['--count-polls', '-1'], /--count-polls needs a non-negative integer/],
		[['--invalid-event-status', '404'], /--invalid-event-status needs one of 400, 200/],
		[['--message-report-ms-per-day', 'x'], /--message-report-ms-per-day needs a non-negative/],
		[['--campaign-pending-results', 'x'], /--campaign-pending-results needs a non-negative/],
		[['--max-recipients', '-5'], /--max-recipients needs a non-negative/],
		[['--fault', 'take-then-oops'], /Unknown fault kind take-then-oops.*take-then-503/],
	])('bad arguments %j exit 2 and say why', async (args, why) => {
		const child = spawn(process.execPath, [CLI, ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let err = '';
		child.stderr.on('data', (d) => (err += d));
		const [code] = await once(child, 'exit');
		expect(code).toBe(2);
		expect(err).toMatch(why);
	});
});
