import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatProblem, validateConfig } from '../../main/core/config/validate.ts';

// biome-ignore lint/suspicious/noExplicitAny: the table mutates arbitrary parts of a JSON document
type Json = Record<string, any>;

function base(): Json {
  return {
    version: 1,
    repositories: [{ id: 'nas', name: 'NAS', url: '/mnt/nas/restic', passwordEnv: 'LIFEBOAT_NAS_PASSWORD', env: {} }],
    plans: [
      {
        id: 'documents',
        name: 'Documents',
        repository: 'nas',
        sources: ['~/Documents'],
        excludes: ['*.tmp', 'node_modules'],
        schedule: { cron: '0 * * * *', timezone: 'local' },
        catchUp: true,
        retention: { keepLast: 5, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 },
        check: { every: '7d', readDataSubset: '2%' },
        hooks: [
          { id: 'battery', on: ['run.start'], condition: { type: 'battery', minPercent: 30 } },
          { id: 'dump', on: ['backup.before'], timeout: '10m', script: { inline: '#!/bin/sh\npg_dump app > "$LIFEBOAT_WORKING_DIR/app.sql"' } },
          { id: 'ping', on: ['run.end'], states: ['failure'], onError: 'ignore', script: { command: 'curl -fsS https://hc-ping.com/UUID/fail' } },
        ],
        notifications: { desktop: ['failure', 'warning', 'recovery'] },
        monitors: [{ type: 'healthchecks', url: 'https://hc-ping.com/UUID' }],
      },
    ],
    settings: { hooksEnabled: true, resticPath: null, historyDays: 90 },
  };
}

test('the example config of the spec is valid, with defaults filled in and ~ expanded', () => {
  const result = validateConfig(base(), { home: '/home/me' });
  assert.ok(result.ok, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
  const plan = result.config.plans[0]!;
  assert.deepEqual(plan.sources, ['/home/me/Documents']);
  const [battery, dump, ping] = plan.hooks;
  assert.equal(battery?.onError, 'skip');
  assert.equal(battery?.appliesTo, 'scheduled');
  assert.equal(dump?.onError, 'fail');
  assert.equal(dump?.appliesTo, 'all');
  assert.deepEqual(dump?.timeout, { ms: 600_000, text: '10m' });
  assert.deepEqual(ping?.timeout, { ms: 300_000, text: '5m' });
  assert.deepEqual(ping?.states, ['failure']);
  assert.deepEqual(battery?.states, ['success', 'warning', 'failure', 'skipped', 'cancelled']);
  assert.equal(result.config.settings.historyDays, 90);
});

type Mutation = [name: string, mutate: (c: Json) => void, path: string, fragment: string];

const INVALID: Mutation[] = [
  ['version missing', (c) => delete c.version, 'version', 'is missing'],
  ['version from the future', (c) => (c.version = 7), 'version', 'must be 1'],
  ['unknown top-level key', (c) => (c.extra = true), 'extra', 'is not a setting Lifeboat knows'],
  ['repositories not a list', (c) => (c.repositories = {}), 'repositories', 'must be a list'],
  ['repository id with capitals', (c) => (c.repositories[0].id = 'NAS'), 'repositories[0].id', 'is not a valid id'],
  ['repository url empty', (c) => (c.repositories[0].url = ''), 'repositories[0].url', 'is empty'],
  ['repository url relative', (c) => (c.repositories[0].url = 'backups/restic'), 'repositories[0].url', 'is a relative path'],
  ['no password source', (c) => delete c.repositories[0].passwordEnv, 'repositories[0]', 'needs a password source'],
  ['two password sources', (c) => (c.repositories[0].passwordFile = '/etc/pw'), 'repositories[0]', 'keep exactly one password source'],
  ['keychain set to false', (c) => (c.repositories[0].passwordKeychain = false), 'repositories[0].passwordKeychain', 'can only be true'],
  ['password env not a variable name', (c) => (c.repositories[0].passwordEnv = 'MY-PW'), 'repositories[0].passwordEnv', 'is not an environment variable name'],
  ['repository env value not text', (c) => (c.repositories[0].env = { AWS_KEY: 5 }), 'repositories[0].env.AWS_KEY', 'must be text'],
  ['duplicate repository ids', (c) => c.repositories.push({ ...c.repositories[0] }), 'repositories[1].id', 'is already used by repositories[0]'],
  ['plan with unknown repository', (c) => (c.plans[0].repository = 'cloud'), 'plans[0].repository', 'no repository has the id "cloud"'],
  ['plan without sources', (c) => (c.plans[0].sources = []), 'plans[0].sources', 'needs at least one folder'],
  ['relative source', (c) => (c.plans[0].sources = ['Documents']), 'plans[0].sources[0]', 'is a relative path'],
  ['sources not a list', (c) => (c.plans[0].sources = '~/Documents'), 'plans[0].sources', 'must be a list'],
  ['duplicate plan ids', (c) => c.plans.push({ ...c.plans[0] }), 'plans[1].id', 'ids must be unique'],
  ['cron with too few fields', (c) => (c.plans[0].schedule = { cron: '0 *' }), 'plans[0].schedule.cron', 'has 2 fields'],
  [
    'cron shorthand',
    (c) => (c.plans[0].schedule = { cron: '@daily' }),
    'plans[0].schedule.cron',
    'is a shorthand Lifeboat does not read; write the five fields, e.g. "0 0 * * *"',
  ],
  ['cron of one word', (c) => (c.plans[0].schedule = { cron: 'hourly' }), 'plans[0].schedule.cron', '"hourly" has 1 field;'],
  ['cron with a bad field', (c) => (c.plans[0].schedule = { cron: '61 * * * *' }), 'plans[0].schedule.cron', 'is not a valid cron expression'],
  ['unknown time zone', (c) => (c.plans[0].schedule.timezone = 'Mars/Olympus'), 'plans[0].schedule.timezone', 'is not a time zone'],
  ['schedule of an unknown shape', (c) => (c.plans[0].schedule = { at: '10:00' }), 'plans[0].schedule', 'must be {"cron"'],
  ['every with a bad duration', (c) => (c.plans[0].schedule = { every: '6 hours' }), 'plans[0].schedule.every', '"6 hours" is not a duration (try "6h")'],
  ['catchUp not a boolean', (c) => (c.plans[0].catchUp = 'yes'), 'plans[0].catchUp', 'must be true or false'],
  ['retention keepLast zero', (c) => (c.plans[0].retention.keepLast = 0), 'plans[0].retention.keepLast', 'must be at least 1'],
  ['retention keepDaily not whole', (c) => (c.plans[0].retention.keepDaily = 2.5), 'plans[0].retention.keepDaily', 'must be a whole number, not 2.5'],
  ['retention keepLast beyond any sane count', (c) => (c.plans[0].retention.keepLast = 1e20), 'plans[0].retention.keepLast', 'must be at most 100000'],
  ['retention keepHourly just past the bound', (c) => (c.plans[0].retention.keepHourly = 100_001), 'plans[0].retention.keepHourly', 'must be at most 100000'],
  ['retention unknown key', (c) => (c.plans[0].retention.keepForever = 1), 'plans[0].retention.keepForever', 'is not a setting'],
  ['check every in words', (c) => (c.plans[0].check.every = '1 week'), 'plans[0].check.every', 'is not a duration'],
  ['check subset nonsense', (c) => (c.plans[0].check.readDataSubset = 'some'), 'plans[0].check.readDataSubset', 'is not a subset restic understands'],
  ['check subset above 100%', (c) => (c.plans[0].check.readDataSubset = '200%'), 'plans[0].check.readDataSubset', 'a percentage above 0% and at most 100%'],
  ['check subset of 0%', (c) => (c.plans[0].check.readDataSubset = '0%'), 'plans[0].check.readDataSubset', 'is outside what restic reads'],
  ['check subset 3/2', (c) => (c.plans[0].check.readDataSubset = '3/2'), 'plans[0].check.readDataSubset', 'n/t with n from 1 to t'],
  ['check subset 0/5', (c) => (c.plans[0].check.readDataSubset = '0/5'), 'plans[0].check.readDataSubset', 'is outside what restic reads'],
  ['check subset of no size', (c) => (c.plans[0].check.readDataSubset = '0G'), 'plans[0].check.readDataSubset', 'a size above 0'],
  ['hook timeout in words', (c) => (c.plans[0].hooks[1].timeout = '10 minutes'), 'plans[0].hooks[1].timeout', '"10 minutes" is not a duration (try "10m")'],
  ['hook with an unknown event', (c) => (c.plans[0].hooks[1].on = ['backup.during']), 'plans[0].hooks[1].on[0]', '"backup.during" is not allowed'],
  ['hook without events', (c) => (c.plans[0].hooks[1].on = []), 'plans[0].hooks[1].on', 'needs at least one event'],
  ['hook with both script and condition', (c) => (c.plans[0].hooks[0].script = { command: 'true' }), 'plans[0].hooks[0]', 'has both "script" and "condition"'],
  ['hook with neither script nor condition', (c) => delete c.plans[0].hooks[1].script, 'plans[0].hooks[1]', 'needs either "script" or "condition"'],
  ['script with two kinds', (c) => (c.plans[0].hooks[1].script.command = 'true'), 'plans[0].hooks[1].script', 'keep exactly one of them'],
  ['args without path', (c) => (c.plans[0].hooks[1].script.args = ['x']), 'plans[0].hooks[1].script.args', '"args" only goes with "path"'],
  [
    'inline script too long',
    (c) => (c.plans[0].hooks[1].script.inline = 'x'.repeat(32_001)),
    'plans[0].hooks[1].script.inline',
    'longer than 32,000 characters',
  ],
  ['unknown onError', (c) => (c.plans[0].hooks[1].onError = 'retry'), 'plans[0].hooks[1].onError', '"retry" is not allowed'],
  ['unknown mode', (c) => (c.plans[0].hooks[1].mode = 'background'), 'plans[0].hooks[1].mode', 'is not allowed'],
  ['states on a before hook', (c) => (c.plans[0].hooks[1].states = ['failure']), 'plans[0].hooks[1].states', 'only applies to *.after and run.end'],
  ['unknown state', (c) => (c.plans[0].hooks[2].states = ['broken']), 'plans[0].hooks[2].states[0]', '"broken" is not allowed'],
  [
    'unknown variable in inline text',
    (c) => (c.plans[0].hooks[1].script.inline = 'echo {{LIFEBOAT_PASSWORD}}'),
    'plans[0].hooks[1].script.inline',
    '{{LIFEBOAT_PASSWORD}} is not a variable',
  ],
  [
    'unknown variable in a command',
    (c) => (c.plans[0].hooks[2].script.command = 'notify {{PLAN}}'),
    'plans[0].hooks[2].script.command',
    '{{PLAN}} is not a variable',
  ],
  ['unknown condition type', (c) => (c.plans[0].hooks[0].condition = { type: 'moonPhase' }), 'plans[0].hooks[0].condition.type', 'is not a condition type'],
  [
    'condition type named like an object member',
    (c) => (c.plans[0].hooks[0].condition = { type: 'constructor' }),
    'plans[0].hooks[0].condition.type',
    '"constructor" is not a condition type',
  ],
  ['condition type __proto__', (c) => (c.plans[0].hooks[0].condition = { type: '__proto__' }), 'plans[0].hooks[0].condition.type', 'is not a condition type'],
  [
    'inheritEnv name with $()',
    (c) => (c.plans[0].hooks[1].inheritEnv = ['HOME', '$(rm -rf ~)']),
    'plans[0].hooks[1].inheritEnv[1]',
    '"$(rm -rf ~)" is not an environment variable name',
  ],
  ['inheritEnv name of 5000 characters', (c) => (c.plans[0].hooks[1].inheritEnv = ['A'.repeat(5000)]), 'plans[0].hooks[1].inheritEnv[0]', 'is longer than'],
  ['battery percent above 100', (c) => (c.plans[0].hooks[0].condition.minPercent = 130), 'plans[0].hooks[0].condition.minPercent', 'must be at most 100'],
  ['battery without minPercent', (c) => delete c.plans[0].hooks[0].condition.minPercent, 'plans[0].hooks[0].condition.minPercent', 'is missing'],
  [
    'time window with a bad time',
    (c) => (c.plans[0].hooks[0].condition = { type: 'timeWindow', from: '25:00', to: '06:00' }),
    'plans[0].hooks[0].condition.from',
    'is not a time of day',
  ],
  [
    'disk space with a bad size',
    (c) => (c.plans[0].hooks[0].condition = { type: 'diskSpace', path: '/', minFree: 'plenty' }),
    'plans[0].hooks[0].condition.minFree',
    'is not a size',
  ],
  ['duplicate hook ids', (c) => (c.plans[0].hooks[1].id = 'battery'), 'plans[0].hooks[1].id', 'ids must be unique'],
  ['unknown notification status', (c) => (c.plans[0].notifications.desktop = ['always']), 'plans[0].notifications.desktop[0]', 'is not allowed'],
  ['monitor url not a URL', (c) => (c.plans[0].monitors[0].url = 'hc-ping'), 'plans[0].monitors[0].url', 'must be an http:// or https:// URL'],
  [
    'monitor url with a script scheme',
    (c) => (c.plans[0].monitors[0].url = 'javascript:alert(1)'),
    'plans[0].monitors[0].url',
    'must be an http:// or https:// URL',
  ],
  ['monitor url with a line break', (c) => (c.plans[0].monitors[0].url = 'https://hc-ping.com/a\nb'), 'plans[0].monitors[0].url', 'write the URL on one line'],
  ['monitor url with a tab', (c) => (c.plans[0].monitors[0].url = 'https://hc-ping.com/a\tb'), 'plans[0].monitors[0].url', 'write the URL on one line'],
  ['monitor url with a space', (c) => (c.plans[0].monitors[0].url = 'https://hc-ping.com/a b'), 'plans[0].monitors[0].url', 'contains a space'],
  ['monitor url that is a command', (c) => (c.plans[0].monitors[0].url = '$(rm -rf ~)'), 'plans[0].monitors[0].url', 'must be an http:// or https:// URL'],
  ['monitor url that is empty', (c) => (c.plans[0].monitors[0].url = ''), 'plans[0].monitors[0].url', 'is empty; paste the URL'],
  [
    'webhook header name with a line break (a header of its own)',
    (c) => (c.plans[0].monitors[0] = { type: 'webhook', url: 'https://hook.test/x', headers: { 'X-A\r\nX-Injected': 'v' } }),
    'plans[0].monitors[0].headers.X-A\\r\\nX-Injected',
    'is not a header name',
  ],
  [
    'webhook header name with a colon',
    (c) => (c.plans[0].monitors[0] = { type: 'webhook', url: 'https://hook.test/x', headers: { 'X-Token:': 'v' } }),
    'plans[0].monitors[0].headers.X-Token:',
    'is not a header name',
  ],
  [
    'webhook header the HTTP client sets itself',
    (c) => (c.plans[0].monitors[0] = { type: 'webhook', url: 'https://hook.test/x', headers: { 'transfer-encoding': 'chunked' } }),
    'plans[0].monitors[0].headers.transfer-encoding',
    'is a header the HTTP client writes or refuses itself',
  ],
  [
    'webhook header value with a line break',
    (c) => (c.plans[0].monitors[0] = { type: 'webhook', url: 'https://hook.test/x', headers: { 'X-Token': 'a\r\nX-Injected: 1' } }),
    'plans[0].monitors[0].headers.X-Token',
    'write the value on one line',
  ],
  [
    'ntfy token with a line break',
    (c) => (c.plans[0].monitors[0] = { type: 'ntfy', url: 'https://ntfy.test/topic', token: 'tk_a\nb' }),
    'plans[0].monitors[0].token',
    'write the value on one line',
  ],
  ['inline script that is empty', (c) => (c.plans[0].hooks[1].script.inline = ''), 'plans[0].hooks[1].script.inline', 'write the script, or remove the hook'],
  [
    'inline script of only spaces and line breaks',
    (c) => (c.plans[0].hooks[1].script.inline = ' \n\t\n'),
    'plans[0].hooks[1].script.inline',
    'write the script, or remove the hook',
  ],
  ['command of only spaces', (c) => (c.plans[0].hooks[2].script.command = '   '), 'plans[0].hooks[2].script.command', 'write the command, or remove the hook'],
  [
    'script path that is relative',
    (c) => (c.plans[0].hooks[1].script = { path: 'bin/dump.sh' }),
    'plans[0].hooks[1].script.path',
    '"bin/dump.sh" is a relative path; write it from the root ("/home/me/bin/dump.sh") or the home folder ("~/bin/dump.sh")',
  ],
  ['script path of a bare name', (c) => (c.plans[0].hooks[1].script = { path: 'dump.sh' }), 'plans[0].hooks[1].script.path', 'is a relative path'],
  [
    'hook cwd that is relative',
    (c) => (c.plans[0].hooks[1].cwd = './work'),
    'plans[0].hooks[1].cwd',
    '"./work" is a relative path; write it from the root ("/home/me/work") or the home folder ("~/work")',
  ],
  [
    'hook on the same event twice',
    (c) => (c.plans[0].hooks[1].on = ['backup.before', 'backup.after', 'backup.before']),
    'plans[0].hooks[1].on[2]',
    '"backup.before" is listed twice (see on[0]); list each event once',
  ],
  [
    'source with a line break at its end (a paste)',
    (c) => (c.plans[0].sources = ['~/Documents\n']),
    'plans[0].sources[0]',
    '"~/Documents\\n" starts or ends with a line break or a tab',
  ],
  ['source with a tab at its start', (c) => (c.plans[0].sources = ['\t/srv/data']), 'plans[0].sources[0]', 'starts or ends with a line break or a tab'],
  [
    'source of two paths on two lines',
    (c) => (c.plans[0].sources = ['~/Documents', '/srv/data\n/srv/www']),
    'plans[0].sources[1]',
    'holds several paths on separate lines; give each its own entry in "sources"',
  ],
  [
    'source with a carriage return (a Windows line end)',
    (c) => (c.plans[0].sources = ['/srv/data\r']),
    'plans[0].sources[0]',
    '"/srv/data\\r" contains a control character ("\\r")',
  ],
  ['source with a NUL', (c) => (c.plans[0].sources = ['/srv/da\u0000ta']), 'plans[0].sources[0]', 'contains a control character ("\\u0000")'],
  ['exclude with a line break at its end', (c) => (c.plans[0].excludes = ['*.tmp\n']), 'plans[0].excludes[0]', 'starts or ends with a line break or a tab'],
  [
    'exclude of two patterns on two lines',
    (c) => (c.plans[0].excludes = ['*.tmp\n/srv/cache']),
    'plans[0].excludes[0]',
    'give each its own entry in "excludes"',
  ],
  ['exclude with an escape character', (c) => (c.plans[0].excludes = ['\u001b[31mcache']), 'plans[0].excludes[0]', 'contains a control character'],
  ['historyDays negative', (c) => (c.settings.historyDays = -1), 'settings.historyDays', 'must be at least 1'],
  ['hooksEnabled as text', (c) => (c.settings.hooksEnabled = 'true'), 'settings.hooksEnabled', 'must be true or false'],
];

for (const [name, mutate, path, fragment] of INVALID) {
  test(`invalid config: ${name} → ${path}`, () => {
    const config = base();
    mutate(config);
    const result = validateConfig(config, { home: '/home/me' });
    assert.equal(result.ok, false, 'the config should have been refused');
    if (result.ok) return;
    const problem = result.problems.find((p) => p.path === path);
    assert.ok(problem, `no problem at ${path}; got:\n${result.problems.map(formatProblem).join('\n')}`);
    assert.ok(problem.message.includes(fragment), `at ${path}: ${JSON.stringify(problem.message)} lacks ${JSON.stringify(fragment)}`);
  });
}

test('a webhook with ordinary header names and values, and an ntfy token, is valid', () => {
  const config = base();
  config.plans[0].monitors = [
    { type: 'webhook', url: 'https://hook.test/x', headers: { Authorization: 'Bearer abc.def', 'X-Api_Key~1': 'v a l u e', 'X-Name': 'café\t— 📷' } },
    { type: 'ntfy', url: 'https://ntfy.test/topic', token: 'tk_abc' },
  ];
  // Any character but a line break or another control character: it is sent as its UTF-8 bytes.
  const result = validateConfig(config, { home: '/home/me' });
  assert.ok(result.ok, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
});

test('a bad header name is quoted back cut short, and a header value never (it may be a secret)', () => {
  const config = base();
  config.plans[0].monitors = [{ type: 'webhook', url: 'https://hook.test/x', headers: { [`Bad Name ${'x'.repeat(5000)}`]: 'v', 'X-Ok': 'secret\nvalue' } }];
  const result = validateConfig(config, { home: '/home/me' });
  assert.equal(result.ok, false);
  if (result.ok) return;
  const text = result.problems.map(formatProblem).join('\n');
  assert.ok(text.length < 1000, `the problems run to ${text.length} characters`);
  assert.ok(!text.includes('secret'), text);
});

test('a bad inheritEnv name is quoted back cut short: a pasted page of text is not sent back whole', () => {
  const config = base();
  config.plans[0].hooks[1].inheritEnv = [`BAD-${'x'.repeat(5000)}`];
  const result = validateConfig(config);
  assert.equal(result.ok, false);
  const messages = result.ok ? [] : result.problems.filter((p) => p.path === 'plans[0].hooks[1].inheritEnv[0]').map((p) => p.message);
  assert.ok(
    messages.some((m) => m.startsWith(`"BAD-${'x'.repeat(36)}"… is not an environment variable name`)),
    messages.join('\n'),
  );
  assert.ok(
    messages.every((m) => m.length < 300),
    'no sentence carries the whole name',
  );
});

test('the table covers at least 25 invalid configs', () => {
  assert.ok(INVALID.length >= 25);
});

test('every problem is reported at once, each with its own path', () => {
  const config = base();
  config.plans[0].hooks[1].timeout = '10 minutes';
  config.plans[0].repository = 'cloud';
  config.settings.historyDays = 0;
  config.repositories[0].url = '';
  const result = validateConfig(config);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(
    result.problems.map((p) => p.path).sort(),
    ['plans[0].hooks[1].timeout', 'plans[0].repository', 'repositories[0].url', 'settings.historyDays'].sort(),
  );
  assert.ok(result.problems.map(formatProblem).includes('plans[0].hooks[1].timeout: "10 minutes" is not a duration (try "10m")'));
});

test('a config that is not an object says what a config looks like', () => {
  const result = validateConfig([1, 2]);
  assert.equal(result.ok, false);
  if (!result.ok) assert.ok(result.problems.some((p) => p.message.includes('must be an object')));
});

test('an escaped \\{{ is a literal, not a variable reference', () => {
  const config = base();
  config.plans[0].hooks[1].script.inline = 'echo \\{{not a variable}} {{LIFEBOAT_PLAN_ID}}';
  assert.ok(validateConfig(config).ok);
});

test('a source or exclude keeps spaces, quotes, $(), backquotes and any script; a line break inside a real folder name is kept too', () => {
  const config = base();
  const odd = `/srv/it's "quoted" $(touch x) \`y\` naïve 日本語 📷`;
  // A folder named with a line break (a hostile import's folder): restic gets sources as arguments, never as lines.
  const newlineFolder = '/srv/line one\nline two/data';
  config.plans[0].sources = [odd, newlineFolder, '~/with  two spaces'];
  config.plans[0].excludes = [`${odd}/cache`, '/srv/line one\nline two/data/tmp', '*.tmp'];
  const result = validateConfig(config, { home: '/home/me' });
  assert.ok(result.ok, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
  assert.deepEqual(result.config.plans[0]!.sources, [odd, newlineFolder, '/home/me/with  two spaces']);
});

test("a hook script path and cwd from the root or the home folder are valid, ~ expanded; a null or empty cwd means the run's folder", () => {
  const config = base();
  config.plans[0].hooks[1].script = { path: '~/bin/dump.sh', args: ['a'] };
  config.plans[0].hooks[1].cwd = '~/work';
  config.plans[0].hooks[2].script = { path: '/usr/local/bin/ping' };
  config.plans[0].hooks[2].cwd = '/srv/app';
  config.plans[0].hooks.push(
    { id: 'plain', on: ['run.start'], cwd: null, script: { command: 'true' } },
    { id: 'empty', on: ['run.start'], cwd: '', script: { command: 'true' } },
  );
  const result = validateConfig(config, { home: '/home/me' });
  assert.ok(result.ok, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
  const [, dump, ping, plain, empty] = result.config.plans[0]!.hooks;
  assert.deepEqual([dump?.script, dump?.cwd], [{ path: '/home/me/bin/dump.sh', args: ['a'] }, '/home/me/work']);
  assert.deepEqual([ping?.script, ping?.cwd], [{ path: '/usr/local/bin/ping', args: [] }, '/srv/app']);
  assert.deepEqual([plain?.cwd, empty?.cwd], [null, null]);
});

test('an inline script whose only line is #! is still a script (the editor starts a new one so); only empty text is refused', () => {
  const config = base();
  config.plans[0].hooks[1].script.inline = '#!/bin/sh\n';
  assert.ok(validateConfig(config).ok);
});

test('a hook may list several different events; each repeated event is named once per repeat', () => {
  const config = base();
  config.plans[0].hooks[1].on = ['backup.before', 'backup.after', 'check.before', 'backup.after', 'backup.after'];
  const result = validateConfig(config);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(result.problems.map(formatProblem), [
    'plans[0].hooks[1].on[3]: "backup.after" is listed twice (see on[1]); list each event once',
    'plans[0].hooks[1].on[4]: "backup.after" is listed twice (see on[1]); list each event once',
  ]);
  config.plans[0].hooks[1].on = ['backup.before', 'backup.after', 'check.before'];
  assert.ok(validateConfig(config).ok);
});

test('an empty cron is told once, as empty, not also as an expression of one field', () => {
  const config = base();
  config.plans[0].schedule = { cron: '' };
  const result = validateConfig(config, { home: '/home/me' });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(
    result.problems.filter((problem) => problem.path === 'plans[0].schedule.cron').map((problem) => problem.message),
    ['must not be empty'],
  );
});
