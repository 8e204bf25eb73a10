'use strict';
/**
 * Workflows and credentials as n8n stores them, for the end-to-end tests, `npm start` and the
 * benchmark: Manual Trigger → Code (the contacts) → CleverTap Demerge, and the clean-up example.
 */

const CREDENTIAL_TYPE = 'cleverTapApi';
const NODE_TYPE = 'n8n-nodes-clevertap.cleverTap';

/** A `cleverTapApi` credential pointing at a CleverTap-compatible URL (the simulator). */
function cleverTapCredential({ id, name, accountId, passcode, baseUrl }) {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: { accountId, passcode, region: 'custom', baseUrl },
	};
}

/** The CleverTap Demerge node named 'CleverTap', third in a workflow `id`. */
function cleverTapNode({
	id,
	credential,
	identities = '={{ $json.email }}',
	options = {},
	onError,
}) {
	return {
		id: `${id}-ct`,
		name: 'CleverTap',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [480, 0],
		parameters: { resource: 'profile', operation: 'demerge', identities, options },
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		...(onError ? { onError } : {}),
	};
}

/**
 * Manual Trigger → Code node emitting `contacts` as items → CleverTap Demerge.
 * `onError` is n8n's per-node setting: 'continueErrorOutput' sends failed items to a second output.
 */
function demergeWorkflow({
	id,
	name,
	contacts,
	credential,
	identities = '={{ $json.email }}',
	options = {},
	onError,
}) {
	const code = `return ${JSON.stringify(contacts)}.map((json) => ({ json }));`;
	const cleverTap = cleverTapNode({ id, credential, identities, options, onError });
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-tr`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-cd`,
				name: 'Contacts',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, 0],
				parameters: { jsCode: code },
			},
			cleverTap,
		],
		connections: {
			Start: { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: 'CleverTap', type: 'main', index: 0 }]] },
		},
	};
}

/** A CRM export as it really looks: mostly fine, a duplicate, a blank and a missing email. */
function exampleContacts() {
	const first = ['Jane', 'Ravi', 'Mei', 'Omar', 'Lena', 'Tom', 'Aisha', 'Carlos', 'Yuki', 'Sara'];
	const last = ['Doe', 'Kumar', 'Tan', 'Haddad', 'Berg', 'Smith', 'Bello', 'Ruiz', 'Sato', 'Novak'];
	const contacts = Array.from({ length: 248 }, (_, i) => {
		const name = `${first[i % 10]} ${last[Math.floor(i / 10) % 10]}`;
		return {
			id: `crm-${1000 + i}`,
			name,
			email: `${name.toLowerCase().replace(' ', '.')}.${i}@example.com`,
		};
	});
	contacts.splice(17, 0, { id: 'crm-2001', name: 'Priya Shah', email: '   ' });
	contacts.splice(88, 0, { id: 'crm-2002', name: 'Unknown lead', phone: '+91 98765 43210' });
	contacts.push({ ...contacts[3], id: 'crm-2003' }); // the same person entered twice
	return contacts;
}

/** What `npm start` sets up, shared with the editor tests that open it (a local demo: no secrets). */
const EXAMPLE = {
	accountId: 'DEMO-ACCOUNT',
	passcode: 'demo-passcode',
	credentialId: 'ctExampleCred001',
	credentialName: 'CleverTap (local simulator)',
	workflowId: 'ctExampleDemerge',
	workflowName: 'CleverTap demerge example',
};

/** The example's credential, for the simulator at `baseUrl`. */
function exampleCredential(baseUrl) {
	return cleverTapCredential({
		id: EXAMPLE.credentialId,
		name: EXAMPLE.credentialName,
		accountId: EXAMPLE.accountId,
		passcode: EXAMPLE.passcode,
		baseUrl,
	});
}

/** The example workflow: `contacts` → Demerge, failed contacts on the node's error output. */
function exampleWorkflow(credential, contacts = exampleContacts()) {
	return demergeWorkflow({
		id: EXAMPLE.workflowId,
		name: EXAMPLE.workflowName,
		contacts,
		credential,
		onError: 'continueErrorOutput',
	});
}

/** The second example: the clean-up of merged profiles, found by their "Identity Error" event. */
const CLEANUP = {
	workflowId: 'ctExampleCleanup',
	workflowName: 'CleverTap clean-up example',
	merged: 24,
};

/**
 * Merged profiles in the simulator, as CleverTap makes them when an email is reused as an
 * identity: two identities on one profile, and an "Identity Error" event in the last week.
 */
function seedMergedProfiles(sim, count = CLEANUP.merged, now = new Date()) {
	for (let i = 0; i < count; i++) {
		const day = new Date(now.getTime() - (i % 7) * 86_400_000).toISOString().slice(0, 10);
		sim.addProfile({
			objectId: `__demo${String(i).padStart(3, '0')}`,
			identities: [`shared.inbox.${i}@example.com`, `customer-${4000 + i}`],
			email: `shared.inbox.${i}@example.com`,
			name: `Merged profile ${i}`,
			events: [{ name: 'Identity Error', date: day }],
		});
	}
}

/** Start → Get Many by Event ("Identity Error", last 7 days) → Demerge → Get (the check). */
function cleanupWorkflow(credential) {
	const id = CLEANUP.workflowId;
	const node = (name, x, parameters) => ({
		id: `${id}-${x}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	});
	const next = (to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		id,
		name: CLEANUP.workflowName,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-tr`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			node('Find merged profiles', 240, {
				resource: 'profile',
				operation: 'getMany',
				eventName: 'Identity Error',
				from: '={{ $now.minus({ days: 7 }).toISODate() }}',
				to: '={{ $now.toISODate() }}',
				returnAll: true,
			}),
			node('Demerge', 480, {
				resource: 'profile',
				operation: 'demerge',
				identities: '={{ $json.identity }}',
			}),
			node('Check', 720, {
				resource: 'profile',
				operation: 'get',
				identifierType: 'identity',
				identifier: '={{ $json.identity }}',
			}),
		],
		connections: {
			Start: next('Find merged profiles'),
			'Find merged profiles': next('Demerge'),
			Demerge: next('Check'),
		},
	};
}

/** The CleverTap node's outputs in a `n8n execute --rawOutput` result: [success items, error items]. */
function cleverTapOutputs(runJson, nodeName = 'CleverTap') {
	const run = runJson?.data?.resultData?.runData?.[nodeName]?.[0];
	const main = run?.data?.main ?? [];
	return { success: main[0] ?? [], errors: main[1] ?? [], executionTime: run?.executionTime, run };
}

module.exports = {
	CLEANUP,
	cleanupWorkflow,
	seedMergedProfiles,
	cleverTapCredential,
	cleverTapNode,
	demergeWorkflow,
	cleverTapOutputs,
	EXAMPLE,
	exampleContacts,
	exampleCredential,
	exampleWorkflow,
	CREDENTIAL_TYPE,
	NODE_TYPE,
};
