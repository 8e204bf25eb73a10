/** Reading what a campaign needs: when to send, and its ID. */

/**
 * A send time as CleverTap's `when` takes it, `YYYYMMDD HH:MM`, from what n8n hands a dateTime
 * parameter (an ISO text, a Date, a Luxon DateTime); the time as written, since CleverTap reads it
 * in the account's time zone (a date alone is midnight). Undefined when it is not a date.
 */
export function sendAtText(value: unknown): string | undefined {
	let text: string | undefined;
	if (typeof value === 'string') text = value.trim();
	else if (value instanceof Date)
		text = Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	else if (value !== null && typeof value === 'object' && 'toISO' in value) {
		const iso = (value as { toISO: () => unknown }).toISO();
		text = typeof iso === 'string' ? iso : undefined;
	}
	const match =
		text === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(text);
	if (!match) return undefined;
	const [, year, month, day, hour = '00', minute = '00'] = match;
	const date = new Date(Date.UTC(+year, +month - 1, +day));
	if (
		date.getUTCMonth() !== +month - 1 ||
		date.getUTCDate() !== +day ||
		+hour > 23 ||
		+minute > 59
	) {
		return undefined;
	}
	return `${year}${month}${day} ${hour}:${minute}`;
}

/** A campaign ID as CleverTap sends it (an integer), from text or a number; undefined if not one. */
export function campaignIdNumber(value: unknown): number | undefined {
	const text = String(value ?? '').trim();
	if (!/^\d+$/.test(text)) return undefined;
	const id = Number(text);
	return Number.isSafeInteger(id) ? id : undefined;
}
