#!/usr/bin/env node
/**
 * After `npm run test:mutation`: the score per file and every mutant that survived, from Stryker's
 * JSON report (reports/mutation/mutation.json), for test/MUTATION.md.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const report = JSON.parse(
	fs.readFileSync(path.join(__dirname, '..', 'reports', 'mutation', 'mutation.json'), 'utf8'),
);
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const totals = { detected: 0, undetected: 0, ignored: 0, invalid: 0 };
const rows = [];
const survivors = [];
for (const [file, { source, mutants }] of Object.entries(report.files)) {
	const lines = source.split('\n');
	let detected = 0;
	let undetected = 0;
	for (const mutant of mutants) {
		if (DETECTED.has(mutant.status)) detected++;
		else if (UNDETECTED.has(mutant.status)) {
			undetected++;
			const { line, column } = mutant.location.start;
			const original = lines[line - 1].trim().slice(0, 100);
			survivors.push(
				`${file}:${line}:${column} ${mutant.status} ${mutant.mutatorName}: ${original} → ${String(
					mutant.replacement ?? '',
				)
					.replace(/\s+/g, ' ')
					.slice(0, 100)}`,
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
const score = (100 * totals.detected) / (totals.detected + totals.undetected);
console.log(
	`Mutation score ${score.toFixed(2)} %: ${totals.detected} detected, ${totals.undetected} undetected; ${totals.ignored} ignored (static), ${totals.invalid} not compiling or not valid\n`,
);
console.log('| file | detected | undetected | score |\n|---|---:|---:|---:|');
console.log(rows.sort().join('\n'));
console.log(`\n${survivors.length} undetected:`);
console.log(survivors.join('\n'));
