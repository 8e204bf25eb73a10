/**
 * Reading CleverTap's reports: its dates and periods in readable form, request IDs kept whole,
 * and ranges cut into slices it answers in time.
 */

/** Days from `from` to `to` (both YYYYMMDD numbers), counting both ends. */
export function daysInRange(from: number, to: number): number {
	return Math.round((dayToUtc(to) - dayToUtc(from)) / 86_400_000) + 1;
}

function dayToUtc(day: number): number {
	return Date.UTC(Math.floor(day / 10000), (Math.floor(day / 100) % 100) - 1, day % 100);
}

function utcToDay(ms: number): number {
	const date = new Date(ms);
	return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/** A YYYYMMDD number as 2026-11-28. */
export function isoDay(day: number): string {
	const text = String(day);
	return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** `from`..`to` cut into consecutive slices of at most `days` days, in order. */
export function dateSlices(
	from: number,
	to: number,
	days: number,
): Array<{ from: number; to: number }> {
	const slices: Array<{ from: number; to: number }> = [];
	const end = dayToUtc(to);
	for (let start = dayToUtc(from); start <= end; start += days * 86_400_000) {
		slices.push({
			from: utcToDay(start),
			to: utcToDay(Math.min(end, start + (days - 1) * 86_400_000)),
		});
	}
	return slices;
}

/**
 * An event's `ts` (an integer yyyyMMddHHmmss, not epoch) as 2022-11-19T05:49:37; undefined when
 * it is not one.
 */
export function eventTime(ts: unknown): string | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(String(ts));
	if (!match) return undefined;
	const [, year, month, day, hour, minute, second] = match;
	if (!isRealTime(+year, +month, +day, +hour, +minute, +second)) return undefined;
	return `${year}-${month}-${day}T${hour}:${minute}:${second}`;
}

export type Granularity = 'daily' | 'weekly' | 'monthly';

/**
 * A trend's key as a readable period: daily YYYYMMDD as 2026-11-28, weekly YYYYWW as 2026-W48,
 * monthly YYYYMM as 2026-11. A key of another shape is kept as it came.
 */
export function periodLabel(key: string, granularity: Granularity): string {
	if (granularity === 'daily' && /^\d{8}$/.test(key)) return isoDay(Number(key));
	if (granularity === 'weekly' && /^\d{6}$/.test(key)) return `${key.slice(0, 4)}-W${key.slice(4)}`;
	if (granularity === 'monthly' && /^\d{6}$/.test(key)) return `${key.slice(0, 4)}-${key.slice(4)}`;
	return key;
}

/**
 * The `req_id` of a pending answer, read from the text as sent: CleverTap's IDs are long integers
 * that JSON.parse would round above 2^53.
 */
export function requestId(rawBody: unknown): string | undefined {
	if (typeof rawBody === 'string') {
		return /"req_id"\s*:\s*"?(\d+)"?\s*[,}]/.exec(rawBody)?.[1];
	}
	const value = (rawBody as { req_id?: unknown } | null)?.req_id;
	if (typeof value === 'number')
		return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
	return typeof value === 'string' && /^\d+$/.test(value) ? value : undefined;
}

/**
 * Top values as one list, most counted first: CleverTap answers a group as
 * `{"STR": {"Gold": 5}, "NUMBER": {"0-100": 10}}`, one map per value type.
 */
export function topValueList(group: unknown): Array<{ value: string; count: number }> {
	const list: Array<{ value: string; count: number }> = [];
	if (group === null || typeof group !== 'object') return list;
	for (const values of Object.values(group as Record<string, unknown>)) {
		if (values === null || typeof values !== 'object') continue;
		for (const [value, count] of Object.entries(values as Record<string, unknown>)) {
			if (typeof count === 'number') list.push({ value, count });
		}
	}
	return list.sort((a, b) => b.count - a.count);
}

/**
 * A message report's start date, `"05 Mar, 2024 10:00:00"`, as 2024-03-05T10:00:00; undefined
 * when it has another shape.
 */
export function messageStart(text: unknown): string | undefined {
	const match = /^(\d{1,2}) ([A-Za-z]{3}),? (\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(
		String(text ?? '').trim(),
	);
	if (!match) return undefined;
	const [, day, monthName, year, hour = '00', minute = '00', second = '00'] = match;
	const month = MONTHS.indexOf(monthName.toLowerCase()) + 1;
	if (!isRealTime(+year, month, +day, +hour, +minute, +second)) return undefined;
	return `${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}T${hour}:${minute}:${second}`;
}

/** True for a calendar day and a time of day that exist. */
function isRealTime(
	year: number,
	month: number,
	day: number,
	hour: number,
	minute: number,
	second: number,
): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		month >= 1 &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day &&
		hour < 24 &&
		minute < 60 &&
		second < 60
	);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
