'use strict';

/**
 * The simulator against CleverTap as recorded (test/fixtures/clevertap-recorded/, each fixture
 * with its source): every answer shape the simulator gives has the keys and types of the recorded
 * answer of the same case, so it cannot drift from reality again. Not recorded anywhere, and so
 * not compared: a profile that is not found (the simulator's styles are guesses, see profile.js).
 */

const fs = require('node:fs');
const path = require('node:path');

const { PROFILES, AUTH_ONLY, get, post, upload, getProfile, useSimulator } = require('./testkit');

const DIR = path.join(__dirname, '..', 'fixtures', 'clevertap-recorded');

/** @param {string} name */
function fixture(name) {
	const { response } = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8'));
	return { ...response, json: JSON.parse(response.wireBody ?? response.body) };
}

/** Keys and types, `depth` levels down; a list by its first entry. @param {unknown} value @param {number} depth @returns {unknown} */
function shape(value, depth = 1) {
	if (Array.isArray(value)) return value.length === 0 ? 'empty list' : [shape(value[0], depth)];
	if (value === null) return 'null';
	if (typeof value !== 'object') return typeof value;
	if (depth === 0) return 'object';
	return Object.fromEntries(
		Object.keys(value)
			.sort()
			.map((key) => [key, shape(/** @type {any} */ (value)[key], depth - 1)]),
	);
}

/** The text form of an upload refusal. @param {string} text */
function textForm(text) {
	if (/ErrorCode: \d+ - .*Skipped record number : \d+$/.test(text)) return 'errorcode';
	if (/\.Skipped record number : \d+$/.test(text)) return 'nospace';
	if (/ Skipped record number : \d+$/.test(text)) return 'space';
	return 'none';
}

/** Every refusal entry of every recorded upload answer. */
function recordedEntries() {
	return fs
		.readdirSync(DIR)
		.filter((file) => file.startsWith('upload-') && file.endsWith('.json'))
		.flatMap((file) => {
			const { body } = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')).response;
			// Some recorded failures are HTML pages, without entries.
			const unprocessed = body.startsWith('{') ? (JSON.parse(body).unprocessed ?? []) : [];
			return unprocessed
				.filter((/** @type {any} */ entry) => typeof entry.error === 'string')
				.map((/** @type {any} */ entry) => ({ file, entry }));
		});
}

const sim = useSimulator();

/** Ten profiles that did "Charged" on 2026-11-25, and the cursor of a query for them. */
async function query(batchSize = 23) {
	for (let i = 0; i < 30; i++) {
		sim.addProfile({
			objectId: `__p${String(i).padStart(2, '0')}`,
			identity: `p${i}@x.com`,
			events: [{ name: 'Charged', date: '2026-11-25' }],
		});
	}
	return await post(sim, `${PROFILES}?batch_size=${batchSize}`, {
		event_name: 'Charged',
		from: 20261125,
		to: 20261125,
	});
}

describe('the simulator answers in the shapes CleverTap was recorded answering', () => {
	test('a query: {cursor, status}, the cursor about 1.6 KB and already percent-encoded [V]', async () => {
		const recorded = fixture('profiles-query-cursor-eu1-2025');
		const answer = await query();
		expect(shape(answer.json)).toEqual(shape(recorded.json));
		expect(Object.keys(answer.json)).toEqual(Object.keys(recorded.json));
		const { cursor } = answer.json;
		expect(cursor.length).toBeGreaterThan(recorded.json.cursor.length * 0.8);
		expect(cursor.length).toBeLessThan(recorded.json.cursor.length * 1.2);
		for (const escape of ['%2F', '%2B', '%3D']) {
			expect(recorded.json.cursor).toContain(escape);
			expect(cursor).toContain(escape);
		}
	});

	test('a page with more to come: {next_cursor, records, status} [V]; the last page: no next_cursor [FIX]', async () => {
		const { cursor } = (await query()).json;
		const first = await get(sim, `${PROFILES}?cursor=${cursor}`);
		expect(shape(first.json, 1)).toEqual(shape(fixture('profiles-page-eu1-2025').json, 1));
		expect(first.json.next_cursor).toMatch(/%2F|%2B|%3D/);
		const last = await get(sim, `${PROFILES}?cursor=${first.json.next_cursor}`);
		expect(shape(last.json, 1)).toEqual(shape(fixture('events-page-apperture-2022').json, 1));
	});

	test('a profile record: only keys CleverTap was recorded sending, of the same types, the ID in platformInfo [V][SNIP]', async () => {
		const recordedRecords = [
			fixture('profiles-page-eu1-2025').json.records[0],
			fixture('profiles-page-doc-2017').json.records[0],
			fixture('profile-found-doc-2017').json.record,
		];
		/** @type {Record<string, unknown>} */
		const recordedTypes = {};
		for (const record of recordedRecords) Object.assign(recordedTypes, shape(record, 1));
		sim.addProfile({
			objectId: '__one',
			identity: 'one@x.com',
			email: 'one@x.com',
			profileData: { Plan: 'pro' },
			events: [{ name: 'Charged', date: '2026-11-25' }],
		});
		const { json } = await getProfile(sim, { identity: 'one@x.com' });
		expect(shape(json, 0)).toEqual(shape(fixture('profile-found-doc-2017').json, 0));
		const record = shape(json.record, 1);
		// name and identities are the simulator's own, as the node reads them: not in these recordings.
		for (const [key, type] of Object.entries(record)) {
			if (key === 'name' || key === 'identities') continue;
			expect([key, type]).toEqual([key, recordedTypes[key]]);
		}
		expect(json.record).not.toHaveProperty('objectId');
		const device = shape(json.record.platformInfo[0], 1);
		const recordedDevice = shape(
			fixture('profiles-page-eu1-2025').json.records[0].platformInfo[0],
			1,
		);
		expect(device).toEqual({
			objectId: recordedDevice.objectId,
			platform: recordedDevice.platform,
		});
		expect(shape(json.record.events, 2)).toEqual({
			Charged: shape(fixture('profile-found-doc-2017').json.record.events.Charged, 1),
		});
	});

	test('an empty result: {status} and no records key [L]', async () => {
		const { json } = await post(sim, `${PROFILES}?batch_size=23`, {
			event_name: 'Never',
			from: 20261101,
			to: 20261130,
		});
		const page = await get(sim, `${PROFILES}?cursor=${json.cursor}`);
		expect(page.json).toEqual(fixture('events-page-empty-range-observed').json);
	});

	test.each(['200-not-ready', '202-not-ready'])(
		'a page not ready (%s): the observed body [L]',
		async (kind) => {
			const { cursor } = (await query()).json;
			sim.addFault({ kind, api: 'profiles' });
			const page = await get(sim, `${PROFILES}?cursor=${cursor}`);
			expect(page.status).toBe(kind === '200-not-ready' ? 200 : 202);
			expect(page.json).toEqual(fixture('profiles-page-not-ready-observed').json);
		},
	);

	test('uploads: all taken, some refused, none taken, each in the recorded shape [T]', async () => {
		const ok = (i) => ({ type: 'profile', identity: `u${i}`, profileData: { Name: `U ${i}` } });
		const bad = (i) => ({
			type: 'profile',
			identity: `u${i}`,
			profileData: { Email: 'not-an-email' },
		});
		const all = await upload(sim, { d: [ok(1), ok(2)] });
		expect(shape(all.json, 1)).toEqual(shape(fixture('upload-all-taken-2018').json, 1));
		expect(all.json.unprocessed).toEqual([]);
		const some = await upload(sim, { d: [ok(1), bad(2)] });
		expect(shape(some.json, 1)).toEqual(shape(fixture('upload-some-refused-partial-2018').json, 1));
		expect(some.json.status).toBe('partial');
		const none = await upload(sim, { d: [bad(1), bad(2)] });
		expect(shape(none.json, 1)).toEqual(
			shape(fixture('upload-all-refused-fail-phone-2018').json, 1),
		);
		expect(none.json.status).toBe('fail');
	});

	test('every refusal text form the simulator gives matches a recorded entry of that form, keys, types and echo type [T][RT][RS]', async () => {
		const recorded = recordedEntries();
		const bad = (i) => ({
			type: 'profile',
			identity: `b${i}`,
			profileData: { Email: 'no', Phone: '+35922333232' },
		});
		const { json } = await upload(sim, { d: [bad(1), bad(2), bad(3)] });
		const forms = json.unprocessed.map((/** @type {any} */ entry) => textForm(entry.error));
		expect(forms).toEqual(['space', 'nospace', 'errorcode']);
		for (const entry of json.unprocessed) {
			const form = textForm(entry.error);
			const sameForm = recorded.filter((r) => textForm(r.entry.error) === form);
			const matches = sameForm.filter(
				(r) => JSON.stringify(shape(r.entry, 1)) === JSON.stringify(shape(entry, 1)),
			);
			expect([form, shape(entry, 1), matches.length > 0]).toEqual([form, shape(entry, 1), true]);
		}
		// CleverTap's normalised copy: the phone as a number without "+".
		const echo = json.unprocessed[0].record;
		expect(echo.profileData.Phone).toBe(35922333232);
	});

	test('a wrong passcode: the recorded 401, content type included [T]', async () => {
		const recorded = fixture('upload-401-account-id-not-valid-2017');
		const answer = await upload(
			sim,
			{ d: [] },
			{ ...AUTH_ONLY, 'X-CleverTap-Passcode': 'wrong', 'Content-Type': 'application/json' },
		);
		expect(answer.status).toBe(recorded.status);
		expect(shape(answer.json)).toEqual(shape(recorded.json));
		expect(answer.headers.get('content-type')).toBe(recorded.headers['content-type']);
	});

	test('too many at once: the observed 429 body [L]', async () => {
		sim.addFault({ kind: '429', api: 'upload' });
		const answer = await upload(sim, { d: [{ type: 'profile', identity: 'x', profileData: {} }] });
		expect(answer.status).toBe(429);
		expect(shape(answer.json)).toEqual(
			shape(fixture('upload-429-too-many-concurrent-observed').json),
		);
	});
});
