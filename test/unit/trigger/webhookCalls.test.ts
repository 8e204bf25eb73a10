/**
 * Reading CleverTap's webhook calls, every documented form of them (test/fixtures/clevertap-webhooks),
 * into the trigger's items, and what is said about a call that cannot be read.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	callFingerprint,
	callItem,
	pick,
	profileItem,
	readCall,
	RETRY_WINDOW_MS,
	seenBefore,
	withIsoDates,
	type WebhookCall,
} from '../../../nodes/CleverTap/helpers/webhookCalls';
import {
	copy,
	fixture,
	fixtureFiles,
	fixtures,
	profilesOf,
	type WebhookFixture,
} from './webhookFixtures';

const FORMAT_HINT =
	'In CleverTap, choose JSON as the webhook\'s format with the body "Profile variables & custom key value pairs".';

function read(body: unknown): WebhookCall {
	const result = readCall(body);
	if ('problem' in result) throw new Error(`unexpected problem: ${result.problem}`);
	return result.call;
}

function problemOf(body: unknown): string {
	const result = readCall(body);
	if (!('problem' in result)) throw new Error(`read without a problem: ${JSON.stringify(result)}`);
	return result.problem;
}

describe('the fixtures', () => {
	test('one per form of call section 11 names, each named by its file', () => {
		expect(fixtures.map((entry) => entry.case)).toEqual([
			'broadcast-capitalised',
			'full-field-sample-lowercase',
			'non-broadcast-capitalised',
			'non-broadcast-lowercase-inferred',
			'snip-sample-push-token',
			'test-call-mixed-casing',
		]);
	});

	test.each(fixtures.map((entry) => [entry.case, entry] as const))(
		'%s names its source and expects one item per profile',
		(_name, entry) => {
			expect(entry.source.url).toMatch(/^https:\/\//);
			expect(entry.source.commit).toMatch(/^[0-9a-f]{40}$/);
			expect(entry.expected.items).toHaveLength(profilesOf(entry.body).length);
			expect(entry.expected.profileCount).toBe(profilesOf(entry.body).length);
			if (entry.inferred) expect(entry.note).toEqual(expect.any(String));
			// A repaired sample differs from its source text, and only the repaired one is JSON.
			if (entry.sourceText !== undefined) {
				expect(() => JSON.parse(entry.sourceText as string)).toThrow();
			}
		},
	);

	test('the forms differ as the documents say', () => {
		expect(Array.isArray(fixture('broadcast-capitalised').body.profiles)).toBe(true);
		expect(Array.isArray(fixture('non-broadcast-capitalised').body.profiles)).toBe(false);
		expect(Object.keys(profilesOf(fixture('broadcast-capitalised').body)[0])).toContain(
			'ProfileData',
		);
		expect(Object.keys(profilesOf(fixture('full-field-sample-lowercase').body)[0])).toContain(
			'profileData',
		);
		expect(Object.keys(profilesOf(fixture('test-call-mixed-casing').body)[0])).toEqual([
			'Identity',
			'Email',
			'push_token',
		]);
		expect(fixture('test-call-mixed-casing').body.is_test).toBe(true);
		expect(profilesOf(fixture('snip-sample-push-token').body)[0].push_token).toEqual(
			expect.any(String),
		);
	});
});

describe.each(fixtures.map((entry) => [entry.case, entry] as const))(
	'%s',
	(_name, entry: WebhookFixture) => {
		test('read as a call: test or not, campaign, profiles', () => {
			const call = read(entry.body);
			expect(call.isTest).toBe(entry.expected.isTest);
			expect(call.campaignId).toBe(entry.expected.campaignId);
			expect(call.profiles).toEqual(profilesOf(entry.body));
		});

		test('one item per profile, with its fields whatever their casing, and the profile untouched', () => {
			const body = copy(entry.body);
			const call = read(body);
			const items = call.profiles.map((profile) => profileItem(profile, call));
			expect(items).toEqual(
				entry.expected.items.map((expected, index) => ({
					...expected,
					campaignId: entry.expected.campaignId,
					isTest: entry.expected.isTest,
					raw: profilesOf(entry.body)[index],
				})),
			);
			// `raw` is the profile as sent: the same object, not changed (no ISO dates in it).
			items.forEach((item, index) => expect(item.raw).toBe(profilesOf(body)[index]));
			expect(body).toEqual(entry.body);
		});

		test('the same from the body as text', () => {
			const fromText = read(JSON.stringify(entry.body));
			const fromObject = read(entry.body);
			expect(fromText.profiles.map((profile) => profileItem(profile, fromText))).toEqual(
				fromObject.profiles.map((profile) => profileItem(profile, fromObject)),
			);
		});

		test('as one item: the campaign, key-values and every profile', () => {
			const call = read(entry.body);
			const item = callItem(call);
			expect(item).toEqual({
				campaignId: entry.expected.campaignId,
				keyValues: expect.any(Object),
				isTest: entry.expected.isTest,
				profileCount: entry.expected.profileCount,
				profiles: entry.expected.items.map((expected, index) => ({
					...expected,
					raw: profilesOf(entry.body)[index],
				})),
			});
			expect(item.keyValues).toEqual(withIsoDates(entry.body.key_values ?? {}));
		});
	},
);

describe('the fields an item has', () => {
	const call = (extra: IDataObject = {}): WebhookCall =>
		read({ targetId: 7, key_values: { shared: 'call', fromCall: 1 }, profiles: [{}], ...extra });

	test("key-values: the call's and the profile's, the profile's winning, dates made ISO", () => {
		const profile = {
			Key_Values: { shared: 'profile', when: '$D_1664890781' },
		};
		expect(profileItem(profile, call()).keyValues).toEqual({
			shared: 'profile',
			fromCall: 1,
			when: '2022-10-04T13:39:41.000Z',
		});
		// The call's key-values are left as they were.
		expect(call().keyValues).toEqual({ shared: 'call', fromCall: 1 });
	});

	test("a profile without key-values gets the call's; key-values that are not an object count as none", () => {
		expect(profileItem({}, call()).keyValues).toEqual({ shared: 'call', fromCall: 1 });
		expect(profileItem({ key_values: 'odd' }, call()).keyValues).toEqual({
			shared: 'call',
			fromCall: 1,
		});
		expect(read({ key_values: ['a'], profiles: [] }).keyValues).toEqual({});
		expect(read({ profiles: [] }).keyValues).toEqual({});
	});

	test('identity, email, phone and name as text; a number or true as text, an object or list as null', () => {
		const item = profileItem(
			{ IDENTITY: 18, e_mail: true, Phone: 917872483227, name: { first: 'Nick' }, objectid: ['x'] },
			call(),
		);
		expect(item).toMatchObject({
			identity: '18',
			email: 'true',
			phone: '917872483227',
			name: null,
			objectId: null,
		});
	});

	test('missing fields are null, missing profile data and event properties empty objects', () => {
		expect(profileItem({}, call())).toEqual({
			identity: null,
			email: null,
			objectId: null,
			phone: null,
			name: null,
			profileData: {},
			eventProperties: {},
			keyValues: { shared: 'call', fromCall: 1 },
			campaignId: 7,
			isTest: false,
			raw: {},
		});
		expect(profileItem({ profileData: 'x', event_properties: [1] }, call())).toMatchObject({
			profileData: {},
			eventProperties: {},
		});
	});

	test('is_test true or "true" marks a test call; anything else does not', () => {
		expect(read({ is_test: true, profiles: [] }).isTest).toBe(true);
		expect(read({ Is_Test: 'true', profiles: [] }).isTest).toBe(true);
		expect(read({ is_test: false, profiles: [] }).isTest).toBe(false);
		expect(read({ is_test: 1, profiles: [] }).isTest).toBe(false);
		expect(read({ profiles: [] }).isTest).toBe(false);
	});

	test('the campaign is targetId, a number or text; anything else is null', () => {
		expect(read({ targetId: 1659684581, profiles: [] }).campaignId).toBe(1659684581);
		expect(read({ TargetID: '1659684581', profiles: [] }).campaignId).toBe('1659684581');
		expect(read({ target_id: { id: 1 }, profiles: [] }).campaignId).toBeNull();
		expect(read({ profiles: [] }).campaignId).toBeNull();
	});

	test('an empty list of profiles is a call with no profiles, not a problem', () => {
		expect(read({ targetId: 1, profiles: [] }).profiles).toEqual([]);
		expect(callItem(read({ targetId: 1, profiles: [] }))).toMatchObject({
			profileCount: 0,
			profiles: [],
		});
	});

	test('one item for the whole call holds no campaign or test flag per profile', () => {
		const item = callItem(call({ is_test: true }));
		expect(item).toMatchObject({ campaignId: 7, isTest: true, profileCount: 1 });
		const [profile] = item.profiles as IDataObject[];
		expect(profile).not.toHaveProperty('campaignId');
		expect(profile).not.toHaveProperty('isTest');
		expect(profile).toHaveProperty('raw', {});
	});
});

describe('pick', () => {
	test.each([
		['ProfileData', 'profileData'],
		['profileData', 'profileData'],
		['profile_data', 'profileData'],
		['PROFILEDATA', 'profileData'],
		['Event_properties', 'event_properties'],
		['eventProperties', 'event_properties'],
		['ObjectId', 'objectId'],
		['Push_token', 'push_token'],
	])('finds %s when asked for %s', (key, name) => {
		expect(pick({ [key]: 'found' }, name)).toBe('found');
	});

	test('the first spelling found wins; an undefined value is passed over; nothing found is undefined', () => {
		expect(pick({ Identity: 'first', identity: 'second' }, 'identity')).toBe('first');
		expect(pick({ Identity: undefined, identity: 'second' }, 'identity')).toBe('second');
		expect(pick({ Identity: null, identity: 'second' }, 'identity')).toBeNull();
		expect(pick({ identities: 'x' }, 'identity')).toBeUndefined();
	});
});

describe('a call that cannot be read is refused with a plain sentence', () => {
	test.each<[string, unknown, string]>([
		[
			'text that is not JSON',
			'profiles=1&targetId=2',
			`The call's body is not JSON. ${FORMAT_HINT}`,
		],
		['empty text', '', `The call's body is not JSON. ${FORMAT_HINT}`],
		[
			'a JSON list as text',
			'[{"identity":"a"}]',
			`The call's body must be a JSON object with "profiles", but it is a list. ${FORMAT_HINT}`,
		],
		[
			'a JSON list',
			[{ identity: 'a' }],
			`The call's body must be a JSON object with "profiles", but it is a list. ${FORMAT_HINT}`,
		],
		[
			'a JSON number',
			42,
			`The call's body must be a JSON object with "profiles", but it is a number. ${FORMAT_HINT}`,
		],
		[
			'a JSON number as text',
			'42',
			`The call's body must be a JSON object with "profiles", but it is a number. ${FORMAT_HINT}`,
		],
		[
			'JSON text as text',
			'"hello"',
			`The call's body must be a JSON object with "profiles", but it is a text. ${FORMAT_HINT}`,
		],
		[
			'null',
			null,
			`The call's body must be a JSON object with "profiles", but it is empty (null). ${FORMAT_HINT}`,
		],
		['no profiles', { targetId: 1, key_values: {} }, `The call has no "profiles". ${FORMAT_HINT}`],
		['an empty object', {}, `The call has no "profiles". ${FORMAT_HINT}`],
		[
			'a profile in a list that is not an object',
			{ profiles: [{ identity: 'a' }, 'b', { identity: 'c' }] },
			"Profile 2 of 3 is not an object with a person's fields: it is a text.",
		],
		[
			'a list inside the list of profiles',
			{ profiles: [[{ identity: 'a' }]] },
			"Profile 1 of 1 is not an object with a person's fields: it is a list.",
		],
		[
			'a null profile in a list',
			{ profiles: [{ identity: 'a' }, null] },
			"Profile 2 of 2 is not an object with a person's fields: it is empty (null).",
		],
		[
			'a single profile that is not an object',
			{ profiles: 'jack@gmail.com' },
			'"profiles" is not an object with a person\'s fields: it is a text.',
		],
		[
			'a single profile that is a number',
			{ Profiles: 5 },
			'"profiles" is not an object with a person\'s fields: it is a number.',
		],
		[
			'a single profile that is true',
			{ profiles: true },
			'"profiles" is not an object with a person\'s fields: it is a boolean.',
		],
		[
			'a null profile',
			{ profiles: null },
			'"profiles" is not an object with a person\'s fields: it is empty (null).',
		],
	])('%s', (_kind, body, problem) => {
		expect(problemOf(body)).toBe(problem);
		// A sentence a person reads: a capital first, a full stop last, no code words.
		expect(problem).toMatch(/^[A-Z"].*\.$/);
		expect(problem).not.toMatch(/undefined|object Object|SyntaxError|JSON\.parse/);
	});
});

describe('withIsoDates', () => {
	test('$D_ and epoch seconds become an ISO date', () => {
		expect(withIsoDates('$D_1664890781')).toBe('2022-10-04T13:39:41.000Z');
		expect(withIsoDates('$D_0')).toBe('1970-01-01T00:00:00.000Z');
	});

	test('13 digits are milliseconds', () => {
		expect(withIsoDates('$D_1664890781123')).toBe('2022-10-04T13:39:41.123Z');
	});

	test('dates inside lists and objects, at any depth; the input is not changed', () => {
		const value = {
			date: '$D_1664890781',
			list: ['$D_1664890781', 'x', 3, { deeper: ['$D_1664890781123'] }],
			number: 1586937505801,
			none: null,
			yes: true,
		};
		const before = copy(value);
		expect(withIsoDates(value)).toEqual({
			date: '2022-10-04T13:39:41.000Z',
			list: ['2022-10-04T13:39:41.000Z', 'x', 3, { deeper: ['2022-10-04T13:39:41.123Z'] }],
			number: 1586937505801,
			none: null,
			yes: true,
		});
		expect(value).toEqual(before);
	});

	test.each([
		'1664890781',
		'D_1664890781',
		'$D_',
		'$D_abc',
		'$d_1664890781',
		'$D_1664890781 ',
		' $D_1664890781',
		'on $D_1664890781',
		'$D_-1664890781',
		'$D_1664890781.5',
		// More digits than a date has, and a 16-digit number of milliseconds past the last date.
		'$D_16648907810000000',
		'$D_9999999999999999',
	])('%j is left as it is', (text) => {
		expect(withIsoDates(text)).toBe(text);
	});

	test('numbers, true, null and undefined are left as they are', () => {
		expect(withIsoDates(1664890781)).toBe(1664890781);
		expect(withIsoDates(true)).toBe(true);
		expect(withIsoDates(null)).toBeNull();
		expect(withIsoDates(undefined)).toBeUndefined();
	});
});

describe('callFingerprint', () => {
	test('identical bodies, sent as separate objects or as the same text, have one fingerprint', () => {
		const body = fixture('broadcast-capitalised').body;
		expect(callFingerprint(copy(body))).toBe(callFingerprint(copy(body)));
		expect(callFingerprint(JSON.stringify(body))).toBe(callFingerprint(JSON.stringify(body)));
	});

	test('any change makes another fingerprint', () => {
		const body = fixture('broadcast-capitalised').body;
		const changed = copy(body);
		(profilesOf(changed)[1].Event_properties as IDataObject).Rating = 3;
		const fingerprints = new Set([
			callFingerprint(body),
			callFingerprint(changed),
			callFingerprint({ ...body, targetId: 1472124954 }),
			callFingerprint(fixture('non-broadcast-capitalised').body),
			callFingerprint('{"profiles":[]}'),
			callFingerprint('{"profiles": []}'),
			callFingerprint(undefined),
		]);
		expect(fingerprints.size).toBe(7);
	});

	test('a short text, the same length whatever the body', () => {
		const fingerprint = callFingerprint(fixture('full-field-sample-lowercase').body);
		expect(fingerprint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
		expect(callFingerprint('x')).toHaveLength(fingerprint.length);
	});
});

describe('seenBefore', () => {
	const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

	test('the window is 10 minutes', () => {
		expect(RETRY_WINDOW_MS).toBe(600_000);
	});

	test('a new call is remembered, with when it came', () => {
		const seen: IDataObject = {};
		expect(seenBefore(seen, 'a', T0)).toBe(false);
		expect(seen).toEqual({ a: T0 });
	});

	test('the same call within 10 minutes is seen; its time stays that of the first', () => {
		const seen: IDataObject = {};
		seenBefore(seen, 'a', T0);
		expect(seenBefore(seen, 'a', T0 + 1)).toBe(true);
		expect(seenBefore(seen, 'a', T0 + RETRY_WINDOW_MS - 1)).toBe(true);
		expect(seen).toEqual({ a: T0 });
		expect(seenBefore(seen, 'b', T0 + 5)).toBe(false);
	});

	test('at 10 minutes and after it is forgotten, and remembered anew', () => {
		const atWindow: IDataObject = {};
		seenBefore(atWindow, 'a', T0);
		expect(seenBefore(atWindow, 'a', T0 + RETRY_WINDOW_MS)).toBe(false);
		expect(atWindow).toEqual({ a: T0 + RETRY_WINDOW_MS });

		const later: IDataObject = {};
		seenBefore(later, 'a', T0);
		expect(seenBefore(later, 'a', T0 + 3 * RETRY_WINDOW_MS)).toBe(false);
		expect(later).toEqual({ a: T0 + 3 * RETRY_WINDOW_MS });
	});

	test('calls older than the window, and entries that are not times, are pruned on every call', () => {
		const seen: IDataObject = {
			old: T0 - RETRY_WINDOW_MS,
			recent: T0 - RETRY_WINDOW_MS + 1,
			odd: 'yesterday',
			empty: null,
		};
		expect(seenBefore(seen, 'new', T0)).toBe(false);
		expect(seen).toEqual({ recent: T0 - RETRY_WINDOW_MS + 1, new: T0 });
		// A call that is seen prunes too.
		expect(seenBefore(seen, 'new', T0 + 2)).toBe(true);
		expect(seen).toEqual({ new: T0 });
	});

	test('at most 1000 calls are remembered: the newest, the oldest go first', () => {
		const seen: IDataObject = {};
		for (let i = 0; i < 1000; i++) expect(seenBefore(seen, `call-${i}`, T0 + i)).toBe(false);
		expect(Object.keys(seen)).toHaveLength(1000);

		expect(seenBefore(seen, 'call-1000', T0 + 1000)).toBe(false);
		const kept = Object.keys(seen);
		expect(kept).toHaveLength(1000);
		expect(kept[0]).toBe('call-1');
		expect(kept[999]).toBe('call-1000');
		expect(seen).not.toHaveProperty('call-0');

		// The one let go is no longer known; the rest are.
		expect(seenBefore(seen, 'call-500', T0 + 1001)).toBe(true);
		expect(seenBefore(seen, 'call-0', T0 + 1002)).toBe(false);
		expect(seen).not.toHaveProperty('call-1');
		expect(Object.keys(seen)).toHaveLength(1000);
	});

	test('more than 1000 already remembered (an older version) are cut to the newest 1000', () => {
		const seen: IDataObject = {};
		for (let i = 0; i < 1500; i++) seen[`call-${i}`] = T0 + i;
		expect(seenBefore(seen, 'another', T0 + 1500)).toBe(false);
		const kept = Object.keys(seen);
		expect(kept).toHaveLength(1000);
		expect(kept[0]).toBe('call-501');
		expect(kept[999]).toBe('another');
	});
});

test('the fixtures folder holds the README and one file per case, named by its case', () => {
	expect(fixtureFiles).toEqual(
		['README.md', ...fixtures.map((entry) => `${entry.case}.json`)].sort(),
	);
});
