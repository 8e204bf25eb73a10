'use strict';
/**
 * The browser the editor tests drive: Debian's `chromium` package under playwright-core.
 * Playwright's own browser download cannot be used (it fetches builds from outside the npm
 * registry), so the browser comes from the system's package manager, installed by
 * ensureChromium() when it is missing.
 */
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const DEFAULT_PATH = '/usr/bin/chromium';

/** The Chromium executable: $CHROMIUM_PATH if set, else Debian's /usr/bin/chromium. */
function chromiumPath() {
	return process.env.CHROMIUM_PATH || DEFAULT_PATH;
}

function run(command, args, log) {
	log(`$ ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	if (result.status !== 0)
		throw new Error(
			`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${(result.stdout + result.stderr).slice(-3000)}`,
		);
}

/**
 * Makes sure Chromium is installed: as root on a Debian-like system it runs apt-get; anywhere
 * else it fails with what is missing and how to get it.
 */
function ensureChromium({ log = console.log } = {}) {
	const executable = chromiumPath();
	if (fs.existsSync(executable)) return executable;
	const missing = `Chromium for the editor tests is missing: ${executable} does not exist.`;
	if (process.env.CHROMIUM_PATH)
		throw new Error(`${missing} Point CHROMIUM_PATH at a Chromium or Chrome executable.`);
	const canApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
	if (process.getuid?.() !== 0 || !canApt)
		throw new Error(
			`${missing} Install it as root with \`apt-get install -y chromium\` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome executable.`,
		);
	log(`${missing} Installing Debian's chromium package (about 350 MB)…`);
	run('apt-get', ['update'], log);
	run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], log);
	if (!fs.existsSync(executable))
		throw new Error(`apt-get installed chromium, but ${executable} still does not exist`);
	return executable;
}

/**
 * Launches headless Chromium. Playwright adds --headless and a fresh --user-data-dir (a new temp
 * profile per launch, removed on close); the other switches keep Chromium from calling Google's
 * services, which on a closed network only means a flood of failing connections.
 */
async function launchChromium() {
	const { chromium, selectors } = require('playwright-core');
	// n8n's editor marks its elements with data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	const executablePath = chromiumPath();
	if (!fs.existsSync(executablePath))
		throw new Error(
			`Chromium is missing (${executablePath}); run \`node scripts/e2e-setup.js\` as root to install it.`,
		);
	return chromium.launch({
		executablePath,
		headless: true,
		args: [
			'--no-sandbox', // root in a container has no user namespace for Chromium's sandbox
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage', // /dev/shm is small in containers; Chromium crashes when it fills up
		],
	});
}

module.exports = { chromiumPath, ensureChromium, launchChromium };
