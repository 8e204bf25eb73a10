/**
 * CleverTap's REST APIs this node calls, with their limits: the one table the runner, the option
 * ranges, the hints and the docs read. CleverTap limits concurrent requests per account and per
 * API, shared with every other client of the account, not requests per minute.
 */
export const CLEVERTAP_APIS = {
	demerge: {
		method: 'POST',
		path: '/1/demerge/profiles.json',
		maxRecordsPerRequest: 100,
		maxConcurrentRequests: 3,
	},
	delete: {
		method: 'POST',
		path: '/1/delete/profiles.json',
		maxRecordsPerRequest: 100,
		maxConcurrentRequests: 3,
	},
	getProfile: {
		method: 'GET',
		path: '/1/profile.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	profilesByEvent: {
		method: 'POST',
		path: '/1/profiles.json',
		// CleverTap ignores a batch_size under 23 and sends the whole result in one page.
		minRecordsPerRequest: 23,
		maxRecordsPerRequest: 5000,
		maxConcurrentRequests: 3,
	},
	events: {
		method: 'POST',
		path: '/1/events.json',
		// As for profiles: a batch_size under 23 is ignored and the whole result sent in one page.
		minRecordsPerRequest: 23,
		maxRecordsPerRequest: 5000,
		maxConcurrentRequests: 3,
	},
	// The reports: one query a request. Counts, trends and top values may answer "partial" with a
	// request ID, polled with GET on the same path.
	eventCount: {
		method: 'POST',
		path: '/1/counts/events.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	profileCount: {
		method: 'POST',
		path: '/1/counts/profiles.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	trends: {
		method: 'POST',
		path: '/1/counts/trends.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	topValues: {
		method: 'POST',
		path: '/1/counts/top.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	realTime: {
		method: 'POST',
		path: '/1/now.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	messageReport: {
		method: 'POST',
		path: '/1/message/report.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	// Campaigns and messages: 3 at a time. A request that reaches people is sent again only when
	// CleverTap surely did not take it.
	campaignCreate: {
		method: 'POST',
		path: '/1/targets/create.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	campaignList: {
		method: 'POST',
		path: '/1/targets/list.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	campaignReport: {
		method: 'POST',
		path: '/1/targets/result.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	campaignStop: {
		method: 'POST',
		path: '/1/targets/stop.json',
		maxRecordsPerRequest: 1,
		maxConcurrentRequests: 3,
	},
	send: {
		method: 'POST',
		// One path per channel: /1/send/push.json, /1/send/email.json, …
		path: '/1/send',
		// In all, across identities, emails and CleverTap IDs.
		maxRecordsPerRequest: 1000,
		maxConcurrentRequests: 3,
	},
	externalTrigger: {
		method: 'POST',
		path: '/1/send/externaltrigger.json',
		maxRecordsPerRequest: 1000,
		maxConcurrentRequests: 3,
	},
	// Consent, keyed by address: 1,000 records a request, answered per record as uploads are.
	subscribe: {
		method: 'POST',
		path: '/1/subscribe',
		maxRecordsPerRequest: 1000,
		maxConcurrentRequests: 3,
	},
	disassociate: {
		method: 'POST',
		path: '/1/disassociate',
		maxRecordsPerRequest: 1000,
		maxConcurrentRequests: 3,
	},
	upload: {
		method: 'POST',
		path: '/1/upload',
		maxRecordsPerRequest: 1000,
		maxConcurrentRequests: 15,
	},
} as const;

export type CleverTapApi = keyof typeof CLEVERTAP_APIS;

/** The smallest number of records a request to `api` may ask for (1 unless CleverTap says more). */
export function minRecordsPerRequest(api: CleverTapApi): number {
	const entry = CLEVERTAP_APIS[api];
	return 'minRecordsPerRequest' in entry ? entry.minRecordsPerRequest : 1;
}
