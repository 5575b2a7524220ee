import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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
    { id: 'marker', name: 'Marker', sources: [join(root, 'never-there')] },
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
  // Another plan's first failure is told: once it is seen, anything told before it has been seen too.
  assert.equal((await lifeboat(setup.args('run', 'marker'), { env })).code, 1);
  await waitFor(async () => (await desktop.notifyCalls()).length > 1, 'a Notify call for the marker plan');
  const after = await desktop.notifyCalls();
  assert.equal(after.length, 2, `the same failure again is not told twice:\n${after.join('\n')}`);
  assert.match(after[1]!, /string "Backup failed — Marker"/);
});

test('with no desktop session (no session bus, no display: a server, cron) a failed run says once why it was not shown on the desktop, and starts no notify-send', async (t) => {
  const root = await tempDir(t);
  const bin = join(root, 'bin');
  const runtime = join(root, 'runtime'); // a runtime folder without a bus socket
  await mkdir(bin, { recursive: true });
  await mkdir(runtime, { recursive: true });
  const started = join(root, 'notify-send-started');
  await writeFile(join(bin, 'notify-send'), `#!/bin/sh\necho "$@" >> '${started}'\n`, { mode: 0o755 });
  const setup = await writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [join(root, 'missing')] }]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const env: NodeJS.ProcessEnv = { ...setup.env, PATH: `${bin}:${process.env.PATH}`, XDG_RUNTIME_DIR: runtime };
  for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY']) env[name] = '';
  const run = await lifeboat(setup.args('run', 'docs'), { env });
  assert.equal(run.code, 1, run.stderr);
  const told = run.stderr.split('\n').filter((line) => line.includes('desktop notification not shown'));
  assert.equal(told.length, 1, run.stderr);
  assert.match(told[0]!, /no desktop session here \(no D-Bus session bus, no DISPLAY\)/);
  assert.equal(existsSync(started), false, 'notify-send was not started');
});
