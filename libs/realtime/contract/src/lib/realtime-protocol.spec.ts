import { clientMessageSchema, isNewerTaskState, serverMessageSchema } from './realtime-protocol';

describe('realtime protocol v1', () => {
  it('accepts the two client messages and nothing else', () => {
    expect(clientMessageSchema.safeParse({ type: 'resume', last_event_id: 'e1' }).success).toBe(true);
    expect(clientMessageSchema.safeParse({ type: 'resume', last_event_id: null }).success).toBe(true);
    expect(clientMessageSchema.safeParse({ type: 'ping' }).success).toBe(true);
    expect(clientMessageSchema.safeParse({ type: 'ping', id: 'p', extra: 1 }).success).toBe(false);
    expect(clientMessageSchema.safeParse({ type: 'resume' }).success).toBe(false);
    expect(clientMessageSchema.safeParse({ type: 'subscribe', user_id: 'someone-else' }).success).toBe(false);
  });

  it('describes server messages by type', () => {
    const hello = {
      type: 'hello',
      protocol: 'todo.realtime.v1',
      user_id: '7f2c1d3e-9a4b-4c5d-8e6f-0a1b2c3d4e5f',
      server_time: '2026-12-03T09:00:00.000Z',
      heartbeat_interval_ms: 30_000,
    };
    expect(serverMessageSchema.parse(hello)).toEqual(hello);
    expect(serverMessageSchema.safeParse({ ...hello, protocol: 'todo.realtime.v2' }).success).toBe(false);
    expect(serverMessageSchema.safeParse({ type: 'resumed', refetch: true, replayed: 0 }).success).toBe(true);
  });

  it('gives clients the same state-order rule as the server', () => {
    expect(
      isNewerTaskState({ change: 'updated', task: { version: 2 } }, { version: 2, deleted: false }),
    ).toBe(false);
  });
});
