'use strict';

const { startSimulator, SEND_PATHS, SEND_RECIPIENT_TYPES } = require('../index.js');
const {
	SEND,
	EXTERNAL_TRIGGER,
	AUTH_ONLY,
	headersFor,
	fail,
	post,
	get,
	control,
	useSimulator,
} = require('../testkit');

const sim = useSimulator({
	accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' },
	maxRecipients: 1000,
});

/** The recorded answer of a taken send [T], spacing kept. */
const QUEUED = '{ "message" : "Added to queue for processing" , "status" : "success"}';
const CONTENT = {
	push: { title: 'Hi', body: 'Hello', platform_specific: { android: { wzrk_cid: 'engagement' } } },
	email: { subject: 'S', body: '<p>B</p>', sender_name: 'Shop' },
	sms: { body: 'B' },
	webpush: { title: 'T', body: 'B' },
};

/** @param {keyof typeof SEND} channel @param {unknown} body @param {Record<string, string>} [headers] */
const send = (channel, body, headers) => post(sim, SEND[channel], body, headers);
/** A body for a channel with its content. @param {keyof typeof SEND} channel @param {Record<string, unknown>} to @param {object} [extra] */
const body = (channel, to, extra = {}) => ({ to, content: CONTENT[channel], ...extra });
/** n ids with a prefix. @param {string} prefix @param {number} n */
const ids = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('Send to users: POST /1/send/{push,email,sms,webpush}.json', () => {
	test.each(Object.keys(SEND))(
		'%s: taken with the recorded body, HTTP 200 [T]; kept with its recipients',
		async (channel) => {
			const c = /** @type {keyof typeof SEND} */ (channel);
			const r = await send(c, body(c, { Identity: ['JohnDoe'], Email: ['john@doe.com'] }));
			expect([r.status, r.text]).toEqual([200, QUEUED]);
			expect(r.headers.get('content-type')).toBe('application/json;charset=utf-8');
			expect(sim.sends).toEqual([
				{
					seq: 1,
					api: 'send',
					channel,
					accountId: 'TEST-ACCOUNT',
					to: { Identity: ['JohnDoe'], Email: ['john@doe.com'] },
					body: body(c, { Identity: ['JohnDoe'], Email: ['john@doe.com'] }),
				},
			]);
			expect(sim.requests[0]).toMatchObject({
				api: 'send',
				identities: ['JohnDoe', 'john@doe.com'],
			});
			expect(sim.stats()).toMatchObject({
				sendsAccepted: 1,
				messagesQueued: 2,
				requestsByApi: { send: 1 },
			});
		},
	);

	test("all five recipient types of CleverTap's sample, capitalised [SNIP]; numbers kept as text", async () => {
		expect([...SEND_RECIPIENT_TYPES]).toEqual(['Identity', 'Email', 'objectId', 'FBID', 'GPID']);
		const to = {
			FBID: ['102029292929388', 114342342453463],
			GPID: ['1928288389299292'],
			Email: ['john@doe.com', 'jane@doe.com'],
			Identity: ['JohnDoe'],
			objectId: ['_asdnkansdjknaskdjnasjkndja'],
		};
		expect((await send('push', body('push', to, { tag_group: 'g' }))).status).toBe(200);
		expect(sim.sends[0].to.FBID).toEqual(['102029292929388', '114342342453463']);
		expect(sim.stats().messagesQueued).toBe(7);
	});

	describe('recipients: every id, how many times it was sent to', () => {
		test('each person reached once, or not: repeats across requests and within one count', async () => {
			await send('sms', body('sms', { Identity: ['a', 'b'] }));
			await send('email', body('email', { Email: ['C@X.com'], Identity: ['b'] }));
			await send('push', body('push', { objectId: ['o1', 'o1'] }));
			expect(sim.recipients()).toEqual([
				{ type: 'identity', id: 'a', times: 1 },
				{ type: 'identity', id: 'b', times: 2 },
				{ type: 'email', id: 'c@x.com', times: 1 },
				{ type: 'objectId', id: 'o1', times: 2 },
			]);
			expect(sim.recipients({ channel: 'sms' })).toEqual([
				{ type: 'identity', id: 'a', times: 1 },
				{ type: 'identity', id: 'b', times: 1 },
			]);
			expect(sim.recipients({ api: 'externalTrigger' })).toEqual([]);
			expect(sim.recipients({ accountId: 'OTHER' })).toEqual([]);
			expect(sim.stats().messagesQueued).toBe(6);
		});

		test('a 1,000-person send split in requests of at most 1,000 reaches each once', async () => {
			const everyone = ids('p', 1500);
			for (let i = 0; i < everyone.length; i += 1000) {
				const r = await send('sms', body('sms', { Identity: everyone.slice(i, i + 1000) }));
				expect(r.status).toBe(200);
			}
			const reached = sim.recipients();
			expect(reached).toHaveLength(1500);
			expect(reached.every((r) => r.times === 1)).toBe(true);
			expect(sim.stats()).toMatchObject({ sendsAccepted: 2, messagesQueued: 1500 });
		});

		test('GET /__simulator/sends and /__simulator/recipients (filters in the query); reset() clears them', async () => {
			const s = await startSimulator({ control: true });
			try {
				await post(s, SEND.sms, body('sms', { Identity: ['a'] }));
				await post(s, SEND.push, body('push', { Identity: ['a', 'b'] }));
				const sends = (await control(s, 'GET', 'sends')).json;
				expect(sends.map((/** @type {any} */ x) => x.channel)).toEqual(['sms', 'push']);
				expect((await control(s, 'GET', 'recipients')).json).toEqual([
					{ type: 'identity', id: 'a', times: 2 },
					{ type: 'identity', id: 'b', times: 1 },
				]);
				expect((await control(s, 'GET', 'recipients?channel=push&api=send')).json).toEqual([
					{ type: 'identity', id: 'a', times: 1 },
					{ type: 'identity', id: 'b', times: 1 },
				]);
				await control(s, 'POST', 'reset');
				expect((await control(s, 'GET', 'sends')).json).toEqual([]);
				expect(s.stats()).toMatchObject({ sendsAccepted: 0, messagesQueued: 0 });
			} finally {
				await s.close();
			}
		});
	});

	describe('recipient lists', () => {
		test.each([
			['identity', 'to.identity is not a recipient type here: use "Identity" (capitalised)'],
			['email', 'to.email is not a recipient type here: use "Email" (capitalised)'],
			['ObjectId', 'to.ObjectId is not a recipient type here: use "objectId"'],
			['ID', 'Invalid recipient type in to: "ID"'],
			['phone', 'Invalid recipient type in to: "phone"'],
		])("to.%s (External Trigger's spelling or unknown) → 400 naming it", async (key, error) => {
			const r = await send('sms', body('sms', { Identity: ['ok'], [key]: ['x'] }));
			expect([r.status, r.json]).toEqual([400, fail(400, error)]);
			expect(sim.sends).toEqual([]);
		});

		test.each([
			['to missing', { content: CONTENT.sms }, /^to is required/],
			['to a list', { to: ['a'], content: CONTENT.sms }, /^to is required/],
			['no ids', { to: { Identity: [] }, content: CONTENT.sms }, /^to has no recipients/],
			[
				'ids not a list',
				{ to: { Identity: 'a' }, content: CONTENT.sms },
				/to\.Identity must be a list/,
			],
			[
				'a blank id',
				{ to: { Email: ['a@x.com', ' '] }, content: CONTENT.sms },
				/Invalid Email in to: " "/,
			],
			[
				'a null id',
				{ to: { objectId: [null] }, content: CONTENT.sms },
				/Invalid objectId in to: null/,
			],
			['empty body', '', /empty/],
		])('%s → 400', async (_name, b, error) => {
			const r = await send('sms', b);
			expect([r.status, r.json.error]).toEqual([400, expect.stringMatching(error)]);
		});

		test('at most 1,000 ids in total across all types: 1,000 split over types is taken, 1,001 is a 400 naming the count', async () => {
			const split = { Identity: ids('i', 400), Email: ids('e', 300), objectId: ids('o', 300) };
			expect((await send('sms', body('sms', split))).status).toBe(200);
			const over = { ...split, FBID: ['f'] };
			const r = await send('sms', body('sms', over));
			expect([r.status, r.json.error]).toEqual([
				400,
				'Too many recipients: 1001 (at most 1000 per request, counted across Identity, Email, objectId, FBID, GPID)',
			]);
			expect(sim.stats()).toMatchObject({ sendsAccepted: 1, messagesQueued: 1000 });
		});

		test('maxRecipients option', async () => {
			const s = await startSimulator({ maxRecipients: 2 });
			try {
				expect((await post(s, SEND.sms, body('sms', { Identity: ['a', 'b'] }))).status).toBe(200);
				expect(
					(await post(s, SEND.sms, body('sms', { Identity: ['a'], GPID: ['g', 'h'] }))).status,
				).toBe(400);
			} finally {
				await s.close();
			}
		});
	});

	describe('content', () => {
		test('the Android channel: an android block or device "android" without wzrk_cid → the recorded HTTP 400 code 9 [T]', async () => {
			const recorded =
				'{ "status" : "fail" , "error" : "Notification channel is required for devices having Android 8.0 or above" , "code" : 9}';
			const to = { Email: ['john@doe.com'] };
			const plain = { title: 'Hi', body: 'Hello' };
			for (const b of [
				{ to, content: { ...plain, platform_specific: { android: { key: 'v' } } } },
				{ to, content: plain, devices: ['android'] },
				{ to, content: { ...plain, platform_specific: { ios: {} } }, devices: ['ios', 'android'] },
			]) {
				const r = await send('push', b);
				expect([r.status, r.text]).toEqual([400, recorded]);
			}
			// No android block and no android device: nothing to ask for.
			expect((await send('push', { to, content: plain })).status).toBe(200);
			expect((await send('push', { to, content: plain, devices: ['ios'] })).status).toBe(200);
			expect((await send('push', { to, content: CONTENT.push, devices: ['android'] })).status).toBe(
				200,
			);
			// Web push has no Android channel.
			const web = { ...CONTENT.webpush, platform_specific: { android: {} } };
			expect((await send('webpush', { to, content: web })).status).toBe(200);
			expect(sim.sends).toHaveLength(4);
		});

		test.each([
			['push', { body: 'B' }, 'content.title is required for push'],
			['push', undefined, 'content is required for push: {"title", "body"}'],
			['email', { subject: 'S', body: 'B' }, 'content.sender_name is required for email'],
			['sms', { body: '' }, 'content.body is required for sms'],
			['webpush', { title: 'T' }, 'content.body is required for webpush'],
		])('%s with content %j → 400', async (channel, content, error) => {
			const c = /** @type {keyof typeof SEND} */ (channel);
			const r = await send(c, { to: { Identity: ['a'] }, content });
			expect(r.json).toEqual(fail(400, error));
		});

		test('devices and respect_frequency_caps are checked', async () => {
			const to = { Identity: ['a'] };
			expect((await send('push', { to, content: CONTENT.push, devices: ['web'] })).json.error).toBe(
				'Invalid device: "web"',
			);
			expect(
				(await send('sms', { to, content: CONTENT.sms, respect_frequency_caps: 'no' })).json.error,
			).toBe('respect_frequency_caps must be true or false');
			expect(
				(await send('sms', { to, content: CONTENT.sms, respect_frequency_caps: false })).status,
			).toBe(200);
		});

		test('providers: email and sms need provider_nick_name only when the account has several', async () => {
			const to = { Identity: ['a'] };
			// One provider (the default): the recorded sends had none and were taken [T].
			expect((await send('email', { to, content: CONTENT.email })).status).toBe(200);
			sim.setProviders(['Provider 1', 'Provider 2']);
			expect((await send('email', { to, content: CONTENT.email })).json.error).toBe(
				'provider_nick_name is required: this account has 2 email providers',
			);
			expect((await send('sms', { to, content: CONTENT.sms })).status).toBe(400);
			expect(
				(await send('sms', { to, content: CONTENT.sms, provider_nick_name: 'Provider 1' })).status,
			).toBe(200);
			expect((await send('push', { to, content: CONTENT.push })).status).toBe(200);
			expect((await send('webpush', { to, content: CONTENT.webpush })).status).toBe(200);
		});
	});

	test('each account its own sends; wrong passcode → 401 and nothing kept; GET → 405; whatsapp is not a path here', async () => {
		const other = headersFor('OTHER', 'other');
		await send('sms', body('sms', { Identity: ['a'] }), other);
		expect(sim.recipients({ accountId: 'OTHER' })).toEqual([
			{ type: 'identity', id: 'a', times: 1 },
		]);
		const bad = await send('sms', body('sms', { Identity: ['b'] }), {
			...AUTH_ONLY,
			'X-CleverTap-Passcode': 'x',
		});
		expect(bad.status).toBe(401);
		expect((await get(sim, SEND.sms)).json).toEqual(fail(405, 'Method not allowed'));
		expect(
			(await post(sim, '/1/send/whatsapp.json', body('sms', { Identity: ['c'] }))).status,
		).toBe(404);
		expect(sim.sends).toHaveLength(1);
		expect(SEND_PATHS).toEqual(SEND);
		expect(EXTERNAL_TRIGGER).toBe('/1/send/externaltrigger.json');
	});
});
