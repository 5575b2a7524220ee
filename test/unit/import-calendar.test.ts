import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cron } from 'croner';
import { calendarToCron } from '../../main/core/import/calendar.ts';

test('systemd calendar shapes resticprofile documents become the cron expression that fires at the same times', () => {
  const cases: Array<[string, string]> = [
    ['daily', '0 0 * * *'],
    ['Hourly', '0 * * * *'],
    ['weekly', '0 0 * * 1'],
    ['monthly', '0 0 1 * *'],
    ['*:00,30', '0,30 * * * *'],
    ['*:0/15', '*/15 * * * *'],
    ['*:5/20', '5-59/20 * * * *'],
    ['Mon..Fri 03:15', '15 3 * * 1-5'],
    ['Sat,Sun 10:00', '0 10 * * 6,0'],
    ['*-*-* 02:30:00', '30 2 * * *'],
    ['*-*-01 04:00', '0 4 1 * *'],
    ['*-01,07-01 00:00', '0 0 1 1,7 *'],
    ['8..18:00', '0 8-18 * * *'],
  ];
  for (const [calendar, cron] of cases) {
    assert.equal(calendarToCron(calendar), cron, calendar);
    assert.ok(new Cron(cron, { paused: true }).nextRun(), `${cron} fires`);
  }
});

test('calendar shapes cron cannot say are refused, never approximated', () => {
  for (const calendar of ['Sat *-*-1..7 04:00', 'Fri..Mon 03:00', '2026-*-* 03:00', '03:00:30', 'Mon 03:00 Europe/Berlin', 'someday', '25:00', '*:61', '']) {
    assert.equal(calendarToCron(calendar), undefined, calendar);
  }
});
