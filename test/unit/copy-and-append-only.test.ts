import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatProblem, validateConfig } from '../../main/core/config/validate.ts';
import { classifyResticError, isPermanentFailure } from '../../main/core/restic/classify.ts';
import { RepositoryQueue } from '../../main/core/runs/repository-queue.ts';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';

const context = { repository: 'rest:http://127.0.0.1:8000/', passwordSource: 'the environment variable PW', command: 'forget' };

test("an append-only server's refusal to delete, as restic 0.14 and 0.18 print it, is told as such and names the appendOnly flag", async () => {
  for (const file of ['append-only-forget-0.14-stderr.txt', 'append-only-forget-0.18-stderr.txt']) {
    const stderr = await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'restic', file), 'utf8');
    const failure = classifyResticError(file.includes('0.18') ? 0 : 1, stderr, context);
    assert.equal(failure.kind, 'append-only', file);
    assert.equal(
      failure.message,
      `The repository rest:http://127.0.0.1:8000/ refused to delete data during restic forget: the server is append-only. Set "appendOnly": true on this repository so Lifeboat never runs forget or prune there (retention is applied by the server's owner).`,
    );
  }
  assert.equal(isPermanentFailure('append-only'), true, 'a scheduled retry would be refused again, after one more snapshot');
  // A 403 on anything but a delete is not an append-only refusal.
  assert.notEqual(classifyResticError(1, 'Load(<config/0000000000>) failed: unexpected HTTP response (403): 403 Forbidden', context).kind, 'append-only');
});

test('a task that hands on its turn lets the next task on its repository start while it goes on', { timeout: 5000 }, async () => {
  const queue = new RepositoryQueue();
  const events: string[] = [];
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const first = queue.enqueue('local', async (release) => {
    events.push('first holds local');
    release();
    release(); // twice changes nothing
    await done;
    events.push('first ends');
  });
  await queue.enqueue('local', async () => {
    events.push('second runs');
  });
  assert.deepEqual(events, ['first holds local', 'second runs']);
  finish();
  await first;
  assert.deepEqual(events, ['first holds local', 'second runs', 'first ends']);
  assert.equal(queue.busy('local'), false);
});

function config(copyTo: unknown, extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    repositories: [
      { id: 'nas', url: '/mnt/nas/restic', passwordEnv: 'NAS_PASSWORD' },
      { id: 'offsite', url: 'rest:https://example.com/me/', passwordEnv: 'OFFSITE_PASSWORD', appendOnly: true },
    ],
    plans: [{ id: 'docs', repository: 'nas', sources: ['/home/me/docs'], copyTo, ...extra }],
  };
}

function problems(raw: unknown): string[] {
  const result = validateConfig(raw, { home: '/home/me' });
  return result.ok ? [] : result.problems.map(formatProblem);
}

test('copyTo takes repository ids or {repository, retention}; the loaded plan has them one shape, the repository its appendOnly flag', () => {
  const result = validateConfig(config(['offsite']), { home: '/home/me' });
  assert.ok(result.ok);
  assert.deepEqual(result.config.plans[0]!.copyTo, [{ repository: 'offsite' }]);
  assert.equal(result.config.repositories[1]!.appendOnly, true);
  assert.equal(result.config.repositories[0]!.appendOnly, false);
  const withRetention = validateConfig(config([{ repository: 'offsite', retention: { keepLast: 3, keepWithin: '30d' } }]), { home: '/home/me' });
  assert.ok(withRetention.ok);
  assert.equal(withRetention.config.plans[0]!.copyTo![0]!.retention?.keepLast, 3);
  assert.equal(withRetention.config.plans[0]!.copyTo![0]!.retention?.keepWithin?.ms, 30 * 86_400_000);
  assert.deepEqual(validateConfig(config(undefined), { home: '/home/me' }).ok && [], []);
});

test('copyTo naming an unknown repository, the plan’s own, or one twice is refused with the fix; every problem at once', () => {
  assert.deepEqual(problems(config(['offsite', 'nas', '$(id)', { repository: 'offsite' }])), [
    'plans[0].copyTo[1]: "nas" is the plan\'s own repository; a second copy goes to another repository (remove it here)',
    'plans[0].copyTo[2]: no repository has the id "$(id)" (known: offsite)',
    'plans[0].copyTo[3].repository: "offsite" is listed already at plans[0].copyTo[0]; copy to each repository once',
  ]);
  assert.deepEqual(problems(config([42])), [
    'plans[0].copyTo[0]: must be a repository id such as "offsite", or {"repository": "offsite", "retention": {"keepLast": 10}} (retention keys as the plan\'s)',
  ]);
  assert.deepEqual(problems(config('offsite')), ['plans[0].copyTo: must be a list [ … ], not "offsite"']);
  assert.deepEqual(problems(config(['x'.repeat(5000)])).length, 2, 'too long, and unknown');
  const appendOnly = config([]);
  (appendOnly.repositories[1] as Record<string, unknown>).appendOnly = 'yes';
  assert.deepEqual(problems(appendOnly), ['repositories[1].appendOnly: must be true or false, not "yes"']);
});
