#!/usr/bin/env node
'use strict';
/**
 * Experiment that does not touch the sources: packs the package as built in dist/ (building it
 * first unless --no-build) and rewrites the *packed* credential so its `authenticate` is a function
 * that sets the two headers, instead of the generic object whose two `={{ … }}` header expressions
 * n8n evaluates with its expression engine for every request (see bench/README.md). Prints the
 * path of the patched tarball; bench it with
 *
 *   node bench/experiments/auth-function.js [--no-build]
 *   node bench/run.js --tarball <printed path> [--sizes 10000,100000 --latencies 200,50 …]
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { packPackage } = require('../../scripts/lib/pack');

const CREDENTIAL = 'package/dist/credentials/CleverTapApi.credentials.js';

const AUTH_FUNCTION = `    // bench experiment: plain function, no expression engine per request
    async authenticate(credentials, requestOptions) {
        requestOptions.headers = {
            ...(requestOptions.headers ?? {}),
            'X-CleverTap-Account-Id': String(credentials.accountId ?? '').trim(),
            'X-CleverTap-Passcode': String(credentials.passcode ?? '').trim(),
        };
        return requestOptions;
    }
`;

function patchCredential(file) {
	const source = fs.readFileSync(file, 'utf8');
	const start = source.indexOf('    authenticate = {');
	if (start < 0)
		throw new Error(`no generic "authenticate = {" in ${CREDENTIAL}: already changed?`);
	const end = source.indexOf('\n    };\n', start);
	fs.writeFileSync(
		file,
		source.slice(0, start) + AUTH_FUNCTION + source.slice(end + '\n    };\n'.length),
	);
}

function main() {
	const args = process.argv.slice(2);
	const name = 'auth-function';
	const out = path.join(__dirname, '..', '.work', `experiment-${name}`);
	fs.rmSync(out, { recursive: true, force: true });
	fs.mkdirSync(out, { recursive: true });
	const tarball = packPackage({ build: !args.includes('--no-build'), destination: out });
	execFileSync('tar', ['-xzf', tarball, '-C', out]);
	patchCredential(path.join(out, CREDENTIAL));
	const result = path.join(out, `n8n-nodes-clevertap-${name}.tgz`);
	execFileSync('tar', ['-czf', result, '-C', out, 'package']);
	fs.rmSync(tarball);
	fs.rmSync(path.join(out, 'package'), { recursive: true, force: true });
	console.log(result);
}

main();
