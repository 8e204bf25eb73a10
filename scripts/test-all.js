#!/usr/bin/env node
// The one test command (`npm test`): it runs the package's own commands, exactly as docs/development.md
// shows them, one after another: lint, type check, build, the unit/simulator/workflow suites, the
// end-to-end suites in real n8n, the editor in a browser and queue mode. It ends with a plain
// `N passed, N failed` line and exits non-zero when anything failed or when no test ran.
// `SKIP_E2E=1` leaves out what runs real n8n; arguments after `--` go to every jest command.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const extraJestArgs = process.argv.slice(2);
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-tests-'));
const report = path.join(reportDir, 'counts.jsonl');
let passed = 0;
let failed = 0;
const started = Date.now();

/** The tests the jest commands have counted so far (see scripts/lib/jest-count-reporter.js). */
function counted() {
	const lines = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').split('\n') : [];
	return lines
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line))
		.reduce(
			(sum, line) => ({
				total: sum.total + line.total,
				passed: sum.passed + line.passed,
				failed: sum.failed + line.failed,
			}),
			{ total: 0, passed: 0, failed: 0 },
		);
}

/**
 * Runs `npm run <script>`, with the jest arguments given to npm test for a jest command. A jest
 * command's tests are counted from its report; a command that failed without a failed test
 * counted (a crash, a setup step) counts as one failure, as does any other command that failed.
 */
function step(script, { jest = false, env = {} } = {}) {
	const extra = jest && extraJestArgs.length ? ['--', ...extraJestArgs] : [];
	console.log(`\n▶ npm run ${[script, ...extra].join(' ')}`);
	const before = counted().failed;
	const stepStarted = Date.now();
	const result = spawnSync('npm', ['run', '--silent', script, ...extra], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, CLEVERTAP_TEST_REPORT: report, ...env },
	});
	const seconds = Math.round((Date.now() - stepStarted) / 1000);
	if (result.status === 0) {
		console.log(`✔ npm run ${script} (${seconds} s)`);
		if (!jest) passed++;
		return true;
	}
	console.error(
		`✖ npm run ${script} failed (exit ${result.status ?? result.signal}, ${seconds} s)`,
	);
	if (!jest || counted().failed === before) failed++;
	return false;
}

step('lint');
step('typecheck');
const built = step('build');
if (built) {
	step('test:unit', { jest: true });
	if (process.env.SKIP_E2E === '1') {
		console.log('\n(end-to-end tests in real n8n skipped: SKIP_E2E=1)');
	} else {
		// The build step above made dist/: the suites pack it instead of building it again.
		const env = { N8N_NODES_CLEVERTAP_BUILT: '1' };
		step('test:e2e', { jest: true, env });
		step('test:ui', { jest: true, env });
		step('test:queue', { jest: true, env });
	}
}

const tests = counted();
fs.rmSync(reportDir, { recursive: true, force: true });
passed += tests.passed;
failed += tests.failed;
if (tests.total === 0) {
	console.error('✖ no test ran');
	failed++;
}
console.log(`\n(${Math.round((Date.now() - started) / 1000)} s in all)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
