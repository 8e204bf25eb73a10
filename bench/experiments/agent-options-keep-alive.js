#!/usr/bin/env node
'use strict';
/**
 * Experiment that does not touch the sources: can the node keep its connections open through
 * n8n's own helper? n8n-workflow 2.x lets `httpRequestWithAuthentication` options carry
 * `agentOptions` (IHttpRequestOptions), and n8n 2.x passes them to the http(s).Agent it builds for
 * the request. This packs the package (building it first unless --no-build), adds
 * `agentOptions: { keepAlive: true }` to the request options in the *packed*
 * dist/nodes/CleverTap/transport/index.js, and runs the bench's network part on that tarball:
 *
 *   node bench/experiments/agent-options-keep-alive.js [--no-build] [--major 2] [--rtts 50]
 *
 * Results go to bench/.work/experiment-agent-options-<major>/ (results.md, results.json); the
 * last line is the network part's summary. Compare its connections per request and most open
 * connections with the node row of bench/results.md.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { packPackage } = require('../../scripts/lib/pack');

const TRANSPORT = 'package/dist/nodes/CleverTap/transport/index.js';
const ANCHOR = 'timeout: timeoutMs,';

function option(args, name, fallback) {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : fallback;
}

function main() {
	const args = process.argv.slice(2);
	const major = option(args, '--major', '2');
	const rtts = option(args, '--rtts', '50');
	const out = path.join(__dirname, '..', '.work', `experiment-agent-options-${major}`);
	fs.rmSync(out, { recursive: true, force: true });
	fs.mkdirSync(out, { recursive: true });
	const tarball = packPackage({ build: !args.includes('--no-build'), destination: out });
	execFileSync('tar', ['-xzf', tarball, '-C', out]);
	const file = path.join(out, TRANSPORT);
	const source = fs.readFileSync(file, 'utf8');
	if (source.split(ANCHOR).length !== 2)
		throw new Error(`expected "${ANCHOR}" once in ${TRANSPORT}: the request options changed`);
	fs.writeFileSync(file, source.replace(ANCHOR, `${ANCHOR} agentOptions: { keepAlive: true },`));
	const patched = path.join(out, 'n8n-nodes-clevertap-agent-options.tgz');
	execFileSync('tar', ['-czf', patched, '-C', out, 'package']);
	fs.rmSync(tarball);
	fs.rmSync(path.join(out, 'package'), { recursive: true, force: true });
	console.error(`[experiment] ${patched}`);
	execFileSync(
		process.execPath,
		[
			path.join(__dirname, '..', 'run.js'),
			'--rtt-only',
			'--no-rtt-proposal',
			'--major',
			major,
			'--rtts',
			rtts,
			'--tarball',
			patched,
			'--out',
			out,
		],
		{ stdio: 'inherit' },
	);
}

main();
