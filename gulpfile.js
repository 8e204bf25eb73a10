const path = require('node:path');
const { task, src, dest } = require('gulp');

// tsc emits only JavaScript; n8n reads the node's icons and codex from beside the compiled files.
function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist')));
}

task('build:icons', copyAssets);
