import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { MASK, maskConfig } from '../../main/core/config/secrets-mask.ts';
import { type ConfigJson, cli, type ImportSetup, importSetup } from '../helpers/import-fixture.ts';

/** What the person's own config holds: every kind of secret maskConfig hides. */
const EXISTING_SECRETS = ['WEBHOOKSECRET', 'tk_NTFYSECRET', 'SECRETPINGKEY123', 'PGSECRET', 'EXISTINGSIG', 'sig='];
/** What the imported files hold: a SAS token under a name that does not look secret, a URL password with an @ in it. */
const IMPORTED_SECRETS = ['IMPORTEDSIG', 'sig=', 'p@ssw0rd', 'ssw0rd', 'backrest-Inline-Pw'];

function existingConfig(setup: ImportSetup) {
  return {
    version: 1,
    repositories: [
      {
        id: 'cloud',
        name: 'Cloud',
        url: setup.repo,
        passwordEnv: 'MY_PASSWORD',
        env: { AZURE_ACCOUNT_NAME: 'acct', AZURE_ACCOUNT_SAS: 'sv=2022-11-02&sig=EXISTINGSIG' },
      },
    ],
    plans: [
      {
        id: 'docs-backup',
        name: 'Documents',
        repository: 'cloud',
        sources: ['/home/me/Documents'],
        schedule: { every: '6h' },
        monitors: [
          { id: 'hook', type: 'webhook', url: 'https://hooks.example/notify', headers: { Authorization: 'Bearer WEBHOOKSECRET' } },
          { id: 'push', type: 'ntfy', url: 'https://ntfy.sh/lifeboat', token: 'tk_NTFYSECRET' },
          { id: 'ping', type: 'healthchecks', url: 'https://hc-ping.com/SECRETPINGKEY123/docs-backup' },
        ],
      },
    ],
    settings: { metrics: { pushgateway: 'https://user:PGSECRET@push.example/' } },
  };
}

async function writeExisting(setup: ImportSetup): Promise<ConfigJson> {
  const config = existingConfig(setup);
  await mkdir(dirname(setup.configFile), { recursive: true });
  await writeFile(setup.configFile, `${JSON.stringify(config, null, 2)}\n`);
  return config as unknown as ConfigJson;
}

/** One imported repository per tool with a SAS token in its env and one whose URL password holds an @. */
const FOREIGN: Record<string, { fixture: string; text: (setup: ImportSetup) => string }> = {
  backrest: {
    fixture: 'backrest.json',
    text: (setup) =>
      JSON.stringify({
        repos: [
          {
            id: 'azure',
            uri: 'azure:box:/restic',
            password: 'backrest-Inline-Pw',
            env: ['AZURE_ACCOUNT_NAME=acct', 'AZURE_ACCOUNT_SAS=sv=2022&sig=IMPORTEDSIG'],
          },
          { id: 'rest', uri: 'rest:https://alice:p@ssw0rd@rest.example/alice', password: 'backrest-Inline-Pw' },
        ],
        plans: [
          { id: 'to-azure', repo: 'azure', paths: [setup.source] },
          { id: 'to-rest', repo: 'rest', paths: [setup.source] },
        ],
      }),
  },
  autorestic: {
    fixture: 'autorestic.yml',
    text: (setup) =>
      JSON.stringify({
        version: 2,
        locations: { home: { from: setup.source, to: ['azure', 'rest'] } },
        backends: {
          azure: { type: 'azure', path: 'box:/restic', key: 'k-autorestic', env: { AZURE_ACCOUNT_NAME: 'acct', AZURE_ACCOUNT_SAS: 'sv=2022&sig=IMPORTEDSIG' } },
          rest: { type: 'rest', path: 'https://alice:p@ssw0rd@rest.example/alice', key: 'k-autorestic' },
        },
      }),
  },
  resticprofile: {
    fixture: 'resticprofile.toml',
    text: (setup) =>
      [
        'version = "1"',
        '[azure]',
        '  repository = "azure:box:/restic"',
        '  password-file = "/etc/restic/key"',
        '  [azure.env]',
        '    AZURE_ACCOUNT_NAME = "acct"',
        '    AZURE_ACCOUNT_SAS = "sv=2022&sig=IMPORTEDSIG"',
        '  [azure.backup]',
        `    source = [${JSON.stringify(setup.source)}]`,
        '[rest]',
        '  repository = "rest:https://alice:p@ssw0rd@rest.example/alice"',
        '  password-file = "/etc/restic/key"',
        '  [rest.backup]',
        `    source = [${JSON.stringify(setup.source)}]`,
        '',
      ].join('\n'),
  },
};

function assertNoSecret(text: string, secrets: string[], what: string): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${what} shows ${JSON.stringify(secret)}:\n${text}`);
}

test('import --merge --dry-run shows the existing config with the mask the API uses: no webhook header, ntfy token, monitor URL, pushgateway password or env value', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const existing = await writeExisting(setup);
  const expected = maskConfig(existing as unknown as Record<string, unknown>) as unknown as ConfigJson;

  const human = await cli(setup.args('import', 'backrest', setup.file, '--merge', '--dry-run'), setup.env);
  assert.equal(human.code, 0, human.stderr);
  assertNoSecret(human.stdout + human.stderr, EXISTING_SECRETS, 'the dry run');
  const shown = JSON.parse(human.stdout) as ConfigJson;
  assert.deepEqual(shown.repositories[0], expected.repositories[0]);
  assert.deepEqual(shown.plans[0], expected.plans[0]);
  assert.deepEqual(shown.settings, expected.settings);
  assert.equal(shown.plans[0]!.monitors && (shown.plans[0]!.monitors as Array<{ url: string }>)[2]!.url, MASK, 'a monitor URL is masked whole');

  const json = await cli(setup.args('import', 'backrest', setup.file, '--merge', '--dry-run', '--json'), setup.env);
  assert.equal(json.code, 0, json.stderr);
  assertNoSecret(json.stdout + json.stderr, EXISTING_SECRETS, 'the dry run in JSON');
  const report = JSON.parse(json.stdout) as { config: ConfigJson };
  assert.deepEqual(report.config.repositories[0], expected.repositories[0]);
  assert.deepEqual(report.config.plans[0], expected.plans[0]);
  assert.deepEqual(report.config.settings, expected.settings);
});

for (const [tool, foreign] of Object.entries(FOREIGN)) {
  test(`${tool}: every imported env value is masked whatever its name, and a URL password with an @ is masked whole, in the dry run and the report`, async (t) => {
    const setup = await importSetup(t, foreign.fixture);
    await writeFile(setup.file, foreign.text(setup));

    const human = await cli(setup.args('import', tool, setup.file, '--dry-run'), setup.env);
    assert.equal(human.code, 0, human.stderr);
    assertNoSecret(human.stdout + human.stderr, IMPORTED_SECRETS, `${tool} dry run`);
    const shown = JSON.parse(human.stdout) as ConfigJson;
    const azure = shown.repositories.find((repository) => repository.url.startsWith('azure:'));
    assert.deepEqual(azure?.env, { AZURE_ACCOUNT_NAME: MASK, AZURE_ACCOUNT_SAS: MASK });
    const rest = shown.repositories.find((repository) => repository.url.startsWith('rest:'));
    assert.equal(rest?.url, `rest:https://alice:${MASK}@rest.example/alice`);

    const json = await cli(setup.args('import', tool, setup.file, '--dry-run', '--json'), setup.env);
    assert.equal(json.code, 0, json.stderr);
    assertNoSecret(json.stdout + json.stderr, IMPORTED_SECRETS, `${tool} dry run in JSON`);
    assert.deepEqual((JSON.parse(json.stdout) as { config: ConfigJson }).config, shown);

    const human2 = await cli(setup.args('import', tool, setup.file), setup.env);
    assert.equal(human2.code, 0, human2.stderr);
    assert.match(human2.stdout, /^✔ Imported from /);
    assertNoSecret(human2.stdout + human2.stderr, IMPORTED_SECRETS, `${tool} import report`);
    const elsewhere = join(setup.root, 'second', 'config.json');
    const real = await cli(['--config', elsewhere, '--data-dir', join(setup.root, 'second'), 'import', tool, setup.file, '--json'], setup.env);
    assert.equal(real.code, 0, real.stderr);
    assert.equal(JSON.parse(real.stdout).written, true);
    assertNoSecret(real.stdout + real.stderr, IMPORTED_SECRETS, `${tool} import report in JSON`);
  });
}
