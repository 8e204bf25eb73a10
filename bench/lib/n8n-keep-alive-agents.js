'use strict';
/**
 * Preloaded into an n8n process (NODE_OPTIONS=--require=<this file>) by the bench's network part,
 * to measure the change proposed to n8n in bench/README.md before n8n makes it: n8n-core builds a
 * new http(s).Agent for every request (1.x: http-proxy.js createHttpsProxyAgent; 2.x:
 * @n8n/backend-network http/node-agents.js buildNodeAgents), so no connection is ever reused.
 * Here, every agent n8n builds directly with the same options is one shared agent with
 * `keepAlive: true`, the way n8n would keep one agent per host and set of options.
 *
 * In 2.x the per-request agent is a subclass that picks a proxy from the environment for each
 * request (EnvProxyHttpsAgent); it is shared the same way, one per class and options. Other
 * subclasses (agents for a given proxy) are built as before. Options that are functions (2.x's
 * SSRF `lookup`, off by default) do not take part in the key: the first agent's is kept.
 * Bench only.
 */
const http = require('node:http');
const https = require('node:https');

const SHARED_SUBCLASSES = new Set(['EnvProxyHttpAgent', 'EnvProxyHttpsAgent']);

function shareAgents(mod) {
	const agents = new Map();
	const Shared = new Proxy(mod.Agent, {
		construct(target, args, newTarget) {
			if (newTarget !== Shared && !SHARED_SUBCLASSES.has(newTarget.name))
				return Reflect.construct(target, args, newTarget);
			const options = args[0] ?? {};
			const key = `${newTarget.name} ${JSON.stringify(options, (k, v) => (typeof v === 'function' ? undefined : v))}`;
			let agent = agents.get(key);
			if (!agent) {
				agent = Reflect.construct(target, [{ ...options, keepAlive: true }], newTarget);
				agents.set(key, agent);
			}
			// From a subclass's super() call, this makes the shared agent the subclass's `this`.
			return agent;
		},
	});
	mod.Agent = Shared;
}

shareAgents(http);
shareAgents(https);
