import fc from 'fast-check';
import type { CompletedOccurrence } from '../next-occurrence';

/**
 * Recurrence rules for property tests and the recurrence bench: ordinary ones, and hostile ones built
 * from the same parts (BY… parts that rarely or never coincide, long lists, INTERVALs out of phase
 * with BYHOUR). Every text is valid RRULE syntax with FREQ=HOURLY or longer; whether normalizeRrule
 * accepts it is for the test to see.
 */
const FREQS = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY'] as const;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

const signed = (max: number) =>
  fc.tuple(fc.boolean(), fc.integer({ min: 1, max })).map(([negative, n]) => (negative ? -n : n));
const listOf = <T>(item: fc.Arbitrary<T>, maxLength: number) =>
  fc.uniqueArray(item, { minLength: 1, maxLength }).map((items) => items.join(','));
const range = (min: number, max: number) => fc.integer({ min, max });

const part = (key: string, value: fc.Arbitrary<string | number>) =>
  fc.option(
    value.map((text) => `${key}=${text}`),
    { nil: undefined, freq: 2 },
  );

export const ruleTexts: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...FREQS).map((freq) => `FREQ=${freq}`),
    part('INTERVAL', fc.oneof(range(1, 4), range(5, 400))),
    part('BYMONTH', listOf(range(1, 12), 4)),
    part('BYMONTHDAY', listOf(signed(31), 4)),
    part('BYYEARDAY', listOf(signed(366), 3)),
    part('BYWEEKNO', listOf(signed(53), 3)),
    part(
      'BYDAY',
      listOf(
        fc
          .tuple(fc.option(signed(5), { nil: undefined }), fc.constantFrom(...WEEKDAYS))
          .map(([nth, day]) => `${nth ?? ''}${day}`),
        3,
      ),
    ),
    part('BYSETPOS', listOf(signed(366), 2)),
    part('BYHOUR', listOf(range(0, 23), 24)),
    part('BYMINUTE', fc.oneof(range(0, 59).map(String), listOf(range(0, 59), 60))),
    part('BYSECOND', fc.oneof(range(0, 59).map(String), listOf(range(0, 59), 60))),
    part('WKST', fc.constantFrom(...WEEKDAYS)),
  )
  .map((parts) => parts.filter((text) => text !== undefined).join(';'));

/** Rules people write, for the ordinary side of the bench. */
export const ORDINARY_RULES = [
  'FREQ=DAILY',
  'FREQ=DAILY;INTERVAL=3',
  'FREQ=WEEKLY;BYDAY=MO,WE,FR',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU',
  'FREQ=MONTHLY;BYMONTHDAY=-1',
  'FREQ=MONTHLY;BYDAY=2TU',
  'FREQ=YEARLY',
  'FREQ=HOURLY;INTERVAL=4',
  'FREQ=DAILY;BYHOUR=9,18;BYMINUTE=30',
  'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10',
];

const HOURS = Array.from({ length: 24 }, (_, hour) => hour).join(',');
const MINUTES = Array.from({ length: 60 }, (_, minute) => minute).join(',');

/** Rules reported or found to block the event loop before the search was bounded. */
export const HOSTILE_RULES = [
  // The reported attack: 30 s when its task was completed.
  `FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=${HOURS};BYMINUTE=${MINUTES};BYSECOND=${MINUTES}`,
  `FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=${HOURS}`,
  'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=WEEKLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6',
  // Never a Monday from a Tuesday due; accepted (its parts do coincide), so bounded at completion.
  'FREQ=DAILY;INTERVAL=7;BYDAY=MO',
  // From an odd hour rrule never reaches 09:00 and loops forever.
  'FREQ=HOURLY;INTERVAL=2;BYHOUR=9',
  // Rare: every 28 years or so.
  `FREQ=HOURLY;INTERVAL=5;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYHOUR=${HOURS}`,
  'FREQ=MONTHLY;BYMONTH=2;BYDAY=5FR',
];

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
const FIRST = Date.parse('1970-01-02T00:00:00Z');
const LAST = Date.parse('2100-01-01T00:00:00Z');

/** A completed occurrence of the rule: any zone, due from 1970 on, completed up to years late or early. */
export const completedOccurrences = (rrule: fc.Arbitrary<string>): fc.Arbitrary<CompletedOccurrence> =>
  fc
    .record({
      rrule,
      from: fc.constantFrom('due' as const, 'completion' as const),
      timeZone: fc.constantFrom(...ZONES),
      dueAt: fc.integer({ min: FIRST, max: LAST }),
      allDay: fc.boolean(),
      lateBy: fc.oneof(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -3_000, max: 20_000 })),
      position: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ dueAt, allDay, lateBy, ...rest }) => ({
      ...rest,
      due: allDay
        ? { allDay: true as const, date: new Date(dueAt).toISOString().slice(0, 10) }
        : { allDay: false as const, at: new Date(Math.floor(dueAt / 1000) * 1000) },
      completedAt: new Date(dueAt + lateBy * 86_400_000 + 3_600_000),
    }));
