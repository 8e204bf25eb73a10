/** What the bench report tests share: the `meta` block of a made-up results object. */
export function benchMeta(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		date: '2026-11-29T00:00:00.000Z',
		machine: 'test',
		n8n: '1.123.81',
		n8nMajor: 1,
		n8nNode: 'v20',
		benchNode: 'v20',
		packageVersion: '0.1.0',
		commit: 'abc1234',
		latencies: [200],
		sizes: [10000, 100000],
		runners: true,
		expressions: { plain: '={{ $json.identity }}', complex: '={{ $json.x }}' },
		...overrides,
	};
}
