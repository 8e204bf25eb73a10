// Mutation testing (`npm run test:mutation`): every mutant of the shipped code must be caught by the
// unit suites. Results and the mutants judged equivalent: test/MUTATION.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	packageManager: 'npm',
	mutate: ['nodes/**/*.ts', 'credentials/**/*.ts'],
	testRunner: 'jest',
	jest: {
		projectType: 'custom',
		configFile: 'jest.config.js',
		// The unit suites only: every source file is reached through them (the mocked n8n context,
		// sleeps injected). The workflow suites run n8n's engine against the simulator in real time,
		// and nearly every mutant of the pipeline reaches all of them: with them, the first run was
		// a third done after 50 minutes (test/MUTATION.md). Not the end-to-end suites (real n8n).
		config: {
			// Sources inside the roots, so jest can tell which tests import a mutated file.
			roots: ['<rootDir>/test', '<rootDir>/nodes', '<rootDir>/credentials'],
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
		},
	},
	// Each mutant runs only the tests that reach it.
	coverageAnalysis: 'perTest',
	// Mutants of what runs once when a module loads (the descriptions, the API and region tables)
	// would each need every test: they are left out here and held by the tests of those tables and
	// the snapshot of the words users read (test/MUTATION.md).
	ignoreStatic: true,
	// A mutant that loops forever (a loop's end or a wait mutated) is caught by this timeout: the
	// unit tests take milliseconds each.
	timeoutMS: 3000,
	checkers: ['typescript'],
	// The shipped sources only: a mutant lives there, and checking the tests with every mutant took
	// the checker a whole core.
	tsconfigFile: 'tsconfig.build.json',
	// Shared by Stryker between the TypeScript checkers and the test runner.
	concurrency: 3,
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
