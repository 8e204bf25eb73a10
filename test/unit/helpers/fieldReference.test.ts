import {
	isUndecided,
	parseJsonFieldReference,
	readJsonPath,
} from '../../../nodes/CleverTap/helpers/fieldReference';

describe('parseJsonFieldReference', () => {
	test.each([
		['={{ $json.email }}', ['email']],
		['={{$json.email}}', ['email']],
		['=  {{  $json.contact.email  }}  ', ['contact', 'email']],
		['={{ $json["e-mail"] }}', ['e-mail']],
		["={{ $json['e mail'].primary }}", ['e mail', 'primary']],
		['={{ $json._id }}', ['_id']],
		["={{ $json[ 'e-mail' ] }}", ['e-mail']],
		['={{ $json .contact .email }}', ['contact', 'email']],
	])('%s reads %j', (parameter, path) => {
		expect(parseJsonFieldReference(parameter)).toEqual(path);
	});

	test.each([
		['a literal', 'jane@example.com'],
		['not a string', 42],
		['the whole item', '={{ $json }}'],
		['a method call', '={{ $json.email.toLowerCase() }}'],
		['another node', "={{ $('CRM').item.json.email }}"],
		['text around the expression', '=id-{{ $json.id }}'],
		['two expressions', '={{ $json.a }}{{ $json.b }}'],
		['an operator', '={{ $json.a || $json.b }}'],
		['an index', '={{ $json.list[0] }}'],
		['an escaped quote', '={{ $json["a\\"b"] }}'],
		['another variable', '={{ $jsonX.email }}'],
		['a bare word in brackets', "={{ $json[x'email'] }}"],
	])('%s is left to n8n', (_name, parameter) => {
		expect(parseJsonFieldReference(parameter)).toBeUndefined();
	});
});

describe('readJsonPath', () => {
	const json = { email: 'a@b.c', contact: { email: 'c@d.e', tags: ['x'] }, nothing: null };

	test.each([
		[['email'], 'a@b.c'],
		[['contact', 'email'], 'c@d.e'],
		[['contact', 'tags'], ['x']],
		[['missing'], undefined],
		[['contact', 'missing'], undefined],
		[['nothing'], null],
	])('%j → %j', (path, expected) => {
		expect(readJsonPath(json, path)).toEqual(expected);
	});

	test.each([
		[['missing', 'email']],
		[['nothing', 'email']],
		[['email', 'length']],
		[['constructor']],
	])('%j is undecided (n8n evaluates it)', (path) => {
		expect(isUndecided(readJsonPath(json, path))).toBe(true);
	});
});
