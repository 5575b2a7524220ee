import '../helpers/use-fake-electron.ts';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

const fake = await import('../helpers/fake-electron.ts');
const { DesktopPreferences } = await import('../../main/electron/preferences.ts');
const { APP_URL, createMainWindow, rememberWindow } = await import('../../main/electron/window.ts');

type Preferences = InstanceType<typeof DesktopPreferences>;

function preferencesIn(folder: string, options: { systemStartAtLogin?: () => boolean; log?: (line: string) => void; version?: string } = {}): Preferences {
  return new DesktopPreferences({
    folder,
    version: options.version ?? '0.1.0',
    systemStartAtLogin: options.systemStartAtLogin ?? (() => false),
    log: options.log,
  });
}

/** What the shell does at start: a window where the preferences say, kept there. */
function openWindow(preferences: Preferences) {
  const window = createMainWindow('/preload.cjs', { place: preferences.window(), route: preferences.lastView() });
  rememberWindow(window, preferences);
  return window as unknown as InstanceType<typeof fake.FakeBrowserWindow>;
}

test('a window moved and resized, and the view last used, are where they were at the next start; a position off every display is left to the system', async (t) => {
  const folder = await tempDir(t);
  const first = openWindow(preferencesIn(folder));
  assert.deepEqual([first.options.width, first.options.height, first.options.x], [1100, 760, undefined], 'defaults on the very first start');
  assert.equal(first.urls.at(-1), APP_URL);
  first.setBounds({ x: 240, y: 130, width: 900, height: 640 });
  first.emit('moved');
  first.webContents.emit('did-navigate-in-page', {}, `${APP_URL}#/history`);
  first.webContents.emit('did-navigate-in-page', {}, 'https://evil.example/#/elsewhere');
  first.webContents.emit('did-navigate-in-page', {}, `${APP_URL}#/snapshots?plan=docs`);
  first.close();

  const second = openWindow(preferencesIn(folder)); // a new start: a new store on the same file
  assert.deepEqual([second.options.x, second.options.y, second.options.width, second.options.height], [240, 130, 900, 640]);
  assert.equal(second.urls.at(-1), `${APP_URL}#/snapshots`, 'the last view, without its query');
  const main = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
  fake.screen.displays = [main, { id: 2, workArea: { x: 1920, y: 0, width: 1920, height: 1080 }, bounds: { x: 1920, y: 0, width: 1920, height: 1080 } }];
  second.setBounds({ x: 2600, y: 100 }); // on the second monitor
  second.maximize();
  second.close();

  assert.equal(openWindow(preferencesIn(folder)).options.x, 2600, 'there while the monitor is');
  fake.screen.displays = [main];
  const third = openWindow(preferencesIn(folder)); // the second monitor is gone
  assert.equal(third.options.x, undefined, 'not placed out of sight');
  assert.equal(third.options.width, 900);
  assert.equal(third.isMaximized(), true);
  third.webContents.emit('did-navigate-in-page', {}, `${APP_URL}#/onboarding`);
  third.webContents.emit('did-navigate-in-page', {}, `${APP_URL}#javascript:alert(1)`);
  assert.equal(preferencesIn(folder).lastView(), '/snapshots', 'onboarding and odd routes are not remembered');
});

test('a damaged preferences file is kept aside and the defaults are used, at start and while running; never a crash', async (t) => {
  const folder = await tempDir(t);
  const file = join(folder, 'preferences.json');
  const lines: string[] = [];
  for (const damage of ['{"window": {"width": 900, "hei', '{"window": {"width": "huge", "height": 5, "maximized": false}}', '\u0000\u0000\u0000']) {
    await writeFile(file, damage);
    const preferences = preferencesIn(folder, { log: (line) => lines.push(line) });
    assert.deepEqual(preferences.window(), { width: 1100, height: 760, maximized: false });
    assert.equal(preferences.lastView(), '/');
  }
  const kept = (await readdir(folder)).filter((name) => name.startsWith('preferences.json.damaged-'));
  assert.ok(kept.length >= 1, `kept aside: ${kept.join(', ')}`);
  const keptTexts = await Promise.all(kept.map((name) => readFile(join(folder, name), 'utf8')));
  assert.ok(keptTexts.includes('{"window": {"width": 900, "hei'), 'the damaged text is kept as it was');
  assert.ok(
    lines.length >= 1 && lines.every((line) => /^preferences: .* could not be read \(.*\); it is kept as .*damaged-.* and the defaults are used$/.test(line)),
    lines.join('\n'),
  );

  // Damaged by another program while the app runs.
  const running = preferencesIn(folder);
  running.rememberView('/history');
  await writeFile(file, '{ not json');
  assert.equal(running.lastView(), '/');
  running.rememberView('/repositories');
  assert.equal(preferencesIn(folder).lastView(), '/repositories');
});

test('migrations: a file with no version recorded (written by hand) loses the keys this version does not know, once; start at login is the system’s until the person answers', async (t) => {
  const folder = await tempDir(t);
  const file = join(folder, 'preferences.json');
  await writeFile(file, JSON.stringify({ window: { width: 1000, height: 700, maximized: true }, theme: 'dark', lastView: '/history' }));
  const opened = preferencesIn(folder, { systemStartAtLogin: () => true });
  assert.deepEqual(opened.window(), { width: 1000, height: 700, maximized: true });
  assert.equal(opened.lastView(), '/history');
  const stored = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(stored.theme, undefined, 'the unknown key is gone');
  assert.equal(stored.__internal__.migrations.version, '0.1.0');
  assert.equal(opened.startAtLogin(), true, 'taken from the system');
  const later = preferencesIn(folder, { systemStartAtLogin: () => false, version: '0.2.0' });
  assert.equal(later.startAtLogin(), true, 'the recorded answer stays');
  later.rememberStartAtLogin(false);
  assert.equal(preferencesIn(folder, { systemStartAtLogin: () => true, version: '0.2.0' }).startAtLogin(), false);
});

test('the desktop app keeps its preferences in preferences.json in its data folder, never in config.json; it keeps the settings textfile too', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [root] }]);
  const textfile = join(root, 'prom');
  await mkdir(textfile);
  await mkdir(setup.dataDir, { recursive: true });
  const configBefore = JSON.stringify({ ...JSON.parse(await readFile(setup.configFile, 'utf8')), settings: { metrics: { textfile } } }, null, 2);
  await writeFile(join(setup.dataDir, 'config.json'), configBefore);
  Object.assign(process.env, setup.env, {
    LIFEBOAT_DATA_DIR: setup.dataDir,
    LIFEBOAT_CONFIG: join(setup.dataDir, 'config.json'),
    XDG_CONFIG_HOME: join(root, 'xdg'),
  });
  const { startDesktop } = await import('../../main/electron/main.ts');
  const desktop = await startDesktop({ root: PROJECT_ROOT });
  assert.ok(desktop);
  await waitFor(
    async () => (await readFile(join(textfile, 'lifeboat.prom'), 'utf8').catch(() => '')).includes('lifeboat_runs_total{'),
    'the app writing the textfile',
  );
  const window = desktop.openWindow('/settings') as unknown as InstanceType<typeof fake.FakeBrowserWindow>;
  window.setBounds({ x: 50, y: 60, width: 1000, height: 700 });
  window.emit('resized');
  const frame = window.webContents.mainFrame;
  const invoke = (name: string, input: unknown) => fake.ipcMain.handlers.get(`lifeboat:call:${name}`)!({ senderFrame: frame }, input);
  assert.deepEqual(await invoke('desktop.startAtLogin', { enabled: true }), { ok: true, value: { enabled: true } });
  // "Import from…" picks a file with the native dialog.
  fake.dialog.folderToPick = '/home/me/.config/resticprofile/profiles.toml';
  assert.deepEqual(await invoke('desktop.pickFile', { title: 'Choose the resticprofile config' }), {
    ok: true,
    value: { path: '/home/me/.config/resticprofile/profiles.toml' },
  });
  assert.deepEqual((fake.recorded.dialogs.at(-1) as { properties: string[] }).properties, ['openFile', 'showHiddenFiles']);
  fake.dialog.folderToPick = null;
  window.close();
  assert.equal(fake.recorded.notifications.at(-1)?.options.title, 'Lifeboat keeps running', 'told once that closing the window keeps the app');
  const notices = fake.recorded.notifications.length;
  desktop.openWindow().close();
  assert.equal(fake.recorded.notifications.length, notices, 'and only once');

  const stored = JSON.parse(await readFile(join(setup.dataDir, 'preferences.json'), 'utf8'));
  assert.deepEqual(stored.window, { x: 50, y: 60, width: 1000, height: 700, maximized: false });
  assert.equal(stored.startAtLogin, true);
  assert.deepEqual(stored.tray, { closeNoticeShown: true });
  assert.equal(await readFile(join(setup.dataDir, 'config.json'), 'utf8'), configBefore, 'config.json is untouched');
  assert.deepEqual(
    desktop.engine.config.plans.map((plan) => plan.id),
    ['docs'],
  );
  fake.recorded.messageBoxResponse = 0;
  await desktop.quit();
});
