/**
 * How the trigger checks a call is CleverTap's (Basic auth or a header, compared with the node's
 * credential), and which credentials are refused as too easy to guess. Headers are given as Node
 * gives them to n8n: names in lowercase.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	authProblem,
	BASIC_AUTH_CREDENTIAL,
	HEADER_AUTH_CREDENTIAL,
} from '../../../nodes/CleverTap/trigger/auth';
import { MIN_SECRET_LENGTH, secretProblem } from '../../../nodes/CleverTap/trigger/secret';
import { CleverTapWebhookBasicAuthApi } from '../../../credentials/CleverTapWebhookBasicAuthApi.credentials';
import { CleverTapWebhookHeaderAuthApi } from '../../../credentials/CleverTapWebhookHeaderAuthApi.credentials';

const basic = (userAndPassword: string) =>
	`Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}`;

const NEEDS_BASIC = 'This webhook needs a user name and password (Basic auth).';
const WRONG_BASIC = 'Wrong user name or password.';

describe('Basic auth', () => {
	const credential = { user: 'clevertap', password: 'correct horse battery' };

	test.each<[string, IDataObject, IDataObject, string | null]>([
		[
			'the right user and password',
			{ authorization: basic('clevertap:correct horse battery') },
			credential,
			null,
		],
		[
			'the scheme in any case',
			{ authorization: basic('clevertap:correct horse battery').replace('Basic', 'bASIC') },
			credential,
			null,
		],
		[
			'the header as a list (the first counts)',
			{ authorization: [basic('clevertap:correct horse battery'), 'Basic eA=='] },
			credential,
			null,
		],
		[
			'a password holding ":"',
			{ authorization: basic('clevertap:pa:ss:word-1234') },
			{ user: 'clevertap', password: 'pa:ss:word-1234' },
			null,
		],
		[
			'a user and password in other scripts',
			{ authorization: basic('ünïcödé:пароль-пароль-1') },
			{ user: 'ünïcödé', password: 'пароль-пароль-1' },
			null,
		],
		[
			'a wrong user',
			{ authorization: basic('clevertap2:correct horse battery') },
			credential,
			WRONG_BASIC,
		],
		[
			'a wrong password',
			{ authorization: basic('clevertap:correct horse batterY') },
			credential,
			WRONG_BASIC,
		],
		[
			'the password cut short',
			{ authorization: basic('clevertap:correct horse') },
			credential,
			WRONG_BASIC,
		],
		['no password', { authorization: basic('clevertap') }, credential, WRONG_BASIC],
		[
			'user and password swapped',
			{ authorization: basic('correct horse battery:clevertap') },
			credential,
			WRONG_BASIC,
		],
		['no header', {}, credential, NEEDS_BASIC],
		['an empty header', { authorization: '' }, credential, NEEDS_BASIC],
		[
			'another scheme',
			{ authorization: 'Bearer Y2xldmVydGFwOmNvcnJlY3Q=' },
			credential,
			NEEDS_BASIC,
		],
		['the scheme alone', { authorization: 'Basic' }, credential, NEEDS_BASIC],
		['the scheme and a space', { authorization: 'Basic ' }, credential, NEEDS_BASIC],
		[
			'two words after the scheme',
			{ authorization: 'Basic Y2xl dmVydGFw' },
			credential,
			NEEDS_BASIC,
		],
		[
			'the credentials without the scheme',
			{ authorization: 'Y2xldmVydGFwOmNvcnJlY3Q=' },
			credential,
			NEEDS_BASIC,
		],
		[
			'text that is not base64',
			{ authorization: 'Basic !!!not-base64!!!' },
			credential,
			WRONG_BASIC,
		],
	])('%s', (_case, headers, expected, problem) => {
		expect(authProblem('basicAuth', headers, expected)).toBe(problem);
	});

	test('an empty user or password in the credential never matches, not even an empty one', () => {
		expect(
			authProblem('basicAuth', { authorization: basic(':') }, { user: '', password: '' }),
		).toBe(WRONG_BASIC);
		expect(
			authProblem('basicAuth', { authorization: basic('u:') }, { user: 'u', password: '' }),
		).toBe(WRONG_BASIC);
		expect(
			authProblem(
				'basicAuth',
				{ authorization: basic(':long-enough-pw') },
				{ user: '', password: 'long-enough-pw' },
			),
		).toBe(WRONG_BASIC);
		expect(authProblem('basicAuth', { authorization: basic(':') }, {})).toBe(WRONG_BASIC);
		expect(authProblem('basicAuth', { authorization: basic('undefined:undefined') }, {})).toBe(
			WRONG_BASIC,
		);
	});

	test('the header is read by the lowercase name Node gives it', () => {
		const right = basic('clevertap:correct horse battery');
		expect(authProblem('basicAuth', { authorization: right }, credential)).toBeNull();
		// Node never hands on "Authorization"; a header by that name is not the one read.
		expect(authProblem('basicAuth', { Authorization: right }, credential)).toBe(NEEDS_BASIC);
	});
});

describe('Header auth', () => {
	const credential = { name: 'X-Webhook-Secret', value: 'a-long-shared-secret' };
	const NEEDS = 'This webhook needs the header "X-Webhook-Secret".';
	const WRONG = 'Wrong value in the header "X-Webhook-Secret".';

	test.each<[string, IDataObject, IDataObject, string | null]>([
		['the right header', { 'x-webhook-secret': 'a-long-shared-secret' }, credential, null],
		[
			'the credential naming the header in another case',
			{ 'x-webhook-secret': 'a-long-shared-secret' },
			{ ...credential, name: 'x-WEBHOOK-secret' },
			null,
		],
		[
			'the credential naming the header with spaces around',
			{ 'x-webhook-secret': 'a-long-shared-secret' },
			{ ...credential, name: '  X-Webhook-Secret ' },
			null,
		],
		[
			'the header as a list (the first counts)',
			{ 'x-webhook-secret': ['a-long-shared-secret', 'other'] },
			credential,
			null,
		],
		['a wrong value', { 'x-webhook-secret': 'a-long-shared-secreT' }, credential, WRONG],
		['the value cut short', { 'x-webhook-secret': 'a-long-shared' }, credential, WRONG],
		[
			'the value with more after it',
			{ 'x-webhook-secret': 'a-long-shared-secret2' },
			credential,
			WRONG,
		],
		['no header', {}, credential, NEEDS],
		[
			'another header holding the value',
			{ authorization: 'a-long-shared-secret' },
			credential,
			NEEDS,
		],
		['an empty header', { 'x-webhook-secret': '' }, credential, NEEDS],
	])('%s', (_case, headers, expected, problem) => {
		expect(authProblem('headerAuth', headers, expected)).toBe(problem);
	});

	test('the sentence names the header as the credential spells it, trimmed', () => {
		expect(
			authProblem('headerAuth', {}, { name: ' x-ct-token ', value: 'a-long-shared-secret' }),
		).toBe('This webhook needs the header "x-ct-token".');
	});

	test('an empty value in the credential never matches', () => {
		expect(
			authProblem('headerAuth', { 'x-webhook-secret': 'anything' }, { ...credential, value: '' }),
		).toBe(WRONG);
		expect(
			authProblem('headerAuth', { 'x-webhook-secret': 'undefined' }, { name: credential.name }),
		).toBe(WRONG);
	});

	test('the header is read by the lowercase name Node gives it', () => {
		expect(
			authProblem('headerAuth', { 'X-Webhook-Secret': 'a-long-shared-secret' }, credential),
		).toBe(NEEDS);
	});
});

test('no authentication: every call is let in', () => {
	expect(authProblem('none', {}, {})).toBeNull();
	expect(
		authProblem('none', { authorization: 'Basic eDp5' }, { user: 'a', password: 'b' }),
	).toBeNull();
});

describe('secretProblem: the credential test', () => {
	const SHORT_PASSWORD =
		'Use a password of at least 12 characters: anyone who guesses it can start this workflow.';
	const SHORT_VALUE =
		'Use a header value of at least 12 characters: anyone who guesses it can start this workflow.';

	test('12 characters at least', () => {
		expect(MIN_SECRET_LENGTH).toBe(12);
	});

	test.each<[string, string, IDataObject, string | null]>([
		[
			'basic: a user and a 12-character password',
			BASIC_AUTH_CREDENTIAL,
			{ user: 'clevertap', password: '123456789012' },
			null,
		],
		[
			'basic: an 11-character password',
			BASIC_AUTH_CREDENTIAL,
			{ user: 'clevertap', password: '12345678901' },
			SHORT_PASSWORD,
		],
		['basic: no password', BASIC_AUTH_CREDENTIAL, { user: 'clevertap' }, SHORT_PASSWORD],
		[
			'basic: no user',
			BASIC_AUTH_CREDENTIAL,
			{ password: 'a-long-password' },
			'Enter a user name.',
		],
		[
			'basic: a user of spaces',
			BASIC_AUTH_CREDENTIAL,
			{ user: '   ', password: 'a-long-password' },
			'Enter a user name.',
		],
		[
			'basic: no user and a short password',
			BASIC_AUTH_CREDENTIAL,
			{ user: '', password: 'x' },
			'Enter a user name.',
		],
		[
			'header: a name and a 12-character value',
			HEADER_AUTH_CREDENTIAL,
			{ name: 'X-Secret', value: '123456789012' },
			null,
		],
		[
			'header: an 11-character value',
			HEADER_AUTH_CREDENTIAL,
			{ name: 'X-Secret', value: '12345678901' },
			SHORT_VALUE,
		],
		['header: no value', HEADER_AUTH_CREDENTIAL, { name: 'X-Secret' }, SHORT_VALUE],
		[
			'header: no name',
			HEADER_AUTH_CREDENTIAL,
			{ value: 'a-long-header-value' },
			'Enter the header name.',
		],
		[
			'header: a name of spaces',
			HEADER_AUTH_CREDENTIAL,
			{ name: ' ', value: 'a-long-header-value' },
			'Enter the header name.',
		],
		['header: nothing', HEADER_AUTH_CREDENTIAL, {}, 'Enter the header name.'],
	])('%s', (_case, type, data, problem) => {
		expect(secretProblem(type, data)).toBe(problem);
	});

	test('the credential types are the ones the credential files define', () => {
		expect(new CleverTapWebhookBasicAuthApi().name).toBe(BASIC_AUTH_CREDENTIAL);
		expect(new CleverTapWebhookHeaderAuthApi().name).toBe(HEADER_AUTH_CREDENTIAL);
		expect(new CleverTapWebhookBasicAuthApi().properties.map((field) => field.name)).toEqual([
			'user',
			'password',
		]);
		expect(new CleverTapWebhookHeaderAuthApi().properties.map((field) => field.name)).toEqual([
			'name',
			'value',
		]);
	});
});
