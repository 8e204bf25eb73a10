import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete.operation';
import * as demerge from './demerge.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as upsert from './upsert.operation';

export { del as delete, demerge, get, getMany, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['profile'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update user profiles',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete user profiles for good (cannot be undone)',
				action: 'Delete user profiles',
			},
			{
				name: 'Demerge',
				value: 'demerge',
				description: 'Split merged user profiles apart by identity (cannot be undone)',
				action: 'Demerge user profiles',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a user profile by identity, email or CleverTap ID; changes nothing',
				action: 'Get a user profile',
			},
			{
				name: 'Get Many by Event',
				value: 'getMany',
				description: 'Get the user profiles that did an event between two dates',
				action: 'Get user profiles by event',
			},
		],
		default: 'demerge',
	},
	...del.description,
	...demerge.description,
	...get.description,
	...getMany.description,
	...upsert.description,
];
