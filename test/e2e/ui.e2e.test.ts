/**
 * n8n's editor in a real browser (headless Chromium), as a user meets the package: the demo
 * started with the quick start's own commands (docs/quick-start.md: `npm start -- --ui` for
 * n8n 1.x, `npm start -- --major 2 --ui` for 2.x), then the nodes panel (the node's operations and
 * its trigger), the node's panel and its Docs link, the CleverTap Trigger's panel with its
 * Production URL (and the trigger kept out of AI agents' tools), the credential dialog's test, a
 * run from the editor with both outputs, Dry Run, a wrong passcode under "Continue (using error
 * output)", the clean-up example, and the dark theme.
 *
 * Expected words come from the built package (dist/): its descriptions, and what the built node
 * itself makes of the example's contacts when run outside n8n (its messages and editor hints), so
 * the node's wording can change without touching this file. n8n's own words ("Connection tested
 * successfully") are those of the pinned n8n versions.
 *
 * A step that changes the example (an option, the credential) puts it back through n8n's REST API
 * when it ends, passing or not, so no step depends on another's leftovers.
 *
 * Screenshots go to $CLEVERTAP_UI_SCREENSHOTS/n8n-<major>/ (`npm run docs:screenshots` copies
 * them to docs/), else to a temp dir that is removed after a passing run and kept, and printed,
 * after a failing one. $CLEVERTAP_UI_MAJORS (e.g. "2") limits the majors.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import {
	mockExecuteContext,
	type FakeResponse,
	type RecordedRequest,
} from '../support/mockExecuteContext';

const { launchChromium } = require('../../scripts/lib/browser');
const { createOwner, rest: editorRest } = require('../../scripts/lib/n8n-editor');
const { npmEnv, freePort } = require('../../scripts/lib/n8n-harness');
const { CLEANUP, EXAMPLE, exampleContacts } = require('../../scripts/lib/workflows');

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** What a reader is shown: the README and the pages under docs/ (the quick start is one). */
const SHOWN = [
	README,
	...fs
		.readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => fs.readFileSync(path.join(ROOT, 'docs', name), 'utf8')),
].join('\n');

type Contact = { id: string; name: string; email?: string };
type Json = Record<string, unknown>;
type Property = {
	name: string;
	displayName: string;
	type: string;
	displayOptions?: { show?: Record<string, unknown[]> };
	options?: Array<{ name: string; value: unknown; action?: string }>;
};

const MAJORS = [
	{ major: 1, demo: 'npm start -- --ui' },
	{ major: 2, demo: 'npm start -- --major 2 --ui', plain: 'npm start -- --major 2' },
].filter(({ major }) =>
	(process.env.CLEVERTAP_UI_MAJORS ?? '1,2').split(',').includes(String(major)),
);

const keepScreenshots = Boolean(process.env.CLEVERTAP_UI_SCREENSHOTS);
let screenshotRoot: string;
let playground: string;
let browser: Browser;
let built: ReturnType<typeof builtPackage>;
let failed = false;

/** A command the README or a docs page shows, run as written by sh, in its own process group. */
function runCommand(command: string, env: Record<string, string>) {
	expect(SHOWN).toContain(command);
	const child = spawn('sh', ['-c', command], {
		cwd: ROOT,
		env: npmEnv({ N8N_NODES_CLEVERTAP_PLAYGROUND: playground, ...env }),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
	return { child, exited, output: () => output };
}

/** Ends a command's whole process group (npm, start.js, n8n) and waits until it is gone. */
async function stopGroup(child: ChildProcess) {
	const alive = () => {
		try {
			process.kill(-child.pid!, 0);
			return true;
		} catch {
			return false;
		}
	};
	if (!alive()) return;
	process.kill(-child.pid!, 'SIGTERM');
	const deadline = Date.now() + 20_000;
	while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
	if (alive()) process.kill(-child.pid!, 'SIGKILL');
}

/** The node and credential as the built package describes them (what n8n shows). */
function builtPackage() {
	const { CleverTap } = require(path.join(ROOT, 'dist/nodes/CleverTap/CleverTap.node.js'));
	const { CleverTapApi, CREDENTIAL_REJECTED_HINT } = require(
		path.join(ROOT, 'dist/credentials/CleverTapApi.credentials.js'),
	);
	const node = new CleverTap().description as {
		displayName: string;
		properties: Property[];
	};
	const { CleverTapTrigger } = require(
		path.join(ROOT, 'dist/nodes/CleverTap/CleverTapTrigger.node.js'),
	);
	const trigger = new CleverTapTrigger().description as {
		name: string;
		displayName: string;
		description: string;
		documentationUrl: string;
		usableAsTool?: boolean;
		properties: Array<{
			name: string;
			displayName: string;
			type: string;
			default?: unknown;
			// An options parameter's choices have a name; a collection's options a displayName.
			options?: Array<{ name?: string; displayName?: string; value?: unknown }>;
		}>;
	};
	const credential = new CleverTapApi();
	const rules = credential.test.rules as Array<{ properties: { value: unknown; message: string } }>;
	return {
		node,
		// Every resource's operations: the nodes panel lists them all.
		operations: node.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => p.options ?? []),
		docsUrl: (node as { documentationUrl?: string }).documentationUrl!,
		credentialName: credential.displayName as string,
		credentialDocsUrl: credential.documentationUrl as string,
		rejected: rules.find((rule) => rule.properties.value === 401)!.properties.message,
		credentialHint: CREDENTIAL_REJECTED_HINT as string,
		trigger,
		/** The trigger's notice (where to paste the URL in CleverTap), as its panel shows it. */
		triggerNotice: trigger.properties.find((p) => p.type === 'notice')!.displayName,
		/** Authentication's choices, and the option n8n shows for its default. */
		triggerAuthentication: trigger.properties.find((p) => p.name === 'authentication')!,
		/** The names under the trigger's "Add option". */
		triggerOptions: trigger.properties
			.find((p) => p.name === 'options')!
			.options!.map((option) => option.displayName!),
	};
}

/**
 * What the built node makes of `contacts` outside n8n, as the example's node is set up (Identities
 * `{{ $json.email }}`, continue-on-fail): its success and error items and its editor hints. CleverTap
 * answers through `respond`; by default every request succeeds.
 */
async function nodeRun(
	contacts: Contact[],
	{
		options = {},
		credentials = { accountId: EXAMPLE.accountId, passcode: EXAMPLE.passcode },
		baseUrl = 'http://127.0.0.1:9',
		respond,
	}: {
		options?: IDataObject;
		credentials?: { accountId: string; passcode: string };
		baseUrl?: string;
		respond?: (request: RecordedRequest) => Promise<FakeResponse>;
	} = {},
) {
	const { CleverTap } = require(path.join(ROOT, 'dist/nodes/CleverTap/CleverTap.node.js'));
	const mock = mockExecuteContext({
		items: contacts,
		identities: '={{ $json.email }}',
		evaluate: (_name, item) => item.email,
		options,
		continueOnFail: true,
		credentials: { ...credentials, region: 'custom', baseUrl },
		respond,
	});
	const [items] = (await new CleverTap().execute.call(mock.context)) as Array<
		Array<{ json: Json }>
	>;
	return {
		success: items.filter((item) => !('error' in item.json)).map((item) => item.json),
		errors: items.filter((item) => 'error' in item.json).map((item) => String(item.json.error)),
		hints: mock.hints,
	};
}

/** The parameters the node's panel shows for Profile → Demerge (n8n renders HTML in notices). */
function shownParameters(
	properties: Property[],
	current: Record<string, unknown> = { resource: 'profile', operation: 'demerge' },
) {
	return properties
		.filter((p) =>
			Object.entries(p.displayOptions?.show ?? {}).every(([key, values]) =>
				values.includes(current[key]),
			),
		)
		.map((p) => p.displayName.replace(/<[^>]+>/g, ''));
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

beforeAll(async () => {
	screenshotRoot =
		process.env.CLEVERTAP_UI_SCREENSHOTS ??
		fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-ui-screenshots-'));
	playground = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-ui-playground-'));
	// `npm test` built dist/ already; alone, build once here instead of in every `npm start`.
	if (process.env.N8N_NODES_CLEVERTAP_BUILT !== '1') {
		const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
		if (build.status !== 0)
			throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
		process.env.N8N_NODES_CLEVERTAP_BUILT = '1';
	}
	built = builtPackage();
	browser = await launchChromium();
}, 300_000);

afterAll(async () => {
	await browser?.close();
	fs.rmSync(playground, { recursive: true, force: true });
	if (failed) console.error(`Screenshots of the editor tests: ${screenshotRoot}`);
	else if (!keepScreenshots) fs.rmSync(screenshotRoot, { recursive: true, force: true });
});

describe.each(MAJORS)('n8n $major.x in the browser', ({ major, demo, plain }) => {
	const contacts: Contact[] = exampleContacts();
	const failing = contacts.filter((contact) => !contact.email?.trim());
	const shots = () => path.join(screenshotRoot, `n8n-${major}`);
	let demoRun: ReturnType<typeof runCommand>;
	let plainRun: { code: number | null; output: string };
	let url: string;
	let simulatorUrl: string;
	let cookie: string;
	let context: BrowserContext;
	let page: Page;
	let started: number;
	/** The example workflow as `npm start` imported it, to put back after a step changed it. */
	let imported: { nodes: Json[]; connections: Json };
	/** The credential with a wrong passcode the setup-problem step makes, until it is removed. */
	let wrongCredential: Json | undefined;
	/** The Docs link in the node's panel, read by the parameters step. */
	let docsHref: string | null = null;

	const shot = async (name: string) => {
		// Off the panels: a hovered output row also changes the expression preview.
		await page.mouse.move(640, 5);
		// Let opening dialogs and fades finish (Playwright's `animations: 'disabled'` leaves some
		// of n8n's buttons blank); spinners run forever and do not count.
		await page
			.waitForFunction(
				"document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
				undefined,
				{ timeout: 5_000 },
			)
			.catch(() => undefined);
		await page.screenshot({
			path: path.join(shots(), `${name}.png`),
			caret: 'hide',
			// Toasts ("Credential saved") cover what the picture is about.
			style: '.el-notification { display: none !important; }',
		});
	};

	/**
	 * Runs a step, then `putBack` (passing or not); when the step fails, says where the screenshots
	 * are and what the page showed before it was put back.
	 */
	async function step(name: string, action: () => Promise<void>, putBack?: () => Promise<void>) {
		try {
			await action();
		} catch (error) {
			failed = true;
			const text = await page
				.locator('body')
				.innerText({ timeout: 5_000 })
				.catch((e) => `(no text: ${e.message})`);
			await shot(`FAILED-${name}`).catch(() => undefined);
			await putBack?.().catch((e) => console.error(`Putting back after "${name}": ${e.message}`));
			throw new Error(
				`${error.message}\n\nScreenshots: ${shots()}\nThe page's visible text at "${name}":\n${squash(text).slice(0, 4000)}`,
			);
		}
		await putBack?.();
	}

	/** A jest test whose failure says where the screenshots are and what the page showed. */
	const check = (
		title: string,
		name: string,
		action: () => Promise<void>,
		{ timeoutMs = 120_000, putBack }: { timeoutMs?: number; putBack?: () => Promise<void> } = {},
	) => test(title, () => step(name, action, putBack), timeoutMs);

	const openExample = async () => {
		await page.goto(`${url}/workflow/${EXAMPLE.workflowId}`);
		await page.getByTestId('canvas-node').first().waitFor();
	};
	const canvasNode = (name: string) => page.getByTestId('canvas-node').filter({ hasText: name });
	const cleverTapNode = () => canvasNode('CleverTap');
	const openNode = async (name: string) => {
		await canvasNode(name).dblclick();
		// The panel opens under the pointer: a hovered output row would change the previews.
		await page.mouse.move(640, 5);
		await page.getByTestId('ndv').waitFor();
	};
	const openCleverTapNode = () => openNode('CleverTap');
	/** The output panel's view of a run: 'schema' shows one item's fields with their whole values. */
	const outputView = (view: 'schema' | 'table') =>
		page.getByTestId('output-panel').getByTestId(`radio-button-${view}`).click();

	/** n8n's REST API as the editor calls it, logged in as the owner; returns `data`. */
	const rest = (method: string, route: string, body?: unknown): Promise<Json> =>
		editorRest(url, cookie, method, route, body);

	/**
	 * Leaves the editor and puts the example workflow back as it was imported (n8n 2.x saves edits
	 * by itself). Leaving first ends 2.x's edit lock on it, which would otherwise make the next
	 * visit read-only for two minutes; 1.x's "unsaved changes" prompt is accepted on the way out.
	 */
	async function putBackExample() {
		await page.goto('about:blank');
		const route = `/workflows/${EXAMPLE.workflowId}`;
		const current = await rest('GET', route);
		if (JSON.stringify(current.nodes) !== JSON.stringify(imported.nodes))
			await rest('PATCH', route, { ...imported, versionId: current.versionId });
		expect((await rest('GET', route)).nodes).toEqual(imported.nodes);
	}

	/** The CleverTap node's Options → `name` switched on, as a user adds it in the node's panel. */
	async function switchOnOption(displayName: string, name: string) {
		const parameters = page.getByTestId('node-parameters');
		await parameters.getByPlaceholder('Add option').click();
		await page.getByRole('option', { name: displayName, exact: true }).click();
		const input = parameters.getByTestId(`parameter-input-${name}`);
		// The switch's own checkbox is hidden behind its picture; a click on the input flips it.
		await input.click();
		await expect(input.getByRole('switch').getAttribute('aria-checked')).resolves.toBe('true');
	}

	beforeAll(async () => {
		started = Date.now();
		fs.mkdirSync(shots(), { recursive: true });
		if (plain) {
			// Before the editor: both use the same n8n user folder, as for a user, and the plain
			// run's simulator stops when it does.
			const run = runCommand(plain, {});
			plainRun = { code: await run.exited, output: run.output() };
			await stopGroup(run.child);
		}
		const port = await freePort();
		demoRun = runCommand(demo, { N8N_PORT: String(port) });
		const ready = /is ready: open (http:\/\/localhost:\d+)/;
		await new Promise<void>((resolve, reject) => {
			const check = setInterval(() => {
				if (ready.test(demoRun.output())) {
					clearInterval(check);
					resolve();
				}
			}, 250);
			demoRun.exited.then((code) => {
				clearInterval(check);
				reject(
					new Error(`\`${demo}\` exited (${code}) before n8n was ready:\n${demoRun.output()}`),
				);
			});
		});
		url = ready.exec(demoRun.output())![1];
		simulatorUrl = /simulator keeps answering at (http:\/\/[\d.]+:\d+)/.exec(demoRun.output())![1];
		cookie = await createOwner(url);
		const example = await rest('GET', `/workflows/${EXAMPLE.workflowId}`);
		imported = { nodes: example.nodes as Json[], connections: example.connections as Json };
		context = await browser.newContext({
			viewport: { width: 1280, height: 800 },
			colorScheme: 'light',
		});
		const [name, ...value] = cookie.split('=');
		await context.addCookies([{ name, value: value.join('='), url }]);
		page = await context.newPage();
		// Leaving a changed workflow: n8n asks whether to leave; the step puts it back itself.
		page.on('dialog', (dialog) =>
			dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss(),
		);
		// Shared machines are slow at times; no step here waits without a condition.
		page.setDefaultTimeout(60_000);
	}, 45 * 60_000);

	afterAll(async () => {
		await context?.close();
		if (demoRun) await stopGroup(demoRun.child);
		console.log(`n8n ${major}.x editor tests: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	});

	test(`\`${demo}\` ran the example before opening the editor`, () => {
		const output = demoRun.output();
		expect(output).toMatch(new RegExp(`Contacts in\\s+${contacts.length}\\b`));
		expect(output).toMatch(new RegExp(`Contacts failed\\s+${failing.length}\\b`));
		expect(output).toContain(CLEANUP.workflowName);
		expect(output).toMatch(new RegExp(`n8n ${major}\\.\\d+\\.\\d+ is ready`));
	});

	if (plain)
		test(`\`${plain}\` ran the example in n8n ${major}.x and stopped`, () => {
			expect(plainRun).toMatchObject({ code: 0 });
			expect(plainRun.output).toMatch(new RegExp(`Running it in n8n ${major}\\.\\d+\\.\\d+`));
			expect(plainRun.output).toMatch(new RegExp(`Contacts in\\s+${contacts.length}\\b`));
		});

	// n8n (1.123 and 2.40 alike) lists a node and its "<name> Trigger" as one item: the node's
	// actions, then a "Triggers" section with one "On new <name> event" for a trigger that has no
	// Event parameter, under the trigger's description (n8n's editor replaces the node's with it).
	check(
		'the nodes panel finds CleverTap and lists its operations and its trigger',
		'nodes-panel',
		async () => {
			await openExample();
			await page.getByTestId('node-creator-plus-button').click();
			await page.getByTestId('node-creator').waitFor();
			await page.keyboard.type('CleverTap');
			const items = page.getByTestId('node-creator-item-name');
			const item = items.filter({ hasText: new RegExp(`^${built.node.displayName}$`) });
			await item.waitFor();
			// One item, not one for the node and one for the trigger.
			expect(await items.allInnerTexts()).toEqual([built.node.displayName]);
			await item.click();
			const panel = page.getByTestId('node-creator');
			// Under the node's name (2.x also keeps it on the search result, behind the details).
			await panel.getByText(built.trigger.description, { exact: true }).last().waitFor();
			for (const operation of built.operations)
				await panel.getByText(operation.action ?? operation.name, { exact: true }).waitFor();
			const sections = panel.getByTestId('node-creator-category-item');
			expect((await sections.allInnerTexts()).map(squash)).toEqual([
				`Actions (${built.operations.length})`,
				'Triggers (1)',
			]);
			await sections.filter({ hasText: /^Triggers/ }).click();
			const event = built.trigger.displayName.replace(/\s*Trigger$/, '');
			await panel.getByText(`On new ${event} event`, { exact: true }).waitFor();
			await shot('nodes-panel');
		},
	);

	check(
		'the node opens on the example workflow and shows its parameters',
		'node-parameters',
		async () => {
			await openExample();
			await openCleverTapNode();
			const parameters = page.getByTestId('node-parameters');
			await parameters.getByText(shownParameters(built.node.properties)[0]).waitFor();
			// Chosen values (credential, resource, operation) are input values, not text.
			const values = await parameters
				.locator('input')
				.evaluateAll((inputs) => inputs.map((input) => (input as { value?: string }).value ?? ''));
			const text = squash(`${await parameters.innerText()} ${values.join(' ')}`);
			for (const label of shownParameters(built.node.properties))
				expect(text).toContain(squash(label));
			const demerge = built.operations.find((operation) => operation.value === 'demerge')!;
			expect(values).toEqual(expect.arrayContaining([EXAMPLE.credentialName, demerge.name]));
			// n8n shows the codex's primaryDocumentation as "Docs" (read, not followed: no network).
			// The nodes panel's "Docs" always opens the package's npm page, whatever the node says.
			docsHref = await page
				.getByTestId('ndv')
				.getByRole('link', { name: 'Docs' })
				.getAttribute('href');
			// This package's README, not CleverTap's API reference.
			expect(docsHref?.split('#')[0]).toBe(built.docsUrl.split('#')[0]);
			await shot('node-parameters');
		},
	);

	// n8n (1.123 and 2.40 alike) appends "?utm_source=…" to the codex's primaryDocumentation URL,
	// after its "#operations", which would lose the section; the node's own documentationUrl is
	// shown as it is.
	test("the node's Docs link opens the README at Operations", () => {
		expect(README).toMatch(/^## Operations$/m);
		expect(docsHref).toBe(built.docsUrl);
		expect(new URL(docsHref!).hash).toBe('#operations');
	});

	// The trigger on a workflow of its own, imported as the editor saves one, with a known webhook
	// id. Its URLs are under "Webhook URLs" (closed at first), Test URL shown first: the test URL is
	// /webhook-test/<id>/<path>, the production one (the one to paste into CleverTap) /webhook/….
	check(
		"the trigger's panel shows its Production URL, where to paste it in CleverTap, Authentication and Options",
		'trigger-panel',
		async () => {
			const webhookId = '3f2b6c1e-7d4a-4b8e-9c0f-5a1d2e3c4b5a';
			const workflow = await rest('POST', '/workflows', {
				name: 'CleverTap campaign webhook',
				active: false,
				settings: { executionOrder: 'v1' },
				nodes: [
					{
						id: 'e7c1d2b3-0000-4000-8000-00000000c1e7',
						name: built.trigger.displayName,
						type: `n8n-nodes-clevertap.${built.trigger.name}`,
						typeVersion: 1,
						position: [0, 0],
						webhookId,
						parameters: { authentication: 'none', options: {} },
					},
				],
				connections: {},
			});
			await page.goto(`${url}/workflow/${workflow.id}`);
			await canvasNode(built.trigger.displayName).waitFor();
			await openNode(built.trigger.displayName);
			const parameters = page.getByTestId('node-parameters');
			await parameters.getByText('Webhook URLs', { exact: true }).click();
			const shown = (route: string) =>
				parameters.getByText(`${url}/${route}/${webhookId}/webhook`, { exact: true });
			await shown('webhook-test').waitFor();
			await parameters.getByTestId('radio-button-production').click();
			await shown('webhook').waitFor();
			await expect(shown('webhook-test').count()).resolves.toBe(0);

			// The notice below the URLs says where the Production URL goes in CleverTap.
			expect(built.triggerNotice).toContain('Settings → Channels → Webhooks');
			expect(built.triggerNotice).toContain('Production URL');
			expect(squash(await parameters.innerText())).toContain(squash(built.triggerNotice));

			const authentication = built.triggerAuthentication;
			await parameters.getByText(authentication.displayName, { exact: true }).waitFor();
			const none = authentication.options!.find((o) => o.value === authentication.default)!;
			await expect(
				parameters.getByTestId('parameter-input-authentication').locator('input').inputValue(),
			).resolves.toBe(none.name);
			const choose = parameters.getByTestId('parameter-input-authentication');
			await choose.click();
			for (const option of authentication.options!)
				await page.getByRole('option', { name: option.name, exact: true }).waitFor();
			// Closed as a user does, by clicking it again (Escape would close the panel too).
			await choose.click();
			await page.getByRole('option', { name: none.name, exact: true }).waitFor({ state: 'hidden' });

			await parameters.getByText('Options', { exact: true }).waitFor();
			await parameters.getByPlaceholder('Add option').click();
			for (const name of built.triggerOptions)
				await page.getByRole('option', { name, exact: true }).waitFor();
			// The Docs link: the trigger's own section of the README.
			const docs = await page
				.getByTestId('ndv')
				.getByRole('link', { name: 'Docs' })
				.getAttribute('href');
			expect(docs).toBe(built.trigger.documentationUrl);
			const slug = (heading: string) =>
				heading
					.replace(/^#+ /, '')
					.toLowerCase()
					.replace(/[^\w\- ]/g, '')
					.replace(/ /g, '-');
			expect(
				README.split('\n')
					.filter((line) => /^#+ /.test(line))
					.map(slug),
			).toContain(new URL(docs!).hash.slice(1));
			await shot('trigger-panel');
		},
		{ putBack: () => page.goto('about:blank').then(() => undefined) },
	);

	// n8n offers a `<name>Tool` copy of a node to AI agents only when the node is usableAsTool: the
	// CleverTap node is one, the trigger (it starts workflows, it does not act) is not.
	test('the trigger is not offered as an AI tool; the CleverTap node still is', async () => {
		expect(built.trigger.usableAsTool).toBeUndefined();
		// The node types the editor loads (the nodes panel's and the agents' tools lists).
		const response = await fetch(`${url}/types/nodes.json`, { headers: { cookie } });
		expect(response.status).toBe(200);
		const names = ((await response.json()) as Array<{ name: string }>)
			.map((type) => type.name)
			.filter((name) => name.startsWith('n8n-nodes-clevertap.'));
		expect(names.sort()).toEqual(
			[
				'n8n-nodes-clevertap.cleverTap',
				'n8n-nodes-clevertap.cleverTapTool',
				`n8n-nodes-clevertap.${built.trigger.name}`,
			].sort(),
		);
		expect(names).not.toContain(`n8n-nodes-clevertap.${built.trigger.name}Tool`);
	});

	// n8n adds "Custom API Call" to the lists of a node whose credential authenticates (so that the
	// HTTP Request node can use the credential): choosing it must lead to n8n's notice, which points
	// to the HTTP Request node, not to an error.
	check(
		"Custom API Call shows n8n's notice pointing to the HTTP Request node",
		'custom-api-call',
		async () => {
			await openExample();
			await openCleverTapNode();
			const parameters = page.getByTestId('node-parameters');
			await parameters.getByTestId('parameter-input-operation').click();
			await page.getByRole('option', { name: 'Custom API Call', exact: true }).click();
			await parameters.getByText('Use the HTTP Request node to make a custom API call').waitFor();
			await expect(parameters.getByText(/CleverTap auth/).count()).resolves.toBeGreaterThan(0);
			// The node's own parameters are hidden: nothing here could run.
			await expect(parameters.getByTestId('parameter-input-identities').count()).resolves.toBe(0);
			await shot('custom-api-call');
		},
		{ putBack: putBackExample },
	);

	check(
		'Report → Get Trends shows its own parameters, in the words the node gives them',
		'report-parameters',
		async () => {
			await openExample();
			await openCleverTapNode();
			const parameters = page.getByTestId('node-parameters');
			const choose = async (parameter: string, value: string) => {
				const option = built.node.properties
					.find((p) => p.name === parameter && (p.options ?? []).some((o) => o.value === value))!
					.options!.find((o) => o.value === value)!;
				await parameters.getByTestId(`parameter-input-${parameter}`).click();
				// An option's accessible name is its name followed by its description.
				const escaped = option.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
				await page.getByRole('option', { name: new RegExp(`^${escaped}(?![\\w-])`) }).click();
			};
			await choose('resource', 'report');
			await choose('operation', 'trends');
			const labels = shownParameters(built.node.properties, {
				resource: 'report',
				operation: 'trends',
			});
			expect(labels).toEqual(expect.arrayContaining(['Granularity', 'Count People']));
			await parameters.getByText('Granularity', { exact: true }).waitFor();
			const text = squash(await parameters.innerText());
			for (const label of labels) expect(text).toContain(squash(label));
			// Demerge's parameter is gone: only the trend's are shown.
			await expect(parameters.getByTestId('parameter-input-identities').count()).resolves.toBe(0);
			await shot('report-parameters');
		},
		{ putBack: putBackExample },
	);

	check(
		'the credential dialog: Test passes with the right passcode, fails with a wrong one',
		'credential-test',
		async () => {
			await openExample();
			await openCleverTapNode();
			await page.getByTestId('credential-edit-button').click();
			const dialog = page.getByTestId('editCredential-modal');
			await dialog.getByText(built.credentialName).waitFor();
			// n8n tests a saved credential as soon as its dialog opens.
			await dialog.getByText('Connection tested successfully').waitFor();
			await dialog.getByRole('button', { name: 'Retry' }).waitFor();
			// The dialog's link to the docs: the credential's documentationUrl, shown as it is.
			const docs = dialog.locator(`a[href^="${built.credentialDocsUrl.split('#')[0]}"]`);
			expect(await docs.getAttribute('href')).toBe(built.credentialDocsUrl);
			await shot('credential-test-passed');

			const passcode = dialog.getByTestId('parameter-input-passcode').locator('input');
			await passcode.fill('not-the-passcode');
			await dialog.getByTestId('credential-save-button').click();
			await dialog.getByText(/Couldn.t connect with these settings/).waitFor();
			await dialog.getByText('More details').click();
			await dialog.getByText(built.rejected).waitFor();
			await shot('credential-test-failed');

			// Put the right passcode back: the run below uses this credential.
			await passcode.fill(EXAMPLE.passcode);
			await dialog.getByTestId('credential-save-button').click();
			await dialog.getByText('Connection tested successfully').waitFor();
		},
	);

	check(
		'Execute workflow runs the example; the output panel shows both branches',
		'run',
		async () => {
			const expected = await nodeRun(contacts);
			// Success items carry the contact's own fields next to the node's.
			const columns = Object.keys(expected.success[0]);
			expect(columns).toEqual(expect.arrayContaining([...Object.keys(contacts[0]), 'status']));

			await openExample();
			await page.getByTestId('execute-workflow-button').click();
			await cleverTapNode().getByTestId('canvas-node-status-success').waitFor();
			await shot('run-canvas');

			await openCleverTapNode();
			const output = page.getByTestId('output-panel');
			const [success, errors] = [output.getByTestId('tab-0'), output.getByTestId('tab-1')];
			expect(await success.innerText()).toMatch(new RegExp(`\\b${expected.success.length} items`));
			expect(await errors.innerText()).toMatch(
				new RegExp(`\\b${expected.errors.length} items?\\b`),
			);
			await output.getByText(contacts[0].email!, { exact: false }).first().waitFor();
			const headers = await output.locator('th').allInnerTexts();
			expect(headers.map((header) => header.trim())).toEqual(expect.arrayContaining(columns));
			await shot('run-success-output');

			await errors.click();
			for (const contact of failing) await output.getByText(contact.name).first().waitFor();
			// The node's own words, with no item number of its own (n8n numbers items itself).
			for (const message of expected.errors) await output.getByText(message).waitFor();
			expect(expected.errors.join('\n')).not.toMatch(/\bitem \d/i);
			expect(await output.innerText()).not.toMatch(/\bitem \d+:/i);
			await shot('run-error-output');
		},
		{ timeoutMs: 180_000 },
	);

	check(
		'Dry Run: nothing is sent; each item and a hint above the output say so',
		'dry-run',
		async () => {
			const expected = await nodeRun(contacts, { options: { dryRun: true } });
			const [hint] = expected.hints;
			expect(hint?.message).toBeTruthy();
			await openExample();
			await openCleverTapNode();
			await switchOnOption('Dry Run', 'dryRun');
			await page.getByTestId('node-execute-button').click();
			const output = page.getByTestId('output-panel');
			await output.getByTestId('node-hint').filter({ hasText: hint.message }).waitFor();
			expect(await output.getByTestId('tab-0').innerText()).toMatch(
				new RegExp(`\\b${expected.success.length} items`),
			);
			await outputView('schema');
			await output.getByText(String(expected.success[0].message)).waitFor();
			await shot('dry-run');
			await outputView('table');
		},
		{ timeoutMs: 180_000, putBack: putBackExample },
	);

	check(
		'a wrong passcode under "Continue (using error output)": one message on every item, said once above',
		'setup-problem',
		async () => {
			const data = { accountId: EXAMPLE.accountId, passcode: 'not-the-passcode' };
			// What the node makes of the demo simulator's own answer to this passcode.
			const expected = await nodeRun(contacts, {
				credentials: data,
				baseUrl: simulatorUrl,
				respond: async ({ options, headers }) => {
					const response = await fetch(options.url!, {
						method: options.method,
						headers,
						body: options.body as string | undefined,
					});
					return { statusCode: response.status, body: await response.text() };
				},
			});
			const [hint] = expected.hints;
			expect(hint).toMatchObject({ type: 'danger' });
			expect(hint.message).toContain(built.credentialHint);
			expect(expected.success).toEqual([]);
			expect(expected.errors.filter((error) => error === hint.message)).toHaveLength(
				contacts.length - failing.length,
			);

			wrongCredential = await rest('POST', '/credentials', {
				name: 'CleverTap (wrong passcode)',
				type: 'cleverTapApi',
				data: { ...data, region: 'custom', baseUrl: simulatorUrl },
			});
			await openExample();
			await openCleverTapNode();
			await page.getByTestId('node-credentials-select').click();
			await page.getByRole('option', { name: String(wrongCredential.name) }).click();
			await page.getByTestId('node-execute-button').click();
			const output = page.getByTestId('output-panel');
			await output.getByTestId('node-hint').filter({ hasText: hint.message }).waitFor();
			// Nothing on the success output: its tab has no item count.
			expect(await output.getByTestId('tab-0').innerText()).not.toMatch(/\d/);
			const errors = output.getByTestId('tab-1');
			expect(await errors.innerText()).toMatch(new RegExp(`\\b${contacts.length} items`));
			await errors.click();
			await outputView('schema');
			await output.getByTestId('run-data-schema-item').getByText(hint.message).waitFor();
			await shot('setup-problem');
			await outputView('table');
		},
		{
			timeoutMs: 180_000,
			putBack: async () => {
				await putBackExample();
				if (wrongCredential) await rest('DELETE', `/credentials/${wrongCredential.id}`);
				wrongCredential = undefined;
			},
		},
	);

	check(
		'the clean-up example runs from the editor; Get finds none of the demerged identities',
		'cleanup-run',
		async () => {
			await page.goto(`${url}/workflow/${CLEANUP.workflowId}`);
			await page.getByTestId('execute-workflow-button').click();
			await canvasNode('Check').getByTestId('canvas-node-status-success').waitFor();
			await openNode('Check');
			const output = page.getByTestId('output-panel');
			await output.getByText(new RegExp(`^${CLEANUP.merged} items`)).waitFor();
			const table = output.getByTestId('ndv-data-container');
			const headers = (await table.locator('th').allInnerTexts()).map((text) => text.trim());
			const found = headers.indexOf('found');
			expect(found).not.toBe(-1);
			const cells = await table.locator(`tbody tr td:nth-child(${found + 1})`).allInnerTexts();
			// The rows on the first page (n8n 1.x shows 10 a page, 2.x 25).
			expect(cells.length).toBeGreaterThan(0);
			expect([...new Set(cells.map((text) => text.trim()))]).toEqual(['false']);
			await shot('cleanup-run');
		},
		{ timeoutMs: 180_000 },
	);

	check(
		'the dark theme',
		'dark-theme',
		async () => {
			// What n8n's own theme setting (Settings → Personal → Theme) stores.
			await page.evaluate("localStorage.setItem('N8N_THEME', 'dark')");
			await openExample();
			expect(await page.locator('body').getAttribute('data-theme')).toBe('dark');
			await page.getByTestId('execute-workflow-button').click();
			await cleverTapNode().getByTestId('canvas-node-status-success').waitFor();
			await openCleverTapNode();
			await page.getByTestId('output-panel').getByTestId('tab-0').waitFor();
			await shot('dark-theme');
		},
		{ timeoutMs: 180_000 },
	);
});
