'use strict';
/**
 * Test-only node, installed beside the packed package in a real n8n: for each scenario it sends the
 * request exactly as the CleverTap node's transport builds it (required from the installed package)
 * through n8n's `httpRequestWithAuthentication`, and outputs what n8n handed back or threw, as data.
 * The real-n8n suite records that as the fixture the transport's error recognition is tested with.
 */
const transport = require('n8n-nodes-clevertap/dist/nodes/CleverTap/transport');

// Request objects (they hold the headers), the node (its parameters change per run) and stacks.
const SKIPPED = new Set([
	'stack',
	'config',
	'request',
	'response',
	'socket',
	'agent',
	'options',
	'node',
]);

/** Own properties of an error (enumerable or not), to a small depth, without request objects. */
function describeError(value, depth = 0) {
	if (value === null || typeof value !== 'object') return value;
	if (depth > 3) return '[deep]';
	if (Array.isArray(value))
		return value.slice(0, 5).map((entry) => describeError(entry, depth + 1));
	const described = { '@constructor': value.constructor ? value.constructor.name : null };
	for (const key of Object.getOwnPropertyNames(value).sort()) {
		if (key === 'cause' || typeof value[key] === 'function') continue;
		if (SKIPPED.has(key)) {
			described[key] = value[key] === undefined ? undefined : '[omitted]';
			continue;
		}
		described[key] = describeError(value[key], depth + 1);
	}
	if ('cause' in value) described.cause = describeError(value.cause, depth + 1);
	return described;
}

class ErrorProbe {
	constructor() {
		this.description = {
			displayName: 'CleverTap Error Probe',
			name: 'cleverTapErrorProbe',
			group: ['transform'],
			version: 1,
			description: 'Test-only',
			defaults: { name: 'Error Probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'cleverTapApi', required: true }],
			properties: [{ displayName: 'Scenarios', name: 'scenarios', type: 'json', default: '[]' }],
		};
	}

	async execute() {
		const scenarios = JSON.parse(this.getNodeParameter('scenarios', 0));
		const connection = await transport.getConnection.call(this);
		const output = [];
		for (const scenario of scenarios) {
			const target = { baseUrl: scenario.baseUrl || connection.baseUrl };
			const options = transport.buildRequestOptions(target, scenario.request, scenario.timeoutMs);
			let json;
			try {
				const response = await this.helpers.httpRequestWithAuthentication.call(
					this,
					'cleverTapApi',
					options,
					{ credentialsDecrypted: connection.credentials },
				);
				json = { name: scenario.name, threw: false, statusCode: response.statusCode };
			} catch (error) {
				json = { name: scenario.name, threw: true, error: describeError(error) };
			}
			output.push({ json, pairedItem: { item: 0 } });
		}
		return [output];
	}
}

module.exports = { ErrorProbe };
