import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventInWords, HOOK_EVENT_WORDS, HOOK_EVENTS } from '../../main/core/config/vocabulary.ts';

test('every hook event has words for a person, and copy events have them too', () => {
  for (const event of [...HOOK_EVENTS, 'copy.before', 'copy.after']) {
    assert.ok(HOOK_EVENT_WORDS[event], `${event} has words`);
    assert.notEqual(eventInWords(event), event);
  }
  assert.equal(eventInWords('backup.before'), 'Before the backup');
  assert.equal(eventInWords('prune.after'), 'After cleaning up old snapshots');
  assert.equal(eventInWords('no.such'), 'no.such', 'an unknown event is shown by its name');
});
