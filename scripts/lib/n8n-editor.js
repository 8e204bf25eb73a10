'use strict';
/** Talking to a running n8n editor (`n8n start`) over its REST API, as the editor UI does. */

/** Waits until the REST API answers JSON: /healthz is up seconds before the editor is mounted. */
async function waitUntilReady(url, { timeoutMs = 180_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const type = await fetch(`${url}/rest/settings`)
			.then((response) => (response.ok ? (response.headers.get('content-type') ?? '') : ''))
			.catch(() => '');
		if (type.includes('json')) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n's editor did not come up on ${url}`);
}

/** Creates the instance owner (a fresh n8n asks for one) and returns the session cookie. */
async function createOwner(url) {
	const response = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			email: 'owner@example.com',
			firstName: 'Local',
			lastName: 'Owner',
			password: 'Local-owner-passw0rd',
		}),
	});
	const cookie = response.headers.get('set-cookie');
	if (!response.ok || !cookie)
		throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
	return cookie.split(';')[0];
}

/**
 * One call to n8n's REST API as the editor makes it (with the owner's session cookie when given):
 * returns the answer's `data`; throws with the status and the body when n8n says no.
 */
async function rest(url, cookie, method, route, body) {
	const response = await fetch(`${url}/rest${route}`, {
		method,
		headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	if (!response.ok)
		throw new Error(
			`n8n ${method} /rest${route} answered ${response.status}: ${text.slice(0, 2000)}`,
		);
	return json?.data ?? json;
}

/** What the credential dialog's "Test" button shows: `{ status: 'OK' | 'Error', message }`. */
const testCredential = (url, cookie, credential) =>
	rest(url, cookie, 'POST', '/credentials/test', { credentials: credential });

module.exports = { waitUntilReady, createOwner, testCredential, rest };
