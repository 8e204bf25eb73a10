/**
 * Maps CleverTap's `unprocessed[]` entries of an upload back to the records of the request. The
 * entries carry no index: their text ends with "Skipped record number : N" (1-based within the
 * request), and their `record` echoes the record (an object, or a JSON string). The number wins;
 * the echo is the fallback.
 */

/** What CleverTap said about one record it did not take. */
export interface Refusal {
	code?: number | string;
	/** CleverTap's text, without the "Skipped record number" part. */
	error: string;
}

export interface Mapped {
	/** Refusals by the record's position in the request (0-based). */
	refused: Map<number, Refusal>;
	/** Refusals that name no record the request holds. */
	unplaced: Refusal[];
}

const NUMBER = /\s*Skipped record number\s*:\s*(\d+)\s*\.?\s*$/i;

/** Key order does not matter to CleverTap, and must not to the comparison. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

function echoed(record: unknown): string | undefined {
	if (typeof record === 'string') {
		try {
			return canonical(JSON.parse(record));
		} catch {
			return undefined;
		}
	}
	return record !== null && typeof record === 'object' ? canonical(record) : undefined;
}

/** Places every unprocessed entry on the record it is about, by number, else by echo. */
export function mapUnprocessed(unprocessed: unknown, records: readonly unknown[]): Mapped {
	const refused = new Map<number, Refusal>();
	const unplaced: Refusal[] = [];
	// Built only when an entry has no usable number: most answers refuse nothing.
	let byEcho: Map<string, number[]> | undefined;
	const echoIndex = () => {
		if (byEcho) return byEcho;
		const index = new Map<string, number[]>();
		records.forEach((record, position) => {
			const key = canonical(record);
			index.set(key, [...(index.get(key) ?? []), position]);
		});
		return (byEcho = index);
	};
	for (const entry of Array.isArray(unprocessed) ? unprocessed : []) {
		const fields = (entry !== null && typeof entry === 'object' ? entry : {}) as Record<
			string,
			unknown
		>;
		const text = typeof fields.error === 'string' ? fields.error : '';
		const code =
			typeof fields.code === 'number' || typeof fields.code === 'string' ? fields.code : undefined;
		const refusal: Refusal = {
			code,
			error:
				text
					.replace(NUMBER, '')
					.replace(/\s*[,;:-]\s*$/, '')
					.trim() || 'no reason given',
		};
		const numbered = NUMBER.exec(text);
		const position = numbered ? Number(numbered[1]) - 1 : -1;
		if (position >= 0 && position < records.length && !refused.has(position)) {
			refused.set(position, refusal);
			continue;
		}
		const key = echoed(fields.record);
		const candidates = (key && echoIndex().get(key)) || [];
		const free = candidates.find((candidate) => !refused.has(candidate));
		if (free !== undefined) refused.set(free, refusal);
		else unplaced.push(refusal);
	}
	return { refused, unplaced };
}
