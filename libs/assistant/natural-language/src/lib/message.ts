import type { ConversationFocus } from './focus';
import { maskQuotes } from './text/quotes';
import { fixTypos } from './text/typos';
import type { Clock } from './when/clock';

/** A message ready for the intents: quotes masked, typos fixed, politeness and wrapping removed. */
export interface Message {
  readonly text: string;
  /** The quoted parts, by mark (see quotes.ts). */
  readonly quotes: readonly string[];
  readonly clock: Clock;
  readonly focus?: ConversationFocus;
}

/** "Can you add…?" asks for an action: the question mark goes with the "can you". */
const REQUEST = /^\s*(?:(?:can|could|would|will)\s+you\s+)(?:please\s+)?([^?]*)\?*\s*$/i;
const POLITE_START =
  /^\s*(?:(?:please|pls|plz|hey|ok|okay|so|um+|uh+|actually|oh|oops|sorry|wait|and|also|then)\b[\s,!.]*)+(?=\S)/i;
const POLITE_END = /[\s,]*\b(?:please|pls|plz|thanks|thank you|thx|ty|instead)\s*[.!]*\s*$/i;

export function readMessage(raw: string, clock: Clock, focus?: ConversationFocus): Message {
  const { text, quotes } = maskQuotes(raw.trim());
  const unwrapped = text.replace(REQUEST, '$1').replace(POLITE_START, '').replace(POLITE_END, '');
  return { text: fixTypos(unwrapped).trim(), quotes, clock, focus };
}
