#!/usr/bin/env node
// Installs the real n8n versions the end-to-end tests run in (1.x on Node 20, 2.x on Node 24),
// into a cache outside the repo. The first run takes several minutes; later runs are instant.
'use strict';

const { ensureN8n } = require('./lib/n8n-harness');

(async () => {
	for (const major of [1, 2]) {
		const n8n = await ensureN8n(major, { log: (line) => console.log(line) });
		console.log(`n8n ${n8n.version} ready in ${n8n.dir}`);
	}
})().catch((error) => {
	console.error(error.stack || String(error));
	process.exit(1);
});
