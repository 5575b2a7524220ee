import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboatInProcess } from '../helpers/cli-in-process.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';
import { inPool, rawRequest } from './helpers/common.ts';

const REPO = { id: 'local', url: '/srv/restic', passwordEnv: 'PW' };
const PLAN = { id: 'docs', repository: 'local', sources: ['/data'] };
const config = (plan: object = {}, repository: object = {}, extra: object = {}) => ({
  version: 1,
  repositories: [{ ...REPO, ...repository }],
  plans: [{ ...PLAN, ...plan }],
  ...extra,
});
const withHook = (hook: object) => config({ hooks: [{ id: 'h', on: ['backup.before'], script: { command: 'true' }, ...hook }] });
const withCondition = (condition: object) => config({ hooks: [{ id: 'c', on: ['run.start'], condition }] });

/** [what is wrong, the config, the one problem path expected, the sentence expected there]. */
const CONFIG_CASES: Array<[string, unknown, string, RegExp]> = [
  ['version is text', { ...config(), version: '1' }, 'version', /^must be 1$/],
  ['version is missing', { repositories: [REPO], plans: [PLAN] }, 'version', /^is missing; add "version": 1$/],
  ['repositories is an object', { version: 1, repositories: {}, plans: [] }, 'repositories', /^must be a list \[ … \], not an object$/],
  ['unknown top-level key', config({}, {}, { extras: true }), 'extras', /^is not a setting Lifeboat knows; remove it or check its spelling$/],
  ['misspelt plan key', config({ sourcse: ['/x'] }), 'plans[0].sourcse', /^is not a setting Lifeboat knows/],
  ['misspelt repository key', config({}, { pasword: 'x' }), 'repositories[0].pasword', /^is not a setting Lifeboat knows/],
  ['unknown settings key', config({}, {}, { settings: { theme: 'dark' } }), 'settings.theme', /^is not a setting Lifeboat knows/],
  ['plan id is a number', config({ id: 5 }), 'plans[0].id', /^must be text in quotes, not 5$/],
  ['plan id has capitals', config({ id: 'Docs' }), 'plans[0].id', /^"Docs" is not a valid id \(use lowercase letters, digits/],
  ['plan id is empty', config({ id: '' }), 'plans[0].id', /^"" is not a valid id/],
  ['plan name is a number', config({ name: 42 }), 'plans[0].name', /^must be text in quotes, not 42$/],
  ['plan enabled is text', config({ enabled: 'no' }), 'plans[0].enabled', /^must be true or false, not "no"$/],
  [
    'duplicate plan ids',
    { version: 1, repositories: [REPO], plans: [PLAN, PLAN] },
    'plans[1].id',
    /^"docs" is already used by plans\[0\]; ids must be unique$/,
  ],
  [
    'duplicate repository ids',
    { version: 1, repositories: [REPO, REPO], plans: [PLAN] },
    'repositories[1].id',
    /^"local" is already used by repositories\[0\]; ids must be unique$/,
  ],
  [
    'duplicate hook ids',
    config({
      hooks: [
        { id: 'h', on: ['run.start'], script: { command: 'true' } },
        { id: 'h', on: ['run.end'], script: { command: 'true' } },
      ],
    }),
    'plans[0].hooks[1].id',
    /^"h" is already used by plans\[0\]\.hooks\[0\]/,
  ],
  ['dangling repository reference', config({ repository: 'nas' }), 'plans[0].repository', /^no repository has the id "nas" \(known: local\)$/],
  [
    'repository without a password source',
    { version: 1, repositories: [{ id: 'local', url: '/srv' }], plans: [PLAN] },
    'repositories[0]',
    /^needs a password source/,
  ],
  ['repository with two password sources', config({}, { passwordFile: '/pw' }), 'repositories[0]', /^has passwordEnv and passwordFile; keep exactly one/],
  ['relative repository path', config({}, { url: 'backups/restic' }), 'repositories[0].url', /^"backups\/restic" is a relative path; write the full path/],
  [
    'repository without url',
    { version: 1, repositories: [{ id: 'local', passwordEnv: 'PW' }], plans: [PLAN] },
    'repositories[0].url',
    /^is missing; add it \(text in quotes\)$/,
  ],
  ['repository env value is a number', config({}, { env: { A: 1 } }), 'repositories[0].env.A', /^must be text in quotes, not 1$/],
  ['empty sources', config({ sources: [] }), 'plans[0].sources', /^needs at least one folder to back up/],
  ['sources is one string', config({ sources: '/data' }), 'plans[0].sources', /^must be a list \[ … \], not "\/data"$/],
  ['relative source', config({ sources: ['Documents'] }), 'plans[0].sources[0]', /^"Documents" is a relative path; write it from the root/],
  ['empty source path', config({ sources: [''] }), 'plans[0].sources[0]', /^must not be empty$/],
  ['excludes is one string', config({ excludes: '*.tmp' }), 'plans[0].excludes', /^must be a list/],
  ['cron with 3 fields', config({ schedule: { cron: '* * *' } }), 'plans[0].schedule.cron', /^"\* \* \*" has 3 fields; a cron expression has 5/],
  [
    'cron minute 61',
    config({ schedule: { cron: '61 * * * *' } }),
    'plans[0].schedule.cron',
    /^"61 \* \* \* \*" is not a valid cron expression \(.*minute: 61\)/,
  ],
  [
    'cron in words',
    config({ schedule: { cron: 'every hour a b c' } }),
    'plans[0].schedule.cron',
    /is not a valid cron expression .*e\.g\. "0 \* \* \* \*" is every hour$/,
  ],
  [
    'unknown time zone',
    config({ schedule: { cron: '0 * * * *', timezone: 'Mars/Olympus' } }),
    'plans[0].schedule.timezone',
    /^"Mars\/Olympus" is not a time zone; use "local" or an IANA name/,
  ],
  ['interval in words', config({ schedule: { every: 'six hours' } }), 'plans[0].schedule.every', /^"six hours" is not a duration \(try "10m"\)$/],
  ['interval as a number', config({ schedule: { every: 6 } }), 'plans[0].schedule.every', /^must be text in quotes, not 6/],
  ['cron and interval together', config({ schedule: { cron: '0 * * * *', every: '6h' } }), 'plans[0].schedule', /^must be \{"cron"/],
  ['schedule as a word', config({ schedule: 'hourly' }), 'plans[0].schedule', /^must be \{"cron"/],
  ['catchUp as text', config({ catchUp: 'yes' }), 'plans[0].catchUp', /^must be true or false, not "yes"$/],
  ['negative retention', config({ retention: { keepLast: -1 } }), 'plans[0].retention.keepLast', /^must be at least 1$/],
  ['unknown retention key', config({ retention: { keepForever: 1 } }), 'plans[0].retention.keepForever', /^is not a setting Lifeboat knows/],
  ['check interval in words', config({ check: { every: 'weekly' } }), 'plans[0].check.every', /^"weekly" is not a duration/],
  ['check subset in words', config({ check: { every: '7d', readDataSubset: 'lots' } }), 'plans[0].check.readDataSubset', /^is not a subset restic understands/],
  ['hook timeout in words', withHook({ timeout: '10 minutes' }), 'plans[0].hooks[0].timeout', /^"10 minutes" is not a duration \(try "10m"\)$/],
  ['hook timeout as a number', withHook({ timeout: 600 }), 'plans[0].hooks[0].timeout', /^must be text in quotes, not 600$/],
  ['hook retryAfter in words', withHook({ onError: 'defer', retryAfter: 'later' }), 'plans[0].hooks[0].retryAfter', /^"later" is not a duration/],
  ['hook on an unknown event', withHook({ on: ['backup.during'] }), 'plans[0].hooks[0].on[0]', /^"backup.during" is not allowed; use one of "run.start"/],
  ['hook on no event', withHook({ on: [] }), 'plans[0].hooks[0].on', /^needs at least one event/],
  [
    'unknown onError',
    withHook({ onError: 'explode' }),
    'plans[0].hooks[0].onError',
    /^"explode" is not allowed; use one of "fail", "skip", "ignore", "defer"$/,
  ],
  ['unknown state', withHook({ on: ['run.end'], states: ['done'] }), 'plans[0].hooks[0].states[0]', /^"done" is not allowed; use one of "success"/],
  ['unknown mode', withHook({ mode: 'background' }), 'plans[0].hooks[0].mode', /^"background" is not allowed; use one of "wait", "async"$/],
  ['unknown appliesTo', withHook({ appliesTo: 'some' }), 'plans[0].hooks[0].appliesTo', /^"some" is not allowed; use one of "all", "scheduled"$/],
  ['hook with script and condition', withHook({ condition: { type: 'acPower' } }), 'plans[0].hooks[0]', /^has both "script" and "condition"/],
  ['hook with neither', config({ hooks: [{ id: 'h', on: ['run.start'] }] }), 'plans[0].hooks[0]', /^needs either "script" or "condition"$/],
  ['empty script', withHook({ script: {} }), 'plans[0].hooks[0].script', /^needs one of "inline" \(script text\), "path"/],
  [
    'script with two kinds',
    withHook({ script: { command: 'true', inline: 'true' } }),
    'plans[0].hooks[0].script',
    /^has "inline" and "command"; keep exactly one/,
  ],
  ['oversized inline script', withHook({ script: { inline: 'x'.repeat(32_001) } }), 'plans[0].hooks[0].script.inline', /^is longer than 32,000 characters/],
  [
    'unknown {{…}} in inline',
    withHook({ script: { inline: 'echo {{LIFEBOAT_NOPE}}' } }),
    'plans[0].hooks[0].script.inline',
    /^\{\{LIFEBOAT_NOPE\}\} is not a variable/,
  ],
  [
    'unknown {{…}} in command',
    withHook({ script: { command: 'echo {{ PASSWORD }}' } }),
    'plans[0].hooks[0].script.command',
    /^\{\{PASSWORD\}\} is not a variable/,
  ],
  [
    '{{…}} in a python script',
    withHook({ script: { inline: '#!/usr/bin/env python3\nprint({{LIFEBOAT_PLAN_NAME}})' } }),
    'plans[0].hooks[0].script.inline',
    /quoted for shells only.*read the value from the environment/,
  ],
  ['script args as one string', withHook({ script: { path: '/bin/true', args: 'a' } }), 'plans[0].hooks[0].script.args', /^must be a list/],
  ['hook env value is a number', withHook({ env: { A: 1 } }), 'plans[0].hooks[0].env.A', /^must be text in quotes, not 1$/],
  [
    'unknown condition type',
    withCondition({ type: 'moonPhase' }),
    'plans[0].hooks[0].condition.type',
    /^"moonPhase" is not a condition type; use one of battery, acPower/,
  ],
  ['condition type is a number', withCondition({ type: 3 }), 'plans[0].hooks[0].condition.type', /^must be text in quotes, not 3$/],
  ['battery above 100 %', withCondition({ type: 'battery', minPercent: 150 }), 'plans[0].hooks[0].condition.minPercent', /^must be at most 100$/],
  ['battery without minPercent', withCondition({ type: 'battery' }), 'plans[0].hooks[0].condition.minPercent', /^is missing; add it \(a number\)$/],
  ['online port out of range', withCondition({ type: 'online', host: 'x', port: 70000 }), 'plans[0].hooks[0].condition.port', /^must be at most 65535$/],
  ['disk space in words', withCondition({ type: 'diskSpace', path: '/', minFree: 'plenty' }), 'plans[0].hooks[0].condition.minFree', /^"plenty" is not a size/],
  [
    'time window at 25:00',
    withCondition({ type: 'timeWindow', from: '25:00', to: '06:00' }),
    'plans[0].hooks[0].condition.from',
    /^"25:00" is not a time of day/,
  ],
  [
    'time window on an unknown day',
    withCondition({ type: 'timeWindow', from: '22:00', to: '06:00', days: ['funday'] }),
    'plans[0].hooks[0].condition.days[0]',
    /^"funday" is not allowed; use one of "mon"/,
  ],
  ['idle in words', withCondition({ type: 'idle', minIdle: 'a while' }), 'plans[0].hooks[0].condition.minIdle', /^"a while" is not a duration/],
  [
    'monitor URL not a URL',
    config({ monitors: [{ type: 'healthchecks', url: 'not a url' }] }),
    'plans[0].monitors[0].url',
    /^must be an http:\/\/ or https:\/\/ URL/,
  ],
  [
    'unknown desktop notification',
    config({ notifications: { desktop: ['always'] } }),
    'plans[0].notifications.desktop[0]',
    /^"always" is not allowed; use one of "success"/,
  ],
  ['historyDays in words', config({}, {}, { settings: { historyDays: 'ninety' } }), 'settings.historyDays', /^must be a number, not "ninety"$/],
  ['hooksEnabled as text', config({}, {}, { settings: { hooksEnabled: 'yes' } }), 'settings.hooksEnabled', /^must be true or false, not "yes"$/],
];

function configFailure(what: string, path: string, message: RegExp, problems: Array<{ path: string; message: string }>): string | undefined {
  if (problems.length === 1 && problems[0]!.path === path && message.test(problems[0]!.message)) return undefined;
  return `${what}: ${JSON.stringify(problems)}`;
}

test(`${CONFIG_CASES.length} bad configs: validation names exactly the wrong place with a sentence (API config.validate, and the CLI for a sample)`, async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const served = await startServe(t, setup);
  const failures: Array<string | undefined> = [];
  for (const [what, raw, path, message] of CONFIG_CASES) {
    const response = await served.call('config.validate', { config: raw });
    if (response.status !== 200) failures.push(`${what}: status ${response.status}`);
    else failures.push(configFailure(what, path, message, response.body.problems));
  }
  // The CLI reports the same problems from a file: every sixth case, through `validate --json`.
  const sample = CONFIG_CASES.filter((_, index) => index % 6 === 0);
  failures.push(
    ...(await inPool(sample, 2, async ([what, raw, path, message]) => {
      const file = join(root, `${what.replace(/\W+/g, '-')}.json`);
      await writeFile(file, JSON.stringify(raw));
      const result = await lifeboatInProcess(['--config', file, 'validate', '--json']);
      if (result.code !== 2 || result.stderr !== '') return `CLI ${what}: exit ${result.code} ${result.stderr}`;
      return configFailure(`CLI ${what}`, path, message, JSON.parse(result.stdout).problems);
    })),
  );
  assert.deepEqual(failures.filter(Boolean), []);
});

test('a config that is not an object is refused with the shape it should have', async (t) => {
  const root = await tempDir(t);
  // `null` is left out: the product accepts it as an empty config (docs/reliability.md, Found).
  for (const text of ['[1, 2]', '"config"', '42']) {
    const file = join(root, 'config.json');
    await writeFile(file, text);
    const result = await lifeboatInProcess(['--config', file, 'validate', '--json']);
    assert.equal(result.code, 2, text);
    const messages = JSON.parse(result.stdout).problems.map((p: { message: string }) => p.message);
    assert.ok(messages.includes('the config must be an object such as {"version": 1, "repositories": [], "plans": []}'), `${text}: ${messages}`);
  }
});

/** [arguments, expected message]: each exits 2, prints nothing on stdout, the sentence on stderr. */
const CLI_CASES: Array<[string[], RegExp]> = [
  [
    ['frobnicate'],
    /^✘ "frobnicate" is not a lifeboat command\. Commands: validate, init, plans, run, snapshots, restore, history, daemon, serve, hooks, open, diff, versions, retention, verify, copy, import, completion, service, metrics\.$/,
  ],
  [['help'], /^✘ "help" is not a lifeboat command\./],
  [['diff'], /^✘ "diff" is missing an argument\. Usage: lifeboat diff <plan> \[<snapshot> \[<snapshot>\]\] \[--json\]$/],
  [['diff', 'docs', '$(id)'], /^✘ "\$\(id\)" is not a snapshot id; use "latest" or an id from "lifeboat snapshots <plan>" \(8 to 64 hex characters\)\.$/],
  [['versions', 'docs', 'a.txt', '--in-place'], /^✘ --in-place goes with --restore SNAPSHOT: lifeboat versions docs <path> --restore <snapshot> --in-place\.$/],
  [['retention', 'show', 'docs'], /^✘ "retention show" is not a command\. Usage: lifeboat retention preview <plan> \[--json\]$/],
  [['init'], /^✘ "init" is missing an argument\. Usage: lifeboat init <repository>$/],
  [['copy', 'docs'], /^✘ "copy" needs --to <repository>, the repository to copy the snapshots to\. Usage: lifeboat copy <plan> --to <repository> \[--json\]$/],
  [['copy', 'docs', '--to', 'nope'], /^✘ There is no repository "nope"\. Repositories: local\.$/],
  [['copy', 'docs', '--to', 'local'], /^✘ Repository "local" is plan "docs"'s own repository; copy to another one \(add a second repository first\)\.$/],
  [['init', 'nope'], /^✘ There is no repository "nope"\. Repositories: local\.$/],
  [['init', 'local', 'extra'], /^✘ "init" got an extra argument "extra"\. Usage: lifeboat init <repository>$/],
  [['snapshots'], /^✘ "snapshots" is missing an argument\. Usage: lifeboat snapshots <plan>/],
  [['snapshots', 'nope'], /^✘ There is no plan "nope"\. Plans: docs\.$/],
  [['restore', 'docs'], /^✘ "restore" is missing an argument\. Usage: lifeboat restore <plan> <snapshot\|latest> --target DIR/],
  [['restore', 'nope', 'latest', '--target', '/tmp/x'], /^✘ There is no plan "nope"\./],
  [['history', 'nope'], /^✘ There is no plan "nope"\. Plans: docs\.$/],
  [['history', '--limit', '0'], /^✘ --limit "0" is not a whole number of runs; use e\.g\. --limit 50\.$/],
  [['history', '--limit=-3'], /^✘ --limit "-3" is not a whole number of runs/],
  [['hooks'], /^✘ "hooks" is missing an argument\. Usage: lifeboat hooks test <plan> <hook>/],
  [['hooks', 'test', 'docs'], /^✘ "hooks" is missing an argument\./],
  [['hooks', 'frob', 'docs', 'h'], /^✘ "hooks frob" is not a command\. Usage: lifeboat hooks test/],
  [['hooks', 'test', 'docs', 'nope'], /^✘ Plan "docs" has no hook "nope"\. Its hooks: h\.$/],
  [['hooks', 'test', 'docs', 'h', '--event', 'backup.during'], /^✘ --event "backup\.during" is not an event; use one of run\.start/],
  [['validate', 'extra'], /^✘ "validate" got an extra argument "extra"\./],
  [['run', 'docs', '--trigger'], /^✘ --trigger needs a value after it, e\.g\. --trigger manual \(or schedule\)\.$/],
  [['run', 'docs', '--trigger', 'cron'], /^✘ --trigger "cron" is not allowed; use "manual" or "schedule"\.$/],
  [['verify'], /^✘ "verify" is missing an argument\. Usage: lifeboat verify <plan> \[--sample N\] \[--json\]$/],
  [['verify', 'docs', '--sample', '$(id)'], /^✘ --sample "\$\(id\)" is not a number of files; give a whole number from 1 to 1000, e\.g\. --sample 20\.$/],
];

test(`${CLI_CASES.length} CLI mistakes exit 2 with one sentence on stderr; with --json the same sentence is a JSON error object on stdout`, async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'], hooks: [{ id: 'h', on: ['run.start'], script: { command: 'true' } }] }]);
  const failures = await inPool(CLI_CASES, 4, async ([args, message]) => {
    const wrong: string[] = [];
    const human = await lifeboatInProcess(setup.args(...args), { env: setup.env });
    if (human.code !== 2) wrong.push(`exit ${human.code}`);
    if (human.stdout !== '') wrong.push(`stdout ${human.stdout}`);
    if (!message.test(human.stderr.trimEnd())) wrong.push(`stderr ${human.stderr}`);
    // The JSON form: the flag goes before the command words so it is never taken as an option's value.
    const json = await lifeboatInProcess(['--json', ...setup.args(...args)], { env: setup.env });
    let parsed: { error?: { message?: string; exitCode?: number } } = {};
    try {
      parsed = JSON.parse(json.stdout);
    } catch {
      wrong.push(`--json stdout is not JSON: ${json.stdout}`);
    }
    if (json.code !== 2) wrong.push(`--json exit ${json.code}`);
    if (parsed.error?.exitCode !== 2) wrong.push(`--json exitCode ${parsed.error?.exitCode}`);
    const plain = message.source.replace(/^\^✘ /, '^');
    if (!new RegExp(plain).test(parsed.error?.message ?? '')) wrong.push(`--json message ${parsed.error?.message}`);
    return wrong.length ? `${args.join(' ')}: ${wrong.join('; ')}` : undefined;
  });
  assert.deepEqual(failures.filter(Boolean), []);
});

test('serve and daemon (which take no --json) refuse bad arguments with exit 2 and a sentence', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const cases: Array<[string[], RegExp]> = [
    [['serve', '--port', 'abc'], /^✘ --port "abc" is not a port number \(0–65535; 0 picks a free one\)\.$/],
    [['serve', '--port', '99999'], /^✘ --port "99999" is not a port number/],
    [['serve', '--host'], /^✘ --host needs a value after it, e\.g\. --host 127\.0\.0\.1\.$/],
    [['daemon', 'extra'], /^✘ "daemon" got an extra argument "extra"\. Usage: lifeboat daemon \[--textfile DIR\]$/],
  ];
  const failures = await inPool(cases, 2, async ([args, message]) => {
    const result = await lifeboat(setup.args(...args), { env: setup.env });
    return result.code === 2 && result.stdout === '' && message.test(result.stderr.trimEnd())
      ? undefined
      : `${args.join(' ')}: ${result.code} ${result.stderr}`;
  });
  assert.deepEqual(failures.filter(Boolean), []);
});

test('a config that does not parse is a JSON error object naming file and line under --json, exit 2', async (t) => {
  const root = await tempDir(t);
  const file = join(root, 'config.json');
  await writeFile(file, '{"version": 1,\n "repositories": [],\n "plans": [],\n}\n');
  const result = await lifeboat(['--config', file, 'run', 'docs', '--json']);
  assert.equal(result.code, 2);
  const { error } = JSON.parse(result.stdout);
  assert.equal(error.exitCode, 2);
  assert.match(error.message, new RegExp(`^The config file cannot be read \\(${file}, line 4, column 1\\): a key in double quotes was expected`));
});

test('API: bad tokens, origins, hosts, bodies and payload types are each refused with their status and error code', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  const served = await startServe(t, setup);
  const host = new URL(served.base).host;
  const ok = { 'Content-Type': 'application/json', Host: host, Authorization: `Bearer ${served.token}` };
  const configBefore = await readFile(setup.configFile);

  // [what, path, headers, body, status, error code]
  const cases: Array<[string, string, Record<string, string>, string | Buffer, number, string]> = [
    ['no token', '/api/call/app.status', { 'Content-Type': 'application/json', Host: host }, '{}', 401, 'no-token'],
    ['wrong token', '/api/call/app.status', { ...ok, Authorization: 'Bearer wrong' }, '{}', 401, 'no-token'],
    ['token one character short', '/api/call/app.status', { ...ok, Authorization: `Bearer ${served.token.slice(0, -1)}` }, '{}', 401, 'no-token'],
    ['token without "Bearer"', '/api/call/app.status', { ...ok, Authorization: served.token }, '{}', 401, 'no-token'],
    ['token in the query string only', `/api/call/app.status?token=${served.token}`, { 'Content-Type': 'application/json', Host: host }, '{}', 401, 'no-token'],
    ['foreign Origin', '/api/call/app.status', { ...ok, Origin: 'http://evil.example' }, '{}', 403, 'cross-origin'],
    ['Origin null (sandboxed frame)', '/api/call/app.status', { ...ok, Origin: 'null' }, '{}', 403, 'cross-origin'],
    ['Origin on another port', '/api/call/app.status', { ...ok, Origin: 'http://127.0.0.1:1' }, '{}', 403, 'cross-origin'],
    ['foreign Host (DNS rebinding)', '/api/call/app.status', { ...ok, Host: 'evil.example' }, '{}', 403, 'wrong-host'],
    ['form post content type', '/api/call/app.status', { ...ok, 'Content-Type': 'application/x-www-form-urlencoded' }, 'a=b', 415, 'json-only'],
    ['text/plain content type', '/api/call/app.status', { ...ok, 'Content-Type': 'text/plain' }, '{}', 415, 'json-only'],
    ['truncated JSON', '/api/call/app.status', ok, '{"oops"', 400, 'malformed-json'],
    ['JSON with a trailing comma', '/api/call/history.list', ok, '{"limit": 5,}', 400, 'malformed-json'],
    ['not JSON at all', '/api/call/history.list', ok, 'limit=5', 400, 'malformed-json'],
    ['body over 1 MiB', '/api/call/config.validate', ok, Buffer.alloc(1024 * 1024 + 1, 0x20), 413, 'too-large'],
    ['unknown call', '/api/call/nothing.here', ok, '{}', 404, 'unknown-call'],
    ['GET on a call', '/api/call/app.status', ok, '', 404, 'not-found'],
    ['input is a list', '/api/call/history.list', ok, '[]', 400, 'invalid-input'],
    ['input is a string', '/api/call/history.list', ok, '"x"', 400, 'invalid-input'],
    ['plan id is a number', '/api/call/plans.run', ok, '{"plan": 5}', 400, 'invalid-input'],
    ['plan id with a slash', '/api/call/plans.run', ok, '{"plan": "../etc"}', 400, 'invalid-input'],
    ['history limit as text', '/api/call/history.list', ok, '{"limit": "ten"}', 400, 'invalid-input'],
    ['history limit 0', '/api/call/history.list', ok, '{"limit": 0}', 400, 'invalid-input'],
    ['history limit 1001', '/api/call/history.list', ok, '{"limit": 1001}', 400, 'invalid-input'],
    ['unknown pause choice', '/api/call/schedule.pause', ok, '{"choice": "2h"}', 400, 'invalid-input'],
    ['restore without target', '/api/call/snapshots.restore', ok, '{"plan": "docs", "snapshot": "latest"}', 400, 'invalid-input'],
    ['config.save with a list', '/api/call/config.save', ok, '{"config": []}', 400, 'invalid-input'],
    ['config.save with an invalid config', '/api/call/config.save', ok, '{"config": {"version": 1, "plans": [{"id": "X"}]}}', 422, 'invalid-config'],
    [
      'repository password too short',
      '/api/call/repositories.create',
      ok,
      '{"id": "r", "name": "R", "url": "/tmp/r", "password": "short", "initialise": false}',
      400,
      'invalid-input',
    ],
    ['extra key', '/api/call/app.status', ok, '{"admin": true}', 400, 'invalid-input'],
    ['run an unknown plan', '/api/call/plans.run', ok, '{"plan": "nope"}', 404, 'refused'],
    ['list snapshots of an unknown plan', '/api/call/snapshots.list', ok, '{"plan": "nope"}', 404, 'refused'],
    [
      'test a hook on an event it is not bound to',
      '/api/call/hooks.test',
      ok,
      '{"plan": "docs", "hook": {"id": "h", "on": ["backup.before"], "script": {"command": "true"}}, "event": "run.start", "testId": "t1"}',
      422,
      'refused',
    ],
    [
      'test a hook of an unknown plan',
      '/api/call/hooks.test',
      ok,
      '{"plan": "nope", "hook": {"id": "h", "on": ["backup.before"], "script": {"command": "true"}}, "testId": "t2"}',
      404,
      'refused',
    ],
  ];
  const failures: string[] = [];
  for (const [what, path, headers, body, status, code] of cases) {
    const method = what === 'GET on a call' ? 'GET' : 'POST';
    const response = await rawRequest(served.base, path, { method, headers, body });
    let parsed: { error?: { code?: string; message?: string } } = {};
    try {
      parsed = JSON.parse(response.body);
    } catch {
      failures.push(`${what}: body is not JSON: ${response.body.slice(0, 200)}`);
      continue;
    }
    if (response.status !== status || parsed.error?.code !== code || !parsed.error?.message)
      failures.push(`${what}: ${response.status} ${JSON.stringify(parsed).slice(0, 300)}`);
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(await readFile(setup.configFile), configBefore, 'no refused request changed the config');
  assert.equal(served.child.exitCode, null, 'the server is still running');
  assert.equal((await served.call('app.status')).status, 200, 'and still answers');
});
