import {
	MAX_IDENTITY_LENGTH,
	normaliseIdentifier,
	normaliseIdentities,
} from '../../../nodes/CleverTap/helpers/identities';

describe('normaliseIdentities', () => {
	test.each([
		['a plain string', 'jane@example.com', ['jane@example.com']],
		['a string with spaces around it', '  jane@example.com\t\n', ['jane@example.com']],
		['an integer', 919876543210, ['919876543210']],
		['zero', 0, ['0']],
		['a decimal', 12.5, ['12.5']],
		['a bigint', BigInt('12345678901234567890'), ['12345678901234567890']],
		['a list', ['a', 'b'], ['a', 'b']],
		['a list with numbers', ['a', 7], ['a', '7']],
		['a list with duplicates after trimming', ['a', ' a ', 'b', 'a'], ['a', 'b']],
		[
			'unicode, kept as given',
			['  Zoë@exämple.com ', '山田@例え.jp', '👩‍💻'],
			['Zoë@exämple.com', '山田@例え.jp', '👩‍💻'],
		],
		['inner spaces kept', 'first last', ['first last']],
		[
			'exactly the longest allowed',
			'x'.repeat(MAX_IDENTITY_LENGTH),
			['x'.repeat(MAX_IDENTITY_LENGTH)],
		],
		[
			'100 identities',
			Array.from({ length: 100 }, (_, i) => `id-${i}`),
			Array.from({ length: 100 }, (_, i) => `id-${i}`),
		],
		[
			'101 entries that are 100 distinct',
			[...Array.from({ length: 100 }, (_, i) => `id-${i}`), 'id-0'],
			Array.from({ length: 100 }, (_, i) => `id-${i}`),
		],
	])('accepts %s', (_name, input, expected) => {
		expect(normaliseIdentities(input)).toEqual({ ok: true, identities: expected });
	});

	test.each([
		['undefined', undefined, 'The identity is missing'],
		['null', null, 'The identity is null'],
		['an empty string', '', 'The identity is empty'],
		['whitespace', ' \t\n ', 'The identity is only whitespace'],
		['an object', { email: 'a@b.c' }, 'The identity is an object, not a string or number'],
		['a boolean', true, 'The identity is a boolean, not a string or number'],
		['NaN', Number.NaN, 'The identity is not a finite number (NaN)'],
		['Infinity', Number.POSITIVE_INFINITY, 'The identity is not a finite number (Infinity)'],
		[
			'a too long string',
			'x'.repeat(MAX_IDENTITY_LENGTH + 1),
			`The identity is ${MAX_IDENTITY_LENGTH + 1} characters long; the most is ${MAX_IDENTITY_LENGTH}`,
		],
		['an empty list', [], 'The list of identities is empty'],
		['a list with a blank', ['a', ' '], 'Identity 2 of the list is only whitespace'],
		['a list with null', ['a', null], 'Identity 2 of the list is null'],
		['a list with an object', [{}], 'Identity 1 of the list is an object, not a string or number'],
		[
			'a nested list',
			['a', ['b']],
			'Identity 2 of the list is a nested list; give a flat list of identities',
		],
		[
			'101 distinct identities',
			Array.from({ length: 101 }, (_, i) => `id-${i}`),
			"The item has 101 different identities; one item may have at most 100, since CleverTap takes at most 100 in one request and an item's identities are sent together",
		],
	])('rejects %s', (_name, input, reason) => {
		expect(normaliseIdentities(input)).toEqual({ ok: false, reason });
	});
});

describe('normaliseIdentifier', () => {
	test.each([
		['a string, trimmed', ' jane@example.com ', undefined, { ok: true, value: 'jane@example.com' }],
		[
			'empty, as "identity" by default',
			'',
			undefined,
			{ ok: false, reason: 'The identity is empty' },
		],
		['empty, in the given word', '', 'email', { ok: false, reason: 'The email is empty' }],
		[
			'a list, which takes one value only',
			['a', 'b'],
			'CleverTap ID',
			{ ok: false, reason: 'The CleverTap ID is a list, not a string or number' },
		],
	])('%s', (_name, value, noun, expected) => {
		expect(normaliseIdentifier(value, noun)).toEqual(expected);
	});
});
