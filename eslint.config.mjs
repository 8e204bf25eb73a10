import js from '@eslint/js';
import { config as n8nNodeConfig } from '@n8n/node-cli/eslint';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Hygiene for all code: TypeScript through typescript-eslint, the JavaScript (simulator, real-n8n
// harness, start script, benchmark, root config files) through ESLint's recommended rules. On top,
// for the shipped code and package.json only, n8n's own lint config (`@n8n/node-cli/eslint`, what
// `n8n-node lint` runs; the cloud-eligible variant, as the package is `strict`), so the editor
// shows n8n's rules as you type. n8n's scanner (scripts/lint-scan.js) stays the gate.
const N8N_SOURCES = ['nodes/**/*.ts', 'credentials/**/*.ts'];

/**
 * n8n's config, written for the starter, scoped to this package's node sources and package.json so
 * test/, scripts/ and the rest are not judged by node rules. Its typescript-eslint entries load
 * node-cli's own typescript-eslint, whose plugin ESLint refuses to register beside this project's
 * for the same file, so each is swapped for this project's entry of the same name, in n8n's order.
 */
const ownTypescriptEslint = new Map(
	tseslint.configs.recommended.map((entry) => [entry.name, entry]),
);
const n8nScoped = n8nNodeConfig.flatMap((n8nEntry) => {
	// Its global ignore (dist) is already below.
	if (n8nEntry.ignores && !n8nEntry.files) return [];
	let entry = n8nEntry;
	if (entry.name?.startsWith('typescript-eslint/')) {
		entry = ownTypescriptEslint.get(entry.name);
		if (!entry) throw new Error(`typescript-eslint has no config named ${n8nEntry.name}`);
	}
	// Its entry without files registers plugins and the import resolver for both kinds of file.
	if (!n8nEntry.files) return [{ ...entry, files: [...N8N_SOURCES, 'package.json'] }];
	// `**/*.ts` becomes the node sources; `package.json`, `./nodes/**`, `./credentials/**` stay.
	const files = n8nEntry.files.flatMap((pattern) =>
		pattern === '**/*.ts' ? N8N_SOURCES : [pattern],
	);
	return [{ ...entry, files }];
});

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
			// Mutation testing's sandbox and reports (npm run test:mutation).
			'.stryker-tmp/**',
			'reports/**',
			// The real-n8n install folders (package.json and lock files, n8n installed beside them).
			'e2e/n8n-*/**',
			// The benchmark's git-ignored working files (n8n user folders, packed and patched tarballs).
			'bench/.work/**',
			// Git-ignored user folders of older end-to-end runs.
			'.e2e/**',
			'.n8n/**',
		],
	},
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		languageOptions: { parserOptions: { project: false } },
	},
	{
		// The end-to-end tests load the CommonJS harness that npm start and the benchmark share; the
		// bench report test loads the benchmark's CommonJS report code.
		files: ['test/e2e/**/*.ts', 'test/unit/bench/**/*.ts'],
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		// All JavaScript here is CommonJS run by Node (scripts, bench, simulator, root config files).
		files: ['**/*.js', '**/*.cjs'],
		extends: [js.configs.recommended],
		languageOptions: { ecmaVersion: 2024, sourceType: 'commonjs', globals: globals.node },
		rules: {
			// `const { drop, ...rest } = obj` is how this code leaves keys out of a copy.
			'no-unused-vars': ['error', { ignoreRestSiblings: true }],
		},
	},
	{
		// ES module config files (this one, Stryker's).
		files: ['**/*.mjs'],
		extends: [js.configs.recommended],
		languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: globals.nodeBuiltin },
	},
	{
		// The simulator's own tests run under Jest, and so does their kit (it registers hooks).
		files: ['test/**/*.test.js', 'test/simulator/testkit.js'],
		languageOptions: { globals: globals.jest },
	},
	...n8nScoped,
	{
		// The passcode and the webhook header's value are secrets, so they stay masked; accepted in
		// scripts/lint-scan.js.
		files: [
			'credentials/CleverTapApi.credentials.ts',
			'credentials/CleverTapWebhookHeaderAuthApi.credentials.ts',
		],
		rules: { '@n8n/community-nodes/credential-unnecessary-password': 'off' },
	},
);
