import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommandLine, SAMPLE_BOUNDS, UsageError } from '../../main/cli/args.ts';
import { VERIFY_SAMPLE_BOUNDS } from '../../main/core/config/limits.ts';
import { cliHere } from '../helpers/cli-in-process.ts';

/** The sentence a command line is refused with: a usage error (exit 2), never the argument parser's own words. */
function refusal(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    assert.ok(error instanceof UsageError, `${argv.join(' ')}: ${String(error)}`);
    return error.message;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

const PARSER_WORDS = /ambiguous|Did you forget|--limit=-XYZ|argument missing|Option '/;

test('history --limit with a negative, non-numeric or zero value says what --limit takes, in the words the other values get', () => {
  for (const argv of [
    ['history', '--limit', '-1'],
    ['history', '--limit=-1'],
    ['history', '--limit', 'abc'],
    ['history', '--limit', '0'],
    ['history', '--limit', '1.5'],
    ['history', '--limit', '1e3'],
    ['history', '--limit', ''],
    ['history', 'docs', '--limit', '-20'],
  ]) {
    const value = argv[argv.length - 1]!.replace(/^--limit=/, '');
    assert.equal(refusal(argv), `--limit ${JSON.stringify(value)} is not a whole number of runs; use e.g. --limit 50.`, argv.join(' '));
  }
});

test('a number option with no value after it (at the end, or before another option) says what it takes', () => {
  const cases: Array<[string[], string]> = [
    [['history', '--limit'], '--limit needs a whole number of runs after it, e.g. --limit 50.'],
    [['history', '--limit', '--json'], '--limit needs a whole number of runs after it, e.g. --limit 50.'],
    [['verify', 'docs', '--sample'], '--sample needs a number of files after it (a whole number from 1 to 1000), e.g. --sample 20.'],
    [['serve', '--port'], '--port needs a port number after it (0–65535; 0 picks a free one), e.g. --port 17878.'],
  ];
  for (const [argv, sentence] of cases) {
    const message = refusal(argv);
    assert.equal(message, sentence, argv.join(' '));
    assert.doesNotMatch(message, PARSER_WORDS);
  }
});

test('--sample and --port refuse a negative value with their own sentence, not the parser’s', () => {
  assert.equal(refusal(['verify', 'docs', '--sample', '-3']), '--sample "-3" is not a number of files; give a whole number from 1 to 1000, e.g. --sample 20.');
  assert.equal(
    refusal(['verify', 'docs', '--sample', '1001']),
    '--sample "1001" is not a number of files; give a whole number from 1 to 1000, e.g. --sample 20.',
  );
  assert.equal(refusal(['serve', '--port', '-1']), '--port "-1" is not a port number (0–65535; 0 picks a free one).');
  assert.equal(refusal(['serve', '--port', '65536']), '--port "65536" is not a port number (0–65535; 0 picks a free one).');
  assert.equal(refusal(['serve', '--port', '']), '--port "" is not a port number (0–65535; 0 picks a free one).');
});

test('number options are read once, as numbers; absent ones stay undefined', () => {
  assert.equal(parseCommandLine(['history', '--limit', '50']).limit, 50);
  assert.equal(parseCommandLine(['history', 'docs', '--limit=7']).limit, 7);
  assert.equal(parseCommandLine(['history']).limit, undefined);
  assert.equal(parseCommandLine(['verify', 'docs', '--sample', '1000']).sample, 1000);
  assert.equal(parseCommandLine(['serve', '--port', '0']).port, 0);
  assert.equal(parseCommandLine(['serve', '--port', '17878']).port, 17878);
});

test('a value after "--" is a positional, and a command that does not take --limit still says so first', () => {
  assert.equal(refusal(['plans', '--limit', '-1']), '"plans" does not take --limit. Usage: lifeboat plans [--json]');
  assert.deepEqual(parseCommandLine(['versions', 'docs', '--', '--limit']).positionals, ['docs', '--limit']);
});

test('lifeboat history --limit -1 exits 2 with the sentence on stderr, and as a JSON error with --json', async () => {
  const human = await cliHere(['history', '--limit', '-1']);
  assert.equal(human.code, 2);
  assert.equal(human.stdout, '');
  assert.equal(human.stderr.trim(), '✘ --limit "-1" is not a whole number of runs; use e.g. --limit 50.');
  const json = await cliHere(['--json', 'history', '--limit', '-1']);
  assert.equal(json.code, 2);
  assert.deepEqual(JSON.parse(json.stdout), { error: { message: '--limit "-1" is not a whole number of runs; use e.g. --limit 50.', exitCode: 2 } });
});

test("--sample takes what a plan's verify.sample takes (the command line keeps its own copy of the bounds, to load no config module)", () => {
  assert.deepEqual(SAMPLE_BOUNDS, VERIFY_SAMPLE_BOUNDS);
  assert.equal(parseCommandLine(['verify', 'docs', '--sample', String(VERIFY_SAMPLE_BOUNDS[1])]).sample, VERIFY_SAMPLE_BOUNDS[1]);
});

test('an option that takes a value, given none or one starting with a dash, says what it takes, never the parser’s words', () => {
  const cases: Array<[string[], string]> = [
    [['run', 'docs', '--trigger'], '--trigger needs a value after it, e.g. --trigger manual (or schedule).'],
    [['serve', '--host'], '--host needs a value after it, e.g. --host 127.0.0.1.'],
    [['restore', 'docs', 'latest', '--target'], '--target needs a value after it, e.g. --target ~/restored.'],
    [['--config'], '--config needs a value after it, e.g. --config ~/lifeboat.json.'],
    [
      ['restore', 'docs', 'latest', '--target', '-restored'],
      '--target needs a value after it, e.g. --target ~/restored. A value that starts with "-" is written joined to it: --target=-restored.',
    ],
  ];
  for (const [argv, sentence] of cases) {
    const message = refusal(argv);
    assert.equal(message, sentence, argv.join(' '));
    assert.doesNotMatch(message, PARSER_WORDS);
  }
  assert.equal(parseCommandLine(['restore', 'docs', 'latest', '--target=-restored']).target, '-restored', 'joined, it is taken');
});
