import {
	cleverTapDate,
	isProfileRecord,
	profileFields,
} from '../../../nodes/CleverTap/helpers/profiles';

describe('profileFields', () => {
	test('ID, identity, email and name first, then every field CleverTap sent', () => {
		expect(
			profileFields({
				identity: 'jane@x.com',
				email: 'jane@x.com',
				name: 'Jane',
				profileData: { Plan: 'gold' },
				platformInfo: [{ platform: 'Web', objectId: '__g1' }],
			}),
		).toEqual({
			objectId: '__g1',
			identity: 'jane@x.com',
			email: 'jane@x.com',
			name: 'Jane',
			profileData: { Plan: 'gold' },
			platformInfo: [{ platform: 'Web', objectId: '__g1' }],
		});
	});

	test("the record's own objectId wins; missing fields are null", () => {
		expect(profileFields({ objectId: '__own', platformInfo: [{ objectId: '__dev' }] })).toEqual({
			objectId: '__own',
			identity: null,
			email: null,
			name: null,
			platformInfo: [{ objectId: '__dev' }],
		});
		expect(profileFields({ platformInfo: 'odd' }).objectId).toBeNull();
	});

	test('the CleverTap ID comes from the first device that has one; odd entries are passed over', () => {
		expect(
			profileFields({ platformInfo: [null, 'web', 7, { platform: 'iOS' }, { objectId: '__g2' }] })
				.objectId,
		).toBe('__g2');
	});

	test('isProfileRecord', () => {
		expect([{}, { a: 1 }, [], null, 'x', undefined].map(isProfileRecord)).toEqual([
			true,
			true,
			false,
			false,
			false,
			false,
		]);
	});
});

describe('cleverTapDate (YYYYMMDD for event queries)', () => {
	test.each([
		['2026-11-28', 20261128],
		['2026-11-28T23:30:00', 20261128],
		['2026-11-28T23:30:00.000+05:30', 20261128],
		['2026-11-28 10:00', 20261128],
		['20261128', 20261128],
		[20261128, 20261128],
		[new Date(Date.UTC(2026, 10, 28, 12)), 20261128],
		['  2026-11-28\t', 20261128],
		['2026-02-30', undefined],
		['2026-13-01', undefined],
		['2026-00-15', undefined],
		['28/11/2026', undefined],
		['on 2026-11-28', undefined],
		['', undefined],
		[null, undefined],
		[new Date(Number.NaN), undefined],
	])('%j → %j', (value, expected) => {
		expect(cleverTapDate(value)).toBe(expected);
	});

	test('a Luxon DateTime, as n8n hands a date over, keeps its own calendar day', () => {
		expect(cleverTapDate({ toISODate: () => '2026-11-28' })).toBe(20261128);
		expect(cleverTapDate({ toISODate: () => null })).toBeUndefined();
	});
});
