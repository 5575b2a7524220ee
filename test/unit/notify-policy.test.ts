import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunStatus } from '../../main/core/config/schema.ts';
import { DEFAULT_SETTINGS, type NotifyStatus, type Plan } from '../../main/core/config/types.ts';
import { notificationFor } from '../../main/core/notify/message.ts';
import { decideNotification, type NotifyMemory } from '../../main/core/notify/policy.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const DEFAULT: NotifyStatus[] = ['failure', 'warning', 'recovery'];

function plan(desktop: NotifyStatus[] = DEFAULT, enabled = true): Plan {
  return {
    id: 'docs',
    name: 'Documents',
    enabled: true,
    repository: 'r',
    sources: ['/x'],
    excludes: [],
    schedule: null,
    catchUp: true,
    hooks: [],
    notifications: { desktop, enabled },
    monitors: [],
  };
}

/** Runs a sequence of outcomes through the policy and says which ones notified, and as what. */
function sequence(
  outcomes: Array<[RunStatus, string | null, number?]>,
  desktop: NotifyStatus[] = DEFAULT,
  settings = DEFAULT_SETTINGS,
  planEnabled = true,
): string[] {
  let memory: NotifyMemory = {};
  const told: string[] = [];
  for (const [status, reason, hoursLater = 0] of outcomes) {
    const decision = decideNotification(plan(desktop, planEnabled), settings, { status, reason }, memory, new Date(NOW.getTime() + hoursLater * 3_600_000));
    memory = decision.memory;
    told.push(decision.notify ? decision.kind : '-');
  }
  return told;
}

test('defaults: failure, warning and recovery are told; success, skipped and cancelled are not', () => {
  const statuses: RunStatus[] = ['success', 'warning', 'failure', 'skipped', 'cancelled'];
  assert.deepEqual(
    statuses.map((status) => sequence([[status, status === 'success' ? null : `${status} reason`]])[0]),
    ['-', 'warning', 'failure', '-', '-'],
  );
});

test('each status is told when the plan asks for it', () => {
  for (const status of ['success', 'warning', 'failure', 'skipped'] as const) {
    assert.deepEqual(sequence([[status, 'why']], [status]), [status], status);
    const others = (['success', 'warning', 'failure', 'skipped'] as const).filter((s) => s !== status);
    assert.deepEqual(
      sequence(
        [[status, 'why']],
        others.filter((s) => s !== status),
      ),
      ['-'],
      `${status} not asked for`,
    );
  }
});

test('the same failure is told once, again after 24 h, and at once when the reason changes', () => {
  assert.deepEqual(
    sequence([
      ['failure', 'Wrong password', 0],
      ['failure', 'Wrong password', 1],
      ['failure', 'Wrong password', 23],
      ['failure', 'Wrong password', 24.5],
      ['failure', 'Repository unreachable', 25],
      ['failure', 'Repository unreachable', 26],
    ]),
    ['failure', '-', '-', 'failure', 'failure', '-'],
  );
});

test('the first success after failures is a recovery; later successes are quiet; a skip in between does not hide it', () => {
  assert.deepEqual(
    sequence([
      ['failure', 'Disk full', 0],
      ['skipped', 'Battery at 15 %, below 30 %', 1],
      ['success', null, 2],
      ['success', null, 3],
    ]),
    ['failure', '-', 'recovery', '-'],
  );
  assert.deepEqual(
    sequence(
      [
        ['failure', 'x'],
        ['success', null],
      ],
      ['success'],
    ),
    ['-', 'success'],
    'recovery not asked for: a plain success',
  );
  assert.deepEqual(
    sequence(
      [
        ['failure', 'x'],
        ['success', null],
      ],
      ['failure'],
    ),
    ['failure', '-'],
  );
});

test('a failure after a recovery is told again even with the same reason', () => {
  assert.deepEqual(
    sequence([
      ['failure', 'Disk full', 0],
      ['success', null, 1],
      ['failure', 'Disk full', 2],
    ]),
    ['failure', 'recovery', 'failure'],
  );
});

test('notifications off globally or for the plan tell nothing', () => {
  assert.deepEqual(sequence([['failure', 'x']], DEFAULT, { ...DEFAULT_SETTINGS, notifications: false }), ['-']);
  assert.deepEqual(sequence([['failure', 'x']], DEFAULT, DEFAULT_SETTINGS, false), ['-']);
});

test('titles and bodies read at a glance; a skip says why', () => {
  const run = { id: 'r1', plan: 'docs', reason: 'Battery at 15 %, below 30 %', snapshotId: null, summary: null } as unknown as RunRecord;
  assert.deepEqual(notificationFor('skipped', 'Documents', run), {
    runId: 'r1',
    planId: 'docs',
    title: 'Backup skipped — Documents',
    body: 'Skipped: battery at 15 %, below 30 %',
    urgency: 'low',
  });
  const failed = { ...run, reason: 'The password for /srv/restic is wrong.' };
  assert.deepEqual(notificationFor('failure', 'Documents', failed), {
    runId: 'r1',
    planId: 'docs',
    title: 'Backup failed — Documents',
    body: 'The password for /srv/restic is wrong.',
    urgency: 'critical',
    actions: ['retry', 'snooze', 'open-log'],
  });
});
