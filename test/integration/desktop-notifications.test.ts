import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { desktopSession, hasDesktopTools } from '../helpers/desktop-session.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

const tools = hasDesktopTools();

test('a failing run notifies the desktop over D-Bus with the plan and the reason; a successful run with the defaults does not', {
  skip: !tools && 'Xvfb, dunst, dbus or notify-send is missing',
}, async (t) => {
  const desktop = await desktopSession(t);
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [
    { id: 'docs', name: 'Family Photos', sources: [source] },
    { id: 'gone', name: 'Old Laptop', sources: [join(root, 'unplugged')] },
  ]);
  const env = { ...setup.env, ...desktop.env };
  await lifeboat(setup.args('init', 'local'), { env });

  const ok = await lifeboat(setup.args('run', 'docs'), { env });
  assert.equal(ok.code, 0, ok.stderr);
  const failed = await lifeboat(setup.args('run', 'gone'), { env });
  assert.equal(failed.code, 1);
  await waitFor(async () => (await desktop.notifyCalls()).length > 0, 'a Notify call');
  const calls = await desktop.notifyCalls();
  assert.equal(calls.length, 1, `only the failure notifies:\n${calls.join('\n')}`);
  assert.match(calls[0]!, /string "Backup failed — Old Laptop"/);
  assert.match(calls[0]!, /string "The source ".*unplugged" does not exist\./);
  assert.match(calls[0]!, /string "urgency"\s+variant\s+byte 2/, 'urgency critical');
  assert.ok(!calls.join('\n').includes('Family Photos'), 'the successful plan said nothing');

  const again = await lifeboat(setup.args('run', 'gone'), { env });
  assert.equal(again.code, 1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal((await desktop.notifyCalls()).length, 1, 'the same failure again is not told twice');
});
