import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { escapeLabelValue, type PlanMetrics, renderExposition } from '../../main/core/metrics/exposition.ts';

/** Prometheus' own parser and linter: exit 0 and no complaint means the exposition is valid. */
function promtoolCheck(text: string): { code: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const ran: PlanMetrics = {
  plan: 'docs',
  repository: 'nas',
  lastRun: { endedAt: new Date('2026-11-29T10:00:05Z'), status: 'failure', durationSeconds: 5 },
  lastSuccess: { endedAt: new Date('2026-11-28T10:00:03Z'), addedBytes: 1234 },
  runsTotal: { success: 3, failure: 1 },
};
const neverRan: PlanMetrics = { plan: 'photos', repository: 'nas', lastRun: null, lastSuccess: null, runsTotal: {} };

test('the exposition passes promtool: HELP and TYPE for every family, status as a label set', () => {
  const text = renderExposition('backup-host', [ran]);
  assert.deepEqual(promtoolCheck(text), { code: 0, output: '' });
  const labels = 'plan="docs",repository="nas",host="backup-host"';
  assert.match(text, /^# HELP lifeboat_runs_total .+\n# TYPE lifeboat_runs_total counter$/m);
  assert.match(text, /^# TYPE lifeboat_last_run_status gauge$/m);
  assert.ok(text.includes(`lifeboat_last_run_status{${labels},status="failure"} 1\n`));
  for (const other of ['success', 'warning', 'skipped', 'cancelled'])
    assert.ok(text.includes(`lifeboat_last_run_status{${labels},status="${other}"} 0\n`), other);
  assert.ok(text.includes(`lifeboat_last_run_timestamp_seconds{${labels}} 1795946405\n`));
  assert.ok(text.includes(`lifeboat_last_success_timestamp_seconds{${labels}} 1795860003\n`));
  assert.ok(text.includes(`lifeboat_last_run_duration_seconds{${labels}} 5\n`));
  assert.ok(text.includes(`lifeboat_last_backup_added_bytes{${labels}} 1234\n`));
  assert.ok(text.includes(`lifeboat_runs_total{${labels},status="success"} 3\n`));
  assert.ok(text.includes(`lifeboat_runs_total{${labels},status="failure"} 1\n`));
  assert.ok(text.includes(`lifeboat_runs_total{${labels},status="cancelled"} 0\n`));
});

test('a plan that never ran has no timestamp, status, duration or size series, and its run counters at 0', () => {
  const text = renderExposition('h', [neverRan]);
  assert.equal(promtoolCheck(text).code, 0);
  const series = text.split('\n').filter((line) => line.includes('plan="photos"'));
  assert.deepEqual(
    series.map((line) => line.split('{')[0]),
    Array(5).fill('lifeboat_runs_total'),
  );
  assert.ok(series.every((line) => line.endsWith(' 0')));
});

test('hostile plan ids, repository ids and hostnames are escaped in labels and still parse', () => {
  const hostile = 'a"b\\c\nd $(touch /tmp/x) `id` }{,=';
  const text = renderExposition(`host"\\\n${hostile}`, [{ ...ran, plan: hostile, repository: `repo\n"${hostile}` }]);
  assert.deepEqual(promtoolCheck(text), { code: 0, output: '' });
  assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  assert.ok(text.includes(`plan="${escapeLabelValue(hostile)}"`));
  assert.equal(text.split('\n').filter((line) => line.startsWith('lifeboat_runs_total')).length, 5, 'no newline broke a sample in two');
});

test('the order is stable: families fixed, plans by id whatever order they come in', () => {
  const a = renderExposition('h', [ran, neverRan, { ...neverRan, plan: 'archive' }]);
  const b = renderExposition('h', [{ ...neverRan, plan: 'archive' }, neverRan, ran]);
  assert.equal(a, b);
  const plansInOrder = a
    .split('\n')
    .filter((line) => line.startsWith('lifeboat_runs_total') && line.includes('status="success"'))
    .map((line) => /plan="([^"]+)"/.exec(line)?.[1]);
  assert.deepEqual(plansInOrder, ['archive', 'docs', 'photos']);
});
