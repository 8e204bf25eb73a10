/**
 * n8n's editor in a real browser (headless Chromium), as a user meets the package: the demo
 * started with the README's own commands (`npm start -- --ui` for n8n 1.x,
 * `npm start -- --major 2 --ui` for 2.x), then the nodes panel, the node's panel, the credential
 * dialog's test, a run from the editor with its output, and the dark theme.
 *
 * Expected words come from the built package (dist/) and from the example workflow, so the node's
 * wording can change without touching this file. n8n's own words ("Connection tested
 * successfully") are those of the pinned n8n versions.
 *
 * Screenshots go to $CLEVERTAP_UI_SCREENSHOTS/n8n-<major>/ (`npm run docs:screenshots` copies
 * them to docs/), else to a temp dir that is removed after a passing run and kept, and printed,
 * after a failing one. $CLEVERTAP_UI_MAJORS (e.g. "2") limits the majors.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

const { launchChromium } = require('../../scripts/lib/browser');
const { createOwner } = require('../../scripts/lib/n8n-editor');
const { npmEnv, freePort } = require('../../scripts/lib/n8n-harness');
const { EXAMPLE, exampleContacts } = require('../../scripts/lib/workflows');

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

type Contact = { name: string; email?: string };
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

/** A README command, run as written through a shell, in its own process group. */
function runCommand(command: string, env: Record<string, string>) {
	expect(README).toContain(command);
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
	const { CleverTapApi } = require(path.join(ROOT, 'dist/credentials/CleverTapApi.credentials.js'));
	const node = new CleverTap().description as {
		displayName: string;
		properties: Property[];
	};
	const credential = new CleverTapApi();
	const rules = credential.test.rules as Array<{ properties: { value: unknown; message: string } }>;
	return {
		node,
		operations: node.properties.find((p) => p.name === 'operation')!.options!,
		credentialName: credential.displayName as string,
		rejected: rules.find((rule) => rule.properties.value === 401)!.properties.message,
	};
}

/** The parameters the node's panel shows for Profile → Demerge (n8n renders HTML in notices). */
function shownParameters(properties: Property[]) {
	const current: Record<string, unknown> = { resource: 'profile', operation: 'demerge' };
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
	let context: BrowserContext;
	let page: Page;
	let started: number;

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

	/** Runs a step; when it fails, says where the screenshots are and what the page showed. */
	async function step(name: string, action: () => Promise<void>) {
		try {
			await action();
		} catch (error) {
			failed = true;
			const text = await page
				.locator('body')
				.innerText({ timeout: 5_000 })
				.catch((e) => `(no text: ${e.message})`);
			await shot(`FAILED-${name}`).catch(() => undefined);
			throw new Error(
				`${error.message}\n\nScreenshots: ${shots()}\nThe page's visible text at "${name}":\n${squash(text).slice(0, 4000)}`,
			);
		}
	}

	/** A jest test whose failure says where the screenshots are and what the page showed. */
	const check = (title: string, name: string, action: () => Promise<void>, timeoutMs = 120_000) =>
		test(title, () => step(name, action), timeoutMs);

	const openExample = async () => {
		await page.goto(`${url}/workflow/${EXAMPLE.workflowId}`);
		await page.getByTestId('canvas-node').first().waitFor();
	};
	const cleverTapNode = () => page.getByTestId('canvas-node').filter({ hasText: 'CleverTap' });
	const openCleverTapNode = async () => {
		await cleverTapNode().dblclick();
		await page.getByTestId('ndv').waitFor();
	};

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
		const cookie: string = await createOwner(url);
		context = await browser.newContext({
			viewport: { width: 1280, height: 800 },
			colorScheme: 'light',
		});
		const [name, ...value] = cookie.split('=');
		await context.addCookies([{ name, value: value.join('='), url }]);
		page = await context.newPage();
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
		expect(output).toMatch(new RegExp(`n8n ${major}\\.\\d+\\.\\d+ is ready`));
	});

	if (plain)
		test(`\`${plain}\` ran the example in n8n ${major}.x and stopped`, () => {
			expect(plainRun).toMatchObject({ code: 0 });
			expect(plainRun.output).toMatch(new RegExp(`Running it in n8n ${major}\\.\\d+\\.\\d+`));
			expect(plainRun.output).toMatch(new RegExp(`Contacts in\\s+${contacts.length}\\b`));
		});

	check('the nodes panel finds CleverTap and lists its operations', 'nodes-panel', async () => {
		await openExample();
		await page.getByTestId('node-creator-plus-button').click();
		await page.getByTestId('node-creator').waitFor();
		await page.keyboard.type('CleverTap');
		await page
			.getByTestId('node-creator-item-name')
			.filter({ hasText: new RegExp(`^${built.node.displayName}$`) })
			.click();
		const panel = page.getByTestId('node-creator');
		for (const operation of built.operations)
			await panel.getByText(operation.action ?? operation.name, { exact: true }).waitFor();
		await shot('nodes-panel');
	});

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
			await shot('node-parameters');
		},
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
			await openExample();
			await page.getByTestId('execute-workflow-button').click();
			await cleverTapNode().getByTestId('canvas-node-status-success').waitFor();
			await shot('run-canvas');

			await openCleverTapNode();
			const output = page.getByTestId('output-panel');
			const [success, errors] = [output.getByTestId('tab-0'), output.getByTestId('tab-1')];
			expect(await success.innerText()).toMatch(
				new RegExp(`\\b${contacts.length - failing.length} items`),
			);
			expect(await errors.innerText()).toMatch(new RegExp(`\\b${failing.length} items?\\b`));
			await output.getByText(contacts[0].email!, { exact: false }).first().waitFor();
			await shot('run-success-output');

			await errors.click();
			for (const contact of failing) await output.getByText(contact.name).first().waitFor();
			await shot('run-error-output');
		},
		180_000,
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
		180_000,
	);
});
