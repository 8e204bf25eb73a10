'use strict';

const { startSimulator, CAMPAIGN_PATHS, TARGET_MODES } = require('../index.js');
const { checkWhen, minuteOf } = require('./campaigns');
const { dayOf } = require('../store');
const {
	TARGETS,
	GOOD,
	AUTH_ONLY,
	headersFor,
	fail,
	post,
	get,
	control,
	useSimulator,
} = require('../testkit');

const sim = useSimulator({ accounts: { 'TEST-ACCOUNT': 'test-passcode', OTHER: 'other' } });
const OTHER = headersFor('OTHER', 'other');

/** Today (UTC) as YYYYMMDD: the day list.json selects campaigns made now by. */
const today = () => dayOf(Math.floor(Date.now() / 1000));

const WHERE = { event_name: 'App Launched', from: 20240101, to: 20240131 };
const ANDROID = { android: { wzrk_cid: 'engagement' } };
/** A create body for each target mode that passes every check. */
const VALID = {
	push: {
		name: 'Push',
		target_mode: 'push',
		where: WHERE,
		devices: ['android', 'ios'],
		content: { title: 'Hi', body: 'Hello', platform_specific: ANDROID },
	},
	email: {
		name: 'Email',
		target_mode: 'email',
		where: WHERE,
		content: { subject: 'S', body: '<p>B</p>', sender_name: 'Shop' },
	},
	sms: { name: 'Sms', target_mode: 'sms', where: WHERE, content: { body: 'B' } },
	webpush: {
		name: 'Web',
		target_mode: 'webpush',
		where: WHERE,
		content: { title: 'T', body: 'B' },
	},
	whatsapp: {
		name: 'WhatsApp',
		target_mode: 'whatsapp',
		where: WHERE,
		content: { template_name: 'welcome' },
	},
};

/** @param {unknown} body @param {Record<string, string>} [headers] */
const create = (body, headers) => post(sim, TARGETS.create, body, headers);
/** @param {unknown} id @param {Record<string, string>} [headers] */
const result = (id, headers) => post(sim, TARGETS.result, { id }, headers);

/** Profiles that did App Launched in January 2024, on the given device platforms. @param {Array<string | undefined>} platforms */
function seed(platforms) {
	platforms.forEach((platform, i) =>
		sim.addProfile({
			objectId: `__c${String(i).padStart(3, '0')}`,
			identity: `c${i}`,
			profileData: { Plan: i % 2 === 0 ? 'pro' : 'free' },
			...(platform ? { device: { platform } } : {}),
			events: [
				{ name: 'App Launched', date: '2024-01-10', data: { Source: i < 2 ? 'ad' : 'org' } },
			],
		}),
	);
}

describe('create: POST /1/targets/create.json', () => {
	test("made: {status, id, estimates} in [SNIP]'s key order; kept with its request; counted", async () => {
		seed(['Android', 'iOS', 'iOS']);
		const r = await create({ ...VALID.push, labels: ['onboarding'] });
		expect(r.status).toBe(200);
		expect(Object.keys(r.json)).toEqual(['status', 'id', 'estimates']);
		expect(r.json.estimates).toEqual({ android: 1, ios: 2 });
		expect(Number.isInteger(r.json.id)).toBe(true);
		expect(r.json.id).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
		expect(sim.campaigns).toEqual([
			{
				id: r.json.id,
				accountId: 'TEST-ACCOUNT',
				name: 'Push',
				targetMode: 'push',
				labels: ['onboarding'],
				createdAt: expect.any(Number),
				createdDay: today(),
				scheduledOn: expect.any(Number),
				status: 'completed',
				estimates: { android: 1, ios: 2 },
				pendingResults: 0,
				resultCalls: 0,
				result: { sent: 3, clicked: 1 },
				request: { ...VALID.push, labels: ['onboarding'] },
			},
		]);
		expect(sim.stats()).toMatchObject({
			campaignsCreated: 1,
			campaignEstimates: 0,
			requestsByApi: { campaigns: 1 },
		});
	});

	test('estimate_only: the estimates alone, and nothing is made (campaignsCreated stays 0)', async () => {
		seed(['Android', 'iOS']);
		const r = await create({ ...VALID.push, estimate_only: true });
		expect(r.json).toEqual({ status: 'success', estimates: { android: 1, ios: 1 } });
		expect(sim.campaigns).toEqual([]);
		expect(sim.stats()).toMatchObject({ campaignsCreated: 0, campaignEstimates: 1 });
		const listed = await post(sim, TARGETS.list, { from: today(), to: today() });
		expect(listed.json).toEqual({ status: 'success', targets: [] });
		// estimate_only false makes one, as leaving it out does.
		await create({ ...VALID.push, estimate_only: false });
		expect(sim.stats().campaignsCreated).toBe(1);
	});

	test('there is no /1/targets/estimate.json: a 404 like any unknown path; GET on a targets path is a 405', async () => {
		const r = await post(sim, '/1/targets/estimate.json', VALID.push);
		expect([r.status, r.json]).toEqual([404, fail(404, 'Not found')]);
		for (const path of Object.values(TARGETS)) {
			expect((await get(sim, path)).json).toEqual(fail(405, 'Method not allowed'));
		}
		expect(sim.stats().campaignEstimates).toBe(0);
	});

	describe('estimates come from the store', () => {
		test('the where event in from..to, its event_properties, and profile_fields / demographics on the profile', async () => {
			seed([undefined, undefined, undefined, undefined]);
			sim.addProfile({ identity: 'late', events: [{ name: 'App Launched', date: '2024-02-01' }] });
			sim.addProfile({ identity: 'other', events: [{ name: 'Charged', date: '2024-01-10' }] });
			const estimate = async (/** @type {any} */ where) =>
				(await create({ ...VALID.sms, where: { ...WHERE, ...where }, estimate_only: true })).json
					.estimates;
			expect(await estimate({})).toEqual({ web: 4 });
			expect(await estimate({ to: 20240201 })).toEqual({ web: 5 });
			expect(await estimate({ event_properties: [{ name: 'Source', value: 'ad' }] })).toEqual({
				web: 2,
			});
			expect(
				await estimate({
					common_profile_properties: {
						profile_fields: [{ name: 'Plan', operator: 'equals', value: 'pro' }],
					},
				}),
			).toEqual({ web: 2 });
			expect(
				await estimate({
					common_profile_properties: {
						demographics: [{ name: 'Identity', value: ['c1', 'c3'] }],
						geo_fields: [['India']],
					},
				}),
			).toEqual({ web: 2 });
			expect(await estimate({ event_name: 'Never' })).toEqual({ web: 0 });
		});

		test('a segment: every profile of the account', async () => {
			seed([undefined, undefined]);
			sim.addProfile({ identity: 'x' });
			const { where: _w, ...noWhere } = VALID.email;
			const r = await create({ ...noWhere, segment: 1234, estimate_only: true });
			expect(r.json.estimates).toEqual({ web: 3 });
		});

		test('push: keyed by devices; a profile on one of them counts there, the others go round them in objectId order', async () => {
			seed(['Android', undefined, 'Windows', undefined, undefined, 'iOS']);
			const r = await create({
				...VALID.push,
				devices: ['ios', 'android', 'ios'],
				estimate_only: true,
			});
			// Android → android; iOS → ios; the other four in turn: ios, android, ios, android.
			expect(r.json.estimates).toEqual({ ios: 3, android: 3 });
			expect(Object.keys(r.json.estimates)).toEqual(['ios', 'android']);
			// The same store gives the same split.
			const again = await create({
				...VALID.push,
				devices: ['ios', 'android'],
				estimate_only: true,
			});
			expect(again.json.estimates).toEqual(r.json.estimates);
		});

		test('webpush: keyed by the browsers of platform_specific ("chrome" when none); email, sms, whatsapp under "web"', async () => {
			seed([undefined, undefined, undefined]);
			const web = await create({
				...VALID.webpush,
				content: { ...VALID.webpush.content, platform_specific: { firefox: {}, safari: {} } },
				estimate_only: true,
			});
			expect(web.json.estimates).toEqual({ firefox: 2, safari: 1 });
			const chrome = await create({ ...VALID.webpush, estimate_only: true });
			expect(chrome.json.estimates).toEqual({ chrome: 3 });
			for (const mode of /** @type {const} */ (['email', 'sms', 'whatsapp'])) {
				const r = await create({ ...VALID[mode], estimate_only: true });
				expect([mode, r.json.estimates]).toEqual([mode, { web: 3 }]);
			}
		});
	});

	test('the Android channel: devices with android, or an android block, without wzrk_cid → the recorded HTTP 400 code 9 [T]', async () => {
		const recorded =
			'{ "status" : "fail" , "error" : "Notification channel is required for devices having Android 8.0 or above" , "code" : 9}';
		const content = { title: 'Hi', body: 'Hello' };
		for (const body of [
			{ ...VALID.push, content },
			{ ...VALID.push, content: { ...content, platform_specific: { android: { key: 'v' } } } },
			{
				...VALID.push,
				devices: ['ios'],
				content: { ...content, platform_specific: { android: {} } },
			},
			{ ...VALID.push, content: { ...content, platform_specific: { android: { wzrk_cid: '' } } } },
			{ ...VALID.push, content, estimate_only: true },
		]) {
			const r = await create(body);
			expect([r.status, r.text]).toEqual([400, recorded]);
		}
		expect((await create({ ...VALID.push, devices: ['ios', 'windows'], content })).status).toBe(
			200,
		);
		expect(sim.stats()).toMatchObject({ campaignsCreated: 1, campaignEstimates: 0 });
	});

	test.each([
		['empty body', '', /empty/],
		['not JSON', '{', /not valid JSON/],
		['name missing', { ...VALID.sms, name: undefined }, /name is required/],
		['name blank', { ...VALID.sms, name: ' ' }, /name is required/],
		['target_mode missing', { ...VALID.sms, target_mode: undefined }, /target_mode must be one of/],
		['target_mode "Push"', { ...VALID.push, target_mode: 'Push' }, /target_mode must be one of/],
		['target_mode webhook', { ...VALID.sms, target_mode: 'webhook' }, /target_mode must be one of/],
		['where and segment', { ...VALID.sms, segment: 1 }, /not both/],
		['no audience', { ...VALID.sms, where: undefined }, /audience is required/],
		['segment blank', { ...VALID.sms, where: undefined, segment: '' }, /segment must be/],
		['where not an object', { ...VALID.sms, where: [WHERE] }, /where must be an object/],
		[
			'where without event_name',
			{ ...VALID.sms, where: { from: 20240101, to: 20240102 } },
			/where\.event_name is required/,
		],
		[
			'where.from a string',
			{ ...VALID.sms, where: { ...WHERE, from: '20240101' } },
			/where\.from must be a day/,
		],
		[
			'where.to missing',
			{ ...VALID.sms, where: { ...WHERE, to: undefined } },
			/where\.to is required/,
		],
		[
			'where.from after to',
			{ ...VALID.sms, where: { ...WHERE, from: 20240201 } },
			/is after where\.to/,
		],
		[
			'a bad event operator',
			{
				...VALID.sms,
				where: { ...WHERE, event_properties: [{ name: 'A', operator: 'like', value: 1 }] },
			},
			/where\.Invalid operator/,
		],
		[
			'common_profile_properties a list',
			{ ...VALID.sms, where: { ...WHERE, common_profile_properties: [] } },
			/common_profile_properties must be an object/,
		],
		[
			'profile_fields not a list',
			{ ...VALID.sms, where: { ...WHERE, common_profile_properties: { profile_fields: {} } } },
			/common_profile_properties\.profile_fields must be a list/,
		],
		['push without devices', { ...VALID.push, devices: undefined }, /devices is required for push/],
		['push with devices []', { ...VALID.push, devices: [] }, /devices must be a list/],
		['a device "web"', { ...VALID.push, devices: ['web'] }, /Invalid device: "web"/],
		[
			'push without title',
			{ ...VALID.push, content: { body: 'B', platform_specific: ANDROID } },
			/content\.title is required for push/,
		],
		['push without content', { ...VALID.push, content: undefined }, /content is required for push/],
		[
			'email without sender_name',
			{ ...VALID.email, content: { subject: 'S', body: 'B' } },
			/content\.sender_name is required for email/,
		],
		[
			'email without subject',
			{ ...VALID.email, content: { body: 'B', sender_name: 'N' } },
			/content\.subject is required for email/,
		],
		['sms without body', { ...VALID.sms, content: {} }, /content\.body is required for sms/],
		[
			'webpush without title',
			{ ...VALID.webpush, content: { body: 'B' } },
			/content\.title is required for webpush/,
		],
		[
			'whatsapp content a string',
			{ ...VALID.whatsapp, content: 'hi' },
			/content is required for whatsapp/,
		],
		[
			'platform_specific a list',
			{ ...VALID.webpush, content: { title: 'T', body: 'B', platform_specific: [] } },
			/platform_specific must be an object/,
		],
		[
			'when "tomorrow"',
			{ ...VALID.sms, when: 'tomorrow' },
			/when must be "now" or "YYYYMMDD HH:MM"/,
		],
		['when not a real day', { ...VALID.sms, when: '20240230 10:00' }, /when must be/],
		['when 25:00', { ...VALID.sms, when: '20240101 25:00' }, /when must be/],
		['when with dashes', { ...VALID.sms, when: '2024-01-01 10:00' }, /when must be/],
		['when an object', { ...VALID.sms, when: { type: 'later' } }, /when must be/],
		[
			'respect_frequency_caps "no"',
			{ ...VALID.sms, respect_frequency_caps: 'no' },
			/respect_frequency_caps must be true or false/,
		],
		['estimate_only 1', { ...VALID.sms, estimate_only: 1 }, /estimate_only must be true or false/],
		['labels a string', { ...VALID.sms, labels: 'a' }, /labels must be a list of strings/],
		[
			'provider_nick_name blank',
			{ ...VALID.sms, provider_nick_name: '' },
			/provider_nick_name must be/,
		],
	])('%s → 400, nothing made', async (_name, body, error) => {
		const r = await create(body);
		expect(r.status).toBe(400);
		expect(r.json).toEqual(fail(400, expect.stringMatching(error)));
		expect(sim.stats()).toMatchObject({ campaignsCreated: 0, campaignEstimates: 0 });
	});

	test('every target mode with its content is taken; respect_frequency_caps, labels, provider and when "now" are accepted', async () => {
		expect([...TARGET_MODES]).toEqual(['push', 'email', 'sms', 'webpush', 'whatsapp']);
		for (const mode of TARGET_MODES) {
			const r = await create({
				...VALID[mode],
				respect_frequency_caps: false,
				labels: [],
				when: 'now',
				provider_nick_name: 'Provider 1',
			});
			expect([mode, r.status]).toEqual([mode, 200]);
		}
		expect(sim.campaigns.map((c) => c.targetMode)).toEqual([...TARGET_MODES]);
	});

	test('providers: with two or more, email, sms and whatsapp need provider_nick_name, one of them; push and webpush do not', async () => {
		sim.setProviders(['Provider 1', 'Provider 2']);
		for (const mode of /** @type {const} */ (['email', 'sms', 'whatsapp'])) {
			expect((await create(VALID[mode])).json.error).toBe(
				`provider_nick_name is required: this account has 2 ${mode} providers`,
			);
			expect((await create({ ...VALID[mode], provider_nick_name: 'Nope' })).json.error).toBe(
				'Invalid provider_nick_name: "Nope"',
			);
			expect((await create({ ...VALID[mode], provider_nick_name: 'Provider 2' })).status).toBe(200);
		}
		expect((await create(VALID.push)).status).toBe(200);
		expect((await create(VALID.webpush)).status).toBe(200);
		sim.setProviders(['Only']);
		expect((await create(VALID.email)).status).toBe(200);
		expect((await create({ ...VALID.email, provider_nick_name: 'Other' })).status).toBe(400);
		expect(() => sim.setProviders(/** @type {any} */ ('Only'))).toThrow(/providers/);
		sim.reset();
		expect(sim.providers).toBeNull();
	});

	test('ids: the epoch second, one more than the last when taken; each account its own campaigns', async () => {
		const before = Math.floor(Date.now() / 1000);
		const ids = [];
		for (let i = 0; i < 4; i++) ids.push((await create(VALID.sms, i % 2 ? OTHER : GOOD)).json.id);
		expect(ids[0]).toBeGreaterThanOrEqual(before);
		for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
		expect(sim.campaigns.map((c) => c.accountId)).toEqual([
			'TEST-ACCOUNT',
			'OTHER',
			'TEST-ACCOUNT',
			'OTHER',
		]);
	});

	test('when "YYYYMMDD HH:MM": scheduled_on that minute; status scheduled until it completes', async () => {
		sim.setCampaignPendingResults(1);
		await create({ ...VALID.sms, when: '20301231 23:59' });
		await create(VALID.sms);
		const [later, now] = sim.campaigns;
		expect(later).toMatchObject({ scheduledOn: 203012312359, status: 'scheduled' });
		expect(now.status).toBe('running');
		expect(String(now.scheduledOn)).toMatch(new RegExp(`^${today()}\\d{4}$`));
	});
});

describe('list: POST /1/targets/list.json', () => {
	test("{status, targets: [{id, name, scheduled_on, status}]}: this account's API campaigns made on a day from..to, in the order made", async () => {
		sim.setCampaignPendingResults(2);
		const a = (await create({ ...VALID.sms, name: 'A' })).json.id;
		await create({ ...VALID.sms, name: 'Elsewhere' }, OTHER);
		const b = (await create({ ...VALID.sms, name: 'B', when: '20300101 09:30' })).json.id;
		await create({ ...VALID.sms, name: 'Estimate', estimate_only: true });
		await post(sim, TARGETS.stop, { id: a });
		const r = await post(sim, TARGETS.list, { from: today(), to: today() });
		expect(r.json).toEqual({
			status: 'success',
			targets: [
				{ id: a, name: 'A', scheduled_on: expect.any(Number), status: 'stopped' },
				{ id: b, name: 'B', scheduled_on: 203001010930, status: 'scheduled' },
			],
		});
		expect(Object.keys(r.json.targets[0])).toEqual(['id', 'name', 'scheduled_on', 'status']);
		const yesterday = dayOf(Math.floor(Date.now() / 1000) - 86_400);
		expect((await post(sim, TARGETS.list, { from: 20200101, to: yesterday })).json.targets).toEqual(
			[],
		);
		expect(
			(await post(sim, TARGETS.list, { from: 20200101, to: 20991231 }, OTHER)).json.targets.map(
				(/** @type {any} */ t) => t.name,
			),
		).toEqual(['Elsewhere']);
	});

	test.each([
		['empty body', '', /empty/],
		['from missing', { to: 20240101 }, /from is required/],
		['to as text', { from: 20240101, to: '20240102' }, /to must be a day/],
		['from after to', { from: 20240102, to: 20240101 }, /is after to/],
	])('%s → 400', async (_name, body, error) => {
		const r = await post(sim, TARGETS.list, body);
		expect([r.status, r.json.error]).toEqual([400, expect.stringMatching(error)]);
	});
});

describe('result: POST /1/targets/result.json', () => {
	test("by default complete at once: [SNIP]'s {result: {clicked, sent}, status}; sent the estimate's total, clicked a third", async () => {
		seed(['Android', 'iOS', 'iOS', undefined, undefined, undefined, undefined]);
		const { id } = (await create(VALID.push)).json;
		const r = await result(id);
		expect(r.text).toBe('{"result":{"clicked":2,"sent":7},"status":"success"}');
		// The id as its digits in text works too.
		expect((await result(String(id))).json.result).toEqual({ clicked: 2, sent: 7 });
		expect(sim.stats().campaignResultCalls).toBe(2);
		expect(sim.campaigns[0].resultCalls).toBe(2);
	});

	test('campaignPendingResults N: N calls answer "This target hasn\'t been completed" (HTTP 200, no code), then the result', async () => {
		sim.setCampaignPendingResults(3);
		const { id } = (await create(VALID.sms)).json;
		// The setting counts for campaigns made from then on.
		sim.setCampaignPendingResults(0);
		const answers = [];
		for (let i = 0; i < 5; i++) {
			const r = await result(id);
			answers.push([r.status, r.json.status]);
		}
		expect(answers).toEqual([
			[200, 'fail'],
			[200, 'fail'],
			[200, 'fail'],
			[200, 'success'],
			[200, 'success'],
		]);
		expect((await result((await create(VALID.sms)).json.id)).json.status).toBe('success');
		const waiting = await (async () => {
			sim.setCampaignPendingResults(1);
			return result((await create(VALID.sms)).json.id);
		})();
		expect(waiting.text).toBe('{"error":"This target hasn\'t been completed","status":"fail"}');
		expect(sim.campaigns.map((c) => c.status)).toEqual(['completed', 'completed', 'running']);
	});

	test('completeCampaign: at once, with the figures given; a stopped campaign answers its result at once', async () => {
		sim.setCampaignPendingResults(100);
		const { id } = (await create(VALID.sms)).json;
		expect((await result(id)).json.status).toBe('fail');
		sim.completeCampaign(id, { sent: 82, clicked: 28 });
		expect((await result(id)).json).toEqual({
			result: { clicked: 28, sent: 82 },
			status: 'success',
		});
		expect(() => sim.completeCampaign(1)).toThrow(/No campaign 1/);
		expect(() => sim.completeCampaign(id, { sent: -1 })).toThrow(/sent/);
		const stopped = (await create(VALID.sms)).json.id;
		await post(sim, TARGETS.stop, { id: stopped });
		expect((await result(stopped)).json.status).toBe('success');
		expect(sim.campaigns.find((c) => c.id === stopped)?.status).toBe('stopped');
	});

	test.each([
		['empty body', '', /empty/],
		['id missing', {}, /id is required/],
		['id a word', { id: 'abc' }, /id must be a campaign id/],
		['id negative', { id: -5 }, /id must be a campaign id/],
		['id unknown', { id: 12345 }, /^Campaign not found$/],
	])('%s → 400', async (_name, body, error) => {
		const r = await post(sim, TARGETS.result, body);
		expect([r.status, r.json.error]).toEqual([400, expect.stringMatching(error)]);
	});

	test("another account's campaign is not found, for result and stop", async () => {
		const { id } = (await create(VALID.sms)).json;
		expect((await result(id, OTHER)).json).toEqual(fail(400, 'Campaign not found'));
		expect((await post(sim, TARGETS.stop, { id }, OTHER)).json).toEqual(
			fail(400, 'Campaign not found'),
		);
		expect(sim.campaigns[0].status).toBe('completed');
	});
});

describe('stop: POST /1/targets/stop.json', () => {
	test('{"status":"success"}; the campaign is stopped once (counted once); a completed one stays completed', async () => {
		sim.setCampaignPendingResults(1);
		const { id } = (await create(VALID.sms)).json;
		const r = await post(sim, TARGETS.stop, { id });
		expect(r.text).toBe('{"status":"success"}');
		expect((await post(sim, TARGETS.stop, { id })).status).toBe(200);
		expect(sim.campaigns[0].status).toBe('stopped');
		sim.setCampaignPendingResults(0);
		const done = (await create(VALID.sms)).json.id;
		expect((await post(sim, TARGETS.stop, { id: done })).status).toBe(200);
		expect(sim.campaigns.map((c) => c.status)).toEqual(['stopped', 'completed']);
		expect(sim.stats().campaignsStopped).toBe(1);
		expect((await post(sim, TARGETS.stop, { id: 1 })).json).toEqual(
			fail(400, 'Campaign not found'),
		);
	});
});

describe('settings, reset and control', () => {
	test('reset() clears the campaigns (kept with keepProfiles, as cursors are) and restores the start options', async () => {
		const s = await startSimulator({ campaignPendingResults: 2, providers: ['A', 'B'] });
		try {
			expect(s.campaignPendingResults).toBe(2);
			expect(s.providers).toEqual(['A', 'B']);
			s.setCampaignPendingResults(0);
			s.setProviders(null);
			await post(s, TARGETS.create, VALID.sms);
			s.reset({ keepProfiles: true });
			expect(s.campaigns).toHaveLength(1);
			expect([s.campaignPendingResults, s.providers]).toEqual([2, ['A', 'B']]);
			s.reset();
			expect(s.campaigns).toEqual([]);
			expect(s.stats().campaignsCreated).toBe(0);
		} finally {
			await s.close();
		}
		expect(() => sim.setCampaignPendingResults(-1)).toThrow(/campaignPendingResults/);
		await expect(startSimulator({ campaignPendingResults: 1.5 })).rejects.toThrow(
			/campaignPendingResults/,
		);
	});

	test('GET /__simulator/campaigns, POST campaign-pending-results, complete-campaign and providers', async () => {
		const s = await startSimulator({ control: true });
		try {
			expect((await control(s, 'POST', 'campaign-pending-results', { calls: 5 })).json).toEqual({
				status: 'success',
			});
			const { id } = (await post(s, TARGETS.create, VALID.sms)).json;
			expect((await post(s, TARGETS.result, { id })).json.status).toBe('fail');
			const listed = (await control(s, 'GET', 'campaigns')).json;
			expect(listed).toEqual([expect.objectContaining({ id, pendingResults: 4, resultCalls: 1 })]);
			await control(s, 'POST', 'complete-campaign', { id, sent: 10, clicked: 4 });
			expect((await post(s, TARGETS.result, { id })).json.result).toEqual({ clicked: 4, sent: 10 });
			expect((await control(s, 'POST', 'complete-campaign', { id: 1 })).status).toBe(400);
			expect((await control(s, 'POST', 'campaign-pending-results', { calls: 'x' })).status).toBe(
				400,
			);
			await control(s, 'POST', 'providers', ['P1', 'P2']);
			expect((await post(s, TARGETS.create, VALID.sms)).status).toBe(400);
			await control(s, 'POST', 'providers', null);
			expect((await post(s, TARGETS.create, VALID.sms)).status).toBe(200);
			expect((await control(s, 'POST', 'providers', 'P1')).status).toBe(400);
		} finally {
			await s.close();
		}
	});

	test('wrong passcode → 401 and nothing made; the paths are the exported ones', async () => {
		const r = await create(VALID.sms, { ...AUTH_ONLY, 'X-CleverTap-Passcode': 'x' });
		expect(r.status).toBe(401);
		expect(sim.campaigns).toEqual([]);
		expect(CAMPAIGN_PATHS).toEqual(TARGETS);
	});
});

test('checkWhen and minuteOf', () => {
	expect(checkWhen(undefined)).toEqual({ at: null });
	expect(checkWhen('now')).toEqual({ at: null });
	expect(checkWhen('20240229 00:00')).toEqual({ at: 202402290000 });
	expect(checkWhen('20230229 00:00')).toHaveProperty('error');
	expect(checkWhen('20240101 10:60')).toHaveProperty('error');
	expect(checkWhen('NOW')).toHaveProperty('error');
	expect(minuteOf(Date.UTC(2024, 2, 5, 7, 9, 59))).toBe(202403050709);
});
