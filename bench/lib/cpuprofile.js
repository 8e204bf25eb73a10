'use strict';
/**
 * Summarises a V8 .cpuprofile (from NODE_OPTIONS=--cpu-prof): self time per function, self time
 * per package, and total (inclusive) time of the functions whose names match a filter.
 */
const fs = require('node:fs');

function where(url) {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (m) return `${m[1]}/${m[2].split('/').slice(-2).join('/')}`;
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}

function pkgOf(url) {
  if (!url) return '(native/GC/idle)';
  const all = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  if (all.length) return all[all.length - 1][1];
  if (url.startsWith('node:')) return 'node core';
  return url.replace(/^file:\/\//, '');
}

function summarise(file, { top = 25, window } = {}) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id);
  // Self time from samples + timeDeltas (µs).
  const self = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] || 0;
    if (window && (t < window[0] || t > window[1])) continue;
    const id = profile.samples[i];
    self.set(id, (self.get(id) || 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const fnSelf = new Map();
  const pkgSelf = new Map();
  const inclusive = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    const cf = node.callFrame;
    const key = `${cf.functionName || '(anonymous)'}  ${where(cf.url)}:${cf.lineNumber + 1}`;
    total += us;
    const idle = cf.functionName === '(idle)';
    fnSelf.set(key, (fnSelf.get(key) || 0) + us);
    const pkg = idle ? '(idle)' : pkgOf(cf.url);
    pkgSelf.set(pkg, (pkgSelf.get(pkg) || 0) + us);
    // Inclusive: credit every distinct ancestor frame once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      const k = `${f.functionName || '(anonymous)'}  ${where(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) || 0) + us);
    }
  }
  const sort = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    topSelf: sort(fnSelf).slice(0, top).map(([k, us]) => ({ fn: k, ms: us / 1000 })),
    byPackage: sort(pkgSelf).slice(0, 15).map(([k, us]) => ({ pkg: k, ms: us / 1000 })),
    inclusive: (pattern) =>
      sort(inclusive)
        .filter(([k]) => pattern.test(k))
        .slice(0, top)
        .map(([k, us]) => ({ fn: k, ms: us / 1000 })),
  };
}

module.exports = { summarise };
