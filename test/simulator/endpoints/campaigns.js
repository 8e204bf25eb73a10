'use strict';

/**
 * Campaigns, API 'campaigns' (3 concurrent, all four paths together): POST
 * /1/targets/{create,list,result,stop}.json (clevertap-api-endpoints.md §5; ids in brackets: the
 * sources in test/fixtures/clevertap-recorded/README.md). There is no /1/targets/estimate.json: an
 * estimate is create.json with `"estimate_only": true` (CleverTap's Node client), and the unknown
 * path is a 404 like any other.
 *
 * create.json ([SNIP] `sending_{push_notifications,email,sms,webpush_notifications}_example_request_payload.json`):
 * `name` (required), `target_mode` push | email | sms | webpush | whatsapp (required), an audience
 * that is either `where` `{event_name, from, to, event_properties?, common_profile_properties?}`
 * or `segment` (a saved segment's id; both, or neither, is a 400), `content` per channel and, for
 * push, `devices` (content.js), `when` "now" (the default) or "YYYYMMDD HH:MM",
 * `respect_frequency_caps` and `estimate_only` (true or false), `provider_nick_name`, `labels`
 * (strings). Answer: `{"status":"success","id":<int>,"estimates":{…}}` ([SNIP]
 * `sending_push_notifications_example_response.json`); with `estimate_only: true` only
 * `{"status":"success","estimates":{…}}` ([SNIP]'s email and webpush answers) and nothing is made.
 * Estimates count the profiles of the store in the audience: those with the `where` event on a day
 * from..to (passing `event_properties`) whose profile fields pass
 * `common_profile_properties.profile_fields` and `.demographics` (profileData with Name, Email and
 * Identity; the other kinds of common property are accepted and do not filter), or every profile
 * for a `segment`. They are keyed by platform as [SNIP]'s answers are: push by `devices` (a profile
 * whose device platform is one of them counts there, the others go round the devices in objectId
 * order), webpush by the browsers named in `content.platform_specific` ("chrome" when none),
 * email, sms and whatsapp under "web". A campaign's id is the epoch second it was made (as [SNIP]'s
 * 1457433898), one more than the last when taken.
 *
 * list.json `{"from", "to"}` (days YYYYMMDD) → `{"status":"success","targets":[{id, name,
 * scheduled_on, status}]}`: the campaigns this account made through the API on a day from..to
 * (UTC), in the order made ([LMCP]: campaigns made in the dashboard are not listed). No answer
 * was recorded: `scheduled_on` is a number YYYYMMDDHHMM (the time `when` named, or the time it
 * was made for "now") and `status` one of scheduled, running, completed, stopped (Message Reports'
 * words); both inferred.
 *
 * result.json `{"id"}` → `{"result":{"clicked":N,"sent":N},"status":"success"}` ([SNIP], its key
 * order) once the campaign has completed, else `{"error":"This target hasn't been completed",
 * "status":"fail"}` with HTTP 200 ([SNIP]). A campaign completes after the number of result calls
 * `campaignPendingResults` held when it was made (0, the default: at once), or when a test calls
 * `completeCampaign`; a stopped one answers its result at once. `sent` is its estimate's total,
 * `clicked` a third of it (rounded down), unless `completeCampaign` gave others.
 *
 * stop.json `{"id"}` → `{"status":"success"}` ([SNIP]); the campaign is "stopped" (one that has
 * completed stays completed). An id this account did not make is a 400 "Campaign not found"
 * (result and stop; the words are inferred).
 */

const { JSON_TYPE, BODY } = require('../answers');
const { dayOf } = require('../store');
const { bodyObjectProblem } = require('./common');
const { dayProblem, compileFilter } = require('./query');
const {
	isObject,
	contentProblem,
	checkDevices,
	missesAndroidChannel,
	providerProblem,
	ANDROID_CHANNEL,
} = require('./content');

const API = 'campaigns';
const PATHS = {
	create: '/1/targets/create.json',
	list: '/1/targets/list.json',
	result: '/1/targets/result.json',
	stop: '/1/targets/stop.json',
};
const TARGET_MODES = ['push', 'email', 'sms', 'webpush', 'whatsapp'];
const BROWSERS = ['chrome', 'firefox', 'safari', 'edge', 'opera', 'kaios'];
const CAMPAIGN_STATUSES = /** @type {const} */ (['scheduled', 'running', 'completed', 'stopped']);
const WHEN_RE = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2})$/;
const NOT_FOUND = 'Campaign not found';

/**
 * @typedef {object} StoredCampaign
 * @property {number} id
 * @property {string} accountId
 * @property {string} name
 * @property {string} targetMode
 * @property {string[]} labels
 * @property {number} createdAt epoch ms
 * @property {number} createdDay YYYYMMDD (UTC)
 * @property {number} scheduledOn YYYYMMDDHHMM (UTC)
 * @property {'scheduled' | 'running' | 'completed' | 'stopped'} status
 * @property {Record<string, number>} estimates
 * @property {number} pendingResults result calls still answered "not completed"
 * @property {number} resultCalls result calls answered so far
 * @property {{ sent: number, clicked: number }} result
 * @property {unknown} request the create body
 */

/** @param {number} n */
const two = (n) => String(n).padStart(2, '0');

/** Epoch ms as YYYYMMDDHHMM (UTC). @param {number} ms */
function minuteOf(ms) {
	const d = new Date(ms);
	return Number(
		`${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}`,
	);
}

/**
 * `when` checked: "now" (or absent) → null; "YYYYMMDD HH:MM" (a real day and time) → YYYYMMDDHHMM.
 * @param {unknown} when
 * @returns {{ error: string } | { at: number | null }}
 */
function checkWhen(when) {
	if (when === undefined || when === 'now') return { at: null };
	const m = typeof when === 'string' ? WHEN_RE.exec(when) : null;
	if (m) {
		const [y, mo, d, h, mi] = m.slice(1).map(Number);
		const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
		if (
			date.getUTCFullYear() === y &&
			date.getUTCMonth() === mo - 1 &&
			date.getUTCDate() === d &&
			h < 24 &&
			mi < 60
		) {
			return { at: minuteOf(date.getTime()) };
		}
	}
	return { error: `when must be "now" or "YYYYMMDD HH:MM", got ${JSON.stringify(when)}` };
}

/** A profile's fields as profile filters read them. @param {import('../store').SimProfile} p */
const profileFields = (p) => ({
	...p.profileData,
	Name: p.name,
	Email: p.email,
	Identity: p.identities[0],
});

/**
 * The audience checked: `where` or `segment`, not both.
 * @param {any} json
 * @returns {{ error: string } | { ok: { segment?: unknown, eventName?: string, from?: number, to?: number, keepEvent?: (e: any) => boolean, keepProfile?: (p: any) => boolean } }}
 */
function checkAudience(json) {
	const { where, segment } = json;
	if (where !== undefined && segment !== undefined) {
		return { error: 'Give the audience as where or as segment, not both' };
	}
	if (where === undefined && segment === undefined) {
		return { error: 'An audience is required: where {"event_name", "from", "to"} or segment' };
	}
	if (segment !== undefined) {
		const ok =
			(typeof segment === 'string' && segment.trim() !== '') ||
			(typeof segment === 'number' && Number.isFinite(segment));
		return ok ? { ok: { segment } } : { error: 'segment must be the id of a saved segment' };
	}
	if (!isObject(where)) return { error: 'where must be an object {"event_name", "from", "to"}' };
	if (typeof where.event_name !== 'string' || where.event_name.trim() === '') {
		return { error: 'where.event_name is required: the name of an event' };
	}
	const dayError = dayProblem(where.from, 'from') ?? dayProblem(where.to, 'to');
	if (dayError) return { error: `where.${dayError}` };
	if (where.from > where.to) return { error: `where.from (${where.from}) is after where.to` };
	const events = compileFilter(where.event_properties);
	if ('error' in events) return { error: `where.${events.error}` };
	/** @type {Array<(data: any) => boolean>} */
	const profileTests = [];
	const common = where.common_profile_properties;
	if (common !== undefined) {
		if (!isObject(common)) return { error: 'where.common_profile_properties must be an object' };
		for (const key of ['profile_fields', 'demographics']) {
			const compiled = compileFilter(common[key]);
			if ('error' in compiled) {
				return {
					error: `where.common_profile_properties.${compiled.error.replace('event_properties', key)}`,
				};
			}
			if (compiled.keep) profileTests.push(/** @type {any} */ (compiled.keep));
		}
	}
	return {
		ok: {
			eventName: where.event_name,
			from: where.from,
			to: where.to,
			keepEvent: events.keep,
			keepProfile:
				profileTests.length === 0
					? undefined
					: (p) => {
							const event = { data: profileFields(p) };
							return profileTests.every((test) => test(event));
						},
		},
	};
}

/**
 * The platforms a campaign's estimates are keyed by.
 * @param {any} c the checked create
 * @returns {string[]}
 */
function platformsOf(c) {
	if (c.targetMode === 'push') return c.devices;
	if (c.targetMode === 'webpush') {
		const specific = isObject(c.json.content.platform_specific)
			? Object.keys(c.json.content.platform_specific).filter((k) => BROWSERS.includes(k))
			: [];
		return specific.length > 0 ? specific : ['chrome'];
	}
	return ['web'];
}

/**
 * The estimates of a checked create, from the store as it is now.
 * @param {any} sim
 * @param {any} c
 */
function estimatesOf(sim, c) {
	sim._applyDue();
	const a = c.audience;
	/** @type {import('../store').SimProfile[]} */
	let profiles =
		a.segment !== undefined
			? [...sim._store.profiles.values()].sort((x, y) =>
					x.objectId < y.objectId ? -1 : x.objectId > y.objectId ? 1 : 0,
				)
			: sim._store.withEvent(a.eventName, a.from, a.to, a.keepEvent);
	if (a.keepProfile) profiles = profiles.filter(a.keepProfile);
	const platforms = platformsOf(c);
	/** @type {Record<string, number>} */
	const estimates = Object.fromEntries(platforms.map((p) => [p, 0]));
	let turn = 0;
	for (const p of profiles) {
		const own = typeof p.device?.platform === 'string' ? p.device.platform.toLowerCase() : '';
		const key = own in estimates ? own : platforms[turn++ % platforms.length];
		estimates[key]++;
	}
	return estimates;
}

/** @param {Record<string, number>} estimates */
const total = (estimates) => Object.values(estimates).reduce((a, b) => a + b, 0);

/**
 * A campaign id from a body: an integer or its digits as text.
 * @param {any} record
 * @returns {{ error: string } | { id: number }}
 */
function idOf(record) {
	const error = bodyObjectProblem(record, '{"id": <campaign id>}');
	if (error) return { error };
	const raw = record.json.id;
	if (raw === undefined) return { error: 'id is required: the campaign id' };
	const id = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
	if (!(typeof id === 'number' && Number.isSafeInteger(id) && id > 0)) {
		return { error: `id must be a campaign id (a number), got ${JSON.stringify(raw)}` };
	}
	return { id };
}

/**
 * This account's campaign of a body's id, as a check result.
 * @param {any} sim
 * @param {any} record
 */
function campaignOf(sim, record) {
	const checked = idOf(record);
	if ('error' in checked) return checked;
	const campaign = sim._campaigns.get(checked.id);
	if (!campaign || campaign.accountId !== record.accountId) return { error: NOT_FOUND };
	return { ok: campaign };
}

const create = {
	api: API,
	method: 'POST',
	path: PATHS.create,

	/** @param {any} sim @param {any} record */
	check(sim, record) {
		const error = bodyObjectProblem(record, '{"name", "target_mode", "where", "content", …}');
		if (error) return { error };
		const json = record.json;
		if (typeof json.name !== 'string' || json.name.trim() === '') {
			return { error: 'name is required: the campaign name' };
		}
		if (!TARGET_MODES.includes(json.target_mode)) {
			return {
				error: `target_mode must be one of ${TARGET_MODES.join(', ')}, got ${JSON.stringify(json.target_mode)}`,
			};
		}
		const mode = json.target_mode;
		const audience = checkAudience(json);
		if ('error' in audience) return audience;
		const contentError = contentProblem(mode, json.content);
		if (contentError) return { error: contentError };
		const devices = checkDevices(json.devices, mode === 'push');
		if ('error' in devices) return devices;
		if (mode === 'push' && missesAndroidChannel(json.content, devices.devices)) {
			return ANDROID_CHANNEL;
		}
		const when = checkWhen(json.when);
		if ('error' in when) return when;
		for (const flag of ['respect_frequency_caps', 'estimate_only']) {
			if (json[flag] !== undefined && typeof json[flag] !== 'boolean') {
				return { error: `${flag} must be true or false, got ${JSON.stringify(json[flag])}` };
			}
		}
		const providerError = providerProblem(sim, mode, json.provider_nick_name);
		if (providerError) return { error: providerError };
		if (
			json.labels !== undefined &&
			!(
				Array.isArray(json.labels) &&
				json.labels.every((/** @type {unknown} */ l) => typeof l === 'string')
			)
		) {
			return { error: 'labels must be a list of strings' };
		}
		return {
			ok: {
				json,
				targetMode: mode,
				audience: audience.ok,
				devices: devices.devices,
				at: when.at,
				estimateOnly: json.estimate_only === true,
			},
		};
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {any} c */
	serve(sim, record, res, c) {
		const estimates = estimatesOf(sim, c);
		if (c.estimateOnly) {
			sim._stats.campaignEstimates++;
			return sim._sendJson(record, res, 200, { status: 'success', estimates });
		}
		const campaign = sim._createCampaign(record.accountId, c, estimates);
		return sim._sendJson(record, res, 200, { status: 'success', id: campaign.id, estimates });
	},
};

const list = {
	api: API,
	method: 'POST',
	path: PATHS.list,

	/** @param {any} _sim @param {any} record */
	check(_sim, record) {
		const error =
			bodyObjectProblem(record, '{"from": YYYYMMDD, "to": YYYYMMDD}') ??
			dayProblem(record.json.from, 'from') ??
			dayProblem(record.json.to, 'to');
		if (error) return { error };
		const { from, to } = record.json;
		if (from > to) return { error: `from (${from}) is after to (${to})` };
		return { ok: { from, to } };
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {{ from: number, to: number }} range */
	serve(sim, record, res, range) {
		const targets = [];
		for (const c of /** @type {Map<number, StoredCampaign>} */ (sim._campaigns).values()) {
			if (c.accountId !== record.accountId || c.createdDay < range.from || c.createdDay > range.to)
				continue;
			targets.push({ id: c.id, name: c.name, scheduled_on: c.scheduledOn, status: c.status });
		}
		sim._sendJson(record, res, 200, { status: 'success', targets });
	},
};

const result = {
	api: API,
	method: 'POST',
	path: PATHS.result,

	/** @param {any} sim @param {any} record */
	check(sim, record) {
		return campaignOf(sim, record);
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {StoredCampaign} c */
	serve(sim, record, res, c) {
		sim._stats.campaignResultCalls++;
		c.resultCalls++;
		if (c.status !== 'completed' && c.status !== 'stopped') {
			if (c.pendingResults > 0) {
				c.pendingResults--;
				return sim._send(record, res, 200, BODY.notCompleted, JSON_TYPE);
			}
			c.status = 'completed';
		}
		// Keys in [SNIP]'s order.
		return sim._sendJson(record, res, 200, {
			result: { clicked: c.result.clicked, sent: c.result.sent },
			status: 'success',
		});
	},
};

const stop = {
	api: API,
	method: 'POST',
	path: PATHS.stop,

	/** @param {any} sim @param {any} record */
	check(sim, record) {
		return campaignOf(sim, record);
	},

	/** @param {any} sim @param {any} record @param {import('node:http').ServerResponse} res @param {StoredCampaign} c */
	serve(sim, record, res, c) {
		if (c.status !== 'completed' && c.status !== 'stopped') {
			c.status = 'stopped';
			sim._stats.campaignsStopped++;
		}
		sim._send(record, res, 200, BODY.success, JSON_TYPE);
	},
};

/**
 * A new stored campaign of a checked create (the simulator keeps it).
 * @param {number} id
 * @param {string} accountId
 * @param {any} c
 * @param {Record<string, number>} estimates
 * @param {number} nowMs
 * @param {number} pendingResults
 * @returns {StoredCampaign}
 */
function newCampaign(id, accountId, c, estimates, nowMs, pendingResults) {
	const sent = total(estimates);
	return {
		id,
		accountId,
		name: c.json.name,
		targetMode: c.targetMode,
		labels: [...(c.json.labels ?? [])],
		createdAt: nowMs,
		createdDay: dayOf(Math.floor(nowMs / 1000)),
		scheduledOn: c.at ?? minuteOf(nowMs),
		status: pendingResults === 0 ? 'completed' : c.at === null ? 'running' : 'scheduled',
		estimates,
		pendingResults,
		resultCalls: 0,
		result: { sent, clicked: Math.floor(sent / 3) },
		request: c.json,
	};
}

/** A copy of a stored campaign for tests. @param {StoredCampaign} c */
function copyCampaign(c) {
	return { ...c, labels: [...c.labels], estimates: { ...c.estimates }, result: { ...c.result } };
}

const ENDPOINTS = [create, list, result, stop];

module.exports = {
	API,
	PATHS,
	ENDPOINTS,
	TARGET_MODES,
	CAMPAIGN_STATUSES,
	NOT_FOUND,
	newCampaign,
	copyCampaign,
	checkWhen,
	minuteOf,
};
