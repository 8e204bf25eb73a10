import { MAX_IDENTITIES_PER_REQUEST } from './identities';

export interface BatchPlan {
	/** The requests to send, each a list of at most `batchSize` distinct identities. */
	batches: string[][];
	/** For each item, the 0-based index of every batch that carries one of its identities. */
	itemBatches: number[][];
	/** How many identities appeared again, in the same item or another, and are sent only once. */
	duplicatesSkipped: number;
}

/**
 * Plans the requests for a run: every distinct identity lands in exactly one batch, items are
 * packed in input order, and an item's new identities stay in one batch (so one item is one
 * request, unless an earlier item already carries some of its identities). `null` entries are
 * items that failed validation and are skipped.
 */
export function planBatches(
	itemIdentities: ReadonlyArray<readonly string[] | null>,
	batchSize: number = MAX_IDENTITIES_PER_REQUEST,
): BatchPlan {
	const size = Math.max(1, Math.min(MAX_IDENTITIES_PER_REQUEST, Math.floor(batchSize)));
	const batchOfIdentity = new Map<string, number>();
	const batches: string[][] = [];
	const itemBatches: number[][] = [];
	let duplicatesSkipped = 0;
	let current: string[] = [];

	const closeCurrent = () => {
		if (current.length > 0) {
			batches.push(current);
			current = [];
		}
	};

	for (const identities of itemIdentities) {
		if (identities === null) {
			itemBatches.push([]);
			continue;
		}
		const fresh: string[] = [];
		const seenInItem = new Set<string>();
		for (const identity of identities) {
			if (seenInItem.has(identity) || batchOfIdentity.has(identity)) {
				duplicatesSkipped++;
			} else {
				fresh.push(identity);
			}
			seenInItem.add(identity);
		}
		if (fresh.length > 0) {
			// An item whose identities do not fit in what is left of the batch starts a new one; an
			// item larger than batchSize (at most 100, checked by normalisation) goes alone.
			if (current.length + fresh.length > size) closeCurrent();
			const batchIndex = batches.length;
			for (const identity of fresh) {
				current.push(identity);
				batchOfIdentity.set(identity, batchIndex);
			}
			if (current.length >= size) closeCurrent();
		}
		const used = new Set<number>();
		for (const identity of seenInItem) used.add(batchOfIdentity.get(identity) as number);
		itemBatches.push([...used].sort((a, b) => a - b));
	}
	closeCurrent();
	return { batches, itemBatches, duplicatesSkipped };
}
