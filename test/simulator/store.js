'use strict';

/**
 * The simulator's profiles and their events, so that a Get after a Demerge, a Delete or an Upload
 * shows the effect. A profile can hold several identities (CleverTap merged them); identities,
 * emails and objectIds each resolve to at most one profile.
 */

/**
 * @typedef {object} SimEvent
 * @property {string} name
 * @property {number} ts Epoch seconds.
 * @property {number} date The UTC day of `ts` as a number YYYYMMDD (the account's time zone is UTC).
 * @property {Record<string, unknown>} data
 * @property {Record<string, string>} [session] The session's properties, as Get Events shows them
 *   in `session_props` (default DEFAULT_SESSION).
 */

/**
 * @typedef {object} SimDevice What Get Events shows with `app=true`, and the platform.
 * @property {string} [platform]
 * @property {string} [os_version]
 * @property {string} [app_version]
 * @property {string} [make]
 * @property {string} [model]
 */

/**
 * @typedef {object} SimProfile
 * @property {string} objectId
 * @property {string[]} identities
 * @property {string | undefined} email
 * @property {string | undefined} name
 * @property {Record<string, unknown>} profileData
 * @property {SimEvent[]} events
 * @property {SimDevice} [device] only when given
 */

/**
 * @typedef {object} ProfileSpec
 * @property {string} [objectId]
 * @property {string | number} [identity]
 * @property {Array<string | number>} [identities]
 * @property {string} [email]
 * @property {string} [name]
 * @property {Record<string, unknown>} [profileData]
 * @property {Array<{ name: string, date: string | Date | number, data?: Record<string, unknown>, session?: Record<string, string> }>} [events]
 * @property {SimDevice} [device]
 */

/**
 * @typedef {object} SeedEventsSpec Many events of one name, spread evenly over a range of days.
 * @property {string} name
 * @property {number} count how many events
 * @property {string | number} from first day, 'YYYY-MM-DD' or a number YYYYMMDD
 * @property {string | number} to last day (inclusive)
 * @property {number} [profiles] how many profiles they are spread over (round robin); default
 *   min(count, 10000)
 * @property {string} [identityPrefix] the profiles' identities are `<prefix><n>`, n from 0; a
 *   profile that already has the identity is reused. Default 'seed-'.
 * @property {Record<string, unknown> | Array<Record<string, unknown>> | ((i: number) => Record<string, unknown>)} [data]
 *   every event's properties: one object (shared), a list taken in turn, or a function of the
 *   event's number (0-based). Default none.
 * @property {Record<string, string>} [session] every event's session properties
 */

/**
 * Session properties of an event given none: those of [FIX]'s captured page (2022), without its
 * referrer.
 */
const DEFAULT_SESSION = Object.freeze({
	session_source: 'Others',
	utm_source: 'google-play',
	utm_medium: 'organic',
});

/** Device fields of a profile given none (Get Events with `app=true`): those of [FIX]'s page. */
const DEFAULT_DEVICE = Object.freeze({
	platform: 'Web',
	os_version: '10',
	app_version: '1.1.7',
	make: 'xiaomi',
	model: 'M2006C3MII',
});

const NO_DATA = Object.freeze({});

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day of epoch seconds as YYYYMMDD. @param {number} ts */
function dayOf(ts) {
	const d = new Date(ts * 1000);
	return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/**
 * True when n is a real calendar day written YYYYMMDD.
 * @param {unknown} n
 */
function isDayNumber(n) {
	if (typeof n !== 'number' || !Number.isInteger(n) || n < 10000101 || n > 99991231) return false;
	const y = Math.floor(n / 10000);
	const m = Math.floor(n / 100) % 100;
	const d = n % 100;
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Epoch seconds of an event date given as 'YYYY-MM-DD' (UTC midnight), a Date or epoch seconds.
 * @param {unknown} date
 */
function toEpochSeconds(date) {
	if (date instanceof Date && !Number.isNaN(date.getTime()))
		return Math.floor(date.getTime() / 1000);
	if (typeof date === 'number' && Number.isFinite(date)) return Math.floor(date);
	if (typeof date === 'string') {
		const m = DAY_RE.exec(date);
		const n = m ? Number(m[1] + m[2] + m[3]) : NaN;
		if (m && isDayNumber(n)) return Date.UTC(+m[1], +m[2] - 1, +m[3]) / 1000;
	}
	throw new TypeError(
		`An event date must be 'YYYY-MM-DD', a Date or epoch seconds, got ${JSON.stringify(date)}`,
	);
}

/**
 * A day given as 'YYYY-MM-DD' or a number YYYYMMDD, as a number YYYYMMDD.
 * @param {unknown} day
 * @param {string} name for the message
 */
function toDayNumber(day, name) {
	if (typeof day === 'string') {
		const m = DAY_RE.exec(day);
		const n = m ? Number(m[1] + m[2] + m[3]) : NaN;
		if (isDayNumber(n)) return n;
	} else if (isDayNumber(day)) return /** @type {number} */ (day);
	throw new TypeError(
		`${name} must be a day, 'YYYY-MM-DD' or a number YYYYMMDD, got ${JSON.stringify(day)}`,
	);
}

/** UTC midnight of a day YYYYMMDD, in epoch seconds. @param {number} day */
const dayStart = (day) =>
	Date.UTC(Math.floor(day / 10000), (Math.floor(day / 100) % 100) - 1, day % 100) / 1000;

const EMAIL_ADDRESS_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_ADDRESS_RE = /^\+[1-9]\d{6,14}$/;
const PHONE_SEPARATORS_RE = /[\s\-().]/g;

/** An address as Subscribe keeps it: an email in lower case, a number as given. @param {string} type @param {string} value */
const addressValue = (type, value) => (type === 'email' ? value.toLowerCase() : value);

/** The key of an address's subscription state. @param {string} type @param {string} value */
const addressKey = (type, value) => `${type}\u0000${addressValue(type, value)}`;

/**
 * A profile's Phone property as an address '+<digits>', or undefined: separators dropped, and a
 * '+' put before a number or a text of digits (CleverTap echoes a Phone as a number without it).
 * @param {unknown} phone
 */
function phoneOf(phone) {
	if (typeof phone === 'number' && Number.isSafeInteger(phone) && phone > 0) return `+${phone}`;
	if (typeof phone !== 'string') return undefined;
	const digits = phone.replace(PHONE_SEPARATORS_RE, '');
	const value = digits.startsWith('+') ? digits : `+${digits}`;
	return PHONE_ADDRESS_RE.test(value) ? value : undefined;
}

class ProfileStore {
	constructor() {
		/** @type {Map<string, SimProfile>} objectId → profile */
		this.profiles = new Map();
		/** @type {Map<string, SimProfile>} */
		this.byIdentity = new Map();
		/** @type {Map<string, SimProfile>} lower-cased email → profile */
		this.byEmail = new Map();
		/** @type {Set<string>} every event name the store has held (Counts answer "Invalid event" for others) */
		this.eventNames = new Set();
		/**
		 * The Subscribe API's states, by address (`addressKey`): they belong to the address, not to a
		 * profile, so every profile that has the address (now or later) shares them.
		 * @type {Map<string, { type: string, value: string, state: 'unsubscribed' | 'subscribed' }>}
		 */
		this.subscriptions = new Map();
		this._nextId = 0;
	}

	clear() {
		this.profiles.clear();
		this.byIdentity.clear();
		this.byEmail.clear();
		this.eventNames.clear();
		this.subscriptions.clear();
		this._nextId = 0;
	}

	/**
	 * Set an address's subscription state (Subscribe's effect). An email is kept in lower case.
	 * @param {string} type 'email' | 'phone' | 'whatsapp'
	 * @param {string} value
	 * @param {'unsubscribed' | 'subscribed'} state
	 */
	setSubscription(type, value, state) {
		const key = addressKey(type, value);
		this.subscriptions.set(key, { type, value: addressValue(type, value), state });
		return key;
	}

	/**
	 * An address's subscription state, or undefined when Subscribe never set it.
	 * @param {string} type
	 * @param {string} value
	 */
	subscriptionOf(type, value) {
		return this.subscriptions.get(addressKey(type, value))?.state;
	}

	/**
	 * The addresses a profile has, by which Subscribe's states reach it: its email, an `Email` in its
	 * profileData and identities that are emails; a `Phone` in its profileData (separators dropped,
	 * a number given a '+') and identities that are phone numbers. WhatsApp goes by the phone numbers.
	 * @param {SimProfile} profile
	 * @returns {Array<{ type: 'email' | 'phone' | 'whatsapp', value: string }>}
	 */
	addressesOf(profile) {
		const emails = new Set();
		const phones = new Set();
		if (profile.email !== undefined) emails.add(profile.email.toLowerCase());
		const data = profile.profileData;
		if (typeof data.Email === 'string') emails.add(data.Email.toLowerCase());
		const phone = phoneOf(data.Phone);
		if (phone !== undefined) phones.add(phone);
		for (const id of profile.identities) {
			if (EMAIL_ADDRESS_RE.test(id)) emails.add(id.toLowerCase());
			else if (PHONE_ADDRESS_RE.test(id)) phones.add(id);
		}
		return [
			...[...emails].map((value) => ({ type: /** @type {const} */ ('email'), value })),
			...[...phones].map((value) => ({ type: /** @type {const} */ ('phone'), value })),
			...[...phones].map((value) => ({ type: /** @type {const} */ ('whatsapp'), value })),
		];
	}

	/**
	 * How many profiles have each address now (`addressKey` → n), in one pass over the store.
	 * @returns {Map<string, number>}
	 */
	addressCounts() {
		/** @type {Map<string, number>} */
		const counts = new Map();
		for (const profile of this.profiles.values()) {
			for (const { type, value } of this.addressesOf(profile)) {
				const key = addressKey(type, value);
				counts.set(key, (counts.get(key) ?? 0) + 1);
			}
		}
		return counts;
	}

	/** A new objectId; a counter, so profiles made in one order sort in that order. */
	_newObjectId() {
		let id;
		do id = `__sim${(++this._nextId).toString(16).padStart(12, '0')}`;
		while (this.profiles.has(id));
		return id;
	}

	/**
	 * Add a profile (tests, seeds). Throws when one of its identities, its email or its objectId
	 * already belongs to another profile: a test that means a merged profile says so with `identities`.
	 * @param {ProfileSpec} spec
	 * @returns {SimProfile}
	 */
	add(spec = {}) {
		if (typeof spec !== 'object' || spec === null)
			throw new TypeError('addProfile needs an object');
		const identities = [
			...(spec.identity !== undefined ? [spec.identity] : []),
			...(spec.identities ?? []),
		].map(String);
		for (const id of identities) {
			if (id === '') throw new TypeError('An identity must not be empty');
			if (this.byIdentity.has(id)) throw new TypeError(`Identity ${id} already has a profile`);
		}
		if (spec.objectId !== undefined && this.profiles.has(String(spec.objectId))) {
			throw new TypeError(`objectId ${spec.objectId} already has a profile`);
		}
		if (spec.email !== undefined && this.byEmail.has(String(spec.email).toLowerCase())) {
			throw new TypeError(`Email ${spec.email} already has a profile`);
		}
		const events = (spec.events ?? []).map((e) => {
			if (typeof e?.name !== 'string' || e.name === '')
				throw new TypeError('An event needs a name');
			const ts = toEpochSeconds(e.date);
			/** @type {SimEvent} */
			const event = { name: e.name, ts, date: dayOf(ts), data: { ...(e.data ?? {}) } };
			if (e.session !== undefined) event.session = { ...e.session };
			return event;
		});
		/** @type {SimProfile} */
		const profile = {
			objectId: spec.objectId !== undefined ? String(spec.objectId) : this._newObjectId(),
			identities: [...new Set(identities)],
			email: spec.email !== undefined ? String(spec.email) : undefined,
			name: spec.name !== undefined ? String(spec.name) : undefined,
			profileData: { ...(spec.profileData ?? {}) },
			events,
		};
		if (spec.device !== undefined) profile.device = { ...spec.device };
		for (const e of events) this.eventNames.add(e.name);
		this._index(profile);
		return profile;
	}

	/** @param {SimProfile} profile */
	_index(profile) {
		this.profiles.set(profile.objectId, profile);
		for (const id of profile.identities) this.byIdentity.set(id, profile);
		if (profile.email !== undefined) this.byEmail.set(profile.email.toLowerCase(), profile);
	}

	/**
	 * @param {{ identity?: string | number, email?: string, objectId?: string }} key
	 * @returns {SimProfile | undefined}
	 */
	find(key) {
		if (key.identity !== undefined) return this.byIdentity.get(String(key.identity));
		if (key.email !== undefined) return this.byEmail.get(String(key.email).toLowerCase());
		if (key.objectId !== undefined) return this.profiles.get(String(key.objectId));
		return undefined;
	}

	/**
	 * Demerge's effect: the identity leaves its profile (which keeps its other identities) and no
	 * longer resolves. Returns whether it was attached to a profile.
	 * @param {string} identity
	 */
	detachIdentity(identity) {
		const profile = this.byIdentity.get(identity);
		if (!profile) return false;
		this.byIdentity.delete(identity);
		profile.identities = profile.identities.filter((id) => id !== identity);
		return true;
	}

	/**
	 * Delete's effect: the profile goes away with all its identities and its email.
	 * @param {SimProfile | undefined} profile
	 */
	remove(profile) {
		if (!profile || this.profiles.get(profile.objectId) !== profile) return false;
		this.profiles.delete(profile.objectId);
		for (const id of profile.identities) {
			if (this.byIdentity.get(id) === profile) this.byIdentity.delete(id);
		}
		if (profile.email !== undefined && this.byEmail.get(profile.email.toLowerCase()) === profile) {
			this.byEmail.delete(profile.email.toLowerCase());
		}
		return true;
	}

	/**
	 * The profile an upload record names, made when there is none (CleverTap creates a profile for
	 * an identity it does not know).
	 * @param {{ identity?: string | number, objectId?: string }} key
	 */
	resolveOrCreate(key) {
		const found = this.find(key);
		if (found) return found;
		return this.add(
			key.objectId !== undefined ? { objectId: key.objectId } : { identity: key.identity },
		);
	}

	/**
	 * An uploaded profile record's effect: the standard Name, Email and Identity set the profile's
	 * name, email and identity; every other property is merged into profileData.
	 * @param {SimProfile} profile
	 * @param {Record<string, unknown>} data
	 */
	mergeProfileData(profile, data) {
		for (const [key, value] of Object.entries(data)) {
			if (key === 'Name') profile.name = String(value);
			else if (key === 'Email') this._setEmail(profile, String(value));
			else if (key === 'Identity') this._addIdentity(profile, String(value));
			else profile.profileData[key] = value;
		}
	}

	/** @param {SimProfile} profile @param {string} email */
	_setEmail(profile, email) {
		const owner = this.byEmail.get(email.toLowerCase());
		if (owner && owner !== profile) return; // CleverTap would merge; the simulator keeps the owner.
		if (profile.email !== undefined) this.byEmail.delete(profile.email.toLowerCase());
		profile.email = email;
		this.byEmail.set(email.toLowerCase(), profile);
	}

	/** @param {SimProfile} profile @param {string} identity */
	_addIdentity(profile, identity) {
		if (identity === '' || this.byIdentity.has(identity)) return;
		profile.identities.push(identity);
		this.byIdentity.set(identity, profile);
	}

	/**
	 * @param {SimProfile} profile
	 * @param {string} name
	 * @param {number} ts epoch seconds
	 * @param {Record<string, unknown>} data
	 */
	addEvent(profile, name, ts, data) {
		profile.events.push({ name, ts, date: dayOf(ts), data });
		this.eventNames.add(name);
	}

	/**
	 * Many events of one name at once, spread evenly over from..to (the first at midnight of `from`,
	 * then every span/count seconds) and over `profiles` profiles in turn (made when missing).
	 * Light on purpose (benchmarks seed 100,000 events): one shared data object unless a list or a
	 * function is given, no copies, the day worked out once per day.
	 * @param {SeedEventsSpec} spec
	 * @returns {{ events: number, profiles: number, created: number }}
	 */
	seedEvents(spec) {
		if (typeof spec !== 'object' || spec === null)
			throw new TypeError('seedEvents needs an object');
		const { name, count } = spec;
		if (typeof name !== 'string' || name === '') throw new TypeError('seedEvents needs a name');
		if (!(Number.isInteger(count) && count >= 0)) {
			throw new TypeError(`seedEvents count must be a whole number >= 0, got ${count}`);
		}
		const from = toDayNumber(spec.from, 'from');
		const to = toDayNumber(spec.to, 'to');
		if (from > to) throw new TypeError(`from (${from}) is after to (${to})`);
		const n = spec.profiles ?? Math.max(1, Math.min(count, 10_000));
		if (!(Number.isInteger(n) && n > 0)) {
			throw new TypeError(`seedEvents profiles must be a whole number > 0, got ${n}`);
		}
		const prefix = spec.identityPrefix ?? 'seed-';
		const data = spec.data;
		if (
			data !== undefined &&
			typeof data !== 'function' &&
			(typeof data !== 'object' || data === null || (Array.isArray(data) && data.length === 0))
		) {
			throw new TypeError(
				'seedEvents data must be an object, a non-empty list of objects or a function',
			);
		}
		const shared =
			data === undefined
				? NO_DATA
				: Array.isArray(data) || typeof data === 'function'
					? undefined
					: { ...data };
		const list = Array.isArray(data) ? data.map((d) => ({ ...d })) : undefined;
		const session = spec.session === undefined ? undefined : { ...spec.session };

		const owners = new Array(Math.min(n, count));
		let created = 0;
		for (let j = 0; j < owners.length; j++) {
			const identity = `${prefix}${j}`;
			let profile = this.byIdentity.get(identity);
			if (!profile) {
				// What add() makes, without its checks and copies (10,000 profiles in a few ms).
				const email = `${identity}@example.com`;
				const free = !this.byEmail.has(email.toLowerCase());
				profile = {
					objectId: this._newObjectId(),
					identities: [identity],
					email: free ? email : undefined,
					name: `Seed User ${j}`,
					profileData: {},
					events: [],
				};
				this._index(profile);
				created++;
			}
			owners[j] = profile;
		}
		if (count > 0) this.eventNames.add(name);
		const start = dayStart(from);
		const span = dayStart(to) + 86_400 - start;
		// Each profile's list grows once, to its final length, not push by push.
		const k = owners.length;
		const base = owners.map((p) => {
			const at = p.events.length;
			p.events.length = at + Math.floor(count / k) + 1;
			return at;
		});
		let dayEnd = -Infinity;
		let date = 0;
		for (let i = 0; i < count; i++) {
			const ts = start + Math.floor((i * span) / count);
			if (ts >= dayEnd) {
				date = dayOf(ts);
				dayEnd = dayStart(date) + 86_400;
			}
			/** @type {SimEvent} */
			const event = {
				name,
				ts,
				date,
				data: shared ?? (list ? list[i % list.length] : /** @type {Function} */ (data)(i)),
			};
			if (session) event.session = session;
			const j = i % k;
			owners[j].events[base[j] + Math.floor(i / k)] = event;
		}
		for (let j = 0; j < k; j++) {
			owners[j].events.length = base[j] + Math.floor((count - 1 - j) / k) + 1;
		}
		return { events: count, profiles: owners.length, created };
	}

	/**
	 * The events of this name on a day from..to (YYYYMMDD, inclusive) that pass `keep`, with their
	 * profiles, in time order (ties: profiles in the order they were added).
	 * @param {string} name
	 * @param {number} from
	 * @param {number} to
	 * @param {(event: SimEvent, profile: SimProfile) => boolean} [keep]
	 * @param {boolean} [sorted] false: in store order (counting needs no order)
	 * @returns {Array<{ profile: SimProfile, event: SimEvent }>}
	 */
	eventsOf(name, from, to, keep, sorted = true) {
		const found = [];
		for (const profile of this.profiles.values()) {
			for (const event of profile.events) {
				if (event.name !== name || event.date < from || event.date > to) continue;
				if (keep && !keep(event, profile)) continue;
				found.push({ profile, event });
			}
		}
		return sorted ? found.sort((a, b) => a.event.ts - b.event.ts) : found;
	}

	/**
	 * The profiles with an event of this name on a day from..to (YYYYMMDD, inclusive) that passes
	 * `keep` (when given), by objectId.
	 * @param {string} name
	 * @param {number} from
	 * @param {number} to
	 * @param {(event: SimEvent) => boolean} [keep]
	 */
	withEvent(name, from, to, keep) {
		const found = [];
		for (const profile of this.profiles.values()) {
			if (
				profile.events.some(
					(e) => e.name === name && e.date >= from && e.date <= to && (!keep || keep(e)),
				)
			) {
				found.push(profile);
			}
		}
		return found.sort((a, b) => (a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : 0));
	}
}

/**
 * A profile as Get profile (and each page of Get Many by Event) answers it. `identity` is the
 * profile's first identity; `identities` is there only when it has more than one; absent fields
 * are left out.
 * @param {SimProfile} profile
 */
function profileRecord(profile) {
	// As recorded [V][SNIP]: no top-level objectId (it is in platformInfo), an events summary.
	/** @type {Record<string, unknown>} */
	const record = {};
	if (profile.identities.length > 0) record.identity = profile.identities[0];
	if (profile.identities.length > 1) record.identities = [...profile.identities];
	if (profile.email !== undefined) record.email = profile.email;
	if (profile.name !== undefined) record.name = profile.name;
	record.profileData = { ...profile.profileData };
	/** @type {Record<string, { count: number, first_seen: number, last_seen: number }>} */
	const events = {};
	for (const { name, ts } of profile.events) {
		const seen = events[name];
		if (seen) {
			seen.count++;
			seen.first_seen = Math.min(seen.first_seen, ts);
			seen.last_seen = Math.max(seen.last_seen, ts);
		} else events[name] = { count: 1, first_seen: ts, last_seen: ts };
	}
	if (profile.events.length > 0) record.events = events;
	record.platformInfo = [{ platform: 'Web', objectId: profile.objectId }];
	return record;
}

/**
 * A profile as a Get Events record's `profile` shows it ([SNIP] 2017, [FIX] 2022): objectId,
 * identity, email, name, platform; profileData unless `profile=false`; the events summary unless
 * `events=false`; os_version, app_version, make and model with `app=true`.
 * @param {SimProfile} profile
 * @param {{ app: boolean, events: boolean, profile: boolean }} flags
 */
function eventProfile(profile, flags) {
	/** @type {Record<string, unknown>} */
	const out = { objectId: profile.objectId };
	if (profile.identities.length > 0) out.identity = profile.identities[0];
	if (profile.email !== undefined) out.email = profile.email;
	if (profile.name !== undefined) out.name = profile.name;
	const device = profile.device ?? {};
	out.platform = device.platform ?? DEFAULT_DEVICE.platform;
	if (flags.profile) out.profileData = { ...profile.profileData };
	if (flags.events) out.events = eventSummary(profile);
	if (flags.app) {
		out.os_version = device.os_version ?? DEFAULT_DEVICE.os_version;
		out.app_version = device.app_version ?? DEFAULT_DEVICE.app_version;
		out.make = device.make ?? DEFAULT_DEVICE.make;
		out.model = device.model ?? DEFAULT_DEVICE.model;
	}
	return out;
}

/**
 * `{name: {count, first_seen, last_seen}}` over all of a profile's events (epoch seconds).
 * @param {SimProfile} profile
 */
function eventSummary(profile) {
	/** @type {Record<string, { count: number, first_seen: number, last_seen: number }>} */
	const events = {};
	for (const { name, ts } of profile.events) {
		const seen = events[name];
		if (seen) {
			seen.count++;
			if (ts < seen.first_seen) seen.first_seen = ts;
			if (ts > seen.last_seen) seen.last_seen = ts;
		} else events[name] = { count: 1, first_seen: ts, last_seen: ts };
	}
	return events;
}

/** Epoch seconds as CleverTap's event `ts`: an integer yyyyMMddHHmmss, UTC. @param {number} ts */
function tsNumber(ts) {
	const d = new Date(ts * 1000);
	return (
		d.getUTCFullYear() * 1e10 +
		(d.getUTCMonth() + 1) * 1e8 +
		d.getUTCDate() * 1e6 +
		d.getUTCHours() * 1e4 +
		d.getUTCMinutes() * 100 +
		d.getUTCSeconds()
	);
}

module.exports = {
	ProfileStore,
	addressKey,
	profileRecord,
	eventProfile,
	eventSummary,
	tsNumber,
	dayOf,
	dayStart,
	isDayNumber,
	toDayNumber,
	toEpochSeconds,
	DEFAULT_SESSION,
	DEFAULT_DEVICE,
};
