import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { HTTP_STATUS } from '../../main/api/error-status.ts';
import { UsageError } from '../../main/cli/args.ts';
import { EXIT, EXIT_CODE } from '../../main/cli/exit-codes.ts';
import { ConfigConflictError, ConfigInvalidError, ConfigParseError } from '../../main/core/config/store.ts';
import { WrongPasswordError } from '../../main/core/restic/repository-service.ts';
import { ResticError } from '../../main/core/restic/restic.ts';
import { RestoreRefusedError } from '../../main/core/restic/restore-target.ts';
import { asDiskFull, ERROR_KINDS, UserError, unreachable } from '../../main/core/util/errors.ts';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';

test('every error kind has an HTTP status and an exit code, and the tables name no other kind', () => {
  assert.deepEqual(Object.keys(HTTP_STATUS).sort(), [...ERROR_KINDS].sort());
  assert.deepEqual(Object.keys(EXIT_CODE).sort(), [...ERROR_KINDS].sort());
  for (const kind of ERROR_KINDS) {
    const status = HTTP_STATUS[kind];
    assert.ok(Number.isInteger(status) && status >= 400 && status < 500, `${kind} → HTTP ${status} is a client-error status`);
    assert.ok(([EXIT.failure, EXIT.usage] as number[]).includes(EXIT_CODE[kind]), `${kind} → exit ${EXIT_CODE[kind]} is 1 or 2`);
  }
});

test('the kinds keep the statuses and exit codes the CLI and API gave before kinds existed', () => {
  // A missing plan, repository or hook: 404 and "invalid usage" (2).
  assert.equal(HTTP_STATUS['not-found'], 404);
  assert.equal(EXIT_CODE['not-found'], EXIT.usage);
  // A stale save: 409.
  assert.equal(HTTP_STATUS.conflict, 409);
  // A bad config or command line, a refused restore target: exit 2 (SPEC §9).
  for (const kind of ['usage', 'config', 'refused'] as const) assert.equal(EXIT_CODE[kind], EXIT.usage, kind);
  // Everything else a person can fix: 422 and exit 1.
  for (const kind of ['invalid', 'unavailable', 'restic'] as const) {
    assert.equal(HTTP_STATUS[kind], 422, kind);
    assert.equal(EXIT_CODE[kind], EXIT.failure, kind);
  }
});

test('a UserError without a kind is "invalid"; one given a kind keeps it and its cause', () => {
  assert.equal(new UserError('That value does not work.').kind, 'invalid');
  const cause = new Error('underneath');
  const error = new UserError('The port is taken.', { kind: 'busy', cause });
  assert.equal(error.kind, 'busy');
  assert.equal(error.cause, cause);
  assert.equal(error.message, 'The port is taken.');
});

test('each UserError subclass carries its fixed kind', () => {
  const cases: [UserError, string][] = [
    [new UsageError('"x" is not a lifeboat command.'), 'usage'],
    [new ConfigParseError('/c.yaml', 'bad indent', 3, 1), 'config'],
    [new ConfigInvalidError('/c.yaml', [{ path: 'plans', message: 'is required' }]), 'config'],
    [new ConfigConflictError('abc'), 'conflict'],
    [new RestoreRefusedError('/ is the live system.'), 'refused'],
    [new WrongPasswordError('The password does not open it.'), 'invalid'],
    [new ResticError({ kind: 'locked', message: 'The repository is locked.' }, []), 'restic'],
  ];
  for (const [error, kind] of cases) {
    assert.ok(error instanceof UserError, error.name);
    assert.equal(error.kind, kind, error.name);
  }
});

test('a full disk becomes an "unavailable" UserError; other errors pass through untouched', () => {
  const full = asDiskFull(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }), '/data/history.json');
  assert.ok(full instanceof UserError);
  assert.equal(full.kind, 'unavailable');
  const other = Object.assign(new Error('EACCES'), { code: 'EACCES' });
  assert.equal(asDiskFull(other, '/data'), other);
});

test('unreachable throws when a value the compiler ruled out arrives at run time', () => {
  assert.throws(() => unreachable('surprise' as never), /Unhandled case: "surprise"/);
});

/**
 * Behaviour decided by an error's wording breaks when a sentence is reworded. These are the
 * shapes that do it: a regex tested against a message, or a message searched for words.
 * (Reading restic's stderr is not in this list: restic gives words, not codes.)
 */
const TEXT_MATCHING: RegExp[] = [
  /\.(test|exec)\(\s*[\w.?]*\.message\b/, // /…/.test(error.message), /…/.exec(err.message)
  /\.(test|exec)\(\s*(message|msg|errorMessage\()/, // /…/.test(message), /…/.test(errorMessage(e))
  /\bmessage\??\.(includes|startsWith|endsWith|match|matchAll|search|indexOf)\(/, // error.message.includes(…), message.startsWith(…)
  /\bmsg\??\.(includes|startsWith|endsWith|match|matchAll|search|indexOf)\(/,
  /errorMessage\([^)]*\)\.(includes|startsWith|endsWith|match|search|indexOf)\(/,
  /String\(\s*(error|err|e|cause|reason)\s*\)\.(includes|startsWith|endsWith|match|search|indexOf)\(/,
  /\breason\??\.(includes|startsWith|endsWith|match|matchAll|search|indexOf)\(/, // run.reason?.includes('Hooks are off')
];

function matchesTextPattern(line: string): boolean {
  return TEXT_MATCHING.some((pattern) => pattern.test(line));
}

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${join('node_modules')}`));
}

test('the guard patterns catch the ways errors used to be recognised by their wording', () => {
  const formerly = [
    "if (error instanceof UserError) throw new ApiError(/^There is no (plan|repository)/.test(error.message) ? 404 : 422, 'refused', error.message);",
    '(error instanceof UserError && /^(There is no (plan|repository) |Plan "[^"]*" has no hook )/.test(error.message));',
    'const detail = /call stack/i.test(error.message)',
    "if (message.includes('locked')) return 'busy';",
    "if (error.message.startsWith('There is no')) status = 404;",
    "const found = /wrong password/.exec(err?.message ?? '');",
    "if (String(error).includes('ENOENT')) return;",
    "if (count > 0 && !run.reason?.includes('Hooks are off')) {",
  ];
  for (const line of formerly) assert.ok(matchesTextPattern(line), `not caught: ${line}`);
  const fine = [
    "if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;",
    'if (/repository is already locked/i.test(stderr)) {',
    "const detail = error.code === 'RESOURCE_EXHAUSTION'",
    "throw new ApiError(HTTP_STATUS[error.kind], 'refused', error.message);",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of source code, quoted as text
    "`${error.message.split('\\n')[0]} Fix the file, then restart Lifeboat; nothing runs until then.`",
  ];
  for (const line of fine) assert.ok(!matchesTextPattern(line), `flagged wrongly: ${line}`);
});

test('nothing in main/ or renderer/ decides by matching the wording of an error', async () => {
  const files = [...(await sourceFiles(join(PROJECT_ROOT, 'main'))), ...(await sourceFiles(join(PROJECT_ROOT, 'renderer', 'src')))];
  assert.ok(files.length > 50, `found only ${files.length} source files`);
  const found: string[] = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, index) => {
      if (matchesTextPattern(line)) found.push(`${relative(PROJECT_ROOT, file)}:${index + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, [], `Give the error a kind, a class or a code instead:\n${found.join('\n')}`);
});
