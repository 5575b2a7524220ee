import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';

const require = createRequire(import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: the YAML document as parsed
async function builderConfig(): Promise<Record<string, any>> {
  return YAML.parse(await readFile(join(PROJECT_ROOT, 'build', 'electron-builder.yml'), 'utf8'));
}

test("the electron-builder config passes electron-builder's own validation", async () => {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  await validateConfiguration(await builderConfig(), { isEnabled: false, add: () => undefined });
});

test('the packages are AppImage and deb (needing libnotify and an indicator library, recommending restic), nsis and dmg', async () => {
  const config = await builderConfig();
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.deb.depends, ['libnotify4', 'libappindicator3-1']);
  assert.deepEqual(config.deb.recommends, ['restic']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
});

test('the package holds what the app loads: its main file, the preload, the renderer, icons and templates', async () => {
  const config = await builderConfig();
  const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  const tsconfig = JSON.parse(await readFile(join(PROJECT_ROOT, 'tsconfig.electron.json'), 'utf8'));
  // tsc keeps the source layout under outDir: main/electron/main.ts → dist/electron/main/electron/main.js
  assert.equal(manifest.main, `${tsconfig.compilerOptions.outDir}/main/electron/main.js`);
  for (const pattern of ['package.json', 'dist/electron/**', 'dist/preload/**', 'dist/renderer/**', 'assets/**'])
    assert.ok(config.files.includes(pattern), pattern);
  const main = await readFile(join(PROJECT_ROOT, 'main', 'electron', 'main.ts'), 'utf8');
  assert.match(main, /join\(root, 'dist', 'preload', 'preload\.cjs'\)/, 'the window loads the preload the build writes');
  for (const icon of [config.linux.icon, config.win.icon, config.mac.icon]) await readFile(join(PROJECT_ROOT, icon));
  for (const state of ['idle', 'running', 'warning', 'error', 'paused']) {
    for (const theme of ['light', 'dark']) {
      await readFile(join(PROJECT_ROOT, 'assets', 'icons', `tray-${state}-${theme}.png`));
      await readFile(join(PROJECT_ROOT, 'assets', 'icons', `tray-${state}-${theme}@2x.png`));
    }
  }
});
