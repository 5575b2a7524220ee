import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../main/core/config/store.ts';
import { resticAccess } from '../../main/core/restic/credentials.ts';
import { Restic } from '../../main/core/restic/restic.ts';
import { previewRetention } from '../../main/core/restic/retention-preview.ts';
import { planTags } from '../../main/core/runs/backup-run.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

interface ShortSnapshot {
  id: string;
  shortId: string;
  time: string;
}

async function snapshotsOf(setup: Setup, plan: string): Promise<ShortSnapshot[]> {
  const result = await lifeboatHere(setup, 'snapshots', plan, '--json');
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as Array<ShortSnapshot & { tags: string[] }>).filter((snapshot) => snapshot.tags.includes(`plan:${plan}`));
}

test('the retention preview removes exactly what forget then really removes, and removes nothing itself', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  // The plan's policy is set only after the backups, so the runs themselves forget nothing.
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  const env = setup.env;
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  for (let i = 0; i < 5; i += 1) {
    await writeFile(join(source, 'a.txt'), `edit ${i}`);
    assert.equal((await lifeboatHere(setup, 'run', 'docs')).code, 0);
  }
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  config.plans[0].retention = { keepLast: 2 };
  await writeFile(setup.configFile, JSON.stringify(config));
  const before = await snapshotsOf(setup, 'docs');
  assert.equal(before.length, 5);

  const result = await lifeboat(setup.args('retention', 'preview', 'docs', '--json'), { env });
  assert.equal(result.code, 0, result.stderr);
  const preview = JSON.parse(result.stdout);
  assert.equal(preview.plan, 'docs');
  assert.deepEqual(preview.retention, { keepLast: 2 });
  assert.equal(preview.keep.length, 2);
  assert.equal(preview.remove.length, 3);
  assert.deepEqual(Object.keys(preview.keep[0]).sort(), ['id', 'reasons', 'shortId', 'time']);
  assert.equal(preview.oldestKept, before[3]!.time);
  assert.deepEqual(await snapshotsOf(setup, 'docs'), before, 'a preview removes nothing');

  const text = await lifeboat(setup.args('retention', 'preview', 'docs'), { env });
  assert.match(text.stdout, /^Keeps 2 snapshots, removes 3 \(oldest kept: \d{4}-\d\d-\d\d \d\d:\d\d\)\.$/m);

  // What the plan's run really does: restic forget with the plan's tags and policy.
  const loaded = await loadConfig(setup.configFile);
  const restic = new Restic({
    binary: 'restic',
    access: resticAccess(loaded.config.repositories[0]!, { ...process.env, ...env }),
    processEnv: { ...process.env, ...env },
  });
  await restic.forget({ keepLast: 2 }, { tags: planTags('docs') });
  const after = await snapshotsOf(setup, 'docs');
  assert.deepEqual(
    after.map((snapshot) => snapshot.id),
    preview.keep.map((snapshot: ShortSnapshot) => snapshot.id).reverse(),
  );
  assert.deepEqual(
    before.filter((snapshot) => !after.some((kept) => kept.id === snapshot.id)).map((snapshot) => snapshot.id),
    preview.remove.map((snapshot: ShortSnapshot) => snapshot.id).reverse(),
  );
});

test('a draft policy is previewed without saving it; another plan in the same repository is not counted', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source], retention: { keepLast: 10 } },
    { id: 'other', sources: [source] },
  ]);
  const env = setup.env;
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  for (let i = 0; i < 3; i += 1) assert.equal((await lifeboatHere(setup, 'run', 'docs')).code, 0);
  for (let i = 0; i < 2; i += 1) assert.equal((await lifeboatHere(setup, 'run', 'other')).code, 0);

  // `lifeboat snapshots <plan>` lists that plan's snapshots only, not every plan's in the repository.
  const listed = await lifeboatHere(setup, 'snapshots', 'docs', '--json');
  assert.deepEqual(
    (JSON.parse(listed.stdout) as Array<{ tags: string[] }>).map((snapshot) => snapshot.tags.includes('plan:docs')),
    [true, true, true],
  );
  const loaded = await loadConfig(setup.configFile);
  const processEnv = { ...process.env, ...env };
  const reader = { binary: 'restic', access: resticAccess(loaded.config.repositories[0]!, processEnv), processEnv };
  const draft = await previewRetention(reader, { tags: planTags('docs'), retention: { keepLast: 1 } });
  assert.equal(draft.keep.length, 1);
  assert.equal(draft.remove.length, 2, "only the plan's own snapshots are counted");
  const saved = JSON.parse((await lifeboat(setup.args('retention', 'preview', 'docs', '--json'), { env })).stdout);
  assert.deepEqual([saved.keep.length, saved.remove.length], [3, 0]);

  const none = await lifeboat(setup.args('retention', 'preview', 'other'), { env });
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /Plan "other" has no retention policy: all 2 snapshots are kept\. Add "retention" to the plan/);
});

test('retention preview refuses a wrong word and an unknown plan with a sentence that names the fix', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const wrong = await lifeboat(setup.args('retention', 'show', 'docs'), { env: setup.env });
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /"retention show" is not a command\. Usage: lifeboat retention preview <plan> \[--json\]/);
  const unknown = await lifeboat(setup.args('retention', 'preview', '$(touch x)'), { env: setup.env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /There is no plan "\$\(touch x\)"\. Plans: docs\./);
});

test("the plan's real forget leaves another plan's snapshots in the same repository alone", async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source] },
    { id: 'other', sources: [source] },
  ]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  assert.equal((await lifeboatHere(setup, 'run', 'docs')).code, 0);
  for (let i = 0; i < 2; i += 1) assert.equal((await lifeboatHere(setup, 'run', 'other')).code, 0);
  const loaded = await loadConfig(setup.configFile);
  const processEnv = { ...process.env, ...setup.env };
  const restic = new Restic({ binary: 'restic', access: resticAccess(loaded.config.repositories[0]!, processEnv), processEnv });
  await restic.forget({ keepLast: 1 }, { tags: planTags('docs') });
  assert.equal((await snapshotsOf(setup, 'other')).length, 2);
});
