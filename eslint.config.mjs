import tseslint from 'typescript-eslint';

// TypeScript hygiene for all code. n8n's community-node rules for the shipped code and
// package.json are not here: `npm run lint` applies them through n8n's own scanner
// (scripts/lint-scan.js), the gate n8n runs before it verifies a package.
export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
			// Mutation testing's sandbox and reports (npm run test:mutation).
			'.stryker-tmp/**',
			'reports/**',
			'e2e/**',
			'bench/**',
			'**/*.js',
			'**/*.mjs',
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
);
