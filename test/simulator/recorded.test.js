'use strict';

/**
 * The simulator against CleverTap as recorded (test/fixtures/clevertap-recorded/, each fixture
 * with its source): every answer shape the simulator gives has the keys and types of the recorded
 * answer of the same case, so it cannot drift from reality again. Not recorded anywhere, and so
 * not compared: a profile that is not found (the simulator's styles are guesses, see profile.js),
 * an "Invalid request id" answer (wording inferred, see counts.js), a Message Reports answer
 * (no source holds one; its keys follow callers of the live API, see messageReport.js), the
 * campaign list (no source holds one, see campaigns.js), the refusals of Send to users and
 * External Trigger other than the Android channel's (wording inferred), and every Subscribe and
 * Disassociate answer: only CleverTap's own requests are known (its Node client's test, its
 * documentation), with the test's assertion that the status is "success" or "partial"; the
 * simulator's answer to them is held to that and to the shape of a recorded upload answer, from
 * which it is presumed (endpoints/addresses.js).
 */

const fs = require('node:fs');
const path = require('node:path');

const {
	CAMPAIGN_PATHS,
	SEND_PATHS,
	EXTERNAL_TRIGGER_PATH,
	SUBSCRIBE_PATH,
	DISASSOCIATE_PATH,
} = require('./index.js');
const {
	PROFILES,
	EVENTS,
	COUNTS,
	NOW,
	AUTH_ONLY,
	GOOD,
	get,
	post,
	upload,
	getProfile,
	useSimulator,
} = require('./testkit');

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

/** A request body a fixture quotes. @param {string} name */
const requestOf = (name) =>
	JSON.parse(JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')).request.body);

describe("Get Events, Counts and Real-Time Counts answer in the shapes of CleverTap's samples", () => {
	/** Events of 'UTM Visited' (the shape [FIX] captured) on three days. */
	function seedEvents() {
		sim.addProfile({
			identity: 'e1',
			email: 'e1@x.com',
			profileData: { Plan: 'pro' },
			events: [
				{ name: 'UTM Visited', date: '2022-11-19', data: { Install: 'y' } },
				{ name: 'UTM Visited', date: '2022-11-20', data: { Install: 'n' } },
				{ name: 'App Launched', date: '2022-11-19' },
			],
		});
		sim.seedEvents({ name: 'UTM Visited', count: 30, from: 20221119, to: 20221121 });
	}

	test('an events query: {status, cursor}, percent-encoded, as [SNIP] and [FIX]', async () => {
		seedEvents();
		const answer = await post(sim, `${EVENTS}?batch_size=23`, {
			event_name: 'UTM Visited',
			from: 20221119,
			to: 20221121,
		});
		for (const name of ['events-query-cursor-doc-2016', 'events-query-cursor-apperture-2022']) {
			expect(shape(answer.json)).toEqual(shape(fixture(name).json));
		}
		expect(answer.json.cursor).toMatch(/%2F|%2B|%3D/);
	});

	test('pages: {next_cursor, records, status} [SNIP], the last without next_cursor [FIX]; each record profile, ts, event_props, session_props of the recorded types', async () => {
		seedEvents();
		const { cursor } = (
			await post(sim, `${EVENTS}?batch_size=23&app=true`, {
				event_name: 'UTM Visited',
				from: 20221119,
				to: 20221121,
			})
		).json;
		const first = await get(sim, `${EVENTS}?cursor=${cursor}`);
		const doc = fixture('events-page-doc-2017').json;
		const { previous_cursor: _ignored, ...docKeys } = doc;
		expect(shape(first.json, 1)).toEqual(shape(docKeys, 1));
		const last = await get(sim, `${EVENTS}?cursor=${first.json.next_cursor}`);
		const captured = fixture('events-page-apperture-2022').json;
		expect(shape(last.json, 1)).toEqual(shape(captured, 1));

		const record = first.json.records[0];
		expect(shape(record, 1)).toEqual(shape(captured.records[0], 1));
		expect(shape(record, 1)).toEqual(shape(doc.records[0], 1));
		expect(String(record.ts)).toMatch(/^\d{14}$/);
		// The profile: every key a recorded one of the same type (name is the simulator's own, as in
		// Get profile; [FIX]'s undocumented df and [SNIP]'s id are not made up).
		/** @type {Record<string, unknown>} */
		const recordedTypes = {
			...shape(doc.records[0].profile, 1),
			...shape(captured.records[0].profile, 1),
		};
		for (const [key, type] of Object.entries(shape(record.profile, 1))) {
			if (key === 'name') continue;
			expect([key, type]).toEqual([key, recordedTypes[key]]);
		}
		expect(shape(record.profile.events['UTM Visited'], 1)).toEqual(
			shape(captured.records[0].profile.events['UTM Visited'], 1),
		);
		for (const key of Object.keys(record.session_props)) {
			expect([key, typeof record.session_props[key]]).toEqual([
				key,
				typeof captured.records[0].session_props[key],
			]);
		}
	});

	test('an empty range: {status} and no records key [L]', async () => {
		seedEvents();
		const { json } = await post(sim, EVENTS, {
			event_name: 'UTM Visited',
			from: 20230101,
			to: 20230131,
		});
		expect((await get(sim, `${EVENTS}?cursor=${json.cursor}`)).json).toEqual(
			fixture('events-page-empty-range-observed').json,
		);
	});

	test('Counts: the pending answer {req_id, status} with a 15-digit req_id, then {status, count} [SNIP]', async () => {
		seedEvents();
		const pending = fixture('other-counts-query-partial-doc-2017').json;
		sim.setCountPolls(1);
		const started = await post(sim, COUNTS.eventCount, {
			event_name: 'UTM Visited',
			from: 20221119,
			to: 20221121,
		});
		expect(shape(started.json)).toEqual(shape(pending));
		expect(Object.keys(started.json)).toEqual(Object.keys(pending));
		expect(String(started.json.req_id)).toHaveLength(String(pending.req_id).length);
		const done = await get(sim, `${COUNTS.eventCount}?req_id=${started.json.req_id}`);
		const result = fixture('other-counts-events-result-doc-2017').json;
		expect(shape(done.json)).toEqual(shape(result));
		expect(Object.keys(done.json)).toEqual(Object.keys(result));
		expect(done.json.count).toBe(32);
	});

	test("Trends: [SNIP]'s request over 10 events a day gives its daily and monthly answers exactly; weekly keys are ISO weeks", async () => {
		const request = requestOf('other-counts-trends-result-doc-2017');
		const sample = fixture('other-counts-trends-result-doc-2017').json;
		// 11 days, 10 events each.
		sim.seedEvents({
			name: request.event_name,
			count: 110,
			from: request.from,
			to: request.to,
			profiles: 5,
		});
		const { json } = await post(sim, COUNTS.trends, request);
		expect(Object.keys(json)).toEqual(Object.keys(sample));
		expect(json.foo).toEqual(sample.foo);
		expect(json.foobar).toEqual(sample.foobar);
		// The sample's weekly figures copy its monthly ones; ISO weeks: 24-25 Dec, 26 Dec-1 Jan, 2-3 Jan.
		expect(shape(json.bar)).toEqual({ 201651: 'number', 201652: 'number', 201701: 'number' });
		expect(json.bar).toEqual({ 201651: 20, 201652: 70, 201701: 20 });
	});

	test("Top: [SNIP]'s request over matching data gives its answer exactly (NUMBER ranges, STR top 2 ascending)", async () => {
		const request = requestOf('other-counts-top-result-doc-2017');
		const sample = fixture('other-counts-top-result-doc-2017').json;
		// Amounts: 10 in 0-100, 9 in 100-200, …, 1 in 900-1000.
		const amounts = Array.from({ length: 10 }, (_, r) => Array(10 - r).fill(r * 100 + 50)).flat();
		const tiers = [
			...Array(5).fill('Gold'),
			...Array(10).fill('Silver'),
			...Array(40).fill('Platinum'),
		];
		amounts.forEach((amount, i) =>
			sim.addProfile({
				identity: `t${i}`,
				profileData: { 'Customer Type': tiers[i] },
				events: [{ name: 'Charged', date: '2017-01-05', data: { Amount: amount } }],
			}),
		);
		const { json } = await post(sim, COUNTS.top, request);
		expect(json).toEqual(sample);
		expect(Object.keys(json.foo.NUMBER)).toEqual(Object.keys(sample.foo.NUMBER));
	});

	test('an unknown event: the observed body [LMCP]; HTTP 400 by default, the observed 200 on request', async () => {
		const observed = fixture('other-trends-invalid-event-observed');
		const request = {
			event_name: 'Uninstalled',
			from: 20240101,
			to: 20240131,
			groups: { d: { trend_type: 'daily' } },
		};
		const answer = await post(sim, COUNTS.trends, request);
		expect([answer.status, answer.text]).toEqual([400, observed.body]);
		sim.setInvalidEventStatus(200);
		const as200 = await post(sim, COUNTS.trends, request);
		expect([as200.status, as200.text]).toEqual([observed.status, observed.body]);
	});

	test("Real-Time Counts: [SNIP]'s basic and full answers, for {} and for its full request", async () => {
		expect((await post(sim, NOW, {})).json).toEqual(fixture('other-now-basic-doc-2017').json);
		const full = await post(sim, NOW, requestOf('other-now-full-doc-2017'));
		const sample = fixture('other-now-full-doc-2017').json;
		expect(full.json).toEqual(sample);
		expect(Object.keys(full.json)).toEqual(Object.keys(sample));
	});

	test.each([
		'events',
		'eventCount',
		'profileCount',
		'trends',
		'top',
		'now',
		'messageReport',
		'campaigns',
		'send',
		'externalTrigger',
	])('%s: the observed 429 body [L]', async (api) => {
		sim.addFault({ kind: '429', api: /** @type {any} */ (api) });
		const path = {
			events: EVENTS,
			now: NOW,
			messageReport: '/1/message/report.json',
			campaigns: CAMPAIGN_PATHS.create,
			send: SEND_PATHS.push,
			externalTrigger: EXTERNAL_TRIGGER_PATH,
			...COUNTS,
		}[api];
		const answer = await post(sim, /** @type {string} */ (path), {});
		expect(answer.status).toBe(429);
		expect(answer.json).toEqual(fixture('upload-429-too-many-concurrent-observed').json);
	});
});

/** The raw request body a fixture quotes (CleverTap's own text, sent as it is). @param {string} name */
const rawRequestOf = (name) =>
	JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')).request;

describe('Campaigns, Send to users and External Trigger answer as CleverTap was recorded and documented answering', () => {
	/**
	 * Profiles for [SNIP]'s create examples: `count` with the event on a day of the range and
	 * Customer Type Platinum on each platform, and some that must not count.
	 * @param {string} event @param {number} day @param {Record<string, number>} perPlatform
	 */
	function seedAudience(event, day, perPlatform) {
		const date = `${String(day).slice(0, 4)}-${String(day).slice(4, 6)}-${String(day).slice(6)}`;
		let n = 0;
		for (const [platform, count] of Object.entries(perPlatform)) {
			for (let i = 0; i < count; i++) {
				sim.addProfile({
					identity: `a${n++}`,
					profileData: { 'Customer Type': 'Platinum' },
					device: { platform },
					events: [{ name: event, date }],
				});
			}
		}
		// Not Platinum; and Platinum without the event in the range.
		sim.addProfile({
			identity: 'gold',
			profileData: { 'Customer Type': 'Gold' },
			events: [{ name: event, date }],
		});
		sim.addProfile({
			identity: 'late',
			profileData: { 'Customer Type': 'Platinum' },
			events: [{ name: event, date: '2030-01-01' }],
		});
	}

	test("create push: [SNIP]'s request as it is meets the Android channel refusal recorded in 2020 [T]; with a channel, the answer is [SNIP]'s, key for key", async () => {
		const recordedRefusal = fixture('other-send-push-400-android-channel-2020');
		const request = rawRequestOf('other-campaign-create-push-doc-2016');
		const refused = await post(sim, request.path, request.body);
		expect([refused.status, refused.text]).toEqual([recordedRefusal.status, recordedRefusal.body]);
		expect(refused.headers.get('content-type')).toBe(recordedRefusal.headers['content-type']);

		seedAudience('App Launched', 20180202, { Android: 10, iOS: 30, Windows: 5 });
		const body = JSON.parse(request.body);
		body.content.platform_specific.android.wzrk_cid = 'engagement';
		const sample = fixture('other-campaign-create-push-doc-2016').json;
		// [SNIP]'s request asks for an estimate, yet its answer has an id: made, the answer is that one.
		const made = await post(sim, request.path, { ...body, estimate_only: false });
		expect(Object.keys(made.json)).toEqual(Object.keys(sample));
		expect(shape(made.json, 2)).toEqual(shape(sample, 2));
		expect(made.json.estimates).toEqual(sample.estimates);
		expect(sim.stats().campaignsCreated).toBe(1);
		// An estimate only: the estimates alone, and nothing made.
		const estimate = await post(sim, request.path, body);
		expect(estimate.json).toEqual({ status: 'success', estimates: sample.estimates });
		expect(sim.stats()).toMatchObject({ campaignsCreated: 1, campaignEstimates: 1 });
		expect(sim.campaigns).toHaveLength(1);
	});

	test.each([
		['other-campaign-estimate-email-doc-2017', 'Charged', 20171101],
		['other-campaign-estimate-webpush-doc-2017', 'Charged', 20171101],
	])("%s: [SNIP]'s request as it is gets [SNIP]'s answer exactly", async (name, event, day) => {
		seedAudience(event, day, { Web: 2 });
		const request = rawRequestOf(name);
		const answer = await post(sim, request.path, request.body);
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(fixture(name).json);
		expect(Object.keys(answer.json)).toEqual(Object.keys(fixture(name).json));
		expect(sim.campaigns).toEqual([]);
	});

	test("result: not completed as [SNIP] shows it (HTTP 200, no code), then [SNIP]'s result key for key", async () => {
		sim.setCampaignPendingResults(1);
		const { id } = (
			await post(sim, CAMPAIGN_PATHS.create, {
				name: 'Result',
				target_mode: 'sms',
				segment: 1,
				content: { body: 'Hi' },
			})
		).json;
		const waiting = fixture('other-campaign-result-not-completed-doc-2016');
		const first = await post(sim, CAMPAIGN_PATHS.result, { id });
		expect([first.status, first.json]).toEqual([waiting.status, waiting.json]);
		expect(Object.keys(first.json)).toEqual(Object.keys(waiting.json));
		sim.completeCampaign(id, { sent: 82, clicked: 28 });
		const sample = fixture('other-campaign-result-doc-2016');
		const done = await post(sim, CAMPAIGN_PATHS.result, { id });
		expect([done.status, done.json]).toEqual([sample.status, sample.json]);
		expect(JSON.stringify(done.json)).toBe(JSON.stringify(sample.json));
	});

	test.each([
		'other-send-push-queued-2020',
		'other-send-email-queued-2020',
		'other-send-webpush-queued-2020',
		'other-send-sms-queued-2020',
		'other-send-sms-split-mixed-types-2020',
		'other-send-push-400-android-channel-2020',
	])('%s: the recorded request gets the recorded answer, byte for byte [T]', async (name) => {
		const recorded = fixture(name);
		const request = rawRequestOf(name);
		const answer = await post(sim, request.path, request.body, {
			...AUTH_ONLY,
			'Content-Type': 'application/json',
		});
		expect([answer.status, answer.text]).toEqual([recorded.status, recorded.body]);
		expect(answer.headers.get('content-type')).toBe(recorded.headers['content-type']);
		expect(sim.sends).toHaveLength(recorded.status === 200 ? 1 : 0);
	});

	test("[SNIP]'s send-to-users sample: its request meets the 2020 Android refusal; External Trigger answers its words in its key order", async () => {
		const request = rawRequestOf('other-send-queued-doc-2016');
		const refused = await post(sim, request.path, request.body);
		expect(refused.json).toEqual(fixture('other-send-push-400-android-channel-2020').json);
		const sample = fixture('other-send-queued-doc-2016').json;
		const trigger = await post(
			sim,
			EXTERNAL_TRIGGER_PATH,
			{ to: { email: ['jane@example.com'] }, campaign_id: '1695721550' },
			GOOD,
		);
		expect(trigger.status).toBe(200);
		expect(JSON.stringify(trigger.json)).toBe(JSON.stringify(sample));
	});
});

describe("Subscribe and Disassociate: CleverTap's own requests, sent as they are", () => {
	/** A fixture's request: its path and the body as sent (`wireBody` where the source holds a JS literal). @param {string} name */
	const requestFor = (name) => {
		const { request, response, source } = JSON.parse(
			fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8'),
		);
		// No answer was recorded for either endpoint: the fixture says so.
		expect([response.status, response.body]).toEqual([null, null]);
		expect(source.repository).toMatch(/\//);
		return { path: request.path, body: request.wireBody ?? request.body };
	};
	/** What CleverTap's own client test asserts of both answers [N]. @param {any} json */
	const asCleverTapsTestAsserts = (json) => expect(['success', 'partial']).toContain(json.status);

	test("[N]'s subscribe request: taken whole, in the shape of a recorded upload answer [T]; each address takes its state", async () => {
		sim.addProfile({ identity: 'john', email: 'johndoe@abc.com' });
		sim.addProfile({ identity: 'p1', profileData: { Phone: '+919213231415' } });
		const request = requestFor('other-subscribe-request-node-2023');
		expect(request.path).toBe(SUBSCRIBE_PATH);
		const answer = await post(sim, request.path, request.body);
		expect(answer.status).toBe(200);
		asCleverTapsTestAsserts(answer.json);
		expect(answer.json).toEqual({ status: 'success', processed: 4, unprocessed: [] });
		expect(shape(answer.json, 1)).toEqual(shape(fixture('upload-all-taken-2018').json, 1));
		expect(sim.subscription('phone', '+919213231415')).toBe('unsubscribed');
		expect(sim.subscription('phone', '+919213231416')).toBe('subscribed');
		expect(sim.subscription('email', 'johndoe@abc.com')).toBe('unsubscribed');
		expect(sim.subscription('email', 'janedoe@abc.com')).toBe('subscribed');
		expect(sim.profileSubscriptions({ identity: 'john' })).toEqual([
			{ type: 'email', value: 'johndoe@abc.com', state: 'unsubscribed' },
		]);
		expect(sim.profileSubscriptions({ identity: 'p1' })).toEqual([
			{ type: 'phone', value: '+919213231415', state: 'unsubscribed' },
		]);
	});

	test("the documentation's WhatsApp request, tabs and all: taken whole", async () => {
		const request = requestFor('other-subscribe-whatsapp-request-doc-2025');
		const answer = await post(sim, request.path, request.body);
		asCleverTapsTestAsserts(answer.json);
		expect(answer.json).toEqual({ status: 'success', processed: 2, unprocessed: [] });
		expect(sim.subscription('whatsapp', '+919213231415')).toBe('unsubscribed');
		expect(sim.subscription('whatsapp', '+919213231416')).toBe('subscribed');
		expect(sim.subscription('phone', '+919213231415')).toBeUndefined();
	});

	test('[N]\'s disassociate request: taken when both numbers are identities; "partial" when one is not, its entry shaped as a recorded upload entry [T]', async () => {
		const request = requestFor('other-disassociate-request-node-2023');
		expect(request.path).toBe(DISASSOCIATE_PATH);
		const first = sim.addProfile({ identities: ['a', '+919213231415'] });
		sim.addProfile({ identity: '+919213231416' });
		const taken = await post(sim, request.path, request.body);
		asCleverTapsTestAsserts(taken.json);
		expect(taken.json).toEqual({ status: 'success', processed: 2, unprocessed: [] });
		expect(first.identities).toEqual(['a']);
		// Sent again: the first number is no identity now; give the second one back.
		sim.addProfile({ identity: '+919213231416', name: 'Next owner' });
		const partly = await post(sim, request.path, request.body);
		asCleverTapsTestAsserts(partly.json);
		expect(partly.json.status).toBe('partial');
		expect(shape(partly.json, 1)).toEqual(
			shape(fixture('upload-some-refused-partial-2018').json, 1),
		);
		const recordedEntry = fixture('upload-some-refused-partial-2018').json.unprocessed[0];
		// {status, code, error, record}: the record an object, as since 2018.
		expect(shape(partly.json.unprocessed[0], 1)).toEqual(shape(recordedEntry, 1));
		expect(partly.json.unprocessed[0].record).toEqual({ type: 'phone', value: '+919213231415' });
	});
});
