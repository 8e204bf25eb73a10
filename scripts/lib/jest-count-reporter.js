'use strict';
/**
 * A jest reporter that appends one line of counts per jest run to the file named by
 * $CLEVERTAP_TEST_REPORT, so `npm test` can run the package's own test commands exactly as the
 * docs/development.md shows them and still add up one `N passed, N failed` line. Without the variable it does
 * nothing.
 */
const fs = require('node:fs');

class CountReporter {
	onRunComplete(_contexts, results) {
		const file = process.env.CLEVERTAP_TEST_REPORT;
		if (!file) return;
		// A suite that fails to load has no failed tests but is a failure all the same.
		const brokenSuites = results.testResults.filter(
			(suite) =>
				(suite.testExecError || suite.failureMessage) &&
				suite.testResults.every((test) => test.status !== 'failed'),
		).length;
		const line = {
			total: results.numTotalTests,
			passed: results.numPassedTests,
			failed: results.numFailedTests + brokenSuites,
		};
		fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
	}
}

module.exports = CountReporter;
