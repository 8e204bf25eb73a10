// Mutation testing (`npm run test:mutation`): every mutant of the shipped code must be caught by the
// unit and workflow suites. Results and the mutants judged equivalent: test/MUTATION.md.
const WORKFLOW_PASS = process.env.MUTATION_PASS === 'workflow';
const REPORT = WORKFLOW_PASS ? 'reports/mutation/workflow' : 'reports/mutation/mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	packageManager: 'npm',
	mutate: ['nodes/**/*.ts', 'credentials/**/*.ts'],
	testRunner: 'jest',
	jest: {
		projectType: 'custom',
		configFile: 'jest.config.js',
		// Two passes (scripts/mutation.js). The unit suites reach every source file and take
		// milliseconds a test: the first pass tries every mutant on them. The workflow suites run
		// n8n's engine against the simulator in real time and nearly every mutant of the pipeline
		// reaches all of them: the second pass adds them and tries only the mutants the first one
		// left alive. Not the end-to-end suites (real n8n), which need minutes a run.
		config: {
			// Sources inside the roots, so jest can tell which tests import a mutated file.
			roots: ['<rootDir>/test', '<rootDir>/nodes', '<rootDir>/credentials'],
			testMatch: WORKFLOW_PASS
				? ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/workflow/**/*.test.ts']
				: ['<rootDir>/test/unit/**/*.test.ts'],
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
	// A later first pass tests again only the mutants whose code or tests changed, and the ones that
	// survived when a test that reaches them was added. The second pass tries all it is given.
	incremental: !WORKFLOW_PASS,
	incrementalFile: 'reports/mutation/stryker-incremental.json',
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: { fileName: `${REPORT}.html` },
	jsonReporter: { fileName: `${REPORT}.json` },
	clearTextReporter: { allowColor: false, logTests: false },
};
