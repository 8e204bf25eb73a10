import type { IHttpRequestOptions } from 'n8n-workflow';

import recorded from '../fixtures/n8n-transport-errors.json';

/** The n8n versions the fixture was recorded in (test/e2e/transportErrors.e2e.test.ts). */
export const N8N_MAJORS = ['n8n-1', 'n8n-2'] as const;
export type N8nMajor = (typeof N8N_MAJORS)[number];

/** The transport failures recorded in both versions. */
export const RECORDED_FAILURES = [
	'reset',
	'reset-mid-body',
	'close-mid-body',
	'hang',
	'refused',
	'unknown-host',
] as const;
export type RecordedFailure = (typeof RECORDED_FAILURES)[number];

type Described = Record<string, unknown>;

/** Rebuilds an error object from its recorded description, own properties and causes alike. */
function rebuild(described: unknown, request?: IHttpRequestOptions): unknown {
	if (described === null || typeof described !== 'object' || Array.isArray(described)) {
		return described;
	}
	const { '@constructor': constructorName, cause, ...properties } = described as Described;
	const error = Object.create(Error.prototype) as Record<string, unknown>;
	Object.defineProperty(error, 'constructor', {
		value: { name: constructorName },
		enumerable: false,
	});
	for (const [key, value] of Object.entries(properties)) {
		if (value === '[omitted]') {
			// What n8n and axios really keep here: the request, headers (and passcode) included.
			error[key] =
				key === 'config' || key === 'request' || key === 'options'
					? { ...request, headers: { ...request?.headers } }
					: key === 'stack'
						? `${String(properties.name)}: ${String(properties.message)}\n    at recorded`
						: {};
		} else {
			error[key] = rebuild(value, request);
		}
	}
	if (cause !== undefined) error.cause = rebuild(cause, request);
	return error;
}

/**
 * The error n8n 1.x or 2.x throws from `httpRequestWithAuthentication` for a failure, as recorded
 * in real n8n, carrying `request` (its headers hold the passcode) where n8n's error does.
 */
export function recordedN8nError(
	major: N8nMajor,
	failure: RecordedFailure,
	request?: IHttpRequestOptions,
): Error {
	const entry = (recorded as Record<string, Array<{ name: string; error: unknown }>>)[major].find(
		(candidate) => candidate.name === failure,
	);
	if (!entry) throw new Error(`no recorded ${failure} for ${major}`);
	return rebuild(entry.error, request) as Error;
}
