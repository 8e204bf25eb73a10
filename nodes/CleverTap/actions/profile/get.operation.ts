import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { isProfileRecord, profileFields } from '../../helpers/profiles';
import { judgeResponse, parseBody, type FullResponse } from '../../transport';
import { CLEVERTAP_APIS } from '../../transport/apis';
import type { SendOutcome } from '../../transport/batchRunner';
import { readIdentifiers } from '../common/readParameters';
import { runOptions } from '../common/options';
import { runRecordOperation, type ItemRecords, type RecordOperation } from '../common/pipeline';

/** What a Get looks up: exactly one of CleverTap's three keys. */
export type ProfileLookup = { type: 'identity' | 'email' | 'objectId'; value: string };

const TYPE_WORDS: Record<ProfileLookup['type'], string> = {
	identity: 'identity',
	email: 'email',
	objectId: 'CleverTap ID',
};

const properties: INodeProperties[] = [
	{
		displayName:
			'Get changes nothing: use it to check a profile, for example the day after a demerge (CleverTap carries those out later, up to a day). A profile that does not exist comes out as "found": false, not as an error.',
		name: 'getNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Find By',
		name: 'identifierType',
		type: 'options',
		options: [
			{ name: 'CleverTap ID', value: 'objectId' },
			{ name: 'Email', value: 'email' },
			{ name: 'Identity', value: 'identity' },
		],
		default: 'identity',
		description: 'What the value below is',
	},
	{
		displayName: 'Value',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. jane@example.com',
		description:
			'For each item, the identity, email or CleverTap ID of the profile to get. Usually a field of the item: drag it here from the input.',
	},
	runOptions('getProfile', {
		records: 'profiles',
		batched: false,
		includeInputFieldsByDefault: false,
		// Get changes nothing: there is nothing to try out first.
		omit: ['dryRun'],
	}),
];

/** Its entry in the Operation list. */
export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get a user profile by identity, email or CleverTap ID; changes nothing',
	action: 'Get a user profile',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['profile'], operation: ['get'] } },
	properties,
);

/**
 * CleverTap does not document how it answers for a profile that does not exist: a 200 with no
 * record, a 200 that says "fail", a 400, and a 404 in CleverTap's own JSON envelope (a client
 * written against the live API reads that as "no record") all mean "not found" here. A 404 without
 * the envelope (an HTML page, another host) is still a wrong address; a 401/403 is still the
 * credential, and what is worth another try (429, 5xx, an unreadable answer) is still retried.
 */
export function judgeLookup(response: FullResponse): SendOutcome {
	const outcome = judgeResponse(response);
	if (outcome.ok) {
		const record = outcome.body?.record;
		return {
			...outcome,
			records: [{ ok: true, data: isProfileRecord(record) ? record : undefined }],
		};
	}
	const code = Number(outcome.apiCode);
	const body = parseBody(response.body);
	const saysFail = response.statusCode < 300 && body?.status === 'fail';
	const notFoundEnvelope = response.statusCode === 404 && body?.status === 'fail';
	const credential = code === 401 || code === 403;
	const transient = outcome.decision === 'throttle' || code >= 500;
	return (saysFail && !credential && !transient) || response.statusCode === 400 || notFoundEnvelope
		? { ok: true, status: response.statusCode, records: [{ ok: true, data: undefined }] }
		: outcome;
}

/** Get: one profile per item, looked up by identity, email or CleverTap ID. */
export function lookup(this: IExecuteFunctions): RecordOperation<ProfileLookup> {
	return {
		api: 'getProfile',
		words: { done: 'looked up', one: 'profile', many: 'profiles' },
		includeInputFieldsByDefault: false,
		readItems(items): Array<ItemRecords<ProfileLookup>> {
			const types = items.map((_item, itemIndex) => {
				const type = String(this.getNodeParameter('identifierType', itemIndex, 'identity'));
				return (type in TYPE_WORDS ? type : 'identity') as ProfileLookup['type'];
			});
			const values = readIdentifiers.call(
				this,
				items,
				'identifier',
				(itemIndex) => TYPE_WORDS[types[itemIndex]],
			);
			return values.map((read, itemIndex) =>
				read.ok ? { ok: true, records: [{ type: types[itemIndex], value: read.value }] } : read,
			);
		},
		request: ([{ type, value }]) => ({
			method: CLEVERTAP_APIS.getProfile.method,
			path: CLEVERTAP_APIS.getProfile.path,
			qs: { [type]: value },
		}),
		judge: judgeLookup,
		name: ({ type, value }) => `the profile with ${TYPE_WORDS[type]} "${value}"`,
		success: ([{ type, value }], [result]) => {
			const record = result.ok ? result.data : undefined;
			return isProfileRecord(record)
				? { found: true, ...profileFields(record) }
				: { found: false, identifierType: type, identifier: value };
		},
		preview: ([{ type, value }]) => ({ identifierType: type, identifier: value }),
	};
}

/** Gets one profile per item, up to 3 requests at a time. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runRecordOperation.call(this, lookup.call(this));
}
