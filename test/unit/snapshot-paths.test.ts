import assert from 'node:assert/strict';
import { test } from 'node:test';
import { originalPath, redirectsOf, storedPath } from '../../main/core/restic/snapshot-paths.ts';

test('a snapshot of a redirected source maps its paths back to the source through the source: tag', () => {
  const sources = ['/home/me/db', '/home/me/docs'];
  const snapshot = { paths: ['/home/me/docs', '/mnt/snap'], tags: ['lifeboat', 'plan:p', 'source:/home/me/db'] };
  const redirects = redirectsOf(snapshot, sources);
  assert.deepEqual(redirects, [{ original: '/home/me/db', stored: '/mnt/snap' }]);
  assert.equal(storedPath('/home/me/db/a b/"x".sql', redirects), '/mnt/snap/a b/"x".sql');
  assert.equal(storedPath('/home/me/dbx/a', redirects), '/home/me/dbx/a', 'a sibling with the same prefix is not inside');
  assert.equal(storedPath('/home/me/docs/a', redirects), '/home/me/docs/a');
  assert.equal(originalPath('/mnt/snap/a\nb', redirects), '/home/me/db/a\nb');
  assert.equal(originalPath('/mnt/snapper/a', redirects), '/mnt/snapper/a');
  assert.deepEqual(redirectsOf({ paths: ['/home/me/docs'], tags: ['lifeboat'] }, sources), []);
});
