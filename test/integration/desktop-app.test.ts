import '../helpers/use-fake-electron.ts';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboat, PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { lockFiles, resticLocks, waitFor } from '../helpers/processes.ts';
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
  Object.assign(process.env, setup.env, { LIFEBOAT_DATA_DIR: setup.dataDir, LIFEBOAT_CONFIG: setup.configFile, XDG_CONFIG_HOME: join(root, 'xdg') });

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
  // The notification follows the run's end on its own path; the icon may change first.
  await waitFor(() => fake.recorded.notifications.length > 0, 'the failure notification');
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
  // An hour from late evening ends tomorrow, and then the day is named too ("Paused until Mon 00:27").
  assert.match(menu().find('status').label, /^Paused until ([A-Z][a-z]{2} )?\d\d:\d\d$/);
  assert.equal(menu().find('resume').enabled, true);
  menu().find('resume').click();
  await waitFor(() => !/tray-paused/.test(tray.images.at(-1)!), 'resumed');

  // A second launch only brings the window forward.
  window.visible = false;
  fake.app.emit('second-instance');
  assert.equal(fake.recorded.windows.at(-1)!.visible, true);

  // Native folder picker and start at login, through the same IPC the window uses.
  const frame = fake.recorded.windows.at(-1)!.webContents.mainFrame;
  const invoke = (name: string, input: unknown) => fake.ipcMain.handlers.get(`lifeboat:call:${name}`)!({ senderFrame: frame }, input);
  fake.dialog.folderToPick = '/home/me/Pictures';
  assert.deepEqual(await invoke('desktop.pickFolder', {}), { ok: true, value: { path: '/home/me/Pictures' } });
  fake.dialog.folderToPick = null;
  assert.deepEqual(await invoke('desktop.pickFolder', {}), { ok: true, value: { path: null } });
  assert.deepEqual(await invoke('desktop.startAtLogin', { enabled: true }), { ok: true, value: { enabled: true } });
  if (process.platform === 'linux') assert.match(await readFile(join(root, 'xdg', 'autostart', 'lifeboat.desktop'), 'utf8'), /^Exec=/m);
  else assert.equal(fake.app.getLoginItemSettings().openAtLogin, true);
  const status = (await invoke('app.status', {})) as { ok: true; value: { desktop: boolean } };
  assert.equal(status.value.desktop, true);
  const everything = JSON.stringify(await Promise.all(['config.get', 'plans.list', 'repositories.list', 'history.list'].map((name) => invoke(name, {}))));
  assert.ok(!everything.includes(setup.password), 'no response carries the password');

  // A repository added in the app keeps its password encrypted by the keychain, and works.
  const created = await invoke('repositories.create', {
    id: 'second',
    name: 'Second',
    url: join(root, 'repo-2'),
    password: 'keychain-only-secret',
    initialise: true,
  });
  assert.deepEqual(created, { ok: true, value: { ok: true } });
  const saved = JSON.parse(await readFile(setup.configFile, 'utf8'));
  assert.deepEqual(saved.repositories[1], { id: 'second', name: 'Second', url: join(root, 'repo-2'), passwordKeychain: true });
  const sealed = await readFile(join(setup.dataDir, 'secrets', 'second.keychain'), 'utf8');
  assert.ok(!sealed.includes('keychain-only-secret'), 'stored encrypted');
  const checked = (await invoke('repositories.check', { id: 'second' })) as { ok: true; value: { ok: boolean; output: string } };
  assert.equal(checked.value.ok, true, checked.value.output);
  assert.ok(!JSON.stringify(checked).includes('keychain-only-secret'));

  // Quit while a backup runs: asked first, then the backup is cancelled cleanly.
  const big = join(root, 'big');
  await mkdir(big);
  for (let i = 0; i < 8; i += 1) await writeFile(join(big, `f${i}.bin`), Buffer.alloc(40_000_000, i + 1));
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  config.plans[0].sources = [big];
  await writeFile(setup.configFile, JSON.stringify(config));
  await desktop.engine.saveConfig(config);
  menu().find('back-up:docs').click();
  await waitFor(async () => (await lockFiles(setup.repo)).length > 0, 'the big backup to start', 30_000);
  fake.recorded.messageBoxResponse = 0;
  menu().find('quit').click();
  await waitFor(() => fake.recorded.exitCode !== undefined, 'the app to quit', 60_000);
  assert.equal(fake.recorded.exitCode, 0);
  assert.match(JSON.stringify(fake.recorded.dialogs.at(-1)), /Documents is being backed up/);
  assert.deepEqual(await resticLocks(setup.repo, setup.password), [], 'no restic lock left behind');
  assert.equal((await desktop.engine.history.list({ plan: 'docs', limit: 1 }))[0]?.status, 'cancelled');
});
