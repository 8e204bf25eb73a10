export interface BatchPlan<R> {
	/** The requests to send, each a list of at most `batchSize` distinct records. */
	batches: R[][];
	/** For each item, the 0-based index of every batch that carries one of its records. */
	itemBatches: number[][];
	/** How many records appeared again, in the same item or another, and are sent only once. */
	duplicatesSkipped: number;
}

/**
 * Plans the requests for a run: every distinct record (an identity, or a record object, which is
 * distinct by itself) lands in exactly one batch, items are packed in input order, and an item's
 * new records stay in one batch (so one item is one request, unless an earlier item already
 * carries some of its records). `null` entries are items that failed validation and are skipped.
 * An item with more records than `batchSize` goes alone.
 */
export function planBatches<R>(
	itemRecords: ReadonlyArray<readonly R[] | null>,
	batchSize: number,
): BatchPlan<R> {
	const size = Math.max(1, Math.floor(batchSize));
	const batchOfRecord = new Map<R, number>();
	const batches: R[][] = [];
	const itemBatches: number[][] = [];
	let duplicatesSkipped = 0;
	let current: R[] = [];

	const closeCurrent = () => {
		if (current.length > 0) {
			batches.push(current);
			current = [];
		}
	};

	/** Puts an item's new records together into the current batch; returns that batch's index. */
	const place = (fresh: readonly R[]): number => {
		// An item whose records do not fit in what is left of the batch starts a new one.
		if (current.length + fresh.length > size) closeCurrent();
		const batchIndex = batches.length;
		for (const record of fresh) {
			current.push(record);
			batchOfRecord.set(record, batchIndex);
		}
		if (current.length >= size) closeCurrent();
		return batchIndex;
	};

	for (const records of itemRecords) {
		if (records === null) {
			itemBatches.push([]);
			continue;
		}
		if (records.length === 1) {
			// The common case (one contact, one record), without the sets below.
			const known = batchOfRecord.get(records[0]);
			if (known !== undefined) duplicatesSkipped++;
			itemBatches.push([known ?? place(records)]);
			continue;
		}
		const fresh: R[] = [];
		const seenInItem = new Set<R>();
		for (const record of records) {
			if (seenInItem.has(record) || batchOfRecord.has(record)) {
				duplicatesSkipped++;
			} else {
				fresh.push(record);
			}
			seenInItem.add(record);
		}
		if (fresh.length > 0) place(fresh);
		const used = new Set<number>();
		for (const record of seenInItem) used.add(batchOfRecord.get(record) as number);
		itemBatches.push([...used].sort((a, b) => a - b));
	}
	closeCurrent();
	return { batches, itemBatches, duplicatesSkipped };
}
