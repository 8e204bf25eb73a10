'use strict';
/** What the bench reads from one `n8n execute` run and from the simulator's request records. */

/**
 * Where a round's time goes beyond L, from the simulator's records: the service time beyond L
 * (timer lateness, reading the body, writing the answer), and the client's turnaround, from an
 * answer leaving the simulator to the request that takes its slot arriving (with 3 slots, the k-th
 * request to start takes the slot of the (k-3)-th answer). Records are the last ≤ 1,000 requests.
 */
function turnaround(records, latency, slots = 3) {
	const done = records.filter((q) => typeof q.status === 'number' && q.endedAt !== undefined);
	if (done.length <= slots) return {};
	const starts = done.map((q) => q.startedAt).sort((a, b) => a - b);
	const ends = done.map((q) => q.endedAt).sort((a, b) => a - b);
	let gap = 0;
	let count = 0;
	for (let k = slots; k < starts.length; k++) {
		const d = starts[k] - ends[k - slots];
		if (d >= 0) {
			gap += d;
			count++;
		}
	}
	const service = done.reduce((sum, q) => sum + (q.endedAt - q.startedAt), 0) / done.length;
	return { serviceOverMs: service - latency, turnaroundMs: count ? gap / count : undefined };
}

/** The first run of `nodeName` in the run data of `n8n execute --rawOutput`. */
function nodeRun(json, nodeName) {
	const runs = json?.data?.resultData?.runData?.[nodeName];
	return runs && runs[0];
}

/** Why the run or the node failed, in one line, or undefined. */
function runError(result, nodeName) {
	if (!result.json)
		return `no run JSON (exit ${result.code}${result.signal ? ', ' + result.signal : ''}): ${result.stderr.slice(-1500)}`;
	const e = nodeRun(result.json, nodeName)?.error || result.json.data?.resultData?.error;
	return e ? `${e.message}${e.description ? ' — ' + e.description : ''}` : undefined;
}

module.exports = { turnaround, nodeRun, runError };
