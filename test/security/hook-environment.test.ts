import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateConfig } from '../../main/core/config/validate.ts';
import { Engine } from '../../main/core/engine.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

async function everyFile(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(join(entry.parentPath, entry.name));
  }
  return files;
}

test('no secret of any repository, cloud credential or the serve token reaches a hook, its stored output, history, --json or live events: runs, async hooks, restore and hooks test', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const out = join(root, 'env-dumps');
  const thirdPasswordFile = join(root, 'third.password');
  await writeFile(thirdPasswordFile, 'third-repository-file-password\n');
  // Dumps its whole environment to a file and to its output, and tries to print every secret it might know of.
  const dump = [
    `mkdir -p ${out}`,
    `env > "${out}/$LIFEBOAT_EVENT-$LIFEBOAT_RUN_ID-$$"`,
    'env',
    'echo "asked: $AWS_SECRET_ACCESS_KEY $B2_ACCOUNT_KEY $LIFEBOAT_SERVE_TOKEN $OTHER_REPOSITORY_PASSWORD $LIFEBOAT_TEST_PASSWORD $RESTIC_PASSWORD"',
    `cat ${thirdPasswordFile}`,
    'echo "repository env: $CLOUD_TOKEN"',
    'echo "kept: $MY_TOOL_SETTING"',
  ].join('\n');
  const hooks = [
    { id: 'start', on: ['run.start'], script: { inline: dump }, inheritEnv: ['AWS_*', 'B2_*', 'OTHER_*', 'LIFEBOAT_*', 'MY_TOOL_SETTING'] },
    { id: 'later', on: ['run.end'], mode: 'async', script: { inline: dump }, inheritEnv: ['RESTIC_*', 'CLOUD_*'] },
    { id: 'restore', on: ['restore.before'], script: { inline: dump } },
  ];
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source], hooks }], { env: { CLOUD_TOKEN: 'local-repository-env-secret' } });
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  config.repositories.push(
    {
      id: 'other',
      url: 's3:https://s3.example.invalid/bucket',
      passwordEnv: 'OTHER_REPOSITORY_PASSWORD',
      env: { AWS_SECRET_ACCESS_KEY: 'other-repository-aws-secret', B2_ACCOUNT_KEY: 'other-repository-b2-secret' },
    },
    { id: 'third', url: join(root, 'third'), passwordFile: thirdPasswordFile },
  );
  config.settings = { hookInheritEnv: ['SSH_*'] };
  await writeFile(setup.configFile, JSON.stringify(config));
  const env = {
    ...setup.env,
    OTHER_REPOSITORY_PASSWORD: 'other-repository-password-value',
    AWS_SECRET_ACCESS_KEY: 'process-aws-secret-access-key',
    B2_ACCOUNT_KEY: 'process-b2-account-key',
    LIFEBOAT_SERVE_TOKEN: 'serve-token-secret-value',
    RESTIC_PASSWORD: 'stray-restic-password-value',
    MY_TOOL_SETTING: 'kept-setting',
    NOT_LISTED: 'not-listed-value',
  };
  const secrets = [
    setup.password,
    'local-repository-env-secret',
    'other-repository-password-value',
    'other-repository-aws-secret',
    'other-repository-b2-secret',
    'third-repository-file-password',
    'process-aws-secret-access-key',
    'process-b2-account-key',
    'serve-token-secret-value',
    'stray-restic-password-value',
  ];
  const outputs: string[] = [];
  const cli = async (...args: string[]) => {
    const result = await lifeboat(setup.args(...args), { env });
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  assert.equal((await cli('validate')).code, 0, outputs.join('\n'));
  await cli('init', 'local');
  const run = JSON.parse((await cli('run', 'docs', '--json')).stdout);
  assert.equal(run.status, 'success', run.reason);
  await cli('hooks', 'test', 'docs', 'start', '--json');
  await cli('hooks', 'test', 'docs', 'later');
  await cli('restore', 'docs', 'latest', '--target', join(root, 'restored'));
  await cli('history', '--json');

  // In-process too, for the live events a UI sees.
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: join(root, 'engine-data'), env: { ...process.env, ...env } });
  const events: unknown[] = [];
  engine.subscribe((event) => events.push(event));
  await engine.runPlan('docs', { onEvent: (event) => events.push(event) });
  await engine.testHook('docs', 'start', { onEvent: (event) => events.push(event) });
  await engine.restore('docs', 'latest', { target: join(root, 'restored-again'), onEvent: (event) => events.push(event) });
  await engine.flushMonitors();
  outputs.push(JSON.stringify(events));

  const dumps = await readdir(out);
  const events_ = new Set(dumps.map((name) => name.split('-')[0]));
  assert.deepEqual([...events_].sort(), ['restore.before', 'run.end', 'run.start'], 'every way a hook runs was dumped');
  for (const name of dumps) {
    const text = await readFile(join(out, name), 'utf8');
    for (const secret of secrets) assert.ok(!text.includes(secret), `the hook's environment (${name}) holds ${secret}`);
    assert.ok(!text.includes('not-listed-value'), `${name}: a variable nobody listed reached the hook`);
    assert.match(text, /^PATH=/m, `${name}: the session basics are there`);
    assert.match(text, /^LIFEBOAT_RUN_ID=/m);
    if (name.startsWith('run.start')) assert.match(text, /^MY_TOOL_SETTING=kept-setting$/m, 'a listed name is inherited');
  }
  for (const [index, text] of outputs.entries()) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `output ${index} holds ${secret}`);
  }
  const files = [...(await everyFile(setup.dataDir)), ...(await everyFile(join(root, 'engine-data')))];
  assert.ok(files.some((file) => file.endsWith('runs.jsonl')));
  for (const file of files) {
    const text = await readFile(file, 'latin1');
    for (const secret of secrets) assert.ok(!text.includes(secret), `${file} holds ${secret}`);
  }
  assert.ok(outputs.join('\n').includes('kept: kept-setting'), 'the hooks did run and print');
});

test('a secret name in inheritEnv or settings.hookInheritEnv, a bare "*", and a hook env key starting with RESTIC_ are validation errors', () => {
  const result = validateConfig({
    version: 1,
    repositories: [
      { id: 'a', url: '/a', passwordEnv: 'A_PASSWORD', env: { AWS_SECRET_ACCESS_KEY: 'x' } },
      { id: 'b', url: '/b', passwordEnv: 'B_PASSWORD' },
    ],
    plans: [
      {
        id: 'p',
        repository: 'a',
        sources: ['/p'],
        hooks: [
          {
            id: 'h',
            on: ['run.end'],
            script: { command: 'true' },
            inheritEnv: ['B_PASSWORD', 'RESTIC_PASSWORD', 'OK_NAME', 'AWS_*', '*'],
            env: { RESTIC_REPOSITORY: '/x' },
          },
        ],
      },
    ],
    settings: { hookInheritEnv: ['LIFEBOAT_SERVE_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'bad-name'] },
  });
  assert.equal(result.ok, false);
  const problems = result.ok ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
  const expected = [
    /^plans\[0\]\.hooks\[0\]\.inheritEnv\[0\]: B_PASSWORD holds a secret .*give the hook what it needs in its own "env"$/,
    /^plans\[0\]\.hooks\[0\]\.inheritEnv\[1\]: RESTIC_PASSWORD holds a secret/,
    /^plans\[0\]\.hooks\[0\]\.inheritEnv\[4\]: "\*" would hand every variable to hooks/,
    /^plans\[0\]\.hooks\[0\]\.env\.RESTIC_REPOSITORY: RESTIC_REPOSITORY: RESTIC_ variables are restic's own settings/,
    /^settings\.hookInheritEnv\[0\]: LIFEBOAT_SERVE_TOKEN holds a secret/,
    /^settings\.hookInheritEnv\[1\]: AWS_SECRET_ACCESS_KEY holds a secret/,
    /^settings\.hookInheritEnv\[2\]: "bad-name" is not an environment variable name/,
  ];
  for (const pattern of expected)
    assert.ok(
      problems.some((problem) => pattern.test(problem)),
      `${pattern} in:\n${problems.join('\n')}`,
    );
  assert.equal(problems.length, expected.length, problems.join('\n'));
});
