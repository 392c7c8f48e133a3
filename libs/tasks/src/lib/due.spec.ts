import { formatDue, isDueText, rangeEndExclusive, rangeStart, storeDue } from './due';

describe('due dates', () => {
  it.each(['2026-11-24', '2026-11-24T17:00:00-05:00', '2026-11-24T17:00Z', '2026-11-24T17:00:00.123+01:00'])(
    'accepts %s',
    (text) => {
      expect(isDueText(text)).toBe(true);
    },
  );

  it.each([
    '2026-02-30',
    '2026-11-24T17:00',
    '2026-11-24 17:00Z',
    'tomorrow',
    '24/11/2026',
    '2026-11-24T25:00Z',
  ])('rejects %s', (text) => {
    expect(isDueText(text)).toBe(false);
  });

  it('treats an all-day date as that whole day in the given zone', () => {
    const stored = storeDue('2026-03-29', 'Europe/Berlin'); // the day clocks go forward: 23 hours long
    expect(stored.allDay).toBe(true);
    expect(stored.dueAt.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(stored.overdueAt.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(formatDue({ allDay: true, date: '2026-03-29' }, 'Europe/Berlin')).toBe('2026-03-29');
  });

  it("keeps an instant and shows it with the task zone's offset", () => {
    const stored = storeDue('2026-11-24T17:00:00-05:00', 'Asia/Tokyo');
    expect(stored).toEqual({
      allDay: false,
      dueAt: new Date('2026-11-24T22:00:00Z'),
      overdueAt: new Date('2026-11-24T22:00:00Z'),
    });
    expect(formatDue({ allDay: false, at: stored.dueAt }, 'America/New_York')).toBe(
      '2026-11-24T17:00:00-05:00',
    );
    expect(formatDue({ allDay: false, at: stored.dueAt }, 'Asia/Tokyo')).toBe('2026-11-25T07:00:00+09:00');
  });

  it('turns range bounds into instants: dates cover their whole day, inclusive', () => {
    expect(rangeStart('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(rangeEndExclusive('2026-11-01', 'America/New_York').toISOString()).toBe(
      '2026-11-02T05:00:00.000Z',
    ); // DST ends that day
    expect(rangeEndExclusive('2026-11-01T10:00:00Z', 'UTC').toISOString()).toBe('2026-11-01T10:00:00.001Z');
  });
});
