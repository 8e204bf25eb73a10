#!/usr/bin/env node
// Before publishing: the tag that started the release must name package.json's version
// (v0.2.0 or 0.2.0 for version 0.2.0), or npm would publish a version nobody tagged.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** The problem with releasing `tag` for `version`, or undefined when they match. */
function tagProblem(tag, version) {
	if (!tag) return 'No tag given: run this with the release tag (GITHUB_REF_NAME in CI)';
	const named = tag.replace(/^refs\/tags\//, '').replace(/^v/, '');
	if (named !== version) return `The tag ${tag} does not match package.json's version ${version}`;
	return undefined;
}

if (require.main === module) {
	const { version } = JSON.parse(
		fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'),
	);
	const problem = tagProblem(process.argv[2] ?? process.env.GITHUB_REF_NAME, version);
	if (problem) {
		console.error(problem);
		process.exit(1);
	}
	console.log(`Tag matches package.json's version ${version}`);
}

module.exports = { tagProblem };
