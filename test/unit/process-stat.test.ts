import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { processIds, processStat } from '../../main/core/util/process-stat.ts';
import { exited } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

test('a process whose name holds spaces and ") " is read past its name: its parent, group and start', { skip: process.platform !== 'linux' }, async (t) => {
  const root = await tempDir(t);
  const named = join(root, 'x) 1 2 (y');
  await symlink('/bin/sleep', named);
  const child = spawn(named, ['30'], { detached: true, stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  const stat = processStat(child.pid!);
  assert.ok(stat, 'the process is read');
  assert.equal(stat.parent, process.pid);
  assert.equal(stat.group, child.pid, 'detached: it leads its own group');
  assert.match(stat.start, /^\d+$/);
  assert.equal(processStat(child.pid!)?.start, stat.start, 'its start is the same each time it is read');
  assert.ok(processIds().includes(child.pid!));
  child.kill('SIGKILL');
  await exited(child);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(processStat(child.pid!), undefined, 'a process that is gone reads as undefined');
});
