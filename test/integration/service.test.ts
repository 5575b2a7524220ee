import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { cliHere } from '../helpers/cli-in-process.ts';
import { LIFEBOAT_BIN, lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);

const service = (env: NodeJS.ProcessEnv, ...args: string[]) => cliHere(args, env);

/** systemd's own check of a unit file, in system mode (a user manager cannot run here). */
async function verify(unitFile: string): Promise<void> {
  try {
    await run('systemd-analyze', ['verify', unitFile]);
  } catch (error) {
    const { stderr, stdout } = error as { stderr: string; stdout: string };
    assert.fail(`systemd-analyze verify ${unitFile} failed:\n${stdout}${stderr}`);
  }
}

test('service install --system writes a unit systemd accepts, even for a data dir with spaces, %, $, quotes and backslashes', async (t) => {
  const root = await tempDir(t);
  const odd = join(root, `my data %h $HOME \${USER} "double" 'single' back\\slash`);
  const setup = await writeSetup(odd, [{ id: 'docs', sources: [root] }]);
  const units = join(root, 'units dir %n');
  const env = { ...setup.env, LIFEBOAT_SYSTEMD_DIR: units };
  const installed = await service(env, ...setup.args('service', 'install', 'daemon', '--system', '--user-name', 'nobody'));
  assert.equal(installed.code, 0, installed.stderr);
  const unitFile = join(units, 'lifeboat-daemon.service');
  const envFile = join(units, 'lifeboat-daemon.env');
  assert.match(installed.stdout, new RegExp(`Wrote ${unitFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(installed.stdout, /systemctl daemon-reload && systemctl enable --now lifeboat-daemon\.service/);
  assert.match(installed.stdout, /LIFEBOAT_TEST_PASSWORD=…/);
  const unit = await readFile(unitFile, 'utf8');
  const escapedDir = join(root, 'my data %%h $$HOME $${USER} \\"double\\" \'single\' back\\\\slash');
  assert.ok(
    unit.includes(`ExecStart="${process.execPath}" "${LIFEBOAT_BIN}" "--config" "${escapedDir}/config.json" "--data-dir" "${escapedDir}/data" "daemon"\n`),
    unit,
  );
  assert.match(unit, /^Restart=on-failure$/m);
  assert.match(unit, /^WantedBy=multi-user\.target$/m);
  assert.ok(unit.includes(`EnvironmentFile=-${join(root, 'units dir %%n', 'lifeboat-daemon.env')}\n`), unit);
  assert.ok(!unit.includes(setup.password), 'the password is never in the unit');
  await verify(unitFile);

  assert.equal((await stat(envFile)).mode & 0o777, 0o600);
  const template = await readFile(envFile, 'utf8');
  assert.match(template, /^#LIFEBOAT_TEST_PASSWORD=$/m);
  assert.ok(!template.includes(setup.password));

  // The person puts the password in; installing again updates the unit and keeps the password.
  await writeFile(envFile, `${template}LIFEBOAT_TEST_PASSWORD=${setup.password}\n`);
  const again = await service(env, ...setup.args('service', 'install', 'daemon', '--system', '--user-name', 'nobody'));
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Updated /);
  assert.ok((await readFile(envFile, 'utf8')).includes(`LIFEBOAT_TEST_PASSWORD=${setup.password}`));

  const status = await service(env, 'service', 'status', 'daemon', '--system');
  assert.equal(status.code, 0, status.stderr);
  assert.ok(status.stdout.startsWith(`lifeboat-daemon.service is installed: ${unitFile}\n`), status.stdout);
  assert.match(status.stdout, /systemctl is-active: \S+/);

  // Uninstall removes the unit; the environment file holding a password is kept.
  const removed = await service(env, 'service', 'uninstall', 'daemon', '--system');
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /Removed .*lifeboat-daemon\.service/);
  assert.match(removed.stdout, /Kept .*lifeboat-daemon\.env/);
  assert.match(removed.stdout, /systemctl disable --now lifeboat-daemon\.service/);
  assert.deepEqual(await readdir(units), ['lifeboat-daemon.env']);
  const gone = await service(env, 'service', 'status', 'daemon', '--system');
  assert.match(gone.stdout, /lifeboat-daemon\.service is not installed/);
});

test('service install writes a user unit under XDG_CONFIG_HOME, and uninstall removes the untouched environment file too', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const config = join(root, 'xdg config');
  const env = { ...setup.env, XDG_CONFIG_HOME: config, LIFEBOAT_SYSTEMD_DIR: '' };
  const installed = await service(env, ...setup.args('service', 'install', 'serve'));
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(installed.stdout, /systemctl --user daemon-reload && systemctl --user enable --now lifeboat-serve\.service/);
  const units = join(config, 'systemd', 'user');
  const unit = await readFile(join(units, 'lifeboat-serve.service'), 'utf8');
  assert.match(unit, /^ExecStart=.* "serve"$/m);
  assert.match(unit, /^WantedBy=default\.target$/m);
  assert.doesNotMatch(unit, /network-online/);
  await verify(join(units, 'lifeboat-serve.service'));
  const removed = await service(env, 'service', 'uninstall', 'serve');
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual(await readdir(units), []);
});

test('a unit Lifeboat did not write is neither overwritten nor removed', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const units = join(root, 'units');
  await mkdir(units);
  const foreign = '[Service]\nExecStart=/usr/local/bin/my-own-lifeboat\n';
  await writeFile(join(units, 'lifeboat-daemon.service'), foreign);
  const env = { ...setup.env, LIFEBOAT_SYSTEMD_DIR: units };
  const installed = await service(env, ...setup.args('service', 'install', 'daemon', '--system', '--user-name', 'nobody'));
  assert.notEqual(installed.code, 0);
  assert.match(installed.stderr, /lifeboat-daemon\.service is not a unit Lifeboat wrote, so it stays as it is\. Move it away first/);
  const removed = await service(env, 'service', 'uninstall', 'daemon', '--system');
  assert.notEqual(removed.code, 0);
  assert.equal(await readFile(join(units, 'lifeboat-daemon.service'), 'utf8'), foreign);
  assert.deepEqual(await readdir(units), ['lifeboat-daemon.service'], 'no environment file was left either');
  const status = await service(env, 'service', 'status', 'daemon', '--system');
  assert.match(status.stdout, /\(not written by Lifeboat\)/);
});

test('service mistakes name the right usage', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['service', 'start', 'daemon'], /"service start" is not a command\. Usage: lifeboat service install\|uninstall\|status daemon\|serve \[--system\]/],
    [['service', 'install', '$(id)'], /"\$\(id\)" is not a service; use daemon .* or serve/],
    [['service', 'install'], /"service" is missing an argument/],
  ];
  for (const [args, message] of cases) {
    const result = await lifeboat(args);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
  }
});

test('a system unit runs as the account whose backups these are: --user-name, else the sudo user; never root by default', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const units = join(root, 'units');
  const unitFile = join(units, 'lifeboat-daemon.service');
  const base = { ...setup.env, LIFEBOAT_SYSTEMD_DIR: units, SUDO_USER: undefined };

  const named = await service(base, ...setup.args('service', 'install', 'daemon', '--system', '--user-name', 'nobody'));
  assert.equal(named.code, 0, named.stderr);
  assert.match(await readFile(unitFile, 'utf8'), /^User=nobody$/m);
  assert.match(named.stdout, /It runs as nobody: lifeboat --config /);
  await verify(unitFile);

  // sudo from an account: that account, and its own data dir (root's would be unreadable to it).
  const bySudo = await service({ ...base, SUDO_USER: 'nobody' }, '--config', setup.configFile, 'service', 'install', 'serve', '--system');
  assert.equal(bySudo.code, 0, bySudo.stderr);
  const serveUnit = await readFile(join(units, 'lifeboat-serve.service'), 'utf8');
  assert.match(serveUnit, /^User=nobody$/m);
  assert.ok(serveUnit.includes(`"--config" "${setup.configFile}" "--data-dir" "/nonexistent/.config/Lifeboat"`), serveUnit);
  await verify(join(units, 'lifeboat-serve.service'));

  await rm(units, { recursive: true });
  const cases: Array<[NodeJS.ProcessEnv, string[], RegExp]> = [
    [base, [], /A system unit needs the account whose backups these are: add --user-name NAME .* every hook would run as root\./],
    [base, ['--user-name', 'no-such-account-x'], /There is no user "no-such-account-x" on this machine; give --user-name an existing account\./],
    [base, ['--user-name', 'root\nExecStartPre=/bin/sh -c id'], /is not a user name; give --user-name an account name such as "alice"\./],
    [base, ['--user-name', '$(id)'], /is not a user name/],
    [{ ...base, SUDO_USER: 'x y' }, [], /"x y" is not a user name/],
  ];
  for (const [env, extra, said] of cases) {
    const refused = await service(env, ...setup.args('service', 'install', 'daemon', '--system', ...extra));
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, said);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    assert.equal(await readdir(units).catch(() => 'none'), 'none', 'nothing was written');
  }
  const userUnit = await service({ ...base, XDG_CONFIG_HOME: join(root, 'xdg') }, ...setup.args('service', 'install', 'daemon', '--user-name', 'nobody'));
  assert.equal(userUnit.code, 2);
  assert.match(userUnit.stderr, /--user-name is for a system unit \(--system\); a user unit always runs as you\./);
});

test('a system unit given only --config runs with that account’s own data dir, never root’s', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const units = join(root, 'units');
  const env = { ...setup.env, LIFEBOAT_SYSTEMD_DIR: units, SUDO_USER: 'nobody', HOME: '/root', XDG_CONFIG_HOME: undefined };
  const installed = await service(env, '--config', setup.configFile, 'service', 'install', 'daemon', '--system');
  assert.equal(installed.code, 0, installed.stderr);
  const unit = await readFile(join(units, 'lifeboat-daemon.service'), 'utf8');
  assert.match(unit, /^User=nobody$/m);
  assert.ok(unit.includes(`"--config" "${setup.configFile}" "--data-dir" "/nonexistent/.config/Lifeboat"`), unit);
  await verify(join(units, 'lifeboat-daemon.service'));

  // --data-dir alone: the config in it, as for any command.
  const byDataDir = await service(env, '--data-dir', root, 'service', 'install', 'serve', '--system');
  assert.equal(byDataDir.code, 0, byDataDir.stderr);
  assert.ok((await readFile(join(units, 'lifeboat-serve.service'), 'utf8')).includes(`"--config" "${setup.configFile}" "--data-dir" "${root}"`));
});

test('service install refuses a config file that is not there, naming it and the fix, and writes nothing', async (t) => {
  const root = await tempDir(t);
  const units = join(root, 'units');
  const typo = join(root, 'typo', 'confg.json');
  const base = { LIFEBOAT_SYSTEMD_DIR: units, SUDO_USER: undefined };
  const cases: Array<[NodeJS.ProcessEnv, string[], string]> = [
    [base, ['--config', typo, 'service', 'install', 'daemon'], typo],
    [base, ['--config', typo, 'service', 'install', 'serve', '--system', '--user-name', 'nobody'], typo],
    // The account's own default config (nobody's home is /nonexistent).
    [{ ...base, SUDO_USER: 'nobody' }, ['service', 'install', 'daemon', '--system'], '/nonexistent/.config/Lifeboat/config.json'],
    [base, ['service', 'install', 'daemon', '--system', '--user-name', 'nobody'], '/nonexistent/.config/Lifeboat/config.json'],
  ];
  for (const [env, args, named] of cases) {
    const refused = await service(env, ...args);
    assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
    assert.ok(refused.stderr.includes(`There is no config at ${named}`), refused.stderr);
    assert.match(refused.stderr, /lifeboat import/);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.equal(refused.stdout, '');
    assert.equal(await readdir(units).catch(() => 'none'), 'none', 'nothing was written');
  }
  const json = await service(base, '--config', typo, 'service', 'install', 'daemon', '--json');
  assert.equal(json.code, 2);
  assert.equal(JSON.parse(json.stdout).error.exitCode, 2);
});

test('a relative XDG_CONFIG_HOME is ignored (XDG spec): the user unit goes under ~/.config', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const home = join(root, 'home');
  // Relative to this process's folder, and into the test's own: a regression writes nothing elsewhere.
  const env = { ...setup.env, HOME: home, XDG_CONFIG_HOME: relative(process.cwd(), join(root, 'xdg')), LIFEBOAT_SYSTEMD_DIR: '' };
  const installed = await service(env, ...setup.args('service', 'install', 'daemon'));
  assert.equal(installed.code, 0, installed.stderr);
  const unitFile = join(home, '.config', 'systemd', 'user', 'lifeboat-daemon.service');
  const unit = await readFile(unitFile, 'utf8');
  assert.ok(unit.includes(`EnvironmentFile=-${join(home, '.config', 'systemd', 'user', 'lifeboat-daemon.env')}\n`), unit);
  await verify(unitFile);
});

test('service install, status and uninstall take --json and print one JSON value', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const units = join(root, 'units');
  const env = { ...setup.env, LIFEBOAT_SYSTEMD_DIR: units };
  const unitFile = join(units, 'lifeboat-daemon.service');
  const envFile = join(units, 'lifeboat-daemon.env');

  const absent = await service(env, 'service', 'status', 'daemon', '--json');
  assert.equal(absent.code, 0, absent.stderr);
  assert.deepEqual(JSON.parse(absent.stdout), { service: 'daemon', system: false, unit: 'lifeboat-daemon.service', unitFile, installed: false });

  const installed = await service(env, ...setup.args('service', 'install', 'daemon', '--system', '--user-name', 'nobody', '--json'));
  assert.equal(installed.code, 0, installed.stderr);
  assert.deepEqual(JSON.parse(installed.stdout), {
    service: 'daemon',
    system: true,
    unit: 'lifeboat-daemon.service',
    unitFile,
    envFile,
    created: true,
    user: 'nobody',
    configFile: setup.configFile,
    dataDir: setup.dataDir,
    passwordVariables: ['LIFEBOAT_TEST_PASSWORD'],
    next: 'systemctl daemon-reload && systemctl enable --now lifeboat-daemon.service',
  });

  const status = await service(env, 'service', 'status', 'daemon', '--system', '--json');
  assert.equal(status.code, 0, status.stderr);
  const shown = JSON.parse(status.stdout);
  assert.equal(typeof shown.active, 'string');
  assert.deepEqual(
    { ...shown, active: undefined },
    { service: 'daemon', system: true, unit: 'lifeboat-daemon.service', unitFile, installed: true, writtenByLifeboat: true, active: undefined },
  );

  const removed = await service(env, 'service', 'uninstall', 'daemon', '--system', '--json');
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual(JSON.parse(removed.stdout), {
    service: 'daemon',
    system: true,
    unit: 'lifeboat-daemon.service',
    unitFile,
    removed: true,
    envFile,
    envFileRemoved: true,
    next: 'systemctl disable --now lifeboat-daemon.service; systemctl daemon-reload',
  });
});
