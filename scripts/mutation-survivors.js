#!/usr/bin/env node
/**
 * After `npm run test:mutation`: the score per file and every mutant that survived both passes, from
 * Stryker's JSON reports (reports/mutation/mutation.json, and workflow*.json of the second pass), for
 * test/MUTATION.md. With `--unexplained` it prints only the survivors test/MUTATION.md does not
 * explain (an entry starts with `file:line:col` and the mutator's name) and exits 1 when there is one.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const REPORTS = path.join(__dirname, '..', 'reports', 'mutation');
const read = (name) => JSON.parse(fs.readFileSync(path.join(REPORTS, name), 'utf8'));
const unexplainedOnly = process.argv.includes('--unexplained');
const explained = fs.readFileSync(path.join(__dirname, '..', 'test', 'MUTATION.md'), 'utf8');
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const identity = (file, { location: { start, end }, mutatorName, replacement }) =>
	JSON.stringify([file, start, end, mutatorName, replacement]);
const first = read('mutation.json');
// The second pass's reports: workflow.json, and any kept from an earlier second pass (workflow-*.json).
const seconds = fs
	.readdirSync(REPORTS)
	.filter((name) => /^workflow.*\.json$/.test(name))
	.map(read);
const caughtLater = new Set();
for (const second of seconds)
	for (const [file, { mutants }] of Object.entries(second.files))
		for (const mutant of mutants)
			if (DETECTED.has(mutant.status)) caughtLater.add(identity(file, mutant));

const totals = { detected: 0, undetected: 0, ignored: 0, invalid: 0, firstPass: 0, secondPass: 0 };
const rows = [];
const survivors = [];
for (const [file, { source, mutants }] of Object.entries(first.files)) {
	const lines = source.split('\n');
	let detected = 0;
	let undetected = 0;
	for (const mutant of mutants) {
		if (DETECTED.has(mutant.status)) {
			detected++;
			totals.firstPass++;
		} else if (UNDETECTED.has(mutant.status) && caughtLater.has(identity(file, mutant))) {
			detected++;
			totals.secondPass++;
		} else if (UNDETECTED.has(mutant.status)) {
			undetected++;
			const { line, column } = mutant.location.start;
			const key = `${file.replace(/^nodes\/CleverTap\//, '')}:${line}:${column}\` ${mutant.mutatorName}`;
			if (unexplainedOnly && explained.includes(key)) continue;
			const original = lines[line - 1].trim().slice(0, 100);
			const replacement = String(mutant.replacement ?? '')
				.replace(/\s+/g, ' ')
				.slice(0, 100);
			survivors.push(
				`${file}:${line}:${column} ${mutant.status} ${mutant.mutatorName}: ${original} → ${replacement}`,
			);
		} else if (mutant.status === 'Ignored') totals.ignored++;
		else totals.invalid++;
	}
	totals.detected += detected;
	totals.undetected += undetected;
	const total = detected + undetected;
	rows.push(
		`| ${file} | ${detected} | ${undetected} | ${total ? ((100 * detected) / total).toFixed(1) : '–'} % |`,
	);
}
if (unexplainedOnly) {
	console.log(`${survivors.length} undetected mutants test/MUTATION.md does not explain`);
	console.log(survivors.join('\n'));
	process.exit(survivors.length > 0 ? 1 : 0);
}
const score = (100 * totals.detected) / (totals.detected + totals.undetected);
console.log(
	`Mutation score ${score.toFixed(2)} %: ${totals.detected} detected (${totals.firstPass} by the unit suites, ${totals.secondPass} more once the workflow suites joined${seconds.length > 0 ? '' : ': no second pass in the reports'}), ${totals.undetected} undetected; ${totals.ignored} ignored (static), ${totals.invalid} not compiling or not valid\n`,
);
console.log('| file | detected | undetected | score |\n|---|---:|---:|---:|');
console.log(rows.sort().join('\n'));
console.log(`\n${survivors.length} undetected:`);
console.log(survivors.join('\n'));
