import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pushTarget } from '../../main/core/metrics/pushgateway.ts';

test("a pushgateway URL becomes this machine's group: credentials out of the URL into Basic auth, path kept, query and fragment dropped", () => {
  assert.deepEqual(pushTarget('https://ops:p%40ss@gw.example:9091/prom/?x=1#y', 'backup-box'), {
    url: 'https://gw.example:9091/prom/metrics/job/lifeboat/instance/backup-box',
    authorization: `Basic ${Buffer.from('ops:p@ss').toString('base64')}`,
    shown: 'https://gw.example:9091',
  });
  assert.equal(pushTarget('http://gw:9091', 'box').url, 'http://gw:9091/metrics/job/lifeboat/instance/box');
  assert.equal(pushTarget('http://gw:9091', 'box').authorization, undefined);
});

test('a host name a path segment cannot carry goes base64url-encoded, as the pushgateway API says', () => {
  for (const host of ['my box/../../admin', 'naïve', '', 'a?b#c']) {
    const { url } = pushTarget('http://gw:9091', host);
    const encoded = /\/metrics\/job\/lifeboat\/instance@base64\/([A-Za-z0-9_=-]+)$/.exec(url);
    assert.ok(encoded, `${host} → ${url}`);
    assert.equal(encoded[1] === '=' ? '' : Buffer.from(encoded[1]!, 'base64url').toString(), host);
  }
});
