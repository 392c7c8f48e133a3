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
export function unstorableTextReason(text: string): string | null {
  if (text.includes('\u0000')) return STORABLE_TEXT_MESSAGES.nul;
  if (LONE_SURROGATE.test(text)) return STORABLE_TEXT_MESSAGES.surrogate;
  return null;
}

export const isStorableText = (text: string): boolean => unstorableTextReason(text) === null;

export interface UnstorableText {
  /** Where the string is, as object keys and array indexes from the root of the input. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

interface Visit {
  readonly value: unknown;
  readonly key?: string | number;
  readonly parent?: Visit;
}

const pathOf = (visit: Visit): (string | number)[] => {
  const path: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
};

/**
 * The first string anywhere in a decoded input (values and object keys) that PostgreSQL could not store.
 * Iterative, with paths built only for the culprit: linear in the input's size however deeply a
 * hostile body nests.
 */
export function findUnstorableText(input: unknown): UnstorableText | null {
  const pending: Visit[] = [{ value: input }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      const message = unstorableTextReason(value);
      if (message) return { path: pathOf(visit), message };
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--)
        pending.push({ value: value[index], key: index, parent: visit });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index];
        const message = unstorableTextReason(key);
        // The key itself is not repeated in the path: it holds the character that cannot be shown.
        if (message) return { path: pathOf(visit), message: `a field name ${message}` };
        pending.push({ value: item, key, parent: visit });
      }
    }
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
