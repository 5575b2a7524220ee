import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MASK, maskConfig, problemsOfMasked } from '../../main/core/config/secrets-mask.ts';
import { validateConfig } from '../../main/core/config/validate.ts';

const HC = 'https://hc-ping.com/stored-secret-uuid';
const stored = () => ({
  version: 1,
  repositories: [{ id: 'local', url: '/srv/restic', passwordEnv: 'PW', env: { AWS_SECRET_ACCESS_KEY: 'stored-aws-secret' } }],
  plans: [
    {
      id: 'docs',
      repository: 'local',
      sources: ['/tmp'],
      monitors: [
        { id: 'hc', type: 'healthchecks', url: HC },
        { type: 'ntfy', url: 'https://ntfy.example/stored-topic', token: 'stored-token' },
      ],
    },
  ],
});
const validate = (config: unknown) => {
  const result = validateConfig(config);
  return result.ok ? [] : result.problems;
};

test('a config with masked monitor secrets is checked as it would be saved: a kept secret is no problem', () => {
  const masked = maskConfig(stored());
  assert.deepEqual(
    validate(masked)
      .map((problem) => problem.path)
      .sort(),
    ['plans[0].monitors[0].url', 'plans[0].monitors[1].url'],
    'the mask alone is not a URL',
  );
  assert.deepEqual(problemsOfMasked(masked, stored(), validate), []);
});

test('a mask whose monitor id matches nothing stored is the problem, at its own path', () => {
  const masked = maskConfig(stored());
  // biome-ignore lint/suspicious/noExplicitAny: the test edits the JSON as the UI would
  (masked.plans as any)[0].monitors[0].id = 'monitor-new';
  const problems = problemsOfMasked(masked, stored(), validate);
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['plans[0].monitors[0].url'],
  );
  assert.match(problems[0]!.message, /type the URL again/);
});

test('a problem sentence never quotes a stored secret back', () => {
  const config = stored();
  // A stored ntfy token longer than the limit: the sentence may not repeat it, nor may one about the kept URL.
  const long = `stored-token-${'x'.repeat(40_000)}`;
  config.plans[0]!.monitors[1]!.token = long;
  const masked = maskConfig(config);
  const problems = problemsOfMasked(masked, config, (unmasked) => [
    ...validate(unmasked),
    { path: 'plans[0].monitors[0].url', message: `${JSON.stringify(HC)} is only an example` },
  ]);
  assert.ok(problems.length >= 2);
  for (const problem of problems) {
    assert.equal(problem.message.includes(HC), false, problem.message);
    assert.equal(problem.message.includes(long.slice(0, 30)), false, problem.message);
  }
  assert.equal(MASK.length > 0, true);
});

test('a typed URL that is not http(s) is still reported while the other monitors keep their masks', () => {
  const masked = maskConfig(stored());
  // biome-ignore lint/suspicious/noExplicitAny: the test edits the JSON as the UI would
  (masked.plans as any)[0].monitors.push({ id: 'monitor-0a1b2c3d', type: 'webhook', url: 'javascript:alert(1)' });
  assert.deepEqual(problemsOfMasked(masked, stored(), validate), [
    { path: 'plans[0].monitors[2].url', message: 'must be an http:// or https:// URL, e.g. "https://hc-ping.com/your-uuid"' },
  ]);
});
