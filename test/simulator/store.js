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
 */

/**
 * @typedef {object} SimProfile
 * @property {string} objectId
 * @property {string[]} identities
 * @property {string | undefined} email
 * @property {string | undefined} name
 * @property {Record<string, unknown>} profileData
 * @property {SimEvent[]} events
 */

/**
 * @typedef {object} ProfileSpec
 * @property {string} [objectId]
 * @property {string | number} [identity]
 * @property {Array<string | number>} [identities]
 * @property {string} [email]
 * @property {string} [name]
 * @property {Record<string, unknown>} [profileData]
 * @property {Array<{ name: string, date: string | Date | number, data?: Record<string, unknown> }>} [events]
 */

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

class ProfileStore {
	constructor() {
		/** @type {Map<string, SimProfile>} objectId → profile */
		this.profiles = new Map();
		/** @type {Map<string, SimProfile>} */
		this.byIdentity = new Map();
		/** @type {Map<string, SimProfile>} lower-cased email → profile */
		this.byEmail = new Map();
		this._nextId = 0;
	}

	clear() {
		this.profiles.clear();
		this.byIdentity.clear();
		this.byEmail.clear();
		this._nextId = 0;
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
			return { name: e.name, ts, date: dayOf(ts), data: { ...(e.data ?? {}) } };
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
	}

	/**
	 * The profiles with an event of this name on a day from..to (YYYYMMDD, inclusive), by objectId.
	 * @param {string} name
	 * @param {number} from
	 * @param {number} to
	 */
	withEvent(name, from, to) {
		const found = [];
		for (const profile of this.profiles.values()) {
			if (profile.events.some((e) => e.name === name && e.date >= from && e.date <= to)) {
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

module.exports = { ProfileStore, profileRecord, dayOf, isDayNumber, toEpochSeconds };
