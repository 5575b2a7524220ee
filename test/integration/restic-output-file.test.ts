import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runRestic } from '../../main/core/restic/process.ts';
import { Redactor } from '../../main/core/util/redactor.ts';
import { tempDir } from '../helpers/temp.ts';

const sh = (script: string, stdoutFile: string, signal?: AbortSignal) =>
  runRestic({ binary: '/bin/sh', args: ['-c', script], env: { PATH: process.env.PATH ?? '' }, redactor: new Redactor(), stdoutFile, signal, graceMs: 2000 });

test('stdout written into a file arrives byte for byte, however large, and nothing of it is kept as output', async (t) => {
  const root = await tempDir(t);
  const target = join(root, 'dump');
  const invocation = await sh(`head -c 30000000 /dev/urandom | tee '${join(root, 'expected')}'; printf 'tail\\0\\n\\377'`, target);
  assert.equal(invocation.exitCode, 0, invocation.stderr);
  assert.equal((await stat(target)).size, 30_000_000 + 7);
  assert.deepEqual(await readFile(target), Buffer.concat([await readFile(join(root, 'expected')), Buffer.from('tail\0\n\xff', 'latin1')]));
  assert.equal(invocation.output, '');
});

test('a file that cannot be written is a failure with a sentence, and the process is stopped', async (t) => {
  const root = await tempDir(t);
  const started = Date.now();
  const invocation = await sh('while :; do echo data; done', join(root, 'no such folder', 'dump'));
  assert.notEqual(invocation.exitCode, 0);
  assert.match(invocation.stderr, /output could not be written to .*no such folder\/dump: ENOENT/);
  assert.ok(Date.now() - started < 15_000, 'the writer is stopped, not left to run');
});

test('a cancelled dump stops the process and says so', async (t) => {
  const root = await tempDir(t);
  const cancel = new AbortController();
  const running = sh('while :; do echo data; done', join(root, 'dump'), cancel.signal);
  setImmediate(() => cancel.abort());
  const invocation = await running;
  assert.equal(invocation.cancelled, true);
});
