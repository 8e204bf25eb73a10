import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { packPackage } = require('../../../scripts/lib/pack');

/**
 * An end-to-end suite's temp folder and the package packed into it, as users install it: made
 * before the suite's tests (`beforeAll`) and removed after them. Read the fields inside hooks/tests.
 */
export function packedForSuite(name: string): { workDir: string; tarball: string } {
	const state = { workDir: '', tarball: '' };
	beforeAll(() => {
		state.workDir = fs.mkdtempSync(path.join(os.tmpdir(), `clevertap-${name}-`));
		state.tarball = packPackage({ destination: state.workDir });
	}, 120_000);
	afterAll(() => fs.rmSync(state.workDir, { recursive: true, force: true }));
	return state;
}
