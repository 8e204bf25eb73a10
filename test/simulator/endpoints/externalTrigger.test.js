'use strict';

const { startSimulator, EXTERNAL_TRIGGER_PATH, TRIGGER_RECIPIENT_TYPES } = require('../index.js');
const {
	EXTERNAL_TRIGGER,
	SEND,
	AUTH_ONLY,
	fail,
	post,
	get,
	control,
	useSimulator,
} = require('../testkit');

const sim = useSimulator();

/** @param {unknown} body @param {Record<string, string>} [headers] */
const trigger = (body, headers) => post(sim, EXTERNAL_TRIGGER, body, headers);
/** The doc's example body ([DOC], flattened to texts). */
const DOC = {
	to: { email: ['jane@example.com'] },
	campaign_id: '1695721550',
	ExternalTrigger: { Name: 'John Doe', productName: 'Apple Watch' },
};

describe('External Trigger: POST /1/send/externaltrigger.json', () => {
	test('taken: {"status":"success","message":"Added to queue for processing"} (inferred), kept with its recipients and campaign id', async () => {
		const r = await trigger(DOC);
		expect([r.status, r.text]).toEqual([
			200,
			'{"status":"success","message":"Added to queue for processing"}',
		]);
		expect(sim.sends).toEqual([
			{
				seq: 1,
				api: 'externalTrigger',
				channel: 'externaltrigger',
				accountId: 'TEST-ACCOUNT',
				to: { email: ['jane@example.com'] },
				campaignId: '1695721550',
				body: DOC,
			},
		]);
		expect(sim.requests[0]).toMatchObject({
			api: 'externalTrigger',
			identities: ['jane@example.com'],
		});
		expect(sim.stats()).toMatchObject({
			sendsAccepted: 1,
			messagesQueued: 1,
			requestsByApi: { externalTrigger: 1 },
		});
	});

	test('lowercase identity, email and objectId; a number campaign_id kept as text; no ExternalTrigger is fine', async () => {
		expect([...TRIGGER_RECIPIENT_TYPES]).toEqual(['identity', 'email', 'objectId']);
		const r = await trigger({
			to: { identity: ['u1', 7], email: ['A@X.com'], objectId: ['o1'] },
			campaign_id: 1700000000,
		});
		expect(r.status).toBe(200);
		expect(sim.sends[0]).toMatchObject({
			campaignId: '1700000000',
			to: { identity: ['u1', '7'], email: ['A@X.com'], objectId: ['o1'] },
		});
		expect(sim.recipients({ campaignId: 1700000000 })).toEqual([
			{ type: 'identity', id: 'u1', times: 1 },
			{ type: 'identity', id: '7', times: 1 },
			{ type: 'email', id: 'a@x.com', times: 1 },
			{ type: 'objectId', id: 'o1', times: 1 },
		]);
		expect(sim.recipients({ campaignId: '1' })).toEqual([]);
	});

	test('recipients share one spelling with Send to users: an identity sent to by both counts twice', async () => {
		await trigger({ to: { identity: ['u1'] }, campaign_id: '1' });
		await post(sim, SEND.sms, { to: { Identity: ['u1'] }, content: { body: 'B' } });
		expect(sim.recipients()).toEqual([{ type: 'identity', id: 'u1', times: 2 }]);
		expect(sim.recipients({ api: 'externalTrigger' })).toEqual([
			{ type: 'identity', id: 'u1', times: 1 },
		]);
	});

	test.each([
		['Identity', 'to.Identity is not a recipient type here: use "identity" (lowercase)'],
		['Email', 'to.Email is not a recipient type here: use "email" (lowercase)'],
		['objectid', 'to.objectid is not a recipient type here: use "objectId"'],
		['FBID', 'Invalid recipient type in to: "FBID"'],
	])("to.%s (Send to users' spelling or unknown) → 400 naming it", async (key, error) => {
		const r = await trigger({ ...DOC, to: { [key]: ['x'] } });
		expect([r.status, r.json]).toEqual([400, fail(400, error)]);
		expect(sim.sends).toEqual([]);
	});

	test.each([
		['a number', 5, 'a number'],
		['true', true, 'a boolean'],
		['null', null, 'null'],
		['an object', { a: 'b' }, 'an object'],
		['a list', ['x'], 'a list'],
	])('an ExternalTrigger value that is %s → 400 naming the key', async (_name, value, kind) => {
		const r = await trigger({ ...DOC, ExternalTrigger: { Name: 'ok', Price: value } });
		expect(r.json).toEqual(
			fail(
				400,
				`ExternalTrigger.Price must be a string, got ${kind} (CleverTap only supports String values)`,
			),
		);
		expect(sim.sends).toEqual([]);
	});

	test.each([
		['campaign_id missing', { to: DOC.to }, /campaign_id is required/],
		['campaign_id blank', { ...DOC, campaign_id: ' ' }, /campaign_id is required/],
		['campaign_id an object', { ...DOC, campaign_id: { id: 1 } }, /campaign_id is required/],
		['campaign_id 0', { ...DOC, campaign_id: 0 }, /campaign_id is required/],
		[
			'ExternalTrigger a list',
			{ ...DOC, ExternalTrigger: ['a'] },
			/ExternalTrigger must be an object/,
		],
		['to missing', { campaign_id: '1' }, /^to is required/],
		['no ids', { ...DOC, to: { email: [] } }, /^to has no recipients/],
		['empty body', '', /empty/],
	])('%s → 400', async (_name, body, error) => {
		const r = await trigger(body);
		expect([r.status, r.json.error]).toEqual([400, expect.stringMatching(error)]);
	});

	test('at most 1,000 ids per call across types (inferred)', async () => {
		const many = (/** @type {string} */ p, /** @type {number} */ n) =>
			Array.from({ length: n }, (_, i) => `${p}${i}`);
		expect(
			(await trigger({ ...DOC, to: { identity: many('i', 600), email: many('e', 400) } })).status,
		).toBe(200);
		const r = await trigger({ ...DOC, to: { identity: many('i', 600), email: many('e', 401) } });
		expect(r.json.error).toMatch(/^Too many recipients: 1001 \(at most 1000/);
	});

	test('known External-Trigger campaigns: any other id is a 400 naming it; null takes any; reset() restores the option', async () => {
		sim.setExternalTriggerCampaigns(['1695721550', 42]);
		expect(sim.externalTriggerCampaigns).toEqual(['1695721550', '42']);
		expect((await trigger(DOC)).status).toBe(200);
		expect((await trigger({ ...DOC, campaign_id: '42' })).status).toBe(200);
		const r = await trigger({ ...DOC, campaign_id: 7 });
		expect(r.json).toEqual(
			fail(400, 'Invalid campaign_id: 7 is not an External Trigger campaign of this account'),
		);
		sim.setExternalTriggerCampaigns(null);
		expect((await trigger({ ...DOC, campaign_id: 7 })).status).toBe(200);
		expect(() => sim.setExternalTriggerCampaigns(/** @type {any} */ ('42'))).toThrow(/list/);
		sim.setExternalTriggerCampaigns([1]);
		sim.reset();
		expect(sim.externalTriggerCampaigns).toBeNull();
	});

	test('option externalTriggerCampaigns and POST /__simulator/external-trigger-campaigns', async () => {
		const s = await startSimulator({ control: true, externalTriggerCampaigns: [1] });
		try {
			const send = (/** @type {unknown} */ id) =>
				post(s, EXTERNAL_TRIGGER, { to: { identity: ['a'] }, campaign_id: id });
			expect((await send('1')).status).toBe(200);
			expect((await send('2')).status).toBe(400);
			expect((await control(s, 'POST', 'external-trigger-campaigns', ['2'])).json).toEqual({
				status: 'success',
			});
			expect((await send(2)).status).toBe(200);
			expect((await send(1)).status).toBe(400);
			await control(s, 'POST', 'external-trigger-campaigns', null);
			expect((await send(1)).status).toBe(200);
			expect((await control(s, 'POST', 'external-trigger-campaigns', { id: 1 })).status).toBe(400);
			expect((await control(s, 'GET', 'recipients?campaignId=2')).json).toEqual([
				{ type: 'identity', id: 'a', times: 1 },
			]);
		} finally {
			await s.close();
		}
	});

	test('wrong passcode → 401 and nothing kept; GET → 405; /2/send/externaltrigger.json is not simulated (404)', async () => {
		expect((await trigger(DOC, { ...AUTH_ONLY, 'X-CleverTap-Passcode': 'x' })).status).toBe(401);
		expect((await get(sim, EXTERNAL_TRIGGER)).json).toEqual(fail(405, 'Method not allowed'));
		expect((await post(sim, '/2/send/externaltrigger.json', DOC)).status).toBe(404);
		expect(sim.sends).toEqual([]);
		expect(EXTERNAL_TRIGGER_PATH).toBe(EXTERNAL_TRIGGER);
	});
});
