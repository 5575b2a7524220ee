/**
 * A value quoted back in a sentence, cut after `max` characters: a pasted page of text is named by
 * its start, never sent back whole.
 */
export function quoteStart(text: string, max = 40): string {
  return `${JSON.stringify(text.slice(0, max))}${text.length > max ? '…' : ''}`;
}
