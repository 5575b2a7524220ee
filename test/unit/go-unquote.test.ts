import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goUnquoted } from '../../main/core/restic/versions.ts';

test('a name as restic 0.14 keeps it in a tree (Go-quoted) reads back to the name on disk', () => {
  assert.equal(goUnquoted('plain name ü 日本.txt'), 'plain name ü 日本.txt');
  assert.equal(goUnquoted(String.raw`we\"ird 'q' $(x) \x60\nsecond`), `we"ird 'q' $(x) \`\nsecond`);
  assert.equal(goUnquoted(String.raw`tab\there\\back\a\v\u00e9\U0001F680`), 'tab\there\\back\x07\x0b\u00e9\u{1F680}');
  assert.equal(goUnquoted(String.raw`octal\101`), 'octalA');
});
