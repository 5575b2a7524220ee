import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawConfig } from '../../main/core/config/edit.ts';
import { checkRetentionDraft } from '../../main/core/config/retention-draft.ts';
import type { RetentionPreview } from '../../main/core/restic/retention-preview.ts';
import { retentionWhatIf, WHAT_IF_LIST_LIMIT } from '../../main/core/restic/retention-what-if.ts';

const snapshot = (i: number) => ({
  id: i.toString(16).padStart(64, '0'),
  shortId: i.toString(16).padStart(8, '0'),
  time: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
  reasons: [],
});

test('a preview of thousands of snapshots carries whole counts and bounded lists, newest first as restic gave them', () => {
  const remove = Array.from({ length: 3000 }, (_, i) => snapshot(3000 - i));
  const keep = [snapshot(5000), snapshot(4000)];
  const preview: RetentionPreview = { plan: 'docs', retention: { keepLast: 2 }, keep, remove, oldestKept: keep[1]!.time };
  const answer = retentionWhatIf(preview);
  assert.deepEqual([answer.snapshots, answer.keeps, answer.removes, answer.policy], [3002, 2, 3000, true]);
  assert.equal(answer.remove.length, WHAT_IF_LIST_LIMIT);
  assert.equal(answer.remove[0], remove[0]);
  assert.equal(answer.keep.length, 2);
  assert.equal(answer.sentence, `Keeps 2 snapshots, removes 3000 (oldest kept: ${keep[1]!.time.slice(0, 10)}).`);
  assert.equal(
    retentionWhatIf({ ...preview, keep: [keep[0]!], remove: [], oldestKept: keep[0]!.time }).sentence,
    `Keeps 1 snapshot, removes 0 (oldest kept: ${keep[0]!.time.slice(0, 10)}).`,
  );
});

test('a draft is checked like a save: problems at their place inside the plan, no policy for null or {}, an unknown plan named', () => {
  const raw: RawConfig = {
    version: 1,
    repositories: [{ id: 'nas', name: 'NAS', url: '/srv/restic', passwordEnv: 'PW' }],
    plans: [
      { id: 'docs', name: 'Docs', repository: 'nas', sources: ['/home/me/docs'] },
      { id: 'photos', name: 'Photos', repository: 'nas', sources: ['/home/me/photos'], retention: { keepLast: 3 } },
    ],
  };
  assert.deepEqual(checkRetentionDraft(raw, 'photos', null), { ok: true, retention: null });
  assert.deepEqual(checkRetentionDraft(raw, 'photos', {}), { ok: true, retention: null });
  assert.deepEqual(checkRetentionDraft(raw, 'photos', { keepDaily: 7, keepWithin: '2d' }), {
    ok: true,
    retention: { keepDaily: 7, keepWithin: { ms: 172_800_000, text: '2d' } },
  });
  const bad = checkRetentionDraft(raw, 'photos', { keepDaily: 0, keepHourly: 'x', nope: 1 });
  assert.equal(bad.ok, false);
  assert.deepEqual(
    (bad.ok ? [] : bad.problems).sort((a, b) => a.path.localeCompare(b.path)),
    [
      { path: 'retention.keepDaily', message: 'must be at least 1' },
      { path: 'retention.keepHourly', message: 'must be a number, not "x"' },
      { path: 'retention.nope', message: 'is not a setting Lifeboat knows; remove it or check its spelling' },
    ],
  );
  assert.deepEqual(checkRetentionDraft(raw, 'gone', { keepLast: 1 }), { ok: false, problems: [{ path: 'plan', message: 'there is no plan "gone"' }] });
  assert.deepEqual(raw.plans?.[1]?.retention, { keepLast: 3 }, 'the config in use is not touched');
});
