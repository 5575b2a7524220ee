import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { noDesktopSession } from '../../main/core/platform/node-notifier.ts';
import { unitPlace } from '../../main/core/platform/systemd-unit.ts';
import { autostartFile } from '../../main/core/platform/xdg-autostart.ts';
import { defaultDataDir } from '../../main/core/util/paths.ts';

// XDG Base Directory spec: "If an implementation encounters a relative path in any of these variables it should consider the path invalid and ignore it."
test('a relative XDG_CONFIG_HOME is ignored for the data dir, the autostart entry and the user unit; an absolute one is used', () => {
  const relative = { XDG_CONFIG_HOME: 'conf', HOME: '/home/someone' };
  assert.equal(defaultDataDir(relative, 'linux', '/home/someone'), '/home/someone/.config/Lifeboat');
  assert.equal(autostartFile(relative, '/home/someone'), '/home/someone/.config/autostart/lifeboat.desktop');
  assert.equal(unitPlace('daemon', false, relative, '/home/someone').directory, '/home/someone/.config/systemd/user');
  const absolute = { XDG_CONFIG_HOME: '/xdg', HOME: '/home/someone' };
  assert.equal(defaultDataDir(absolute, 'linux', '/home/someone'), '/xdg/Lifeboat');
  assert.equal(autostartFile(absolute, '/home/someone'), '/xdg/autostart/lifeboat.desktop');
  assert.equal(unitPlace('daemon', false, absolute, '/home/someone').directory, '/xdg/systemd/user');
});

test('a relative XDG_RUNTIME_DIR is not taken for a session bus, even when the folder it names has a bus', async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'lifeboat-xdg-'));
  t.after(() => rm(folder, { recursive: true, force: true }));
  await mkdir(join(folder, 'run'));
  await writeFile(join(folder, 'run', 'bus'), '');
  const before = process.cwd();
  process.chdir(folder);
  t.after(() => process.chdir(before));
  assert.match(noDesktopSession({ XDG_RUNTIME_DIR: 'run' }, 'linux') ?? '', /there is no desktop session here/);
  assert.equal(noDesktopSession({ XDG_RUNTIME_DIR: join(folder, 'run') }, 'linux'), undefined);
});
