import { access, constants, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HookEvent } from '../config/schema.ts';
import type { Hook } from '../config/types.ts';
import { UserError } from '../util/errors.ts';
import { interpolationProblems } from './placement.ts';
import { interpolate, type ShellKind, shellOf } from './shell-quote.ts';

export interface PreparedCommand {
  file: string;
  args: string[];
}

/** The interpreter of a `#!` line, as the kernel reads it: a path and at most one argument. */
export function parseShebang(text: string): { interpreter: string; argument?: string | undefined } | undefined {
  const first = text.split('\n', 1)[0] ?? '';
  if (!first.startsWith('#!')) return undefined;
  const [interpreter, ...rest] = first.slice(2).trim().split(/\s+/);
  if (!interpreter) return undefined;
  return { interpreter, argument: rest.length ? rest.join(' ') : undefined };
}

/** The shell that will read an inline script, for quoting `{{…}}`; undefined for other languages. */
export function inlineShell(text: string): ShellKind | undefined {
  const shebang = parseShebang(text);
  if (!shebang) return process.platform === 'win32' ? 'powershell' : 'posix';
  const name = shebang.interpreter.endsWith('/env') ? (shebang.argument?.split(/\s+/).find((word) => !word.startsWith('-')) ?? '') : shebang.interpreter;
  return shellOf(name);
}

/** The shell that runs a `command` line on this platform. */
export function commandShell(): ShellKind {
  return process.platform === 'win32' ? 'powershell' : 'posix';
}

/**
 * `{{…}}` replaced, quoted for the shell; a reference that cannot be made safe where it sits is
 * refused, never guessed at (validation refuses it first: this guards unsaved and old configs).
 */
export function interpolateSafely(text: string, values: Record<string, string | undefined>, shell: ShellKind): string {
  const [problem] = interpolationProblems(text, shell, new Set(Object.keys(values)));
  if (problem) throw new UserError(problem, { kind: 'invalid' });
  return interpolate(text, values, shell);
}

/**
 * Turns a hook's script into a command to spawn. Inline text goes into a private 0700 file in
 * the run's working directory; its `#!` line is honoured, otherwise `/bin/sh -e` runs it.
 */
export async function prepareHookCommand(
  hook: Hook,
  event: HookEvent,
  values: Record<string, string | undefined>,
  workingDir: string,
): Promise<PreparedCommand> {
  const script = hook.script;
  if (!script) throw new Error(`hook ${hook.id} has no script`);
  if ('inline' in script) {
    const shell = inlineShell(script.inline);
    const text = shell ? interpolateSafely(script.inline, values, shell) : script.inline;
    const folder = join(workingDir, 'hooks');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const extension = process.platform === 'win32' && !parseShebang(text) ? '.ps1' : '';
    const file = join(folder, `${hook.id}.${event}${extension}`);
    await writeFile(file, text, { mode: 0o700 });
    const shebang = parseShebang(text);
    if (shebang) return { file: shebang.interpreter, args: [...(shebang.argument ? [shebang.argument] : []), file] };
    if (process.platform === 'win32') return { file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', file] };
    return { file: '/bin/sh', args: ['-e', file] };
  }
  if ('command' in script) {
    const text = interpolateSafely(script.command, values, commandShell());
    if (process.platform === 'win32') return { file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', text] };
    return { file: '/bin/sh', args: ['-c', text] };
  }
  await checkScriptFile(script.path);
  return { file: script.path, args: script.args };
}

/** A `path` script must exist, be executable and (POSIX) start with `#!`. */
export async function checkScriptFile(path: string): Promise<void> {
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      head = Buffer.alloc(2);
      await handle.read(head, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`The hook script ${path} does not exist. Check the hook's "path", or create the script.`, { kind: 'invalid' });
    if (code === 'EISDIR') throw new UserError(`The hook script ${path} is a folder. Point "path" at the script file inside it.`, { kind: 'invalid' });
    throw new UserError(`The hook script ${path} cannot be read (${code}). Check its permissions.`, { kind: 'invalid' });
  }
  if (process.platform === 'win32') return;
  try {
    await access(path, constants.X_OK);
  } catch {
    throw new UserError(`The hook script ${path} is not executable. Make it so with: chmod +x ${path}`, { kind: 'invalid' });
  }
  if (head.toString('latin1') !== '#!') {
    throw new UserError(`The hook script ${path} does not start with "#!". Add a first line naming its interpreter, such as #!/bin/sh`, { kind: 'invalid' });
  }
}
