/**
 * Several tasks in one message: "add milk, eggs and bread to groceries". A comma list is one task per
 * item when the message says where they go (a list or a tag); a leading verb that the other items lack
 * makes it one title ("call mom, dad and grandma"). Without a destination, a list of plain items is
 * asked about; one whose first item is the longest is a title ("pack shoes, socks and a hat").
 */
type ItemsReading =
  | { readonly kind: 'items'; readonly items: string[]; readonly tag?: string }
  | { readonly kind: 'ask'; readonly items: string[] }
  | undefined;

const SEPARATOR = /\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+/i;
/** "… to groceries": a bare destination word, only understood after a comma list. */
const BARE_DESTINATION = /\s+(?:to|on)\s+(?:my\s+|the\s+|our\s+)?(\p{L}[\p{L}\p{N}_-]*)$/iu;
const VERB =
  /^(?:call|email|text|message|phone|ring|buy|get|pick\s+up|invite|ask|tell|visit|pay|thank|meet|see|send|book|order|clean|wash|fix)\b/i;
const MAX_ITEM_WORDS = 4;

/** Words that say what an item is, articles left out ("a hat" is one). */
const wordCount = (text: string) => text.replace(/^(?:an?|the|some)\s+/i, '').split(/\s+/).length;

/** Reads a title that may list several items; `destined` when the message named a list or tags. */
export function readItems(title: string, destined: boolean): ItemsReading {
  if (!title.includes(',')) return undefined;
  const destination = BARE_DESTINATION.exec(title);
  const items = (destination ? title.slice(0, destination.index) : title)
    .split(SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length < 2 || items.some((item) => wordCount(item) > MAX_ITEM_WORDS)) return undefined;
  if (VERB.test(items[0]) && !items.slice(1).some((item) => VERB.test(item))) return undefined;
  if (destined || destination) return { kind: 'items', items, tag: destination?.[1].toLowerCase() };
  const [first, ...others] = items;
  return others.every((item) => wordCount(item) < wordCount(first)) ? undefined : { kind: 'ask', items };
}
