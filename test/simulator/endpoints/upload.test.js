'use strict';

const {
	startSimulator,
	RESTRICTED_EVENTS,
	UPLOAD_MAX_BODY_BYTES,
	UPLOAD_TEXT_STYLES,
	UPLOAD_ECHO_STYLES,
} = require('../index.js');
const { refusalText, normalisedEcho } = require('./upload');
const {
	UPLOAD,
	PROFILES,
	fail,
	post,
	get,
	upload,
	getProfile,
	useSimulator,
} = require('../testkit');

const sim = useSimulator();

/** A valid profile record. @param {string} identity @param {Record<string, unknown>} [profileData] */
const profileRec = (identity, profileData = { Name: `Name ${identity}` }) => ({
	type: 'profile',
	identity,
	profileData,
});
/** A valid event record. @param {string} identity @param {string} [evtName] @param {Record<string, unknown>} [extra] */
const eventRec = (identity, evtName = 'Signed Up', extra = {}) => ({
	type: 'event',
	identity,
	evtName,
	evtData: { plan: 'pro' },
	...extra,
});

/** The text of an unprocessed entry for record k in the 'space' form. @param {string} text @param {number} k */
const skipped = (text, k) => `${text} Skipped record number : ${k}`;
/** The same in the 'nospace' form (2017). @param {string} text @param {number} k */
const skippedNoSpace = (text, k) => `${text}Skipped record number : ${k}`;

describe('POST /1/upload', () => {
	test('every record processed → "success" with processed n and no unprocessed', async () => {
		const d = [profileRec('p1'), eventRec('p1'), profileRec('p2')];
		const r = await upload(sim, { d });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ status: 'success', processed: 3, unprocessed: [] });
		expect(Object.keys(r.json)).toEqual(['status', 'processed', 'unprocessed']);
		expect(sim.uploaded).toEqual(d);
		expect(sim.requests[0]).toMatchObject({ api: 'upload', processed: 3, unprocessed: [] });
		expect(sim.stats()).toMatchObject({
			uploadRequests: 1,
			recordsProcessed: 3,
			recordsUnprocessed: 0,
			peakUploadConcurrency: 1,
			requestsByApi: { upload: 1 },
		});
		expect(sim.summary()).toMatch(/, 1 upload\).*; 3 records uploaded, 0 unprocessed/);
	});

	test('some refused → "partial": each refused record with its code, number and echo', async () => {
		const bad = profileRec('p2', { Email: 'not-an-email' });
		const r = await upload(sim, { d: [profileRec('p1'), bad, eventRec('p3')] });
		// Record 2 in the default 'mixed' style: the 2017 form, its echo a JSON string.
		expect(r.json).toEqual({
			status: 'partial',
			processed: 2,
			unprocessed: [
				{
					status: 'fail',
					code: 515,
					error: 'Profile data is incorrect. Email is not valid.Skipped record number : 2',
					record: JSON.stringify(bad),
				},
			],
		});
		expect(sim.uploaded).toHaveLength(2);
		expect(sim.requests[0].unprocessed).toEqual([2]);
		expect(sim.findProfile({ identity: 'p2' })).toBeUndefined();
		expect(sim.stats()).toMatchObject({ recordsProcessed: 2, recordsUnprocessed: 1 });
	});

	test('none processed → "fail", numbers are 1-based within the request', async () => {
		const d = [eventRec('a', ''), { type: 'event', evtName: 'X' }, { type: 'nope', identity: 'c' }];
		const r = await upload(sim, { d });
		expect(r.status).toBe(200);
		expect(r.json.status).toBe('fail');
		expect(r.json.processed).toBe(0);
		expect(r.json.unprocessed.map((u) => [u.code, u.error])).toEqual([
			[509, skipped('Event Name is incorrect. Event name is mandatory.', 1)],
			[523, skippedNoSpace('Identity is incorrect. Identity is missing.', 2)],
			[524, skipped('Record is incorrect. ErrorCode: 524 - Data is neither event nor profile.', 3)],
		]);
		expect(sim.uploaded).toEqual([]);
	});

	describe('per-record validation (CleverTap codes; see endpoints/upload.js for sources)', () => {
		const long = (n, ch = 'x') => ch.repeat(n);
		const manyProps = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, i]));
		test.each([
			['a string record', 'x', 524, /neither event nor profile/],
			['an array record', [], 524, /neither event nor profile/],
			['type missing', { identity: 'a', profileData: {} }, 524, /neither event nor profile/],
			['identity and objectId', { ...profileRec('a'), objectId: 'o' }, 523, /not both/],
			['no identity', { type: 'profile', profileData: {} }, 523, /Identity is missing/],
			['identity blank', { ...profileRec('a'), identity: '  ' }, 523, /string or a number/],
			[
				'identity an object',
				{ ...profileRec('a'), identity: { id: 1 } },
				523,
				/string or a number/,
			],
			['identity 121 characters', profileRec(long(121)), 523, /longer than 120 characters/],
			[
				'objectId 121 characters',
				{ type: 'profile', objectId: long(121) },
				526,
				/objectId is not valid/,
			],
			['objectId a boolean', { type: 'profile', objectId: true }, 526, /objectId is not valid/],
			['ts in milliseconds', { ...profileRec('a'), ts: 1_700_000_000_000 }, 525, /epoch seconds/],
			['ts a string', { ...profileRec('a'), ts: '1700000000' }, 525, /epoch seconds/],
			['ts a fraction', { ...eventRec('a'), ts: 1700000000.5 }, 525, /epoch seconds/],
			[
				'profileData an array',
				{ ...profileRec('a'), profileData: [] },
				524,
				/profileData must be an object/,
			],
			[
				'Email without @',
				profileRec('a', { Email: 'jane.example.com' }),
				515,
				/^Profile data is incorrect\. Email is not valid\./,
			],
			['Email a number', profileRec('a', { Email: 5 }), 515, /Email is not valid/],
			[
				'Phone without +',
				profileRec('a', { Phone: '4155550100' }),
				516,
				/Phone number is not valid/,
			],
			['Phone a number', profileRec('a', { Phone: 14155550100 }), 516, /Phone number is not valid/],
			[
				'Phone + but too short',
				profileRec('a', { Phone: '+1234' }),
				516,
				/Phone number is not valid/,
			],
			[
				'Phone +0 country',
				profileRec('a', { Phone: '+04155550100' }),
				516,
				/Phone number is not valid/,
			],
			['Gender Male', profileRec('a', { Gender: 'Male' }), 514, /Gender is not valid/],
			['DOB a word', profileRec('a', { DOB: 'yesterday' }), 520, /DOB is not valid/],
			['DOB a bad day', profileRec('a', { DOB: '2020-02-31x' }), 520, /DOB is not valid/],
			['DOB a number', profileRec('a', { DOB: 631152000 }), 520, /DOB is not valid/],
			[
				'Identity in profileData too long',
				profileRec('a', { Identity: long(121) }),
				523,
				/Identity in profile data/,
			],
			[
				'a property name of 121 bytes',
				profileRec('a', { [long(121)]: 1 }),
				522,
				/Property name longer than 120 bytes/,
			],
			[
				'a property name of 61 two-byte characters',
				profileRec('a', { [long(61, 'é')]: 1 }),
				522,
				/longer than 120 bytes/,
			],
			[
				'a value of 513 bytes',
				profileRec('a', { note: long(513) }),
				522,
				/Value of note is longer than 512 bytes/,
			],
			[
				'a list value with 513 bytes',
				profileRec('a', { tags: ['ok', long(513)] }),
				522,
				/Value of tags/,
			],
			[
				'257 custom properties',
				profileRec('a', manyProps(257)),
				522,
				/More than 256 custom properties/,
			],
			['evtName missing', { type: 'event', identity: 'a' }, 509, /Event name is mandatory/],
			['evtName a number', { ...eventRec('a'), evtName: 5 }, 509, /Event name is mandatory/],
			['a restricted system event', eventRec('a', 'App Launched'), 513, /restricted system event/],
			['evtData a string', { ...eventRec('a'), evtData: 'x' }, 512, /Invalid event structure/],
			[
				'257 event properties',
				{ ...eventRec('a'), evtData: manyProps(257) },
				522,
				/Event properties limit exceeded/,
			],
			[
				'an event property name of 121 characters',
				{ ...eventRec('a'), evtData: { [long(121)]: 1 } },
				512,
				/Property name longer than 120 characters/,
			],
			[
				'an event value of 513 bytes',
				{ ...eventRec('a'), evtData: { x: long(513) } },
				512,
				/Value of x is longer than 512 bytes/,
			],
		])('%s → %s', async (name, rec, code, error) => {
			const r = await upload(sim, { d: [rec] });
			expect(r.status).toBe(200);
			expect(r.json.status).toBe('fail');
			expect(r.json.unprocessed).toHaveLength(1);
			// The echo is CleverTap's normalised copy: a Phone "+<digits>" loses its '+'.
			const echoed = {
				'Phone + but too short': profileRec('a', { Phone: 1234 }),
				'Phone +0 country': profileRec('a', { Phone: '04155550100' }),
			};
			expect(r.json.unprocessed[0]).toMatchObject({
				status: 'fail',
				code,
				record: echoed[/** @type {keyof typeof echoed} */ (name)] ?? rec,
			});
			expect(r.json.unprocessed[0].error).toMatch(error);
			expect(r.json.unprocessed[0].error).toMatch(/\. Skipped record number : 1$/);
		});

		test.each([
			[
				'the limits exactly',
				profileRec('x'.repeat(120), { ['k'.repeat(120)]: 'v'.repeat(512), ...manyProps(255) }),
			],
			['a number identity', { type: 'profile', identity: 12345, profileData: { Name: 'N' } }],
			['an objectId', { type: 'event', objectId: '__g123', evtName: 'Viewed' }],
			['no profileData', { type: 'profile', identity: 'a' }],
			['no evtData', { type: 'event', identity: 'a', evtName: 'E' }],
			['a ts in seconds', { ...eventRec('a'), ts: 1_700_000_000 }],
			[
				'standard properties',
				profileRec('a', {
					Name: 'A',
					Email: 'a@b.co',
					Phone: '+44 20 7946-0958',
					Gender: 'f',
					DOB: '$D_631152000',
					'MSG-email': false,
					'MSG-whatsapp': true,
				}),
			],
			['DOB as a date', profileRec('a', { DOB: '1990-01-31' })],
			['DOB as a date and time', profileRec('a', { DOB: '1990-01-31T00:00:00Z' })],
			[
				'256 custom properties and standard ones',
				profileRec('a', { ...manyProps(256), Name: 'A', Email: 'a@b.co' }),
			],
			['256 event properties', { ...eventRec('a'), evtData: manyProps(256) }],
		])('processed: %s', async (_name, rec) => {
			const r = await upload(sim, { d: [rec] });
			expect(r.json).toEqual({ status: 'success', processed: 1, unprocessed: [] });
		});

		test('the restricted events include the system events users search for', () => {
			expect(RESTRICTED_EVENTS.has('Identity Error')).toBe(true);
			expect(RESTRICTED_EVENTS.has('Web Page Viewed')).toBe(true);
			expect(RESTRICTED_EVENTS.has('Charged')).toBe(false);
		});
	});

	describe('the envelope → 400 envelope', () => {
		test.each([
			['empty body', '', /empty/],
			['malformed JSON', '{"d": [', /not valid JSON/],
			['an array', '[]', /JSON object/],
			['d missing', { records: [] }, /d must be an array/],
			['d an object', { d: {} }, /d must be an array/],
			['d empty', { d: [] }, /d must not be empty/],
		])('%s', async (_name, body, error) => {
			const r = await upload(sim, body);
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ status: 'fail', code: 400 });
			expect(r.json.error).toMatch(error);
			expect(sim.stats().recordsProcessed).toBe(0);
		});

		test('1,000 records are accepted, 1,001 are "Too many records"', async () => {
			const d = Array.from({ length: 1001 }, (_, i) => profileRec(`r${i}`));
			const over = await upload(sim, { d });
			expect(over.status).toBe(400);
			expect(over.json).toEqual(fail(400, 'Too many records: 1001 (at most 1000 per request)'));
			const ok = await upload(sim, { d: d.slice(0, 1000) });
			expect(ok.json).toMatchObject({ status: 'success', processed: 1000 });
			expect(sim.profiles.size).toBe(1000);
		});

		test('a body over 1 MB is fine for uploads (up to UPLOAD_MAX_BODY_BYTES)', async () => {
			const d = Array.from({ length: 1000 }, (_, i) =>
				profileRec(`big${i}`, { note: 'n'.repeat(500), more: 'm'.repeat(500) }),
			);
			const body = JSON.stringify({ d });
			expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
			expect(Buffer.byteLength(body)).toBeLessThan(UPLOAD_MAX_BODY_BYTES);
			expect((await upload(sim, body)).json.processed).toBe(1000);
		});

		test('credentials: 401 envelope, nothing stored', async () => {
			const r = await upload(sim, { d: [profileRec('a')] }, { 'Content-Type': 'application/json' });
			expect(r.json).toEqual(fail(401, 'Account ID is not valid'));
			expect(sim.profiles.size).toBe(0);
		});
	});

	describe('answer styles', () => {
		const bad = eventRec('b', '');
		const refused = (r) => r.json.unprocessed[0];
		/** Three refused records in a row: an invalid Email (with the fields CleverTap normalises), a missing event name, a restricted event. */
		const three = [
			{
				type: 'profile',
				identity: 18,
				profileData: { identity: 18, Email: '$$$$$', Phone: '+35922333232', Age: '18' },
			},
			eventRec('e2', ''),
			eventRec('e3', 'Web Page Viewed'),
		];
		/** The first record as CleverTap echoes it [T]: only profileData's identity and Phone change. */
		const firstEchoed = {
			type: 'profile',
			identity: 18,
			profileData: { identity: '18', Email: '$$$$$', Phone: 35922333232, Age: '18' },
		};

		test("default 'mixed': three refused records show the three recorded text forms and their echoes", async () => {
			expect([sim.uploadTextStyle, sim.uploadEchoStyle, sim.uploadNumberStyle]).toEqual([
				'mixed',
				'mixed',
				'number',
			]);
			const r = await upload(sim, { d: three });
			expect(r.json).toEqual({
				status: 'fail',
				processed: 0,
				unprocessed: [
					{
						status: 'fail',
						code: 515,
						error: 'Profile data is incorrect. Email is not valid. Skipped record number : 1',
						record: firstEchoed,
					},
					{
						status: 'fail',
						code: 509,
						error: 'Event Name is incorrect. Event name is mandatory.Skipped record number : 2',
						record: JSON.stringify(three[1]),
					},
					{
						status: 'fail',
						code: 513,
						error:
							'Event Name is incorrect. ErrorCode: 513 - Trying to raise a restricted system event. Skipped record number : 3',
						record: three[2],
					},
				],
			});
			// The form follows the record's number, not its place among the refused ones.
			const later = await upload(sim, { d: [profileRec('ok'), profileRec('ok2'), three[1]] });
			expect(refused(later)).toMatchObject({
				error:
					'Event Name is incorrect. ErrorCode: 509 - Event name is mandatory. Skipped record number : 3',
				record: three[1],
			});
		});

		test.each([
			[
				'space',
				[
					'Profile data is incorrect. Email is not valid. Skipped record number : 1',
					'Event Name is incorrect. Event name is mandatory. Skipped record number : 2',
				],
			],
			[
				'nospace',
				[
					'Profile data is incorrect. Email is not valid.Skipped record number : 1',
					'Event Name is incorrect. Event name is mandatory.Skipped record number : 2',
				],
			],
			[
				'errorcode',
				[
					'Profile data is incorrect. ErrorCode: 515 - Email is not valid. Skipped record number : 1',
					// As [RT] recorded it, word for word.
					'Event Name is incorrect. ErrorCode: 509 - Event name is mandatory. Skipped record number : 2',
				],
			],
		])(
			'uploadTextStyle %s: every entry in that form; the mixed echo follows it',
			async (style, texts) => {
				sim.setUploadAnswerStyle({ text: /** @type {any} */ (style) });
				const r = await upload(sim, { d: three.slice(0, 2) });
				expect(r.json.unprocessed.map((u) => u.error)).toEqual(texts);
				const asString = style === 'nospace';
				expect(r.json.unprocessed.map((u) => u.record)).toEqual(
					asString
						? [JSON.stringify(firstEchoed), JSON.stringify(three[1])]
						: [firstEchoed, three[1]],
				);
				expect(r.json.unprocessed.map((u) => u.code)).toEqual([515, 509]);
			},
		);

		test("the 2017 phone answer of [T], word for word, in 'nospace'", async () => {
			sim.setUploadAnswerStyle({ text: 'nospace' });
			const rec = profileRec('10', { Name: 'John Rush', Phone: '223' });
			expect(refused(await upload(sim, { d: [rec] }))).toEqual({
				status: 'fail',
				code: 516,
				error: 'Profile data is incorrect. Phone number is not valid.Skipped record number : 1',
				record: JSON.stringify(rec),
			});
		});

		test.each([
			['object', [firstEchoed, three[1], three[2]]],
			['string', [firstEchoed, three[1], three[2]].map((x) => JSON.stringify(x))],
			['mixed', [firstEchoed, JSON.stringify(three[1]), three[2]]],
		])(
			'uploadEchoStyle %s: the normalised copy, as an object or a string',
			async (style, echoes) => {
				sim.setUploadAnswerStyle({ echo: /** @type {any} */ (style) });
				const r = await upload(sim, { d: three });
				expect(r.json.unprocessed.map((u) => u.record)).toEqual(echoes);
				// The record as sent is kept as sent.
				expect(sim.requests[0].json).toEqual({ d: three });
			},
		);

		test('the styles and their defaults', () => {
			expect(UPLOAD_TEXT_STYLES).toEqual(['space', 'nospace', 'errorcode', 'mixed']);
			expect(UPLOAD_ECHO_STYLES).toEqual(['object', 'string', 'mixed']);
		});

		test('refusalText: a text without "<Field> is incorrect." gets the code in front', () => {
			const problem = {
				code: 555,
				text: 'Record could not be processed. Miscellaneous server error.',
			};
			expect(refusalText(problem, 'errorcode', 4, true)).toBe(
				'ErrorCode: 555 - Record could not be processed. Miscellaneous server error. Skipped record number : 4',
			);
			expect(
				refusalText(
					{ code: 523, text: 'Identity is incorrect. Identity is missing.' },
					'errorcode',
					1,
					false,
				),
			).toBe('Identity is incorrect. ErrorCode: 523 - Identity is missing.');
			expect(refusalText(problem, 'nospace', 2, false)).toBe(problem.text);
		});

		test('normalisedEcho: only profileData Phone "+…" and numeric identities change; a copy', () => {
			const rec = {
				type: 'profile',
				identity: 7,
				profileData: { Phone: '+44 20 7946-0958', Identity: 12, identity: 'x', n: 5 },
			};
			const copy = normalisedEcho(rec);
			expect(copy).toEqual({
				type: 'profile',
				identity: 7,
				profileData: { Phone: '44 20 7946-0958', Identity: '12', identity: 'x', n: 5 },
			});
			expect(rec.profileData.Phone).toBe('+44 20 7946-0958');
			for (const same of [
				eventRec('a'),
				profileRec('a', { Phone: '4155550100' }),
				'x',
				[],
				{ type: 'profile', profileData: 'x' },
			]) {
				expect(normalisedEcho(same)).toBe(same);
			}
			// Digits that would not read back the same stay a string.
			expect(normalisedEcho(profileRec('a', { Phone: '+123456789012345678' })).profileData).toEqual(
				{
					Phone: '123456789012345678',
				},
			);
		});

		test('uploadEchoStyle string: the echoed record is a JSON string', async () => {
			sim.setUploadAnswerStyle({ echo: 'string' });
			const r = await upload(sim, { d: [profileRec('a'), bad] });
			expect(refused(r).record).toBe(JSON.stringify(bad));
			expect(refused(r).error).toMatch(/Skipped record number : 2$/);
		});

		test('uploadNumberStyle none: the error text has no record number (the echo is the only link)', async () => {
			sim.setUploadAnswerStyle({ number: 'none' });
			const r = await upload(sim, {
				d: [profileRec('a'), bad, profileRec('c'), eventRec('d', '')],
			});
			expect(r.json.unprocessed).toEqual([
				{
					status: 'fail',
					code: 509,
					error: 'Event Name is incorrect. Event name is mandatory.',
					record: JSON.stringify(bad),
				},
				{
					status: 'fail',
					code: 509,
					error: 'Event Name is incorrect. Event name is mandatory.',
					record: eventRec('d', ''),
				},
			]);
		});

		test('as start options, restored by reset(); unknown styles are refused', async () => {
			const s = await startSimulator({
				uploadTextStyle: 'errorcode',
				uploadEchoStyle: 'string',
				uploadNumberStyle: 'none',
			});
			try {
				s.setUploadAnswerStyle({ text: 'space', echo: 'object', number: 'number' });
				s.reset();
				expect(refused(await upload(s, { d: [bad] }))).toMatchObject({
					record: JSON.stringify(bad),
					error: 'Event Name is incorrect. ErrorCode: 509 - Event name is mandatory.',
				});
			} finally {
				await s.close();
			}
			expect(() => sim.setUploadAnswerStyle({ echo: /** @type {any} */ ('json') })).toThrow(/echo/);
			expect(() => sim.setUploadAnswerStyle({ text: /** @type {any} */ ('2017') })).toThrow(/text/);
			await expect(startSimulator({ uploadNumberStyle: /** @type {any} */ ('x') })).rejects.toThrow(
				/uploadNumberStyle/,
			);
			await expect(startSimulator({ uploadTextStyle: /** @type {any} */ ('x') })).rejects.toThrow(
				/uploadTextStyle/,
			);
		});
	});

	describe('rejectRecords: chosen records unprocessed', () => {
		test('a list of identities/objectIds; default refusal code 555', async () => {
			sim.setRejectRecords(['b', 'obj-9']);
			const d = [
				profileRec('a'),
				profileRec('b'),
				{ type: 'event', objectId: 'obj-9', evtName: 'E' },
			];
			const r = await upload(sim, { d });
			expect(r.json.status).toBe('partial');
			expect(r.json.unprocessed.map((u) => [u.code, u.error])).toEqual([
				[555, skippedNoSpace('Record could not be processed. Miscellaneous server error.', 2)],
				[
					555,
					skipped('ErrorCode: 555 - Record could not be processed. Miscellaneous server error.', 3),
				],
			]);
			sim.setRejectRecords(null);
			expect((await upload(sim, { d })).json.status).toBe('success');
		});

		test('a predicate of (record, number) choosing the code and text; a refusal for a list', async () => {
			sim.setRejectRecords((rec, n) =>
				n === 2
					? { code: 515, error: 'Profile data is incorrect. Email is not valid.' }
					: rec.identity === 'c',
			);
			const r = await upload(sim, { d: [profileRec('a'), profileRec('b'), profileRec('c')] });
			expect(r.json.unprocessed.map((u) => [u.code, u.error])).toEqual([
				[515, skippedNoSpace('Profile data is incorrect. Email is not valid.', 2)],
				[
					555,
					skipped('ErrorCode: 555 - Record could not be processed. Miscellaneous server error.', 3),
				],
			]);
			sim.setRejectRecords(['a'], { code: 523 });
			expect((await upload(sim, { d: [profileRec('a')] })).json.unprocessed[0].code).toBe(523);
		});

		test('option { match, code, error }, restored by reset(); bad specs throw', async () => {
			const s = await startSimulator({
				rejectRecords: { match: ['x'], code: 516, error: 'Phone!' },
			});
			try {
				s.setRejectRecords(null);
				s.reset();
				const r = await upload(s, { d: [profileRec('x')] });
				expect(r.json.unprocessed[0]).toMatchObject({ code: 516, error: skipped('Phone!', 1) });
			} finally {
				await s.close();
			}
			expect(() => sim.setRejectRecords(/** @type {any} */ ('x'))).toThrow(/rejectRecords/);
		});
	});

	describe("'200-success-unprocessed': status success whatever the records (recorded from the live API)", () => {
		test('default: every record unprocessed with code 523, status "success", processed 0, the 2017 form', async () => {
			sim.addFault({ kind: '200-success-unprocessed' });
			const rec = profileRec('a', { Phone: '+35922333232' });
			const r = await upload(sim, { d: [rec] });
			expect(r.status).toBe(200);
			// As [T] recorded it in 2017: no space before "Skipped", the normalised echo as a string.
			expect(r.json).toEqual({
				status: 'success',
				processed: 0,
				unprocessed: [
					{
						status: 'fail',
						code: 523,
						error: skippedNoSpace('Identity is incorrect. Identity is missing.', 1),
						record: JSON.stringify(profileRec('a', { Phone: 35922333232 })),
					},
				],
			});
			expect(sim.requests[0].fault).toBe('200-success-unprocessed');
			expect(sim.stats().faultsServed).toBe(1);
			expect(sim.findProfile({ identity: 'a' })).toBeUndefined();
			// used up: the next upload is answered as usual
			expect((await upload(sim, { d: [rec] })).json).toEqual({
				status: 'success',
				processed: 1,
				unprocessed: [],
			});
		});

		test('records, code, error and the answer styles per fault; invalid records keep their own code', async () => {
			sim.addFault({
				kind: '200-success-unprocessed',
				records: [3],
				code: 515,
				error: 'Profile data is incorrect. Email is not valid.',
				echoStyle: 'string',
				numberStyle: 'none',
			});
			const d = [profileRec('a'), eventRec('b', ''), profileRec('c')];
			const r = await upload(sim, { d });
			expect(r.json).toEqual({
				status: 'success',
				processed: 1,
				unprocessed: [
					{
						status: 'fail',
						code: 509,
						error: 'Event Name is incorrect. Event name is mandatory.',
						record: JSON.stringify(d[1]),
					},
					{
						status: 'fail',
						code: 515,
						error: 'Profile data is incorrect. Email is not valid.',
						record: JSON.stringify(d[2]),
					},
				],
			});
			expect(sim.uploaded).toEqual([d[0]]);
		});

		test('textStyle and echoStyle per fault; bad styles are refused', async () => {
			sim.addFault({ kind: '200-success-unprocessed', textStyle: 'mixed', echoStyle: 'mixed' });
			const d = [profileRec('a'), profileRec('b'), profileRec('c')];
			const r = await upload(sim, { d });
			expect(r.json.status).toBe('success');
			expect(r.json.unprocessed.map((u) => [u.error, u.record])).toEqual([
				[skipped('Identity is incorrect. Identity is missing.', 1), d[0]],
				[skippedNoSpace('Identity is incorrect. Identity is missing.', 2), JSON.stringify(d[1])],
				[skipped('Identity is incorrect. ErrorCode: 523 - Identity is missing.', 3), d[2]],
			]);
			for (const bad of [{ textStyle: 'x' }, { echoStyle: 'json' }, { numberStyle: 'y' }]) {
				expect(() => sim.addFault({ kind: '200-success-unprocessed', ...bad })).toThrow(
					Object.keys(bad)[0],
				);
			}
		});

		test('it still needs good credentials and a good envelope', async () => {
			sim.addFault({ kind: '200-success-unprocessed', times: 2 });
			expect((await upload(sim, { d: [profileRec('a')] }, {})).status).toBe(401);
			expect((await upload(sim, { d: [] })).status).toBe(400);
			expect(sim.faults).toEqual([]);
		});
	});

	describe('effects on the profiles', () => {
		test('a profile record creates or updates the profile: Name, Email, Identity and profileData', async () => {
			const existing = sim.addProfile({
				identity: 'u1',
				name: 'Old',
				profileData: { Tier: 'silver', Keep: 1 },
			});
			await upload(sim, {
				d: [
					profileRec('u1', {
						Name: 'New',
						Email: 'u1@example.com',
						Identity: 'u1-alias',
						Tier: 'gold',
						Phone: '+14155550100',
					}),
					profileRec('u2', { Name: 'Two' }),
				],
			});
			expect(sim.findProfile({ identity: 'u1-alias' })).toBe(existing);
			expect((await getProfile(sim, { email: 'U1@example.com' })).json.record).toEqual({
				identity: 'u1',
				identities: ['u1', 'u1-alias'],
				email: 'u1@example.com',
				name: 'New',
				profileData: { Tier: 'gold', Keep: 1, Phone: '+14155550100' },
				platformInfo: [{ platform: 'Web', objectId: existing.objectId }],
			});
			expect(sim.findProfile({ identity: 'u2' })).toMatchObject({
				name: 'Two',
				identities: ['u2'],
			});
		});

		test('an objectId record updates that profile; an unknown objectId makes one', async () => {
			const p = sim.addProfile({ identity: 'has-id' });
			await upload(sim, {
				d: [
					{ type: 'profile', objectId: p.objectId, profileData: { A: 1 } },
					{ type: 'profile', objectId: 'new-obj', profileData: { B: 2 } },
				],
			});
			expect(p.profileData).toEqual({ A: 1 });
			expect(sim.findProfile({ objectId: 'new-obj' })?.profileData).toEqual({ B: 2 });
		});

		test('an event record appends to the events (making the profile); Get Many by Event finds it', async () => {
			const ts = Date.UTC(2024, 4, 17, 12) / 1000;
			await upload(sim, {
				d: [eventRec('e1', 'Identity Fixed', { ts }), eventRec('e2', 'Identity Fixed')],
			});
			expect(sim.findProfile({ identity: 'e1' })?.events).toEqual([
				{ name: 'Identity Fixed', ts, date: 20240517, data: { plan: 'pro' } },
			]);
			const today = sim.findProfile({ identity: 'e2' })?.events[0].date;
			expect(today).toBeGreaterThan(20240517);
			const cursor = (
				await post(sim, `${PROFILES}?batch_size=5`, {
					event_name: 'Identity Fixed',
					from: 20240517,
					to: 20240517,
				})
			).json.cursor;
			const page = await get(sim, `${PROFILES}?cursor=${cursor}`);
			expect(page.json.records.map((r) => r.identity)).toEqual(['e1']);
		});

		test('the request record is kept as sent', async () => {
			await upload(sim, '{"d":[{"type":"profile","identity":"r","profileData":{}}]}');
			expect(sim.requests[0]).toMatchObject({
				method: 'POST',
				path: UPLOAD,
				api: 'upload',
				json: { d: [{ identity: 'r' }] },
			});
		});
	});
});
