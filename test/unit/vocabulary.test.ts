import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as forUi from '../../main/api/vocabulary.ts';
import { CONDITIONS, conditionModule } from '../../main/core/conditions/registry.ts';
import { SCHEMA_PARTS, validateConfig } from '../../main/core/config/validate.ts';
import {
  CONDITION_FACTS,
  CONDITION_TYPES,
  formatBytes,
  formatDuration,
  HOOK_EVENT_FACTS,
  HOOK_EVENTS,
  HOOK_VARIABLE_FACTS,
  HOOK_VARIABLES,
  isAfterEvent,
} from '../../main/core/config/vocabulary.ts';

test('every hook event has a phase, a moment and words', () => {
  for (const event of HOOK_EVENTS) {
    const facts = HOOK_EVENT_FACTS[event];
    assert.ok(['run', 'backup', 'prune', 'check', 'restore', 'copy'].includes(facts.phase), event);
    assert.ok(event === `${facts.phase}.${facts.moment}` || facts.phase === 'run', `${event} is named by its phase and moment`);
    assert.ok(facts.words.length > 0, `${event} has words`);
  }
  assert.deepEqual(Object.keys(HOOK_EVENT_FACTS).sort(), [...HOOK_EVENTS].sort(), 'no facts for an event that is none');
});

test('after-hooks are the *.after events and run.end, and nothing else', () => {
  assert.deepEqual(
    HOOK_EVENTS.filter(isAfterEvent),
    HOOK_EVENTS.filter((event) => event.endsWith('.after') || event === 'run.end'),
  );
  assert.equal(isAfterEvent('constructor'), false);
  assert.equal(isAfterEvent('copy.after'), true);
  assert.equal(isAfterEvent('verify.after'), false, 'not an event');
});

test('every hook variable has a description, and the list is the one the engine fills in', () => {
  assert.deepEqual(
    HOOK_VARIABLES,
    HOOK_VARIABLE_FACTS.map(([name]) => name),
  );
  for (const [name, description] of HOOK_VARIABLE_FACTS) {
    assert.match(name, /^LIFEBOAT_[A-Z_]+$/);
    assert.ok(description.length > 5, `${name} is described`);
  }
});

test('every registered condition has defaults that pass its own schema, words and its name', () => {
  for (const [type, module] of Object.entries(CONDITIONS)) {
    assert.equal(module.type, type);
    const schema = module.schema(SCHEMA_PARTS);
    const parsed = schema.safeParse(module.defaults);
    assert.ok(parsed.success, `${type}: ${parsed.success ? '' : parsed.error.message}`);
    assert.ok(module.words.length > 0, `${type} has words`);
    const shape = (schema as unknown as { shape: Record<string, unknown> }).shape;
    for (const field of module.fields) assert.ok(Object.hasOwn(shape, field.key), `${type}: the editor's field ${field.key} is an option of the schema`);
  }
});

test('a new condition of each type, as the editor adds it, makes a valid config', () => {
  const hooks = CONDITION_TYPES.map((type) => ({ id: type.toLowerCase(), on: ['run.start'], condition: CONDITION_FACTS[type].defaults }));
  const result = validateConfig({
    version: 1,
    repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }],
    plans: [{ id: 'p', repository: 'r', sources: ['/p'], hooks }],
  });
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
});

test("the renderer's condition catalogue is the registry's: same types, words, defaults and fields", () => {
  assert.deepEqual(Object.keys(forUi.CONDITION_FACTS).sort(), Object.keys(CONDITIONS).sort());
  for (const type of forUi.CONDITION_TYPES) {
    const module = conditionModule(type)!;
    const facts = forUi.CONDITION_FACTS[type];
    assert.deepEqual(
      { words: facts.words, defaults: facts.defaults, fields: facts.fields },
      { words: module.words, defaults: module.defaults, fields: module.fields },
    );
  }
  assert.equal(conditionModule('constructor'), undefined);
  assert.equal(conditionModule('__proto__'), undefined);
});

test('the UI reads events, variables and formatting from the same vocabulary as the engine', () => {
  assert.equal(forUi.HOOK_EVENT_FACTS, HOOK_EVENT_FACTS);
  assert.equal(forUi.HOOK_VARIABLE_FACTS, HOOK_VARIABLE_FACTS);
  assert.equal(forUi.formatBytes, formatBytes);
  assert.equal(forUi.formatDuration, formatDuration);
  assert.equal(forUi.isAfterEvent, isAfterEvent);
});

test('sizes and durations in words', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(5 * 1024 ** 3), '5.0 GiB');
  assert.equal(formatDuration(450), '450 ms');
  assert.equal(formatDuration(45_000), '45 s');
  assert.equal(formatDuration(125_000), '2 min 5 s');
  assert.equal(formatDuration(2 * 3_600_000), '2 h');
});
