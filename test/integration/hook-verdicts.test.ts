import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const failing = (id: string, onError: string, exit = 1) => ({ id, on: ['backup.before'], onError, script: { command: `echo down >&2; exit ${exit}` } });

const HOOKS = [failing('fail', 'fail'), failing('skip', 'skip'), failing('ignore', 'ignore'), failing('defer', 'defer'), failing('skip-75', 'skip', 75)];

/** The verdict kind and the exit code of `lifeboat hooks test` for each hook above. */
const EXPECTED: Record<string, [string, number]> = {
  fail: ['fail', 1],
  skip: ['skip', 75],
  ignore: ['warning', 1],
  defer: ['defer', 75],
  'skip-75': ['skip', 75],
};

test('lifeboat hooks test and the API hooks.test give the same verdict for onError fail, skip, ignore and defer', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root], hooks: HOOKS }]);
  const served = await startServe(t, setup);
  // Side by side: a hook test saves nothing, so the calls need not wait for each other.
  const answers = await Promise.all(
    HOOKS.map(async (hook) => {
      const [cli, api] = await Promise.all([
        lifeboat(setup.args('hooks', 'test', 'docs', hook.id, '--json'), { env: setup.env }),
        served.call('hooks.test', { plan: 'docs', hook, testId: `t-${hook.id}` }),
      ]);
      return { hook, cli, api };
    }),
  );
  for (const { hook, cli, api } of answers) {
    const printed = JSON.parse(cli.stdout);
    assert.equal(api.status, 200, JSON.stringify(api.body));
    assert.deepEqual(api.body.verdict, { kind: printed.verdictKind, text: printed.verdict }, hook.id);
    assert.deepEqual([api.body.verdict.kind, cli.code], EXPECTED[hook.id], hook.id);
  }
  assert.equal(
    answers.find((answer) => answer.hook.id === 'skip')!.api.body.verdict.text,
    'would skip the run (onError "skip"): Hook "skip" failed (exit 1): down',
  );
});
