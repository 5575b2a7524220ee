import assert from 'node:assert/strict';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateConfig } from '../../main/core/config/validate.ts';
import { resticTimeNs, sameBytes } from '../../main/core/verify/compare-files.ts';
import { largestCount, type SnapshotFile, sampleFiles } from '../../main/core/verify/sample-files.ts';
import { isVerifyDue } from '../../main/core/verify/verify-due.ts';
import { includePattern, shown } from '../../main/core/verify/verify-run.ts';
import { tempDir } from '../helpers/temp.ts';

/** `count` files under /data, a day apart (f0 the oldest), sizes 100 + i. */
function files(count: number): SnapshotFile[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `/data/f${String(i).padStart(4, '0')}`,
    size: 100 + i,
    mtime: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
  }));
}

test('the same files, seed and count draw the same sample, whatever order the files come in; another seed draws another', () => {
  const all = files(500);
  const one = sampleFiles(all, { count: 20, seed: 42 });
  const shuffled = [...all].reverse();
  assert.deepEqual(
    sampleFiles(shuffled, { count: 20, seed: 42 }).map((file) => file.path),
    one.map((file) => file.path),
  );
  assert.equal(one.length, 20);
  assert.equal(new Set(one.map((file) => file.path)).size, 20, 'no file twice');
  assert.notDeepEqual(
    sampleFiles(all, { count: 20, seed: 43 }).map((file) => file.path),
    one.map((file) => file.path),
  );
});

test('the largest files are always in the sample, a fifth of it', () => {
  const all = files(500);
  for (const seed of [1, 2, 3, 99, 0xffffffff]) {
    const paths = new Set(sampleFiles(all, { count: 20, seed }).map((file) => file.path));
    for (const largest of all.slice(-largestCount(20))) assert.ok(paths.has(largest.path), `${largest.path} (one of the largest) with seed ${seed}`);
  }
  assert.equal(largestCount(1), 1);
  assert.equal(largestCount(20), 4);
});

test('files the last backup changed and the newest files are drawn far more often than old unchanged ones', () => {
  const all = files(1000).map((file) => ({ ...file, size: 100 })); // same sizes: only the weighting decides
  const changed = new Set(all.slice(100, 150).map((file) => file.path)); // old by mtime, but changed by the last backup
  const newest = new Set(all.slice(-100).map((file) => file.path));
  let changedHits = 0;
  let newestHits = 0;
  let otherHits = 0;
  for (let seed = 0; seed < 200; seed++) {
    for (const file of sampleFiles(all, { count: 20, seed, changed })) {
      if (changed.has(file.path)) changedHits += 1;
      else if (newest.has(file.path)) newestHits += 1;
      else otherHits += 1;
    }
  }
  // Per file: changed ones weigh 9, the newest tenth 5, the rest 1.
  const perChanged = changedHits / 50;
  const perNewest = newestHits / 100;
  const perOther = otherHits / 850;
  assert.ok(perChanged > 4 * perOther, `changed files drawn ${perChanged.toFixed(2)} times each, others ${perOther.toFixed(2)}`);
  assert.ok(perNewest > 2.5 * perOther, `newest files drawn ${perNewest.toFixed(2)} times each, others ${perOther.toFixed(2)}`);
  assert.ok(otherHits > 0, 'an old unchanged file still has its chance');
});

test('a sample bigger than the snapshot takes every file once; an empty snapshot gives an empty sample', () => {
  const all = files(7);
  assert.deepEqual(
    sampleFiles(all, { count: 1000, seed: 5 }).map((file) => file.path),
    all.map((file) => file.path),
  );
  assert.deepEqual(sampleFiles([], { count: 20, seed: 5 }), []);
  assert.equal(sampleFiles(all, { count: 7, seed: 5 }).length, 7);
});

test('hostile names (quotes, $(), newlines, 5,000 characters) are sampled like any other and kept exactly', () => {
  const hostile = [
    `/data/it's "quoted" $(touch pwned) \`x\`.txt`,
    '/data/new\nline',
    `/data/${'n'.repeat(5000)}`,
    '/data/*?[glob]\\',
    '/data/ trailing space ',
  ];
  const all = [...files(50), ...hostile.map((path, i) => ({ path, size: 10 + i, mtime: '2026-06-01T00:00:00.123456789+02:00' }))];
  const paths = sampleFiles(all, { count: 1000, seed: 7 }).map((file) => file.path);
  for (const path of hostile) assert.ok(paths.includes(path), JSON.stringify(path.slice(0, 40)));
  const drawn = sampleFiles(all, { count: 30, seed: 7 }).map((file) => file.path);
  assert.deepEqual(
    sampleFiles([...all].reverse(), { count: 30, seed: 7 }).map((file) => file.path),
    drawn,
  );
  assert.equal(shown('/data/new\nline'), '"/data/new\\nline"', 'a newline never breaks the one-line reason');
  assert.ok(shown(`/data/${'n'.repeat(5000)}`).length < 300, 'a 5,000-character name is shortened in sentences');
});

test("include patterns match the path literally: restic's glob characters are escaped, everything else is left alone", () => {
  assert.equal(includePattern('/data/plain.txt'), '/data/plain.txt');
  assert.equal(includePattern('/data/*?[x]\\'), '/data/\\*\\?\\[x]\\\\');
  assert.equal(includePattern(`/data/"q" $(x) new\nline`), `/data/"q" $(x) new\nline`);
});

test("restic's times are read to the nanosecond in any offset; anything else is not a time", () => {
  assert.equal(resticTimeNs('2026-11-30T01:48:41.222350702Z'), 1_796_003_321_222_350_702n);
  assert.equal(resticTimeNs('2026-11-30T02:48:41.222350702+01:00'), 1_796_003_321_222_350_702n);
  assert.equal(resticTimeNs('2026-11-30T01:48:41Z'), 1_796_003_321_000_000_000n);
  assert.equal(resticTimeNs('2026-11-30T01:48:41.5-00:30'), 1_796_005_121_500_000_000n);
  assert.equal(resticTimeNs('yesterday'), undefined);
  assert.equal(resticTimeNs(undefined), undefined);
});

test('two files are the same when every byte is, even past the first chunk', async (t) => {
  const folder = await tempDir(t);
  const a = join(folder, 'a');
  const b = join(folder, 'b');
  const content = Buffer.alloc(3 * 1024 * 1024 + 17, 9);
  await writeFile(a, content);
  await writeFile(b, content);
  assert.equal(await sameBytes(a, b), true);
  content[2 * 1024 * 1024 + 5] = 1;
  await writeFile(b, content);
  await utimes(b, 0, 0);
  assert.equal(await sameBytes(a, b), false);
  await writeFile(b, content.subarray(0, 100));
  assert.equal(await sameBytes(a, b), false, 'a shorter file differs');
});

test('a restore check is due when there was none, or when verify.every has passed since the last one ended', () => {
  const every = { ms: 30 * 86_400_000, text: '30d' };
  const now = new Date('2026-11-30T12:00:00Z');
  const last = (endedAt: string) => ({ run: '01M8N2VKHJWC0RNF2P0FQDMPHZ', status: 'success' as const, verified: 20, sampled: 20, endedAt });
  assert.equal(isVerifyDue(every, undefined, now), true);
  assert.equal(isVerifyDue(every, last('2026-11-20T12:00:00Z'), now), false);
  assert.equal(isVerifyDue(every, last('2026-10-31T12:00:00Z'), now), true);
  assert.equal(isVerifyDue(every, last('not a time'), now), true);
});

test('verify in a plan: every 1d–366d and sample 1–1000 (20 when left out); anything else is named with its bounds', () => {
  const config = (verify: unknown) => ({
    version: 1,
    repositories: [{ id: 'nas', url: '/srv/restic', passwordEnv: 'PW' }],
    plans: [{ id: 'docs', repository: 'nas', sources: ['/home/me/docs'], verify }],
  });
  const good = validateConfig(config({ every: '30d' }));
  assert.ok(good.ok);
  assert.deepEqual(good.config.plans[0]?.verify, { every: { ms: 30 * 86_400_000, text: '30d' }, sample: 20 });
  const problems = (verify: unknown) => {
    const result = validateConfig(config(verify));
    return result.ok ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
  };
  assert.deepEqual(problems({ every: '12h', sample: 0 }), [
    'plans[0].verify.every: "12h" is out of bounds; use a duration between 1d and 366d',
    'plans[0].verify.sample: must be at least 1 file',
  ]);
  assert.deepEqual(problems({ every: '367d', sample: 1001 }), [
    'plans[0].verify.every: "367d" is out of bounds; use a duration between 1d and 366d',
    'plans[0].verify.sample: must be at most 1000 files (a spot check, not a full restore)',
  ]);
  assert.deepEqual(problems({ every: '30d', sample: 2.5 }), ['plans[0].verify.sample: is not a whole number of files (try 20)']);
  assert.deepEqual(problems({ every: '30d', sample: '$(reboot)' }), ['plans[0].verify.sample: is not a number of files (try 20)']);
  assert.deepEqual(problems({ every: '30d', often: true }), ['plans[0].verify.often: is not a setting Lifeboat knows; remove it or check its spelling']);
  assert.ok(validateConfig(config({ every: '1d', sample: 1 })).ok);
  assert.ok(validateConfig(config({ every: '366d', sample: 1000 })).ok);
});
