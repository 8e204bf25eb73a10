import { campaignIdNumber, sendAtText } from '../../../nodes/CleverTap/helpers/campaigns';

/** What n8n hands a dateTime parameter in an expression: a Luxon DateTime (only toISO is read). */
const luxonLike = (iso: unknown) => ({ toISO: () => iso, toString: () => String(iso) });

describe('sendAtText: a send time as CleverTap takes it, YYYYMMDD HH:MM', () => {
	test.each([
		['an ISO text without seconds', '2026-12-24T09:30', '20261224 09:30'],
		['an ISO text with seconds and milliseconds', '2026-12-24T09:30:45.123', '20261224 09:30'],
		['a space instead of the T', '2026-12-24 09:30', '20261224 09:30'],
		['spaces around it', '  2026-12-24T09:30  ', '20261224 09:30'],
		// The time as written: CleverTap reads it in the account's time zone.
		['an offset, kept as written', '2026-12-24T09:30:00.000+05:30', '20261224 09:30'],
		['Z, kept as written', '2026-12-24T23:59:00Z', '20261224 23:59'],
		['midnight', '2027-01-01T00:00', '20270101 00:00'],
		['a leap day', '2028-02-29T08:05', '20280229 08:05'],
		['a date alone, at midnight', '2026-12-24', '20261224 00:00'],
	])('%s: %j → %j', (_name, value, expected) => {
		expect(sendAtText(value)).toBe(expected);
	});

	test('a Date is read in UTC, as n8n stores it', () => {
		expect(sendAtText(new Date(Date.UTC(2026, 11, 24, 9, 30)))).toBe('20261224 09:30');
	});

	test('a Luxon DateTime is read through toISO, its time as written', () => {
		expect(sendAtText(luxonLike('2026-12-24T09:30:00.000+01:00'))).toBe('20261224 09:30');
	});

	test.each([
		['empty text', ''],
		['words', 'tomorrow at nine'],
		['a day that does not exist', '2026-02-30T10:00'],
		['the 29th of February of a common year', '2027-02-29T10:00'],
		['month 13', '2026-13-01T10:00'],
		['month 0', '2026-00-10T10:00'],
		['hour 24', '2026-12-24T24:00'],
		['minute 60', '2026-12-24T09:60'],
		['a date the other way round', '24-12-2026 09:30'],
		['CleverTap’s own format already', '20261224 09:30'],
		['an invalid Date', new Date('not a date')],
		['a Luxon DateTime that is invalid (toISO gives null)', luxonLike(null)],
		['a number', 20261224],
		['null', null],
		['undefined', undefined],
		['an object without toISO', { date: '2026-12-24T09:30' }],
	])('%s is not a send time', (_name, value) => {
		expect(sendAtText(value)).toBeUndefined();
	});
});

describe('campaignIdNumber: a campaign ID as the integer CleverTap sends', () => {
	test.each([
		['text', '1457433898', 1457433898],
		['a number', 1457433898, 1457433898],
		['text with spaces', ' 1695721550 ', 1695721550],
		['the largest safe integer', '9007199254740991', 9007199254740991],
	])('%s: %j → %j', (_name, value, expected) => {
		expect(campaignIdNumber(value)).toBe(expected);
	});

	test.each([
		['empty text', ''],
		['spaces', '   '],
		['null', null],
		['undefined', undefined],
		['letters', 'abc'],
		['digits and letters', '145743a'],
		['a negative number', '-5'],
		['a decimal text', '1.5'],
		['a decimal number', 1.5],
		['an exponent', '1e9'],
		['a number beyond the safe integers', '9007199254740993'],
	])('%s is not a campaign ID', (_name, value) => {
		expect(campaignIdNumber(value)).toBeUndefined();
	});
});
