'use strict';

// The profiles the simulator keeps, and how demerge, delete and their processing delay change them.

const { startSimulator } = require('./index.js');
const { demerge, del, getProfile, waitFor, useSimulator } = require('./testkit');

const sim = useSimulator();

describe('addProfile, findProfile, profiles', () => {
	test('indexes identity, email (any case) and objectId; generated objectIds sort in creation order', () => {
		const a = sim.addProfile({ identity: 'a', email: 'A@x.io', name: 'A' });
		const b = sim.addProfile({ identity: 42, identities: ['b2'] });
		const c = sim.addProfile({ objectId: 'custom-id' });
		expect(a).toMatchObject({
			identities: ['a'],
			email: 'A@x.io',
			name: 'A',
			profileData: {},
			events: [],
		});
		expect(b.identities).toEqual(['42', 'b2']);
		expect(a.objectId < b.objectId).toBe(true);
		expect(sim.findProfile({ identity: 'a' })).toBe(a);
		expect(sim.findProfile({ identity: 42 })).toBe(b);
		expect(sim.findProfile({ identity: 'b2' })).toBe(b);
		expect(sim.findProfile({ email: 'a@X.IO' })).toBe(a);
		expect(sim.findProfile({ objectId: 'custom-id' })).toBe(c);
		expect(sim.findProfile({ identity: 'nobody' })).toBeUndefined();
		expect([...sim.profiles.keys()]).toEqual([a.objectId, b.objectId, 'custom-id']);
	});

	test('events: date as YYYY-MM-DD, Date or epoch seconds, kept as ts and a UTC day', () => {
		const p = sim.addProfile({
			identity: 'e',
			events: [
				{ name: 'A', date: '2024-02-29', data: { x: 1 } },
				{ name: 'B', date: new Date('2024-03-01T23:30:00+01:00') },
				{ name: 'C', date: 1709337600 },
			],
		});
		expect(p.events).toEqual([
			{ name: 'A', ts: 1709164800, date: 20240229, data: { x: 1 } },
			{ name: 'B', ts: 1709332200, date: 20240301, data: {} },
			{ name: 'C', ts: 1709337600, date: 20240302, data: {} },
		]);
	});

	test.each([
		[
			'an identity that has a profile',
			() => sim.addProfile({ identities: ['dup'] }),
			{ identity: 'dup' },
			/already has a profile/,
		],
		[
			'an email that has a profile',
			() => sim.addProfile({ email: 'd@x.io' }),
			{ email: 'D@x.io' },
			/already has a profile/,
		],
		[
			'an objectId that has a profile',
			() => sim.addProfile({ objectId: 'o' }),
			{ objectId: 'o' },
			/already has a profile/,
		],
		['an empty identity', () => undefined, { identity: '' }, /must not be empty/],
		[
			'an event without a name',
			() => undefined,
			{ events: [{ date: '2024-01-01' }] },
			/needs a name/,
		],
		[
			'an impossible day',
			() => undefined,
			{ events: [{ name: 'E', date: '2024-02-30' }] },
			/YYYY-MM-DD/,
		],
		[
			'a day in another format',
			() => undefined,
			{ events: [{ name: 'E', date: '01/02/2024' }] },
			/YYYY-MM-DD/,
		],
	])('refuses %s', (_name, before, spec, error) => {
		before();
		const size = sim.profiles.size;
		expect(() => sim.addProfile(/** @type {any} */ (spec))).toThrow(error);
		expect(sim.profiles.size).toBe(size);
	});

	test('reset() clears the profiles; reset({ keepProfiles: true }) keeps them', () => {
		sim.addProfile({ identity: 'k' });
		sim.reset({ keepProfiles: true });
		expect(sim.findProfile({ identity: 'k' })).toBeDefined();
		sim.reset();
		expect(sim.profiles.size).toBe(0);
		expect(sim.addProfile({ identity: 'k' }).objectId).toBe('__sim000000000001');
	});

	test('option profiles: the store starts with them and gets them again on reset()', async () => {
		const s = await startSimulator({
			profiles: [{ identity: 'seed', events: [{ name: 'E', date: '2024-01-01' }] }],
		});
		try {
			expect(s.findProfile({ identity: 'seed' })?.events).toHaveLength(1);
			await del(s, { identity: ['seed'] });
			expect(s.findProfile({ identity: 'seed' })).toBeUndefined();
			s.reset();
			expect(s.findProfile({ identity: 'seed' })).toBeDefined();
		} finally {
			await s.close();
		}
	});
});

describe('demerge and delete change the store', () => {
	test('demerge detaches each identity; unknown identities are accepted and change nothing', async () => {
		const p = sim.addProfile({
			identities: ['main', 'shared@x.io', 'device-1'],
			email: 'main@x.io',
		});
		const r = await demerge(sim, { identities: ['shared@x.io', 'device-1', 'never-seen'] });
		expect(r.json).toEqual({ status: 'success' });
		expect(p.identities).toEqual(['main']);
		expect(sim.findProfile({ identity: 'shared@x.io' })).toBeUndefined();
		expect(sim.findProfile({ identity: 'device-1' })).toBeUndefined();
		expect(sim.findProfile({ identity: 'main' })).toBe(p);
		expect(sim.findProfile({ email: 'main@x.io' })).toBe(p);
		expect(sim.profiles.size).toBe(1);
		expect([...sim.demerged.keys()]).toEqual(['shared@x.io', 'device-1', 'never-seen']);
	});

	test('delete removes the profile; a second delete of it is accepted and changes nothing', async () => {
		sim.addProfile({ identity: 'gone' });
		await del(sim, { identity: ['gone'] });
		expect(sim.profiles.size).toBe(0);
		expect((await del(sim, { identity: ['gone'] })).json).toEqual({ status: 'success' });
		expect(sim.deleted.get('gone')).toBe(2);
	});
});

describe('processing delay: accepted at once, processed later', () => {
	test('flushPending() applies the waiting effects in order; pending() counts them', async () => {
		sim.setProcessingDelay(60_000);
		const p = sim.addProfile({ identities: ['x', 'y'] });
		sim.addProfile({ identity: 'z' });
		expect((await demerge(sim, { identities: ['y'] })).json).toEqual({ status: 'success' });
		expect((await del(sim, { identity: ['z'] })).json).toEqual({ status: 'success' });
		// Accepted and counted, not processed yet: Get still finds both.
		expect(sim.demerged.get('y')).toBe(1);
		expect(sim.deleted.get('z')).toBe(1);
		expect(sim.pending()).toBe(2);
		expect(sim.stats().pendingEffects).toBe(2);
		expect(sim.summary()).toMatch(/; 2 demerge\/delete effects waiting$/);
		expect((await getProfile(sim, { identity: 'y' })).json.record.platformInfo[0].objectId).toBe(
			p.objectId,
		);
		expect((await getProfile(sim, { identity: 'z' })).json.record).not.toBeNull();
		expect(sim.flushPending()).toBe(2);
		expect(sim.pending()).toBe(0);
		expect((await getProfile(sim, { identity: 'y' })).json.record).toBeNull();
		expect((await getProfile(sim, { identity: 'z' })).json.record).toBeNull();
		expect((await getProfile(sim, { identity: 'x' })).json.record.platformInfo[0].objectId).toBe(
			p.objectId,
		);
	});

	test('the effects apply by themselves once the delay has passed', async () => {
		const s = await startSimulator({ processingDelayMs: 40 });
		try {
			s.addProfile({ identities: ['a', 'b'] });
			const accepted = Date.now();
			await demerge(s, { identities: ['b'] });
			await waitFor(() => s.pending() === 0, 5000, 'the demerge to be processed');
			expect(Date.now() - accepted).toBeGreaterThanOrEqual(30);
			expect((await getProfile(s, { identity: 'b' })).json.record).toBeNull();
			expect(s.findProfile({ identity: 'a' })?.identities).toEqual(['a']);
		} finally {
			await s.close();
		}
	});

	test('reset() drops waiting effects and restores the delay; keepProfiles keeps both', async () => {
		sim.setProcessingDelay(60_000);
		sim.addProfile({ identity: 'w' });
		await del(sim, { identity: ['w'] });
		sim.reset({ keepProfiles: true });
		expect(sim.processingDelayMs).toBe(0);
		expect(sim.pending()).toBe(1);
		sim.flushPending();
		expect(sim.findProfile({ identity: 'w' })).toBeUndefined();
		sim.setProcessingDelay(60_000);
		sim.addProfile({ identity: 'w2' });
		await del(sim, { identity: ['w2'] });
		sim.reset();
		expect(sim.pending()).toBe(0);
		expect(() => sim.setProcessingDelay(-1)).toThrow(/processing delay/);
	});

	test('close() leaves no timer behind for waiting effects', async () => {
		const s = await startSimulator({ processingDelayMs: 60_000 });
		await demerge(s, { identities: ['a'] });
		expect(s.pending()).toBe(1);
		await s.close();
		expect(/** @type {any} */ (s)._pendingTimer).toBeUndefined();
	});
});
