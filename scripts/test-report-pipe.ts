// Loaded into every test file's process (node --test --import ./scripts/test-report-pipe.ts …): makes the
// pipe that carries the file's results to the runner blocking, so each result is in the pipe before the
// next test starts.
//
// Why: a test file's process sends its results to the runner through its stdout, a pipe, and on Linux a
// write to a full pipe is queued in the process instead. With --test-force-exit the process exits as soon
// as its last test has ended, and whatever is still queued is dropped: when the runner reads slowly (a
// loaded machine), the last tests of a quick file vanish from the report, and the run still passes.
// scripts/test-reporter.ts fails the run when that happens; this keeps it from happening.
if (process.env.NODE_TEST_CONTEXT === 'child-v8') {
  const stdout = process.stdout as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } };
  const failed = stdout._handle?.setBlocking?.(true);
  if (failed !== undefined && failed !== 0) {
    process.stderr.write(`The test report pipe could not be made blocking (error ${failed}); results may be lost at exit.\n`);
  }
}
