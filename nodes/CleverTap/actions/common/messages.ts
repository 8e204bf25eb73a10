/**
 * Every sentence a user reads about an item that failed, or a run that stopped: built here, so
 * the operations say the same thing the same way.
 */
import type { Refusal } from '../../helpers/unprocessed';
import type { Failure } from '../../transport/batchRunner';
import { surelyNotTaken } from '../../transport/judge';

/** How an operation's records are named in messages. */
export interface RecordWords {
	/** Past participle of the operation: "demerged", "deleted", "uploaded". */
	done: string;
	/** A record, and several: "identity" / "identities", "record" / "records". */
	one: string;
	many: string;
	/** What may have happened after a lost answer, where not `done`: "recorded". */
	unsureDone?: string;
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** " after 3 attempts", or nothing for a request sent once. */
export function afterAttempts(failure: { attempts: number }): string {
	return failure.attempts > 1 ? ` after ${failure.attempts} attempts` : '';
}

/** A message and what to do about it, as one text (an error item holds nothing else). */
export function withAdvice(message: string, advice: string | null | undefined): string {
	return advice ? `${message}. ${advice}` : message;
}

/** `Nothing was demerged: CleverTap did not accept …`, when the credential or address is wrong. */
export function nothingDone(words: RecordWords, failure: Failure): string {
	return `Nothing was ${words.done}: ${failure.summary}`;
}

/** How far a stopped run got. */
export function progress(words: RecordWords, succeeded: number, total: number): string {
	return `${succeeded} of ${total} ${words.many} were ${words.done} before the node stopped.`;
}

/**
 * Why an item's records did not go through: `Identity "x" was not demerged: …`, or for an item of
 * several records `2 of the item's 3 identities (…) were not demerged: …`.
 */
export function itemNotDone(
	words: RecordWords,
	count: { failed: number; records: number },
	/** The first failed records' names, up to 3 (more are not named). */
	names: readonly string[],
	failure: Failure,
): string {
	const { failed, records } = count;
	const which =
		records === 1
			? capitalise(names[0])
			: `${failed} of the item's ${records} ${words.many} (${names.join(', ')}${failed > names.length ? ', …' : ''})`;
	const verb = failed === 1 && records === 1 ? 'was' : 'were';
	let why: string;
	// An upload whose answers were lost until its retries ran out may have been recorded, maybe
	// more than once.
	const lostEveryTime =
		words.unsureDone !== undefined &&
		failure.decision === 'retry' &&
		(failure.status === undefined || failure.status >= 500) &&
		!surelyNotTaken(failure);
	if ((failure.unsure || lostEveryTime) && !failure.notSent && !failure.cutShort) {
		return mayHaveBeenDone(which, words.unsureDone ?? words.done, failure);
	}
	if (failure.notSent) {
		why = `it was not sent, because the node stopped after an earlier failure: ${failure.summary}`;
	} else if (failure.cutShort) {
		why = `its request failed (${failure.own?.summary ?? 'a temporary failure'}) and was not tried again, because the node stopped after an earlier failure: ${failure.summary}`;
	} else {
		why = `${failure.summary}${afterAttempts(failure)}`;
	}
	return `${which} ${verb} not ${words.done}: ${why}`;
}

/** The editor's hint for a dry run. */
export function dryRunHint(requests: number): string {
	return `Dry Run is on: nothing was sent to CleverTap. It would take ${requests} request${requests === 1 ? '' : 's'}. Turn off Dry Run under Options to send them.`;
}

/** A dry run's word on one item: which of the requests would carry it. */
export function dryRunItem(requests: readonly number[], total: number): string {
	const key = requests.join(', ');
	const which = requests.length === 1 ? `request ${key}` : `requests ${key}`;
	return `Nothing was sent (Dry Run is on). Without Dry Run, ${which} of ${total} would send this to CleverTap.`;
}

/** CleverTap's code and words for a refused record: `code 515: Email is not valid.` */
function refusalText(refusal: Refusal): string {
	return `${refusal.code !== undefined ? `code ${refusal.code}: ` : ''}${refusal.error}`;
}

/** An upload record CleverTap refused, with its code and words. */
export function refusedRecord(refusal: Refusal): string {
	return `CleverTap did not take it (${refusalText(refusal)})`;
}

/** An upload record CleverTap may have refused: it refused some of the request without saying which. */
export function maybeRefusedRecord(refusal: Refusal, unplaced: number, records: number): string {
	return `CleverTap did not take ${unplaced} of the ${records} records of its request and did not say which, so this one may not have been taken either (${refusalText(refusal)})`;
}

/** An upload record CleverTap may not have taken: it counted fewer than it was sent. */
export function uncountedRecord(processed: number, records: number): string {
	return `CleverTap took ${processed} of the ${records} records of its request and did not say which, so this one may not have been taken`;
}

/** A request whose answer was lost, so CleverTap may have taken it; it was not sent again. */
export function mayHaveBeenDone(what: string, done: string, failure: Failure): string {
	return `${what} may have been ${done}: check in CleverTap before sending again (${failure.summary}${afterAttempts(failure)})`;
}

/** A query or a page of one that failed: `Page 2 of "Identity Error" failed: … after 3 attempts`. */
export function readFailed(what: string, failure: Failure): string {
	return `${what} failed: ${failure.summary}${afterAttempts(failure)}`;
}

/** How far a read of pages got before it stopped. */
export function readBeforeStop(read: number, many: string): string {
	return `${read} ${many} were read before it stopped.`;
}

/** A report CleverTap was still working on when Max Wait ran out, with its request ID. */
export function notFinished(what: string, maxWaitMs: number, requestId: string): string {
	const seconds = Math.round(maxWaitMs / 1000);
	return `${what} was not ready after ${seconds} second${seconds === 1 ? '' : 's'} (Max Wait): CleverTap is still working on it as request ID ${requestId}`;
}
