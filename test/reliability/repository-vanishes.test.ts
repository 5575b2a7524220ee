import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { lockFiles, serveRestic, waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

test('the repository vanishing mid-backup (rclone server stopped) fails with the network sentence, no hang; the next run is fine once it is back', async (t) => {
  const root = await tempDir(t);
  const store = join(root, 'remote');
  await mkdir(store);
  let server = await serveRestic(store);
  t.after(() => server.stop());
  const source = join(root, 'src');
  await mkdir(source);
  for (let i = 0; i < 4; i += 1) await writeFile(join(source, `part-${i}.bin`), randomBytes(50_000_000));
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }], { url: server.url });
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);

  const giveUpMs = 3000;
  const engine = await Engine.open({
    configFile: setup.configFile,
    dataDir: setup.dataDir,
    env: { ...process.env, ...setup.env },
    resticBackendGiveUpMs: giveUpMs,
  });
  const running = engine.runPlan('docs');
  await waitFor(async () => (await lockFiles(store)).length > 0, 'the backup to start writing');
  await server.stop();
  const stoppedAt = Date.now();
  const run = await running;
  const took = Date.now() - stoppedAt;
  assert.equal(run.status, 'failure');
  assert.match(
    run.reason ?? '',
    /^The repository rest:http:\/\/127\.0\.0\.1:\d+\/ stopped answering during restic backup \(connection refused\); Lifeboat stopped waiting after 3 s\. Check the network connection/,
  );
  assert.ok(took < giveUpMs + 15_000, `the run ended ${took} ms after the server went away`);

  server = await serveRestic(store, server.port);
  const next = await engine.runPlan('docs');
  assert.equal(next.status, 'success', next.reason ?? '');
});
