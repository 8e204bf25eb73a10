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
const path = require('node:path');
const { option, patchedPackage, runBench } = require('./patched-package');

const ANCHOR = 'timeout: timeoutMs,';

function main() {
	const args = process.argv.slice(2);
	const major = option(args, '--major', '2');
	const rtts = option(args, '--rtts', '50');
	const out = path.join(__dirname, '..', '.work', `experiment-agent-options-${major}`);
	const patched = patchedPackage({
		out,
		build: !args.includes('--no-build'),
		name: 'agent-options',
		patches: [
			{
				file: 'transport/index.js',
				find: ANCHOR,
				replace: `${ANCHOR} agentOptions: { keepAlive: true },`,
			},
		],
	});
	runBench([
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
	]);
}

main();
