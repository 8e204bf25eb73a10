import { createHash, timingSafeEqual } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

export type TriggerAuthentication = 'none' | 'basicAuth' | 'headerAuth';

export const BASIC_AUTH_CREDENTIAL = 'cleverTapWebhookBasicAuthApi';
export const HEADER_AUTH_CREDENTIAL = 'cleverTapWebhookHeaderAuthApi';

/** Equal texts, compared in constant time whatever their lengths. */
function same(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected)) && expected !== '';
}

function header(headers: IDataObject, name: string): string {
	const value = headers[name.toLowerCase()];
	return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : '';
}

/** Why a call's credentials do not match the node's (a sentence for the 401), or null if they do. */
export function authProblem(
	authentication: TriggerAuthentication,
	headers: IDataObject,
	credential: IDataObject,
): string | null {
	if (authentication === 'basicAuth') {
		const match = /^Basic\s+(\S+)$/i.exec(header(headers, 'authorization'));
		if (!match) return 'This webhook needs a user name and password (Basic auth).';
		const decoded = Buffer.from(match[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const user = colon === -1 ? decoded : decoded.slice(0, colon);
		const password = colon === -1 ? '' : decoded.slice(colon + 1);
		const userOk = same(user, String(credential.user ?? ''));
		const passwordOk = same(password, String(credential.password ?? ''));
		return userOk && passwordOk ? null : 'Wrong user name or password.';
	}
	if (authentication === 'headerAuth') {
		const name = String(credential.name ?? '').trim();
		const given = header(headers, name);
		if (given === '') return `This webhook needs the header "${name}".`;
		return same(given, String(credential.value ?? ''))
			? null
			: `Wrong value in the header "${name}".`;
	}
	return null;
}
