#!/usr/bin/env node
'use strict';
/**
 * Smoke test of scripts/lib/n8n-harness.js against both n8n majors:
 *   node scripts/lib/n8n-harness.smoke.js [1|2 ...]
 * Builds a tiny community package (n8n-nodes-dummy) in a temp dir, packs it, installs it into a
 * fresh n8n user folder, imports a credential and three workflows and executes them:
 *   ok     Manual Trigger -> Set -> Split Out -> Dummy          (3 items, expression + credential)
 *   fail   same, Dummy throws on one item                       (exit 1, error in JSON)
 *   errout same, Dummy with onError=continueErrorOutput         (items on output 0 and 1)
 * Prints timings; exits non-zero on any failed assertion. Temp dirs are removed at the end
 * unless KEEP_SMOKE_TMP=1 (then result-<major>.json there holds the raw --rawOutput examples).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { ensureN8n, createN8nInstance } = require('./n8n-harness');

const log = (...a) => console.error('[smoke]', ...a);

// ---------------------------------------------------------------- dummy community package ----

const DUMMY_NODE = `'use strict';
// Resolved from n8n's own node_modules: the package only has a peer dependency on it.
const { NodeOperationError } = require('n8n-workflow');

class Dummy {
  constructor() {
    this.description = {
      displayName: 'Dummy',
      name: 'dummy',
      group: ['transform'],
      version: 1,
      description: 'Smoke-test node',
      defaults: { name: 'Dummy' },
      inputs: ['main'],
      outputs: ['main'],
      credentials: [{ name: 'dummyApi', required: true }],
      properties: [
        { displayName: 'Value', name: 'value', type: 'string', default: '' },
        { displayName: 'Fail On', name: 'failOn', type: 'string', default: '' },
      ],
    };
  }

  async execute() {
    const items = this.getInputData();
    const creds = await this.getCredentials('dummyApi');
    const out = [];
    for (let i = 0; i < items.length; i++) {
      const got = this.getNodeParameter('value', i);
      const failOn = this.getNodeParameter('failOn', i);
      try {
        if (failOn && got === failOn) {
          throw new NodeOperationError(this.getNode(), 'Dummy failed on ' + got, { itemIndex: i, description: 'dummy description' });
        }
        out.push({ json: { ok: true, got, apiKey: creds.apiKey }, pairedItem: { item: i } });
      } catch (error) {
        if (this.continueOnFail()) {
          out.push({ json: { error: error.message }, pairedItem: { item: i } });
          continue;
        }
        throw error;
      }
    }
    return [out];
  }
}
module.exports = { Dummy };
`;

const DUMMY_CRED = `'use strict';
class DummyApi {
  constructor() {
    this.name = 'dummyApi';
    this.displayName = 'Dummy API';
    this.properties = [
      { displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
    ];
    this.authenticate = { type: 'generic', properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } } };
  }
}
module.exports = { DummyApi };
`;

function makeDummyPackage(root) {
	const pkgDir = path.join(root, 'n8n-nodes-dummy');
	fs.mkdirSync(path.join(pkgDir, 'dist'), { recursive: true });
	fs.writeFileSync(
		path.join(pkgDir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-nodes-dummy',
				version: '0.0.1',
				keywords: ['n8n-community-node-package'],
				license: 'MIT',
				main: 'index.js',
				files: ['dist', 'index.js'],
				n8n: {
					n8nNodesApiVersion: 1,
					nodes: ['dist/Dummy.node.js'],
					credentials: ['dist/DummyApi.credentials.js'],
				},
				peerDependencies: { 'n8n-workflow': '*' },
			},
			null,
			2,
		),
	);
	fs.writeFileSync(path.join(pkgDir, 'index.js'), 'module.exports = {};\n');
	fs.writeFileSync(path.join(pkgDir, 'dist', 'Dummy.node.js'), DUMMY_NODE);
	fs.writeFileSync(path.join(pkgDir, 'dist', 'DummyApi.credentials.js'), DUMMY_CRED);
	const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', root], {
		cwd: pkgDir,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop();
	return path.join(root, tgz);
}

// ---------------------------------------------------------------- workflows -----------------

const CRED = {
	id: 'smokeDummyCred01',
	name: 'Dummy account',
	type: 'dummyApi',
	data: { apiKey: 'secret-123' },
};

function workflow(id, name, { failOn = '', onError } = {}) {
	const dummy = {
		id: 'dddddddd-0000-4000-8000-000000000004',
		name: 'Dummy',
		type: 'n8n-nodes-dummy.dummy',
		typeVersion: 1,
		position: [660, 0],
		parameters: { value: '={{ $json.x }}', failOn },
		credentials: { dummyApi: { id: CRED.id, name: CRED.name } },
	};
	if (onError) dummy.onError = onError;
	return {
		id,
		name,
		nodes: [
			{
				id: 'dddddddd-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'dddddddd-0000-4000-8000-000000000002',
				name: 'Items',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					mode: 'raw',
					jsonOutput: '{ "list": [ { "x": "a" }, { "x": "b" }, { "x": "c" } ] }',
					options: {},
				},
			},
			{
				id: 'dddddddd-0000-4000-8000-000000000003',
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'list', options: {} },
			},
			dummy,
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'Dummy', type: 'main', index: 0 }]] },
		},
	};
}

// ---------------------------------------------------------------- run -----------------------

const jsonOf = (runData, node, output = 0) =>
	(runData[node][0].data.main[output] || []).map((i) => i.json);

async function smoke(major, tmpRoot, tarball) {
	const t0 = Date.now();
	const n8n = await ensureN8n(major, { log });
	log(`n8n ${n8n.version} ready (${Date.now() - t0} ms) at ${n8n.dir}`);
	const inst = createN8nInstance({ n8n, userFolder: path.join(tmpRoot, `user-${major}`) });
	const timing = { major, version: n8n.version };

	let t = Date.now();
	const installed = await inst.installPackage(tarball);
	timing.installPackageMs = Date.now() - t;
	assert.equal(installed.name, 'n8n-nodes-dummy');
	assert.ok(
		!fs.existsSync(path.join(installed.nodesDir, 'node_modules', 'n8n-workflow')) &&
			!fs.existsSync(path.join(installed.dir, 'node_modules', 'n8n-workflow')),
		'peer n8n-workflow must not be installed',
	);

	t = Date.now();
	await inst.importCredentials([CRED]);
	timing.importCredentialsMs = Date.now() - t;
	t = Date.now();
	await inst.importWorkflow(workflow('smokeWorkflowOk1', 'smoke ok'));
	timing.importWorkflowMs = Date.now() - t;
	await inst.importWorkflow(workflow('smokeWorkflowBad', 'smoke fail', { failOn: 'b' }));
	await inst.importWorkflow(
		workflow('smokeWorkflowErr', 'smoke error output', {
			failOn: 'b',
			onError: 'continueErrorOutput',
		}),
	);

	// 1. success
	const ok = await inst.execute('smokeWorkflowOk1');
	timing.executeOkMs = ok.durationMs;
	const dump = (r) =>
		`exit ${r.code}\nSTDOUT:\n${r.stdout.slice(0, 4000)}\nSTDERR:\n${r.stderr.slice(0, 4000)}`;
	assert.equal(ok.code, 0, dump(ok));
	assert.ok(ok.json, 'no JSON parsed\n' + dump(ok));
	const runData = ok.json.data.resultData.runData;
	assert.deepEqual(jsonOf(runData, 'Dummy'), [
		{ ok: true, got: 'a', apiKey: 'secret-123' },
		{ ok: true, got: 'b', apiKey: 'secret-123' },
		{ ok: true, got: 'c', apiKey: 'secret-123' },
	]);
	assert.equal(ok.json.data.resultData.error, undefined);

	// 2. node throws -> exit 1, still parseable, error message present
	const bad = await inst.execute('smokeWorkflowBad');
	timing.executeFailMs = bad.durationMs;
	assert.equal(bad.code, 1, dump(bad));
	assert.ok(bad.json, 'no JSON parsed for failing run\n' + dump(bad));
	const err = bad.json.data.resultData.error;
	assert.ok(
		err && /Dummy failed on b/.test(err.message),
		'error message missing: ' + JSON.stringify(err),
	);
	assert.equal(bad.json.data.resultData.lastNodeExecuted, 'Dummy');
	const badRun = bad.json.data.resultData.runData.Dummy[0];
	assert.ok(badRun.error && /Dummy failed on b/.test(badRun.error.message));

	// 3. onError=continueErrorOutput -> good items on output 0, failed ones on output 1
	const eo = await inst.execute('smokeWorkflowErr');
	timing.executeErrorOutputMs = eo.durationMs;
	assert.equal(eo.code, 0, dump(eo));
	const eoRun = eo.json.data.resultData.runData;
	assert.deepEqual(
		jsonOf(eoRun, 'Dummy', 0).map((j) => j.got),
		['a', 'c'],
	);
	const errItems = jsonOf(eoRun, 'Dummy', 1);
	assert.equal(errItems.length, 1);
	assert.match(String(errItems[0].error), /Dummy failed on b/);

	for (const [k, r] of [
		['ok', ok],
		['fail', bad],
		['errorOutput', eo],
	]) {
		timing[`peakRssKb_${k}`] = r.peakRssKb;
		if (r.crashedAfterOutput) timing[`crashedAfterOutput_${k}`] = r.signal; // see execute() in the harness
	}

	// Examples of the output shapes, for reading with KEEP_SMOKE_TMP=1 (removed with tmpRoot otherwise).
	const examples = {
		ok: ok.json,
		fail: {
			resultDataError: trimError(err),
			runDataDummy0: { ...badRun, error: trimError(badRun.error) },
		},
		errorOutput: eoRun.Dummy[0].data.main,
	};
	fs.writeFileSync(
		path.join(tmpRoot, `result-${major}.json`),
		JSON.stringify({ timing, examples }, null, 2),
	);
	return timing;
}

function trimError(e) {
	if (!e) return e;
	const { stack, ...rest } = e;
	return { ...rest, stack: stack ? String(stack).split('\n')[0] + ' ...' : undefined };
}

async function main() {
	const majors = process.argv.slice(2).map(Number);
	const list = majors.length ? majors : [1, 2];
	const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-harness-smoke-'));
	const results = [];
	let failed = false;
	try {
		const tarball = makeDummyPackage(tmpRoot);
		log('packed', tarball);
		for (const major of list) {
			try {
				const timing = await smoke(major, tmpRoot, tarball);
				log(`n8n ${major}: PASS`, JSON.stringify(timing));
				results.push(timing);
			} catch (e) {
				failed = true;
				log(`n8n ${major}: FAIL`, e && e.stack ? e.stack : e);
			}
		}
	} finally {
		if (!process.env.KEEP_SMOKE_TMP) fs.rmSync(tmpRoot, { recursive: true, force: true });
		else log('kept', tmpRoot);
	}
	console.log(JSON.stringify(results, null, 2));
	process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
	console.error(e);
	process.exitCode = 1;
});
