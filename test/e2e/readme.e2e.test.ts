/**
 * Every command the README and its pages under docs/ show is run by a test, exactly as written. The
 * ones no other test runs run here, in a fresh clone of this repository: the quick start
 * (`npm install`, `npm start`), `npm run dev`, `npm run simulator` and the simulator's help. The
 * others are named with the file that runs them, and that file is checked to run them. The README
 * rule of docs/development.md is checked here too: the README's budget and order, each operation's
 * short section, and every relative link in the README and docs/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { npmEnv, freePort } = require('../../scripts/lib/n8n-harness');

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** What a reader is shown: README.md and every page under docs/, by path from the repository. */
const PAGES: Record<string, string> = {
	'README.md': README,
	...Object.fromEntries(
		fs
			.readdirSync(path.join(ROOT, 'docs'))
			.filter((name) => name.endsWith('.md'))
			.sort()
			.map((name) => [`docs/${name}`, fs.readFileSync(path.join(ROOT, 'docs', name), 'utf8')]),
	),
};

/** The lines of a page's shell blocks, and inline code that is a command. */
function pageCommands(text: string): string[] {
	const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) =>
		match[1].split('\n'),
	);
	const inline = [...text.matchAll(/`((?:npm|node|npx) [^`]+)`/g)].map((match) => match[1]);
	return [...blocks, ...inline].map((line) => line.trim()).filter(Boolean);
}

/** Every command the README and the docs pages show, once each. */
function shownCommands(): string[] {
	return [...new Set(Object.values(PAGES).flatMap(pageCommands))];
}

const RUN_HERE = [
	'npm install',
	'npm start',
	'npm run dev',
	'npm run simulator',
	'node test/simulator/cli.js --help',
];

/** Commands other suites run exactly as written: the file, and the text that shows it does. */
const RUN_ELSEWHERE: Record<string, [file: string, proof: string]> = {
	'npm test': ['.ci/run', '\nnpm test\n'],
	'npm ci': ['.ci/run', '\nnpm ci\n'],
	'npm run lint': ['scripts/test-all.js', "step('lint')"],
	'npm run typecheck': ['scripts/test-all.js', "step('typecheck')"],
	'npm run build': ['scripts/test-all.js', "step('build')"],
	'npm run test:unit': ['scripts/test-all.js', "step('test:unit'"],
	'npm run test:e2e': ['scripts/test-all.js', "step('test:e2e'"],
	'npm run test:ui': ['scripts/test-all.js', "step('test:ui'"],
	'npm run test:queue': ['scripts/test-all.js', "step('test:queue'"],
	// About an hour: CI's job of its own, not npm test.
	'npm run test:mutation': ['.github/workflows/ci.yml', 'run: npm run test:mutation\n'],
	'npm start -- --ui': ['test/e2e/ui.e2e.test.ts', "'npm start -- --ui'"],
	'npm start -- --major 2': ['test/e2e/ui.e2e.test.ts', "'npm start -- --major 2'"],
	'npm start -- --major 2 --ui': ['test/e2e/ui.e2e.test.ts', "'npm start -- --major 2 --ui'"],
	// The install test reads its commands out of the README's Install section itself.
	'mkdir -p ~/.n8n/nodes && cd ~/.n8n/nodes': ['test/e2e/install.e2e.test.ts', 'README.md'],
	'npm install --omit=peer n8n-nodes-clevertap': ['test/e2e/install.e2e.test.ts', 'README.md'],
};

/**
 * Shown, and run by no test: a maintainer's command on docs/README.md that rewrites the committed
 * screenshots. What it runs is the browser test (`npm run test:ui` runs that); only its copy of the
 * PNGs into docs/ is untested. Keep this list empty where possible: nothing else may join it
 * without a reason here.
 */
const SHOWN_NOT_RUN: Record<string, string> = {
	'npm run docs:screenshots':
		'replaces docs/*.png from a run of test/e2e/ui.e2e.test.ts in n8n 2.x; run by hand',
};

test('every command the README and its docs pages show is run by a test, exactly as written', () => {
	const commands = shownCommands();
	// Each with the page that shows it, so a failure says where to look.
	expect(
		Object.entries(PAGES).flatMap(([page, text]) =>
			pageCommands(text)
				.filter(
					(command) =>
						!RUN_HERE.includes(command) && !RUN_ELSEWHERE[command] && !SHOWN_NOT_RUN[command],
				)
				.map((command) => `${page}: ${command}`),
		),
	).toEqual([]);
	for (const [command, [file, proof]] of Object.entries(RUN_ELSEWHERE)) {
		if (!commands.includes(command)) continue;
		expect([command, fs.readFileSync(path.join(ROOT, file), 'utf8').includes(proof)]).toEqual([
			command,
			true,
		]);
	}
	// The install test runs what the README's Install section shows: those commands stay there.
	const install = /^## Install\n([\s\S]*?)^## /m.exec(README)?.[1] ?? '';
	for (const [command, [file]] of Object.entries(RUN_ELSEWHERE)) {
		if (file !== 'test/e2e/install.e2e.test.ts' || !commands.includes(command)) continue;
		expect([command, pageCommands(install).includes(command)]).toEqual([command, true]);
	}
	// Nothing listed here that no page shows any more.
	expect(RUN_HERE.filter((command) => !commands.includes(command))).toEqual([]);
	expect(Object.keys(SHOWN_NOT_RUN).filter((command) => !commands.includes(command))).toEqual([]);
	// The quick start's commands moved to docs/quick-start.md: they are still found, and run below.
	expect(pageCommands(PAGES['docs/quick-start.md'])).toEqual(
		expect.arrayContaining(['npm install', 'npm start', 'npm run dev', 'npm run simulator']),
	);
});

/** Text without code: fenced blocks and inline code hold no links or headings. */
const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchors for a page's headings (lower case, punctuation dropped, spaces to hyphens). */
function anchors(text: string): Set<string> {
	const seen = new Map<string, number>();
	const result = new Set<string>();
	for (const [, heading] of withoutCode(text).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
		const base = heading
			.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		result.add(count === 0 ? base : `${base}-${count}`);
	}
	return result;
}

test('every relative link in the README and the docs pages leads to a file and heading that exist', () => {
	const broken: string[] = [];
	for (const [page, text] of Object.entries(PAGES)) {
		for (const [, target] of withoutCode(text).matchAll(/\]\(([^)\s]+)\)/g)) {
			if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
			const [file, anchor] = target.split('#');
			const resolved = file ? path.join(path.dirname(page), decodeURIComponent(file)) : page;
			if (!fs.existsSync(path.join(ROOT, resolved))) {
				broken.push(`${page}: ${target} (no ${resolved})`);
				continue;
			}
			if (anchor === undefined) continue;
			const headings = anchors(fs.readFileSync(path.join(ROOT, resolved), 'utf8'));
			if (!headings.has(anchor)) broken.push(`${page}: ${target} (no heading #${anchor})`);
		}
	}
	expect(broken).toEqual([]);
});

describe('the README rule (docs/development.md)', () => {
	const sections = (text: string, level: string) =>
		withoutCode(text)
			.split(new RegExp(`^(?=${level} )`, 'm'))
			.filter((part) => part.startsWith(`${level} `));

	test('the README is at most 350 lines, in its order', () => {
		expect((README.match(/\n/g) ?? []).length).toBeLessThanOrEqual(350);
		expect(sections(README, '##').map((part) => part.split('\n')[0])).toEqual([
			'## What it does',
			'## Install',
			'## Credentials',
			'## Operations',
			'## Output',
			'## Errors',
			'## Limits',
			'## Compatibility',
			'## More',
		]);
	});

	test('one short section per operation: a table of at most 6 rows, one paragraph, the rest in docs/operations.md', () => {
		const operations = sections(
			sections(README, '##').find((part) => part.startsWith('## Operations\n')) ?? '',
			'###',
		).filter((part) => part.split('\n')[0].includes('→'));
		expect(operations.length).toBeGreaterThanOrEqual(5);
		const detailed = fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');
		for (const part of operations) {
			const [heading, ...rest] = part.trimEnd().split('\n');
			const blocks = rest
				.join('\n')
				.split(/\n\s*\n/)
				.filter((block) => block.trim());
			const tables = blocks.filter((block) => block.trimStart().startsWith('|'));
			const paragraphs = blocks.filter((block) => !/^\s*(\||!\[)/.test(block));
			// Header and separator aside.
			const rows = tables.map((table) => table.trim().split('\n').length - 2);
			expect({
				heading,
				tables: tables.length,
				atMost6Rows: rows.every((count) => count <= 6),
				paragraphs: paragraphs.length,
				// "### Profile → Get" in the README, "## Profile → Get" there.
				inFull: detailed.includes(`\n${heading.slice(1)}\n`),
			}).toEqual({ heading, tables: 1, atMost6Rows: true, paragraphs: 1, inFull: true });
		}
	});
});

describe('in a fresh clone', () => {
	let clone: string;
	const children: ChildProcess[] = [];
	const env = () => {
		const clean = npmEnv({
			// Its own n8n user folders, so a developer's playground is left alone.
			N8N_NODES_CLEVERTAP_PLAYGROUND: path.join(clone, '.playground'),
		});
		// As a reader's shell would be: not told that npm test built dist/ already, not counting.
		delete clean.N8N_NODES_CLEVERTAP_BUILT;
		delete clean.CLEVERTAP_TEST_REPORT;
		return clean;
	};

	/** Runs a README command in the clone with sh, as a reader would paste it. */
	function run(command: string, extraEnv: Record<string, string> = {}) {
		const result = spawnSync('sh', ['-c', command], {
			cwd: clone,
			env: { ...env(), ...extraEnv },
			encoding: 'utf8',
			timeout: 20 * 60_000,
		});
		const output = `${result.stdout}\n${result.stderr}`;
		if (result.status !== 0) {
			throw new Error(
				`"${command}" exited ${result.status ?? result.signal}:\n${output.slice(-4000)}`,
			);
		}
		return output;
	}

	/** Starts a README command that keeps running, and waits until it prints `ready`. */
	async function start(command: string, ready: RegExp, extraEnv: Record<string, string> = {}) {
		const child = spawn('sh', ['-c', `exec ${command}`], {
			cwd: clone,
			env: { ...env(), ...extraEnv },
			detached: true,
		});
		children.push(child);
		let output = '';
		child.stdout?.on('data', (chunk) => (output += chunk));
		child.stderr?.on('data', (chunk) => (output += chunk));
		await new Promise<void>((resolve, reject) => {
			const check = () => {
				if (ready.test(output)) resolve();
				else if (child.exitCode !== null)
					reject(new Error(`"${command}" exited early:\n${output}`));
				else setTimeout(check, 100);
			};
			check();
		});
		return { child, output: () => output };
	}

	/** Ctrl-C, as a reader stops it (to the whole group, as a terminal does); resolves on exit. */
	const interrupt = (child: ChildProcess) =>
		new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			process.kill(-(child.pid as number), 'SIGINT');
		});

	beforeAll(() => {
		clone = fs.mkdtempSync(path.join(os.tmpdir(), 'clevertap-readme-'));
		const cloned = spawnSync('git', ['clone', '--quiet', ROOT, clone], { encoding: 'utf8' });
		if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
	});

	afterAll(() => {
		for (const child of children) {
			if (child.exitCode === null) {
				try {
					process.kill(-(child.pid as number), 'SIGKILL');
				} catch {
					/* gone */
				}
			}
		}
		fs.rmSync(clone, { recursive: true, force: true });
	});

	test(
		'the quick start: npm install, then npm start runs both examples',
		() => {
			run('npm install');
			const output = run('npm start');
			expect(output).toContain('Contacts demerged       249');
			expect(output).toContain('Checked with Get: no longer resolve           24 of 24');
			expect(output).toContain('Nothing was sent to a real CleverTap account.');
		},
		20 * 60_000,
	);

	test(
		'npm run dev leaves the editor running until Ctrl-C',
		async () => {
			const port = String(await freePort());
			const dev = await start('npm run dev', /is ready: open http:\/\/localhost:\d+/, {
				N8N_PORT: port,
			});
			expect(dev.output()).toContain(`open http://localhost:${port}`);
			const health = await fetch(`http://127.0.0.1:${port}/healthz`);
			expect(health.status).toBe(200);
			await interrupt(dev.child);
			// Ctrl-C stopped n8n too: nothing answers on its port any more.
			const after = await fetch(`http://127.0.0.1:${port}/healthz`).then(
				(response) => response.status,
				(error: Error & { cause?: { code?: string } }) => error.cause?.code,
			);
			expect(after).toBe('ECONNREFUSED');
		},
		10 * 60_000,
	);

	test('npm run simulator serves until Ctrl-C; the CLI explains itself', async () => {
		const simulator = await start('npm run simulator', /http:\/\/127\.0\.0\.1:\d+/);
		const url = (/http:\/\/127\.0\.0\.1:\d+/.exec(simulator.output()) as RegExpExecArray)[0];
		const answer = await fetch(`${url}/1/profile.json?identity=x`, {
			headers: { 'X-CleverTap-Account-Id': 'nobody', 'X-CleverTap-Passcode': 'x' },
		});
		expect(answer.status).toBe(401);
		await interrupt(simulator.child);
		expect(simulator.output()).toMatch(/requests/);
		expect(run('node test/simulator/cli.js --help')).toMatch(
			/^Usage: node test\/simulator\/cli\.js/,
		);
	}, 120_000);
});
