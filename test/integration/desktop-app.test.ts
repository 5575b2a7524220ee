import '../helpers/use-fake-electron.ts';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboat, PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

const fake = await import('../helpers/fake-electron.ts');
const { startDesktop } = await import('../../main/electron/main.ts');

test('the desktop app (fake electron, real engine): tray menu, Back up now, icon and tooltip, a failure notification that opens the run, pause, quit', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [
    { id: 'docs', name: 'Documents', sources: [source] },
    { id: 'broken', name: 'Old Laptop', sources: [join(root, 'unplugged')] },
  ]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  Object.assign(process.env, setup.env, { LIFEBOAT_DATA_DIR: setup.dataDir, LIFEBOAT_CONFIG: setup.configFile });

  const desktop = await startDesktop({ root: PROJECT_ROOT });
  assert.ok(desktop);
  const tray = fake.recorded.trays[0]!;
  const menu = () => tray.menu!;
  assert.equal(menu().find('back-up:docs').label, 'Documents');
  assert.equal(menu().find('back-up:broken').label, 'Old Laptop');
  for (const id of ['status', 'pause:1h', 'pause:tomorrow', 'pause:indefinitely', 'resume', 'open', 'last-log', 'quit'])
    assert.ok(menu().find(id), `menu item ${id}`);
  assert.match(tray.images.at(-1)!, /tray-idle-dark\.png$/);
  assert.match(tray.tooltips.at(-1)!, /^No backup yet · nothing scheduled$/);

  menu().find('back-up:docs').click();
  await waitFor(async () => (await desktop.engine.history.list({ plan: 'docs' }))[0]?.status === 'success', 'the docs backup', 30_000);
  await waitFor(() => /tray-idle/.test(tray.images.at(-1)!), 'the tray to settle');
  assert.ok(
    tray.images.some((image) => /tray-running-dark\.png$/.test(image)),
    'the icon showed the run',
  );
  assert.match(tray.tooltips.at(-1)!, /^Last backup just now · nothing scheduled$/);

  menu().find('back-up:broken').click();
  await waitFor(async () => (await desktop.engine.history.list({ plan: 'broken' }))[0]?.status === 'failure', 'the broken backup', 30_000);
  await waitFor(() => /tray-error/.test(tray.images.at(-1)!), 'the error icon');
  assert.match(menu().find('status').label, /^Old Laptop: The source .* does not exist/);
  const notification = fake.recorded.notifications.at(-1)!;
  assert.equal(notification.options.title, 'Backup failed — Old Laptop');
  assert.match(String(notification.options.body), /does not exist\. Check the plan's sources/);
  const [failed] = await desktop.engine.history.list({ plan: 'broken' });
  notification.emit('click');
  const window = fake.recorded.windows.at(-1)!;
  assert.equal(window.urls.at(-1), `lifeboat://app/index.html#/history/${failed!.id}`, 'a click opens that run');
  assert.equal(window.visible, true);

  menu().find('pause:1h').click();
  await waitFor(() => /tray-paused/.test(tray.images.at(-1)!), 'the paused icon');
  assert.match(menu().find('status').label, /^Paused until \d\d:\d\d$/);
  assert.equal(menu().find('resume').enabled, true);
  menu().find('resume').click();
  await waitFor(() => !/tray-paused/.test(tray.images.at(-1)!), 'resumed');

  menu().find('quit').click();
  await waitFor(() => fake.recorded.exitCode !== undefined, 'the app to quit');
  assert.equal(fake.recorded.exitCode, 0);
});
