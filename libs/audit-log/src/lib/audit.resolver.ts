import { Args, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@todo/auth';
import { parseOrThrow } from '@todo/errors';
import { parseTaskRef } from '@todo/tasks';
import { type AuditPage, AuditLogReader, type AuditRecord } from './audit-log-reader';
import { auditPageQuerySchema } from './audit-page-query';

@ObjectType('AuditActor')
class AuditActorType {
  @Field({ description: 'user or service' }) type!: string;
  @Field() id!: string;
}

@ObjectType('FieldChange')
class FieldChangeType {
  @Field() field!: string;
  @Field(() => String, { nullable: true, description: 'The previous value, JSON-encoded' }) from!:
    string | null;
  @Field(() => String, { nullable: true, description: 'The new value, JSON-encoded' }) to!: string | null;
}

@ObjectType('AuditEntry')
class AuditEntryType {
  @Field(() => ID, { description: 'The id of the event this entry records' }) id!: string;
  @Field(() => ID) taskId!: string;
  @Field(() => Int) taskNumber!: number;
  @Field({ description: 'The task title at that moment' }) title!: string;
  @Field({ description: 'created, updated, completed, reopened, deleted or reminded (a reminder fired)' })
  action!: string;
  @Field(() => AuditActorType) actor!: AuditActorType;
  @Field() occurredAt!: Date;
  @Field(() => [FieldChangeType]) changes!: FieldChangeType[];
}

@ObjectType('AuditPage')
class AuditPageType {
  @Field(() => [AuditEntryType]) items!: AuditEntryType[];
  @Field(() => String, { nullable: true, description: 'Pass as cursor for the next page' })
  nextCursor!: string | null;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** The task title at that moment: from its snapshot, or for a fired reminder from the reminder. */
function titleOf(record: AuditRecord): string {
  const snapshot = record.after ?? record.before;
  if (snapshot) return snapshot.title;
  const reminder = record.changes['reminder']?.to as { task_title?: string } | undefined;
  return reminder?.task_title ?? '';
}

function entryType(record: AuditRecord): AuditEntryType {
  return {
    id: record.eventId,
    taskId: record.taskId,
    taskNumber: record.taskNumber,
    title: titleOf(record),
    action: record.action,
    actor: record.actor,
    occurredAt: record.occurredAt,
    changes: Object.entries(record.changes).map(([field, change]) => ({
      field,
      from: json(change.from),
      to: json(change.to),
    })),
  };
}

const pageType = (page: AuditPage): AuditPageType => ({
  items: page.items.map(entryType),
  nextCursor: page.nextCursor,
});

@Resolver(() => AuditEntryType)
export class AuditResolver {
  constructor(private readonly audit: AuditLogReader) {}

  @Query(() => AuditPageType, { description: "A task's history, oldest first (also for deleted tasks)" })
  async taskHistory(
    @CurrentActor() actor: Actor,
    @Args('ref') ref: string,
    @Args('limit', { type: () => Int, nullable: true }) limit?: number,
    @Args('cursor', { nullable: true }) cursor?: string,
  ) {
    const page = parseOrThrow(auditPageQuerySchema, { limit, cursor }, 'camel');
    return pageType(await this.audit.taskHistory(actor, parseTaskRef(ref), page));
  }

  @Query(() => AuditPageType, { description: 'Everything that happened to your tasks, newest first' })
  async activity(
    @CurrentActor() actor: Actor,
    @Args('limit', { type: () => Int, nullable: true }) limit?: number,
    @Args('cursor', { nullable: true }) cursor?: string,
  ) {
    return pageType(
      await this.audit.activity(actor, parseOrThrow(auditPageQuerySchema, { limit, cursor }, 'camel')),
    );
  }
}
