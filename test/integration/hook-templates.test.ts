import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { type HookTemplate, loadHookTemplates } from '../../main/core/hooks/templates.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

function hooksOf(templates: HookTemplate[], id: string, env: Record<string, string> = {}) {
  const template = templates.find((t) => t.id === id);
  assert.ok(template, id);
  return template.hooks.map((hook) => ({ ...hook, env: { ...hook.env, ...env } }));
}

test('gallery templates whose tools exist here run in "lifeboat hooks test" with the verdict they promise', async (t) => {
  const root = await tempDir(t);
  const templates = await loadHookTemplates();
  const server = createServer((_request, response) => response.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as { port: number }).port;
  const database = join(root, 'app.db');
  execFileSync('sqlite3', [database, "create table notes(body text); insert into notes values ('kept');"]);
  const dumps = join(root, "dump's dir");
  await mkdir(dumps);
  const setup = await writeSetup(
    root,
    [
      { id: 'battery', sources: [root], hooks: hooksOf(templates, 'battery-minimum') },
      { id: 'reachable', sources: [root], hooks: hooksOf(templates, 'repository-reachable') },
      { id: 'drive-present', sources: [root], hooks: hooksOf(templates, 'drive-mounted', { DRIVE: '/' }) },
      { id: 'drive-absent', sources: [root], hooks: hooksOf(templates, 'drive-mounted', { DRIVE: join(root, 'usb') }) },
      { id: 'sqlite', sources: [root], hooks: hooksOf(templates, 'sqlite-dump', { SQLITE_DB: database, DUMP_DIR: dumps }) },
    ],
    { url: `rest:http://127.0.0.1:${port}/` },
  );
  const cases: Array<[plan: string, hook: string, code: number, output: RegExp]> = [
    ['battery', 'battery', 0, /✔ passed: (No battery|On AC power|Battery at)/],
    ['reachable', 'reachable', 0, new RegExp(`✔ passed: Online: 127\\.0\\.0\\.1:${port} is reachable`)],
    ['drive-present', 'drive', 0, /Drive \/ is connected\n✔ passed/],
    ['drive-absent', 'drive', 75, /⏭ would skip the run: Drive .*usb is not connected/],
    ['sqlite', 'sqlite-dump', 0, /Copied .*app\.db to .*dump's dir\/app\.db\n✔ passed/],
  ];
  for (const [plan, hook, code, output] of cases) {
    const result = await lifeboat(setup.args('hooks', 'test', plan, hook), { env: setup.env });
    assert.equal(result.code, code, `${plan}: ${result.stdout}${result.stderr}`);
    assert.match(result.stdout, output, plan);
  }
  assert.equal(execFileSync('sqlite3', [join(dumps, 'app.db'), 'select body from notes'], { encoding: 'utf8' }).trim(), 'kept');
  await readFile(join(dumps, 'app.db'));
});
