/** Texts (or bytes) shorter than this are searched for each secret whole: choosing a character would cost more. */
export const LOOKOUT_FROM = 1024;
/** After a lookout character proved common, how many long texts are searched for the secret whole before another is chosen. */
const WHOLE_TEXTS = 16;

/** How a text (a string, or bytes) is searched: by characters (or bytes), for secrets in the same form. */
interface Form<T extends string | Buffer, U extends string | number> {
  unitAt(secret: T, index: number): U;
  find(text: T, unit: U, from: number): number;
  /** Whether `secret` occurs in `text` at `at` (which is never below 0). */
  holdsAt(text: T, secret: T, at: number): boolean;
  holdsFrom(text: T, secret: T, from: number): boolean;
}

const TEXT: Form<string, string> = {
  unitAt: (secret, index) => secret[index]!,
  find: (text, unit, from) => text.indexOf(unit, from),
  holdsAt: (text, secret, at) => text.startsWith(secret, at),
  holdsFrom: (text, secret, from) => text.includes(secret, from),
};

const BYTES: Form<Buffer, number> = {
  unitAt: (secret, index) => secret[index]!,
  find: (text, unit, from) => text.indexOf(unit, from),
  holdsAt: (text, secret, at) => at + secret.length <= text.length && text.compare(secret, 0, secret.length, at, at + secret.length) === 0,
  holdsFrom: (text, secret, from) => text.includes(secret, from),
};

/** How one secret is looked for. */
interface Lookout<T, U> {
  secret: T;
  /** Where in the secret the unit looked for is, or -1 while the secret is searched for whole. */
  at: number;
  unit: U | undefined;
  /** Long texts left to search for the whole secret before a unit is chosen (again). */
  wholeFor: number;
}

/**
 * Tells whether any of a set of secrets occurs in a text (or in bytes), cheaply when none does.
 *
 * A search for a whole secret still looks at a good part of the text; a search for one character
 * runs at the speed of memory. So each secret is looked for by one of its characters, the one
 * rarest in the output seen (chosen from the first long text), and only where that character is
 * does the secret get compared. Every occurrence of the secret holds its character at the same
 * place, so none is missed. When the character turns out common in the output (more than one
 * place in 128 to compare), the rest of that text is searched for the whole secret, and so are the
 * next few long texts, before a rarer character is chosen from the output of then. Bytes are
 * searched the same way, byte by byte, for the secrets' UTF-8.
 */
export class SecretSearch {
  private readonly inText: Array<Lookout<string, string>>;
  private inBytes: Array<Lookout<Buffer, number>> | undefined;

  constructor(secrets: Iterable<string>) {
    this.inText = [...secrets].map((secret) => ({ secret, at: -1, unit: undefined, wholeFor: 0 }));
  }

  /** Whether any of the secrets occurs in `text`. */
  anyIn(text: string): boolean {
    return anyIn(TEXT, this.inText, text);
  }

  /** Whether any of the secrets' UTF-8 occurs in `bytes`. */
  anyInBytes(bytes: Buffer): boolean {
    this.inBytes ??= this.inText.map(({ secret }) => ({ secret: Buffer.from(secret), at: -1, unit: undefined, wholeFor: 0 }));
    return anyIn(BYTES, this.inBytes, bytes);
  }
}

function anyIn<T extends string | Buffer, U extends string | number>(form: Form<T, U>, lookouts: Array<Lookout<T, U>>, text: T): boolean {
  if (text.length < LOOKOUT_FROM) return lookouts.some(({ secret }) => form.holdsFrom(text, secret, 0));
  for (const lookout of lookouts) if (seenIn(form, lookout, text)) return true;
  return false;
}

/** The most places a text of this length may have to compare before its character counts as common. */
function mostPlaces(length: number): number {
  return 8 + (length >> 7);
}

function seenIn<T extends string | Buffer, U extends string | number>(form: Form<T, U>, lookout: Lookout<T, U>, text: T): boolean {
  const { secret } = lookout;
  if (lookout.at === -1) {
    if (lookout.wholeFor > 0) {
      lookout.wholeFor -= 1;
      return form.holdsFrom(text, secret, 0);
    }
    choose(form, lookout, text);
    if (lookout.at === -1) return form.holdsFrom(text, secret, 0);
  }
  const { at } = lookout;
  const unit = lookout.unit!;
  const most = mostPlaces(text.length);
  let places = 0;
  for (let place = form.find(text, unit, at); place !== -1; place = form.find(text, unit, place + 1)) {
    if (form.holdsAt(text, secret, place - at)) return true;
    places += 1;
    if (places > most) {
      // Common here: every occurrence starting before this place was ruled out, the rest is searched whole.
      lookout.at = -1;
      lookout.wholeFor = WHOLE_TEXTS;
      return form.holdsFrom(text, secret, place - at + 1);
    }
  }
  return false;
}

/** Chooses the character of the secret that `text` holds least often, if any is rare enough there. */
function choose<T extends string | Buffer, U extends string | number>(form: Form<T, U>, lookout: Lookout<T, U>, text: T): void {
  const { secret } = lookout;
  const seen = new Set<U>();
  let best = -1;
  // Counting a character stops once it is no rarer than the best so far.
  let bestCount = mostPlaces(text.length) + 1;
  for (let index = 0; index < secret.length && bestCount > 0; index += 1) {
    const unit = form.unitAt(secret, index);
    if (seen.has(unit)) continue;
    seen.add(unit);
    let count = 0;
    for (let place = form.find(text, unit, 0); place !== -1 && count < bestCount; place = form.find(text, unit, place + 1)) count += 1;
    if (count < bestCount) {
      best = index;
      bestCount = count;
    }
  }
  lookout.at = best;
  lookout.unit = best === -1 ? undefined : form.unitAt(secret, best);
  if (best === -1) lookout.wholeFor = WHOLE_TEXTS;
}
