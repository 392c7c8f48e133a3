import type { Actor } from '@todo/auth';
import { createEvent, type DomainEvent, EVENTS_MIGRATIONS } from '@todo/events';
import { sampleTaskSnapshot } from '@todo/events/testing';
import type { TaskService } from '@todo/tasks';
import { startTestApp, type TestApp } from '@todo/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLogReader } from './audit-log-reader';
import { auditPageQuerySchema } from './audit-page-query';
import { AuditLogConsumer } from './audit-log.consumer';
import { AuditResolver } from './audit.resolver';
import { AUDIT_MIGRATIONS, AuditLogModule } from './audit.module';
import { AuditReminders1763700006000 } from './migrations/1763700006000-audit-reminders';

describe('audit consumer and reader: fired reminders, event-time order (real PostgreSQL)', () => {
  let t: TestApp;
  let consumer: AuditLogConsumer;
  let dataSource: DataSource;
  let reader: AuditLogReader;
  const userId = randomUUID();
  const actor: Actor = { userId, timeZone: 'UTC' };
  const task = sampleTaskSnapshot({ number: 3, title: 'Dentist', due: '2030-01-03T09:00:00Z' });

  beforeAll(async () => {
    t = await startTestApp({
      imports: [AuditLogModule],
      migrations: [...EVENTS_MIGRATIONS, ...AUDIT_MIGRATIONS],
    });
    consumer = t.app.get(AuditLogConsumer);
    dataSource = t.app.get(DataSource);
    // Only a history without entries asks the task service (for its 404); these always have some.
    reader = new AuditLogReader(dataSource, {} as TaskService);
  });
  afterAll(() => t?.close());

  const reminderDue = (firedAt: string): DomainEvent<'reminder.due'> =>
    createEvent('reminder.due', {
      source: '/todo/scheduler',
      subject: task.id,
      time: new Date(firedAt),
      data: {
        user_id: userId,
        reminder: { id: randomUUID(), before: 'PT1H', at: null, fire_at: '2030-01-03T08:00:00.000Z' },
        task: {
          id: task.id,
          number: task.number,
          title: task.title,
          due: task.due,
          time_zone: task.time_zone,
        },
        fired_at: firedAt,
      },
    });

  it('records a fired reminder once, after the task events, on every read surface', async () => {
    await consumer.created(
      createEvent('task.created', {
        source: '/todo/test',
        subject: task.id,
        time: new Date('2030-01-01T10:00:00Z'),
        data: { user_id: userId, actor: { type: 'user', id: userId }, task },
      }),
    );
    const due = reminderDue('2030-01-03T08:00:00.250Z');
    await consumer.reminded(due);
    await consumer.reminded(due); // a redelivery: the inbox makes it a no-op

    const history = await reader.taskHistory(actor, { number: task.number }, { limit: 50 });
    expect(history.items.map((entry) => entry.action)).toEqual(['created', 'reminded']);
    expect(history.items[1]).toEqual({
      eventId: due.id,
      taskId: task.id,
      taskNumber: 3,
      action: 'reminded',
      actor: { type: 'service', id: 'scheduler' },
      before: null,
      after: null,
      changes: {
        reminder: {
          from: null,
          to: { ...due.data.reminder, fired_at: '2030-01-03T08:00:00.250Z', task_title: 'Dentist' },
        },
      },
      occurredAt: new Date('2030-01-03T08:00:00.250Z'),
    });
    expect((await reader.activity(actor, { limit: 1 })).items[0].eventId).toBe(due.id);

    // GraphQL names the task from the reminder (a reminder entry has no task snapshot); values are JSON.
    const graphql = await new AuditResolver(reader).activity(actor, 1);
    expect(graphql.items[0]).toMatchObject({ action: 'reminded', title: 'Dentist', taskNumber: 3 });
    expect(graphql.items[0].changes).toEqual([
      { field: 'reminder', from: 'null', to: JSON.stringify(history.items[1].changes['reminder'].to) },
    ]);
  });

  it('orders history and the feed by when changes happened, whatever order the events arrive in', async () => {
    const owner: Actor = { userId: randomUUID(), timeZone: 'UTC' };
    const created = (title: string, at: string) => {
      const snapshot = sampleTaskSnapshot({ title });
      return createEvent('task.created', {
        source: '/todo/test',
        subject: snapshot.id,
        time: new Date(at),
        data: { user_id: owner.userId, actor: { type: 'user', id: owner.userId }, task: snapshot },
      });
    };
    // Another partition, or a retry, delivers the later change first.
    await consumer.created(created('second', '2030-02-01T10:00:00.002Z'));
    await consumer.created(created('first', '2030-02-01T10:00:00.001Z'));
    await consumer.created(created('third', '2030-02-01T10:00:00.003Z'));

    const titles: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await reader.activity(owner, auditPageQuerySchema.parse({ limit: 2, cursor }));
      titles.push(...page.items.map((entry) => entry.after?.title ?? ''));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(titles).toEqual(['third', 'second', 'first']);
  });

  it('still refuses actions the history does not know', async () => {
    const [{ definition }] = await dataSource.query(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'audit_log_action_check'`,
    );
    expect(definition).toContain("'reminded'");
    await expect(
      dataSource.query(
        `INSERT INTO audit_log (event_id, user_id, task_id, task_number, action, actor, changes, occurred_at)
         VALUES ($1, $2, $3, 1, 'snoozed', '{}', '{}', now())`,
        [randomUUID(), userId, task.id],
      ),
    ).rejects.toThrow(/audit_log_action_check/);
  });

  it('migrates down with reminder entries present (they stay) and up again', async () => {
    const migration = new AuditReminders1763700006000();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await expect(consumer.reminded(reminderDue('2030-01-04T08:00:00.000Z'))).rejects.toThrow(
        /audit_log_action_check/,
      );
      const [{ count }] = await dataSource.query(
        `SELECT count(*)::int AS count FROM audit_log WHERE action = 'reminded'`,
      );
      expect(count).toBe(1);
      await migration.up(runner);
      await consumer.reminded(reminderDue('2030-01-04T08:00:00.000Z'));
    } finally {
      await runner.release();
    }
  });
});
