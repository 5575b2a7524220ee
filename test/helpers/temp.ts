import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
// LIFEBOAT_TEST_RESTIC: the restic under test goes first on PATH before any test starts a process.
import './restic.ts';

/** A fresh folder removed after the test. */
export async function tempDir(t: TestContext, prefix = 'lifeboat-test-'): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  // Retries: a process a test stops in its own after-hook may still be writing here for a moment.
  t.after(() => rm(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
  return folder;
}
