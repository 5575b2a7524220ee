/** Replaces every known secret in a text before it is stored, printed or sent. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined | null): this {
    // Very short values would redact ordinary words; they are not worth protecting this way.
    if (secret && secret.length >= 4) this.secrets.add(secret);
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
    for (const secret of other.secrets) this.secrets.add(secret);
    return this;
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join('[redacted]');
    }
    return result;
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
const URL_CREDENTIALS = /^([a-z0-9+.-]*:?[a-z]*:\/\/)([^/@\s]*)@/i;

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
