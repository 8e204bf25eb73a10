import fc from 'fast-check';

import { mapUnprocessed } from '../../../nodes/CleverTap/helpers/unprocessed';

const records = [
	{ type: 'profile', identity: 'a', profileData: { Email: 'a@x.com' } },
	{ type: 'profile', identity: 'b', profileData: { Email: 'not-an-email' } },
	{ type: 'profile', identity: 'c', profileData: { Email: 'c@x.com' } },
];

describe('mapUnprocessed', () => {
	test('by "Skipped record number : N" (1-based within the request)', () => {
		const mapped = mapUnprocessed(
			[
				{
					status: 'fail',
					code: 515,
					error: 'Profile data is incorrect. Email is not valid. Skipped record number : 2',
					record: {},
				},
			],
			records,
		);
		expect([...mapped.refused]).toEqual([
			[1, { code: 515, error: 'Profile data is incorrect. Email is not valid.' }],
		]);
		expect(mapped.unplaced).toEqual([]);
	});

	test('by the echoed record, as an object in any key order', () => {
		const mapped = mapUnprocessed(
			[
				{
					code: 515,
					error: 'Email is not valid',
					record: { profileData: { Email: 'not-an-email' }, identity: 'b', type: 'profile' },
				},
			],
			records,
		);
		expect([...mapped.refused.keys()]).toEqual([1]);
	});

	test('by the echoed record as a JSON string', () => {
		const mapped = mapUnprocessed(
			[{ code: 515, error: 'Email is not valid', record: JSON.stringify(records[2]) }],
			records,
		);
		expect([...mapped.refused.keys()]).toEqual([2]);
	});

	test('a number out of range falls back to the echo; no echo leaves it unplaced', () => {
		const mapped = mapUnprocessed(
			[
				{ code: 1, error: 'x. Skipped record number : 9', record: records[0] },
				{ code: 2, error: 'y. Skipped record number : 0' },
				{ code: 3, error: 'no number, no echo' },
			],
			records,
		);
		expect([...mapped.refused.keys()]).toEqual([0]);
		expect(mapped.unplaced).toEqual([
			{ code: 2, error: 'y.' },
			{ code: 3, error: 'no number, no echo' },
		]);
	});

	test('two equal records refused by echo are placed on both, one each', () => {
		const twins = [records[0], { ...records[0] }];
		const mapped = mapUnprocessed(
			[
				{ code: 1, error: 'x', record: records[0] },
				{ code: 1, error: 'x', record: records[0] },
			],
			twins,
		);
		expect([...mapped.refused.keys()].sort()).toEqual([0, 1]);
	});

	test('nothing unprocessed, or not a list: nothing refused', () => {
		for (const unprocessed of [[], undefined, 'x', { a: 1 }]) {
			expect(mapUnprocessed(unprocessed, records)).toEqual({ refused: new Map(), unplaced: [] });
		}
	});

	test('numbers 1 and N (the last record) are placed; N + 1 is not', () => {
		const mapped = mapUnprocessed(
			[
				{ code: 1, error: 'x. Skipped record number : 1' },
				{ code: 3, error: 'z. Skipped record number : 3' },
				{ code: 4, error: 'w. Skipped record number : 4' },
			],
			records,
		);
		expect([...mapped.refused.keys()]).toEqual([0, 2]);
		expect(mapped.unplaced).toEqual([{ code: 4, error: 'w.' }]);
	});

	test('an echo with lists inside matches the record with the same list only', () => {
		const withLists = [
			{ type: 'event', identity: 'a', evtData: { n: [1, 23] } },
			{ type: 'event', identity: 'a', evtData: { n: [12, 3] } },
		];
		const mapped = mapUnprocessed([{ code: 1, error: 'x', record: withLists[1] }], withLists);
		expect([...mapped.refused.keys()]).toEqual([1]);
	});

	test.each([
		['a text code is kept', { code: 'E515', error: 'bad' }, { code: 'E515', error: 'bad' }],
		[
			'punctuation before the number goes',
			{ code: 1, error: 'Email is not valid, Skipped record number : 4' },
			{ code: 1, error: 'Email is not valid' },
		],
		[
			'spaces and a dash at the end go',
			{ code: 1, error: '  Email is not valid -  ' },
			{ code: 1, error: 'Email is not valid' },
		],
		[
			'a semicolon at the end goes',
			{ code: 1, error: 'Email is not valid;' },
			{ code: 1, error: 'Email is not valid' },
		],
	])('refusal text: %s', (_name, entry, refusal) => {
		expect(mapUnprocessed([entry], records).unplaced).toEqual([refusal]);
	});

	test('an entry without text says so', () => {
		expect(mapUnprocessed([{ record: records[1] }], records).refused.get(1)).toEqual({
			code: undefined,
			error: 'no reason given',
		});
	});

	test('whatever subset is refused, in whatever style, each refusal lands on its own record', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 40 }).chain((count) =>
					fc.tuple(
						fc.constant(count),
						fc.subarray(Array.from({ length: count }, (_, i) => i)),
						fc.array(fc.constantFrom('number', 'object', 'string'), {
							minLength: count,
							maxLength: count,
						}),
					),
				),
				([count, refusedPositions, styles]) => {
					const batch = Array.from({ length: count }, (_, i) => ({
						type: 'event',
						identity: `id${i}`,
						evtName: 'E',
						evtData: { n: i },
					}));
					const unprocessed = refusedPositions.map((position) => {
						const style = styles[position];
						return {
							status: 'fail',
							code: 500 + position,
							error: style === 'number' ? `bad. Skipped record number : ${position + 1}` : 'bad',
							record: style === 'string' ? JSON.stringify(batch[position]) : batch[position],
						};
					});
					const mapped = mapUnprocessed(unprocessed, batch);
					expect(mapped.unplaced).toEqual([]);
					expect([...mapped.refused.keys()].sort((a, b) => a - b)).toEqual(refusedPositions);
					for (const position of refusedPositions) {
						expect(mapped.refused.get(position)?.code).toBe(500 + position);
					}
				},
			),
			{ seed: 20261129, numRuns: 200 },
		);
	});

	describe('every text and echo form CleverTap was recorded answering', () => {
		const sent = [
			{ type: 'profile', identity: 18, profileData: { Phone: '+35922333232' } },
			{ type: 'event', identity: 'x', evtName: '', evtData: {} },
			{ type: 'profile', identity: 'y', profileData: { Education: 'Graduate.' } },
		];
		test.each([
			// [T] 2017: no space before "Skipped".
			[
				'Profile data is incorrect. Phone number is not valid.Skipped record number : 1',
				516,
				0,
				516,
				'Profile data is incorrect. Phone number is not valid.',
			],
			// [T] 2017: a value ending in a full stop, then the sentence's own.
			[
				'Education needs to be School/College/Graduate..Skipped record number : 3',
				518,
				2,
				518,
				'Education needs to be School/College/Graduate.',
			],
			// [RT] [RS] 2022+: the code inside the text as well.
			[
				'Event Name is incorrect. ErrorCode: 509 - Event name is mandatory. Skipped record number : 2',
				509,
				1,
				509,
				'Event Name is incorrect. Event name is mandatory.',
			],
			// The code only in the text.
			[
				'Event Name is incorrect. ErrorCode: 509 - Event name is mandatory. Skipped record number : 2',
				undefined,
				1,
				509,
				'Event Name is incorrect. Event name is mandatory.',
			],
		])(
			'%j (code %s) refuses record %s with code %s and %j',
			(error, code, position, shownCode, text) => {
				const mapped = mapUnprocessed([{ status: 'fail', code, error, record: {} }], sent);
				expect([...mapped.refused]).toEqual([[position, { code: shownCode, error: text }]]);
			},
		);

		test.each([
			['an object', { type: 'profile', identity: '18', profileData: { Phone: 35922333232 } }],
			['a string', '{"type":"profile","identity":"18","profileData":{"Phone":35922333232}}'],
		])(
			"CleverTap's normalised copy as %s finds its record (Phone without +, identity as text)",
			(_name, record) => {
				const mapped = mapUnprocessed(
					[{ code: 516, error: 'Phone number is not valid.', record }],
					sent,
				);
				expect([...mapped.refused.keys()]).toEqual([0]);
				expect(mapped.unplaced).toEqual([]);
			},
		);

		test('the exact echo wins over the normalised one', () => {
			const twins = [
				{ type: 'profile', identity: 7, profileData: {} },
				{ type: 'profile', identity: '7', profileData: {} },
			];
			const mapped = mapUnprocessed([{ code: 523, error: 'x', record: twins[1] }], twins);
			expect([...mapped.refused.keys()]).toEqual([1]);
		});

		test('an echo that matches nothing even when normalised stays unplaced', () => {
			const mapped = mapUnprocessed(
				[{ code: 516, error: 'x', record: { type: 'profile', identity: '19', profileData: {} } }],
				sent,
			);
			expect(mapped.refused.size).toBe(0);
			expect(mapped.unplaced).toEqual([{ code: 516, error: 'x' }]);
		});

		test('the keyed form of October 2017 [T]: the record as the key, the text as its value', () => {
			const key = JSON.stringify(sent[2]).replace(/:/g, ' : ');
			const mapped = mapUnprocessed(
				[{ [key]: 'Profile data is incorrect. Email is not valid.Skipped record number : 3' }],
				sent,
			);
			expect([...mapped.refused]).toEqual([
				[2, { code: undefined, error: 'Profile data is incorrect. Email is not valid.' }],
			]);
			// Without a number, the key still finds the record.
			const byKey = mapUnprocessed([{ [key]: 'Email is not valid.' }], sent);
			expect([...byKey.refused.keys()]).toEqual([2]);
		});
	});
});
