/**
 * CleverTap hands out cursors already percent-encoded (`…%2F…%2B…%3D%3D`) and wants them back in
 * the URL exactly so: a query-string encoder would send `%252F` and CleverTap answers "Invalid
 * cursor". A cursor that came raw (with `/`, `+`, `=`) still needs encoding, or its `+` would be
 * read as a space.
 */

/** A cursor as it goes in the URL: its %XX escapes kept, every other character URL-safe. */
export function cursorForUrl(cursor: string): string {
	return cursor.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9._~%-]/gu, (character) =>
		encodeURIComponent(character),
	);
}
