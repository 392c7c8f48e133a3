import type { TaskReference } from '@todo/assistant-contract';
import type { Actor } from '@todo/auth';
import { ValidationError } from '@todo/errors';
import { type Task, TaskService } from '@todo/tasks';
import Fuse from 'fuse.js';

/** Raised when words match several tasks equally well: the user is asked, nothing is changed. */
export class AmbiguousReference extends Error {
  constructor(
    readonly words: string,
    readonly candidates: readonly Task[],
  ) {
    super(
      `Which task do you mean by "${words}": ${candidates.map((task) => `#${task.number} ${task.title}`).join(', ')}? ` +
        'Say its number.',
    );
  }
}

/** Raised when nothing matches; the reply says so plainly. */
export class UnknownReference extends Error {}

const MATCHES_SHOWN = 5;
/** Fuse scores run from 0 (exact) to 1; above this a title is not a match at all. */
const MATCH_THRESHOLD = 0.45;
/** A best match wins outright when the runner-up scores this much worse. */
const CLEAR_LEAD = 0.15;
/** How many recent tasks the fuzzy match looks through (besides keyword hits). */
const RECENT_CANDIDATES = 200;

/**
 * Resolves "task 3" or "the dentist appointment" to one of the caller's own tasks. Titles match
 * fuzzily ("buying groceries" finds "Buy groceries"), open tasks first.
 */
export async function resolveTaskReference(
  tasks: TaskService,
  actor: Actor,
  reference: TaskReference,
  scope: 'pending' | 'all',
): Promise<Task> {
  if ('number' in reference) return tasks.get(actor, { number: reference.number });
  const words = reference.title.replace(/^#/, '');
  const candidates = await candidatesFor(tasks, actor, words, scope);
  const exact = candidates.filter((task) => task.title.toLowerCase() === words.toLowerCase());
  if (exact.length === 1) return exact[0];
  const ranked = new Fuse(exact.length > 1 ? exact : candidates, {
    keys: ['title'],
    includeScore: true,
    ignoreLocation: true,
    threshold: MATCH_THRESHOLD,
  }).search(words);
  if (!ranked.length) {
    const where = scope === 'pending' ? 'open tasks' : 'tasks';
    throw new UnknownReference(`None of your ${where} matches "${words}".`);
  }
  const [best, second] = ranked;
  if (!second || (second.score ?? 0) - (best.score ?? 0) >= CLEAR_LEAD) return best.item;
  throw new AmbiguousReference(
    words,
    ranked.slice(0, MATCHES_SHOWN).map((match) => match.item),
  );
}

/** Keyword hits (any stored size) plus the most recently changed tasks, without duplicates. */
async function candidatesFor(
  tasks: TaskService,
  actor: Actor,
  words: string,
  scope: 'pending' | 'all',
): Promise<Task[]> {
  const base = { status: scope, tag_match: 'all', limit: 100 } as const;
  const [hits, recent] = await Promise.all([
    // Words without letters or digits are no keyword query; the fuzzy match still looks at them.
    tasks.list(actor, { ...base, q: words, sort: 'relevance' }).catch((error) => {
      if (error instanceof ValidationError) return { items: [] as Task[] };
      throw error;
    }),
    tasks.list(actor, { ...base, sort: 'updated', order: 'desc', limit: RECENT_CANDIDATES }),
  ]);
  const byId = new Map([...hits.items, ...recent.items].map((task) => [task.id, task]));
  return [...byId.values()];
}
