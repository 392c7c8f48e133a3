import fc from 'fast-check';

/**
 * Identifiers the fuzzer may aim at: the attacker's own (to get past "not found" into the deeper
 * code) and the victim's (every surface must answer as if they did not exist).
 */
export interface FuzzTargets {
  readonly ownTaskRefs: readonly string[];
  readonly foreignTaskRefs: readonly string[];
  readonly ownReminderIds: readonly string[];
  readonly foreignReminderIds: readonly string[];
  readonly ownConversationIds: readonly string[];
  readonly foreignConversationIds: readonly string[];
  readonly foreignUserId: string;
}

const NUL = '\u0000';
const LONE_HIGH_SURROGATE = '\ud800';
const LONE_LOW_SURROGATE = '\udfff';

/** Text that broke parsers, databases or encoders somewhere before. */
const NASTY_TEXT = [
  '',
  ' ',
  '\t\n\r',
  NUL,
  `a${NUL}b`,
  LONE_HIGH_SURROGATE,
  `x${LONE_LOW_SURROGATE}y`,
  '😀',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\u202eevil\u202c',
  '\ufeff',
  'ǅ ß İ ﬀ',
  'Ａｄｄ ｔａｓｋ',
  "'; DROP TABLE tasks; --",
  '% _ \\',
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '{{7*7}} ${7*7}',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '0x1f',
  '#',
  '&|!():*',
  '\\u0000',
];

/** Instants and dates at and past the edges of what calendars, Luxon and PostgreSQL accept. */
const EDGE_TIMES = [
  '0001-01-01',
  '0000-01-01',
  '9999-12-31',
  '10000-01-01',
  '2024-02-30',
  '2024-13-01',
  '2024-06-01T24:00',
  '2024-06-01T24:00:00Z',
  '2024-06-01T23:59:60Z',
  '0001-01-01T00:00',
  '0001-01-01T00:00:00Z',
  '0001-01-01T00:00:00+14:00',
  '9999-12-31T23:59',
  '9999-12-31T23:59:59-14:00',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2030-06-01T12:00:00+24:00',
  '2030-06-01T12:00:00-99:99',
  '2030-06-01T12:00:00.123456789Z',
  '2030-06-01T12:00:00z',
  '2030-06-01 12:00',
  '2030-06-01T12:00',
  '2030-06-01T12:00:00Z',
  '2030-06-01T12:00:00-05:00',
  '2030-06-01',
  '1970-01-01T00:00:00Z',
];

const DURATIONS = [
  'PT1H',
  'PT15M',
  'P1D',
  'P1W',
  'PT0S',
  'P0D',
  'P400D',
  'P9999999999D',
  'PT-1H',
  '-PT1H',
  'P1Y',
  'PT1.5H',
  'P',
  'PT',
  'P1W2D',
  'PT99999999999999999999S',
];

/** Recurrence rules: ordinary, never-matching, huge, and malformed. */
const RRULES = [
  'FREQ=DAILY',
  'FREQ=WEEKLY;BYDAY=MO,WE',
  'RRULE:FREQ=MONTHLY;BYMONTHDAY=31',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=SECONDLY',
  'FREQ=MINUTELY;BYSETPOS=-366',
  'FREQ=DAILY;INTERVAL=0',
  'FREQ=DAILY;INTERVAL=99999999999',
  'FREQ=DAILY;COUNT=0',
  'FREQ=DAILY;UNTIL=00010101T000000Z',
  'FREQ=DAILY;UNTIL=99991231T235959Z',
  'FREQ=WEEKLY;BYDAY=XX',
  'FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO;BYMONTH=1',
  'DTSTART:00010101T000000Z\nRRULE:FREQ=DAILY',
  'RRULE:',
  'FREQ=',
];

const TIME_ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/St_Johns',
  'Pacific/Kiritimati',
  'Etc/GMT+12',
  'Mars/Olympus',
  '+99:00',
  'local',
  'utc',
];

const NUMBERS_AS_TEXT = [
  '0',
  '1',
  '-1',
  '1.5',
  '00001',
  ' 1',
  '#1',
  '2147483648',
  '9007199254740993',
  '1e3',
  '99999999999999999999999',
];

/** Looks like a uuid but names nothing, or is not quite a uuid. */
const UUID_SHAPES = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  '------------------------------------',
  'gggggggg-gggg-gggg-gggg-gggggggggggg',
  '3FA85F64-5717-4562-B3FC-2C963F66AFA6',
  '{3fa85f64-5717-4562-b3fc-2c963f66afa6}',
];

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** Task-list cursors (`[sort, order, key, id]` in base64url) and audit cursors with bad parts. */
const badCursor: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('due', 'priority', 'title', 'created', 'updated', 'relevance', 'x'),
      fc.constantFrom('asc', 'desc'),
      fc.oneof(fc.constantFrom(...EDGE_TIMES, ...NUMBERS_AS_TEXT, ...NASTY_TEXT), fc.string()),
      fc.constantFrom(...UUID_SHAPES),
    )
    .map((parts) => base64url(JSON.stringify(parts))),
  fc
    .tuple(
      fc.constantFrom('0', '999999999999999', '-1', '8640000000000001'),
      fc.constantFrom('0', '1', '9223372036854775808', '9999999999999999999'),
    )
    .map(([millis, id]) => base64url(`audit:${millis}:${id}`)),
  fc.constantFrom('', '=', 'eyJ', base64url('{}'), base64url('[null,null,null,null]'), base64url(NUL)),
);

const hugeText = fc.constantFrom(10_001, 70_000).chain((length) => fc.constant('x'.repeat(length)));

/** Any text, hostile or plausible; `fieldName` steers it towards what that field parses. */
export function hostileString(targets: FuzzTargets, fieldName = ''): fc.Arbitrary<string> {
  const refs = [...targets.ownTaskRefs, ...targets.foreignTaskRefs];
  const ids = [
    ...targets.ownReminderIds,
    ...targets.foreignReminderIds,
    ...targets.ownConversationIds,
    ...targets.foreignConversationIds,
    targets.foreignUserId,
    ...UUID_SHAPES,
  ];
  const general = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NASTY_TEXT) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: hugeText },
    { weight: 2, arbitrary: fc.constantFrom(...EDGE_TIMES, ...DURATIONS, ...RRULES, ...TIME_ZONES) },
    { weight: 1, arbitrary: fc.constantFrom(...NUMBERS_AS_TEXT, ...ids, ...(refs.length ? refs : ['1'])) },
    { weight: 1, arbitrary: badCursor },
  );
  const hinted = hintedStrings(fieldName.toLowerCase(), refs, ids);
  return hinted ? fc.oneof({ weight: 3, arbitrary: hinted }, { weight: 2, arbitrary: general }) : general;
}

function hintedStrings(name: string, refs: string[], ids: string[]): fc.Arbitrary<string> | undefined {
  if (/(^|_)(due|at|now|from|to)$|due_?(from|to)|^due/.test(name)) return fc.constantFrom(...EDGE_TIMES);
  if (name === 'before') return fc.constantFrom(...DURATIONS);
  if (name === 'rrule') return fc.constantFrom(...RRULES);
  if (/time_?zone/.test(name)) return fc.constantFrom(...TIME_ZONES);
  if (name === 'cursor') return badCursor;
  if (name === 'ref' || name === 'task') return fc.constantFrom(...refs, ...NUMBERS_AS_TEXT, ...UUID_SHAPES);
  if (/(^|_)id$|reminderid|conversationid/.test(name)) return fc.constantFrom(...ids);
  if (name === 'priority')
    return fc.constantFrom('none', 'low', 'medium', 'high', 'urgent', 'p1', 'P4', 'p0', 'p5');
  if (name === 'email')
    return fc.oneof(fc.emailAddress(), fc.constantFrom('a@b', '@', 'x'.repeat(400) + '@e.com'));
  return undefined;
}

/** Numbers at and past every boundary a schema or database column might have. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, 1e308, -1e308),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON, 5e-324),
  fc.integer({ min: -5, max: 200 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/**
 * Arrays or objects nested deeper than any handler expects (deeper still, as raw text, in
 * http-attacks: JSON.stringify itself runs out of stack near 10,000 levels).
 */
const deeplyNested: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(50, 1_000), fc.boolean())
  .map(([depth, asArray]) => {
    let value: unknown = 1;
    for (let level = 0; level < depth; level++) value = asArray ? [value] : { a: value };
    return value;
  });

/** Any JSON value, of any type (a schema's "wrong type" case). */
export function hostileJson(targets: FuzzTargets): fc.Arbitrary<unknown> {
  const scalar = fc.oneof(hostileString(targets), hostileNumber, fc.boolean(), fc.constant(null));
  return fc.oneof(
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(scalar, { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 4 }) },
    { weight: 1, arbitrary: deeplyNested },
  );
}
