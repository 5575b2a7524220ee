/** Texts shorter than this are searched for each secret whole: choosing a character would cost more. */
export const LOOKOUT_FROM = 1024;
/** After a lookout character proved common, how many long texts are searched for the secret whole before another is chosen. */
const WHOLE_TEXTS = 16;

/** How one secret is looked for. */
interface Lookout {
  secret: string;
  /** Where in the secret the character looked for is, or -1 while the secret is searched for whole. */
  at: number;
  char: string;
  /** Long texts left to search for the whole secret before a character is chosen (again). */
  wholeFor: number;
}

/**
 * Tells whether any of a set of secrets occurs in a text, cheaply when none does.
 *
 * A search for a whole secret still looks at a good part of the text; a search for one character
 * runs at the speed of memory. So each secret is looked for by one of its characters, the one
 * rarest in the output seen (chosen from the first long text), and only where that character is
 * does the secret get compared. Every occurrence of the secret holds its character at the same
 * place, so none is missed. When the character turns out common in the output (more than one
 * place in 128 to compare), the rest of that text is searched for the whole secret, and so are the
 * next few long texts, before a rarer character is chosen from the output of then.
 */
export class SecretSearch {
  private readonly lookouts: Lookout[];

  constructor(secrets: Iterable<string>) {
    this.lookouts = [...secrets].map((secret) => ({ secret, at: -1, char: '', wholeFor: 0 }));
  }

  /** Whether any of the secrets occurs in `text`. */
  anyIn(text: string): boolean {
    if (text.length < LOOKOUT_FROM) return this.lookouts.some(({ secret }) => text.includes(secret));
    for (const lookout of this.lookouts) if (seenIn(lookout, text)) return true;
    return false;
  }
}

/** The most places a text of this length may have to compare before its character counts as common. */
function mostPlaces(text: string): number {
  return 8 + (text.length >> 7);
}

function seenIn(lookout: Lookout, text: string): boolean {
  const { secret } = lookout;
  if (lookout.at === -1) {
    if (lookout.wholeFor > 0) {
      lookout.wholeFor -= 1;
      return text.includes(secret);
    }
    choose(lookout, text);
    if (lookout.at === -1) return text.includes(secret);
  }
  const { at, char } = lookout;
  const most = mostPlaces(text);
  let places = 0;
  for (let place = text.indexOf(char, at); place !== -1; place = text.indexOf(char, place + 1)) {
    if (text.startsWith(secret, place - at)) return true;
    places += 1;
    if (places > most) {
      // Common here: every occurrence starting before this place was ruled out, the rest is searched whole.
      lookout.at = -1;
      lookout.wholeFor = WHOLE_TEXTS;
      return text.includes(secret, place - at + 1);
    }
  }
  return false;
}

/** Chooses the character of the secret that `text` holds least often, if any is rare enough there. */
function choose(lookout: Lookout, text: string): void {
  const { secret } = lookout;
  let best = -1;
  // Counting a character stops once it is no rarer than the best so far.
  let bestCount = mostPlaces(text) + 1;
  for (let index = 0; index < secret.length && bestCount > 0; index += 1) {
    const char = secret[index]!;
    if (secret.indexOf(char) !== index) continue; // counted already
    let count = 0;
    for (let place = text.indexOf(char); place !== -1 && count < bestCount; place = text.indexOf(char, place + 1)) count += 1;
    if (count < bestCount) {
      best = index;
      bestCount = count;
    }
  }
  lookout.at = best;
  lookout.char = best === -1 ? '' : secret[best]!;
  if (best === -1) lookout.wholeFor = WHOLE_TEXTS;
}
