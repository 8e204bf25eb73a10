'use strict';

const { DELETE, GOOD, headersFor, fail, del, getProfile, useSimulator } = require('../testkit');

const sim = useSimulator({ accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' } });

describe('POST /1/delete/profiles.json', () => {
	test('by identity: 200 success, counted in sim.deleted and stats, the profile is gone', async () => {
		const kept = sim.addProfile({ identity: 'keep' });
		const gone = sim.addProfile({ identities: ['a', 'a2'], email: 'a@example.com' });
		const r = await del(sim, { identity: ['a', 'unknown'] });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ status: 'success' });
		expect([...sim.deleted]).toEqual([
			['a', 1],
			['unknown', 1],
		]);
		// The whole profile goes: every identity, its email and its objectId.
		expect(sim.findProfile({ identity: 'a' })).toBeUndefined();
		expect(sim.findProfile({ identity: 'a2' })).toBeUndefined();
		expect(sim.findProfile({ email: 'a@example.com' })).toBeUndefined();
		expect(sim.findProfile({ objectId: gone.objectId })).toBeUndefined();
		expect(sim.findProfile({ identity: 'keep' })).toBe(kept);
		expect(sim.requests[0]).toMatchObject({
			api: 'delete',
			identities: ['a', 'unknown'],
			status: 200,
		});
		expect(sim.stats()).toMatchObject({
			deleteRequests: 1,
			requestsByApi: { delete: 1 },
			identitiesDeleted: 2,
			deleteCalls: 2,
			identitiesDemerged: 0,
		});
		expect(sim.summary()).toMatch(
			/^1 requests \(0 demerge, 0 profile, 1 delete\).*; 2 identities deleted/,
		);
	});

	test('by guid (objectId): the profile is gone; Get by its identity finds nothing', async () => {
		const p = sim.addProfile({ identity: 'g1' });
		const r = await del(sim, { guid: [p.objectId] });
		expect(r.json).toEqual({ status: 'success' });
		expect(sim.deleted.get(p.objectId)).toBe(1);
		expect((await getProfile(sim, { identity: 'g1' })).json).toEqual({
			status: 'success',
			record: null,
		});
	});

	test('repeated deletes are counted per value', async () => {
		await del(sim, { identity: ['x', 'y'] });
		await del(sim, { identity: ['x'] });
		expect(sim.deleted.get('x')).toBe(2);
		expect(sim.stats()).toMatchObject({ identitiesDeleted: 2, deleteCalls: 3 });
	});

	test('100 values are accepted, unicode too', async () => {
		const ids = Array.from({ length: 100 }, (_, i) => `d-${i}-ü`);
		expect((await del(sim, { identity: ids })).status).toBe(200);
		expect(sim.deleted.size).toBe(100);
	});

	describe('validation → 400 envelope naming the problem, nothing deleted', () => {
		test.each([
			['empty body', '', /empty/],
			['malformed JSON', '{"identity": [', /not valid JSON/],
			['a bare array', '["a"]', /JSON object/],
			['neither key', { identities: ['a'] }, /identity or guid is required/],
			['both keys', { identity: ['a'], guid: ['b'] }, /either identity or guid, not both/],
			['identity a string', { identity: 'a' }, /identity must be an array/],
			['guid a string', { guid: 'a' }, /guid must be an array/],
			['identity empty', { identity: [] }, /identity must not be empty/],
			['guid empty', { guid: [] }, /guid must not be empty/],
			[
				'101 identities',
				{ identity: Array.from({ length: 101 }, (_, i) => `i${i}`) },
				/Too many identities: 101 \(at most 100/,
			],
			[
				'101 guids',
				{ guid: Array.from({ length: 101 }, (_, i) => `g${i}`) },
				/Too many guids: 101/,
			],
			['a number identity', { identity: ['a', 5] }, /Invalid identity: 5/],
			['a null guid', { guid: [null] }, /Invalid guid: null/],
			['a blank identity', { identity: ['  '] }, /Invalid identity: " {2}"/],
		])('%s', async (_name, body, error) => {
			sim.addProfile({ identity: 'a' });
			const r = await del(sim, body);
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ status: 'fail', code: 400 });
			expect(r.json.error).toMatch(error);
			expect(sim.deleted.size).toBe(0);
			expect(sim.findProfile({ identity: 'a' })).toBeDefined();
		});

		test('rejectIdentities: 400 "Invalid identity: x" / "Invalid guid: x" for the whole request', async () => {
			sim.setRejectIdentities(['bad']);
			expect((await del(sim, { identity: ['ok', 'bad'] })).json).toEqual(
				fail(400, 'Invalid identity: bad'),
			);
			expect((await del(sim, { guid: ['ok', 'bad'] })).json).toEqual(
				fail(400, 'Invalid guid: bad'),
			);
			expect(sim.deleted.size).toBe(0);
			expect((await del(sim, { identity: ['ok'] })).status).toBe(200);
		});
	});

	test('authentication: 401 envelopes, nothing deleted', async () => {
		sim.addProfile({ identity: 'a' });
		const noAccount = await del(sim, { identity: ['a'] }, { 'Content-Type': 'application/json' });
		expect(noAccount.json).toEqual(fail(401, 'Account ID is not valid'));
		const wrong = await del(sim, { identity: ['a'] }, { ...GOOD, 'X-CleverTap-Passcode': 'x' });
		expect(wrong.json).toEqual(fail(401, 'Passcode is not valid'));
		expect(sim.findProfile({ identity: 'a' })).toBeDefined();
		// Another valid account is accepted (the store is one CleverTap, shared by the accounts).
		expect((await del(sim, { identity: ['a'] }, headersFor('OTHER', 'other'))).status).toBe(200);
	});

	test('the request record keeps the raw body and path', async () => {
		await del(sim, '{"guid":["o1"]}');
		expect(sim.requests[0]).toMatchObject({
			method: 'POST',
			path: DELETE,
			body: '{"guid":["o1"]}',
			json: { guid: ['o1'] },
			identities: ['o1'],
		});
	});
});
