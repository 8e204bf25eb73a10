/**
 * Bad input as real items arrive in real n8n 1.x and 2.x (from a Code node, so through n8n's own
 * item handling), with the exact message of each row of docs/reliability.md's table, and options set by
 * expressions beyond their range, as only an expression or an imported workflow can.
 */
import path from 'node:path';

import { packedForSuite } from './support/packed';
import { startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance, describeRun } = require('../../scripts/lib/n8n-harness');
const { cleverTapCredential, CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const PASSCODE = 'inputs-passcode-c41d';
const ACCOUNT = 'INPUTS';
const LONG = 'x'.repeat(1025);

/** Each row of docs/reliability.md's bad-input table: the item as a Code node returns it, and the message. */
const ROWS: Array<[row: string, js: string, message: string]> = [
	['field missing', `{ name: 'no email' }`, 'The identity is missing (field "email")'],
	['null', `{ email: null }`, 'The identity is null (field "email")'],
	['""', `{ email: '' }`, 'The identity is empty (field "email")'],
	['whitespace only', `{ email: '  ' }`, 'The identity is only whitespace (field "email")'],
	[
		'an object',
		`{ email: { work: 'w@x.com' } }`,
		'The identity is an object, not a string or number (field "email")',
	],
	[
		'true / false',
		`{ email: true }`,
		'The identity is a boolean, not a string or number (field "email")',
	],
	[
		'more than 1,024 characters',
		`{ email: '${LONG}' }`,
		'The identity is 1025 characters long; the most is 1024 (field "email")',
	],
	['[]', `{ email: [] }`, 'The list of identities is empty (field "email")'],
	[
		'a list with a blank',
		`{ email: ['a@x.com', ' '] }`,
		'Identity 2 of the list is only whitespace (field "email")',
	],
	['a list with null', `{ email: [null] }`, 'Identity 1 of the list is null (field "email")'],
	[
		'a list with an object',
		`{ email: ['a@x.com', {}] }`,
		'Identity 2 of the list is an object, not a string or number (field "email")',
	],
	[
		'a nested list',
		`{ email: ['a@x.com', ['b@x.com']] }`,
		'Identity 2 of the list is a nested list; give a flat list of identities (field "email")',
	],
	[
		'a list entry over 1,024 characters',
		`{ email: ['a@x.com', '${LONG}'] }`,
		'Identity 2 of the list is 1025 characters long; the most is 1024 (field "email")',
	],
	[
		'more than 100 identities',
		`{ email: Array.from({ length: 101 }, (_, i) => 'id' + i) }`,
		'The item has 101 different identities; one item may have at most 100, since CleverTap takes at most 100 in one request and an item\'s identities are sent together (field "email")',
	],
];

/**
 * NaN and Infinity reach the node as they are in n8n 1.x (its Code node runs in n8n's own process
 * by default) and as null in 2.x (the task runner hands items over as JSON).
 */
const NOT_FINITE = (major: number): typeof ROWS => [
	[
		'NaN',
		`{ email: NaN }`,
		major === 1
			? 'The identity is not a finite number (NaN) (field "email")'
			: 'The identity is null (field "email")',
	],
	[
		'Infinity',
		`{ email: Infinity }`,
		major === 1
			? 'The identity is not a finite number (Infinity) (field "email")'
			: 'The identity is null (field "email")',
	],
];

const GOOD = `{ email: 'good@x.com' }`;

function codeNode(id: string, name: string, items: string[], y: number): Json {
	return {
		id,
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [240, y],
		parameters: { jsCode: `return [${items.map((item) => `{ json: ${item} }`).join(', ')}];` },
	};
}

function cleverTapNode(id: string, name: string, identities: string, options: Json, y: number) {
	return {
		id,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [480, y],
		parameters: { resource: 'profile', operation: 'demerge', identities, options },
		credentials: { [CREDENTIAL_TYPE]: { id: 'ctCredInputs0001', name: 'CleverTap' } },
		onError: 'continueErrorOutput',
	};
}

const suite = packedForSuite('inputs-e2e');

describe.each([1, 2])('input as it reaches the node in real n8n %i.x', (major) => {
	let sim: Simulator;
	let instance: Json;
	const workflowId = `ctInputs00000${major}`.padEnd(16, 'x');
	const rows = [...ROWS, ...NOT_FINITE(major)];
	const expressions: Array<[name: string, identities: string, message: string]> = [
		['Quoted field', '={{ $json["e-mail"] }}', 'The identity is missing (field "e-mail")'],
		[
			'Nested field',
			'={{ $json.contact.email }}',
			'The identity is missing (field "contact.email")',
		],
		['Expression giving nothing', '={{ $json.other }}', 'The identity is missing (field "other")'],
		['Another expression', '={{ $json.email?.toLowerCase() }}', 'The identity is missing'],
		['Syntax error', '={{ $json.email.foo( }}', 'invalid syntax'],
	];
	const emptyId = `ctInputsEmpty0${major}`.padEnd(16, 'x');

	beforeAll(async () => {
		sim = await startSimulator({ accounts: { [ACCOUNT]: PASSCODE }, latencyMs: 30 });
		const n8n = await ensureN8n(major);
		instance = createN8nInstance({ n8n, userFolder: path.join(suite.workDir, `n8n-${major}`) });
		await instance.installPackage(suite.tarball);
		await instance.importCredentials([
			cleverTapCredential({
				id: 'ctCredInputs0001',
				name: 'CleverTap',
				accountId: ACCOUNT,
				passcode: PASSCODE,
				baseUrl: sim.url,
			}),
		]);
		const contacts = Array.from({ length: 250 }, (_, i) => `{ email: 'c${i}@x.com' }`);
		const nodes: Json[] = [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			codeNode('rows', 'Rows', [...rows.map(([, js]) => js), GOOD], 0),
			codeNode('plain', 'No email', [`{ name: 'no email' }`], 200),
			codeNode('many', 'Contacts', contacts, 400),
			cleverTapNode('ct-rows', 'Rows check', '={{ $json.email }}', { dryRun: true }, 0),
			...expressions.map(([name, identities], index) =>
				cleverTapNode(`ct-x${index}`, name, identities, { dryRun: true }, 200 + index * 40),
			),
			// Beyond their range, as only an expression can set them: brought to the nearest allowed.
			cleverTapNode(
				'ct-clamp',
				'Clamped',
				'={{ $json.email }}',
				{ batchSize: '={{ 500 }}', concurrency: '={{ 10 }}', maxRetries: '={{ -1 }}' },
				400,
			),
		];
		const to = (...names: string[]) => ({
			main: [names.map((node) => ({ node, type: 'main', index: 0 }))],
		});
		await instance.importWorkflow({
			id: workflowId,
			name: 'Inputs',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes,
			connections: {
				Start: to('Rows', 'No email', 'Contacts'),
				Rows: to('Rows check'),
				'No email': to(...expressions.map(([name]) => name)),
				Contacts: to('Clamped'),
			},
		});
		await instance.importWorkflow({
			id: emptyId,
			name: 'Identities left empty',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [nodes[0], nodes[2], cleverTapNode('ct-empty', 'Empty', '', {}, 200)],
			connections: { Start: to('No email'), 'No email': to('Empty') },
		});
	}, 45 * 60_000);

	afterAll(async () => {
		await sim?.close();
	});

	test("every row of docs/reliability.md's bad-input table, as n8n hands the items over", async () => {
		sim.reset();
		const result = await instance.execute(workflowId);
		if (result.code !== 0 || !result.json) throw new Error(describeRun(result));
		const runData = result.json.data.resultData.runData;
		const outputs = (node: string) => {
			const main = runData[node]?.[0]?.data?.main ?? [];
			return { success: (main[0] ?? []) as Json[], errors: (main[1] ?? []) as Json[] };
		};

		const checked = outputs('Rows check');
		expect(checked.errors.map((item) => item.json.error)).toEqual(
			rows.map(([, , message]) => message),
		);
		expect(checked.success.map((item) => item.json.identities)).toEqual([['good@x.com']]);

		for (const [name, , message] of expressions) {
			expect([name, outputs(name).errors.map((item) => item.json.error)]).toEqual([
				name,
				[message],
			]);
		}

		// Clamped: 250 identities in 100 + 100 + 50, never more than 3 at a time.
		const clamped = outputs('Clamped');
		expect(clamped.errors).toEqual([]);
		expect(clamped.success).toHaveLength(250);
		expect(sim.requests.map((request) => request.identities?.length)).toEqual([100, 100, 50]);
		expect(sim.stats().peakConcurrency).toBe(3);
	}, 300_000);

	test('Identities left empty: n8n refuses to run the workflow, and nothing is sent', async () => {
		sim.reset();
		const result = await instance.execute(emptyId);
		// 1.x says "The workflow has issues and cannot be executed"; 2.x's CLI only exits. The editor
		// marks the parameter itself ("Parameter "Identities" is required.").
		if (result.code === 0 || result.json?.status === 'success')
			throw new Error(describeRun(result));
		expect(sim.requests).toEqual([]);
	}, 300_000);
});
