'use strict';
/**
 * Workflows and credentials as n8n stores them, for the end-to-end tests, `npm start` and the
 * benchmark: Manual Trigger → Code (the contacts) → CleverTap Demerge.
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

/** The CleverTap node's outputs in a `n8n execute --rawOutput` result: [success items, error items]. */
function cleverTapOutputs(runJson, nodeName = 'CleverTap') {
	const run = runJson?.data?.resultData?.runData?.[nodeName]?.[0];
	const main = run?.data?.main ?? [];
	return { success: main[0] ?? [], errors: main[1] ?? [], executionTime: run?.executionTime, run };
}

module.exports = {
	cleverTapCredential,
	cleverTapNode,
	demergeWorkflow,
	cleverTapOutputs,
	CREDENTIAL_TYPE,
	NODE_TYPE,
};
