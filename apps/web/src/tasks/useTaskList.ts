import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { Task, TaskQuery } from '../api/contract';
import { type HeldVersion, mergeTask, rememberVersions, type TaskChangeKind } from './task-merge';
import { comparatorOf, matchesQuery } from './views';

/**
 * One page-at-a-time list over the cursor API, kept current by live task states merged by version.
 * `onPage` hears every page loaded (the task states it brings are news to the rail's counts too).
 */
export function useTaskList(
  api: ApiClient,
  query: TaskQuery,
  zone: string,
  onPage: (tasks: readonly Task[]) => void = () => undefined,
) {
  const [items, setItems] = useState<Task[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [flashed, setFlashed] = useState<ReadonlySet<string>>(new Set());
  const itemsRef = useRef<Task[]>([]);
  const held = useRef(new Map<string, HeldVersion>());
  const queryKey = JSON.stringify(query);
  const generation = useRef(0);

  const show = (next: Task[]) => {
    itemsRef.current = next;
    setItems(next);
  };

  const load = useCallback(
    async (cursor?: string) => {
      const mine = cursor ? generation.current : ++generation.current;
      setLoading(true);
      try {
        const page = await api.listTasks({ ...query, cursor });
        if (mine !== generation.current) return;
        rememberVersions(held.current, page.items);
        onPage(page.items);
        const known = cursor ? itemsRef.current : [];
        const ids = new Set(known.map((task) => task.id));
        show([...known, ...page.items.filter((task) => !ids.has(task.id))]);
        setNextCursor(page.next_cursor);
        setError(null);
      } catch (failure) {
        if (mine === generation.current)
          setError(failure instanceof ApiError ? failure.message : 'Could not load your tasks.');
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [api, queryKey],
  );

  useEffect(() => {
    void load();
  }, [load]);

  /** A task state from anywhere (our own answers, the live socket): applied only if newer. */
  const apply = useCallback(
    (task: Task, change: TaskChangeKind, flash = false) => {
      const result = mergeTask(
        itemsRef.current,
        held.current,
        task,
        change,
        (candidate) => matchesQuery(candidate, query, zone),
        comparatorOf(query),
      );
      if (!result.applied) return false;
      show(result.items);
      if (flash) {
        setFlashed((current) => new Set(current).add(task.id));
        setTimeout(
          () =>
            setFlashed((current) => {
              const next = new Set(current);
              next.delete(task.id);
              return next;
            }),
          1600,
        );
      }
      return true;
    },
    [queryKey, zone],
  );

  const loadMore = useCallback(() => {
    if (nextCursor && !loading) void load(nextCursor);
  }, [load, loading, nextCursor]);

  return {
    items,
    loading,
    error,
    hasMore: nextCursor !== null,
    loadMore,
    reload: () => load(),
    apply,
    flashed,
  };
}
