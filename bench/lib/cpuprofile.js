'use strict';
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`) of an `n8n execute` run, restricted to the
 * window in which the CleverTap node ran (boot, the Code node, saving and printing the run fall
 * outside it). Within that
 * window: self time per function, self time per package, and inclusive time per function.
 */
const fs = require('node:fs');

function where(url) {
	if (!url) return '(native)';
	const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
	if (m) return `${m[1]}/${m[2].split('/').slice(-2).join('/')}`;
	return url
		.replace(/^file:\/\//, '')
		.split('/')
		.slice(-2)
		.join('/');
}

function pkgOf(callFrame) {
	const { url, functionName } = callFrame;
	if (!url)
		return functionName === '(idle)'
			? '(idle)'
			: functionName === '(garbage collector)'
				? '(GC)'
				: '(native/program)';
	const all = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
	if (all.length) return all[all.length - 1][1];
	if (url.startsWith('node:')) return 'node core';
	return url.replace(/^file:\/\//, '');
}

const label = (cf) => `${cf.functionName || '(anonymous)'}  ${where(cf.url)}:${cf.lineNumber + 1}`;

/**
 * `durationMs` (the node's executionTime from n8n's run data) sets the window's length, ending at
 * the node's last sample; without it the window runs from the node's first sample to its last.
 */
function summarise(
	file,
	{ top = 25, marker = /node_modules\/n8n-nodes-clevertap\//, durationMs } = {},
) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children || []) parent.set(child, node.id);

	// Does a sample's stack contain a frame of the package (memoised per node id), and is one of
	// them the node's execute()? Loading the package and building its description at boot is no
	// run, so the run starts at the first sample inside execute(). It ends at the package's last
	// sample: code after an `await` (building the output items) runs without execute() on its stack.
	const memo = (fn) => {
		const cache = new Map();
		const get = (id) => {
			if (!cache.has(id)) cache.set(id, fn(id, get));
			return cache.get(id);
		};
		return get;
	};
	const inPackage = memo((id, self) => {
		const cf = byId.get(id).callFrame;
		return marker.test(cf.url || '') || (parent.has(id) ? self(parent.get(id)) : false);
	});
	const inExecute = memo((id, self) => {
		const cf = byId.get(id).callFrame;
		const own = marker.test(cf.url || '') && cf.functionName === 'execute';
		return own || (parent.has(id) ? self(parent.get(id)) : false);
	});

	// Sample i covers [times[i], times[i+1]).
	const n = profile.samples.length;
	const times = new Array(n);
	let t = profile.startTime;
	for (let i = 0; i < n; i++) {
		t += profile.timeDeltas[i] || 0;
		times[i] = t;
	}
	const duration = (i) => (i + 1 < n ? times[i + 1] - times[i] : 0);
	let first = -1;
	let last = -1;
	for (let i = 0; i < n; i++) {
		if (first < 0 && inExecute(profile.samples[i])) first = i;
		if (first >= 0 && inPackage(profile.samples[i])) last = i;
	}
	if (first < 0) return { error: 'no sample of the package in the profile' };
	if (durationMs) {
		// The node's last sample marks its end sharply (it builds its output items last); its start
		// is n8n's own per-item preparation of the input, which has no frame of the package.
		const start = times[last] - durationMs * 1000;
		first = last;
		while (first > 0 && times[first - 1] >= start) first--;
	}

	const fnSelf = new Map();
	const pkgSelf = new Map();
	const inclusive = new Map();
	let total = 0;
	let idle = 0;
	for (let i = first; i <= last; i++) {
		const id = profile.samples[i];
		const us = duration(i);
		const cf = byId.get(id).callFrame;
		total += us;
		if (cf.functionName === '(idle)') idle += us;
		fnSelf.set(label(cf), (fnSelf.get(label(cf)) || 0) + us);
		const pkg = pkgOf(cf);
		pkgSelf.set(pkg, (pkgSelf.get(pkg) || 0) + us);
		const seen = new Set();
		for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
			const k = label(byId.get(cur).callFrame);
			if (seen.has(k)) continue;
			seen.add(k);
			inclusive.set(k, (inclusive.get(k) || 0) + us);
		}
	}
	const sort = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
	const ms = (us) => us / 1000;
	return {
		windowMs: ms(total),
		idleMs: ms(idle),
		busyMs: ms(total - idle),
		topSelf: sort(fnSelf)
			.filter(([k]) => !k.startsWith('(idle)'))
			.slice(0, top)
			.map(([fn, us]) => ({ fn, ms: ms(us) })),
		byPackage: sort(pkgSelf)
			.slice(0, 15)
			.map(([pkg, us]) => ({ pkg, ms: ms(us) })),
		inclusive: (pattern, limit = top) =>
			sort(inclusive)
				.filter(([k]) => pattern.test(k))
				.slice(0, limit)
				.map(([fn, us]) => ({ fn, ms: ms(us) })),
	};
}

module.exports = { summarise };
