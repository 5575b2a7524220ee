import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { canUnshare, fakePowerSupply, OFFLINE, withPowerSupply } from '../helpers/namespaces.ts';
import { tempDir } from '../helpers/temp.ts';

async function batterySetup(root: string): Promise<Setup> {
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source], hooks: [{ id: 'battery', on: ['run.start'], condition: { type: 'battery', minPercent: 30 } }] },
  ]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  return setup;
}

const mountNamespaces = canUnshare('--mount');

test('battery through a fake /sys/class/power_supply: 15 % discharging skips, 90 % runs, charging at 5 % runs', {
  skip: !mountNamespaces && 'unshare --mount is not permitted here',
}, async (t) => {
  const root = await tempDir(t);
  const setup = await batterySetup(root);
  const cases: Array<[string, Record<string, Record<string, string>>, string, number, string | null]> = [
    [
      '15 % discharging',
      { BAT0: { type: 'Battery', capacity: '15', status: 'Discharging' }, AC: { type: 'Mains', online: '0' } },
      'skipped',
      75,
      'Battery at 15 %, below 30 %',
    ],
    ['90 % discharging', { BAT0: { type: 'Battery', capacity: '90', status: 'Discharging' }, AC: { type: 'Mains', online: '0' } }, 'success', 0, null],
    ['5 % charging on AC', { BAT0: { type: 'Battery', capacity: '5', status: 'Charging' }, AC: { type: 'Mains', online: '1' } }, 'success', 0, null],
  ];
  for (const [label, supplies, status, code, reason] of cases) {
    const fake = await fakePowerSupply(join(root, label.replace(/\W+/g, '-')), supplies);
    const result = await lifeboat(setup.args('run', 'docs', '--trigger', 'schedule', '--json'), { env: setup.env, prefix: withPowerSupply(fake) });
    const run = JSON.parse(result.stdout);
    assert.equal(run.status, status, `${label}: ${run.reason}`);
    assert.equal(result.code, code, label);
    assert.equal(run.reason, reason, label);
    const hook = run.steps.find((step: { name: string }) => step.name === 'battery');
    assert.equal(hook.status, status === 'skipped' ? 'skipped' : 'success', label);
  }
});

test('online fails inside a namespace with no network and passes against an HTTP server on 127.0.0.1', {
  skip: !canUnshare('--net') && 'unshare --net is not permitted here',
}, async (t) => {
  const root = await tempDir(t);
  const server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source], hooks: [{ id: 'net', on: ['run.start'], condition: { type: 'online', url, timeout: '2s' } }] },
  ]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);

  const online = await lifeboat(setup.args('run', 'docs', '--trigger', 'schedule', '--json'), { env: setup.env });
  assert.equal(JSON.parse(online.stdout).status, 'success');
  const offline = await lifeboat(setup.args('run', 'docs', '--trigger', 'schedule', '--json'), { env: setup.env, prefix: OFFLINE });
  const run = JSON.parse(offline.stdout);
  assert.equal(offline.code, 75);
  assert.equal(run.status, 'skipped');
  assert.match(run.reason, new RegExp(`^Offline: ${url.replace(/[/.]/g, '\\$&')} did not answer \\(E[A-Z]+\\)$`));
});
