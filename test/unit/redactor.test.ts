import assert from 'node:assert/strict';
import { test } from 'node:test';
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
