// Mutation testing (`npm run test:mutation`): every mutant of the shipped code must be caught by the
// unit and workflow suites. Results and the mutants judged equivalent: test/MUTATION.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	packageManager: 'npm',
	mutate: ['nodes/**/*.ts', 'credentials/**/*.ts'],
	testRunner: 'jest',
	jest: {
		projectType: 'custom',
		configFile: 'jest.config.js',
		// Not the end-to-end suites (real n8n, minutes each) nor the simulator's own tests: the
		// workflow suites start the simulator themselves.
		config: {
			// Sources inside the roots, so jest can tell which tests import a mutated file.
			roots: ['<rootDir>/test', '<rootDir>/nodes', '<rootDir>/credentials'],
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/workflow/**/*.test.ts'],
		},
	},
	// Each mutant runs only the tests that reach it.
	coverageAnalysis: 'perTest',
	// Mutants of what runs once when a module loads (the descriptions, the API and region tables)
	// would each need every test: they are left out here and held by the tests of those tables and
	// the snapshot of the words users read (test/MUTATION.md).
	ignoreStatic: true,
	checkers: ['typescript'],
	tsconfigFile: 'tsconfig.json',
	concurrency: 2,
	ignorePatterns: ['dist', 'coverage', 'docs', 'bench/.work', 'reports', '.e2e', '.n8n'],
	tempDirName: '.stryker-tmp',
	// Later runs test again only the mutants whose code or tests changed (`-- --force` for all).
	incremental: true,
	incrementalFile: 'reports/mutation/stryker-incremental.json',
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: { fileName: 'reports/mutation/mutation.html' },
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	clearTextReporter: { allowColor: false, logTests: false },
};
