import { EventPattern, Payload } from '@nestjs/microservices';
import { type DomainEvent, EventConsumer, Inbox, RelayWakeUp } from '@todo/events';
import { TaskService } from '@todo/tasks';

const RECURRENCE_CONSUMER = 'recurrence';

/**
 * Creates the next occurrence when a recurring task is completed. The inbox absorbs redelivered
 * events; the unique (series, position) key absorbs everything else (a second completion after a
 * reopen, two replicas), so each occurrence gets exactly one successor.
 */
@EventConsumer()
export class RecurrenceConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly tasks: TaskService,
    private readonly relay: RelayWakeUp,
  ) {}

  @EventPattern('task.completed', { consumer: RECURRENCE_CONSUMER })
  async completed(@Payload() event: DomainEvent<'task.completed'>): Promise<void> {
    if (!event.data.task.recurrence) return;
    let next: unknown = null;
    await this.inbox.once(RECURRENCE_CONSUMER, event.id, async (tx) => {
      next = await this.tasks.continueSeries(tx, event.data.task.id);
    });
    if (next) this.relay.committed(); // its events are in the outbox now
  }
}
