/**
 * Stands in for text a grammar has taken. Not a word character and not whitespace, so later patterns
 * neither match it nor join phrases across it ("tomorrow ␟ at 5pm" stays two phrases).
 */
export const TAKEN = '\u001f';

/** Words that glue a taken phrase to the title ("buy milk *by* Friday", "at 5pm *to* call mom"). */
const GLUE_BEFORE_TAKEN = /(?:[\s,;:–—-]|(?<![\w'’-])(?:and|at|by|due|for|from|in|on|starting|with)\b)+$/i;
const GLUE_AFTER_TAKEN = /^(?:[\s,;:–—-]|\b(?:and|then|to)\b)+/i;
const EDGE_PUNCTUATION = /^[\s,;:.!?–—-]+|[\s,;:.!?–—-]+$/g;

/**
 * A message being read: each grammar takes its phrases out (dates, tags, priorities, command words…);
 * what nobody takes is the title or the task reference. Positions never move, so a match on `view`
 * is a match on `text`.
 */
export class Utterance {
  private cachedView: string;

  constructor(readonly text: string) {
    this.cachedView = text;
  }

  /** The text with every taken character replaced by TAKEN. */
  get view(): string {
    return this.cachedView;
  }

  /** Takes UTF-16 positions [start, end), as regular expressions report them. */
  take(start: number, end: number): void {
    const from = Math.max(0, start);
    const to = Math.min(end, this.text.length);
    if (from >= to) return;
    this.cachedView = this.cachedView.slice(0, from) + TAKEN.repeat(to - from) + this.cachedView.slice(to);
  }

  /** Takes the first match of a (non-global) pattern on the view. */
  takeMatch(pattern: RegExp): RegExpExecArray | undefined {
    const match = pattern.exec(this.view);
    if (!match) return undefined;
    this.take(match.index, match.index + match[0].length);
    return match;
  }

  /** Takes every match of a (non-global) pattern, in order. */
  takeEvery(pattern: RegExp): RegExpExecArray[] {
    const matches: RegExpExecArray[] = [];
    for (let match = this.takeMatch(pattern); match; match = this.takeMatch(pattern)) matches.push(match);
    return matches;
  }

  /** What nobody took: the fragments between taken phrases, without the words that glued them. */
  rest(): string {
    return this.view
      .split(TAKEN)
      .map((fragment, index, fragments) => {
        let words = fragment;
        if (index < fragments.length - 1) words = words.replace(GLUE_BEFORE_TAKEN, '');
        if (index > 0) words = words.replace(GLUE_AFTER_TAKEN, '');
        return words.replace(EDGE_PUNCTUATION, '');
      })
      .filter((fragment) => fragment.length > 0)
      .join(' ')
      .replace(/\s+/g, ' ');
  }
}
