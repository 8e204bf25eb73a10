import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

/** One call a CleverTap webhook sends, quoted from CleverTap's documents (see the README there). */
export interface WebhookFixture {
	case: string;
	description: string;
	inferred: boolean;
	note?: string;
	source: { url: string; section: string; repository: string; path: string; commit: string };
	sourceText?: string;
	body: IDataObject;
	expected: {
		isTest: boolean;
		campaignId: number | string | null;
		profileCount: number;
		startsWorkflowByDefault: boolean;
		items: IDataObject[];
	};
}

export const FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'clevertap-webhooks');

/** Every file in the fixtures folder, README included. */
export const fixtureFiles = readdirSync(FIXTURES_DIR).sort();

export const fixtures: WebhookFixture[] = fixtureFiles
	.filter((file) => file.endsWith('.json'))
	.map((file) => JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as WebhookFixture);

export function fixture(name: string): WebhookFixture {
	const found = fixtures.find((entry) => entry.case === name);
	if (!found) throw new Error(`no webhook fixture ${name}`);
	return found;
}

/** The profiles of a fixture's body, as a list whatever its form. */
export function profilesOf(body: IDataObject): IDataObject[] {
	const profiles = body.profiles;
	return (Array.isArray(profiles) ? profiles : [profiles]) as IDataObject[];
}

/** A fresh copy, so a test can see whether the code changed what it was given. */
export function copy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
