import { UserError } from '../util/errors.ts';
import { REFERENCE } from './placement.ts';

/** The shells Lifeboat knows how to quote for. */
export type ShellKind = 'posix' | 'powershell';

const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'busybox']);
const POWERSHELLS = new Set(['pwsh', 'powershell', 'pwsh.exe', 'powershell.exe']);

/** Which shell an interpreter name belongs to; undefined for anything else (python, node…). */
export function shellOf(interpreter: string): ShellKind | undefined {
  const name = interpreter.split(/[\\/]/).pop() ?? interpreter;
  if (POSIX_SHELLS.has(name)) return 'posix';
  if (POWERSHELLS.has(name.toLowerCase())) return 'powershell';
  return undefined;
}

/** A value as one literal word of the given shell: nothing in it is ever interpreted. */
export function quoteFor(shell: ShellKind, value: string): string {
  if (shell === 'powershell') {
    // In single quotes PowerShell treats the curly single quotes as quotes too; double them all.
    return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (quote) => quote + quote)}'`;
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Replaces `{{NAME}}` with the value, already quoted for the shell; `\{{` stays a literal
 * `{{`. A name without an entry in `values` is refused (validation says so first); one whose
 * value is undefined becomes an empty quoted word.
 */
export function interpolate(text: string, values: Record<string, string | undefined>, shell: ShellKind): string {
  return text.replace(REFERENCE, (match, backslash: string, name: string) => {
    if (backslash === '\\') return match.slice(1);
    if (!Object.hasOwn(values, name)) throw new UserError(`{{${name}}} is not a variable Lifeboat knows; write \\{{ for a literal "{{"`, { kind: 'invalid' });
    return quoteFor(shell, values[name] ?? '');
  });
}
