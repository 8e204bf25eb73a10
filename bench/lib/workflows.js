'use strict';
/**
 * The workflows the bench imports into real n8n. Every one starts the same way:
 *   Manual Trigger → Code (N items `{ identity: 'user-<i>@example.com' }`, or N CRM contacts for
 *   the uploads) → <client node>
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

/** Identity of the i-th item of `itemsCode`. */
const identityOf = (i) => `user-${i}@example.com`;

/**
 * Contacts as a CRM trigger hands them on: one item per contact, flat fields with its id, name,
 * email and company (the uploads' input).
 */
function contactsCode(n) {
	return `return Array.from({ length: ${n} }, (_, i) => ({ json: { id: 'crm-' + i, name: 'Contact ' + i, email: 'contact-' + i + '@example.com', company: 'Company ' + (i % 100) } }));`;
}

let uuidSeq = 0;
const nodeId = () => `b0b0b0b0-0000-4000-8000-${String(++uuidSeq).padStart(12, '0')}`;

function base(id, name, n, client, code = itemsCode(n)) {
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
				parameters: { jsCode: code },
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

/**
 * Manual Trigger → Code → CleverTap (Profile → Demerge). `options` adds to the node's Options
 * (e.g. Include Input Fields off); a workflow with them needs a `tag` of its own, for its id.
 */
function cleverTapWorkflow({ n, expression, dryRun, options: extra = {}, tag = '' }) {
	const id = wfId(dryRun ? 'ctd' : 'ctr', `${expression === 'plain' ? 'p' : 'c'}${tag}`, n);
	const options = { ...(dryRun ? { dryRun: true } : {}), ...extra };
	const name = `bench CleverTap ${expression}${tag ? ` ${tag}` : ''} N=${n}${dryRun ? ' dry run' : ''}`;
	return base(id, name, n, {
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
 * Profile → Create or Update's data as users set it up for CRM contacts: Define Below with plain
 * field references (the node reads those from the item), or JSON built by an expression (which
 * n8n's expression engine evaluates per item).
 */
const UPSERT_DATA = {
	fields: {
		dataMode: 'fields',
		fields: {
			standard: [
				{ name: 'Name', value: '={{ $json.name }}' },
				{ name: 'Email', value: '={{ $json.email }}' },
			],
			custom: [{ name: 'Company', value: '={{ $json.company }}' }],
		},
	},
	json: {
		dataMode: 'json',
		json: '={{ { Name: $json.name, Email: $json.email, Company: $json.company } }}',
	},
};

/** The parameters of each operation the bench runs besides Demerge. */
function operationParameters(op, mode) {
	switch (op) {
		case 'get':
			return { operation: 'get', identifierType: 'identity', identifier: EXPRESSIONS.plain };
		case 'delete':
			return { operation: 'delete', identifierType: 'identity', identities: EXPRESSIONS.plain };
		case 'upsert':
			return {
				operation: 'upsert',
				identifierType: 'identity',
				identifier: '={{ $json.email }}',
				...UPSERT_DATA[mode],
			};
		default:
			throw new Error(`Unknown operation ${op}`);
	}
}

/**
 * Manual Trigger → Code → CleverTap running `op` ('get', 'delete' on identity items; 'upsert' on
 * CRM contacts, `mode` 'fields' or 'json').
 */
function operationWorkflow({ op, n, mode = 'fields', dryRun = false }) {
	const tag = { get: 'g', delete: 'd', upsert: mode === 'json' ? 'uj' : 'uf' }[op];
	const id = wfId(`op${dryRun ? 'x' : 'r'}`, tag, n);
	return base(
		id,
		`bench CleverTap ${op}${op === 'upsert' ? ` ${mode}` : ''} N=${n}${dryRun ? ' dry run' : ''}`,
		n,
		{
			name: CLEVERTAP_NODE,
			type: 'n8n-nodes-clevertap.cleverTap',
			typeVersion: 1,
			parameters: {
				resource: 'profile',
				...operationParameters(op, mode),
				options: dryRun ? { dryRun: true } : {},
			},
			credentials: { cleverTapApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		},
		op === 'upsert' ? contactsCode(n) : itemsCode(n),
	);
}

/**
 * Event → Get Many's query in the bench: one event name, seeded by the bench into the simulator
 * over these days (bench/lib/operations.js), read with Return All.
 */
const EVENTS_QUERY = { eventName: 'Bench Event', from: '2026-11-01', to: '2026-11-28' };

/**
 * Manual Trigger → CleverTap (Event → Get Many, Return All, Batch Size `batchSize`): no input
 * items but the trigger's one, N events out. `n` only names the workflow.
 */
function eventsWorkflow({ n, batchSize }) {
	return {
		id: wfId('opev', String(batchSize), n),
		name: `bench CleverTap Event Get Many N=${n} batch ${batchSize}`,
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
				name: CLEVERTAP_NODE,
				type: 'n8n-nodes-clevertap.cleverTap',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'event',
					operation: 'getMany',
					eventName: EVENTS_QUERY.eventName,
					from: `${EVENTS_QUERY.from}T00:00:00`,
					to: `${EVENTS_QUERY.to}T00:00:00`,
					returnAll: true,
					options: { batchSize },
				},
				credentials: { cleverTapApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
		],
		connections: { Start: { main: [[{ node: CLEVERTAP_NODE, type: 'main', index: 0 }]] } },
	};
}

/** The Limit node (keeps 1 item) on N CRM contacts: n8n's own input handling for the uploads. */
function contactsInputCostWorkflow({ n }) {
	return base(
		wfId('oplim', 'c', n),
		`bench Limit contacts N=${n}`,
		n,
		{ name: LIMIT_NODE, type: 'n8n-nodes-base.limit', typeVersion: 1, parameters: { maxItems: 1 } },
		contactsCode(n),
	);
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
	UPSERT_DATA,
	EVENTS_QUERY,
	identityOf,
	credential,
	operationWorkflow,
	eventsWorkflow,
	contactsInputCostWorkflow,
	cleverTapWorkflow,
	inputCostWorkflow,
	httpRequestWorkflow,
};
