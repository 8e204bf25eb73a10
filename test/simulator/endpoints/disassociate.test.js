'use strict';

const { startSimulator } = require('../index.js');
const {
	DISASSOCIATE,
	GOOD,
	headersFor,
	fail,
	disassociate,
	upload,
	getProfile,
	control,
	useSimulator,
} = require('../testkit');

const sim = useSimulator({ accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' } });

/** @param {string} value @param {string} [type] */
const phone = (value, type = 'phone') => ({ type, value });

describe('POST /1/disassociate', () => {
	test('a number used as an identity leaves its profile; the profile stays with the rest', async () => {
		const p = sim.addProfile({
			identities: ['client-1', '+919213231415'],
			email: 'jane@x.com',
			profileData: { Phone: '+919213231415' },
			events: [{ name: 'Charged', date: '2026-01-02' }],
		});
		const r = await disassociate(sim, { d: [phone('+919213231415')] });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ status: 'success', processed: 1, unprocessed: [] });
		expect(Object.keys(r.json)).toEqual(['status', 'processed', 'unprocessed']);
		// The number no longer finds the profile; everything else still does, and it kept the rest.
		expect(sim.findProfile({ identity: '+919213231415' })).toBeUndefined();
		expect(sim.findProfile({ identity: 'client-1' })).toBe(p);
		expect(sim.findProfile({ objectId: p.objectId })).toBe(p);
		expect(p.identities).toEqual(['client-1']);
		expect(p.profileData).toEqual({ Phone: '+919213231415' });
		expect(p.events).toHaveLength(1);
		expect(p.email).toBe('jane@x.com');
		expect([...sim.disassociated]).toEqual([['+919213231415', 1]]);
		expect(sim.requests[0]).toMatchObject({
			api: 'disassociate',
			identities: ['+919213231415'],
			processed: 1,
			unprocessed: [],
		});
		expect(sim.stats()).toMatchObject({
			requestsByApi: { disassociate: 1 },
			disassociated: 1,
			disassociateRecordsRefused: 0,
			identitiesDemerged: 0,
			identitiesDeleted: 0,
		});
		expect(sim.summary()).toMatch(
			/, 1 disassociate\).*; 1 phone numbers disassociated \(0 refused\)/,
		);
	});

	test('a profile whose only identity was the number stays, found by its objectId', async () => {
		const p = sim.addProfile({ identity: '+14155551234', name: 'Only' });
		expect((await disassociate(sim, { d: [phone('+14155551234')] })).json.status).toBe('success');
		expect(sim.findProfile({ objectId: p.objectId })).toMatchObject({
			identities: [],
			name: 'Only',
		});
		expect((await getProfile(sim, { identity: '+14155551234' })).json).toEqual({
			status: 'success',
			record: null,
		});
	});

	test('the number uploaded again afterwards makes a new profile (the doc: reassign a number)', async () => {
		const old = sim.addProfile({ identity: '+14155551234' });
		await disassociate(sim, { d: [phone('+14155551234')] });
		await upload(sim, {
			d: [{ type: 'profile', identity: '+14155551234', profileData: { Name: 'New owner' } }],
		});
		const now = sim.findProfile({ identity: '+14155551234' });
		expect(now).toBeDefined();
		expect(now).not.toBe(old);
		expect(now?.name).toBe('New owner');
	});

	test('refused per record, plain words, the record as sent: a Phone property only, unknown, malformed, not a phone', async () => {
		sim.addProfile({ identity: 'prop-only', profileData: { Phone: '+14155550000' } });
		sim.addProfile({ identity: '+14155551111' });
		const d = [
			phone('+14155550000'),
			phone('+14155559999'),
			phone('+14155551111'),
			phone('14155551111'),
			phone('+14155551111', 'email'),
			phone('+14155551111', 'whatsapp'),
			{ type: 'phone' },
			['+14155551111'],
			phone('+14155551111'),
		];
		const r = await disassociate(sim, { d });
		const refused = (
			/** @type {number} */ i,
			/** @type {number} */ code,
			/** @type {string} */ error,
		) => ({
			status: 'fail',
			code,
			error,
			record: d[i],
		});
		expect(r.json).toEqual({
			status: 'partial',
			processed: 1,
			unprocessed: [
				refused(0, 404, 'Phone number is not an identity of any profile: +14155550000'),
				refused(1, 404, 'Phone number is not an identity of any profile: +14155559999'),
				refused(
					3,
					516,
					'Phone number is not valid: 14155551111 (it must start with + and the country code, digits only)',
				),
				refused(4, 400, 'type must be "phone", got "email"'),
				refused(5, 400, 'type must be "phone", got "whatsapp"'),
				refused(6, 400, 'value is required: the phone number'),
				refused(7, 400, 'Record must be an object {"type": "phone", "value"}'),
				// The same number twice: the second finds no identity any more.
				refused(8, 404, 'Phone number is not an identity of any profile: +14155551111'),
			],
		});
		expect(sim.requests[0].unprocessed).toEqual([1, 2, 4, 5, 6, 7, 8, 9]);
		expect(sim.findProfile({ identity: 'prop-only' })?.profileData.Phone).toBe('+14155550000');
		expect([...sim.disassociated]).toEqual([['+14155551111', 1]]);
		expect(sim.stats()).toMatchObject({ disassociated: 1, disassociateRecordsRefused: 8 });
	});

	test('every record refused → "fail", processed 0, HTTP 200', async () => {
		const r = await disassociate(sim, { d: [phone('+919213231415'), phone('+919213231416')] });
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ status: 'fail', processed: 0 });
		expect(r.json.unprocessed).toHaveLength(2);
		expect(sim.disassociated.size).toBe(0);
	});

	test('demerge first: a number demerged (its effect applied) is no identity; one still waiting is', async () => {
		sim.addProfile({ identities: ['a', '+14155551234'] });
		sim.addProfile({ identities: ['b', '+14155555678'] });
		const demerge = (/** @type {string} */ id) =>
			fetch(`${sim.url}/1/demerge/profiles.json`, {
				method: 'POST',
				headers: GOOD,
				body: JSON.stringify({ identities: [id] }),
			});
		// Applied at once (no processing delay): refused.
		expect((await demerge('+14155555678')).status).toBe(200);
		expect((await disassociate(sim, { d: [phone('+14155555678')] })).json.unprocessed).toEqual([
			expect.objectContaining({ code: 404 }),
		]);
		// Still waiting for the delay: the number is still an identity, and is taken.
		sim.setProcessingDelay(60_000);
		expect((await demerge('+14155551234')).status).toBe(200);
		expect((await disassociate(sim, { d: [phone('+14155551234')] })).json.status).toBe('success');
		expect(sim.flushPending()).toBe(1);
		expect(sim.findProfile({ identity: 'a' })?.identities).toEqual(['a']);
	});

	test('1,000 records are taken; 1,001 are a 400 for the whole request, nothing taken', async () => {
		const numbers = Array.from({ length: 1001 }, (_, i) => `+1415${String(5000000 + i)}`);
		for (const n of numbers) sim.addProfile({ identity: n });
		const over = await disassociate(sim, { d: numbers.map((n) => phone(n)) });
		expect(over.status).toBe(400);
		expect(over.json).toEqual(fail(400, 'Too many records: 1001 (at most 1000 per request)'));
		expect(sim.disassociated.size).toBe(0);
		const r = await disassociate(sim, { d: numbers.slice(0, 1000).map((n) => phone(n)) });
		expect(r.json).toEqual({ status: 'success', processed: 1000, unprocessed: [] });
		expect(sim.stats().disassociated).toBe(1000);
	});

	describe('validation of the envelope → 400 naming the problem, nothing taken', () => {
		test.each([
			['empty body', '', /empty/],
			['malformed JSON', '{"d": [', /not valid JSON/],
			['a bare array', '[{"type":"phone"}]', /JSON object/],
			['no d', { phones: ['+14155551234'] }, /d must be an array/],
			['d empty', { d: [] }, /d must not be empty/],
		])('%s', async (_name, body, error) => {
			sim.addProfile({ identity: '+14155551234' });
			const r = await disassociate(sim, body);
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ status: 'fail', code: 400 });
			expect(r.json.error).toMatch(error);
			expect(sim.findProfile({ identity: '+14155551234' })).toBeDefined();
		});
	});

	test('authentication: 401 envelopes, nothing taken; another account shares the one store', async () => {
		sim.addProfile({ identity: '+14155551234' });
		const body = { d: [phone('+14155551234')] };
		const none = await disassociate(sim, body, { 'Content-Type': 'application/json' });
		expect(none.json).toEqual(fail(401, 'Account ID is not valid'));
		const wrong = await disassociate(sim, body, { ...GOOD, 'X-CleverTap-Passcode': 'x' });
		expect(wrong.json).toEqual(fail(401, 'Passcode is not valid'));
		expect(sim.findProfile({ identity: '+14155551234' })).toBeDefined();
		expect((await disassociate(sim, body, headersFor('OTHER', 'other'))).json.status).toBe(
			'success',
		);
	});

	test('GET only: 405 naming POST', async () => {
		const res = await fetch(sim.url + DISASSOCIATE, { headers: GOOD });
		expect(res.status).toBe(405);
		expect(res.headers.get('allow')).toBe('POST');
	});
});

test('control: GET /__simulator/disassociated', async () => {
	const s = await startSimulator({ control: true });
	try {
		s.addProfile({ identity: '+14155551234' });
		await disassociate(s, { d: [phone('+14155551234')] });
		expect(await control(s, 'GET', 'disassociated')).toEqual({
			status: 200,
			json: { '+14155551234': 1 },
		});
	} finally {
		await s.close();
	}
});
