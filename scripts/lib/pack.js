'use strict';
/**
 * Builds the package and packs it with `npm pack`, as it would be published, so real n8n runs
 * exactly what users install (the `files` list, the `n8n` section, no dev dependencies).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { npmEnv } = require('./n8n-harness');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function runOrThrow(command, args, what) {
	const result = spawnSync(command, args, { cwd: REPO_ROOT, env: npmEnv(), encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
	}
	return result.stdout;
}

/**
 * Returns the path of a fresh tarball in `destination` (a new temp dir by default). `npm test`
 * builds once and sets N8N_NODES_CLEVERTAP_BUILT=1 so its suites do not build again.
 */
function packPackage({ build = process.env.N8N_NODES_CLEVERTAP_BUILT !== '1', destination } = {}) {
	const outDir = destination ?? fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-pack-'));
	if (build) runOrThrow('npm', ['run', '--silent', 'build'], 'npm run build');
	const stdout = runOrThrow('npm', ['pack', '--json', '--pack-destination', outDir], 'npm pack');
	const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	return path.join(outDir, filename);
}

module.exports = { packPackage, REPO_ROOT };
