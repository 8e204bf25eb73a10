import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { secretProblem } from './trigger/secret';
import { receiveCall } from './trigger/webhook';

export class CleverTapTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CleverTap Trigger',
		name: 'cleverTapTrigger',
		icon: { light: 'file:clevertap.svg', dark: 'file:clevertap.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Campaign and journey webhooks',
		description:
			'Starts the workflow when a CleverTap campaign or journey calls its webhook with the people it reaches',
		documentationUrl:
			'https://github.com/n8n-nodes-clevertap/n8n-nodes-clevertap#clevertap-trigger',
		defaults: { name: 'CleverTap Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Literal names: n8n's scan reads them from this file to find which node tests each credential.
		credentials: [
			{
				name: 'cleverTapWebhookBasicAuthApi',
				required: true,
				testedBy: 'webhookSecret',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
			{
				name: 'cleverTapWebhookHeaderAuthApi',
				required: true,
				testedBy: 'webhookSecret',
				displayOptions: { show: { authentication: ['headerAuth'] } },
			},
		],
		// n8n's own words here speak of "events", which in CleverTap means what people do.
		triggerPanel: {
			header: 'Waiting for a call from a CleverTap campaign or journey',
			executionsHelp: {
				inactive:
					"While you build the workflow, listen here and send a call to the Test URL: CleverTap's own test call starts nothing unless Include Test Calls is on. Once the workflow is active, each call CleverTap sends to the Production URL starts it.",
				active:
					'The workflow is active: each call CleverTap sends to the Production URL starts it, except its test call and its retries. The runs are in the Executions list.',
			},
		},
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Answered 200 before the workflow runs: CleverTap gives up after 3 to 5 seconds and
				// sends the call again.
				responseMode: 'onReceived',
				// Empty, not left out: n8n would answer with the text "firstEntryJson". Empty, it answers
				// {"message":"Workflow was started"}.
				responseData: '',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'In CleverTap, open Settings → Channels → Webhooks and create a webhook: the Production URL (open Webhook URLs above and choose Production URL), method POST, format JSON, and the body "Profile variables & custom key value pairs". Activate this workflow first (Publish, in n8n 2): CleverTap saves the webhook only once its test call is answered. Then use the webhook in a campaign or a journey.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Basic Auth', value: 'basicAuth' },
					{ name: 'Header Auth', value: 'headerAuth' },
				],
				default: 'none',
				description:
					'How CleverTap proves a call is its own: the same user name and password, or the same header, set in the webhook in CleverTap. Calls without them are answered 401 and start nothing.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Ignore Retries',
						name: 'ignoreRetries',
						type: 'boolean',
						default: true,
						description:
							'Whether a call identical to one received in the last 10 minutes starts nothing. CleverTap sends a call again when the answer is slow.',
					},
					{
						displayName: 'Include Test Calls',
						name: 'includeTestCalls',
						type: 'boolean',
						default: false,
						description:
							'Whether the test call CleverTap sends when a webhook is saved starts the workflow. Either way it is answered 200, so CleverTap saves the webhook.',
					},
					{
						displayName: 'Split Profiles',
						name: 'splitProfiles',
						type: 'boolean',
						default: true,
						description:
							'Whether each profile in a call becomes its own item. Off: one item per call, with the profiles in a list.',
					},
				],
			},
		],
	};

	// CleverTap has no API to register a webhook: the user pastes the URL into CleverTap, so there
	// is nothing to create or delete there when the workflow is activated or deactivated.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	methods = {
		credentialTest: {
			async webhookSecret(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = secretProblem(credential.type, credential.data ?? {});
				return problem === null
					? { status: 'OK', message: 'The secret is long enough to guard the webhook.' }
					: { status: 'Error', message: problem };
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCall.call(this);
	}
}
