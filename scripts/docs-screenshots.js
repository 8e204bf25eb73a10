#!/usr/bin/env node
/**
 * `npm run docs:screenshots`: runs the editor test (test/e2e/ui.e2e.test.ts) in n8n 2.x, or the
 * major given with `--major`, and only when it passes copies its screenshots to docs/, so the
 * README never shows a screen the test did not check.
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const major = args.includes('--major') ? args[args.indexOf('--major') + 1] : '2';
const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-docs-screenshots-'));

const jest = spawnSync(
	path.join(root, 'node_modules', '.bin', 'jest'),
	['--runInBand', 'test/e2e/ui.e2e.test.ts'],
	{
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, CLEVERTAP_UI_MAJORS: major, CLEVERTAP_UI_SCREENSHOTS: shots },
	},
);
if (jest.status !== 0) {
	console.error(`\ndocs/ not updated: the editor test failed (its screenshots: ${shots})`);
	process.exit(1);
}
const from = path.join(shots, `n8n-${major}`);
const docs = path.join(root, 'docs');
fs.mkdirSync(docs, { recursive: true });
const names = fs.readdirSync(from).filter((name) => name.endsWith('.png'));
for (const name of names) fs.copyFileSync(path.join(from, name), path.join(docs, name));
fs.rmSync(shots, { recursive: true, force: true });
console.log(`\n${names.length} screenshots from n8n ${major}.x in docs/:`);
for (const name of names) {
	const kb = Math.round(fs.statSync(path.join(docs, name)).size / 1024);
	console.log(`  docs/${name} (${kb} KB)`);
}
