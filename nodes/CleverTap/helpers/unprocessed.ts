/**
 * Maps CleverTap's `unprocessed[]` entries of an upload back to the records of the request. The
 * entries carry no index: their text ends with "Skipped record number : N" (1-based within the
 * request; recorded with and without a space before it, and since 2022 with "ErrorCode: 509 - "
 * inside), and their `record` echoes the record (an object, or a JSON string) as CleverTap
 * normalised it: a phone "+35922333232" comes back as the number 35922333232, an identity 18 as
 * "18". One form, from 2017, is only `{"<record>": "<text>"}`. The number wins; the echo is the
 * fallback, exact first, then with values compared as text.
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
/** CleverTap's code inside the text, as answers have carried it since 2022. */
const EMBEDDED_CODE = /\bErrorCode\s*:\s*(\d+)\s*-\s*/i;

/** A value as CleverTap may echo it back: a number or a text, with or without a leading "+". */
function loose(value: unknown): string {
	return JSON.stringify(String(value).trim().replace(/^\+/, ''));
}

/** Key order does not matter to CleverTap, and must not to the comparison. */
function canonical(value: unknown, leaf: (value: unknown) => string = JSON.stringify): string {
	if (Array.isArray(value)) return `[${value.map((entry) => canonical(entry, leaf)).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map(
				(key) =>
					`${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key], leaf)}`,
			)
			.join(',')}}`;
	}
	return value === null || value === undefined ? JSON.stringify(value) : leaf(value);
}

function echoedValue(record: unknown): object | undefined {
	if (typeof record === 'string') {
		try {
			const parsed: unknown = JSON.parse(record);
			return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
		} catch {
			return undefined;
		}
	}
	return record !== null && typeof record === 'object' ? record : undefined;
}

/** Places every unprocessed entry on the record it is about, by number, else by echo. */
export function mapUnprocessed(unprocessed: unknown, records: readonly unknown[]): Mapped {
	const refused = new Map<number, Refusal>();
	const unplaced: Refusal[] = [];
	// Built only when an entry has no usable number: most answers refuse nothing.
	const indexes = new Map<(value: unknown) => string, Map<string, number[]>>();
	const echoIndex = (leaf: (value: unknown) => string) => {
		let index = indexes.get(leaf);
		if (index) return index;
		index = new Map<string, number[]>();
		for (const [position, record] of records.entries()) {
			const key = canonical(record, leaf);
			index.set(key, [...(index.get(key) ?? []), position]);
		}
		indexes.set(leaf, index);
		return index;
	};
	for (const entry of Array.isArray(unprocessed) ? unprocessed : []) {
		const fields = (entry !== null && typeof entry === 'object' ? entry : {}) as Record<
			string,
			unknown
		>;
		let text = typeof fields.error === 'string' ? fields.error : '';
		let record = fields.record;
		// October 2017 [T]: `{"<the record as JSON>": "<CleverTap's text>"}`, no status, no code.
		const keys = Object.keys(fields);
		if (text === '' && record === undefined && keys.length === 1) {
			const [only] = keys;
			if (typeof fields[only] === 'string') {
				text = fields[only] as string;
				record = only;
			}
		}
		const embedded = EMBEDDED_CODE.exec(text);
		const code =
			typeof fields.code === 'number' || typeof fields.code === 'string'
				? fields.code
				: embedded
					? Number(embedded[1])
					: undefined;
		const refusal: Refusal = {
			code,
			error:
				text
					.replace(NUMBER, '')
					.replace(EMBEDDED_CODE, '')
					.replace(/\s*[,;:-]\s*$/, '')
					.replace(/\.{2,}$/, '.')
					.trim() || 'no reason given',
		};
		const numbered = NUMBER.exec(text);
		const position = numbered ? Number(numbered[1]) - 1 : -1;
		if (position >= 0 && position < records.length && !refused.has(position)) {
			refused.set(position, refusal);
			continue;
		}
		const echo = echoedValue(record);
		const free =
			echo === undefined
				? undefined
				: [JSON.stringify, loose]
						.flatMap((leaf) => echoIndex(leaf).get(canonical(echo, leaf)) ?? [])
						.find((candidate) => !refused.has(candidate));
		if (free !== undefined) refused.set(free, refusal);
		else unplaced.push(refusal);
	}
	return { refused, unplaced };
}
