import type { Task } from '../api/contract';

/** A task as the API returns it, for tests. */
export function testTask(overrides: Partial<Task> = {}): Task {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    number: 1,
    title: 'Buy groceries',
    description: null,
    status: 'pending',
    priority: 'none',
    tags: [],
    due: null,
    overdue: false,
    time_zone: 'Europe/Berlin',
    recurrence: null,
    reminders: [],
    version: 1,
    created_at: '2026-12-01T09:00:00.000Z',
    updated_at: '2026-12-01T09:00:00.000Z',
    completed_at: null,
    ...overrides,
  };
}
