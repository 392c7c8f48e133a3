import { RecentEvents } from './recent-events';

describe('RecentEvents (resume after reconnecting)', () => {
  let clock = 0;
  const now = () => clock;
  const make = (capacity = 100) =>
    new RecentEvents({ capacity, retentionMs: 60_000, reorderMarginMs: 1_000 }, 0, now);
  const add = (buffer: RecentEvents, eventId: string, userId = 'ann') =>
    buffer.add({ eventId, userId, message: { event_id: eventId } });

  beforeEach(() => (clock = 10_000));

  it("replays the user's messages after the one named (and those within the reorder margin before it)", () => {
    const buffer = make();
    add(buffer, 'a');
    clock += 5_000;
    add(buffer, 'b');
    clock += 500;
    add(buffer, 'c');
    add(buffer, 'x', 'bob');
    add(buffer, 'd');
    expect(buffer.resume('ann', 'c')).toEqual({
      refetch: false,
      texts: ['{"event_id":"b"}', '{"event_id":"d"}'],
    });
    expect(buffer.resume('ann', 'd')).toEqual({
      refetch: false,
      texts: ['{"event_id":"b"}', '{"event_id":"c"}'],
    });
  });

  it('asks for a refetch when it cannot vouch for what was missed', () => {
    const buffer = make(2);
    add(buffer, 'a');
    add(buffer, 'b');
    add(buffer, 'c'); // evicts a
    expect(buffer.resume('ann', 'a')).toEqual({ refetch: true }); // evicted
    expect(buffer.resume('ann', null)).toEqual({ refetch: true }); // nothing seen
    expect(buffer.resume('bob', 'b')).toEqual({ refetch: true }); // another user's event
    clock += 61_000;
    expect(buffer.resume('ann', 'c')).toEqual({ refetch: true }); // too old
  });

  it('asks for a refetch for an event received right after it began consuming', () => {
    const buffer = new RecentEvents(
      { capacity: 10, retentionMs: 60_000, reorderMarginMs: 1_000 },
      9_500,
      now,
    );
    add(buffer, 'a');
    expect(buffer.resume('ann', 'a')).toEqual({ refetch: true });
    clock += 1_000;
    add(buffer, 'b');
    expect(buffer.resume('ann', 'b')).toEqual({ refetch: false, texts: ['{"event_id":"a"}'] });
  });
});
