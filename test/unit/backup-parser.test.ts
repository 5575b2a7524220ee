import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { type BackupMessage, parseBackupLine } from '../../main/core/restic/messages.ts';
import { LineSplitter } from '../../main/core/util/line-splitter.ts';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'restic');

function parseChunks(chunks: Buffer[]): BackupMessage[] {
  const messages: BackupMessage[] = [];
  const splitter = new LineSplitter((line) => {
    const message = parseBackupLine(line);
    if (message) messages.push(message);
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return messages;
}

test('recorded restic backup output parses into progress events and one summary', async () => {
  const data = await readFile(join(FIXTURES, 'backup-stdout.jsonl'));
  const messages = parseChunks([data]);
  const progress = messages.filter((m) => m.kind === 'progress');
  const summaries = messages.filter((m) => m.kind === 'summary');
  assert.equal(progress.length, 76);
  assert.equal(summaries.length, 1);
  const summary = summaries[0]!;
  assert.ok(summary.kind === 'summary');
  assert.equal(summary.summary.snapshot_id, 'e783a3f8');
  assert.equal(summary.summary.total_files_processed, 82);
  const withEta = progress.find((m) => m.kind === 'progress' && m.progress.secondsRemaining !== undefined);
  assert.ok(withEta?.kind === 'progress');
  assert.ok(withEta.progress.currentFile?.startsWith('/big/'));
  assert.ok(withEta.progress.percent > 0 && withEta.progress.percent < 1);
  assert.equal(withEta.progress.totalBytes, 301000003);
});

test('the parser gives the same events when the output is split at every possible chunk boundary', async () => {
  const data = await readFile(join(FIXTURES, 'backup-stdout.jsonl'));
  const expected = JSON.stringify(parseChunks([data]));
  // Every single split point of the whole recording (two chunks), and every point of a
  // three-way split around the boundaries of the first few lines.
  for (let cut = 0; cut <= data.length; cut += 1) {
    const got = JSON.stringify(parseChunks([data.subarray(0, cut), data.subarray(cut)]));
    if (got !== expected) assert.fail(`split at byte ${cut} changed the parsed events`);
  }
  const firstLines = data.indexOf('\n', data.indexOf('\n', data.indexOf('\n') + 1) + 1);
  for (let a = 0; a <= firstLines; a += 1) {
    for (let b = a; b <= firstLines + 2; b += 3) {
      const got = JSON.stringify(parseChunks([data.subarray(0, a), data.subarray(a, b), data.subarray(b)]));
      if (got !== expected) assert.fail(`split at bytes ${a} and ${b} changed the parsed events`);
    }
  }
});

test('byte-at-a-time delivery parses the same as one chunk', async () => {
  const data = await readFile(join(FIXTURES, 'backup-stdout.jsonl'));
  const bytes = Array.from({ length: data.length }, (_, i) => data.subarray(i, i + 1));
  assert.deepEqual(parseChunks(bytes), parseChunks([data]));
});

test('unreadable files reported on stderr become error messages with the item path', async () => {
  const data = await readFile(join(FIXTURES, 'backup-unreadable-stderr.txt'));
  const messages = parseChunks([data]);
  assert.deepEqual(messages[0], { kind: 'error', item: '/home/me/u/secret', during: 'archival', message: 'open: permission denied' });
  assert.equal(messages[1]?.kind, 'text');
});

test("restic 0.18's unreadable-file error and its closing exit_error read the same as 0.14's", async () => {
  const lines = (await readFile(join(FIXTURES, '0.18', 'backup-unreadable-stdout.jsonl'), 'utf8')).trim().split('\n');
  const stderr = (await readFile(join(FIXTURES, '0.18', 'backup-unreadable-stderr.txt'), 'utf8')).trim().split('\n');
  const messages = [...stderr, ...lines].map((line) => parseBackupLine(line));
  assert.deepEqual(messages[0], { kind: 'error', item: '/tmp/lifeboat-fixture/src/locked.txt', during: 'archival', message: 'open: permission denied' });
  assert.deepEqual(messages[1], { kind: 'text', text: 'Warning: at least one source file could not be read' });
  assert.equal(messages[2]?.kind, 'summary');
});
