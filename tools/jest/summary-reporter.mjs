// Writes each project's test counts to $KA_TEST_RESULTS_DIR/<project>.json, so that CI can print one total line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export default class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.KA_TEST_RESULTS_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    writeFileSync(join(dir, `${basename(this.rootDir)}-${process.pid}.json`), JSON.stringify(summary));
  }
}
