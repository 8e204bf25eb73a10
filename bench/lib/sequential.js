'use strict';
/**
 * The sequential client: batches of 100 identities sent one after another, the way CleverTap's own
 * Node library and RudderStack's CleverTap destination do it. A plain loop over Node's fetch
 * (undici, keep-alive), in the bench process.
 */
const { performance } = require('node:perf_hooks');

async function runSequential({ url, accountId, passcode, n, batchSize = 100 }) {
	const identities = Array.from({ length: n }, (_, i) => `user-${i}@example.com`);
	const byStatus = {};
	let requests = 0;
	const started = performance.now();
	for (let i = 0; i < identities.length; i += batchSize) {
		const response = await fetch(`${url}/1/demerge/profiles.json`, {
			method: 'POST',
			headers: {
				'X-CleverTap-Account-Id': accountId,
				'X-CleverTap-Passcode': passcode,
				'Content-Type': 'application/json; charset=utf-8',
			},
			body: JSON.stringify({ identities: identities.slice(i, i + batchSize) }),
		});
		await response.text();
		requests++;
		byStatus[response.status] = (byStatus[response.status] || 0) + 1;
	}
	return { timeMs: performance.now() - started, requests, byStatus };
}

module.exports = { runSequential };
