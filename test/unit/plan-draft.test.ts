import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  draftFromPlan,
  fingerprint,
  localProblems,
  moveInGroup,
  type PlanJson,
  parseEnv,
  planFromDraft,
  problemsForDraft,
} from '../../renderer/src/views/plan-draft.ts';

const plan: PlanJson = {
  id: 'docs',
  repository: 'usb',
  sources: ['/a', '/b c'],
  hooks: [
    { id: 'one', on: ['backup.before'], script: { command: 'true' }, env: { A: '1' } },
    { id: 'end', on: ['run.end'], script: { command: 'true' } },
    { id: 'two', on: ['backup.before'], script: { command: 'true' }, env: { B: 'x=y' } },
    { id: 'cond', on: ['run.start'], condition: { type: 'acPower' } },
  ],
};

test('a draft made from a plan gives back exactly that plan', () => {
  assert.deepEqual(planFromDraft(draftFromPlan(plan)), plan);
});

test('env lines: value kept exactly, blank lines skipped, a line without = is a problem naming the fix', () => {
  assert.deepEqual(parseEnv('A= spaced \n\nB=x=y\r\n'), { env: { A: ' spaced ', B: 'x=y' }, problems: [] });
  const { problems } = parseEnv('A=1\nNOT A PAIR');
  assert.match(problems[0]!, /line 2 .* is not KEY=value; write it as NAME=value or remove it/);
  const draft = draftFromPlan(plan);
  draft.hooks[0]!.envText = 'oops';
  assert.deepEqual(
    localProblems(draft).map((p) => p.path),
    [`hooks#${draft.hooks[0]!.uid}.env`],
  );
});

test('a hook moves only past hooks of its own event; at the end of its group it stays', () => {
  const draft = draftFromPlan(plan);
  const [one, end, two, cond] = draft.hooks;
  assert.deepEqual(moveInGroup(draft.hooks, one!.uid, 1), [two, end, one, cond]);
  assert.equal(moveInGroup(draft.hooks, two!.uid, 1), draft.hooks, 'nothing below in its group');
  assert.equal(moveInGroup(draft.hooks, cond!.uid, -1), draft.hooks);
});

test('engine problems are tied to the item they were found in, by uid, not by position', () => {
  const draft = draftFromPlan(plan);
  draft.sources.splice(0, 0, { uid: 'blank', value: '  ' });
  const { inPlan, outside } = problemsForDraft(
    [
      { path: 'plans[1].hooks[2].timeout', message: 'bad timeout' },
      { path: 'plans[1].sources[1]', message: 'relative' },
      { path: 'plans[1].name', message: 'name' },
      { path: 'repositories[0].url', message: 'elsewhere' },
    ],
    1,
    draft,
  );
  assert.deepEqual(
    inPlan.map((p) => p.path),
    [`hooks#${draft.hooks[2]!.uid}.timeout`, `sources#${draft.sources[2]!.uid}`, 'name'],
  );
  assert.deepEqual(outside, [{ path: 'repositories[0].url', message: 'elsewhere' }]);
});

test('the fingerprint sees every visible edit (an empty row, env text) and no uid', () => {
  const a = draftFromPlan(plan);
  const b = draftFromPlan(plan);
  assert.equal(fingerprint(a), fingerprint(b));
  b.sources.push({ uid: 'x', value: '' });
  assert.notEqual(fingerprint(a), fingerprint(b));
});
