/**
 * Every fault the simulator can play, in real n8n 1.x and 2.x through the installed package: the
 * transient ones clear (every identity demerged exactly once, no error item), the persistent ones
 * are reported on every item with the right message and hint, and a stop names what stopped it.
 * One workflow holds a CleverTap node per scenario, each with a credential of its own account, so
 * the simulator plays each scenario's faults to its node alone. One `n8n start` per major, logging
 * at debug level, runs every workflow, each started by a webhook (scripts/lib/n8n-runs.js).
 */
import path from 'node:path';

import { packedForSuite } from './support/packed';
import { startSimulator, type FaultSpec, type Simulator } from '../simulator';
import {
	afterAttempts,
	closedPort,
	persistentRetries,
	REJECTED_CREDENTIALS,
	RETRIED_FAULTS,
	TIMEOUT_HINT,
	UNREACHABLE_HINT,
	UNREACHABLE_HOST,
	UNREACHABLE_URL,
	unreachableSummary,
	type FaultCase,
} from '../support/faultCases';

const { ensureN8n, createN8nInstance, describeRun } = require('../../scripts/lib/n8n-harness');
const { importForRuns, startRuns } = require('../../scripts/lib/n8n-runs');
const { cleverTapCredential, CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const ITEMS = 5;
const BATCH_SIZE = 2;
const BATCHES = 3;
const TIMEOUT_MS = 1000;
const MIXED_ITEMS = 300;

const passcodeOf = (tag: string) => `pc-${tag}-7f3a9c`;
const accountOf = (tag: string) => `FM-${tag}`;
const identity = (tag: string, i: number) => `user${i}+${tag}@example.com`;

interface Scenario {
	tag: string;
	faults?: Array<Omit<FaultSpec, 'account'>>;
	options: Json;
	items?: number;
	/** The credential's base URL, when it is not the simulator. */
	baseUrl?: string;
	onError?: 'continueErrorOutput';
}

const kindTag = (fault: FaultCase) => fault.kind.replace(/[^a-z0-9]/gi, '');

function transientScenarios(): Scenario[] {
	return [
		...RETRIED_FAULTS.map((fault) => ({
			tag: `t${kindTag(fault)}`,
			// A 429 storm refuses every batch twice; other faults hit the first request of each batch.
			faults: [{ kind: fault.kind, times: fault.kind === '429' ? 2 * BATCHES : BATCHES }],
			options: {
				batchSize: BATCH_SIZE,
				timeout: TIMEOUT_MS,
				maxRetries: fault.kind === '429' ? 2 : 1,
			},
		})),
		{
			tag: 'tretryafter',
			faults: [{ kind: '429-retry-after', retryAfterSeconds: 1 }],
			options: { batchSize: BATCH_SIZE, timeout: TIMEOUT_MS, maxRetries: 1 },
		},
		{
			// The mix: one after another on the first five requests of a 300-contact run.
			tag: 'tmixed',
			faults: [
				{ kind: '429' },
				{ kind: '503-html' },
				{ kind: 'reset' },
				{ kind: '500' },
				{ kind: '429' },
			],
			options: {},
			items: MIXED_ITEMS,
		},
	];
}

function persistentScenarios(): Scenario[] {
	return [
		...RETRIED_FAULTS.map((fault) => ({
			tag: `p${kindTag(fault)}`,
			faults: [{ kind: fault.kind, after: 1, times: Infinity }],
			options: {
				batchSize: BATCH_SIZE,
				timeout: TIMEOUT_MS,
				maxRetries: persistentRetries(fault),
				concurrency: 1,
			},
			onError: 'continueErrorOutput' as const,
		})),
		{
			tag: 'p401mid',
			faults: [{ kind: '401', after: 1, times: Infinity }],
			options: { batchSize: BATCH_SIZE, maxRetries: 2, concurrency: 1 },
			onError: 'continueErrorOutput',
		},
		{
			tag: 'p400',
			options: { batchSize: BATCH_SIZE },
			onError: 'continueErrorOutput',
		},
		// Setup problems from the first request on: one message for every item, nothing on the
		// success output. The redirect's target is set once the trap server is up.
		...(['403', '404', '405', 'redirect'] as const).map((kind) => ({
			tag: `p${kind}`,
			faults: [{ kind, times: Infinity }],
			options: { batchSize: BATCH_SIZE },
			onError: 'continueErrorOutput' as const,
		})),
	];
}

/** What a setup problem reads like, per fault kind, and the hint that goes with it. */
const SETUP_PROBLEMS: Record<string, { summary: (trap: string) => string; hint: string }> = {
	p403: {
		summary: () =>
			'CleverTap refused access with this passcode (HTTP 403: "Not allowed for this passcode")',
		hint: REJECTED_CREDENTIALS.hint(1),
	},
	p404: {
		summary: () => 'CleverTap does not know this address (HTTP 404: "Not found")',
		hint: UNREACHABLE_HINT,
	},
	p405: {
		summary: () =>
			'CleverTap does not allow this request at this address (HTTP 405: "Method not allowed")',
		hint: UNREACHABLE_HINT,
	},
	predirect: {
		summary: (trap) =>
			`CleverTap sent the request on to another address (HTTP 302 to ${trap}/1/demerge/profiles.json)`,
		hint: UNREACHABLE_HINT,
	},
};

/** Start → Contacts (and 300 for the mix) → one CleverTap node per scenario. */
function matrixWorkflow(id: string, scenarios: Scenario[]) {
	const contacts = (count: number) =>
		`return Array.from({ length: ${count} }, (_, i) => ({ json: { email: 'user' + i + '@example.com' } }));`;
	const nodes: Json[] = [
		{
			id: `${id}-start`,
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: `${id}-c5`,
			name: 'Contacts',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [240, 0],
			parameters: { jsCode: contacts(ITEMS) },
		},
		{
			id: `${id}-c300`,
			name: 'Contacts 300',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [240, 400],
			parameters: { jsCode: contacts(MIXED_ITEMS) },
		},
	];
	const fromContacts: Json[] = [];
	const fromContacts300: Json[] = [];
	scenarios.forEach((scenario, index) => {
		const name = `CT ${scenario.tag}`;
		nodes.push({
			id: `${id}-${scenario.tag}`,
			name,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [480, index * 120],
			parameters: {
				resource: 'profile',
				operation: 'demerge',
				// Each scenario's own identities, so the simulator's counts tell them apart.
				identities: `={{ $json.email.replace("@", "+${scenario.tag}@") }}`,
				options: scenario.options,
			},
			credentials: { [CREDENTIAL_TYPE]: { id: credentialId(scenario.tag), name } },
			...(scenario.onError ? { onError: scenario.onError } : {}),
		});
		(scenario.items === MIXED_ITEMS ? fromContacts300 : fromContacts).push({
			node: name,
			type: 'main',
			index: 0,
		});
	});
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections: {
			Start: {
				main: [
					[
						{ node: 'Contacts', type: 'main', index: 0 },
						...(fromContacts300.length ? [{ node: 'Contacts 300', type: 'main', index: 0 }] : []),
					],
				],
			},
			Contacts: { main: [fromContacts] },
			'Contacts 300': { main: [fromContacts300] },
		},
	};
}

const credentialId = (tag: string) => `ctCred${tag}`.slice(0, 16).padEnd(16, 'x');

const suite = packedForSuite('faults-e2e');

describe.each([1, 2])('the fault matrix in real n8n %i.x', (major) => {
	let sim: Simulator;
	let instance: Json;
	let runs: Json;
	let recoveringPort: number;
	const transient = transientScenarios();
	const persistent = persistentScenarios();
	const stops: Scenario[] = [
		{
			tag: 'sreset',
			faults: [{ kind: 'reset', after: 1, times: Infinity }],
			options: { batchSize: BATCH_SIZE, maxRetries: 1, concurrency: 1 },
		},
		{
			tag: 'shang',
			faults: [{ kind: 'hang', after: 1, times: Infinity }],
			options: { batchSize: BATCH_SIZE, maxRetries: 1, concurrency: 1, timeout: TIMEOUT_MS },
		},
		{
			tag: 's401mid',
			faults: [{ kind: '401', after: 1 }],
			options: { batchSize: BATCH_SIZE, maxRetries: 2, concurrency: 1 },
		},
	];
	const host = () => `127.0.0.1:${sim.port}`;
	const recovering: Scenario = {
		tag: 'trefused',
		// Set once the port is known; its back-off is long enough for the host to come up in time.
		baseUrl: '',
		options: { batchSize: BATCH_SIZE, maxRetries: 3 },
	};
	transient.push(recovering);
	persistent.push({
		tag: 'prefused',
		baseUrl: UNREACHABLE_URL,
		options: { batchSize: BATCH_SIZE, maxRetries: 1 },
		onError: 'continueErrorOutput',
	});
	stops.push({
		tag: 'srefused',
		baseUrl: UNREACHABLE_URL,
		options: { batchSize: BATCH_SIZE, maxRetries: 1, concurrency: 1 },
	});
	const all = () => [...transient, ...persistent, ...stops];

	beforeAll(async () => {
		// The simulator first, so the free port taken for the recovering host is not handed to it.
		sim = await startSimulator({
			accounts: Object.fromEntries(all().map(({ tag }) => [accountOf(tag), passcodeOf(tag)])),
		});
		recoveringPort = await closedPort();
		recovering.baseUrl = `http://127.0.0.1:${recoveringPort}`;
		const n8n = await ensureN8n(major, {
			log: (line: string) => process.stderr.write(`${line}\n`),
		});
		instance = createN8nInstance({ n8n, userFolder: path.join(suite.workDir, `n8n-${major}`) });
		await instance.installPackage(suite.tarball);
		await instance.importCredentials(
			all().map((scenario: Scenario) =>
				cleverTapCredential({
					id: credentialId(scenario.tag),
					name: `CT ${scenario.tag}`,
					accountId: accountOf(scenario.tag),
					passcode: passcodeOf(scenario.tag),
					baseUrl: scenario.baseUrl ?? sim.url,
				}),
			),
		);
		await importForRuns(instance, [
			matrixWorkflow(`ctFaultsTrans${major}`.padEnd(16, 'x'), transient),
			matrixWorkflow(`ctFaultsPers0${major}`.padEnd(16, 'x'), persistent),
			...stops.map((scenario) =>
				matrixWorkflow(`ctStop${scenario.tag}${major}`.slice(0, 16).padEnd(16, 'x'), [scenario]),
			),
		]);
		// Debug level: the transient test watches for the node's log of a failed attempt.
		runs = await startRuns({ instance, env: { N8N_LOG_LEVEL: 'debug' } });
	}, 45 * 60_000);

	afterAll(async () => {
		await runs?.stop();
		await sim?.close();
	});

	/** Runs a workflow after scripting its scenarios' faults; never leaks a passcode. */
	async function execute(id: string, scenarios: Scenario[], options: Json = {}) {
		sim.reset();
		sim.setRejectIdentities([identity('p400', 3)]);
		for (const scenario of scenarios) {
			for (const fault of scenario.faults ?? []) {
				sim.addFault({ ...fault, account: accountOf(scenario.tag) });
			}
		}
		const result = await runs.execute(id.slice(0, 16).padEnd(16, 'x'), {
			timeoutMs: 600_000,
			...options,
		});
		const printed = `${result.stdout}\n${result.stderr}`;
		const leaked = all().filter(({ tag }) => printed.includes(passcodeOf(tag)));
		expect(leaked.map(({ tag }) => tag)).toEqual([]);
		if (!result.json) throw new Error(`n8n printed no run data.\n${describeRun(result)}`);
		return result as { code: number; json: Json; stdout: string; stderr: string };
	}

	const outputs = (json: Json, tag: string) => {
		const main = json.data.resultData.runData[`CT ${tag}`]?.[0]?.data?.main ?? [];
		return { success: (main[0] ?? []) as Json[], errors: (main[1] ?? []) as Json[] };
	};
	const demergedOnce = (tag: string, count: number, taken: string[] = []) =>
		Array.from({ length: count }, (_, i) => identity(tag, i)).filter(
			(id) => sim.demerged.get(id) !== (taken.includes(id) ? 2 : 1),
		);

	test('transient faults clear: every identity demerged exactly once, no error item', async () => {
		// The recovering host comes up once n8n has logged a failed attempt to reach it; its
		// back-off (at least 1.75 s over three retries) leaves it time to.
		let recovered: Simulator | undefined;
		let starting = false;
		try {
			const result = await execute(`ctFaultsTrans${major}`, transient, {
				watch: (text: string) => {
					if (starting || !text.includes(`Nothing at 127.0.0.1:${recoveringPort} accepted`)) return;
					starting = true;
					void startSimulator({
						port: recoveringPort,
						accounts: { [accountOf('trefused')]: passcodeOf('trefused') },
					}).then((started) => (recovered = started));
				},
			});
			const report = (tag: string) =>
				`${tag}: ${sim.summary()}\n${describeRun(result, JSON.stringify(outputs(result.json, tag).errors[0]?.json ?? null))}`;
			if (result.code !== 0) throw new Error(describeRun(result));
			for (const scenario of transient) {
				const count = scenario.items ?? ITEMS;
				const { success, errors } = outputs(result.json, scenario.tag);
				if (errors.length > 0 || success.length !== count) throw new Error(report(scenario.tag));
				expect(success.every((item) => item.json.status === 'success')).toBe(true);
				if (scenario.tag === 'trefused') {
					// Nothing listened at first; every identity went through once it did.
					expect(recovered?.stats().identitiesDemerged).toBe(ITEMS);
					expect(Math.max(...(recovered?.demerged.values() ?? [0]))).toBe(1);
					continue;
				}
				const taken = sim.requests
					.filter((request) => request.accountId === accountOf(scenario.tag))
					.flatMap((request) => request.taken ?? []);
				expect([scenario.tag, demergedOnce(scenario.tag, count, taken)]).toEqual([
					scenario.tag,
					[],
				]);
			}
			// Every scripted fault was played.
			expect(sim.faults).toEqual([]);
		} finally {
			await recovered?.close();
		}
	}, 600_000);

	test('persistent faults under continue-on-fail: every item reported with the right message and hint', async () => {
		// Where the redirect points: a second server that must never see a request.
		const trap = await startSimulator({
			accounts: { [accountOf('predirect')]: passcodeOf('predirect') },
		});
		const redirect = persistent.find((scenario) => scenario.tag === 'predirect') as Scenario;
		redirect.faults = [{ kind: 'redirect', times: Infinity, location: trap.url }];
		let result: Awaited<ReturnType<typeof execute>>;
		try {
			result = await execute(`ctFaultsPers0${major}`, persistent);
			expect(trap.requests).toEqual([]);
		} finally {
			await trap.close();
		}
		if (result.code !== 0) throw new Error(describeRun(result));
		const contact = (tag: string, i: number) => ({ email: `user${i}@example.com`, tag, i });
		const received = (tag: string) => {
			const { success, errors } = outputs(result.json, tag);
			return {
				success: success.map((item) => item.json.identities?.[0]),
				errors: errors.map((item) => [item.json.email, item.json.error]),
			};
		};
		for (const fault of RETRIED_FAULTS) {
			const tag = `p${kindTag(fault)}`;
			const attempts = persistentRetries(fault) + 1;
			expect({ tag, ...received(tag) }).toEqual({
				tag,
				success: [identity(tag, 0), identity(tag, 1)],
				errors: [2, 3, 4].map((i) => [
					contact(tag, i).email,
					`Identity "${identity(tag, i)}" was not demerged: ${fault.summary(host())}${afterAttempts(attempts)}. ${fault.hint(attempts)}`,
				]),
			});
		}
		const rejected = REJECTED_CREDENTIALS.summary('');
		const hint401 = REJECTED_CREDENTIALS.hint(1);
		expect(received('p401mid')).toEqual({
			success: [identity('p401mid', 0), identity('p401mid', 1)],
			errors: [
				[
					contact('', 2).email,
					`Identity "${identity('p401mid', 2)}" was not demerged: ${rejected}. ${hint401}`,
				],
				[
					contact('', 3).email,
					`Identity "${identity('p401mid', 3)}" was not demerged: ${rejected}. ${hint401}`,
				],
				[
					contact('', 4).email,
					`Identity "${identity('p401mid', 4)}" was not demerged: it was not sent, because the node stopped after an earlier failure: ${rejected}. ${hint401}`,
				],
			],
		});
		expect(received('p400')).toEqual({
			success: [0, 1, 2, 4].map((i) => identity('p400', i)),
			errors: [
				[
					contact('', 3).email,
					`Identity "${identity('p400', 3)}" was not demerged: CleverTap refused the request as invalid (HTTP 400: "Invalid identity: ${identity('p400', 3)}")`,
				],
			],
		});
		expect(received('prefused')).toEqual({
			success: [],
			errors: [0, 1, 2, 3, 4].map((i) => [
				contact('', i).email,
				`Identity "${identity('prefused', i)}" was not demerged: ${unreachableSummary(UNREACHABLE_HOST)} after 2 attempts. ${UNREACHABLE_HINT}`,
			]),
		});
		for (const [tag, problem] of Object.entries(SETUP_PROBLEMS)) {
			const text = `Nothing was demerged: ${problem.summary(trap.url)}. ${problem.hint}`;
			expect({ tag, ...received(tag) }).toEqual({
				tag,
				success: [],
				errors: [0, 1, 2, 3, 4].map((i) => [contact('', i).email, text]),
			});
			// The editor shows it once, above the output.
			expect(result.json.data.resultData.runData[`CT ${tag}`][0].hints).toEqual([
				{ message: text, type: 'danger', location: 'outputPane' },
			]);
		}
		// Nothing lost: what went through went through once.
		const setup = Object.keys(SETUP_PROBLEMS);
		for (const scenario of persistent.filter(
			(s) => s.tag !== 'prefused' && s.tag !== 'p400' && !setup.includes(s.tag),
		)) {
			const taken = sim.requests
				.filter((request) => request.accountId === accountOf(scenario.tag))
				.flatMap((request) => request.taken ?? []);
			expect([scenario.tag, demergedOnce(scenario.tag, 2, taken)]).toEqual([scenario.tag, []]);
		}
	}, 600_000);

	test.each([
		[
			'sreset',
			(host: string) =>
				`Identity "${identity('sreset', 2)}" was not demerged: The connection to CleverTap at ${host} broke off before the answer came (ECONNRESET) after 2 attempts`,
			'This looks temporary. The node tried 2 times, waiting longer each time. Run the workflow again later, or raise Max Retries under Options. 2 of 5 identities were demerged before the node stopped.',
		],
		[
			'shang',
			(host: string) =>
				`Identity "${identity('shang', 2)}" was not demerged: CleverTap at ${host} did not answer within 1 second after 2 attempts`,
			`${TIMEOUT_HINT} 2 of 5 identities were demerged before the node stopped.`,
		],
		[
			's401mid',
			() =>
				`Identity "${identity('s401mid', 2)}" was not demerged: ${REJECTED_CREDENTIALS.summary('')}`,
			`${REJECTED_CREDENTIALS.hint(1)} 2 of 5 identities were demerged before the node stopped.`,
		],
		[
			'srefused',
			() =>
				`Identity "${identity('srefused', 0)}" was not demerged: ${unreachableSummary(UNREACHABLE_HOST)} after 2 attempts`,
			`${UNREACHABLE_HINT} 0 of 5 identities were demerged before the node stopped.`,
		],
	])(
		'%s without continue-on-fail: the run stops naming what stopped it and how far it got',
		async (tag, message, description) => {
			const scenario = stops.find((candidate) => candidate.tag === tag) as Scenario;
			const result = await execute(`ctStop${tag}${major}`, [scenario]);
			const error = result.json.data.resultData.error;
			if (result.code !== 1 || !error) throw new Error(describeRun(result));
			expect({ message: error.message, description: error.description }).toEqual({
				message: message(host()),
				description,
			});
		},
		120_000,
	);
});
