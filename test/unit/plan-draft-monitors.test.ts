import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ID_PATTERN } from '../../main/core/config/limits.ts';
import {
  draftFromPlan,
  fingerprint,
  localProblems,
  MASKED,
  maskedPlan,
  maskSavedSecrets,
  newMonitor,
  newMonitorId,
  type PlanJson,
  planFromDraft,
  problemsForDraft,
  withoutTypedSecrets,
} from '../../renderer/src/views/plan-draft.ts';

const plan: PlanJson = {
  id: 'docs',
  repository: 'usb',
  sources: ['/a'],
  monitors: [
    { id: 'hc', type: 'healthchecks', url: MASKED },
    { id: 'topic', type: 'ntfy', url: MASKED, token: MASKED },
    { id: 'hook', type: 'webhook', url: MASKED, headers: { Authorization: MASKED, 'X-Plain': MASKED } },
  ],
};

test('a draft made from a plan with monitors gives back exactly that plan, masks and ids and all', () => {
  assert.deepEqual(planFromDraft(draftFromPlan(plan)), plan);
  assert.equal(fingerprint(draftFromPlan(plan)), fingerprint(draftFromPlan(plan)), 'no random id makes an untouched plan look edited');
});

test('a new monitor gets an id of the config id rules that no monitor of the plan has', () => {
  const draft = draftFromPlan(plan);
  for (let n = 0; n < 50; n += 1) {
    const id = newMonitorId(draft.monitors);
    assert.match(id, ID_PATTERN);
    assert.match(id, /^monitor-[0-9a-f]{10}$/);
    assert.equal(
      draft.monitors.some((item) => item.id === id),
      false,
    );
  }
  assert.notEqual(newMonitor(draft.monitors).id, newMonitor(draft.monitors).id);
});

test('a monitor is saved with only the fields of its type: a token or headers left from another type are dropped', () => {
  const draft = draftFromPlan(plan);
  draft.monitors[1]!.type = 'healthchecks';
  draft.monitors[2]!.type = 'ntfy';
  assert.deepEqual(planFromDraft(draft).monitors, [
    { id: 'hc', type: 'healthchecks', url: MASKED },
    { id: 'topic', type: 'healthchecks', url: MASKED },
    { id: 'hook', type: 'ntfy', url: MASKED },
  ]);
  draft.monitors = [];
  assert.equal('monitors' in planFromDraft(draft), false, 'no monitors: no empty list written');
});

test('engine problems go to the monitor they were found in, by id, and a header problem to the row of that name', () => {
  const draft = draftFromPlan(plan);
  const hook = draft.monitors[2]!;
  const { inPlan } = problemsForDraft(
    [
      { path: 'plans[0].monitors[1].url', message: 'must be an http:// or https:// URL' },
      { path: 'plans[0].monitors[2].headers.X-Plain', message: 'is longer than 32,000 characters' },
      { path: 'plans[0].monitors[0]', message: 'is not a monitor' },
    ],
    0,
    draft,
  );
  assert.deepEqual(
    inPlan.map((problem) => problem.path),
    ['monitors#topic.url', `monitors#hook.headers#${hook.headers[1]!.uid}`, 'monitors#hc'],
  );
  // The first monitor removed: the engine's `monitors[0]` is now the ntfy one, and the problem stays with it.
  draft.monitors.shift();
  assert.deepEqual(
    problemsForDraft([{ path: 'plans[0].monitors[0].token', message: 'x' }], 0, draft).inPlan.map((problem) => problem.path),
    ['monitors#topic.token'],
  );
});

test('the form refuses a header without a name, a bad or repeated name, a value over two lines, and a hidden value moved to another name', () => {
  const draft = draftFromPlan(plan);
  const headers = draft.monitors[2]!.headers;
  const cases: Array<[string, string, RegExp]> = [
    ['', 'v', /has a value but no name; name the header/],
    ['Bad Name', 'v', /"Bad Name" is not a header name; use letters, digits and "-"/],
    ['x-plain', 'v', /"x-plain" is given twice; keep one row for each header/],
    ['X-New', 'a\nb', /contains a line break .*; write it on one line/],
    ['X-Renamed', MASKED, /the hidden value was stored under "Authorization"; type the value again/],
  ];
  for (const [name, value, sentence] of cases) {
    headers[0] = { ...headers[0]!, name, value };
    const problems = localProblems(draft);
    assert.equal(problems.length >= 1, true, name);
    assert.equal(problems[0]!.path, `monitors#hook.headers#${headers[0].uid}`);
    assert.match(problems[0]!.message, sentence);
  }
  headers[0] = { ...headers[0]!, name: 'Authorization', value: MASKED };
  assert.deepEqual(localProblems(draft), []);
  headers.push({ uid: 'blank', name: '', value: '' });
  assert.deepEqual(localProblems(draft), [], 'an empty row is no problem, and is not saved');
  assert.deepEqual(Object.keys((planFromDraft(draft).monitors![2] as { headers: object }).headers), ['Authorization', 'X-Plain']);
});

test('after a save, the secrets saved become masks in the form; anything typed since stays as typed', () => {
  const draft = draftFromPlan(plan);
  const hc = draft.monitors[0]!;
  hc.url = 'https://hc-ping.com/typed';
  draft.monitors[1]!.token = 'typed-token';
  draft.monitors[2]!.headers[0]!.value = 'Bearer typed';
  const saved = planFromDraft(draft);
  const after = maskSavedSecrets({ ...draft, monitors: draft.monitors.map((item, at) => (at === 1 ? { ...item, token: 'typed again' } : item)) }, saved);
  assert.equal(after.monitors[0]!.url, MASKED);
  assert.equal(after.monitors[1]!.token, 'typed again', 'typed while the save was on its way');
  assert.equal(after.monitors[2]!.headers[0]!.value, MASKED);
  assert.deepEqual(localProblems(after), []);
  assert.equal(JSON.stringify(maskedPlan(saved)).includes('typed'), false);
  assert.equal(fingerprint(after) === fingerprint(draftFromPlan(maskedPlan(saved))), false, 'the edit made meanwhile still counts');
});

test('the draft kept for a reload leaves out each monitor secret typed, and keeps the stored ones as masks', () => {
  const plan = {
    id: 'docs',
    sources: ['/data'],
    monitors: [
      { id: 'stored', type: 'webhook', url: MASKED, headers: { Authorization: MASKED, 'X-New': 'typed header secret' } },
      { id: 'typed', type: 'ntfy', url: 'https://ntfy.example/typed-topic', token: 'typed token' },
      { id: 'blank', type: 'healthchecks', url: '' },
    ],
  } as PlanJson;
  const { plan: kept, dropped } = withoutTypedSecrets(plan);
  assert.equal(dropped, true);
  assert.deepEqual(kept.monitors, [
    { id: 'stored', type: 'webhook', url: MASKED, headers: { Authorization: MASKED, 'X-New': '' } },
    { id: 'typed', type: 'ntfy', url: '', token: '' },
    { id: 'blank', type: 'healthchecks', url: '' },
  ]);
  assert.equal(JSON.stringify(kept).includes('typed '), false);
  assert.equal(
    withoutTypedSecrets({ ...plan, monitors: [plan.monitors![0]!, plan.monitors![2]!].map((m) => ({ ...m, headers: undefined })) } as PlanJson).dropped,
    false,
  );
  assert.deepEqual(withoutTypedSecrets({ id: 'x', sources: ['/a'] } as PlanJson), { plan: { id: 'x', sources: ['/a'] }, dropped: false });
});
