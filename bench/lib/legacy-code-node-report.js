'use strict';
/**
 * The report of `--compare-tarball` (bench/lib/legacy-code-node.js): two packages side by side in
 * n8n 1.x's default, in-process Code node mode, round after round. Pure: checked on made-up figures
 * in test/unit/bench/legacy-code-node.test.ts.
 *
 * Per package and Include Input Fields setting, over the rounds:
 * - the node's own cost per item, (dry run − Limit node) / N, each round's dry run less the same
 *   round's Limit node in the same n8n instance (n8n's own copy of the input, which every node pays);
 * - the real run's time T and its ratio to CleverTap's limit, T_limit / T.
 * Medians, with the range beside them.
 */

/** The median of the numbers among `values` (undefined for none). */
function median(values) {
	const xs = values
		.filter((x) => typeof x === 'number' && Number.isFinite(x))
		.sort((a, b) => a - b);
	if (!xs.length) return undefined;
	const mid = Math.floor(xs.length / 2);
	return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

// Negative numbers with a minus sign, so that a range "−8.3–64.0" reads as one.
const fmt = (x, digits) =>
	x === undefined || x === null || Number.isNaN(x)
		? '–'
		: Number(x).toFixed(digits).replace(/^-/, '−');
const int = (x) =>
	x === undefined || x === null ? '–' : Math.round(x).toLocaleString('en-US').replace(/^-/, '−');

/** "median (min–max)" of the numbers, or '–'. */
function medianRange(values, digits) {
	const xs = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
	if (!xs.length) return '–';
	const f = (x) => (digits === 0 ? int(x) : fmt(x, digits));
	const lo = f(Math.min(...xs));
	const hi = f(Math.max(...xs));
	return xs.length === 1 || lo === hi ? f(median(xs)) : `${f(median(xs))} (${lo}–${hi})`;
}

/** Include Input Fields as the table says it: on, off, or not an option of that package. */
const VARIANT_TEXT = {
	default: 'on (default)',
	noInput: 'off',
	none: '– (no such option)',
};

/**
 * Figures per package and setting, in the order of `compare.packages` and their `variants`.
 * A run with an error counts for nothing; its round's other figures still do.
 */
function summariseCompare(compare) {
	const { n, limitMs } = compare;
	const rows = [];
	for (const pkg of compare.packages) {
		const ofPkg = compare.runs.filter((r) => r.pkg === pkg.key && !r.error);
		const limitOf = new Map(
			ofPkg.filter((r) => r.kind === 'limit').map((r) => [r.round, r.timeMs]),
		);
		for (const variant of pkg.variants) {
			const dry = ofPkg.filter((r) => r.kind === 'dry' && r.variant === variant);
			const real = ofPkg.filter((r) => r.kind === 'real' && r.variant === variant);
			const ownUs = dry
				.filter((r) => limitOf.has(r.round))
				.map((r) => ((r.timeMs - limitOf.get(r.round)) * 1000) / n);
			const times = real.map((r) => r.timeMs);
			const ratios = times.map((t) => limitMs / t);
			rows.push({
				pkg: pkg.key,
				label: pkg.label,
				tag: String(pkg.tag ?? pkg.key).replace(/[^\w.-]+/g, '_'),
				variant,
				variantText: VARIANT_TEXT[pkg.hasIncludeInputFields ? variant : 'none'],
				rounds: real.length,
				limitNodeMs: median([...limitOf.values()]),
				limitNodeAll: [...limitOf.values()],
				dryMs: median(dry.map((r) => r.timeMs)),
				dryAll: dry.map((r) => r.timeMs),
				ownUsPerItem: median(ownUs),
				ownUsAll: ownUs,
				timeMs: median(times),
				timeAll: times,
				ratio: median(ratios),
				ratioAll: ratios,
				errors: compare.runs.filter(
					(r) => r.pkg === pkg.key && r.error && (r.kind === 'limit' || r.variant === variant),
				).length,
			});
		}
	}
	return rows;
}

/** The markdown section: what was run, the table, and the load it ran under. */
function compareSection(compare) {
	const rows = summariseCompare(compare);
	const loads = compare.runs.map((r) => r.loadAverage);
	const lines = [
		`### n8n ${compare.n8n}, in-process Code node (N8N_RUNNERS_ENABLED=false): Demerge of ${int(compare.n)} identities at L = ${int(compare.latency)} ms, T_limit = ${int(compare.limitMs)} ms`,
		'',
		`${compare.rounds} rounds, the packages alternating within each round (the first one rotates every round); ` +
			`medians, range in brackets. Own cost per item = (dry run − the same round's Limit node) / N. ` +
			`${compare.date}, ${compare.cores} cores, load average (1 min) ${medianRange(loads, 1)} during the runs.`,
		'',
		"| package | Include Input Fields | rounds | Limit node, ms | dry run, ms | node's own cost per item, µs | T, ms | T_limit / T |",
		'|---|---|---:|---:|---:|---:|---:|---:|',
	];
	for (const row of rows) {
		lines.push(
			`| ${row.label} | ${row.variantText} | ${row.rounds} | ${medianRange(row.limitNodeAll, 0)} | ${medianRange(row.dryAll, 0)} | **${medianRange(row.ownUsAll, 1)}** | ${medianRange(row.timeAll, 0)} | **${medianRange(row.ratioAll, 3)}** |`,
		);
	}
	const errors = compare.runs.filter((r) => r.error);
	if (errors.length) {
		lines.push('', `${errors.length} run(s) failed and are left out:`);
		for (const r of errors)
			lines.push(`- round ${r.round}, ${r.pkg} ${r.kind} ${r.variant ?? ''}: ${r.error}`);
	}
	return lines;
}

/**
 * The last stdout line: each package's default setting, its median ratio and own cost per item,
 * e.g. `bench: legacy-code-node N=3000 L=100 rounds=5 a:ratio=0.85,us_per_item=12.1 b:…`.
 */
function compareLine(compare) {
	const rows = summariseCompare(compare).filter((row) => row.variant === 'default');
	const parts = rows.map(
		(row) => `${row.tag}:ratio=${fmt(row.ratio, 3)},us_per_item=${fmt(row.ownUsPerItem, 1)}`,
	);
	return `bench: legacy-code-node N=${compare.n} L=${compare.latency} rounds=${compare.rounds} ${parts.join(' ')}`;
}

/**
 * The file `--compare-tarball` writes (legacy-code-node.md): which packages, where, the section and
 * the line. `compare.commit` is the bench's working tree; the packages are the tarballs named.
 */
function compareMarkdown(compare) {
	const packages = compare.packages.map((pkg) => `${pkg.label} (\`${pkg.tarball}\`)`).join(', ');
	return [
		"# n8n 1.x's default, in-process Code node: packages side by side",
		'',
		`Written by \`npm run bench -- --compare-tarball <tgz>\` (bench/README.md) from the bench at ${compare.commit}: ${packages}. ` +
			`${compare.machine}, n8n's Node ${compare.n8nNode}.`,
		'',
		...compareSection(compare),
		'',
		'```',
		compareLine(compare),
		'```',
		'',
	].join('\n');
}

module.exports = {
	median,
	medianRange,
	summariseCompare,
	compareSection,
	compareLine,
	compareMarkdown,
};
