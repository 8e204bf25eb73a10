'use strict';

const { startSimulator, SUBSCRIPTION_TYPES } = require('../index.js');
const {
	SUBSCRIBE,
	GOOD,
	headersFor,
	fail,
	subscribe,
	control,
	useSimulator,
} = require('../testkit');

const sim = useSimulator({ accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' } });

/** @param {string} type @param {string} value @param {string} [status] */
const rec = (type, value, status = 'Unsubscribe') => ({ type, value, status });

describe('POST /1/subscribe', () => {
	test('every record processed → "success": each address takes its state; counted in stats and the change log', async () => {
		const d = [
			rec('phone', '+919213231415'),
			rec('email', 'JaneDoe@abc.com', 'Resubscribe'),
			rec('whatsapp', '+919213231416'),
		];
		const r = await subscribe(sim, { d });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ status: 'success', processed: 3, unprocessed: [] });
		expect(Object.keys(r.json)).toEqual(['status', 'processed', 'unprocessed']);
		expect(sim.subscription('phone', '+919213231415')).toBe('unsubscribed');
		// An email in any case; WhatsApp and phone keep their own states.
		expect(sim.subscription('email', 'janedoe@ABC.com')).toBe('subscribed');
		expect(sim.subscription('whatsapp', '+919213231416')).toBe('unsubscribed');
		expect(sim.subscription('phone', '+919213231416')).toBeUndefined();
		expect(sim.subscription('whatsapp', '+919213231415')).toBeUndefined();
		expect(sim.subscriptionChanges).toEqual(
			d.map((x) => ({ seq: 1, accountId: 'TEST-ACCOUNT', ...x })),
		);
		expect(sim.requests[0]).toMatchObject({ api: 'subscribe', processed: 3, unprocessed: [] });
		expect(sim.stats()).toMatchObject({
			requestsByApi: { subscribe: 1 },
			subscribeRecords: 3,
			subscribeRecordsRefused: 0,
			peakConcurrencyByApi: { subscribe: 1 },
		});
		expect(sim.summary()).toMatch(/, 1 subscribe\).*; 3 subscription records \(0 refused\)/);
	});

	test('the state applies to every profile that shares the address, profiles made later too', async () => {
		// Two people on one number (a Phone property, and an identity), one more with another number.
		sim.addProfile({ identity: 'a', profileData: { Phone: '+14155551234' } });
		sim.addProfile({ identity: '+14155551234' });
		sim.addProfile({ identity: 'c', profileData: { Phone: '+14155550000' } });
		sim.addProfile({ identity: 'd', email: 'Shared@x.com' });
		await subscribe(sim, { d: [rec('phone', '+14155551234'), rec('email', 'shared@x.com')] });
		expect(sim.profileSubscriptions({ identity: 'a' })).toEqual([
			{ type: 'phone', value: '+14155551234', state: 'unsubscribed' },
		]);
		expect(sim.profileSubscriptions({ identity: '+14155551234' })).toEqual([
			{ type: 'phone', value: '+14155551234', state: 'unsubscribed' },
		]);
		expect(sim.profileSubscriptions({ identity: 'c' })).toEqual([]);
		expect(sim.profileSubscriptions({ email: 'shared@X.com' })).toEqual([
			{ type: 'email', value: 'shared@x.com', state: 'unsubscribed' },
		]);
		expect(sim.profileSubscriptions({ identity: 'nobody' })).toBeUndefined();
		// A profile that gets the number later shares its state; a number stored with separators too.
		sim.addProfile({ identity: 'late', profileData: { Phone: '+1 (415) 555-1234' } });
		expect(sim.profileSubscriptions({ identity: 'late' })).toEqual([
			{ type: 'phone', value: '+14155551234', state: 'unsubscribed' },
		]);
		expect(sim.subscriptions()).toEqual([
			{
				type: 'phone',
				value: '+14155551234',
				state: 'unsubscribed',
				unsubscribes: 1,
				resubscribes: 0,
				profiles: 3,
			},
			{
				type: 'email',
				value: 'shared@x.com',
				state: 'unsubscribed',
				unsubscribes: 1,
				resubscribes: 0,
				profiles: 1,
			},
		]);
		// Resubscribe: the same profiles, all subscribed again.
		await subscribe(sim, { d: [rec('phone', '+14155551234', 'Resubscribe')] });
		expect(sim.subscriptions({ type: 'phone' })).toEqual([
			{
				type: 'phone',
				value: '+14155551234',
				state: 'subscribed',
				unsubscribes: 1,
				resubscribes: 1,
				profiles: 3,
			},
		]);
		expect(sim.profileSubscriptions({ identity: 'a' })?.[0].state).toBe('subscribed');
	});

	test('a phone number also reaches its WhatsApp state; a profile shows each that is set', async () => {
		sim.addProfile({ identity: 'w', email: 'w@x.com', profileData: { Phone: 919213231415 } });
		await subscribe(sim, {
			d: [rec('whatsapp', '+919213231415'), rec('email', 'w@x.com', 'Resubscribe')],
		});
		expect(sim.profileSubscriptions({ identity: 'w' })).toEqual([
			{ type: 'email', value: 'w@x.com', state: 'subscribed' },
			{ type: 'whatsapp', value: '+919213231415', state: 'unsubscribed' },
		]);
	});

	test('repeats: the last record wins, every change is counted', async () => {
		await subscribe(sim, {
			d: [rec('email', 'a@x.com'), rec('email', 'A@X.com', 'Resubscribe'), rec('email', 'a@x.com')],
		});
		expect(sim.subscription('email', 'a@x.com')).toBe('unsubscribed');
		expect(sim.subscriptions()).toEqual([
			expect.objectContaining({ state: 'unsubscribed', unsubscribes: 2, resubscribes: 1 }),
		]);
		expect(sim.stats().subscribeRecords).toBe(3);
	});

	test('some refused → "partial": each refused record with its code, words and the record as sent', async () => {
		const d = [
			rec('email', 'ok@x.com'),
			rec('email', 'not-an-email'),
			rec('phone', '919213231415'),
			rec('phone', '+91 92132 31415'),
			rec('whatsapp', '+0123456789'),
			rec('sms', '+919213231415'),
			rec('Email', 'ok@x.com'),
			rec('phone', '+919213231415', 'unsubscribe'),
			rec('email', 'ok@x.com', 'UNSUBSCRIBE'),
			{ type: 'email', value: 'ok@x.com' },
			{ type: 'email', status: 'Unsubscribe' },
			'ok@x.com',
			rec('phone', '+919213231415', 'Resubscribe'),
		];
		const r = await subscribe(sim, { d });
		expect(r.status).toBe(200);
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
		const phoneWords = (/** @type {string} */ v) =>
			`Phone number is not valid: ${v} (it must start with + and the country code, digits only)`;
		expect(r.json).toEqual({
			status: 'partial',
			processed: 2,
			unprocessed: [
				refused(1, 515, 'Email is not valid: not-an-email'),
				refused(2, 516, phoneWords('919213231415')),
				refused(3, 516, phoneWords('+91 92132 31415')),
				refused(4, 516, phoneWords('+0123456789')),
				refused(5, 400, 'Unknown type: "sms" (email, phone or whatsapp)'),
				refused(6, 400, 'Unknown type: "Email" (email, phone or whatsapp)'),
				refused(7, 400, 'status must be "Unsubscribe" or "Resubscribe", got "unsubscribe"'),
				refused(8, 400, 'status must be "Unsubscribe" or "Resubscribe", got "UNSUBSCRIBE"'),
				refused(9, 400, 'status must be "Unsubscribe" or "Resubscribe", got undefined'),
				refused(10, 400, 'value is required: the email'),
				refused(11, 400, 'Record must be an object {"type", "value", "status"}'),
			],
		});
		// The words are plain: no "Skipped record number" (the shape is presumed from upload's).
		for (const entry of r.json.unprocessed) expect(entry.error).not.toMatch(/Skipped|ErrorCode/);
		expect(sim.requests[0].unprocessed).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
		expect(sim.subscription('email', 'ok@x.com')).toBe('unsubscribed');
		expect(sim.subscription('phone', '+919213231415')).toBe('subscribed');
		expect(sim.subscriptionChanges).toHaveLength(2);
		expect(sim.stats()).toMatchObject({ subscribeRecords: 2, subscribeRecordsRefused: 11 });
	});

	test('every record refused → "fail" with processed 0, HTTP 200; nothing set', async () => {
		const r = await subscribe(sim, { d: [rec('email', 'nope', 'unsubscribe')] });
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ status: 'fail', processed: 0 });
		expect(r.json.unprocessed).toHaveLength(1);
		expect(sim.subscriptions()).toEqual([]);
	});

	test('1,000 records are taken (an address no profile has too); 1,001 are a 400 for the whole request', async () => {
		const d = Array.from({ length: 1000 }, (_, i) => rec('email', `u${i}@x.com`));
		expect((await subscribe(sim, { d })).json).toEqual({
			status: 'success',
			processed: 1000,
			unprocessed: [],
		});
		expect(sim.subscriptions()).toHaveLength(1000);
		const over = await subscribe(sim, { d: [...d, rec('email', 'last@x.com')] });
		expect(over.status).toBe(400);
		expect(over.json).toEqual(fail(400, 'Too many records: 1001 (at most 1000 per request)'));
		expect(sim.subscription('email', 'last@x.com')).toBeUndefined();
		expect(sim.stats().subscribeRecords).toBe(1000);
	});

	describe('validation of the envelope → 400 naming the problem, nothing set', () => {
		test.each([
			['empty body', '', /empty/],
			['malformed JSON', '{"d": [', /not valid JSON/],
			['a bare array', '[{"type":"email"}]', /JSON object/],
			['no d', { records: [] }, /d must be an array/],
			['d an object', { d: rec('email', 'a@x.com') }, /d must be an array/],
			['d empty', { d: [] }, /d must not be empty/],
		])('%s', async (_name, body, error) => {
			const r = await subscribe(sim, body);
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ status: 'fail', code: 400 });
			expect(r.json.error).toMatch(error);
			expect(sim.subscriptions()).toEqual([]);
			expect(sim.requests[0].processed).toBeUndefined();
		});
	});

	test('authentication: 401 envelopes, nothing set; another account shares the one store', async () => {
		const body = { d: [rec('email', 'a@x.com')] };
		const none = await subscribe(sim, body, { 'Content-Type': 'application/json' });
		expect(none.json).toEqual(fail(401, 'Account ID is not valid'));
		const wrong = await subscribe(sim, body, { ...GOOD, 'X-CleverTap-Passcode': 'x' });
		expect(wrong.json).toEqual(fail(401, 'Passcode is not valid'));
		expect(sim.subscription('email', 'a@x.com')).toBeUndefined();
		expect((await subscribe(sim, body, headersFor('OTHER', 'other'))).status).toBe(200);
		expect(sim.subscriptionChanges[0]).toMatchObject({ accountId: 'OTHER' });
		expect(sim.subscription('email', 'a@x.com')).toBe('unsubscribed');
	});

	test('reset() clears the states and the change log; keepProfiles keeps the states', async () => {
		await subscribe(sim, { d: [rec('email', 'a@x.com')] });
		sim.reset({ keepProfiles: true });
		expect(sim.subscriptionChanges).toEqual([]);
		expect(sim.subscription('email', 'a@x.com')).toBe('unsubscribed');
		expect(sim.subscriptions()).toEqual([
			expect.objectContaining({ value: 'a@x.com', unsubscribes: 0, resubscribes: 0 }),
		]);
		sim.reset();
		expect(sim.subscription('email', 'a@x.com')).toBeUndefined();
	});

	test('GET only: 405 naming POST; the request record keeps the raw body', async () => {
		const res = await fetch(sim.url + SUBSCRIBE, { headers: GOOD });
		expect(res.status).toBe(405);
		expect(res.headers.get('allow')).toBe('POST');
		await subscribe(sim, '{"d":[{"type":"email","value":"a@x.com","status":"Unsubscribe"}]}');
		expect(sim.requests[1]).toMatchObject({ method: 'POST', path: SUBSCRIBE, api: 'subscribe' });
		expect(sim.requests[1].body).toBe(
			'{"d":[{"type":"email","value":"a@x.com","status":"Unsubscribe"}]}',
		);
	});

	test('SUBSCRIPTION_TYPES', () => {
		expect(SUBSCRIPTION_TYPES).toEqual(['email', 'phone', 'whatsapp']);
	});
});

test('control: GET /__simulator/subscription, subscriptions, subscription-changes, profile-subscriptions; option maxAddressRecords', async () => {
	const s = await startSimulator({ control: true, maxAddressRecords: 2 });
	try {
		s.addProfile({ identity: 'p', profileData: { Phone: '+14155551234' } });
		const three = [rec('phone', '+14155551234'), rec('email', 'a@x.com'), rec('email', 'b@x.com')];
		expect((await subscribe(s, { d: three })).json).toEqual(
			fail(400, 'Too many records: 3 (at most 2 per request)'),
		);
		await subscribe(s, { d: three.slice(0, 2) });
		const q = (/** @type {Record<string, string>} */ p) => new URLSearchParams(p).toString();
		expect(
			await control(s, 'GET', `subscription?${q({ type: 'phone', value: '+14155551234' })}`),
		).toEqual({ status: 200, json: { state: 'unsubscribed' } });
		expect(
			(await control(s, 'GET', `subscription?${q({ type: 'email', value: 'z@x.com' })}`)).json,
		).toEqual({ state: null });
		expect((await control(s, 'GET', 'subscription?type=email')).status).toBe(400);
		expect((await control(s, 'GET', 'subscriptions?type=phone')).json).toEqual([
			{
				type: 'phone',
				value: '+14155551234',
				state: 'unsubscribed',
				unsubscribes: 1,
				resubscribes: 0,
				profiles: 1,
			},
		]);
		expect((await control(s, 'GET', 'subscriptions')).json).toHaveLength(2);
		expect((await control(s, 'GET', 'subscription-changes')).json).toEqual([
			{ seq: 2, accountId: 'TEST-ACCOUNT', ...three[0] },
			{ seq: 2, accountId: 'TEST-ACCOUNT', ...three[1] },
		]);
		expect((await control(s, 'GET', 'profile-subscriptions?identity=p')).json).toEqual([
			{ type: 'phone', value: '+14155551234', state: 'unsubscribed' },
		]);
		expect((await control(s, 'GET', 'profile-subscriptions?identity=nobody')).status).toBe(404);
	} finally {
		await s.close();
	}
});
