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
 * An item with more records than `batchSize` goes alone. With `groupOf`, a batch holds records of
 * one group only (messages with the same content), each group packed as if alone.
 */
export function planBatches<R>(
	itemRecords: ReadonlyArray<readonly R[] | null>,
	batchSize: number,
	groupOf?: (record: R) => string,
): BatchPlan<R> {
	const size = Math.max(1, Math.floor(batchSize));
	const batchOfRecord = new Map<R, number>();
	const batches: R[][] = [];
	const itemBatches: number[][] = [];
	let duplicatesSkipped = 0;
	/** The batch being filled for each group, by its index. */
	const open = new Map<string, number>();

	/** Puts an item's new records together into its group's open batch; returns that batch's index. */
	const place = (fresh: readonly R[]): number => {
		const group = groupOf ? groupOf(fresh[0]) : '';
		let batchIndex = open.get(group);
		// An item whose records do not fit in what is left of the batch starts a new one.
		if (batchIndex === undefined || batches[batchIndex].length + fresh.length > size) {
			batchIndex = batches.push([]) - 1;
			open.set(group, batchIndex);
		}
		const batch = batches[batchIndex];
		for (const record of fresh) {
			batch.push(record);
			batchOfRecord.set(record, batchIndex);
		}
		if (batch.length >= size) open.delete(group);
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
	return { batches, itemBatches, duplicatesSkipped };
}
