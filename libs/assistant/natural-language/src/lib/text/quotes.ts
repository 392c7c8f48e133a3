/**
 * Text in quotes is never parsed (`Add "Meet at 5" as a task`): each quoted part is replaced by one
 * private-use character before any grammar runs, and put back only in the title or reference.
 * A single quote opens only after a space or the start, and closes only before a space, punctuation or
 * the end, so apostrophes ("what's", "mom's car") are not quotes.
 */
const QUOTED = /"([^"]+)"|“([^”]+)”|‘([^’]+)’|(?<=^|[\s(])'(.+?)'(?=$|[\s,.;:!?)])/g;

const FIRST_MARK = 0xe000;
const MARK = /[\ue000-\ue0ff]/g;
const ANY_MARK = /[\ue000-\ue0ff]/;
const ONLY_MARK = /^[\ue000-\ue0ff]$/;
const MAX_QUOTES = 256;

interface MaskedText {
  /** The text with each quoted part replaced by a mark. */
  readonly text: string;
  /** The quoted parts, without their quotes, by mark. */
  readonly quotes: readonly string[];
}

export function maskQuotes(text: string): MaskedText {
  const quotes: string[] = [];
  const masked = text.replace(QUOTED, (whole, ...groups: (string | undefined)[]) => {
    if (quotes.length === MAX_QUOTES) return whole;
    quotes.push(groups.slice(0, 4).find((group) => group !== undefined) ?? '');
    return String.fromCharCode(FIRST_MARK + quotes.length - 1);
  });
  return { text: masked, quotes };
}

/**
 * Puts the quoted parts back: a phrase that is only a quote loses its quotes (`"Meet at 5"` → Meet at 5);
 * a quote inside a longer phrase keeps them (Read "The 5th Wave").
 */
export function unmaskQuotes(phrase: string, quotes: readonly string[]): string {
  const quote = (mark: string) => quotes[mark.charCodeAt(0) - FIRST_MARK] ?? '';
  if (ONLY_MARK.test(phrase)) return quote(phrase);
  return phrase.replace(MARK, (mark) => `"${quote(mark)}"`);
}

/** Whether a phrase contains a quote. */
export function hasQuote(phrase: string): boolean {
  return ANY_MARK.test(phrase);
}

/** Whether a phrase starts with a quote (its first letter is then the user's, not ours to capitalise). */
export function startsWithQuote(phrase: string): boolean {
  return ONLY_MARK.test(phrase.charAt(0));
}
