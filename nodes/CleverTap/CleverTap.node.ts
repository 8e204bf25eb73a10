import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as campaign from './actions/campaign';
import * as event from './actions/event';
import * as message from './actions/message';
import * as profile from './actions/profile';
import * as report from './actions/report';
import { router } from './actions/router';

export class CleverTap implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CleverTap',
		name: 'cleverTap',
		icon: { light: 'file:clevertap.svg', dark: 'file:clevertap.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			"Clean up CleverTap user profiles, record and read events, get counts and reports, and reach people with campaigns and messages, within CleverTap's limits",
		// n8n's editor takes this as it is; from the codex's primaryDocumentation it would append
		// "?utm_source=…" after the "#operations" and so lose the README section.
		documentationUrl: 'https://github.com/n8n-nodes-clevertap/n8n-nodes-clevertap#operations',
		defaults: { name: 'CleverTap' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cleverTapApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Event', value: 'event' },
					{ name: 'Message', value: 'message' },
					{ name: 'Profile', value: 'profile' },
					{ name: 'Report', value: 'report' },
				],
				default: 'profile',
			},
			...profile.description,
			...event.description,
			...report.description,
			...campaign.description,
			...message.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
