/**
 * Text PostgreSQL can store. `text` columns refuse NUL (U+0000), and `json`/`jsonb` columns (outbox,
 * audit snapshots, conversations) refuse a lone UTF-16 surrogate, which JSON.parse happily produces from
 * "\ud800". Both are checked once at the edge, so they become a 400 instead of a database error.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATES = /\p{Surrogate}/gu;

export const STORABLE_TEXT_MESSAGES = {
  nul: 'must not contain NUL characters (\\u0000)',
  surrogate: 'must be well-formed Unicode (it contains a lone UTF-16 surrogate such as \\ud800)',
} as const;

/** Why PostgreSQL would refuse this text, or null if it can store it. */
function unstorableTextReason(text: string): string | null {
  if (text.includes('\u0000')) return STORABLE_TEXT_MESSAGES.nul;
  if (LONE_SURROGATE.test(text)) return STORABLE_TEXT_MESSAGES.surrogate;
  return null;
}

export const isStorableText = (text: string): boolean => unstorableTextReason(text) === null;

interface UnstorableText {
  /** Where the string is, as object keys and array indexes from the root of the input. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** An array or object still to look into, and how it was reached (for the path, built only if needed). */
interface Visit {
  readonly value: object;
  readonly key?: string | number;
  readonly parent?: Visit;
}

const pathOf = (visit: Visit | undefined, last?: string | number): (string | number)[] => {
  const path: (string | number)[] = last === undefined ? [] : [last];
  for (let at = visit; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
};

/**
 * The first string anywhere in a decoded input (values and object keys) that PostgreSQL could not store.
 * Iterative and allocation-light (strings are checked in place, only arrays and objects are queued):
 * linear in the input's size, cheaper than the JSON.parse that produced it, however deeply it nests.
 */
export function findUnstorableText(input: unknown): UnstorableText | null {
  if (typeof input === 'string') {
    const message = unstorableTextReason(input);
    return message ? { path: [], message } : null;
  }
  if (input === null || typeof input !== 'object') return null;
  const pending: Visit[] = [{ value: input }];
  const look = (parent: Visit, key: string | number, item: unknown): UnstorableText | null => {
    if (typeof item === 'string') {
      const message = unstorableTextReason(item);
      return message ? { path: pathOf(parent, key), message } : null;
    }
    if (item !== null && typeof item === 'object') pending.push({ value: item, key, parent });
    return null;
  };
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    let found: UnstorableText | null = null;
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0 && !found; index--)
        found = look(visit, index, value[index]);
    } else {
      const keys = Object.keys(value);
      for (let index = keys.length - 1; index >= 0 && !found; index--) {
        const key = keys[index];
        const message = unstorableTextReason(key);
        // The key itself stays out of the path: it holds the character that cannot be shown.
        if (message) return { path: pathOf(visit), message: `a field name ${message}` };
        found = look(visit, key, (value as Record<string, unknown>)[key]);
      }
    }
    if (found) return found;
  }
  return null;
}

/**
 * For text the app must keep although it did not choose it (a language model's answer or tool-call
 * arguments): each NUL or lone surrogate becomes U+FFFD, the replacement character.
 */
export const toStorableText = (text: string): string =>
  text.replaceAll('\u0000', '\ufffd').replace(LONE_SURROGATES, '\ufffd');

/** JSON for a `json`/`jsonb` column, with every string and object key made storable. */
export function toStorableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'string') return toStorableText(item);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item).map(([key, entry]) => [toStorableText(key), entry]));
  });
}
