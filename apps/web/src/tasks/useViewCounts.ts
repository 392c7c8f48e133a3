import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { NO_FILTERS, queryOf, type ViewId } from './views';

const COUNTED: ViewId[] = ['inbox', 'today', 'upcoming', 'overdue'];
const PAGE = 100;

export interface ViewCounts extends Partial<Record<ViewId, string>> {
  tags: string[];
}

/** How many open tasks each view holds ("100+" past one page), and the tags in use. */
export function useViewCounts(api: ApiClient, zone: string, stale: number): ViewCounts {
  const [counts, setCounts] = useState<ViewCounts>({ tags: [] });
  useEffect(() => {
    let current = true;
    const timer = setTimeout(
      async () => {
        try {
          const pages = await Promise.all(
            COUNTED.map((view) =>
              api.listTasks({ ...queryOf(view, NO_FILTERS, zone), sort: 'due', limit: PAGE }),
            ),
          );
          if (!current) return;
          const next: ViewCounts = { tags: [] };
          COUNTED.forEach((view, index) => {
            next[view] = `${pages[index].items.length}${pages[index].next_cursor ? '+' : ''}`;
          });
          next.tags = [...new Set(pages[0].items.flatMap((task) => task.tags))].sort();
          setCounts(next);
        } catch {
          // Counts are a convenience; the list itself reports failures.
        }
      },
      stale === 0 ? 0 : 150,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, zone, stale]);
  return counts;
}
