/**
 * CleverTap data centres (regions) and their REST API hosts: the one place that knows hosts.
 * The credential's region options and its test request, and the node's transport, all read this.
 */
export const CLEVERTAP_REGIONS = [
	{ value: 'eu1', name: 'Europe (EU1)', host: 'eu1.api.clevertap.com' },
	{ value: 'in1', name: 'India (IN1)', host: 'in1.api.clevertap.com' },
	{ value: 'sg1', name: 'Singapore (SG1)', host: 'sg1.api.clevertap.com' },
	{ value: 'us1', name: 'United States (US1)', host: 'us1.api.clevertap.com' },
	{ value: 'aps3', name: 'Indonesia (APS3)', host: 'aps3.api.clevertap.com' },
	{ value: 'mec1', name: 'Middle East, UAE (MEC1)', host: 'mec1.api.clevertap.com' },
	{ value: 'sk1', name: 'South Korea (SK1)', host: 'sk1.api.clevertap.com' },
] as const;

export type CleverTapRegion = (typeof CLEVERTAP_REGIONS)[number]['value'] | 'custom';

export const CUSTOM_REGION = 'custom';

/** The https base URL of a region's API, or undefined for an unknown region value. */
export function regionBaseUrl(region: string): string | undefined {
	const entry = CLEVERTAP_REGIONS.find((candidate) => candidate.value === region);
	return entry ? `https://${entry.host}` : undefined;
}

/**
 * The credential's base URL as an n8n expression, generated from the table so the credential test
 * and the node can never disagree on a host.
 */
export function baseUrlExpression(): string {
	const branches = CLEVERTAP_REGIONS.map(
		({ value, host }) => `$credentials.region === '${value}' ? 'https://${host}' : `,
	).join('');
	return `={{ ${branches}$credentials.region === '${CUSTOM_REGION}' ? String($credentials.baseUrl ?? '').trim().replace(/\\/+$/, '') : '' }}`;
}
