import {
	buildEventRecord,
	buildProfileRecord,
	cleverTapDateValue,
	type RecordInput,
} from '../../../nodes/CleverTap/helpers/records';

const profile = (properties: Record<string, unknown>, extra: Partial<RecordInput> = {}) =>
	buildProfileRecord({
		identifierType: 'identity',
		identifier: 'jane@x.com',
		properties,
		...extra,
	});
const event = (properties: Record<string, unknown>, extra: Partial<RecordInput> = {}) =>
	buildEventRecord({
		identifierType: 'identity',
		identifier: 'jane@x.com',
		properties,
		eventName: 'Order Placed',
		...extra,
	});

describe('buildProfileRecord', () => {
	test('a profile record in the shape CleverTap takes, standard properties brought to its form', () => {
		expect(
			profile(
				{
					Name: 'Jane Doe',
					Email: 'jane@x.com',
					Phone: '+1 (415) 555-1234',
					DOB: '1990-04-21',
					'MSG-email': 'false',
					'MSG-push': true,
					Plan: 'gold',
					Visits: 12,
				},
				{ ts: 1_700_000_000 },
			),
		).toEqual({
			ok: true,
			record: {
				type: 'profile',
				identity: 'jane@x.com',
				ts: 1_700_000_000,
				profileData: {
					Name: 'Jane Doe',
					Email: 'jane@x.com',
					Phone: '+14155551234',
					DOB: '$D_640656000',
					'MSG-email': false,
					'MSG-push': true,
					Plan: 'gold',
					Visits: 12,
				},
			},
		});
	});

	test('by CleverTap ID, and a number as identifier', () => {
		expect(
			profile({ Identity: 'jane@x.com' }, { identifierType: 'objectId', identifier: '__g1' }),
		).toEqual({
			ok: true,
			record: { type: 'profile', objectId: '__g1', profileData: { Identity: 'jane@x.com' } },
		});
		expect(profile({ Plan: 'x' }, { identifier: 919876543210 })).toMatchObject({
			ok: true,
			record: { identity: '919876543210' },
		});
	});

	const tooLongName = 'n'.repeat(121);
	test.each([
		['identifier missing', {}, { identifier: undefined }, 'The identity is missing'],
		['identifier empty', {}, { identifier: '  ' }, 'The identity is empty'],
		[
			'identifier an object',
			{},
			{ identifier: { a: 1 } },
			'The identity is an object, not text or a number',
		],
		[
			'identifier over 120 characters',
			{},
			{ identifier: 'i'.repeat(121) },
			'The identity is 121 characters long; CleverTap takes at most 120',
		],
		[
			'CleverTap ID over 120 characters',
			{},
			{ identifierType: 'objectId' as const, identifier: 'g'.repeat(121) },
			'The CleverTap ID is 121 characters long; CleverTap takes at most 120',
		],
		['nothing to update', {}, {}, 'There is nothing to update: add at least one property'],
		[
			'a property name over 120 bytes',
			{ [tooLongName]: 1 },
			{},
			`The property name "${tooLongName.slice(0, 40)}…" is 121 bytes long; CleverTap takes at most 120`,
		],
		[
			'a value over 512 bytes (multi-byte text counts bytes)',
			{ Bio: 'é'.repeat(257) },
			{},
			'The value of "Bio" is 514 bytes long; CleverTap takes at most 512',
		],
		[
			'a value that is an object',
			{ Address: { city: 'X' } },
			{},
			'The property "Address" is an object; CleverTap takes text, numbers and true/false',
		],
		['a property without a name', { ' ': 'x' }, {}, 'A property has no name'],
		[
			'a phone without the country code',
			{ Phone: '4155551234' },
			{},
			'The phone number "4155551234" must start with + and the country code, such as +14155551234',
		],
		[
			'a DOB that is no date',
			{ DOB: 'soon' },
			{},
			'DOB "soon" is not a date; give it as 1990-04-21',
		],
		[
			'a subscription that is not true/false',
			{ 'MSG-sms': 'yes' },
			{},
			'The property "MSG-sms" must be true or false, not "yes"',
		],
		['identifier null', {}, { identifier: null }, 'The identity is missing'],
		[
			'identifier a list',
			{},
			{ identifier: ['jane@x.com'] },
			'The identity is a list, not text or a number',
		],
		[
			'identifier true/false',
			{},
			{ identifier: true },
			'The identity is a boolean, not text or a number',
		],
		[
			'a value that is a list',
			{ Tags: ['a', 'b'] },
			{},
			'The property "Tags" is a list; CleverTap takes text, numbers and true/false',
		],
		[
			'a value that is NaN',
			{ Score: Number.NaN },
			{},
			'The property "Score" is not a finite number (NaN)',
		],
		[
			'a value that is Infinity',
			{ Score: Number.POSITIVE_INFINITY },
			{},
			'The property "Score" is not a finite number (Infinity)',
		],
		[
			'a phone with something before the +',
			{ Phone: 'tel+14155551234' },
			{},
			'The phone number "tel+14155551234" must start with + and the country code, such as +14155551234',
		],
		[
			'a phone with something after the number',
			{ Phone: '+14155551234 ext 5' },
			{},
			'The phone number "+14155551234 ext 5" must start with + and the country code, such as +14155551234',
		],
		[
			'257 custom properties',
			Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`p${i}`, i])),
			{},
			'The item has 257 custom properties; CleverTap takes at most 256',
		],
	])('%s', (_name, properties, extra, reason) => {
		expect(profile(properties, extra as Partial<RecordInput>)).toEqual({ ok: false, reason });
	});

	test('empty values are left out, not sent and not refused', () => {
		expect(profile({ Name: 'Jane', Phone: undefined, Plan: null, Note: '' })).toEqual({
			ok: true,
			record: { type: 'profile', identity: 'jane@x.com', profileData: { Name: 'Jane' } },
		});
		expect(profile({ Phone: '' })).toEqual({
			ok: false,
			reason: 'There is nothing to update: add at least one property',
		});
	});

	test('256 custom properties besides the standard ones are fine', () => {
		const properties = {
			...Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`p${i}`, i])),
			Name: 'Jane',
			Email: 'jane@x.com',
		};
		expect(profile(properties).ok).toBe(true);
	});

	test('exactly 512 bytes and 120 characters are fine', () => {
		expect(profile({ Bio: 'b'.repeat(512) }, { identifier: 'i'.repeat(120) }).ok).toBe(true);
	});

	test('a property name of exactly 120 bytes is fine', () => {
		const name = 'n'.repeat(120);
		expect(profile({ [name]: 1 })).toMatchObject({
			ok: true,
			record: { profileData: { [name]: 1 } },
		});
	});

	test('empty values leave no key behind, and do not count as custom properties', () => {
		const built = profile({
			...Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`p${i}`, i])),
			Plan: null,
		});
		expect(built.ok).toBe(true);
		expect(built.ok && Object.keys(built.record.profileData ?? {})).not.toContain('Plan');
	});

	test('a subscription answer is read whatever its case and spaces', () => {
		expect(profile({ 'MSG-email': 'true', 'MSG-sms': ' FALSE ', 'MSG-push': ' True' })).toEqual({
			ok: true,
			record: {
				type: 'profile',
				identity: 'jane@x.com',
				profileData: { 'MSG-email': true, 'MSG-sms': false, 'MSG-push': true },
			},
		});
	});

	test('a date property (a Luxon DateTime from n8n) is sent as a CleverTap date', () => {
		expect(profile({ Signup: { toMillis: () => 946_684_800_000 } })).toEqual({
			ok: true,
			record: { type: 'profile', identity: 'jane@x.com', profileData: { Signup: '$D_946684800' } },
		});
	});
});

describe('buildEventRecord', () => {
	test('an event record with its data', () => {
		expect(event({ Amount: 49.5, Currency: 'EUR' }, { ts: 1_700_000_000 })).toEqual({
			ok: true,
			record: {
				type: 'event',
				identity: 'jane@x.com',
				ts: 1_700_000_000,
				evtName: 'Order Placed',
				evtData: { Amount: 49.5, Currency: 'EUR' },
			},
		});
	});

	test('an event needs a name, not data', () => {
		expect(event({}, { eventName: ' ' })).toEqual({ ok: false, reason: 'The event name is empty' });
		expect(event({})).toMatchObject({ ok: true, record: { evtData: {} } });
	});

	test('an event name that is not text is empty', () => {
		expect(event({}, { eventName: 42 })).toEqual({ ok: false, reason: 'The event name is empty' });
		expect(event({}, { eventName: undefined })).toEqual({
			ok: false,
			reason: 'The event name is empty',
		});
	});

	test('in an event, Phone, DOB and subscriptions are properties like any other', () => {
		expect(event({ Phone: 'call me' })).toMatchObject({ ok: true });
		expect(event({ DOB: 'soon', 'MSG-sms': 'yes' })).toMatchObject({
			ok: true,
			record: { evtData: { DOB: 'soon', 'MSG-sms': 'yes' } },
		});
	});

	test("in an event every property counts as custom, CleverTap's profile names too", () => {
		const properties = {
			...Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`p${i}`, i])),
			Name: 'Jane',
		};
		expect(event(properties)).toEqual({
			ok: false,
			reason: 'The item has 257 custom properties; CleverTap takes at most 256',
		});
	});
});

describe('cleverTapDateValue', () => {
	test.each([
		['1990-04-21', '$D_640656000'],
		['1990-04-21T12:00:00Z', '$D_640699200'],
		['$D_123', '$D_123'],
		[new Date(Date.UTC(2000, 0, 1)), '$D_946684800'],
		['21/04/1990', undefined],
		[' $D_123 ', '$D_123'],
		['x$D_123', undefined],
		['$D_123x', undefined],
		[' 1990-04-21 ', '$D_640656000'],
		[' 1990-04-21T12:00:00Z ', '$D_640699200'],
		['on 1990-04-21', undefined],
		['1990-04-2', undefined],
		['', undefined],
		[42, undefined],
	])('%j → %j', (value, expected) => {
		expect(cleverTapDateValue(value)).toBe(expected);
	});

	test('a Luxon-like DateTime (what n8n hands over for a date)', () => {
		expect(cleverTapDateValue({ toMillis: () => 946_684_800_000 })).toBe('$D_946684800');
	});
});
