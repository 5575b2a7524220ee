import { randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a one-time sign-in code may wait to be used. */
export const CODE_TTL_MS = 60_000;
const MAX_CODES = 20;
const MAX_SESSIONS = 50;

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Browser sign-in without the token in any URL a process sees: whoever holds the token mints a
 * single-use code valid for a minute; the browser trades the code for a session id kept in an
 * HttpOnly cookie. Codes and sessions live in memory, so a restart signs every browser out.
 */
export class Sessions {
  private readonly codes = new Map<string, number>();
  private readonly sessions = new Set<string>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  mintCode(): string {
    this.dropExpiredCodes();
    // Never an unbounded pile: the oldest unused code goes first.
    while (this.codes.size >= MAX_CODES) this.codes.delete(this.codes.keys().next().value!);
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, this.now() + CODE_TTL_MS);
    return code;
  }

  /** A new session id for a valid, unused, unexpired code; the code is spent either way. */
  redeem(code: string): string | undefined {
    this.dropExpiredCodes();
    const match = [...this.codes.keys()].find((candidate) => sameSecret(candidate, code));
    if (match === undefined) return undefined;
    this.codes.delete(match);
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.values().next().value!);
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return session;
  }

  isSession(id: string | undefined): boolean {
    if (!id) return false;
    return [...this.sessions].some((session) => sameSecret(session, id));
  }

  private dropExpiredCodes(): void {
    const now = this.now();
    for (const [code, expires] of this.codes) if (expires <= now) this.codes.delete(code);
  }
}
