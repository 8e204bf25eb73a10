/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts', '**/*.test.js'],
	transform: {
		// Type checking is `npm run typecheck`'s job; transpiling alone keeps the suite fast.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
	},
	testTimeout: 30_000,
	// The counts `npm test` adds up (only when it asks for them).
	reporters: ['default', '<rootDir>/scripts/lib/jest-count-reporter.js'],
};
