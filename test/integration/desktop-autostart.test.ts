import '../helpers/use-fake-electron.ts';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);
const fake = await import('../helpers/fake-electron.ts');
const { startDesktop } = await import('../../main/electron/main.ts');

async function validate(file: string, t: { diagnostic: (message: string) => void }): Promise<void> {
  const found = await run('sh', ['-c', 'command -v desktop-file-validate']).then(
    () => true,
    () => false,
  );
  if (!found) {
    t.diagnostic('desktop-file-validate is not installed: the entry was checked by its text only');
    return;
  }
  try {
    const { stdout } = await run('desktop-file-validate', [file]);
    assert.doesNotMatch(stdout, /error/i, stdout);
  } catch (error) {
    assert.fail(`desktop-file-validate ${file}: ${(error as { stdout?: string }).stdout ?? error}`);
  }
}

test('on Linux, start at login is an XDG autostart entry whose Exec is quoted per the Desktop Entry spec', {
  skip: process.platform !== 'linux',
}, async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, []);
  const xdg = join(root, 'xdg config');
  Object.assign(process.env, setup.env, { LIFEBOAT_DATA_DIR: setup.dataDir, LIFEBOAT_CONFIG: setup.configFile, XDG_CONFIG_HOME: xdg });
  fake.app.appPath = `/opt/Life "boat" $HOME %u \`tick\` back\\slash`;
  const desktop = await startDesktop({ root: PROJECT_ROOT });
  assert.ok(desktop);
  t.after(async () => {
    await desktop.quit();
    await waitFor(() => fake.recorded.exitCode !== undefined, 'the app to quit', 30_000);
  });
  const frame = fake.recorded.windows.at(-1)?.webContents.mainFrame ?? desktop.openWindow().webContents.mainFrame;
  const invoke = (enabled?: boolean) =>
    fake.ipcMain.handlers.get('lifeboat:call:desktop.startAtLogin')!({ senderFrame: frame }, enabled === undefined ? {} : { enabled });
  const file = join(xdg, 'autostart', 'lifeboat.desktop');

  assert.deepEqual(await invoke(), { ok: true, value: { enabled: false } });
  assert.deepEqual(await invoke(true), { ok: true, value: { enabled: true } });
  const entry = await readFile(file, 'utf8');
  assert.ok(entry.includes(`\nExec="${process.execPath}" "/opt/Life \\\\"boat\\\\" \\\\$HOME %%u \\\\\`tick\\\\\` back\\\\\\\\slash"\n`), entry);
  assert.match(entry, /^Type=Application$/m);
  assert.equal((await stat(file)).mode & 0o777, 0o644);
  assert.equal(fake.app.getLoginItemSettings().openAtLogin, false, "Electron's login item is not used on Linux");
  await validate(file, t);
  assert.deepEqual(await invoke(), { ok: true, value: { enabled: true } });

  assert.deepEqual(await invoke(false), { ok: true, value: { enabled: false } });
  await assert.rejects(stat(file), { code: 'ENOENT' });

  // An entry someone else wrote is left alone, and the setting says it still starts at login.
  await mkdir(join(xdg, 'autostart'), { recursive: true });
  const foreign = '[Desktop Entry]\nType=Application\nName=Lifeboat\nExec=/usr/bin/lifeboat-desktop\n';
  await writeFile(file, foreign);
  assert.deepEqual(await invoke(false), { ok: true, value: { enabled: true } });
  assert.equal(await readFile(file, 'utf8'), foreign);
});
