import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'check-release-tag.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the script is CommonJS, run by node in CI
const { tagProblem } = require(SCRIPT) as {
	tagProblem: (tag?: string, version?: string) => string | undefined;
};
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	version: string;
};

describe('the release tag must name package.json version', () => {
	test.each([
		['v0.2.0', '0.2.0', undefined],
		['0.2.0', '0.2.0', undefined],
		['refs/tags/v0.2.0', '0.2.0', undefined],
		['v0.2.1', '0.2.0', "The tag v0.2.1 does not match package.json's version 0.2.0"],
		['v0.2.0-rc.1', '0.2.0', "The tag v0.2.0-rc.1 does not match package.json's version 0.2.0"],
		['', '0.2.0', 'No tag given: run this with the release tag (GITHUB_REF_NAME in CI)'],
	])('%j for %s: %s', (tag, packageVersion, problem) => {
		expect(tagProblem(tag, packageVersion)).toBe(problem);
	});

	test('as publish.yml runs it: exit 0 for the right tag, 1 and why for another', () => {
		expect(execFileSync('node', [SCRIPT, `v${version}`], { encoding: 'utf8' })).toContain(version);
		let failed: { status?: number; stderr?: string } = {};
		try {
			execFileSync('node', [SCRIPT, 'v999.0.0'], { encoding: 'utf8', stdio: 'pipe' });
		} catch (error) {
			failed = error as typeof failed;
		}
		expect(failed.status).toBe(1);
		expect(String(failed.stderr)).toContain('does not match');
	});

	test('publish.yml checks the tag before it installs or publishes, on Node 24, with OIDC', () => {
		const workflow = readFileSync(join(ROOT, '.github', 'workflows', 'publish.yml'), 'utf8');
		expect(workflow).toMatch(/node-version: 24/);
		expect(workflow).toMatch(/id-token: write/);
		expect(workflow).toMatch(/npm publish --provenance/);
		const check = workflow.indexOf('check-release-tag.js');
		expect(check).toBeGreaterThan(-1);
		expect(check).toBeLessThan(workflow.indexOf('npm ci'));
		expect(check).toBeLessThan(workflow.indexOf('npm publish'));
	});
});
