/**
 * Every command the README shows is run by a test, exactly as written. The ones no other test runs
 * run here, in a fresh clone of this repository: the quick start (`npm install`, `npm start`),
 * `npm run dev`, `npm run simulator` and the simulator's help. The others are named with the file
 * that runs them, and that file is checked to run them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { npmEnv, freePort } = require('../../scripts/lib/n8n-harness');

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The lines of the README's shell blocks, and inline code that is a command. */
function readmeCommands(): string[] {
	const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) =>
		match[1].split('\n'),
	);
	const inline = [...README.matchAll(/`((?:npm|node|npx) [^`]+)`/g)].map((match) => match[1]);
	return [...new Set([...blocks, ...inline].map((line) => line.trim()).filter(Boolean))];
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

test('every command the README shows is run by a test, exactly as written', () => {
	const commands = readmeCommands();
	expect(
		commands.filter((command) => !RUN_HERE.includes(command) && !RUN_ELSEWHERE[command]),
	).toEqual([]);
	for (const [command, [file, proof]] of Object.entries(RUN_ELSEWHERE)) {
		if (!commands.includes(command)) continue;
		expect([command, fs.readFileSync(path.join(ROOT, file), 'utf8').includes(proof)]).toEqual([
			command,
			true,
		]);
	}
	// Nothing listed here that the README no longer shows.
	expect(RUN_HERE.filter((command) => !commands.includes(command))).toEqual([]);
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
