import type { INodeProperties } from 'n8n-workflow';

import * as upload from './upload.operation';

export { upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Upload',
				value: 'upload',
				description: 'Record events on user profiles, one event per item',
				action: 'Upload events',
			},
		],
		default: 'upload',
	},
	...upload.description,
];
