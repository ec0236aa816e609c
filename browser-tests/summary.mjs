// Prints the one closing line CI looks for: "N passed, N failed".
export default class Summary {
  constructor() { this.passed = 0; this.failed = 0; }
  onTestEnd(test, result) {
    if (result.status === 'passed') this.passed += 1;
    else if (result.status !== 'skipped' && result.retry === test.retries) this.failed += 1;
  }
  onEnd() { console.log(`\n${this.passed} passed, ${this.failed} failed`); }
}
