import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkip, openPlan, openSession, saveAndRead } from '../helpers/editor-browser.ts';

test('the plan editor sets a drive-arrival schedule: its sentence, its problems, and what is saved', { skip: browserSkip, timeout: 120_000 }, async (t) => {
  const session = await openSession(t, [{ id: 'docs', name: 'Docs', sources: ['/tmp/src'], schedule: { cron: '30 2 * * *' } }]);
  const { page } = session;
  await openPlan(page, 'docs');
  const preview = page.locator('.schedule-preview');

  // Beside the cron expression: "Also when a drive is mounted at".
  await page.getByLabel('Also when a drive is mounted at').fill('/media/me/usb');
  await preview.getByText('At 02:30; and when /media/me/usb is mounted, at most hourly').waitFor();
  let config = await saveAndRead(session);
  assert.deepEqual(config.plans[0].schedule, { cron: '30 2 * * *', onMount: '/media/me/usb' });

  // Only when the drive arrives, at most daily; hostile values get their sentence.
  await page.getByLabel('Schedule').selectOption({ label: 'only when a drive is plugged in' });
  await page.getByLabel('At most once every').fill('30s');
  await page.getByText('"30s" is out of bounds; use a duration between 1m and 7d').first().waitFor();
  await page.getByLabel('At most once every').fill('1d');
  await page.getByLabel('When a drive is mounted at').fill('usb');
  await page.getByText('"usb" is a relative path; write the mount folder from the root').first().waitFor();
  await page.getByLabel('When a drive is mounted at').fill('/media/me/usb\n$(reboot)');
  await page.getByLabel('When a drive is mounted at').fill('/media/me/usb drive/');
  await preview.getByText('When /media/me/usb drive is mounted, at most daily').waitFor();
  assert.equal(await page.getByRole('list', { name: 'Next runs' }).count(), 0, 'no times to list');
  config = await saveAndRead(session);
  assert.deepEqual(config.plans[0].schedule, { onMount: '/media/me/usb drive/', minInterval: '1d' });

  // Back to a time: the drive stays; clearing the folder removes both keys.
  await page.getByLabel('Schedule').selectOption({ label: 'every … after the last run' });
  await preview.getByText('Every 6 h after the last run; and when /media/me/usb drive is mounted, at most daily').waitFor();
  await page.getByLabel('Also when a drive is mounted at').fill('');
  await preview.getByText('Every 6 h after the last run', { exact: true }).waitFor();
  config = await saveAndRead(session);
  assert.deepEqual(config.plans[0].schedule, { every: '6h' });
  assert.deepEqual(session.errors, []);
});
