import { planBatches } from '../../../nodes/CleverTap/helpers/batches';
import { seededRandom } from '../../support/virtualTime';

/** A recipient of a message: the group is the message's content. */
interface Recipient {
	message: string;
	id: string;
}
const recipient = (message: string, id: string): Recipient => ({ message, id });
const groupOf = (record: Recipient) => record.message;
const ids = (batches: Recipient[][]) => batches.map((batch) => batch.map((record) => record.id));

describe('planBatches with groupOf: a batch holds records of one group only', () => {
	test('two interleaved groups never share a batch; each keeps its order', () => {
		const items = [
			[recipient('A', 'a0')],
			[recipient('B', 'b1')],
			[recipient('A', 'a2')],
			[recipient('B', 'b3')],
			[recipient('A', 'a4')],
		];
		const plan = planBatches(items, 2, groupOf);
		expect(ids(plan.batches)).toEqual([['a0', 'a2'], ['b1', 'b3'], ['a4']]);
		expect(plan.itemBatches).toEqual([[0], [1], [0], [1], [2]]);
		expect(plan.duplicatesSkipped).toBe(0);
	});

	test('without groupOf the same items share batches across groups', () => {
		const items = [[recipient('A', 'a0')], [recipient('B', 'b1')], [recipient('A', 'a2')]];
		expect(ids(planBatches(items, 2).batches)).toEqual([['a0', 'b1'], ['a2']]);
		expect(ids(planBatches(items, 2, groupOf).batches)).toEqual([['a0', 'a2'], ['b1']]);
	});

	test('2,500 recipients of one message make batches of 1,000/1,000/500', () => {
		const items = Array.from({ length: 2500 }, (_, i) => [recipient('same', `u${i}`)]);
		const plan = planBatches(items, 1000, groupOf);
		expect(plan.batches.map((batch) => batch.length)).toEqual([1000, 1000, 500]);
		expect(plan.itemBatches[999]).toEqual([0]);
		expect(plan.itemBatches[1000]).toEqual([1]);
		expect(plan.itemBatches[2499]).toEqual([2]);
	});

	test('every item its own message: one batch per item, in item order', () => {
		const items = Array.from({ length: 4 }, (_, i) => [recipient(`m${i}`, 'same person')]);
		const plan = planBatches(items, 1000, groupOf);
		expect(plan.batches).toEqual(items);
		expect(plan.itemBatches).toEqual([[0], [1], [2], [3]]);
	});

	test('the same record in two items is planned once and mapped to both', () => {
		const shared = recipient('A', 'a0');
		const items = [[shared], [recipient('B', 'b1')], [shared], null, [recipient('A', 'a1')]];
		const plan = planBatches(items, 1000, groupOf);
		expect(plan.batches).toEqual([[shared, items[4]![0]], [items[1]![0]]]);
		expect(plan.itemBatches).toEqual([[0], [1], [0], [], [0]]);
		expect(plan.duplicatesSkipped).toBe(1);
	});

	test('a full batch closes only its own group: the other keeps filling its batch', () => {
		const items = [
			[recipient('A', 'a0')],
			[recipient('B', 'b0')],
			[recipient('A', 'a1')],
			[recipient('A', 'a2')],
			[recipient('B', 'b1')],
		];
		const plan = planBatches(items, 2, groupOf);
		expect(ids(plan.batches)).toEqual([['a0', 'a1'], ['b0', 'b1'], ['a2']]);
		expect(plan.itemBatches).toEqual([[0], [1], [0], [2], [1]]);
	});

	test('items that failed validation (null) are skipped; groupOf is never asked about them', () => {
		const asked: string[] = [];
		const plan = planBatches([null, [recipient('A', 'a')], null], 10, (record) => {
			asked.push(record.id);
			return record.message;
		});
		expect(ids(plan.batches)).toEqual([['a']]);
		expect(plan.itemBatches).toEqual([[], [0], []]);
		expect(asked).toEqual(['a']);
	});

	test('an item of several records of one group stays in one batch', () => {
		const items = [
			[recipient('A', 'a0')],
			[recipient('A', 'a1'), recipient('A', 'a2'), recipient('A', 'a3')],
			[recipient('B', 'b0')],
		];
		const plan = planBatches(items, 3, groupOf);
		expect(ids(plan.batches)).toEqual([['a0'], ['a1', 'a2', 'a3'], ['b0']]);
		expect(plan.itemBatches).toEqual([[0], [1], [2]]);
	});

	test.each([1, 2, 7, 1000])(
		'random inputs (batch size %i): no mixed batch, none too large, order and indices right, each record once',
		(size) => {
			const random = seededRandom(size);
			const pool = Array.from({ length: 60 }, (_, i) =>
				recipient(`m${Math.floor(random() * 4)}`, `p${i}`),
			);
			const items = Array.from({ length: 400 }, () =>
				random() < 0.1 ? null : [pool[Math.floor(random() * pool.length)]],
			);
			const plan = planBatches(items, size, groupOf);

			for (const batch of plan.batches) {
				expect(batch.length).toBeGreaterThan(0);
				expect(batch.length).toBeLessThanOrEqual(size);
				expect(new Set(batch.map(groupOf)).size).toBe(1);
			}
			// Each distinct record is planned exactly once.
			const planned = plan.batches.flat();
			const distinct = new Set(items.flatMap((item) => item ?? []));
			expect(planned).toHaveLength(distinct.size);
			expect(new Set(planned)).toEqual(distinct);
			expect(plan.duplicatesSkipped).toBe(
				items.filter((item) => item !== null).length - distinct.size,
			);
			// Every item points at the batch that carries its record.
			items.forEach((item, itemIndex) => {
				if (item === null) {
					expect(plan.itemBatches[itemIndex]).toEqual([]);
					return;
				}
				expect(plan.itemBatches[itemIndex]).toHaveLength(1);
				expect(plan.batches[plan.itemBatches[itemIndex][0]]).toContain(item[0]);
			});
			// Within a group, records go out in the order of their first item.
			const firstSeen = [...new Set(items.flatMap((item) => item ?? []))];
			for (const group of new Set(firstSeen.map(groupOf))) {
				expect(planned.filter((record) => record.message === group)).toEqual(
					firstSeen.filter((record) => record.message === group),
				);
			}
		},
	);
});
