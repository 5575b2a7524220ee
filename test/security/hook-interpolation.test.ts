import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { HookEvent } from '../../main/core/config/schema.ts';
import type { Hook } from '../../main/core/config/types.ts';
import { validateConfig } from '../../main/core/config/validate.ts';
import { prepareHookCommand } from '../../main/core/hooks/hook-command.ts';
import { interpolationProblems, placements } from '../../main/core/hooks/placement.ts';
import { interpolate } from '../../main/core/hooks/shell-quote.ts';
import { HOOK_VARIABLES } from '../../main/core/hooks/variables.ts';
import { loaded } from '../helpers/duration.ts';
import { hostileShellValue } from '../helpers/hostile.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

function configWith(script: Record<string, string>, env: Record<string, string> = {}) {
  return {
    version: 1,
    repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }],
    plans: [{ id: 'p', repository: 'r', sources: ['/p'], hooks: [{ id: 'h', on: ['run.end'], env, script }] }],
  };
}

function problemsOf(script: Record<string, string>): string[] {
  const result = validateConfig(configWith(script));
  return result.ok ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

function hookOf(script: Hook['script']): Hook {
  return {
    id: 'h',
    name: 'h',
    enabled: true,
    on: ['run.end'],
    states: [],
    script,
    onError: 'fail',
    retryAfter: loaded('10m'),
    mode: 'wait',
    timeout: loaded('5m'),
    cwd: null,
    env: {},
    inheritEnv: [],
    appliesTo: 'all',
  };
}

/** Runs a hook's script the way the hook runner does (prepareHookCommand), and returns its stdout. */
async function runScript(script: Hook['script'], values: Record<string, string>, workingDir: string): Promise<Buffer> {
  const command = await prepareHookCommand(hookOf(script), 'run.end' as HookEvent, values, workingDir);
  const result = spawnSync(command.file, command.args, { cwd: workingDir, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
  if (result.error) throw result.error;
  return result.stdout;
}

/** Every place a person may write `{{NAME}}` that Lifeboat accepts, with the bytes the script must then see. */
const ACCEPTED: Array<{ snippet: (ref: string) => string; expected: (value: string) => string }> = [
  { snippet: (ref) => `printf '%s\\0' ${ref}`, expected: (v) => v },
  { snippet: (ref) => `x=${ref}; printf '%s\\0' "$x"`, expected: (v) => v },
  { snippet: (ref) => `printf '%s\\0' pre${ref}post`, expected: (v) => `pre${v}post` },
  { snippet: (ref) => `printf '%s\\0' "$(printf '%s' ${ref})"`, expected: (v) => v.replace(/\n+$/, '') },
  { snippet: (ref) => `set -- ${ref} ${ref}; printf '%s\\0' "$#$1"`, expected: (v) => `2${v}` },
  { snippet: (ref) => `case ${ref} in *) printf '%s\\0' ${ref};; esac`, expected: (v) => v },
  { snippet: (ref) => `{ printf '%s\\0' ${ref}; }`, expected: (v) => v },
  { snippet: (ref) => `cat <<'EOF' >/dev/null\nnot \\{{here}}\nEOF\nprintf '%s\\0' ${ref}`, expected: (v) => v },
  { snippet: (ref) => `printf '%s\\0' "a"${ref}'b' # a comment`, expected: (v) => `a${v}b` },
  { snippet: (ref) => `printf '%s\\0' ${ref} # it's "quoted" here only`, expected: (v) => v },
];

/** Places where the quoting would be undone; validation must refuse every one. */
const REFUSED: Array<(ref: string) => string> = [
  (ref) => `echo '${ref}'`,
  (ref) => `echo "${ref}"`,
  (ref) => `echo "x${ref}"`,
  (ref) => `echo "$(echo "${ref}")"`,
  (ref) => `echo ok # ${ref}`,
  (ref) => `# ${ref}`,
  (ref) => `cat <<EOF\n${ref}\nEOF`,
  (ref) => `cat <<-EOF\n\t${ref}\n\tEOF`,
  (ref) => `cat <<'EOF'\n${ref}\nEOF`,
  (ref) => `cat <<EOF >out ${ref}\nbody\nEOF`,
  (ref) => `echo \`echo ${ref}\``,
  (ref) => `echo "\`echo ${ref}\`"`,
  (ref) => `echo \${x:-${ref}}`,
  (ref) => `echo $${ref}`,
  (ref) => `echo $(( ${ref} + 1 ))`,
  (ref) => `(( ${ref} ))`,
  (ref) => `echo $'a' ${ref}`,
  (ref) => `echo $[1] ${ref}`,
];

test("an unreadable file name in LIFEBOAT_ERROR inside quotes of the script's own is refused at validation, and no command from it ever runs", async (t) => {
  const root = await tempDir(t);
  const marker = join(root, 'PWNED');
  const source = join(root, `x'; touch ${marker}; '`);
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source], hooks: [{ id: 'tell', on: ['run.end'], script: { command: `echo 'backup failed: {{LIFEBOAT_ERROR}}'` } }] },
  ]);
  const validated = await lifeboat(setup.args('validate'), { env: setup.env });
  assert.notEqual(validated.code, 0, validated.stdout);
  assert.match(
    validated.stdout + validated.stderr,
    /plans\[0\]\.hooks\[0\]\.script\.command: \{\{LIFEBOAT_ERROR\}\} is inside quotes of your own.*drop the quotes.*"\$LIFEBOAT_ERROR"/,
  );
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  await assert.rejects(stat(marker), { code: 'ENOENT' }, 'the file name never ran as a command');
});

test("{{NAME}} inside the person's own quotes, comments, here-documents, backquotes, parameter expansions, arithmetic and after $ is a validation error that shows the fix", () => {
  for (const key of ['inline', 'command']) {
    for (const place of REFUSED) {
      const problems = problemsOf({ [key]: place('{{LIFEBOAT_ERROR}}') });
      assert.equal(problems.length, 1, `${JSON.stringify(place('{{X}}'))} as ${key}: ${problems.join(' | ')}`);
      assert.match(problems[0]!, new RegExp(`^plans\\[0\\]\\.hooks\\[0\\]\\.script\\.${key}: \\{\\{LIFEBOAT_ERROR\\}\\} .*"\\$LIFEBOAT_ERROR"`));
    }
  }
  assert.match(problemsOf({ command: `echo '{{LIFEBOAT_ERROR}}'` })[0]!, /drop the quotes around it .*or use "\$LIFEBOAT_ERROR" instead/);
});

test('unknown {{NAME}} is a validation error and is refused at run time too; \\{{ stays a literal', async (t) => {
  assert.match(problemsOf({ command: 'echo {{LIFEBOAT_NOPE}}' })[0]!, /\{\{LIFEBOAT_NOPE\}\} is not a variable Lifeboat knows/);
  assert.deepEqual(problemsOf({ command: 'echo \\{{LIFEBOAT_NOPE}} {{LIFEBOAT_RUN_ID}}' }), []);
  const dir = await tempDir(t);
  await assert.rejects(runScript({ command: 'echo {{LIFEBOAT_NOPE}}' }, { LIFEBOAT_RUN_ID: 'x' }, dir), /is not a variable Lifeboat knows/);
  await assert.rejects(runScript({ command: "echo '{{LIFEBOAT_RUN_ID}}'" }, { LIFEBOAT_RUN_ID: 'x' }, dir), /inside quotes of your own/);
  assert.equal((await runScript({ command: "printf '%s' \\{{LIFEBOAT_RUN_ID}}" }, { LIFEBOAT_RUN_ID: 'x' }, dir)).toString(), '{{LIFEBOAT_RUN_ID}}');
});

test('interpreters that are not shells get no interpolation at all: the text reaches python untouched and validation says to read the environment', async (t) => {
  const dir = await tempDir(t);
  const text = '#!/usr/bin/env python3\nprint("{{LIFEBOAT_PLAN_NAME}}")\n';
  const command = await prepareHookCommand(hookOf({ inline: text }), 'run.end', { LIFEBOAT_PLAN_NAME: "it's" }, dir);
  assert.equal(await readFile(command.args.at(-1)!, 'utf8'), text);
  assert.match(problemsOf({ inline: text })[0]!, /read the value from the environment/);
});

for (const shell of ['/bin/sh', '/bin/bash']) {
  test(`property: through ${shell}, every variable in every accepted position reaches the script as exactly its bytes, and nothing runs`, async (t) => {
    const dir = await tempDir(t);
    // Every variable in the plainest position, and one of them (a different one each time) in every position.
    const script = (chosen: string) =>
      `#!${shell}\n${[...HOOK_VARIABLES.map((name) => ACCEPTED[0]!.snippet(`{{${name}}}`)), ...ACCEPTED.map((place) => place.snippet(`{{${chosen}}}`))].join('\n')}\n`;
    for (const name of HOOK_VARIABLES) assert.deepEqual(problemsOf({ inline: script(name) }), [], 'every accepted position validates');
    await fc.assert(
      fc.asyncProperty(hostileShellValue, fc.constantFrom(...HOOK_VARIABLES), async (value, chosen) => {
        const output = await runScript({ inline: script(chosen) }, Object.fromEntries(HOOK_VARIABLES.map((name) => [name, value])), dir);
        const expected = [...HOOK_VARIABLES.map(() => value), ...ACCEPTED.map((place) => place.expected(value))].map((bytes) => `${bytes}\0`).join('');
        assert.deepEqual(output.toString('utf8'), expected);
      }),
      { numRuns: 60 },
    );
    assert.equal(existsSync(join(dir, 'PWNED')), false, 'no injected command ran');
  });
}

test('property: a command line ({{…}} in every accepted one-line position) through /bin/sh -c gets exactly the bytes', async (t) => {
  const dir = await tempDir(t);
  // A comment would swallow the rest of the line, so positions with one or a line break are left out.
  const oneLine = ACCEPTED.filter((place) => !/[\n#]/.test(place.snippet('X')));
  const command = `${oneLine.map((place) => place.snippet('{{LIFEBOAT_ERROR}}')).join('; ')}`;
  assert.deepEqual(problemsOf({ command }), []);
  await fc.assert(
    fc.asyncProperty(hostileShellValue, async (value) => {
      const output = await runScript({ command }, { LIFEBOAT_ERROR: value }, dir);
      assert.deepEqual(output.toString('utf8'), oneLine.map((place) => `${place.expected(value)}\0`).join(''));
    }),
    { numRuns: 150 },
  );
  assert.equal(existsSync(join(dir, 'PWNED')), false, 'no injected command ran');
});

/** Script text made of shell syntax fragments with references mixed in: whatever validation accepts must be safe. */
const scriptFragments = fc
  .array(
    fc.constantFrom(
      '{{LIFEBOAT_ERROR}}',
      '{{LIFEBOAT_ERROR}}',
      '\\{{',
      "'",
      '"',
      '\\',
      '$',
      '$(',
      ')',
      '(',
      '`',
      '${',
      '}',
      '{',
      '#',
      '\n',
      ' ',
      ';',
      'echo ',
      'x=',
      '<<EOF\n',
      '<<-EOF\n',
      "<<'EOF'\n",
      'EOF\n',
      '\t',
      '<<<',
      '$((',
      "$'",
      '$"',
      'case x in x) ',
      ';; esac',
      ':',
      '|',
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

const PAYLOADS = [
  "'; touch PWNED; '",
  '"; touch PWNED; "',
  '$(touch PWNED)',
  '`touch PWNED`',
  '\nEOF\ntouch PWNED\n\'\ntouch PWNED\n"\ntouch PWNED\n',
  "\\'; touch PWNED; \\'",
  "a'\ntouch PWNED #",
];

for (const shell of ['/bin/sh', '/bin/bash']) {
  test(`property: any script ${shell} validation accepts runs no command out of a {{…}} value`, async (t) => {
    const dir = await tempDir(t);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(scriptFragments, fc.constantFrom(...PAYLOADS), async (body, payload) => {
        const text = `#!${shell}\n${body}\n`;
        if (problemsOf({ inline: text }).length > 0) return;
        accepted += 1;
        await runScript({ inline: text }, { LIFEBOAT_ERROR: payload }, dir);
        assert.equal(existsSync(join(dir, 'PWNED')), false, `this accepted script ran the value as code:\n${text}`);
      }),
      { numRuns: 150 },
    );
    assert.ok(accepted > 20, `only ${accepted} scripts were accepted; the property tested little`);
  });
}

/** Reads a PowerShell single-quoted string at `at` as PowerShell does: any of its single quotes closes it, two in a row are one. */
function readPowerShellLiteral(text: string, at: number): { value: string; end: number } {
  const quotes = "'\u2018\u2019\u201a\u201b";
  assert.ok(quotes.includes(text[at]!), 'a single-quoted literal starts here');
  let value = '';
  let i = at + 1;
  while (i < text.length) {
    if (quotes.includes(text[i]!)) {
      const next = text[i + 1];
      if (next !== undefined && quotes.includes(next)) {
        value += text[i + 1];
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += text[i];
    i += 1;
  }
  assert.fail('the literal is never closed');
}

const POWERSHELL_ACCEPTED = [
  (ref: string) => `Write-Output ${ref}`,
  (ref: string) => `$x = ${ref}; Write-Output $x`,
  (ref: string) => `if (${ref} -eq 'a') { "it's" } # note`,
  (ref: string) => `@'\nnot 'here'\n'@ | Out-Null\nWrite-Output ${ref}`,
  (ref: string) => `Write-Output "$env:HOME" ${ref}`,
];
const POWERSHELL_REFUSED = [
  (ref: string) => `Write-Output '${ref}'`,
  (ref: string) => `Write-Output \u2018${ref}\u2019`,
  (ref: string) => `Write-Output "${ref}"`,
  (ref: string) => `Write-Output \u201cx${ref}\u201d`,
  (ref: string) => `Write-Output @"\n${ref}\n"@`,
  (ref: string) => `Write-Output @'\n${ref}\n'@`,
  (ref: string) => `# ${ref}`,
  (ref: string) => `<# ${ref} #>`,
  (ref: string) => `Write-Output \`${ref}`,
  (ref: string) => `Write-Output $${ref}`,
  (ref: string) => `Write-Output \${x ${ref}}`,
  (ref: string) => `Write-Output $x${ref}`,
  (ref: string) => `cmd /c echo --% ${ref}`,
  (ref: string) => `Write-Output "$(Get-Date)" ${ref}`,
];

test('PowerShell: {{NAME}} inside its quotes (typographic ones too), here-strings, comments or after ` $ @ is refused', () => {
  const known = new Set(['LIFEBOAT_ERROR']);
  for (const place of POWERSHELL_REFUSED) {
    const problems = interpolationProblems(place('{{LIFEBOAT_ERROR}}'), 'powershell', known);
    assert.equal(problems.length, 1, JSON.stringify(place('{{X}}')));
    assert.match(problems[0]!, /\$env:LIFEBOAT_ERROR/);
  }
  for (const place of POWERSHELL_ACCEPTED) assert.deepEqual(interpolationProblems(place('{{LIFEBOAT_ERROR}}'), 'powershell', known), [], place('{{X}}'));
});

test('property: PowerShell: in every accepted position the value becomes one single-quoted literal that reads back as exactly its text', () => {
  fc.assert(
    fc.property(hostileShellValue, fc.constantFrom(...POWERSHELL_ACCEPTED), (value, place) => {
      const template = place('{{LIFEBOAT_ERROR}}');
      const [reference] = placements(template, 'powershell');
      assert.equal(reference?.context, 'code');
      const output = interpolate(template, { LIFEBOAT_ERROR: value }, 'powershell');
      const literal = readPowerShellLiteral(output, reference.start);
      assert.equal(literal.value, value);
      assert.equal(output.slice(literal.end), template.slice(reference.end), 'the script goes on exactly where the reference ended');
    }),
    { numRuns: 500 },
  );
});
