import { SecretSearch } from './secret-search.ts';

/** Replaces every known secret in a text before it is stored, printed or sent. */
export class Redactor {
  private readonly secrets = new Set<string>();
  /** The secrets longest first, made when the first text is redacted after a change. */
  private ordered: string[] | undefined;
  /** Tells whether any secret occurs in a text or in bytes, made when the first is looked at after a change. */
  private search: SecretSearch | undefined;

  add(secret: string | undefined | null): this {
    // Very short values would redact ordinary words; they are not worth protecting this way.
    if (secret && secret.length >= 4 && !this.secrets.has(secret)) {
      this.secrets.add(secret);
      this.ordered = undefined;
      this.search = undefined;
    }
    return this;
  }

  /** Adds a URL and the password part of it, if any. */
  addUrl(url: string): this {
    const password = urlCredentials(url)?.password;
    this.add(password ? decodeSafely(password) : undefined);
    this.add(password);
    return this;
  }

  merge(other: Redactor): this {
    for (const secret of other.secrets) this.add(secret);
    return this;
  }

  /**
   * Every stretch of the text covered by an occurrence of a secret becomes one `[redacted]`:
   * occurrences that overlap (a secret within another, two secrets sharing characters, a secret
   * overlapping itself) are replaced together, so no part of any of them is left. A text in which
   * no secret occurs is returned as it is, after a search for each secret by a character of it
   * rare in the output (see SecretSearch), and no copy.
   */
  redact(text: string): string {
    if (this.secrets.size === 0) return text;
    this.search ??= new SecretSearch(this.secrets);
    if (!this.search.anyIn(text)) return text;
    this.ordered ??= [...this.secrets].sort((a, b) => b.length - a.length);
    let found: Array<[number, number]> | undefined;
    for (const secret of this.ordered) {
      for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
        found ??= [];
        found.push([at, at + secret.length]);
      }
    }
    if (!found) return text;
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let result = '';
    let kept = 0;
    let index = 0;
    while (index < found.length) {
      const [start] = found[index]!;
      let end = found[index]![1];
      index += 1;
      // Occurrences that start inside this stretch belong to it; one that starts where it ends does not.
      while (index < found.length && found[index]![0] < end) {
        end = Math.max(end, found[index]![1]);
        index += 1;
      }
      result += `${text.slice(kept, start)}[redacted]`;
      kept = end;
    }
    return result + text.slice(kept);
  }

  /**
   * Whether any secret occurs in these bytes, read as UTF-8 (valid UTF-8: then exactly when
   * `redact` would change their text), without decoding them.
   */
  foundIn(bytes: Buffer): boolean {
    if (this.secrets.size === 0) return false;
    this.search ??= new SecretSearch(this.secrets);
    return this.search.anyInBytes(bytes);
  }
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // not percent-encoded: the raw value is the secret
  }
}

// The user:password part of a backend URL (sftp://u:p@h, rest:https://u:p@h/, s3:https://k:s@h): the one pattern for it.
// It ends at the last @ before the path, so a password with an @ in it (u:p@ss@h) is taken whole.
const URL_CREDENTIALS = /^([a-z0-9+.-]*:?[a-z]*:\/\/)([^/\s]*)@/i;

/** The parts of a URL around its credentials, or undefined when it has none; `password` is undefined without a ":". */
export function urlCredentials(url: string): { scheme: string; user: string; password: string | undefined; rest: string } | undefined {
  const match = URL_CREDENTIALS.exec(url);
  if (!match) return undefined;
  const userinfo = match[2]!;
  const colon = userinfo.indexOf(':');
  return {
    scheme: match[1]!,
    user: colon === -1 ? userinfo : userinfo.slice(0, colon),
    password: colon === -1 ? undefined : userinfo.slice(colon + 1),
    rest: url.slice(match[0].length),
  };
}

/** A repository URL with any user:password part removed, safe to show and to hand to hooks. */
export function urlWithoutCredentials(url: string): string {
  return url.replace(URL_CREDENTIALS, '$1');
}
