import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import {
	callFingerprint,
	callItem,
	profileItem,
	readCall,
	seenBefore,
} from '../helpers/webhookCalls';
import {
	authProblem,
	BASIC_AUTH_CREDENTIAL,
	HEADER_AUTH_CREDENTIAL,
	type TriggerAuthentication,
} from './auth';

interface TriggerOptions {
	includeTestCalls?: boolean;
	splitProfiles?: boolean;
	ignoreRetries?: boolean;
}

/**
 * Calls this n8n process received lately, per trigger node. The node's static data alone is not
 * enough: n8n 2.x starts the workflow before it saves static data, and starting it clears the mark
 * that the data changed, so what a call that starts a workflow remembers there is lost.
 */
const recentCalls = new Map<string, IDataObject>();

/** Answers the call itself (n8n sends nothing more) with a status and a plain message. */
function answer(
	this: IWebhookFunctions,
	status: number,
	message: string,
	headers: Record<string, string> = {},
): IWebhookResponseData {
	const response = this.getResponseObject();
	response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
	response.end(JSON.stringify({ message }));
	return { noWebhookResponse: true };
}

/** The body as CleverTap sent it: parsed JSON, or the text when n8n did not parse it. */
function bodyOf(this: IWebhookFunctions): unknown {
	const request = this.getRequestObject() as unknown as { body?: unknown; rawBody?: Buffer };
	const { body, rawBody } = request;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	const empty =
		body === undefined ||
		(typeof body === 'object' && body !== null && Object.keys(body).length === 0);
	// n8n parses JSON and leaves other content types unparsed, with the bytes in rawBody.
	if (empty && Buffer.isBuffer(rawBody) && rawBody.length > 0) return rawBody.toString('utf8');
	return body ?? '';
}

/** The trigger's webhook: checks the caller, reads the call and starts the workflow, or says why not. */
export async function receiveCall(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const authentication = this.getNodeParameter('authentication', 'none') as TriggerAuthentication;
	if (authentication !== 'none') {
		const credentialType =
			authentication === 'basicAuth' ? BASIC_AUTH_CREDENTIAL : HEADER_AUTH_CREDENTIAL;
		let credential: IDataObject;
		try {
			credential = await this.getCredentials(credentialType);
		} catch {
			return answer.call(this, 500, 'The CleverTap Trigger has no credential to check calls with.');
		}
		const problem = authProblem(authentication, this.getHeaderData() as IDataObject, credential);
		if (problem !== null) {
			const challenge: Record<string, string> =
				authentication === 'basicAuth'
					? { 'www-authenticate': 'Basic realm="CleverTap Trigger"' }
					: {};
			return answer.call(this, 401, problem, challenge);
		}
	}

	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const body = bodyOf.call(this);
	const read = readCall(body);
	if ('problem' in read) return answer.call(this, 400, read.problem);
	const { call } = read;

	// Saving a webhook template in CleverTap sends a test call, and the template is saved only if
	// it is answered 200.
	if (call.isTest && options.includeTestCalls !== true) {
		return { webhookResponse: { message: 'Test call received; no workflow started.' } };
	}
	if (call.profiles.length === 0) {
		return { webhookResponse: { message: 'No profiles in this call; no workflow started.' } };
	}
	// CleverTap re-sends a call it got no answer to in 3 to 5 seconds. Remembered in this process,
	// and in the node's static data, which n8n 1.x saves after answering (so another process, or
	// n8n after a restart, knows the call too).
	if (options.ignoreRetries !== false) {
		const staticData = this.getWorkflowStaticData('node');
		const stored = (staticData.recentCalls ??= {}) as IDataObject;
		const node = this.getNode();
		const key = `${this.getWorkflow().id ?? ''}/${node.id ?? node.name}`;
		let remembered = recentCalls.get(key);
		if (remembered === undefined) recentCalls.set(key, (remembered = {}));
		const fingerprint = callFingerprint(body);
		const now = Date.now();
		// Both, so each remembers the call.
		const seenHere = seenBefore(remembered, fingerprint, now);
		const seenStored = seenBefore(stored, fingerprint, now);
		if (seenHere || seenStored) {
			return {
				webhookResponse: {
					message: 'The same call came in the last 10 minutes; no workflow started.',
				},
			};
		}
	}

	const items =
		options.splitProfiles === false
			? [{ json: callItem(call) }]
			: call.profiles.map((profile) => ({ json: profileItem(profile, call) }));
	return { workflowData: [items] };
}
