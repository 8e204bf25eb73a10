import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Hygiene for all code: TypeScript through typescript-eslint, the JavaScript (simulator, real-n8n
// harness, start script, benchmark, root config files) through ESLint's recommended rules. n8n's
// community-node rules for the shipped code and package.json are not here: `npm run lint` applies
// them through n8n's own scanner (scripts/lint-scan.js), the gate n8n runs before it verifies a
// package.
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
);
