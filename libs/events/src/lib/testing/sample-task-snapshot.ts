import { randomUUID } from 'node:crypto';
import type { TaskSnapshot } from '../task-event-contracts';

/** A valid task snapshot for tests and benchmarks; override what the case is about. */
export function sampleTaskSnapshot(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    number: 1,
    title: 'Sample task',
    description: null,
    status: 'pending',
    priority: 'none',
    tags: [],
    due: null,
    overdue: false,
    time_zone: 'UTC',
    recurrence: null,
    reminders: [],
    version: 1,
    created_at: now,
    updated_at: now,
    completed_at: null,
    ...overrides,
  };
}
