import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

test('in a real browser: a repository is marked append-only with its explanation, and a plan gets a second copy that never names its own repository', {
  skip: skipBrowser(),
  timeout: 90_000,
}, async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  const dataDir = join(root, 'data');
  await mkdir(dataDir);
  const configFile = join(dataDir, 'config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      version: 1,
      repositories: [
        { id: 'local', name: 'Local disk', url: join(root, 'local'), passwordEnv: 'LIFEBOAT_TEST_PASSWORD' },
        { id: 'offsite', name: 'Offsite', url: join(root, 'offsite'), passwordEnv: 'LIFEBOAT_TEST_PASSWORD' },
      ],
      plans: [{ id: 'docs', name: 'Documents', repository: 'local', sources: [source], retention: { keepLast: 3 } }],
    }),
  );
  const setup = {
    env: { LIFEBOAT_TEST_PASSWORD: 'a test password', RESTIC_CACHE_DIR: join(root, 'cache') },
    args: (...rest: string[]) => ['--data-dir', dataDir, ...rest],
  };
  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  const stored = async () => JSON.parse(await readFile(configFile, 'utf8'));
  try {
    await page.goto(`${served.base}#/repositories`);
    const offsite = page.getByRole('listitem', { name: 'Repository Offsite' });
    await offsite.getByRole('button', { name: 'Edit' }).click();
    const flag = offsite.getByRole('checkbox', { name: /Append-only server: never forget or prune here/ });
    assert.match(
      (await flag.locator('xpath=..').innerText()).trim(),
      /^Append-only server: never forget or prune here \(retention is applied by the server's owner; for rest-server or rclone with --append-only\)$/,
    );
    await flag.check();
    await offsite.getByRole('button', { name: 'Save repository' }).click();
    await page.getByText('Repository "Offsite" saved.').waitFor();
    await page
      .getByRole('listitem', { name: 'Repository Offsite' })
      .getByText(/append-only: retention is applied by the server's owner/)
      .waitFor();
    assert.equal((await stored()).repositories[1].appendOnly, true);

    await page.goto(`${served.base}#/plans/docs`);
    const copy = page.getByRole('checkbox', { name: /After each backup, copy new snapshots to Offsite \(append-only\)/ });
    await copy.check();
    await page.getByRole('button', { name: 'Save plan' }).first().click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    assert.deepEqual((await stored()).plans[0].copyTo, ['offsite']);

    // A repository a plan uses (here: copies to) cannot be removed yet: Remove says what comes first, with nothing to confirm.
    await page.goto(`${served.base}#/repositories`);
    await page.getByRole('listitem', { name: 'Repository Offsite' }).getByRole('button', { name: 'Remove', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^"Offsite" cannot be removed while the plan docs uses it: move that plan to another repository, or delete it, first\./ })
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Remove it' }).count(), 0, 'no question whose answer would be refused');
    assert.equal((await stored()).repositories.length, 2, 'nothing removed');
    await page.goto(`${served.base}#/plans/docs`);

    // Moving the plan to offsite: offsite leaves the second-copy list, and the retention says why it is not applied.
    await page.getByLabel('Repository', { exact: true }).selectOption('offsite');
    await page.getByRole('note').filter({ hasText: "The repository is append-only: retention is applied by the server's owner." }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: /copy new snapshots to Offsite/ }).count(), 0);
    await page.getByRole('checkbox', { name: /After each backup, copy new snapshots to Local disk/ }).waitFor();
    await page.getByRole('button', { name: 'Save plan' }).first().click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    const plan = (await stored()).plans[0];
    assert.equal(plan.repository, 'offsite');
    assert.equal(plan.copyTo, undefined, 'the plan does not copy to its own repository');
    assert.deepEqual(errors, []);
  } catch (error) {
    await report(error);
  }
});
