'use strict';
/**
 * The workflows the bench imports into real n8n. Every one starts the same way:
 *   Manual Trigger → Code (N items `{ identity: 'user-<i>@example.com' }`) → <client node>
 */

const ACCOUNT_ID = 'BENCH-ACCOUNT';
const PASSCODE = 'bench-passcode';
const CREDENTIAL = {
	id: 'benchCleverTap01',
	name: 'CleverTap (bench simulator)',
	type: 'cleverTapApi',
};

/** Identity mappings of the Identities parameter. */
const EXPRESSIONS = {
	// The node reads `$json.<field>` straight from the item (fast path, helpers/fieldReference.ts).
	plain: '={{ $json.identity }}',
	// Anything else goes through n8n's full expression evaluation, per item.
	complex: '={{ $json.identity.trim().toLowerCase() }}',
};

function credential(baseUrl) {
	return {
		...CREDENTIAL,
		data: { accountId: ACCOUNT_ID, passcode: PASSCODE, region: 'custom', baseUrl },
	};
}

function itemsCode(n) {
	return `return Array.from({ length: ${n} }, (_, i) => ({ json: { identity: 'user-' + i + '@example.com' } }));`;
}

let uuidSeq = 0;
const nodeId = () => `b0b0b0b0-0000-4000-8000-${String(++uuidSeq).padStart(12, '0')}`;

function base(id, name, n, client) {
	return {
		id,
		name,
		nodes: [
			{
				id: nodeId(),
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: nodeId(),
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: itemsCode(n) },
			},
			{ id: nodeId(), position: [440, 0], ...client },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: client.name, type: 'main', index: 0 }]] },
		},
	};
}

/**
 * n8n workflow ids: 16 characters [A-Za-z0-9] (1.x accepts others, 2.x validates more). N is
 * zero-padded to 8 digits first, so N=1 and N=1000 can never end up with the same id.
 */
function wfId(prefix, tag, n) {
	const raw = `${prefix}${tag}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
	const id = `${raw.padEnd(8, 'x')}${String(n).padStart(8, '0')}`;
	if (id.length !== 16) throw new Error(`bad workflow id ${id}`);
	return id;
}

const CLEVERTAP_NODE = 'CleverTap';
const HTTP_NODE = 'HTTP Request';
const LIMIT_NODE = 'Limit';

/** Manual Trigger → Code → CleverTap (Profile → Demerge). */
function cleverTapWorkflow({ n, expression, dryRun }) {
	const id = wfId(dryRun ? 'ctd' : 'ctr', expression === 'plain' ? 'p' : 'c', n);
	const options = dryRun ? { dryRun: true } : {};
	return base(id, `bench CleverTap ${expression} N=${n}${dryRun ? ' dry run' : ''}`, n, {
		name: CLEVERTAP_NODE,
		type: 'n8n-nodes-clevertap.cleverTap',
		typeVersion: 1,
		parameters: {
			resource: 'profile',
			operation: 'demerge',
			identities: EXPRESSIONS[expression],
			options,
		},
		credentials: { cleverTapApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
	});
}

/**
 * Manual Trigger → Code → Limit (keeps 1 item): n8n's own time for N input items, which every node
 * pays (n8n copies each input item to attach `pairedItem` before `execute()`, and counts the copy
 * in the node's `executionTime`). Keeping one item leaves out the cost of handing N items on.
 */
function inputCostWorkflow({ n }) {
	return base(wfId('limit', '', n), `bench Limit N=${n}`, n, {
		name: LIMIT_NODE,
		type: 'n8n-nodes-base.limit',
		typeVersion: 1,
		parameters: { maxItems: 1 },
	});
}

/**
 * What users do today: n8n's HTTP Request node, one request per item, auth headers typed in.
 * `batching` undefined = no batching option at all.
 */
function httpRequestWorkflow({ n, url, batching, tag }) {
	const options = batching
		? {
				batching: {
					batch: { batchSize: batching.batchSize, batchInterval: batching.batchInterval },
				},
			}
		: {};
	return base(wfId('h', tag, n), `bench HTTP Request ${tag} N=${n}`, n, {
		name: HTTP_NODE,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${url}/1/demerge/profiles.json`,
			sendHeaders: true,
			headerParameters: {
				parameters: [
					{ name: 'X-CleverTap-Account-Id', value: ACCOUNT_ID },
					{ name: 'X-CleverTap-Passcode', value: PASSCODE },
				],
			},
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={"identities":["{{ $json.identity }}"]}',
			options,
		},
	});
}

module.exports = {
	ACCOUNT_ID,
	PASSCODE,
	CLEVERTAP_NODE,
	HTTP_NODE,
	LIMIT_NODE,
	EXPRESSIONS,
	credential,
	cleverTapWorkflow,
	inputCostWorkflow,
	httpRequestWorkflow,
};
