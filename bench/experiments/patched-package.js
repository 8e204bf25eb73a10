'use strict';
/**
 * What the experiments share: pack the package, rewrite files of the *packed* dist (never the
 * sources), pack it again, and run the bench on that tarball.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { packPackage } = require('../../scripts/lib/pack');

const DIST = 'package/dist/nodes/CleverTap';

/** The value after `name` in `args`, or `fallback`. */
function option(args, name, fallback) {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : fallback;
}

/**
 * Packs the package into a fresh `out` (building it first unless `build` is false), applies each
 * patch `{ file, find, replace }` (file relative to dist/nodes/CleverTap; `find` must occur once)
 * and returns the path of the patched tarball, `<out>/n8n-nodes-clevertap-<name>.tgz`.
 */
function patchedPackage({ out, build, name, patches }) {
	fs.rmSync(out, { recursive: true, force: true });
	fs.mkdirSync(out, { recursive: true });
	const tarball = packPackage({ build, destination: out });
	execFileSync('tar', ['-xzf', tarball, '-C', out]);
	for (const { file, find, replace } of patches) {
		const full = path.join(out, DIST, file);
		const source = fs.readFileSync(full, 'utf8');
		if (source.split(find).length !== 2)
			throw new Error(`expected "${find.slice(0, 80)}" once in ${file}: the code changed`);
		fs.writeFileSync(full, source.replace(find, replace));
	}
	const patched = path.join(out, `n8n-nodes-clevertap-${name}.tgz`);
	execFileSync('tar', ['-czf', patched, '-C', out, 'package']);
	fs.rmSync(tarball);
	fs.rmSync(path.join(out, 'package'), { recursive: true, force: true });
	console.error(`[experiment] ${patched}`);
	return patched;
}

/** Runs bench/run.js with `args`, its output on this terminal. */
function runBench(args) {
	execFileSync(process.execPath, [path.join(__dirname, '..', 'run.js'), ...args], {
		stdio: 'inherit',
	});
}

module.exports = { option, patchedPackage, runBench };
