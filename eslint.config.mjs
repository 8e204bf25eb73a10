import { configs } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
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
	// The community-node rules (what n8n's package scanner and `n8n-node lint` apply) for the
	// shipped code and package.json; test code runs in jest, not in n8n.
	{ files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'], ...configs.recommended },
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
	},
);
