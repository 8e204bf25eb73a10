#!/usr/bin/env node
// Installs what the end-to-end tests run in: the real n8n versions (1.x on Node 20, 2.x on
// Node 24) into a cache outside the repo, and Chromium for the editor tests. The first run takes
// several minutes; later runs are instant.
'use strict';

const { ensureN8n } = require('./lib/n8n-harness');
const { ensureChromium } = require('./lib/browser');

(async () => {
	for (const major of [1, 2]) {
		const n8n = await ensureN8n(major, { log: (line) => console.log(line) });
		console.log(`n8n ${n8n.version} ready in ${n8n.dir}`);
	}
	console.log(`Chromium ready: ${ensureChromium({ log: (line) => console.log(line) })}`);
})().catch((error) => {
	console.error(error.stack || String(error));
	process.exit(1);
});
