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
    const credentials = /^[a-z0-9+.-]*:?[a-z]*:\/\/([^/@\s]*)@/i.exec(url);
    if (credentials?.[1]) {
      const [, password] = credentials[1].split(':', 2);
      this.add(password ? decodeSafely(password) : undefined);
      this.add(password);
    }
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

/** A repository URL with any user:password part removed, safe to show and to hand to hooks. */
export function urlWithoutCredentials(url: string): string {
  return url.replace(/^([a-z0-9+.-]*:?[a-z]*:\/\/)[^/@\s]*@/i, '$1');
}
