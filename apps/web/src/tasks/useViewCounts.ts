import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { Task, TaskQuery } from '../api/contract';
import { type HeldVersion, isNewer, placeTask, rememberVersions, type TaskChangeKind } from './task-merge';
import { comparatorOf, matchesQuery, NO_FILTERS, queryOf, type ViewId } from './views';

const COUNTED = ['inbox', 'today', 'upcoming', 'overdue'] as const;
type CountedView = (typeof COUNTED)[number];
/** One page per view is counted; past it the rail says "100+". */
const PAGE = 100;
/** Changes are counted at once; the server's answer (overdue by time, long lists) follows shortly. */
const RECONCILE_AFTER_MS = 1000;

interface CountedList {
  query: TaskQuery;
  items: Task[];
  more: boolean;
}
type CountedLists = Record<CountedView, CountedList>;

export interface ViewCounts extends Partial<Record<ViewId, string>> {
  tags: string[];
}

function countsOf(lists: CountedLists | null): ViewCounts {
  if (!lists) return { tags: [] };
  const counts: ViewCounts = { tags: [...new Set(lists.inbox.items.flatMap((task) => task.tags))].sort() };
  for (const view of COUNTED) counts[view] = `${lists[view].items.length}${lists[view].more ? '+' : ''}`;
  return counts;
}

/**
 * Puts a task state into every counted view it belongs to, and out of the others. `newerThanListed`
 * guards a replay onto fresh server pages: a page that already holds this version or a newer one wins.
 */
function placeEverywhere(
  lists: CountedLists,
  task: Task,
  change: TaskChangeKind,
  zone: string,
  newerThanListed = false,
): CountedLists {
  const next = { ...lists };
  for (const view of COUNTED) {
    const { query, items } = lists[view];
    const listed = items.find((item) => item.id === task.id);
    if (newerThanListed && listed && !isNewer({ version: listed.version, deleted: false }, task, change))
      continue;
    const keep = change !== 'deleted' && matchesQuery(task, query, zone);
    next[view] = { ...lists[view], items: placeTask(items, task, keep, comparatorOf(query)) };
  }
  return next;
}

/**
 * How many open tasks each view of the rail holds, and the tags in use. Every task state the tab
 * learns (its own answers, pages it loads, live messages) is counted at once, by version like the
 * list; the server's counts are fetched again shortly after, and whatever changed while that fetch
 * was on its way is applied on top of its answer.
 */
export function useViewCounts(api: ApiClient, zone: string) {
  const [lists, setLists] = useState<CountedLists | null>(null);
  const listsRef = useRef<CountedLists | null>(null);
  const held = useRef(new Map<string, HeldVersion>());
  /** The latest state of each task learned while the newest fetch is on its way. */
  const learnedDuringFetch = useRef(new Map<string, { task: Task; change: TaskChangeKind }>());
  const generation = useRef(0);
  const reconcileTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const show = (next: CountedLists) => {
    listsRef.current = next;
    setLists(next);
  };

  const refresh = useCallback(async () => {
    clearTimeout(reconcileTimer.current);
    const mine = ++generation.current;
    const learned = new Map<string, { task: Task; change: TaskChangeKind }>();
    learnedDuringFetch.current = learned;
    try {
      const pages = await Promise.all(
        COUNTED.map(async (view) => {
          const query: TaskQuery = { ...queryOf(view, NO_FILTERS, zone), sort: 'due', limit: PAGE };
          return { query, page: await api.listTasks(query) };
        }),
      );
      if (mine !== generation.current) return;
      let next = {} as CountedLists;
      COUNTED.forEach((view, index) => {
        const { query, page } = pages[index];
        rememberVersions(held.current, page.items);
        next[view] = { query, items: page.items, more: page.next_cursor !== null };
      });
      for (const { task, change } of learned.values()) next = placeEverywhere(next, task, change, zone, true);
      show(next);
    } catch {
      // Counts are a convenience; the list itself reports failures.
    }
  }, [api, zone]);

  useEffect(() => {
    void refresh();
    // Time moves tasks between views (today → overdue): count again when the tab is looked at again.
    const onVisible = () => document.visibilityState === 'visible' && void refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      clearTimeout(reconcileTimer.current);
    };
  }, [refresh]);

  const place = useCallback(
    (task: Task, change: TaskChangeKind) => {
      if (!isNewer(held.current.get(task.id), task, change)) return false;
      held.current.set(task.id, { version: task.version, deleted: change === 'deleted' });
      learnedDuringFetch.current.set(task.id, { task, change });
      if (listsRef.current) show(placeEverywhere(listsRef.current, task, change, zone));
      return true;
    },
    [zone],
  );

  /** A task changed (here or elsewhere): counted now, and checked with the server a moment later. */
  const apply = useCallback(
    (task: Task, change: TaskChangeKind) => {
      if (!place(task, change)) return;
      clearTimeout(reconcileTimer.current);
      reconcileTimer.current = setTimeout(() => void refresh(), RECONCILE_AFTER_MS);
    },
    [place, refresh],
  );

  /** Task states read from the server (a page of the list): counted if newer than what is held. */
  const observe = useCallback(
    (tasks: readonly Task[]) => tasks.forEach((task) => place(task, 'updated')),
    [place],
  );

  const counts = useMemo(() => countsOf(lists), [lists]);
  return { counts, apply, observe, refresh };
}
