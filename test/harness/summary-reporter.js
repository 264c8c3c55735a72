// Prints one closing line that CI reads as the test count ("N passed, N failed, N skipped"),
// after jest's own summary.
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped } = results;
		process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
	}
}
module.exports = SummaryReporter;
