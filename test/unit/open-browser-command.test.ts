import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserCommand } from '../../main/cli/browser.ts';
import { signInLink } from '../../main/cli/commands/open.ts';

const BASE = 'http://127.0.0.1:17878/';
const LINK = `${BASE}auth?code=Ab3_-xYz0123456789abcdefghijklmn`;

/** Answers a hostile or confused server might give instead of its sign-in link. */
const HOSTILE = [
  'file:///etc/passwd',
  'http://evil.example/auth?code=abc',
  'http://127.0.0.1:17878.evil.example/auth?code=abc',
  'http://127.0.0.1:17879/auth?code=abc',
  'https://127.0.0.1:17878/auth?code=abc',
  'http://127.0.0.1:17878@evil.example/auth?code=abc',
  `${BASE}auth?code=abc&calc.exe`,
  `${BASE}auth?code=abc^&calc`,
  `${BASE}auth?code=abc|calc`,
  `${BASE}auth?code=abc%PATH%`,
  `${BASE}auth?code=abc"&calc&"`,
  `${BASE}auth?code=abc calc`,
  `${BASE}auth?code=abc\ncalc`,
  `${BASE}auth?code=abc<in>out`,
  `${BASE}auth?code=`,
  `${BASE}../auth?code=abc`,
  `${BASE}`,
  `javascript:alert(1)`,
];

test('the sign-in link shape accepts only <base>auth?code=<base64url>, the answer serve itself gives', () => {
  assert.equal(signInLink(BASE, LINK), LINK);
  assert.equal(signInLink('http://[::1]:4000/', 'http://[::1]:4000/auth?code=abc'), 'http://[::1]:4000/auth?code=abc');
  for (const url of HOSTILE) assert.equal(signInLink(BASE, url), undefined, url);
  assert.equal(signInLink(BASE, undefined), undefined);
  assert.equal(signInLink(BASE, 42), undefined);
});

test('every URL the sign-in link shape check lets through is free of the characters cmd.exe acts on', () => {
  const alphabet = 'abcXYZ019_-&^|<>%"!() \t\n=?#/.:@[]';
  let accepted = 0;
  for (let round = 0; round < 5_000; round += 1) {
    let code = '';
    const length = 1 + (round % 40);
    for (let index = 0; index < length; index += 1) code += alphabet[Math.floor(Math.random() * alphabet.length)];
    const url = `${BASE}auth?code=${code}`;
    if (signInLink(BASE, url) === undefined) continue;
    accepted += 1;
    assert.doesNotMatch(url, /[&^|<>%"!()\s]/, url);
    assert.doesNotThrow(() => browserCommand(url, 'win32'), url);
  }
  assert.ok(accepted > 0, 'some codes were accepted');
});

test('on Windows the link goes to cmd as start "" "<url>", verbatim, and a URL with & ^ | % " or spaces is refused before any command is built', () => {
  const built = browserCommand(LINK, 'win32');
  assert.equal(built.command, 'cmd');
  assert.equal(built.windowsVerbatimArguments, true);
  // The command line cmd.exe parses: the title "" and the URL quoted, so nothing in it is a command separator.
  assert.equal(built.args.join(' '), `/d /c start "" "${LINK}"`);
  const withRoute = browserCommand(`${LINK}#/history/01JABCDEFGHJKMNPQRSTVWXYZ0`, 'win32');
  assert.equal(withRoute.args.at(-1), `"${LINK}#/history/01JABCDEFGHJKMNPQRSTVWXYZ0"`);
  for (const url of HOSTILE.filter((url) => /[&^|<>%"\s]|^(?!https?:)/.test(url))) {
    assert.throws(() => browserCommand(url, 'win32'), /not a plain http address/, url);
  }
});

test('on Linux and macOS the link is the opener’s one argument, and only a plain http address is handed on', () => {
  assert.deepEqual(browserCommand(LINK, 'linux', '/usr/bin/xdg-open'), { command: '/usr/bin/xdg-open', args: [LINK], windowsVerbatimArguments: false });
  assert.deepEqual(browserCommand(LINK, 'darwin'), { command: 'open', args: [LINK], windowsVerbatimArguments: false });
  assert.throws(() => browserCommand('file:///etc/passwd', 'linux', '/usr/bin/xdg-open'), /not a plain http address/);
  assert.throws(() => browserCommand('javascript:alert(1)', 'darwin'), /not a plain http address/);
});
