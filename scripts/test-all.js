#!/usr/bin/env node
// The one test command (`npm test`): lint, type check, build, then every jest suite (unit,
// simulator, workflow and end-to-end in real n8n). Ends with a plain `N passed, N failed` line and
// exits non-zero when anything failed or when no test ran.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const extraJestArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;

function step(name, command, args) {
	console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
	if (result.status === 0) {
		passed++;
		return true;
	}
	console.error(`✖ ${name} failed (exit ${result.status ?? result.signal})`);
	failed++;
	return false;
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

// n8n's community-node rules (as its package scanner applies them) and the code format.
step('lint', 'npm', ['run', '--silent', 'lint']);
step('type check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
const built = step('build', 'npm', ['run', '--silent', 'build']);

const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-jest-'));
let jestTotal = 0;

function jest(name, args, env = {}) {
	const report = path.join(reportDir, `${name}.json`);
	console.log(`\n▶ jest (${name})`);
	spawnSync(bin('jest'), ['--json', `--outputFile=${report}`, ...args, ...extraJestArgs], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, ...env },
	});
	if (!fs.existsSync(report)) {
		console.error(`✖ jest (${name}) wrote no report`);
		failed++;
		return;
	}
	const result = JSON.parse(fs.readFileSync(report, 'utf8'));
	jestTotal += result.numTotalTests;
	passed += result.numPassedTests;
	failed += result.numFailedTests;
	// A suite that fails to load has no failed tests but is a failure all the same.
	failed += result.testResults.filter(
		(suite) =>
			suite.status === 'failed' && suite.assertionResults.every((t) => t.status !== 'failed'),
	).length;
}

if (built) {
	jest('unit, simulator and workflow', ['--testPathIgnorePatterns', '/test/e2e/']);
	if (process.env.SKIP_E2E === '1') {
		console.log('\n(end-to-end tests in real n8n skipped: SKIP_E2E=1)');
	} else if (
		step('install real n8n 1.x and 2.x (cached)', process.execPath, ['scripts/e2e-setup.js'])
	) {
		// One n8n at a time: each boots a full n8n, and two at once on 2 cores only slow both.
		// The build step above made dist/: the suites pack it instead of building it again.
		jest('end-to-end in real n8n', ['--runInBand', 'test/e2e'], { N8N_NODES_CLEVERTAP_BUILT: '1' });
	}
}
fs.rmSync(reportDir, { recursive: true, force: true });

if (jestTotal === 0) {
	console.error('✖ no test ran');
	failed++;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
