import { cursorForUrl } from '../../../nodes/CleverTap/helpers/cursor';

describe('cursorForUrl', () => {
	test.each([
		// The recorded eu1 form [V]: already percent-encoded; it must go back exactly as given.
		[
			'ZiZiNwMEBQBkaWZzY2MuO20BBQFlYmN7ZG5hewYBTQVjb2BzZmphfwEABQUra2Jmeg%3D%3D',
			'ZiZiNwMEBQBkaWZzY2MuO20BBQFlYmN7ZG5hewYBTQVjb2BzZmphfwEABQUra2Jmeg%3D%3D',
		],
		['a%2Fb%2Bc%3D', 'a%2Fb%2Bc%3D'],
		['a%2fb', 'a%2fb'],
		// Raw base64: its "/", "+" and "=" are encoded once, or "+" would be read as a space.
		['ab/c+d==', 'ab%2Fc%2Bd%3D%3D'],
		['plain-cursor_1.2~', 'plain-cursor_1.2~'],
		// A "%" that starts no escape is a character of the cursor.
		['50%', '50%25'],
		['a%zzb', 'a%25zzb'],
		['a b&c?d#e', 'a%20b%26c%3Fd%23e'],
		['', ''],
	])('%j → %j', (given, sent) => {
		expect(cursorForUrl(given)).toBe(sent);
	});

	test('the URL decodes back to the cursor CleverTap meant, encoded or not', () => {
		for (const raw of ['ab/c+d==', 'x%y', '100% sure']) {
			expect(new URLSearchParams(`cursor=${cursorForUrl(raw)}`).get('cursor')).toBe(raw);
		}
		const encoded = encodeURIComponent('ab/c+d==');
		expect(new URLSearchParams(`cursor=${cursorForUrl(encoded)}`).get('cursor')).toBe('ab/c+d==');
	});
});
