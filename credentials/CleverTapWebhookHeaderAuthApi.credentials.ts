import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

// The fields of n8n's own Header Auth credential. n8n's verification scan refuses a community node
// that uses a credential type from outside its package, so the trigger brings its own.
export class CleverTapWebhookHeaderAuthApi implements ICredentialType {
	name = 'cleverTapWebhookHeaderAuthApi';

	displayName = 'CleverTap Webhook Header Auth API';

	icon: Icon = {
		light: 'file:../nodes/CleverTap/clevertap.svg',
		dark: 'file:../nodes/CleverTap/clevertap.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-clevertap/n8n-nodes-clevertap#clevertap-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'X-Webhook-Secret',
			description: 'The header added to the webhook in CleverTap (Custom headers)',
		},
		{
			displayName: 'Value',
			name: 'value',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The header's value set in CleverTap, at least 12 characters",
		},
	];
}
