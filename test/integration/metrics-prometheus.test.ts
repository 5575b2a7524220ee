import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { exited, freePort, waitFor } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const haveTools = () => ['prometheus', 'prometheus-node-exporter'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

function started(t: Parameters<typeof tempDir>[0], command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited(child);
    }
  });
  return child;
}

interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

test("a real Prometheus scrapes serve's /metrics (Bearer token) and node_exporter's textfile, and knows the last success of a real run", {
  skip: haveTools() ? false : 'needs prometheus and prometheus-node-exporter (apt-get install prometheus prometheus-node-exporter)',
  timeout: 120_000,
}, async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'source');
  await mkdir(source);
  await writeFile(join(source, 'notes.txt'), 'notes');
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  await writeFile(setup.configFile, JSON.stringify({ ...config, settings: { notifications: false } }));
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  const before = Math.floor(Date.now() / 1000);
  const run = await lifeboatHere(setup, 'run', 'docs', '--json');
  assert.equal(JSON.parse(run.stdout).status, 'success', run.stderr);

  // The textfile for node_exporter, and serve for the scrape with its token.
  const textfiles = join(root, 'textfile');
  await mkdir(textfiles);
  assert.equal((await lifeboatHere(setup, 'metrics', '--textfile', textfiles)).code, 0);
  const exporterPort = await freePort();
  started(t, 'prometheus-node-exporter', [
    '--collector.disable-defaults',
    '--collector.textfile',
    `--collector.textfile.directory=${textfiles}`,
    `--web.listen-address=127.0.0.1:${exporterPort}`,
  ]);
  const served = await startServe(t, setup);
  const target = new URL(served.base);

  // Prometheus reads the token from a file, as an admin would keep it; the scrape sends it as a Bearer header.
  const tokenFile = join(root, 'lifeboat-token');
  await writeFile(tokenFile, served.token, { mode: 0o600 });
  const prometheusConfig = join(root, 'prometheus.yml');
  await writeFile(
    prometheusConfig,
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: lifeboat-serve',
      '    authorization:',
      '      type: Bearer',
      `      credentials_file: ${tokenFile}`,
      '    static_configs:',
      `      - targets: ['${target.host}']`,
      '  - job_name: node-textfile',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${exporterPort}']`,
      '',
    ].join('\n'),
  );
  const prometheusPort = await freePort();
  started(t, 'prometheus', [
    `--config.file=${prometheusConfig}`,
    `--storage.tsdb.path=${join(root, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${prometheusPort}`,
  ]);

  const query = async (promql: string): Promise<QueryResult[]> => {
    const response = await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/query?query=${encodeURIComponent(promql)}`).catch(() => undefined);
    if (!response?.ok) return [];
    const body = (await response.json()) as { status: string; data: { result: QueryResult[] } };
    return body.status === 'success' ? body.data.result : [];
  };
  let results: QueryResult[] = [];
  await waitFor(
    async () => {
      results = await query('lifeboat_last_success_timestamp_seconds{plan="docs"}');
      return new Set(results.map((result) => result.metric.job)).size === 2;
    },
    'Prometheus to have scraped both targets',
    60_000,
  );
  for (const result of results) {
    assert.equal(result.metric.repository, 'local');
    const value = Number(result.value[1]);
    assert.ok(value >= before && value <= Date.now() / 1000, `${result.metric.job}: last success ${value}`);
  }
  // Both targets are up: serve accepted the token Prometheus sent. Asked until a scrape of each has
  // succeeded: on a loaded machine one scrape may take longer than the 1 s interval allows.
  let up: Array<[string | undefined, string]> = [];
  let status: Array<string | undefined> = [];
  const wanted = JSON.stringify([
    ['lifeboat-serve', '1'],
    ['node-textfile', '1'],
  ]);
  await waitFor(
    async () => {
      up = (await query('up')).map((result) => [result.metric.job, result.value[1]] as [string | undefined, string]).sort();
      status = (await query('lifeboat_last_run_status{plan="docs",job="lifeboat-serve"} == 1')).map((result) => result.metric.status);
      return JSON.stringify(up) === wanted && status.length > 0;
    },
    'both targets up and the run status scraped',
    30_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}: up ${JSON.stringify(up)}, status ${JSON.stringify(status)}`);
  });
  assert.deepEqual(status, ['success']);
});
