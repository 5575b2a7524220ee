import assert from 'node:assert/strict';
import { hostname, networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { writeSetup } from '../helpers/lifeboat.ts';
import { rawRequest } from '../helpers/raw-request.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

/** This machine's own addresses as a Host header names them: IPv6 in brackets. */
function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && !entry.address.includes('%'))
    .map((entry) => (entry!.family === 'IPv6' ? `[${entry!.address}]` : entry!.address));
}

test('serve --host 0.0.0.0 answers a browser that names this machine by its address or its name, and still refuses any other name (DNS rebinding)', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const served = await startServe(t, setup, ['--host', '0.0.0.0']);
  const port = new URL(served.base).port;
  // Every request travels over loopback; only the name it carries differs.
  const ask = (host: string) =>
    rawRequest(`http://127.0.0.1:${port}/`, '/api/call/app.status', {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${served.token}`, Host: host, Origin: `http://${host}` },
      body: '{}',
    });
  const names = [...ownAddresses(), hostname(), hostname().toUpperCase()];
  assert.ok(names.length > 2, 'the machine has addresses to name');
  for (const name of names) {
    const answer = await ask(`${name}:${port}`);
    assert.equal(answer.status, 200, `${name}: ${answer.body}`);
  }
  for (const foreign of [`evil.example:${port}`, `${hostname()}.evil.example:${port}`, `192.0.2.250:${port}`, `${hostname()}:1`]) {
    const answer = await ask(foreign);
    assert.equal(answer.status, 403, foreign);
    assert.match(JSON.parse(answer.body).error.message, /^Requests must name this computer \(.*127\.0\.0\.1:\d+.*\)\. /, foreign);
  }
});

test("serve on 127.0.0.1 answers only to loopback names, not the machine's network address", async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const served = await startServe(t, setup);
  const port = new URL(served.base).port;
  const outside = ownAddresses().find((address) => !address.startsWith('127.') && address !== '[::1]');
  if (!outside) return t.skip('this machine has no address besides loopback');
  const answer = await rawRequest(served.base, '/api/call/app.status', {
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${served.token}`, Host: `${outside}:${port}` },
    body: '{}',
  });
  assert.equal(answer.status, 403);
});
