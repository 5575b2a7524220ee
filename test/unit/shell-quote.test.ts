import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { parseDirective } from '../../main/core/hooks/directives.ts';
import { inlineShell, parseShebang } from '../../main/core/hooks/hook-command.ts';
import { interpolate, quoteFor } from '../../main/core/hooks/shell-quote.ts';
import { HOSTILE } from '../helpers/hostile.ts';

test('a quoted value reaches /bin/sh as exactly one word, byte for byte', () => {
  for (const value of HOSTILE) {
    const script = `printf '%s|' "$#"; printf '%s' ${quoteFor('posix', value)}`;
    const out = execFileSync('/bin/sh', ['-c', `set -- ${quoteFor('posix', value)}; ${script}`], { encoding: 'utf8' });
    assert.equal(out, `1|${value}`, JSON.stringify(value));
  }
});

test('PowerShell quoting doubles every kind of single quote', () => {
  assert.equal(quoteFor('powershell', "it's ‘x’"), "'it''s ‘‘x’’'");
  assert.equal(quoteFor('powershell', '$(Get-Date)'), "'$(Get-Date)'");
});

test('{{NAME}} is replaced quoted, \\{{ stays a literal, a name without a value is an empty word, and an unknown name is refused', () => {
  assert.equal(interpolate('echo {{A}} \\{{A}} {{ B }} {{C}}', { A: "x'y", B: 'b', C: undefined }, 'posix'), `echo 'x'\\''y' {{A}} 'b' ''`);
  assert.throws(() => interpolate('echo {{D}}', { A: 'a' }, 'posix'), /\{\{D\}\} is not a variable Lifeboat knows/);
});

test('the shell of an inline script follows its #! line', () => {
  assert.equal(inlineShell('echo hi'), 'posix');
  assert.equal(inlineShell('#!/bin/bash\necho'), 'posix');
  assert.equal(inlineShell('#!/usr/bin/env bash\necho'), 'posix');
  assert.equal(inlineShell('#!/usr/bin/env -S pwsh -NoProfile\n'), 'powershell');
  assert.equal(inlineShell('#!/usr/bin/env python3\nprint()'), undefined);
  assert.deepEqual(parseShebang('#!/usr/bin/env python3 -u\n'), { interpreter: '/usr/bin/env', argument: 'python3 -u' });
});

test('directives are exact lines: snapshot path, per-source snapshot path, warning', () => {
  assert.deepEqual(parseDirective('LIFEBOAT_SNAPSHOT_PATH=/mnt/snap'), { kind: 'snapshot-path', source: undefined, path: '/mnt/snap' });
  assert.deepEqual(parseDirective('LIFEBOAT_SNAPSHOT_PATH[/home/me]=/mnt/snap/home'), { kind: 'snapshot-path', source: '/home/me', path: '/mnt/snap/home' });
  assert.deepEqual(parseDirective('LIFEBOAT_WARNING=disk nearly full'), { kind: 'warning', text: 'disk nearly full' });
  assert.equal(parseDirective(' LIFEBOAT_WARNING=x'), undefined);
  assert.equal(parseDirective('LIFEBOAT_WARNING = x'), undefined);
  assert.equal(parseDirective('echo LIFEBOAT_SNAPSHOT_PATH=/x'), undefined);
});
