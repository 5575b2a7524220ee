// A node --test reporter that checks every test file reported all its tests, beside the spec output:
//   node --test --test-reporter=spec --test-reporter-destination=stdout \
//     --test-reporter=./scripts/test-reporter.ts --test-reporter-destination=stderr …
// It prints nothing while every file reports in full. When a file's process ended before it reported
// everything (its output cut short, a process.exit or a kill in the middle), it prints one line per such
// file, naming it with the counts, and the run fails (exit code 1), even where every reported test passed.
//
// How it knows: each file's process reports its tests and then, last of all, its own summary with its
// counts. A file whose summary never arrived ended early; a file whose summary counts more tests than
// arrived lost some on the way. The runner itself checks neither.
import { isAbsolute, relative, resolve } from 'node:path';
import type { TestEvent } from 'node:test/reporters';

type FileCounts = {
  /** Whether the runner ran the file in a process of its own (the default isolation): only such files are checked. */
  ownProcess: boolean;
  /** Tests (and suites) the file's process announced: `test:enqueue`. */
  started: number;
  /** Tests whose result arrived: `test:pass` / `test:fail`, suites apart. */
  tests: number;
  suites: number;
  /** The counts the file's process gave at its end, or null while none arrived. */
  summary: { tests: number; suites: number } | null;
  /** Whether the runner saw the file's process end (its own result). */
  ended: boolean;
};

function emptyCounts(): FileCounts {
  return { ownProcess: false, started: 0, tests: 0, suites: 0, summary: null, ended: false };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Follows the runner's events file by file and says which files ended short. */
export class TestFileLedger {
  readonly #files = new Map<string, FileCounts>();
  readonly #cwd: string;

  constructor(cwd: string = process.cwd()) {
    this.#cwd = cwd;
  }

  #counts(file: string): FileCounts {
    let counts = this.#files.get(file);
    if (counts === undefined) {
      counts = emptyCounts();
      this.#files.set(file, counts);
    }
    return counts;
  }

  /** The runner's own test for a whole file is named after the file and sits at nesting 0. */
  #isFileItself(data: { file?: string | undefined; name?: string; nesting?: number }): boolean {
    return data.nesting === 0 && data.file !== undefined && data.name !== undefined && resolve(this.#cwd, data.name) === data.file;
  }

  take(event: TestEvent): void {
    switch (event.type) {
      case 'test:enqueue': {
        const { data } = event;
        if (data.file === undefined) return;
        if (this.#isFileItself(data)) this.#counts(data.file).ownProcess = true;
        else this.#counts(data.file).started += 1;
        return;
      }
      case 'test:pass':
      case 'test:fail': {
        const { data } = event;
        if (data.file === undefined) return;
        const counts = this.#counts(data.file);
        if (this.#isFileItself(data)) counts.ended = true;
        else if (data.details.type === 'suite') counts.suites += 1;
        else counts.tests += 1;
        return;
      }
      case 'test:complete': {
        const { data } = event;
        if (data.file !== undefined && this.#isFileItself(data)) this.#counts(data.file).ended = true;
        return;
      }
      case 'test:summary': {
        const { data } = event;
        if (data.file === undefined) return;
        this.#counts(data.file).summary = { tests: data.counts.tests, suites: data.counts.suites };
        return;
      }
      default:
        return;
    }
  }

  #name(file: string): string {
    const name = relative(this.#cwd, file);
    return name === '' || name.startsWith('..') || isAbsolute(name) ? file : name;
  }

  /** One sentence per file that reported fewer tests than it had, in the order the files started. */
  problems(): string[] {
    const problems: string[] = [];
    for (const [file, counts] of this.#files) {
      if (!counts.ownProcess) continue;
      const arrived = counts.tests + counts.suites;
      const name = this.#name(file);
      if (counts.summary === null) {
        const announced = counts.started > arrived ? ` of the ${counts.started} it started` : '';
        const how = counts.ended ? 'its process ended' : 'the run ended';
        problems.push(
          `${name}: ${how} before the file reported all its tests: ${plural(arrived, 'result')} arrived${announced}, and never its summary. ` +
            'A test in it (or the code it tests) ended the process early, or its output was cut short; run the file alone to see which.',
        );
        continue;
      }
      const expected = counts.summary.tests + counts.summary.suites;
      if (arrived < expected || counts.started > arrived) {
        problems.push(
          `${name}: reported ${plural(arrived, 'result')} of the ${Math.max(expected, counts.started)} it ran; the rest were lost on the way to the runner. ` +
            'Run the file alone to see them.',
        );
      }
    }
    return problems;
  }
}

/** The reporter: silent while every file reports in full; otherwise the files that did not, and a failed run. */
export default async function* completeFiles(source: AsyncIterable<TestEvent>): AsyncGenerator<string, void> {
  const ledger = new TestFileLedger();
  for await (const event of source) ledger.take(event);
  const problems = ledger.problems();
  if (problems.length === 0) return;
  process.exitCode = 1;
  yield `\n✖ ${plural(problems.length, 'test file')} did not report all ${problems.length === 1 ? 'its' : 'their'} tests, so this run fails even where every reported test passed:\n`;
  for (const problem of problems) yield `  ✖ ${problem}\n`;
}
