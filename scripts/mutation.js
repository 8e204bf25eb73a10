#!/usr/bin/env node
/**
 * `npm run test:mutation`: Stryker over the shipped code (stryker.config.mjs), in two passes.
 * 1. Every mutant against the unit suites (incremental: a later run tries again only what changed).
 * 2. The mutants the first pass left alive, against the unit and workflow suites.
 * Then the score of both together (scripts/mutation-survivors.js). Arguments go on to the first
 * pass (`-- --force` tries every mutant again).
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const REPORTS = path.join(ROOT, 'reports', 'mutation');
const stryker = path.join(
	path.dirname(require.resolve('@stryker-mutator/core/package.json')),
	'bin',
	'stryker.js',
);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function pass(name, suites, args) {
	const started = Date.now();
	console.log(`\n— mutation testing, ${name} —`);
	const run = spawnSync(process.execPath, [stryker, 'run', ...args], {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, MUTATION_PASS: suites },
	});
	const minutes = ((Date.now() - started) / 60_000).toFixed(1);
	console.log(`— ${name}: ${minutes} min, exit ${run.status} —`);
	if (run.status !== 0) process.exit(run.status ?? 1);
}

/** Stryker's `--mutate` ranges (1-based lines, 0-based columns) of the first pass's survivors. */
function survivorRanges() {
	const report = JSON.parse(fs.readFileSync(path.join(REPORTS, 'mutation.json'), 'utf8'));
	const ranges = [];
	for (const [file, { mutants }] of Object.entries(report.files))
		for (const { status, location } of mutants)
			if (UNDETECTED.has(status))
				ranges.push(
					`${file}:${location.start.line}:${location.start.column - 1}-${location.end.line}:${location.end.column - 1}`,
				);
	return [...new Set(ranges)];
}

pass('pass 1: every mutant, unit suites', 'unit', process.argv.slice(2));
const ranges = survivorRanges();
for (const name of fs.readdirSync(REPORTS))
	if (/^workflow.*\.json$/.test(name)) fs.rmSync(path.join(REPORTS, name));
if (ranges.length > 0)
	pass(`pass 2: the ${ranges.length} left alive, unit and workflow suites`, 'workflow', [
		'--mutate',
		ranges.join(','),
	]);
const summary = spawnSync(process.execPath, [path.join(__dirname, 'mutation-survivors.js')], {
	cwd: ROOT,
	stdio: 'inherit',
});
process.exit(summary.status ?? 1);
