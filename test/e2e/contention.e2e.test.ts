/**
 * Where users outgrow one run: 4 executions at once (4 n8n processes, as with several workflows or
 * queue-mode workers) against ONE CleverTap account and its 3-request demerge limit. All must
 * finish with nothing lost, few 429s, and a combined throughput close to the account's limit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSimulator, type Simulator } from '../simulator';

const { ensureN8n, createN8nInstance, describeRun } = require('../../scripts/lib/n8n-harness');
const { packPackage } = require('../../scripts/lib/pack');
const {
	cleverTapCredential,
	demergeWorkflow,
	cleverTapOutputs,
} = require('../../scripts/lib/workflows');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- n8n's run JSON

const EXECUTIONS = 4;
const ITEMS_PER_EXECUTION = 6000;
const LATENCY_MS = 200;
const PASSCODE = 'contention-passcode-77c2';

let workDir: string;
let sim: Simulator;
const instances: Json[] = [];

beforeAll(async () => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-contention-'));
	const tarball = packPackage({ destination: workDir });
	sim = await startSimulator({
		accounts: { SHARED: PASSCODE },
		latencyMs: LATENCY_MS,
		maxRecords: 100,
	});
	const n8n = await ensureN8n(1);
	for (let run = 0; run < EXECUTIONS; run++) {
		const instance = createN8nInstance({ n8n, userFolder: path.join(workDir, `n8n-${run}`) });
		await instance.installPackage(tarball);
		const credential = cleverTapCredential({
			id: 'ctCredShared0001',
			name: 'CleverTap',
			accountId: 'SHARED',
			passcode: PASSCODE,
			baseUrl: sim.url,
		});
		await instance.importCredentials([credential]);
		const contacts = Array.from({ length: ITEMS_PER_EXECUTION }, (_, i) => ({
			email: `run${run}-contact${i}@example.com`,
		}));
		await instance.importWorkflow(
			demergeWorkflow({ id: 'ctContention0001', name: `Run ${run}`, contacts, credential }),
		);
		instances.push(instance);
	}
}, 45 * 60_000);

afterAll(async () => {
	await sim?.close();
	fs.rmSync(workDir, { recursive: true, force: true });
});

test(
	`${EXECUTIONS} executions at once share one account: all finish, nothing lost, throughput near the limit`,
	async () => {
		sim.reset();
		const results = await Promise.all(
			instances.map((instance) => instance.execute('ctContention0001', { timeoutMs: 600_000 })),
		);

		const total = EXECUTIONS * ITEMS_PER_EXECUTION;
		const stats = sim.stats();
		results.forEach((result, run) => {
			const { success } = cleverTapOutputs(result.json);
			const failed = success.filter((item: Json) => item.json.status !== 'success');
			if (result.code !== 0 || success.length !== ITEMS_PER_EXECUTION || failed.length > 0) {
				throw new Error(
					`Execution ${run + 1} of ${EXECUTIONS} did not demerge everything.\n` +
						`Simulator: ${sim.summary()}\n` +
						describeRun(
							result,
							`${success.length} items out, ${failed.length} failed; first failure: ${JSON.stringify(failed[0]?.json ?? null)}`,
						),
				);
			}
		});
		// Nothing lost, nothing twice.
		expect(stats.identitiesDemerged).toBe(total);
		expect(stats.demergeCalls).toBe(total);

		const throttled = stats.byStatus[429] ?? 0;
		const accepted = stats.byStatus[200] ?? 0;
		const spanMs = (stats.lastResponseAt ?? 0) - (stats.firstRequestAt ?? 0);
		const limitMs = Math.ceil(total / 100 / 3) * LATENCY_MS;
		const ratio = limitMs / spanMs;
		console.log(
			`contention: ${EXECUTIONS} executions × ${ITEMS_PER_EXECUTION} identities, ${LATENCY_MS} ms per request: ` +
				`${accepted} accepted requests, ${throttled} answered 429 (${((100 * throttled) / accepted).toFixed(1)}% extra), ` +
				`peak ${stats.peakConcurrency} in flight, span ${(spanMs / 1000).toFixed(1)} s vs limit ${(limitMs / 1000).toFixed(1)} s ` +
				`→ combined ratio_to_limit=${ratio.toFixed(2)}`,
		);
		expect(accepted).toBe(total / 100);
		// Bounded: fewer than one 429 per two accepted requests across 4 competing runs (seen: ~15%).
		expect(throttled).toBeLessThan(accepted / 2);
		// The span includes n8n boots that do not overlap perfectly, so the bar is below the single-run 0.9.
		expect(ratio).toBeGreaterThan(0.6);
	},
	15 * 60_000,
);
