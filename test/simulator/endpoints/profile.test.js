'use strict';

const { startSimulator, NOT_FOUND_STYLES } = require('../index.js');
const { PROFILE, AUTH_ONLY, fail, get, getProfile, demerge, useSimulator } = require('../testkit');

const sim = useSimulator();

describe('GET /1/profile.json', () => {
	test('found by identity, email (any case) or objectId: the record', async () => {
		const p = sim.addProfile({
			identity: 'client-1',
			email: 'Jane@Example.com',
			name: 'Jane Doe',
			profileData: { Phone: '+14155550100', Tier: 'gold' },
		});
		const expected = {
			status: 'success',
			record: {
				identity: 'client-1',
				email: 'Jane@Example.com',
				name: 'Jane Doe',
				profileData: { Phone: '+14155550100', Tier: 'gold' },
				platformInfo: [{ platform: 'Web', objectId: p.objectId }],
			},
		};
		for (const key of [
			{ identity: 'client-1' },
			{ email: 'jane@example.com' },
			{ objectId: p.objectId },
		]) {
			const r = await getProfile(sim, key);
			expect(r.status).toBe(200);
			expect(r.headers.get('content-type')).toMatch(/application\/json/);
			expect(r.json).toEqual(expected);
		}
		expect(p.objectId).toMatch(/^__sim[0-9a-f]+$/);
		expect(sim.stats()).toMatchObject({ profileRequests: 3, requestsByApi: { profile: 3 } });
	});

	test('a merged profile lists its identities; absent fields are left out', async () => {
		const p = sim.addProfile({ identities: ['a', 'b@example.com'] });
		expect((await getProfile(sim, { identity: 'b@example.com' })).json.record).toEqual({
			identity: 'a',
			identities: ['a', 'b@example.com'],
			profileData: {},
			platformInfo: [{ platform: 'Web', objectId: p.objectId }],
		});
	});

	test('as recorded: no top-level objectId (it is in platformInfo) and an events summary', async () => {
		const p = sim.addProfile({
			identity: 'ev',
			events: [
				// The later one first: first_seen/last_seen are the min and max, not the order given.
				{ name: 'Identity Error', date: new Date('2024-03-12T08:30:00Z') },
				{ name: 'Identity Error', date: '2024-03-10' },
			],
		});
		const { record } = (await getProfile(sim, { identity: 'ev' })).json;
		expect('objectId' in record).toBe(false);
		expect(record.platformInfo).toEqual([{ platform: 'Web', objectId: p.objectId }]);
		// Epoch seconds: the earliest and the latest of the two days.
		expect(record.events).toEqual({
			'Identity Error': {
				count: 2,
				first_seen: Date.UTC(2024, 2, 10) / 1000,
				last_seen: Date.UTC(2024, 2, 12, 8, 30) / 1000,
			},
		});
		expect(record.events['Identity Error'].first_seen).toBe(1710028800);
		expect(record.events['Identity Error'].last_seen).toBe(1710232200);
		// Without events, no events key.
		sim.addProfile({ identity: 'quiet' });
		expect('events' in (await getProfile(sim, { identity: 'quiet' })).json.record).toBe(false);
	});

	test('the value is URL-decoded (+, spaces, & and @ survive encoding)', async () => {
		const id = 'a+b c&d@e.f';
		sim.addProfile({ identity: id });
		const r = await get(sim, `${PROFILE}?identity=${encodeURIComponent(id)}`);
		expect(r.json.record.identity).toBe(id);
		// Unencoded, '+' arrives as a space: not the same identity.
		expect((await get(sim, `${PROFILE}?identity=a+b%20c%26d%40e.f`)).json.record).toBeNull();
	});

	test('a GET carries no body; the request is recorded as received (no content-type)', async () => {
		await getProfile(sim, { identity: 'x' });
		const rec = sim.requests[0];
		expect(rec).toMatchObject({ method: 'GET', api: 'profile', body: '', json: undefined });
		expect(rec.headers['content-type']).toBeUndefined();
		expect(rec.query).toEqual({ identity: 'x' });
	});

	test.each([
		['none', ''],
		['an empty identity', '?identity='],
		['an unknown key only', '?foo=bar'],
		['identity and email', '?identity=a&email=b%40c.d'],
		['email and objectId', '?email=b%40c.d&objectId=x'],
	])('%s → 400 envelope', async (_name, query) => {
		const r = await get(sim, `${PROFILE}${query}`);
		expect(r.status).toBe(400);
		expect(r.json).toMatchObject({ status: 'fail', code: 400 });
		expect(r.json.error).toMatch(/identity, email or objectId/);
	});

	test('bad credentials → 401 (even for a profile that exists)', async () => {
		sim.addProfile({ identity: 'x' });
		expect((await getProfile(sim, { identity: 'x' }, {})).json).toEqual(
			fail(401, 'Account ID is not valid'),
		);
		const r = await getProfile(
			sim,
			{ identity: 'x' },
			{ ...AUTH_ONLY, 'X-CleverTap-Passcode': 'no' },
		);
		expect(r.status).toBe(401);
	});

	describe('not found: four styles, because nothing of it was recorded', () => {
		const answers = {
			null: [200, { status: 'success', record: null }],
			fail: [200, fail(404, 'Profile not found')],
			400: [400, fail(400, 'Profile not found')],
			404: [404, fail(404, 'Profile not found')],
		};

		test('the styles are the four the node must read as "not found"; the default is null', () => {
			expect([...NOT_FOUND_STYLES].sort()).toEqual(Object.keys(answers).sort());
			expect(sim.notFoundStyle).toBe('null');
		});

		test.each(Object.entries(answers))('setNotFoundStyle(%s)', async (style, [status, body]) => {
			sim.setNotFoundStyle(/** @type {any} */ (style));
			const r = await getProfile(sim, { identity: 'nobody' });
			expect(r.status).toBe(status);
			expect(r.json).toEqual(body);
			// CleverTap's envelope and content type, which tell a 404 of "not found" from a wrong address.
			expect(r.headers.get('content-type')).toBe('application/json;charset=utf-8');
		});

		test.each(Object.entries(answers))(
			'option notFoundStyle %s, restored by reset()',
			async (style, [status, body]) => {
				const s = await startSimulator({ notFoundStyle: /** @type {any} */ (style) });
				try {
					s.setNotFoundStyle(style === 'null' ? 'fail' : 'null');
					s.reset();
					const r = await getProfile(s, { email: 'nobody@example.com' });
					expect([r.status, r.json]).toEqual([status, body]);
				} finally {
					await s.close();
				}
			},
		);

		test('an unknown style is refused', async () => {
			expect(() => sim.setNotFoundStyle(/** @type {any} */ ('410'))).toThrow(/notFoundStyle/);
			await expect(startSimulator({ notFoundStyle: /** @type {any} */ ('x') })).rejects.toThrow(
				/notFoundStyle/,
			);
		});
	});

	test('after a demerge the identity no longer resolves; the profile keeps its others', async () => {
		const p = sim.addProfile({ identities: ['keep', 'split'] });
		expect((await demerge(sim, { identities: ['split'] })).json).toEqual({ status: 'success' });
		expect((await getProfile(sim, { identity: 'split' })).json).toEqual({
			status: 'success',
			record: null,
		});
		const kept = (await getProfile(sim, { identity: 'keep' })).json.record;
		expect(kept).toMatchObject({
			identity: 'keep',
			platformInfo: [{ platform: 'Web', objectId: p.objectId }],
		});
		expect(kept.identities).toBeUndefined();
		expect(
			(await getProfile(sim, { objectId: p.objectId })).json.record.platformInfo[0].objectId,
		).toBe(p.objectId);
	});
});
