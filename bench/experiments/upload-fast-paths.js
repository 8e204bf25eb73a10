#!/usr/bin/env node
'use strict';
/**
 * Experiment that does not touch the sources: what would Profile → Create or Update gain from the
 * changes its CPU profile points at? This packs the package (building it first unless --no-build),
 * rewrites the *packed* dist with the chosen patches, and runs the bench's operations part for the
 * upload on that tarball:
 *
 *   node bench/experiments/upload-fast-paths.js [--no-build] [--major 1] [--patches mapping,requests]
 *                                                [--ops-repeat 2]
 *
 * Patches (names for --patches):
 *   mapping   read the node's saved parameters once per run, not once per item (getNode() deep-
 *             copies the node each time), and parse each `{{ $json.x }}` reference once, not once
 *             per item and field
 *   requests  build the index of echoed records only when CleverTap names a record without its
 *             number (it is built for every answer today, even with nothing unprocessed), and hand
 *             the body to n8n as an object (as a string, axios parses it again before sending)
 *
 * Results go to bench/.work/experiment-upload-<patches>-<major>/ (results.md, results.json); the
 * last line is the operations part's summary. Compare with the Create or Update rows of
 * bench/results.md.
 */
const path = require('node:path');
const { option, patchedPackage, runBench } = require('./patched-package');

/** Each patch: a file of the packed dist, the text it must hold once, and what replaces it. */
const PATCHES = {
	mapping: [
		{
			file: 'actions/common/upload.js',
			find: 'function readProperties(item, itemIndex, mode) {\n    const saved = this.getNode().parameters;',
			replace:
				'const savedByRun = new WeakMap();\nfunction readProperties(item, itemIndex, mode) {\n    let saved = savedByRun.get(this);\n    if (!saved) { saved = this.getNode().parameters; savedByRun.set(this, saved); }',
		},
		{
			file: 'helpers/fieldReference.js',
			find: 'function parseJsonFieldReference(parameter) {',
			replace:
				'const parsedReferences = new Map();\nfunction parseJsonFieldReference(parameter) {\n    if (typeof parameter !== "string") return undefined;\n    if (!parsedReferences.has(parameter)) parsedReferences.set(parameter, parseOnce(parameter));\n    return parsedReferences.get(parameter);\n}\nfunction parseOnce(parameter) {',
		},
	],
	requests: [
		{
			file: 'helpers/unprocessed.js',
			find: '    const byEcho = new Map();\n    records.forEach((record, position) => {\n        const key = canonical(record);\n        byEcho.set(key, [...(byEcho.get(key) ?? []), position]);\n    });',
			replace:
				'    let index;\n    const byEcho = { get: (key) => {\n        if (!index) { index = new Map(); records.forEach((record, position) => { const k = canonical(record); index.set(k, [...(index.get(k) ?? []), position]); }); }\n        return index.get(key);\n    } };',
		},
		{
			file: 'transport/index.js',
			find: 'body: request.body === undefined ? undefined : JSON.stringify(request.body),',
			replace: 'body: request.body,',
		},
	],
};

function main() {
	const args = process.argv.slice(2);
	const major = option(args, '--major', '1');
	const names = option(args, '--patches', 'mapping,requests').split(',');
	for (const name of names) if (!PATCHES[name]) throw new Error(`Unknown patch ${name}`);
	const out = path.join(__dirname, '..', '.work', `experiment-upload-${names.join('-')}-${major}`);
	const patched = patchedPackage({
		out,
		build: !args.includes('--no-build'),
		name: names.join('-'),
		patches: names.flatMap((name) => PATCHES[name]),
	});
	runBench([
		'--ops-only',
		'--ops',
		'upsert',
		'--json-n',
		'0',
		'--ops-repeat',
		option(args, '--ops-repeat', '2'),
		'--major',
		major,
		'--tarball',
		patched,
		'--out',
		out,
	]);
}

main();
