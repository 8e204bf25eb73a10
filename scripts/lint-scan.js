#!/usr/bin/env node
/**
 * The scan step of `npm run lint`: n8n's verification scanner (@n8n/scan-community-package, pinned)
 * on the source checkout and on the packed tarball, the two legs its analyzePackageByName runs
 * before n8n verifies a package. The scanner's own analyzePackage does the linting, so its rules,
 * its config and its refusal of inline eslint-disable comments apply unchanged. The scanner would
 * download both from GitHub and npm; here the checkout is this repository and the tarball comes
 * from `npm pack`, so the step needs no network.
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');

const { packPackage, REPO_ROOT } = require('./lib/pack');

const scannerFile = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const fromScanner = createRequire(scannerFile);

// The scanner fails a package on errors only; this lint also fails on warnings, except these.
const ACCEPTED_WARNINGS = [
	{
		file: 'credentials/CleverTapApi.credentials.ts',
		ruleId: '@n8n/community-nodes/credential-unnecessary-password',
		field: 'passcode',
		why: "the passcode is CleverTap's API secret, so it stays masked; the rule judges by the field name alone, and renaming the field would break every saved credential",
	},
	{
		file: 'credentials/CleverTapWebhookHeaderAuthApi.credentials.ts',
		ruleId: '@n8n/community-nodes/credential-unnecessary-password',
		field: 'value',
		why: "the header's value is the webhook's secret, so it stays masked; the name is the one n8n's own Header Auth credential uses",
	},
];

// The tarball leg's patterns, as in the scanner's analyzePackageByName (not exported there):
// compiled .js and the published package.json.
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/**
 * The scanner pins TypeScript 7, which has no JavaScript API, while the TypeScript parser it lints
 * with needs one. In this lockfile npm hoists the parser next to the project's TypeScript 5, which
 * it then loads; an npm `overrides` field is no way out, since the scan forbids one in package.json.
 */
function parserTypeScriptVersion() {
	const parser = fromScanner.resolve('@typescript-eslint/parser');
	const estree = createRequire(parser).resolve('@typescript-eslint/typescript-estree');
	let ts;
	try {
		ts = createRequire(estree)('typescript');
	} catch (error) {
		ts = { loadError: error };
	}
	if (typeof ts.createSourceFile !== 'function') {
		throw new Error(
			`The scanner's TypeScript parser (${parser}) loads a TypeScript without the JavaScript API ` +
				`(${ts.version ?? ts.loadError?.message}). It must resolve the project's typescript 5.x: ` +
				'run `npm ci` so node_modules matches package-lock.json.',
		);
	}
	return ts.version;
}

/** Every ESLint result the scanner computes (it reports errors only, and only when it fails). */
function recordLintResults() {
	const { ESLint } = fromScanner('eslint');
	const recorded = [];
	const lintFiles = ESLint.prototype.lintFiles;
	ESLint.prototype.lintFiles = async function (...args) {
		const results = await lintFiles.apply(this, args);
		recorded.push(...results);
		return results;
	};
	return recorded;
}

function isAccepted(warning) {
	return ACCEPTED_WARNINGS.find(
		(accepted) =>
			accepted.file === warning.file &&
			accepted.ruleId === warning.ruleId &&
			warning.message.includes(`'${accepted.field}'`),
	);
}

async function main() {
	const started = Date.now();
	const typescriptVersion = parserTypeScriptVersion();
	const recorded = recordLintResults();
	// The scanner makes a temp dir when it loads (for its downloads); remove it when we exit.
	fromScanner('tmp').setGracefulCleanup();
	const scanner = await import(pathToFileURL(scannerFile).href);
	const { version } = fromScanner('../package.json');

	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-scan-'));
	const problems = [];
	const acceptedSeen = new Set();
	const summary = [];
	try {
		async function scan(leg, dir, patterns) {
			recorded.length = 0;
			const verdict = await scanner.analyzePackage(dir, patterns);
			const results = recorded.splice(0);
			if (!verdict.passed)
				problems.push(`${leg}: ${verdict.message}\n${verdict.details ?? verdict.error ?? ''}`);
			if (results.length === 0) problems.push(`${leg}: the scanner linted no file in ${dir}`);
			for (const result of results) {
				const file = path.relative(dir, result.filePath);
				for (const message of result.messages.filter((m) => m.severity === 1)) {
					const warning = { file, ruleId: message.ruleId, message: message.message };
					const accepted = isAccepted(warning);
					if (accepted) acceptedSeen.add(accepted);
					else
						problems.push(
							`${leg}: ${file}:${message.line}:${message.column} warning ${message.message} (${message.ruleId})`,
						);
				}
			}
			summary.push(`${leg} ${results.length} files`);
		}

		await scan('source', REPO_ROOT, scanner.SOURCE_FILE_PATTERNS);

		const tarball = packPackage({ destination: workDir });
		const unpacked = path.join(workDir, 'package');
		fs.mkdirSync(unpacked);
		const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], {
			encoding: 'utf8',
		});
		if (tar.status !== 0) throw new Error(`unpacking ${tarball} failed: ${tar.stderr}`);
		await scan(`tarball ${path.basename(tarball)}`, unpacked, TARBALL_FILE_PATTERNS);
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}

	for (const accepted of ACCEPTED_WARNINGS.filter((a) => !acceptedSeen.has(a)))
		problems.push(
			`accepted warning no longer reported, remove it from ${path.relative(REPO_ROOT, __filename)}: ${accepted.ruleId} on '${accepted.field}' in ${accepted.file}`,
		);

	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const label = `n8n's package scan (@n8n/scan-community-package ${version}, TypeScript ${typescriptVersion})`;
	if (problems.length) {
		console.error(`✖ ${label} failed:\n\n${problems.join('\n\n')}`);
		process.exitCode = 1;
		return;
	}
	console.log(`✔ ${label}: ${summary.join(', ')}, no problems (${seconds} s)`);
	for (const accepted of acceptedSeen)
		console.log(`  accepted warning: ${accepted.ruleId} on '${accepted.field}': ${accepted.why}`);
}

main().catch((error) => {
	console.error(error.stack || String(error));
	process.exitCode = 1;
});
