import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePreview } from '../../main/cli/commands/restore.ts';
import { nanosOf, type PreviewList, type RestorePreview } from '../../main/core/restic/restore-preview.ts';

test('restic times keep their nanoseconds, whatever the offset, so a file one nanosecond newer is newer', () => {
  const second = BigInt(Date.parse('2026-11-20T14:00:00Z')) * 1_000_000n;
  assert.equal(nanosOf('2026-11-20T14:00:00.123456789Z'), second + 123_456_789n);
  assert.equal(nanosOf('2026-11-20T15:00:00.123456789+01:00'), nanosOf('2026-11-20T14:00:00.123456789Z'));
  assert.equal(nanosOf('2026-11-20T14:00:00Z'), second);
  assert.equal(nanosOf('2026-11-20T14:00:00.5Z'), second + 500_000_000n);
  assert.ok(nanosOf('2026-11-20T14:00:00.000000002Z') > nanosOf('2026-11-20T14:00:00.000000001Z'));
});

function list(paths: string[], count = paths.length): PreviewList {
  return {
    count,
    bytes: count * 10,
    files: paths.map((path) => ({ path, size: 10, mtime: '2026-11-20T14:00:00Z', disk: { size: 12, mtime: '2026-11-29T10:00:00Z', type: 'file' as const } })),
  };
}

test('the dry run in words: counts, then the files newer on disk called out, then each list, cut at 20 with how many more', () => {
  const many = Array.from({ length: 25 }, (_, index) => `/home/me/docs/new-${index}.txt`);
  const preview: RestorePreview = {
    plan: 'docs',
    snapshot: { id: 'a'.repeat(64), shortId: 'aaaaaaaa', time: '2026-11-20T14:00:00Z' },
    overwrite: 'always',
    target: null,
    include: ['/home/me/docs'],
    created: list(many, 300),
    overwritten: list(['/home/me/docs/edited\ntoday.txt']),
    kept: list([]),
    unchanged: list([], 7),
    newerOnDisk: list(['/home/me/docs/edited\ntoday.txt']),
  };
  const text = describePreview(preview);
  assert.match(text, /^Restoring 1 path of aaaaaaaa \(2026-11-20 \d\d:00\) of docs in place \(--overwrite always\) would:\n/);
  assert.match(
    text,
    /\n {2}create {5}300 files \(2\.9 KiB\)\n {2}overwrite {2}1 file \(10 B\)\n {2}keep {7}0 files that differ from the snapshot \(by the policy\)\n {2}unchanged {2}7 files already as in the snapshot\n/,
  );
  assert.match(
    text,
    /\n! 1 file on disk is newer than the snapshot's copy and would be overwritten:\n {2}"\/home\/me\/docs\/edited\\ntoday\.txt" {2}\(on disk 2026-11-29 \d\d:00, snapshot 2026-11-20 \d\d:00\)\n/,
  );
  assert.match(text, /\nCreated \(300\):\n(?: {2}\/home\/me\/docs\/new-\d+\.txt\n){20} {2}… and 280 more \(--json lists up to 25\)\n/);
  assert.doesNotMatch(text, /\nKept/, 'an empty list is left out');
  assert.match(text, /Nothing was changed \(--dry-run\)\.\n$/);
});
