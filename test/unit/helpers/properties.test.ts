import fc from 'fast-check';

import { planBatches } from '../../../nodes/CleverTap/helpers/batches';
import {
	MAX_IDENTITIES_PER_REQUEST,
	MAX_IDENTITY_LENGTH,
	normaliseIdentities,
} from '../../../nodes/CleverTap/helpers/identities';

// A small pool makes duplicates within and across items common; the other generators reach the
// edges (blanks, unicode, lengths around the limit, values that are not identities at all).
const pooled = fc.constantFrom('a@x.com', ' a@x.com ', 'b@x.com', 'é', 'e\u0301', '😀', '42', 42);
const blank = fc.constantFrom('', ' ', '\t\n', '\u00a0', '\u2003', '\ufeff', '\u2028');
const unicode = fc.oneof(
	fc.string({ unit: 'grapheme', maxLength: 12 }),
	fc.string({ unit: 'binary', maxLength: 12 }),
	// Astral characters and combining marks, with padding that must be trimmed.
	fc
		.array(fc.constantFrom('😀', '👩‍💻', '𝔘', 'a\u0301', '\u0301', '山', ' ', 'Z'), { maxLength: 8 })
		.map((parts) => parts.join('')),
);
const nearLimit = fc
	.tuple(fc.integer({ min: MAX_IDENTITY_LENGTH - 2, max: MAX_IDENTITY_LENGTH + 2 }), fc.boolean())
	// Padded or not: only the trimmed length counts. An astral tail makes .length odd-sized.
	.map(([length, padded]) => {
		const core = 'x'.repeat(Math.max(0, length - 2)) + '😀';
		return padded ? `  ${core}\t` : core;
	});
const number = fc.oneof(
	fc.integer(),
	fc.double(),
	fc.constantFrom(0, -0, 1e21, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER),
);
const notIdentity = fc.oneof(
	fc.constantFrom(null, undefined, true, false),
	fc.object({ maxDepth: 1, maxKeys: 2 }),
	fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }).map((inner) => [inner]),
);
const scalar = fc.oneof(
	{ weight: 4, arbitrary: pooled },
	{ weight: 3, arbitrary: unicode },
	{ weight: 1, arbitrary: blank },
	{ weight: 1, arbitrary: nearLimit },
	{ weight: 2, arbitrary: number },
	{ weight: 1, arbitrary: notIdentity },
);
// Lists are mostly valid so that the batching properties see plenty of identities; now and then
// one is larger than the batch size (up to just over 100 distinct entries).
const list = fc.oneof(
	{ weight: 6, arbitrary: fc.array(fc.oneof(pooled, unicode, number), { maxLength: 8 }) },
	{ weight: 2, arbitrary: fc.array(scalar, { maxLength: 6 }) },
	{
		weight: 1,
		arbitrary: fc
			.tuple(
				fc.integer({ min: 1, max: MAX_IDENTITIES_PER_REQUEST + 2 }),
				fc.string({ maxLength: 4 }),
			)
			.map(([count, prefix]) => Array.from({ length: count }, (_, i) => `${prefix}big-${i}`)),
	},
);
const item = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 2, arbitrary: list });
const items = fc.array(item, { maxLength: 60, size: 'medium' });
// Mostly small sizes, so that a run of items needs several batches and items straddle them.
const batchSize = fc.oneof(
	{ weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }) },
	{ weight: 1, arbitrary: fc.integer({ min: 1, max: MAX_IDENTITIES_PER_REQUEST }) },
);

/** An independent statement of what one entry may be, to check normalisation against. */
function entryIsIdentity(value: unknown): boolean {
	if (typeof value === 'number') return Number.isFinite(value);
	if (typeof value !== 'string') return false;
	const trimmed = value.trim();
	return trimmed !== '' && trimmed.length <= MAX_IDENTITY_LENGTH;
}

function itemIsValid(value: unknown): boolean {
	if (!Array.isArray(value)) return entryIsIdentity(value);
	if (value.length === 0 || !value.every(entryIsIdentity)) return false;
	return new Set(value.map((entry) => String(entry).trim())).size <= MAX_IDENTITIES_PER_REQUEST;
}

function normaliseAll(values: unknown[]) {
	const results = values.map((value) => normaliseIdentities(value));
	return { results, identities: results.map((r) => (r.ok ? r.identities : null)) };
}

describe('normaliseIdentities then planBatches, for any mix of items', () => {
	test('an item is rejected exactly when one of its entries is not an identity, with a reason', () => {
		fc.assert(
			fc.property(item, (value) => {
				const result = normaliseIdentities(value);
				expect(result.ok).toBe(itemIsValid(value));
				if (!result.ok) expect(result.reason).toMatch(/^(The|Identity \d+ of the list) .+/);
			}),
			{ numRuns: 2000 },
		);
	});

	test('normalised identities are trimmed, non-empty, at most MAX_IDENTITY_LENGTH and unique', () => {
		fc.assert(
			fc.property(item, (value) => {
				const result = normaliseIdentities(value);
				if (!result.ok) return;
				expect(result.identities.length).toBeGreaterThan(0);
				expect(result.identities.length).toBeLessThanOrEqual(MAX_IDENTITIES_PER_REQUEST);
				expect(new Set(result.identities).size).toBe(result.identities.length);
				const malformed = result.identities.filter(
					(id) =>
						typeof id !== 'string' ||
						id !== id.trim() ||
						id.length === 0 ||
						id.length > MAX_IDENTITY_LENGTH,
				);
				expect(malformed).toEqual([]);
				// Nothing is invented or lost: the identities are the item's entries, trimmed.
				const entries = (Array.isArray(value) ? value : [value]).map((e) => String(e).trim());
				expect(result.identities).toEqual([...new Set(entries)]);
			}),
			{ numRuns: 2000 },
		);
	});

	test('every valid identity is in exactly one batch, in order of first appearance', () => {
		fc.assert(
			fc.property(items, batchSize, (values, size) => {
				const { identities } = normaliseAll(values);
				const plan = planBatches(identities, size);
				const sent = plan.batches.flat();
				const firstAppearance = [...new Set(identities.flatMap((ids) => ids ?? []))];
				expect(sent).toEqual(firstAppearance);
			}),
			{ numRuns: 500 },
		);
	});

	test('batches hold 1..batchSize distinct identities; only a larger item goes alone, never over 100', () => {
		fc.assert(
			fc.property(items, batchSize, (values, size) => {
				const { identities } = normaliseAll(values);
				const plan = planBatches(identities, size);
				const wrong = plan.batches.filter((batch) => {
					if (batch.length < 1 || batch.length > MAX_IDENTITIES_PER_REQUEST) return true;
					if (new Set(batch).size !== batch.length) return true;
					if (batch.length <= size) return false;
					// Oversized only as the identities of one item larger than batchSize, nothing else.
					return !identities.some(
						(ids) => ids !== null && ids.length > size && batch.every((id) => ids.includes(id)),
					);
				});
				expect(wrong).toEqual([]);
			}),
			{ numRuns: 500 },
		);
	});

	test("each item's itemBatches are exactly the batches that carry its identities", () => {
		fc.assert(
			fc.property(items, batchSize, (values, size) => {
				const { identities } = normaliseAll(values);
				const plan = planBatches(identities, size);
				expect(plan.itemBatches).toHaveLength(values.length);
				const batchOf = new Map<string, number>();
				plan.batches.forEach((batch, index) => batch.forEach((id) => batchOf.set(id, index)));
				const expected = identities.map((ids) =>
					[...new Set((ids ?? []).map((id) => batchOf.get(id) as number))].sort((a, b) => a - b),
				);
				expect(plan.itemBatches).toEqual(expected);
			}),
			{ numRuns: 500 },
		);
	});

	test("an invalid item is that item's error and none of its entries is sent on its behalf", () => {
		fc.assert(
			fc.property(items, batchSize, (values, size) => {
				const { results, identities } = normaliseAll(values);
				const plan = planBatches(identities, size);
				const sent = new Set(plan.batches.flat());
				const fromValidItems = new Set(identities.flatMap((ids) => ids ?? []));
				const invalid = results.flatMap((result, itemIndex) => (result.ok ? [] : [itemIndex]));
				expect(invalid.map((itemIndex) => plan.itemBatches[itemIndex])).toEqual(
					invalid.map(() => []),
				);
				// Whatever is sent came from a valid item, so a bad item cannot smuggle one in.
				expect([...sent].filter((id) => !fromValidItems.has(id))).toEqual([]);
			}),
			{ numRuns: 500 },
		);
	});

	test('duplicatesSkipped counts every repeat, within an item and across items', () => {
		fc.assert(
			fc.property(items, batchSize, (values, size) => {
				const { identities } = normaliseAll(values);
				const plan = planBatches(identities, size);
				const total = identities.reduce((sum, ids) => sum + (ids?.length ?? 0), 0);
				expect(plan.duplicatesSkipped).toBe(total - plan.batches.flat().length);
			}),
			{ numRuns: 500 },
		);
	});
});
