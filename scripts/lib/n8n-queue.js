'use strict';
/**
 * n8n's queue mode as a team runs it, on this machine: Redis and PostgreSQL (scripts/lib/services),
 * one user folder with the packed package, credentials and workflows, then one main and N workers
 * (scripts/lib/n8n-server) sharing the database, the queue and the encryption key.
 *
 *   const cluster = await startQueueMode({ major: 2, tarball, credentials, workflows, workDir });
 *   await cluster.server.activateWorkflow(id); ... cluster.redis.restart() ...
 *   await cluster.stop();
 */

const crypto = require('node:crypto');
const path = require('node:path');

const { ensureN8n, createN8nInstance } = require('./n8n-harness');
const { startN8nServer } = require('./n8n-server');
const { startRedis, startPostgres } = require('./services');
const { cleverTapNode } = require('./workflows');

/**
 * Webhook (POST, production URL) → Split Out the body's `contacts` → CleverTap Demerge with the
 * error output wired. The Webhook answers as soon as the execution is queued ('onReceived'): the
 * CRM calling it must not wait the minutes a large demerge takes, and would send again on a timeout.
 */
function webhookDemergeWorkflow({
	id,
	name,
	webhookPath,
	credential,
	identities = '={{ $json.email }}',
}) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-wh`,
				name: 'CRM webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: `${id}-so`,
				name: 'Contacts',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [240, 0],
				parameters: { fieldToSplitOut: 'body.contacts', options: {} },
			},
			cleverTapNode({ id, credential, identities, onError: 'continueErrorOutput' }),
		],
		connections: {
			'CRM webhook': { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: 'CleverTap', type: 'main', index: 0 }]] },
		},
	};
}

/** The CleverTap Trigger's header credential: the header CleverTap's webhook sends, and its value. */
function webhookHeaderCredential({ id, name, header, value }) {
	return { id, name, type: 'cleverTapWebhookHeaderAuthApi', data: { name: header, value } };
}

/**
 * CleverTap Trigger (a campaign's webhook, checked with a header credential, one item per profile)
 * → CleverTap Demerge of each profile's identity, with the error output wired. The trigger's
 * production URL is /webhook/<webhookId>/webhook; it answers 200 as soon as the execution is queued.
 */
function triggerDemergeWorkflow({
	id,
	name,
	headerCredential,
	credential,
	webhookId = crypto.randomUUID(),
	identities = '={{ $json.identity }}',
}) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-tr`,
				name: 'CleverTap Trigger',
				type: 'n8n-nodes-clevertap.cleverTapTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { authentication: 'headerAuth', options: {} },
				credentials: {
					cleverTapWebhookHeaderAuthApi: { id: headerCredential.id, name: headerCredential.name },
				},
			},
			cleverTapNode({ id, credential, identities, onError: 'continueErrorOutput' }),
		],
		connections: {
			'CleverTap Trigger': { main: [[{ node: 'CleverTap', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Starts Redis, PostgreSQL and n8n `major` in queue mode with `workers` workers, the package from
 * `tarball` installed and `credentials`/`workflows` imported; `stop()` ends everything it started.
 */
async function startQueueMode({
	major,
	tarball,
	credentials = [],
	workflows = [],
	workers = 2,
	workerConcurrency,
	env = {},
	workDir,
	log = () => {},
}) {
	const started = [];
	const stop = async () => {
		for (const service of started.reverse()) await service.stop().catch(() => {});
	};
	try {
		const n8n = await ensureN8n(major, { log });
		const redis = await startRedis({ log });
		started.push(redis);
		const postgres = await startPostgres({ log });
		started.push(postgres);
		// The CLI imports write to the same PostgreSQL the processes use (and run its migrations).
		const instance = createN8nInstance({
			n8n,
			userFolder: path.join(workDir, `n8n-${major}-queue`),
			env: { ...postgres.env, ...env },
		});
		await instance.installPackage(tarball);
		if (credentials.length) await instance.importCredentials(credentials);
		if (workflows.length) await instance.importWorkflow(workflows);
		const server = await startN8nServer({
			instance,
			queue: { redis, postgres },
			workers,
			workerConcurrency,
			log,
		});
		started.push(server);
		return { n8n, instance, redis, postgres, server, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = {
	startQueueMode,
	webhookDemergeWorkflow,
	triggerDemergeWorkflow,
	webhookHeaderCredential,
};
