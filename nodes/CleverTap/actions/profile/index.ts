import type { INodeProperties } from 'n8n-workflow';

import * as demerge from './demerge.operation';

export { demerge };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['profile'] } },
		options: [
			{
				name: 'Demerge',
				value: 'demerge',
				description: 'Split merged user profiles apart by identity',
				action: 'Demerge user profiles',
			},
		],
		default: 'demerge',
	},
	...demerge.description,
];
