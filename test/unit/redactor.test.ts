import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Redactor, urlWithoutCredentials } from '../../main/core/util/redactor.ts';

test('every known secret is replaced wherever it appears', () => {
  const redactor = new Redactor().add('hunter22').add('s3cr3t-key');
  assert.equal(redactor.redact('pw=hunter22 key=s3cr3t-key again hunter22'), 'pw=[redacted] key=[redacted] again [redacted]');
});

test('the password part of a repository URL is a secret, and is removed from the URL shown', () => {
  const url = 'rest:https://alice:p%40ss-word@backup.example:8000/alice';
  const redactor = new Redactor().addUrl(url);
  assert.equal(redactor.redact('failed: p@ss-word and p%40ss-word'), 'failed: [redacted] and [redacted]');
  assert.equal(urlWithoutCredentials(url), 'rest:https://backup.example:8000/alice');
  assert.equal(urlWithoutCredentials('/mnt/nas/restic'), '/mnt/nas/restic');
});

test('a URL password with a colon in it is one secret, redacted and masked whole; the shown URL and the mask use the same reading', async () => {
  const { maskUrlPassword } = await import('../../main/core/config/secrets-mask.ts');
  const url = 'sftp://backup:pa:ss-word@host.example/srv/restic';
  assert.equal(new Redactor().addUrl(url).redact('denied for pa:ss-word'), 'denied for [redacted]');
  assert.equal(urlWithoutCredentials(url), 'sftp://host.example/srv/restic');
  assert.equal(maskUrlPassword(url), 'sftp://backup:••••••••@host.example/srv/restic');
  assert.equal(maskUrlPassword('sftp://backup@host.example/srv'), 'sftp://backup@host.example/srv', 'a user name alone has nothing to mask');
  assert.equal(maskUrlPassword('/mnt/nas/restic'), '/mnt/nas/restic');
});

test('a secret that contains another is replaced whole', () => {
  const redactor = new Redactor().add('abcd').add('abcdefgh');
  assert.equal(redactor.redact('xabcdefghx'), 'x[redacted]x');
});

test('a keychain password reaches restic only by environment; without the desktop app it is a clear error', async () => {
  const { resticAccess } = await import('../../main/core/restic/credentials.ts');
  const repository = { id: 'nas', name: 'NAS', url: '/srv/restic', passwordKeychain: true, env: {} };
  const access = resticAccess(repository, {}, 'from-the-keychain');
  assert.equal(access.env.RESTIC_PASSWORD, 'from-the-keychain');
  assert.equal(access.redactor.redact('x from-the-keychain y'), 'x [redacted] y');
  assert.throws(
    () => resticAccess(repository, {}),
    /kept in the desktop app's keychain, which this process cannot read\. Use the desktop app, or give the repository a passwordFile/,
  );
});

test("restic runs in the app's environment without another repository's address or password, but with the cache folder a person chose", async () => {
  const { resticAccess, resticEnvironment } = await import('../../main/core/restic/credentials.ts');
  const repository = { id: 'r', url: '/srv/repo', passwordEnv: 'MY_PASSWORD', env: {} } as unknown as Parameters<typeof resticAccess>[0];
  const processEnv = {
    HOME: '/home/me',
    MY_PASSWORD: 'mine',
    RESTIC_PASSWORD: 'another repository',
    RESTIC_REPOSITORY: '/elsewhere',
    RESTIC_PASSWORD_COMMAND: 'cat /other',
    RESTIC_CACHE_DIR: '/fast/disk/restic-cache',
  };
  const env = resticEnvironment(resticAccess(repository, processEnv), processEnv);
  assert.equal(env.RESTIC_REPOSITORY, '/srv/repo');
  assert.equal(env.RESTIC_PASSWORD, 'mine');
  assert.equal(env.RESTIC_PASSWORD_COMMAND, undefined);
  assert.equal(env.RESTIC_CACHE_DIR, '/fast/disk/restic-cache');
  assert.equal(env.HOME, '/home/me');
});

test('secrets made of the characters patterns are written with are found and replaced as plain text', () => {
  const secrets = ['a.b*c+d', '(x|y)?z', '[^$]{2}\\', 'p@ss$1 \\d+', 'wörd✓🛟'];
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret);
  assert.equal(redactor.redact(`1 ${secrets.join(' 2 ')} 3`), '1 [redacted] 2 [redacted] 2 [redacted] 2 [redacted] 2 [redacted] 3');
  assert.equal(redactor.redact('aXb*c+d (x|y)z [^$]{2} wörd✓'), 'aXb*c+d (x|y)z [^$]{2} wörd✓', 'near misses stay');
  for (const secret of secrets) {
    assert.equal(redactor.foundIn(Buffer.from(`before ${secret} after`)), true, secret);
    assert.equal(redactor.foundIn(Buffer.from(`before ${secret.slice(1)} after`)), false, secret);
  }
});

test('a secret is found in the bytes of a text exactly when redacting the text changes it', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: fc.constantFrom('x', 'y', 'é', '✓', '.', '*'), minLength: 4, maxLength: 7 }), { maxLength: 3 }),
      fc.string({ unit: fc.constantFrom('x', 'y', 'é', '✓', '.', '*', ' ', '\n'), maxLength: 60 }),
      (secrets, text) => {
        const redactor = new Redactor();
        for (const secret of secrets) redactor.add(secret);
        assert.equal(redactor.foundIn(Buffer.from(text)), redactor.redact(text) !== text);
      },
    ),
    { numRuns: 3000 },
  );
});

test('a URL password with an @ in it ends at the last @ before the host: redacted, removed from the shown URL and masked whole', async () => {
  const { maskUrlPassword } = await import('../../main/core/config/secrets-mask.ts');
  const url = 'sftp://alice:p@ssw0rd@host.example/srv/restic';
  assert.equal(new Redactor().addUrl(url).redact('denied for p@ssw0rd'), 'denied for [redacted]');
  assert.equal(urlWithoutCredentials(url), 'sftp://host.example/srv/restic');
  assert.equal(maskUrlPassword(url), 'sftp://alice:••••••••@host.example/srv/restic');
  assert.equal(maskUrlPassword('rest:https://bob:a@b@c@rest.example:8000/bob/'), 'rest:https://bob:••••••••@rest.example:8000/bob/');
  // An @ after the host (in the path) is not part of the credentials.
  assert.equal(urlWithoutCredentials('sftp://alice:pw@host.example/srv/a@b'), 'sftp://host.example/srv/a@b');
  assert.equal(maskUrlPassword('sftp://alice:pw@host.example/srv/a@b'), 'sftp://alice:••••••••@host.example/srv/a@b');
  assert.equal(urlWithoutCredentials('sftp://host.example/srv/a@b'), 'sftp://host.example/srv/a@b');
});
