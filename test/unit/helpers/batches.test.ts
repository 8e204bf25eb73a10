import { planBatches } from '../../../nodes/CleverTap/helpers/batches';

const ids = (count: number, prefix = 'id') =>
	Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const onePerItem = (count: number) => ids(count).map((identity) => [identity]);
const sizes = (batches: string[][]) => batches.map((batch) => batch.length);

describe('planBatches', () => {
	test.each([
		[0, []],
		[1, [1]],
		[100, [100]],
		[101, [100, 1]],
		[250, [100, 100, 50]],
	])('%i identities, one per item, make batches of %j', (count, expected) => {
		const plan = planBatches(onePerItem(count), 100);
		expect(sizes(plan.batches)).toEqual(expected);
		expect(plan.batches.flat()).toEqual(ids(count));
		expect(plan.itemBatches).toEqual(ids(count).map((_, i) => [Math.floor(i / 100)]));
		expect(plan.duplicatesSkipped).toBe(0);
	});

	test('the batch size is honoured; below 1 it is 1', () => {
		expect(sizes(planBatches(onePerItem(25), 10).batches)).toEqual([10, 10, 5]);
		expect(sizes(planBatches(onePerItem(2500), 1000).batches)).toEqual([1000, 1000, 500]);
		expect(sizes(planBatches(onePerItem(3), 0).batches)).toEqual([1, 1, 1]);
	});

	test('record objects are distinct by themselves: equal contents are both sent', () => {
		const first = { identity: 'a' };
		const second = { identity: 'a' };
		const plan = planBatches([[first], [second], [first]], 1000);
		expect(plan.batches).toEqual([[first, second]]);
		expect(plan.batches[0][1]).toBe(second);
		expect(plan.duplicatesSkipped).toBe(1);
	});

	test('blank (invalid) items are skipped and map to no batch', () => {
		const plan = planBatches([['a'], null, ['b'], null], 100);
		expect(plan.batches).toEqual([['a', 'b']]);
		expect(plan.itemBatches).toEqual([[0], [], [0], []]);
	});

	test('duplicates across and within items are sent once and mapped to every item', () => {
		const plan = planBatches([['a', 'b'], ['b', 'c'], ['a'], ['c', 'c']], 100);
		expect(plan.batches).toEqual([['a', 'b', 'c']]);
		expect(plan.itemBatches).toEqual([[0], [0], [0], [0]]);
		expect(plan.duplicatesSkipped).toBe(4);
	});

	test("an item's new identities stay in one batch", () => {
		const plan = planBatches([ids(60, 'x'), ids(60, 'y')], 100);
		expect(sizes(plan.batches)).toEqual([60, 60]);
		expect(plan.itemBatches).toEqual([[0], [1]]);
	});

	test('an item larger than the batch size goes alone, never over 100', () => {
		const plan = planBatches([['a'], ids(30, 'big'), ['b']], 10);
		expect(sizes(plan.batches)).toEqual([1, 30, 1]);
		expect(plan.itemBatches).toEqual([[0], [1], [2]]);
	});

	test('an item whose identity was sent with an earlier batch maps to both batches', () => {
		const plan = planBatches([...onePerItem(100), ['id-5', 'new']], 100);
		expect(sizes(plan.batches)).toEqual([100, 1]);
		expect(plan.itemBatches[100]).toEqual([0, 1]);
	});

	test('unicode identities are planned as distinct strings', () => {
		const plan = planBatches([['é'], ['é'], ['e\u0301']], 100);
		expect(plan.batches).toEqual([['é', 'e\u0301']]);
	});
});
