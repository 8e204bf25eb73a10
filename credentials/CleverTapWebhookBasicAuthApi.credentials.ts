import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

// The fields of n8n's own Basic Auth credential. n8n's verification scan refuses a community node
// that uses a credential type from outside its package, so the trigger brings its own.
export class CleverTapWebhookBasicAuthApi implements ICredentialType {
	name = 'cleverTapWebhookBasicAuthApi';

	displayName = 'CleverTap Webhook Basic Auth API';

	icon: Icon = {
		light: 'file:../nodes/CleverTap/clevertap.svg',
		dark: 'file:../nodes/CleverTap/clevertap.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-clevertap/n8n-nodes-clevertap#clevertap-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'The user name set in the webhook in CleverTap (Authentication: Basic)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The password set in the webhook in CleverTap, at least 12 characters',
		},
	];
}
