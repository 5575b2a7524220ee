import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noteUnknownKeys } from '../../main/core/import/draft.ts';
import { formatSummary, ImportNotes, type ImportSummary } from '../../main/core/import/import-report.ts';

function summary(overrides: Partial<ImportSummary>): ImportSummary {
  return {
    tool: 'backrest',
    file: '/home/me/backrest.json',
    configFile: '/home/me/.config/lifeboat/config.json',
    dryRun: false,
    written: false,
    repositories: [],
    plans: [],
    hooksDisabled: 0,
    reused: [],
    alreadyImported: [],
    passwordFiles: [],
    notMapped: [],
    ...overrides,
  };
}

test('a real import that adds nothing says nothing was imported, never "Would import"', () => {
  const text = formatSummary(summary({ alreadyImported: [{ plan: 'documents', origin: 'plans["documents"]' }] }));
  const first = text.split('\n')[0]!;
  assert.doesNotMatch(text, /Would import/);
  assert.match(first, /^• Nothing imported from backrest\b/);
  assert.match(text, /plans\["documents"\] is already imported, as plan "documents": left as it is\./);
});

test('a dry run still says what would be imported, and a written import what was', () => {
  assert.match(formatSummary(summary({ dryRun: true, plans: ['a'], repositories: ['r'] })), /^• Would import from backrest: 1 repository, 1 plan, 0 hooks\./);
  assert.match(formatSummary(summary({ written: true, plans: ['a'], repositories: ['r'] })), /^✔ Imported from backrest: 1 repository, 1 plan, 0 hooks\./);
});

test('an unknown key is "not an autorestic setting" and "not a backend setting": the article fits the word', () => {
  const notes = new ImportNotes();
  noteUnknownKeys({ strange: 1 }, [], '', notes, 'autorestic');
  noteUnknownKeys({ odd: 1 }, [], 'backends.disk', notes, 'backend');
  noteUnknownKeys({ extra: 1 }, [], 'locations.home', notes, 'location');
  assert.deepEqual(
    notes.list().map((item) => item.reason),
    [
      'is not an autorestic setting Lifeboat can take; left out',
      'is not a backend setting Lifeboat can take; left out',
      'is not a location setting Lifeboat can take; left out',
    ],
  );
});
