import { EventPattern, Payload } from '@nestjs/microservices';
import { type DomainEvent, EventConsumer } from '@todo/events';
import { SocketHub } from './socket-hub';

/**
 * Every realtime replica consumes `task-updates` and `reminders` in full (a Kafka group per replica:
 * `KAFKA_GROUP_SUFFIX`; Dapr: a per-pod consumer group) and hands each event to the sockets of its
 * user connected here. No inbox: states are applied by version, so a repeat changes nothing.
 */
export const REALTIME_CONSUMER = 'realtime';

@EventConsumer()
export class RealtimeConsumer {
  constructor(private readonly hub: SocketHub) {}

  @EventPattern('task.changed', { consumer: REALTIME_CONSUMER })
  taskChanged(@Payload() event: DomainEvent<'task.changed'>): void {
    this.hub.deliverTaskState(event.data.user_id, {
      event_id: event.id,
      occurred_at: event.time,
      change: event.data.change,
      task: event.data.task,
    });
  }

  @EventPattern('reminder.due', { consumer: REALTIME_CONSUMER })
  reminderDue(@Payload() event: DomainEvent<'reminder.due'>): void {
    this.hub.deliverReminder(event.data.user_id, {
      event_id: event.id,
      occurred_at: event.time,
      reminder: event.data.reminder,
      task: event.data.task,
      fired_at: event.data.fired_at,
    });
  }
}
