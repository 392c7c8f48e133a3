import type { FuzzTargets } from './hostile-values';

/** Fixed ids for the generators' unit specs (the integration suite uses real ones). */
export const SAMPLE_TARGETS: FuzzTargets = {
  ownTaskRefs: ['1', '11111111-1111-4111-8111-111111111111'],
  foreignTaskRefs: ['2', '22222222-2222-4222-8222-222222222222'],
  ownReminderIds: ['33333333-3333-4333-8333-333333333333'],
  foreignReminderIds: ['44444444-4444-4444-8444-444444444444'],
  ownConversationIds: ['55555555-5555-4555-8555-555555555555'],
  foreignConversationIds: ['66666666-6666-4666-8666-666666666666'],
  foreignUserId: '77777777-7777-4777-8777-777777777777',
};
