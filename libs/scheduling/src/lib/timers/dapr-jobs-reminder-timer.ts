import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { type DaprCallbackResponse, DaprAppCallbacks } from '@todo/http';
import { isUuid } from '@todo/validation';
import { DataSource } from 'typeorm';
import { ReminderFiring } from '../reminder-firing';
import { DaprJobsClient } from './dapr-jobs-client';
import { ReminderTimer } from './reminder-timer';

/** Sidecar requests of one `syncTask` in flight at once (a task has at most 10 reminders). */
const PARALLEL_REQUESTS = 4;
const JOB_PREFIX = 'reminder-';

/** The Dapr job of a reminder: one per reminder, so scheduling it again replaces it. */
export function reminderJobName(reminderId: string): string {
  return `${JOB_PREFIX}${reminderId.toLowerCase()}`;
}

/** The reminder id of a job name, or `undefined` when it is not a reminder's job. */
export function reminderIdOfJob(name: string): string | undefined {
  if (!name.startsWith(JOB_PREFIX)) return undefined;
  const id = name.slice(JOB_PREFIX.length);
  return isUuid(id) ? id.toLowerCase() : undefined;
}

/** What a reminder's job carries (for people reading the scheduler; the name is what counts). */
interface ReminderJobData {
  readonly reminderId: string;
  readonly taskId: string;
}

interface ReminderRow {
  id: string;
  state: string;
  fire_at: Date | null;
}

type Operation = { kind: 'schedule'; id: string; at: Date } | { kind: 'delete'; id: string };

/**
 * Reminder timer on Dapr's Jobs API: one one-shot job per scheduled reminder (`reminder-<id>`, due
 * at its `fire_at`). The job is only a wake-up call: when Dapr triggers it (`POST /job/reminder-<id>`
 * on the Dapr app port), `ReminderFiring.fireReminder` reads the reminders table and fires the
 * reminder if it is still scheduled and due. A stale job (the reminder moved later, was cancelled,
 * or its task is gone) therefore does nothing, and the answer is 200 for every outcome; only a
 * failure (e.g. the database is down) is answered 500, which Dapr retries per the job's failure
 * policy (the sweep of the reminders table is the safety net beyond that).
 *
 * A job name that is not `reminder-<uuid>` is answered 404: Dapr logs it as a non-retriable error
 * and ends the job, so a foreign job on this app id is visible in the sidecar's log and never retried.
 */
@Injectable()
export class DaprJobsReminderTimer extends ReminderTimer implements OnModuleInit {
  private readonly log = new Logger('DaprJobsReminderTimer');
  private readonly jobs: DaprJobsClient;

  constructor(
    private readonly dataSource: DataSource,
    private readonly firing: ReminderFiring,
    private readonly callbacks: DaprAppCallbacks,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.jobs = new DaprJobsClient(config.events.dapr);
  }

  onModuleInit(): void {
    this.callbacks.register({
      method: 'POST',
      path: '/job/:name',
      handle: async ({ name }) => this.onJob(name),
    });
  }

  /**
   * Schedules (or moves) the job of every scheduled reminder of the task and deletes the jobs of the
   * `knownReminderIds` that are no longer scheduled or no longer exist. Every request is made even
   * if some fail; then it rejects, naming each failure, so the event is retried (all of it is
   * idempotent).
   */
  async syncTask(taskId: string, knownReminderIds: readonly string[]): Promise<void> {
    const rows = (await this.dataSource.query('SELECT id, state, fire_at FROM reminders WHERE task_id = $1', [
      taskId,
    ])) as ReminderRow[];

    // Rows come from a uuid column and known ids from schema-checked events: both are lowercase uuids.
    const scheduled = rows.filter(
      (row): row is ReminderRow & { fire_at: Date } => row.state === 'scheduled' && row.fire_at !== null,
    );
    const scheduledIds = new Set(scheduled.map((row) => row.id));
    const operations: Operation[] = [
      ...scheduled.map((row): Operation => ({
        kind: 'schedule',
        id: row.id,
        at: row.fire_at,
      })),
      ...[...new Set(knownReminderIds)]
        .filter((id) => !scheduledIds.has(id))
        .map((id): Operation => ({ kind: 'delete', id })),
    ];

    const failures = await runAll(operations, PARALLEL_REQUESTS, (operation) =>
      operation.kind === 'schedule'
        ? this.jobs.schedule(reminderJobName(operation.id), operation.at, {
            reminderId: operation.id,
            taskId,
          } satisfies ReminderJobData)
        : this.jobs.delete(reminderJobName(operation.id)),
    );
    if (failures.length)
      throw new Error(
        `could not sync the Dapr jobs of task ${taskId}: ${failures.length} of ${operations.length} request(s) failed: ${failures
          .map((error) => error.message)
          .join('; ')}`,
      );
  }

  private async onJob(name: string): Promise<DaprCallbackResponse> {
    const id = reminderIdOfJob(name);
    if (!id) {
      this.log.warn(`Dapr triggered job "${name}", which is not a reminder's: answered 404 (ends the job)`);
      return {
        status: 404,
        body: { error: `job "${name}" is not a reminder's (reminder-<uuid>); Dapr ends it without retries` },
      };
    }
    const outcome = await this.firing.fireReminder(id); // throws on database errors: 500, Dapr retries
    return { status: 200, body: { reminderId: id, outcome } };
  }
}

/** Runs `work` for every item, at most `limit` at a time; resolves with the errors (none: all done). */
async function runAll<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<Error[]> {
  const failures: Error[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      try {
        await work(items[index]);
      } catch (error) {
        failures.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failures;
}
