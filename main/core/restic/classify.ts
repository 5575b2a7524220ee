/** Turns restic's exit code and stderr into one of a few kinds, each with a plain sentence. */

import { parseExitError } from './messages.ts';

export type ResticFailureKind =
  | 'wrong-password'
  | 'repository-missing'
  | 'locked'
  | 'network'
  | 'disk-full'
  | 'source-missing'
  | 'password-unavailable'
  | 'append-only'
  | 'snapshot-missing'
  | 'damaged'
  | 'cancelled'
  | 'unknown';

export interface ResticFailure {
  kind: ResticFailureKind;
  /** One line a person can act on. */
  message: string;
  lock?: LockHolder | undefined;
}

export interface LockHolder {
  pid: number;
  host: string;
  user: string;
  exclusive: boolean;
  createdAt?: string | undefined;
}

export interface ClassifyContext {
  /** The repository as it may be shown: credentials removed. */
  repository: string;
  /** Where the password comes from, for the wrong-password sentence. */
  passwordSource: string;
  command: string;
}

/**
 * A server in append-only mode (rest-server or `rclone serve restic --append-only`) answers a
 * delete with 403: restic 0.14 retries it for most of a minute, 0.18 says so and exits 0.
 */
export const DELETE_REFUSED = /^Remove\(<[^>]*>\) (returned error|failed)\b.*\b403\b/;

/** The refusal in words, naming the fix. */
export function appendOnlyFailure(repository: string, command: string): ResticFailure {
  return {
    kind: 'append-only',
    message: `The repository ${repository} refused to delete data during restic ${command}: the server is append-only. Set "appendOnly": true on this repository so Lifeboat never runs forget or prune there (retention is applied by the server's owner).`,
  };
}

const NETWORK =
  /connection refused|no such host|dial tcp|i\/o timeout|network is unreachable|connection reset|tls handshake|client\.timeout|context deadline exceeded|server misbehaving|EOF$|unexpected HTTP response|502 Bad Gateway|503 Service Unavailable/im;

/**
 * restic 0.17 and newer name three failures by exit code as well as by text (with `--json`,
 * the text comes as an `exit_error` JSON line, read here as the plain text it holds).
 */
const EXIT_CODES: Record<number, ResticFailureKind> = { 10: 'repository-missing', 11: 'locked', 12: 'wrong-password' };

export function classifyResticError(exitCode: number | undefined, given: string, context: ClassifyContext): ResticFailure {
  const stderr = given
    .split('\n')
    .map((line) => parseExitError(line)?.text ?? line)
    .join('\n');
  const lastLine = messageLines(stderr).pop() ?? '';
  const byCode = EXIT_CODES[exitCode ?? -1];
  if (byCode === 'wrong-password' || /wrong password or no key found/i.test(stderr)) {
    return {
      kind: 'wrong-password',
      message: `The password for ${context.repository} is wrong (restic found no key that opens it). Check ${context.passwordSource}.`,
    };
  }
  if (byCode === 'locked' || /repository is already locked/i.test(stderr)) {
    const lock = parseLockHolder(stderr);
    const who = lock
      ? ` by ${lock.exclusive ? 'an exclusive' : 'a'} lock of PID ${lock.pid} on ${lock.host}${lock.createdAt ? ` since ${lock.createdAt}` : ''}`
      : '';
    return {
      kind: 'locked',
      lock,
      message: `The repository ${context.repository} is in use${who}. Wait for that restic to finish; if it is gone, run "restic unlock".`,
    };
  }
  if (stderr.split('\n').some((line) => DELETE_REFUSED.test(line))) return appendOnlyFailure(context.repository, context.command);
  if (/no space left on device|disk quota exceeded/i.test(stderr)) {
    return {
      kind: 'disk-full',
      message: `The disk is full while restic ${context.command} ran (${lastLine.replace(/^Fatal:\s*/, '')}). Free some space on the repository's or the cache's disk, then run again.`,
    };
  }
  // restic 0.14 says "target", 0.18 "source".
  if (/all (target|source) directories\/files do not exist/i.test(stderr)) {
    return { kind: 'source-missing', message: "None of the plan's sources exist. Check the plan's sources, or mount the drive they are on." };
  }
  if (/password command|RESTIC_PASSWORD_COMMAND|Resolving password failed|reading password/i.test(stderr) && !/config file/i.test(stderr)) {
    return {
      kind: 'password-unavailable',
      message: `restic could not get the password for ${context.repository} (${lastLine.replace(/^Fatal:\s*/, '')}). Check the repository's password setting.`,
    };
  }
  if (byCode !== 'repository-missing' && NETWORK.test(stderr)) {
    return {
      kind: 'network',
      message: `The repository ${context.repository} cannot be reached (${networkDetail(stderr)}). Check the network connection and that the server is running.`,
    };
  }
  if (byCode === 'repository-missing' || /unable to open config file|Is there a repository at the following location/i.test(stderr)) {
    return {
      kind: 'repository-missing',
      message: `There is no restic repository at ${context.repository}. Check the path or URL, or initialise it with "lifeboat init".`,
    };
  }
  // Two `restic init` at once into one folder leave keys that do not open the data (or it is damaged).
  if (/ciphertext verification failed/i.test(stderr)) {
    return {
      kind: 'damaged',
      message: `The repository ${context.repository} holds data its keys cannot decrypt ("ciphertext verification failed"): it is damaged, or two repositories were made in one place. Run "restic check" on it, and back up elsewhere until it passes.`,
    };
  }
  // An id no snapshot has (0.14 and 0.18 alike), or `latest` with a filter no snapshot matches.
  const prefix = /no matching ID found for prefix "([^"]*)"/.exec(stderr)?.[1];
  if (prefix !== undefined) return { kind: 'snapshot-missing', message: `There is no snapshot ${prefix} in ${context.repository}.` };
  if (/\bno snapshot found\b/i.test(stderr)) {
    return { kind: 'snapshot-missing', message: `restic ${context.command} found no snapshot that matches in ${context.repository}.` };
  }
  const detail = lastLine.replace(/^Fatal:\s*/, '') || 'no message';
  return { kind: 'unknown', message: `restic ${context.command} failed (exit code ${exitCode ?? 'none'}): ${detail}` };
}

/**
 * restic's lines, without the Go stack trace it prints under some errors (a function's name, then
 * its file and line, indented): the message is what a person reads, never `runtime/asm_amd64.s:1594`.
 */
function messageLines(stderr: string): string[] {
  const traceLine = /^\s|^[\w.-]+(\/[\w.-]+)*\.(go|s):\d+$|^(runtime|main|github\.com|golang\.org|gopkg\.in)[\w./-]*\.[\w.*()]+$/;
  return stderr
    .trim()
    .split('\n')
    .filter((line) => line !== '' && !traceLine.test(line));
}

/** The most telling phrase first: "dial tcp" precedes "connection refused" in restic's text. */
const NETWORK_DETAILS = [
  'connection refused',
  'no such host',
  'network is unreachable',
  'connection reset',
  'i/o timeout',
  'tls handshake',
  'context deadline exceeded',
];

function networkDetail(stderr: string): string {
  const lower = stderr.toLowerCase();
  return NETWORK_DETAILS.find((phrase) => lower.includes(phrase)) ?? NETWORK.exec(stderr)?.[0].toLowerCase() ?? 'network error';
}

export function parseLockHolder(stderr: string): LockHolder | undefined {
  const match = /locked (exclusively )?by PID (\d+) on (\S+) by (.+?) \(UID/i.exec(stderr);
  if (!match) return undefined;
  const created = /lock was created at ([^(\n]+?) \(/.exec(stderr);
  return { exclusive: Boolean(match[1]), pid: Number(match[2]), host: match[3] ?? '', user: match[4] ?? '', createdAt: created?.[1] };
}

/** Failures that cannot change by running again. */
export function isPermanentFailure(kind: ResticFailureKind): boolean {
  // An append-only server refuses the same delete every time: a retry would only add snapshots.
  return kind === 'wrong-password' || kind === 'password-unavailable' || kind === 'append-only' || kind === 'damaged';
}
