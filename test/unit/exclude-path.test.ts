import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { excludePattern, excludeTarget, isExcludable } from '../../main/core/config/exclude-path.ts';
import { UserError } from '../../main/core/util/errors.ts';

const sources = ['/home/me/Videos', '/srv/data'];

test('an exclude is the full path, anchored, with the glob characters restic would read escaped', () => {
  assert.equal(excludePattern('/home/me/Videos/raw'), '/home/me/Videos/raw');
  assert.equal(excludePattern('/home/me/[ab]*?.mov'), '/home/me/\\[ab]\\*\\?.mov');
  assert.equal(excludePattern('/home/me/back\\slash'), '/home/me/back\\\\slash');
  assert.equal(excludePattern(`/home/me/"q" $(touch x) 'y'\nz`), `/home/me/"q" $(touch x) 'y'\nz`, 'quotes, $() and newlines are plain characters to restic');
});

test('a path given with ~, .. or a trailing slash becomes the one folder it names', () => {
  assert.deepEqual(excludeTarget('videos', [join(homedir(), 'Videos')], '~/Videos/raw/'), {
    path: join(homedir(), 'Videos', 'raw'),
    pattern: join(homedir(), 'Videos', 'raw'),
  });
  assert.equal(excludeTarget('videos', sources, '/home/me/Videos/a/../raw').path, '/home/me/Videos/raw');
});

test('a path outside the sources, a source itself, a relative, empty, NUL or over-long path is refused with a sentence', () => {
  const refused = (path: string, sentence: RegExp) =>
    assert.throws(
      () => excludeTarget('videos', sources, path),
      (error: unknown) => error instanceof UserError && sentence.test(error.message) && !error.message.includes('\n') && error.message.length < 500,
      JSON.stringify(path.slice(0, 50)),
    );
  refused('/etc', /^\/etc is not inside the folders plan "videos" backs up \(\/home\/me\/Videos, \/srv\/data\); pick a folder inside one of them\.$/);
  refused('/home/me/Videos2/x', /is not inside the folders/);
  refused('/home/me/Videos/../Music', /^\/home\/me\/Music is not inside/);
  refused('/srv/data', /is a folder plan "videos" backs up; to stop backing it up, remove it from the plan's folders instead\./);
  refused('raw', /^raw is not a full path/);
  refused('', /^Give the folder or file/);
  refused('/srv/data/a\0b', /NUL/);
  refused(`/srv/data/${'x'.repeat(5000)}`, /^That path is 5010 characters long/);
  refused('/etc/"q"\n$(x)', /^"\/etc\/\\"q\\"\\n\$\(x\)" is not inside/);
});

test('the size blame offers Exclude… for folders inside a source, never for a source itself or a folder outside', () => {
  assert.equal(isExcludable(sources, '/home/me/Videos/raw'), true);
  assert.equal(isExcludable(sources, '/home/me/Videos'), false);
  assert.equal(isExcludable(sources, '/home/me'), false);
  assert.equal(isExcludable(sources, '/home/me/Videos2'), false);
});
