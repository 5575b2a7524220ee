import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, importJson, importSetup, readConfig } from '../helpers/import-fixture.ts';

const HOSTILE_FOLDER = 'it\'s "quoted" $(touch PWNED) `touch PWNED`\nnew line';

test('a file in a folder whose name has quotes, $(), backquotes and a newline imports; relative paths keep that name exactly; nothing runs', async (t) => {
  const setup = await importSetup(t, 'autorestic.yml', { folder: HOSTILE_FOLDER, fileName: '.autorestic "$(x)".yml' });
  const report = await importJson(setup, 'autorestic');
  assert.equal(report.written, true);
  const config = await readConfig(setup);
  const important = config.plans.find((entry) => entry.id === 'important-hdd');
  assert.deepEqual(important?.sources, ['/path/to/important/stuff', join(setup.root, HOSTILE_FOLDER, 'relative/folder')]);
  assert.equal((await cli(setup.args('validate'))).code, 0);
  const leftovers = (await readdir(setup.root, { recursive: true })).filter((name) => name.endsWith('PWNED'));
  assert.deepEqual(leftovers, []);
});

test('hostile names become valid, unique ids; names keep their text; the report escapes control characters', async (t) => {
  const setup = await importSetup(t, 'autorestic.yml');
  const names = ["it's", '$(touch PWNED)', 'line one\nline two', 'naïve 日本語', '---', 'UPPER case', 'x'.repeat(500)];
  const locations = Object.fromEntries(names.map((name, index) => [name, { from: `/data/${index}`, to: 'disk', strange: true }]));
  await writeFile(setup.file, JSON.stringify({ version: 2, locations, backends: { disk: { type: 'local', path: setup.repo, key: 'k' } } }));
  const result = await cli(setup.args('import', 'autorestic', setup.file), setup.env);
  assert.equal(result.code, 0, result.stderr);
  const config = await readConfig(setup);
  const ids = config.plans.map((entry) => entry.id);
  assert.equal(new Set(ids).size, names.length);
  for (const id of ids) assert.match(id, /^[a-z0-9][a-z0-9-_]{0,63}$/);
  assert.deepEqual(
    config.plans.map((entry) => entry.name),
    ["it's", '$(touch PWNED)', 'line one line two', 'naïve 日本語', '---', 'UPPER case', 'x'.repeat(200)],
  );
  // Unknown keys are reported, never fatal; a newline in a name cannot forge a report line.
  assert.match(result.stdout, /locations\["line one\\nline two"\]\.strange: is not a location setting Lifeboat can take; left out/);
  assert.equal(result.stdout.split('\n').filter((line) => line.startsWith('line two')).length, 0);
  assert.equal((await cli(setup.args('validate'))).code, 0);
});

test('huge, deeply nested and alias-bomb files are refused with one sentence each, exit 2, nothing written', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const cases: Array<[string, string, RegExp]> = [
    ['huge.json', `{"plans": [${'"x",'.repeat(1_200_000)}"x"]}`, /larger than any backup config \(at most 4 MiB\)/],
    ['deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`, /nested more than 64 levels deep/],
    ['deep.yml', `${'['.repeat(5000)}${']'.repeat(5000)}`, /nested/],
    [
      'bomb.yml',
      `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from(
        { length: 12 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ).join('\n')}\n`,
      /aliases/,
    ],
    ['broken.json', '{"repos": [', /is not valid JSON \(line 1/],
    ['empty.yml', '\n\n', /it is empty/],
  ];
  for (const [name, text, message] of cases) {
    const file = join(setup.root, name);
    await writeFile(file, text);
    const result = await cli(setup.args('import', 'backrest', file), setup.env);
    assert.equal(result.code, 2, `${name}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message, name);
    assert.equal(result.stderr.trim().split('\n').length, 1, `${name}: one line`);
  }
  await assert.rejects(stat(setup.configFile));
});

test('a file that says it is empty but is endless (/proc/self/pagemap) is read no further than the 4 MiB cap and refused like a huge file', {
  skip: existsSync('/proc/self/pagemap') ? false : 'needs Linux /proc',
}, async (t) => {
  const setup = await importSetup(t, 'autorestic.yml');
  assert.equal((await stat('/proc/self/pagemap')).size, 0, 'the system reports no size for it');
  const result = await cli(setup.args('import', 'autorestic', '/proc/self/pagemap', '--dry-run'), setup.env);
  assert.equal(result.code, 2, `${result.stdout}${result.stderr}`);
  assert.match(result.stderr, /The file "\/proc\/self\/pagemap" cannot be imported: it is larger than any backup config \(at most 4 MiB\)\.$/m);
  assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
  await assert.rejects(stat(setup.configFile));
});

test('a wrong tool name, a missing file and a file with nothing to import each say what to do', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const wrongTool = await cli(setup.args('import', 'borgmatic', setup.file), setup.env);
  assert.equal(wrongTool.code, 2);
  assert.match(wrongTool.stderr, /"borgmatic" is not a tool Lifeboat imports from; use resticprofile, autorestic, backrest/);
  const missing = await cli(setup.args('import', 'backrest', join(setup.root, 'nope.json')), setup.env);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /there is no such file; check the path/);
  const usage = await cli(setup.args('import', 'backrest'), setup.env);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /Usage: lifeboat import resticprofile\|autorestic\|backrest FILE \[--dry-run\] \[--merge\]/);
  const nothing = join(setup.root, 'nothing.json');
  await writeFile(nothing, JSON.stringify({ repos: [{ id: 'r', uri: '/r', password: 'p' }], plans: [], unknownThing: { a: 1 } }));
  const empty = await cli(setup.args('import', 'backrest', nothing), setup.env);
  assert.equal(empty.code, 1);
  assert.match(empty.stdout, /unknownThing: is not a Backrest setting Lifeboat can take/);
  assert.match(empty.stderr, /could become a plan; the list above says why\. Your config was not changed\./);
  await assert.rejects(stat(setup.configFile));
});

test('an imported value Lifeboat refuses (a cron that never fires, a relative source) is left out and reported; the rest imports', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  await writeFile(
    setup.file,
    JSON.stringify({
      repos: [{ id: 'r', uri: setup.repo, password: 'p' }],
      plans: [
        { id: 'never', repo: 'r', paths: ['/data'], schedule: { cron: '0 2 30 2 *' } },
        { id: 'relative', repo: 'r', paths: ['data', '/ok'] },
        {
          id: 'bad-hook',
          repo: 'r',
          paths: ['/x'],
          hooks: [{ conditions: ['CONDITION_SNAPSHOT_START'], actionCommand: { command: 'echo "{{LIFEBOAT_PLAN_ID}}"' } }],
        },
      ],
    }),
  );
  const report = await importJson(setup, 'backrest');
  assert.deepEqual(report.plans, ['never', 'relative', 'bad-hook']);
  const config = await readConfig(setup);
  assert.equal(config.plans[0]?.schedule, null);
  assert.deepEqual(config.plans[1]?.sources, ['/ok']);
  assert.match(report.notMapped.map((item) => `${item.path}: ${item.reason}`).join('\n'), /plans\[0\] \(schedule\): .*never fires.*runs by hand/);
  assert.match(report.notMapped.map((item) => `${item.path}: ${item.reason}`).join('\n'), /plans\[1\] \(sources\): "data" is a relative path/);
  assert.equal((await cli(setup.args('validate'))).code, 0);
});

test('a thousand locations import in one go', async (t) => {
  const setup = await importSetup(t, 'autorestic.yml');
  const locations = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`loc-${i}`, { from: `/data/${i}`, to: 'disk', cron: '0 3 * * *' }]));
  await writeFile(setup.file, JSON.stringify({ version: 2, locations, backends: { disk: { type: 'local', path: setup.repo, key: 'k' } } }));
  const started = Date.now();
  const report = await importJson(setup, 'autorestic');
  assert.equal(report.plans.length, 1000);
  assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
});

test('broken, deeply nested and huge TOML files are refused with one sentence each (line and column where known), exit 2, nothing written', async (t) => {
  const setup = await importSetup(t, 'resticprofile.toml');
  const tables = Array.from({ length: 200 }, (_, i) => `k${i}`).join('.');
  const cases: Array<[string, string, RegExp]> = [
    ['broken.toml', '[default]\nrepository = "local:/r\n', /it is not valid TOML \(line 2, column 23: control characters are not allowed in strings\)\.$/m],
    [
      'twice.toml',
      '[default]\nrepository = "a"\nrepository = "b"\n',
      /it is not valid TOML \(line 3, column 1: trying to redefine an already defined table or value\)/,
    ],
    ['deep-inline.toml', `a = ${'{b = '.repeat(200)}1${'}'.repeat(200)}\n`, /nested more than 64 levels deep/],
    ['deep-array.toml', `a = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, /nested more than 64 levels deep/],
    ['deep-tables.toml', `[${tables}]\nx = 1\n`, /nested more than 64 levels deep/],
    ['huge.toml', `[default]\nexclude = [${'"x",'.repeat(1_200_000)}"x"]\n`, /larger than any backup config \(at most 4 MiB\)/],
  ];
  for (const [name, text, message] of cases) {
    const file = join(setup.root, name);
    await writeFile(file, text);
    const result = await cli(setup.args('import', 'resticprofile', file), setup.env);
    assert.equal(result.code, 2, `${name}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message, name);
    assert.equal(result.stderr.trim().split('\n').length, 1, `${name}: one line`);
  }
  const comments = join(setup.root, 'comments.toml');
  await writeFile(comments, '# profiles.toml\n\n# nothing here yet\n');
  const nothing = await cli(setup.args('import', 'resticprofile', comments), setup.env);
  assert.equal(nothing.code, 1);
  assert.match(nothing.stdout, /no profiles were found in the file/);
  await assert.rejects(stat(setup.configFile));
});

test('TOML profile names and values with quotes, newlines, $() and backquotes import as text; ids are valid; the report cannot be forged; nothing runs', async (t) => {
  const setup = await importSetup(t, 'resticprofile.toml');
  const names = ['it\'s "quoted"', '$(touch PWNED)', 'line one\nline two', '`touch PWNED`'];
  const profile = (name: string, index: number) =>
    `[${JSON.stringify(name)}]\nrepository = "local:${setup.repo}"\npassword-command = 'echo "$(touch PWNED)"'\n"strange\\nkey" = true\n` +
    `[${JSON.stringify(name)}.backup]\nsource = ${JSON.stringify(`${setup.root}/data ${index} $(touch PWNED) "q"`)}\nrun-before = "touch PWNED; echo \\"$(id)\\""\n`;
  await writeFile(setup.file, names.map(profile).join('\n'));
  const result = await cli(setup.args('import', 'resticprofile', setup.file), setup.env);
  assert.equal(result.code, 0, result.stderr);
  const config = await readConfig(setup);
  assert.equal(config.plans.length, names.length);
  for (const id of config.plans.map((entry) => entry.id)) assert.match(id, /^[a-z0-9][a-z0-9-_]{0,63}$/);
  assert.deepEqual(
    config.plans.map((entry) => entry.sources),
    names.map((_, index) => [`${setup.root}/data ${index} $(touch PWNED) "q"`]),
  );
  assert.ok(config.plans.every((entry) => (entry.hooks ?? []).every((hook) => hook.enabled === false)));
  assert.equal(
    result.stdout.split('\n').filter((line) => line.startsWith('line two') || line.startsWith('key')).length,
    0,
    'a newline cannot start a report line',
  );
  assert.match(result.stdout, /"strange\\nkey"/);
  assert.equal((await cli(setup.args('validate'))).code, 0);
  const leftovers = (await readdir(setup.root, { recursive: true })).filter((name) => name.endsWith('PWNED'));
  assert.deepEqual(leftovers, []);
});
