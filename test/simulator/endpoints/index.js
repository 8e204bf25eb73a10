'use strict';

/**
 * The router: one module per CleverTap endpoint, each with its API name (its own concurrency limit
 * and fault scope), its checks (a 400 before a slot is taken) and its answer.
 */

const demerge = require('./demerge');
const del = require('./delete');
const profile = require('./profile');
const { cursorEndpoint, pageEndpoint, CURSOR_STYLES } = require('./profiles');
const upload = require('./upload');
const events = require('./events');
const counts = require('./counts');
const now = require('./now');
const messageReport = require('./messageReport');
const campaigns = require('./campaigns');
const send = require('./send');
const externalTrigger = require('./externalTrigger');
const subscribe = require('./subscribe');
const disassociate = require('./disassociate');

const ENDPOINTS = [
	demerge,
	del,
	profile,
	cursorEndpoint,
	pageEndpoint,
	upload,
	events.cursorEndpoint,
	events.pageEndpoint,
	...counts.ENDPOINTS,
	now,
	messageReport,
	...campaigns.ENDPOINTS,
	...send.ENDPOINTS,
	externalTrigger,
	subscribe,
	disassociate,
];

/** @type {Map<string, { methods: Map<string, any>, allow: string }>} */
const ROUTES = new Map();
for (const endpoint of ENDPOINTS) {
	const route = ROUTES.get(endpoint.path) ?? { methods: new Map(), allow: '' };
	route.methods.set(endpoint.method, endpoint);
	route.allow = [...route.methods.keys()].sort().join(', ');
	ROUTES.set(endpoint.path, route);
}

/**
 * The endpoint for a request; `{ allow }` for a known path with another method (405); undefined
 * for an unknown path (404).
 * @param {string} path
 * @param {string | undefined} method
 * @returns {{ endpoint: any, allow?: undefined } | { endpoint?: undefined, allow: string } | undefined}
 */
function route(path, method) {
	const found = ROUTES.get(path);
	if (!found) return undefined;
	const endpoint = found.methods.get(method ?? '');
	return endpoint ? { endpoint } : { allow: found.allow };
}

module.exports = {
	route,
	ENDPOINTS,
	demerge,
	del,
	profile,
	cursorEndpoint,
	pageEndpoint,
	upload,
	events,
	counts,
	now,
	messageReport,
	campaigns,
	send,
	externalTrigger,
	subscribe,
	disassociate,
	CURSOR_STYLES,
};
