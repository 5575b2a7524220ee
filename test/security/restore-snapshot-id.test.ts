import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

async function setupWithSnapshot(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  assert.equal((await lifeboat(setup.args('run', 'docs'), { env: setup.env })).code, 0);
  return { root, setup };
}

const hostileIds = (marker: string) => [
  `--password-command=touch ${marker}`,
  `--password-command=sh -c 'touch ${marker}'`,
  '-h',
  'latest ',
  'abc',
  'g'.repeat(8),
  'a'.repeat(65),
  '../x',
];

test('a snapshot id that is not "latest" or 8–64 hex characters is refused before restic runs (CLI exit 2)', async (t) => {
  const { root, setup } = await setupWithSnapshot(t);
  const marker = join(root, 'pwned');
  const ids = hostileIds(marker);
  const results = await Promise.all(ids.map((id) => lifeboat(setup.args('restore', 'docs', '--target', join(root, 'out'), '--', id), { env: setup.env })));
  for (const [index, id] of ids.entries()) {
    const result = results[index]!;
    assert.equal(result.code, 2, `${JSON.stringify(id)}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /is not a snapshot id; use "latest" or an id from "lifeboat snapshots <plan>"/);
  }
  assert.ok(!existsSync(marker), 'restic never ran the hostile option');
  assert.ok(!existsSync(join(root, 'out')), 'nothing was restored');
});

test('the API refuses a hostile snapshot id for browse and restore with 422, and restic never sees it', async (t) => {
  const { root, setup } = await setupWithSnapshot(t);
  const served = await startServe(t, setup);
  const marker = join(root, 'pwned');
  for (const id of hostileIds(marker)) {
    for (const call of ['snapshots.browse', 'snapshots.restore'] as const) {
      const result = await served.call(call, { plan: 'docs', snapshot: id, ...(call === 'snapshots.restore' ? { target: join(root, 'out') } : {}) });
      assert.equal(result.status, 422, `${call} ${JSON.stringify(id)}: ${JSON.stringify(result.body)}`);
      assert.match(result.body.error.message, /is not a snapshot id/);
    }
  }
  // A path or an include that looks like an option is only ever a path: restic gets it after `--` or as --include=VALUE.
  const path = await served.call('snapshots.browse', { plan: 'docs', snapshot: 'latest', path: `--password-command=touch ${marker}` });
  assert.ok(path.status < 500, JSON.stringify(path.body));
  const include = await served.call('snapshots.restore', {
    plan: 'docs',
    snapshot: 'latest',
    target: join(root, 'out2'),
    include: [`--password-command=touch ${marker}`],
  });
  assert.equal(include.status, 200, JSON.stringify(include.body));
  assert.ok(!existsSync(marker), 'restic never ran the hostile option');
  const browsed = await served.call('snapshots.browse', { plan: 'docs', snapshot: 'latest' });
  assert.equal(browsed.status, 200, 'the server still answers');
});
