import { execFile } from 'node:child_process';
import { chmod, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../core/config/store.ts';
import {
  ENV_MARK,
  envFileText,
  SERVICES,
  type ServiceName,
  systemctlSteps,
  UNIT_MARK,
  type UnitPlace,
  USER_NAME,
  unitPlace,
  unitText,
} from '../../core/platform/systemd-unit.ts';
import { UserError } from '../../core/util/errors.ts';
import { defaultDataDir, resolveLocations } from '../../core/util/paths.ts';
import { projectRoot } from '../../core/util/project-root.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, locations, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

const USAGE = 'lifeboat service install|uninstall|status daemon|serve [--system] [--user-name NAME]';
const ACTIONS = ['install', 'uninstall', 'status'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function serviceCommand(context: CommandContext): Promise<number> {
  const [action = '', service = ''] = context.args.positionals;
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`"service ${action}" is not a command. Usage: ${USAGE}`);
  if (!(SERVICES as readonly string[]).includes(service)) {
    throw new UsageError(`"${service}" is not a service; use daemon (scheduler only) or serve (scheduler and browser UI). Usage: ${USAGE}`);
  }
  const place = unitPlace(service as ServiceName, context.args.system, context.io.env, context.io.env.HOME || homedir());
  if (action === 'install') return install(context, service as ServiceName, place);
  if (action === 'uninstall') return uninstall(context, service as ServiceName, place);
  return status(context, service as ServiceName, place);
}

/** What every `service … --json` answer starts with: which unit, and where. */
function unitShown(service: ServiceName, place: UnitPlace) {
  return { service, system: place.system, unit: place.unitName, unitFile: place.unitFile };
}

async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function writeRefused(error: unknown, place: UnitPlace): never {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    throw new UserError(
      `Cannot write in ${place.directory} (${code}).${place.system ? ' A system unit needs root: run it with sudo, or leave out --system for a user unit.' : ''}`,
      { kind: 'refused' },
    );
  }
  throw error;
}

/** An account on this machine: its name and home folder (when the system can say). */
interface Account {
  name: string;
  home: string | undefined;
}

function lookUpAccount(name: string): Promise<Account> {
  return new Promise((done, fail) => {
    execFile('getent', ['passwd', name], { timeout: 5000 }, (error, stdout) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return done({ name, home: undefined }); // no getent: systemd checks the name itself
      if (error || stdout.trim() === '')
        return fail(new UserError(`There is no user "${name}" on this machine; give --user-name an existing account.`, { kind: 'usage' }));
      done({ name, home: stdout.trim().split(':')[5] || undefined });
    });
  });
}

/**
 * The account a system unit runs as: --user-name, else the one who ran sudo. Without either the
 * scheduler and every hook would run as root, which is never assumed.
 */
async function systemAccount(context: CommandContext): Promise<Account> {
  const name = context.args.userName ?? context.io.env.SUDO_USER;
  if (name === undefined || name === '') {
    throw new UsageError(
      'A system unit needs the account whose backups these are: add --user-name NAME (or run it with sudo from that account); without one the scheduler and every hook would run as root.',
    );
  }
  if (!USER_NAME.test(name)) throw new UsageError(`${JSON.stringify(name)} is not a user name; give --user-name an account name such as "alice".`);
  return lookUpAccount(name);
}

async function install(context: CommandContext, service: ServiceName, place: UnitPlace): Promise<number> {
  if (!place.system && context.args.userName !== undefined)
    throw new UsageError('--user-name is for a system unit (--system); a user unit always runs as you.');
  const account = place.system ? await systemAccount(context) : undefined;
  const { configFile, dataDir } = serviceLocations(context, account);
  const existing = await readIfThere(place.unitFile);
  if (existing !== undefined && !existing.startsWith(UNIT_MARK)) {
    throw new UserError(`${place.unitFile} is not a unit Lifeboat wrote, so it stays as it is. Move it away first if Lifeboat should write its own.`, {
      kind: 'conflict',
    });
  }
  const loaded = await loadConfig(configFile);
  if (!loaded.exists) {
    // A unit for a missing config runs a scheduler with no plans: backups would silently never happen.
    throw new UserError(
      `There is no config at ${resolve(configFile)}, so the service would run no backups. Create it first (with the Lifeboat app, or "lifeboat import"), or give --config the path of the config you use.`,
      { kind: 'config' },
    );
  }
  const variables = loaded.config.repositories
    .filter((repository) => repository.passwordEnv !== undefined && ENV_NAME.test(repository.passwordEnv))
    .map((repository) => ({ name: repository.passwordEnv as string, repository: repository.id }));
  const command = [process.execPath, join(projectRoot(), 'bin', 'lifeboat.js'), '--config', resolve(configFile), '--data-dir', resolve(dataDir), service];
  const text = unitText({ service, place, command, user: account?.name });
  try {
    await mkdir(place.directory, { recursive: true });
    // The environment file may hold passwords: created private, and never replaced once there.
    const envCreated = await open(place.envFile, 'wx', 0o600).then(
      async (handle) => {
        try {
          await handle.writeFile(envFileText(variables));
        } finally {
          await handle.close();
        }
        return true;
      },
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    if (!envCreated) await chmod(place.envFile, 0o600);
    await writeFile(place.unitFile, text, { mode: 0o644 });
  } catch (error) {
    writeRefused(error, place);
  }
  if (context.args.json) {
    printJson(context, {
      ...unitShown(service, place),
      envFile: place.envFile,
      created: existing === undefined,
      user: account?.name ?? null,
      configFile: resolve(configFile),
      dataDir: resolve(dataDir),
      passwordVariables: variables.map((variable) => variable.name),
      next: systemctlSteps(place, 'install'),
    });
    return EXIT.success;
  }
  const out = context.io.stdout;
  out(`✔ ${existing === undefined ? 'Wrote' : 'Updated'} ${place.unitFile}\n`);
  out(`  It runs${account ? ` as ${account.name}` : ''}: lifeboat --config ${resolve(configFile)} --data-dir ${resolve(dataDir)} ${service}\n`);
  if (variables.length > 0) {
    out(
      `  Put the repository password${variables.length === 1 ? '' : 's'} in ${place.envFile} (mode 0600): ${variables.map((v) => `${v.name}=…`).join(', ')}\n`,
    );
  } else {
    out(`  Environment for it (mode 0600): ${place.envFile}\n`);
  }
  out(`Next, to start it now and at every ${place.system ? 'boot' : 'login'}:\n  ${systemctlSteps(place, 'install')}\n`);
  return EXIT.success;
}

/**
 * The config and data dir the unit names. Under sudo the default ones would be root's; for a
 * system unit, whichever of the two is not given (--config/--data-dir or LIFEBOAT_* variables)
 * is the account's own: a data dir by default in its home, the config by default in the data dir.
 */
function serviceLocations(context: CommandContext, account: Account | undefined) {
  const { env } = context.io;
  if (!account?.home) return locations(context);
  const dataDir = context.args.dataDir ?? env.LIFEBOAT_DATA_DIR ?? defaultDataDir({}, process.platform, account.home);
  return resolveLocations({ config: context.args.config, dataDir }, { LIFEBOAT_CONFIG: env.LIFEBOAT_CONFIG });
}

async function uninstall(context: CommandContext, service: ServiceName, place: UnitPlace): Promise<number> {
  const existing = await readIfThere(place.unitFile);
  const json = context.args.json;
  // With --json the sentences are not printed; the answer at the end says the same.
  const say = (text: string) => {
    if (!json) context.io.stdout(text);
  };
  const answer = (removed: boolean, envFileRemoved: boolean) =>
    printJson(context, { ...unitShown(service, place), removed, envFile: place.envFile, envFileRemoved, next: systemctlSteps(place, 'uninstall') });
  if (existing === undefined) {
    if (json) answer(false, false);
    else say(`Nothing to remove: there is no ${place.unitFile}.\n`);
    return EXIT.success;
  }
  if (!existing.startsWith(UNIT_MARK)) {
    throw new UserError(`${place.unitFile} is not a unit Lifeboat wrote, so it stays as it is.`, { kind: 'conflict' });
  }
  try {
    await rm(place.unitFile);
  } catch (error) {
    writeRefused(error, place);
  }
  say(`✔ Removed ${place.unitFile}\n`);
  const env = await readIfThere(place.envFile);
  let envFileRemoved = false;
  if (env !== undefined) {
    // Only the untouched template goes; a file with a password set in it is kept, nothing is lost.
    const untouched = env.startsWith(ENV_MARK) && env.split('\n').every((line) => line === '' || line.startsWith('#'));
    if (untouched) {
      await rm(place.envFile);
      envFileRemoved = true;
      say(`✔ Removed ${place.envFile}\n`);
    } else {
      say(`  Kept ${place.envFile}: it holds settings (passwords); delete it yourself when they are no longer needed.\n`);
    }
  }
  if (json) answer(true, envFileRemoved);
  else say(`If it was enabled, stop it with:\n  ${systemctlSteps(place, 'uninstall')}\n`);
  return EXIT.success;
}

function systemctlIsActive(place: UnitPlace): Promise<string> {
  const args = [...(place.system ? [] : ['--user']), 'is-active', place.unitName];
  return new Promise((done) => {
    execFile('systemctl', args, { timeout: 5000 }, (error, stdout, stderr) => {
      const answer = stdout.trim();
      if (answer !== '') done(answer);
      else if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') done('unknown (there is no systemctl here)');
      else done(`unknown (systemctl could not say: ${stderr.trim().split('\n')[0] || (error?.message ?? 'no answer')})`);
    });
  });
}

async function status(context: CommandContext, service: ServiceName, place: UnitPlace): Promise<number> {
  const existing = await readIfThere(place.unitFile);
  if (context.args.json) {
    const installed = existing === undefined ? {} : { writtenByLifeboat: existing.startsWith(UNIT_MARK), active: await systemctlIsActive(place) };
    printJson(context, { ...unitShown(service, place), installed: existing !== undefined, ...installed });
    return EXIT.success;
  }
  const out = context.io.stdout;
  if (existing === undefined) {
    out(
      `${place.unitName} is not installed (no ${place.unitFile}). Install it with: lifeboat service install ${place.unitName.slice(9, -8)}${place.system ? ' --system' : ''}\n`,
    );
    return EXIT.success;
  }
  out(`${place.unitName} is installed: ${place.unitFile}${existing.startsWith(UNIT_MARK) ? '' : ' (not written by Lifeboat)'}\n`);
  out(`  systemctl${place.system ? '' : ' --user'} is-active: ${await systemctlIsActive(place)}\n`);
  return EXIT.success;
}
