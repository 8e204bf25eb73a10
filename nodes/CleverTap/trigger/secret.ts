import type { IDataObject } from 'n8n-workflow';

import { BASIC_AUTH_CREDENTIAL } from './auth';

/** A secret shorter than this can be guessed by trying: anyone who does starts the workflow. */
export const MIN_SECRET_LENGTH = 12;

/** Why a webhook credential cannot guard the trigger (a sentence), or null if it can. */
export function secretProblem(type: string, data: IDataObject): string | null {
	const basic = type === BASIC_AUTH_CREDENTIAL;
	const secret = String((basic ? data.password : data.value) ?? '');
	const what = basic ? 'password' : 'header value';
	if (basic && String(data.user ?? '').trim() === '') return 'Enter a user name.';
	if (!basic && String(data.name ?? '').trim() === '') return 'Enter the header name.';
	if (secret.length < MIN_SECRET_LENGTH) {
		return `Use a ${what} of at least ${MIN_SECRET_LENGTH} characters: anyone who guesses it can start this workflow.`;
	}
	return null;
}
