import type { Task, TaskQuery } from '../api/contract';
import { dayOf } from '../ui/time';

export type ViewId = 'inbox' | 'today' | 'upcoming' | 'overdue' | 'completed' | `tag:${string}`;

export interface Filters {
  q: string;
  status: 'pending' | 'completed' | 'all';
  priority: string[];
  tags: string[];
  due_from: string;
  due_to: string;
  overdue: boolean;
  sort: 'due' | 'priority' | 'title' | 'created' | 'updated';
}

export const NO_FILTERS: Filters = {
  q: '',
  status: 'pending',
  priority: [],
  tags: [],
  due_from: '',
  due_to: '',
  overdue: false,
  sort: 'due',
};

export const VIEWS: Array<{ id: ViewId; label: string; empty: string }> = [
  { id: 'inbox', label: 'Inbox', empty: 'Nothing to do. Add a task above, or ask the assistant.' },
  { id: 'today', label: 'Today', empty: 'Nothing due today. Enjoy it, or plan something with "today".' },
  { id: 'upcoming', label: 'Upcoming', empty: 'Nothing scheduled ahead. Give a task a date to see it here.' },
  { id: 'overdue', label: 'Overdue', empty: 'Nothing overdue. Well done.' },
  { id: 'completed', label: 'Completed', empty: 'Completed tasks show up here.' },
];

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The REST query of a view with the user's filters on top. */
export function queryOf(view: ViewId, filters: Filters, zone: string, now = new Date()): TaskQuery {
  const today = dayOf(now, zone);
  const base: TaskQuery = {
    status: filters.status,
    sort: filters.q && filters.sort === 'due' ? undefined : filters.sort,
    q: filters.q.trim() || undefined,
    priority: filters.priority.length ? filters.priority.join(',') : undefined,
    tags: filters.tags.length ? filters.tags.join(',') : undefined,
    due_from: filters.due_from || undefined,
    due_to: filters.due_to || undefined,
    overdue: filters.overdue || undefined,
    limit: 50,
  };
  if (view === 'today') return { ...base, status: 'pending', due_to: today };
  if (view === 'upcoming') return { ...base, status: 'pending', due_from: addDays(today, 1), sort: 'due' };
  if (view === 'overdue') return { ...base, status: 'pending', overdue: true };
  if (view === 'completed') return { ...base, status: 'completed', sort: 'updated', order: 'desc' };
  if (view.startsWith('tag:')) return { ...base, tags: view.slice(4) };
  return base;
}

/** Whether a task (e.g. one that changed elsewhere) belongs in the list of a query. */
export function matchesQuery(task: Task, query: TaskQuery, zone: string): boolean {
  if (query.status && query.status !== 'all' && task.status !== query.status) return false;
  if (query.overdue && !task.overdue) return false;
  const tags = typeof query.tags === 'string' ? query.tags.split(',') : [];
  if (tags.some((tag) => !task.tags.includes(tag))) return false;
  if (typeof query.priority === 'string' && !query.priority.split(',').includes(task.priority)) return false;
  if (query.q) {
    const text = `${task.title} ${task.description ?? ''}`.toLowerCase();
    if (
      !query.q
        .toLowerCase()
        .split(/\s+/)
        .every((word) => text.includes(word))
    )
      return false;
  }
  if (query.due_from || query.due_to) {
    if (!task.due) return false;
    const day = task.due.length === 10 ? task.due : dayOf(new Date(task.due), zone);
    if (query.due_from && day < query.due_from) return false;
    if (query.due_to && day > query.due_to) return false;
  }
  return true;
}

const PRIORITY_RANK: Record<Task['priority'], number> = { urgent: 4, high: 3, medium: 2, low: 1, none: 0 };
const dueKey = (task: Task) =>
  task.due ? (task.due.length === 10 ? `${task.due}T23:59:59Z` : new Date(task.due).toISOString()) : '~';

/** The order the server uses for a sort, for placing a task that appeared live. */
export function comparatorOf(query: TaskQuery): (a: Task, b: Task) => number {
  const sort = query.sort ?? 'due';
  const direction = query.order === 'desc' ? -1 : 1;
  return (a, b) => {
    let result = 0;
    if (sort === 'priority') result = PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority];
    else if (sort === 'title') result = a.title.localeCompare(b.title);
    else if (sort === 'created') result = b.created_at.localeCompare(a.created_at);
    else if (sort === 'updated') result = b.updated_at.localeCompare(a.updated_at);
    else result = dueKey(a).localeCompare(dueKey(b));
    return result * direction || a.number - b.number;
  };
}
