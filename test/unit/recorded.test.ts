/**
 * Every answer CleverTap was recorded giving (test/fixtures/clevertap-recorded/, each with its
 * source) fed through the node's own answer handling, and the outcome a user gets asserted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { judgeUpload, type ItemUpload } from '../../nodes/CleverTap/actions/common/upload';
import { judgeLookup } from '../../nodes/CleverTap/actions/profile/get.operation';
import { judgePage, judgeQuery } from '../../nodes/CleverTap/actions/common/pager';
import { judgeReport } from '../../nodes/CleverTap/actions/common/report';
import type { UploadRecord } from '../../nodes/CleverTap/helpers/records';
import { judgeResponse, type FullResponse } from '../../nodes/CleverTap/transport';

interface Fixture {
	case: string;
	api: 'upload' | 'profile' | 'profiles' | 'events' | 'demerge' | 'delete' | 'report' | 'other';
	call?: 'query' | 'page';
	request?: { body?: string };
	response: {
		status: number;
		headers: Record<string, string> | null;
		body: string;
		/** The body as CleverTap sends it, where the source holds it in another form. */
		wireBody?: string;
	};
	source: { id: string; repository: string; path: string; commit: string; kind: string };
	expected: {
		outcome:
			| 'upload'
			| 'stop'
			| 'retry'
			| 'found'
			| 'notFound'
			| 'cursor'
			| 'page'
			| 'readAgain'
			| 'pending'
			| 'report'
			| 'refused'
			| 'other';
		status?: number;
		records?: number;
		next?: boolean;
		taken?: number[];
		refused?: Array<{ position: number; code: number | null; error: string }>;
		requestId?: string;
		count?: number;
		error?: string;
	};
}

const DIR = join(__dirname, '..', 'fixtures', 'clevertap-recorded');
const fixtures: Fixture[] = readdirSync(DIR)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture);

const answer = (fixture: Fixture): FullResponse => ({
	statusCode: fixture.response.status,
	body: fixture.response.wireBody ?? fixture.response.body,
	headers: fixture.response.headers ?? undefined,
});

/** The records of the upload as they were sent, or stand-ins as many as the answer accounts for. */
function sentRecords(fixture: Fixture): ItemUpload[] {
	const body = fixture.request?.body;
	const records: unknown[] = body
		? // Documentation examples comment their lines ("ts": 1468308340, // time when …).
			(JSON.parse(body.replace(/(?<=,)[ \t]+\/\/[^\n]*/g, '')) as { d: unknown[] }).d
		: Array.from({ length: fixture.expected.records ?? 0 }, (_, i) => ({ identity: `r${i}` }));
	return records.map((record, itemIndex) => ({
		itemIndex,
		identifier: String(itemIndex),
		record: record as UploadRecord,
	}));
}

describe('every recorded CleverTap answer, through the node', () => {
	test('there are at least 15, each naming its source', () => {
		expect(fixtures.length).toBeGreaterThanOrEqual(15);
		for (const fixture of fixtures) {
			expect(fixture.source).toEqual(
				expect.objectContaining({
					repository: expect.stringMatching(/^[\w.-]+\/[\w.-]+$/),
					path: expect.any(String),
					kind: expect.any(String),
				}),
			);
		}
	});

	test.each(fixtures.map((fixture) => [fixture.case, fixture] as const))('%s', (_name, fixture) => {
		const { expected } = fixture;
		const response = answer(fixture);
		switch (expected.outcome) {
			case 'upload': {
				const records = sentRecords(fixture);
				const outcome = judgeUpload(response, records);
				if (!outcome.ok) throw new Error(`not judged per record: ${outcome.summary}`);
				const refusedAt = new Map((expected.refused ?? []).map((r) => [r.position, r]));
				records.forEach((_record, position) => {
					const said = outcome.records?.[position];
					const refusal = refusedAt.get(position);
					if (!refusal) {
						expect(said === undefined || said.ok).toBe(true);
						expect(expected.taken).toContain(position);
						return;
					}
					// The item fails alone, with CleverTap's code and words.
					if (said === undefined || said.ok) throw new Error(`record ${position} was taken`);
					expect(said.failure.decision).toBe('fail');
					if (refusal.code !== null) expect(Number(said.failure.apiCode)).toBe(refusal.code);
					expect(said.failure.apiError).toContain(refusal.error);
					expect(said.failure.apiError).not.toMatch(/Skipped record number|ErrorCode/);
					expect(said.failure.summary).toMatch(/^CleverTap did not take it \(/);
				});
				break;
			}
			case 'stop':
			case 'retry': {
				const outcome =
					fixture.api === 'upload' ? judgeUpload(response, []) : judgeResponse(response);
				expect(outcome).toMatchObject({
					ok: false,
					status: expected.status,
					decision:
						expected.outcome === 'stop' ? 'stop' : expected.status === 429 ? 'throttle' : 'retry',
				});
				break;
			}
			case 'found':
			case 'notFound': {
				const outcome = judgeLookup(response);
				if (!outcome.ok) throw new Error(outcome.summary);
				const record = outcome.records?.[0];
				expect(record?.ok && record.data !== undefined).toBe(expected.outcome === 'found');
				break;
			}
			case 'cursor': {
				const outcome = judgeQuery(response);
				if (!outcome.ok) throw new Error(outcome.summary);
				const cursor = outcome.records?.[0];
				expect(cursor?.ok && typeof cursor.data === 'string' && cursor.data.length > 0).toBe(true);
				break;
			}
			case 'page': {
				const outcome = judgePage(response);
				if (!outcome.ok) throw new Error(outcome.summary);
				const page = outcome.records?.[0];
				if (!page?.ok) throw new Error('no page');
				const { records, next } = page.data as { records: unknown[]; next?: string };
				expect(records).toHaveLength(expected.records ?? 0);
				expect(next !== undefined).toBe(expected.next);
				break;
			}
			case 'readAgain': {
				expect(judgePage(response)).toMatchObject({ ok: false, decision: 'wait' });
				break;
			}
			case 'pending': {
				// Still being worked on: polled by its ID, every digit of it, and no failure.
				const outcome = judgeReport(response);
				if (!outcome.ok) throw new Error(outcome.summary);
				expect(outcome.records?.[0]).toEqual({ ok: true, data: { id: expected.requestId } });
				break;
			}
			case 'report': {
				const outcome = judgeReport(response);
				if (!outcome.ok) throw new Error(outcome.summary);
				const body = (outcome.records?.[0] as { data: { body: Record<string, unknown> } }).data
					.body;
				expect(body.status).toBe('success');
				if (expected.count !== undefined) expect(body.count).toBe(expected.count);
				break;
			}
			case 'refused': {
				// CleverTap's list of words (a JSON-encoded array) read as words, never retried.
				const outcome = judgeReport(response);
				expect(outcome).toMatchObject({ ok: false, decision: 'fail', apiError: expected.error });
				break;
			}
			case 'other': {
				// Endpoints the node does not call yet: the shared rule still reads them, never throws, and
				// a failure carries CleverTap's own words.
				const outcome = judgeResponse(response);
				if (!outcome.ok && outcome.apiError) expect(outcome.summary).toContain(outcome.apiError);
				break;
			}
			default:
				throw new Error(`unknown outcome ${String(expected.outcome)}`);
		}
	});
});
