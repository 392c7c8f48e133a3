import { describeRequest, type FuzzRequest, requestBodyText } from './fuzz-request';

/** One request that went wrong: what was sent, what is wrong with the answer, what the server logged. */
export interface Failure {
  readonly request: FuzzRequest;
  readonly problem: string;
  readonly status?: number;
  /** First line of the error the app logged for this request, if any. */
  readonly serverError?: string;
}

const CLASS_5 = '5 NUL/surrogate/cursor/token/hour 24';
const TOKEN_CLASS_5 = new Set(['non-uuid sub', 'numeric sub', 'empty sub', 'NUL in sub', 'no sub', 'no exp']);

/**
 * Features of a request that known bug classes are about, so a failure can be routed to whoever
 * owns that class; a failure with none of them is probably new.
 */
const TRAITS: ReadonlyArray<{
  trait: string;
  knownClass: string;
  test: (text: string, request: FuzzRequest) => boolean;
}> = [
  {
    trait: 'recurrence rule',
    knownClass: '1 recurrence',
    test: (text) => /FREQ=|RRULE|\bevery!?\s/i.test(text),
  },
  {
    trait: 'document shape (breadth, depth, size)',
    knownClass: '2 GraphQL cost',
    test: (_, r) =>
      /^structure · .*(alias|repeated|batched|directives|fragment chain|deep|MB)/.test(r.operation),
  },
  {
    trait: 'year 0000/0001 or negative',
    knownClass: '4 out-of-range instant',
    test: (text) => /(^|[^\d-])000[01]-\d\d|[^\d]-0000\d\d-\d\d|until 000[01]|00010101T/.test(text),
  },
  {
    trait: 'year ≥ 9999',
    knownClass: '4 out-of-range instant',
    test: (text) => /\b(9999|10000)-\d\d|99991231|\+275760|8640000000000001|\d{5,} years/.test(text),
  },
  // eslint-disable-next-line no-control-regex -- NUL is the trait
  { trait: 'NUL', knownClass: CLASS_5, test: (text) => /\\u0000|%00|\u0000/.test(text) },
  {
    trait: 'lone surrogate',
    knownClass: CLASS_5,
    test: (text) => /\\ud[89a-f][0-9a-f]{2}|%ED%[AB][0-9A-F]/i.test(text),
  },
  { trait: 'cursor', knownClass: CLASS_5, test: (text) => /cursor/i.test(text) },
  { trait: 'hour 24', knownClass: CLASS_5, test: (text) => /T24:|\b24:00/.test(text) },
  { trait: 'token claims', knownClass: CLASS_5, test: (_, r) => TOKEN_CLASS_5.has(r.auth) },
];

/** What the app logged says the class too, when the request does not (a stored bad value read later). */
const ERROR_CLASSES: ReadonlyArray<{ error: RegExp; knownClass: string }> = [
  {
    error:
      /Invalid time value|Invalid DateTime|out of range for type timestamp|date\/time field value out of range/i,
    knownClass: '4 out-of-range instant',
  },
  {
    error:
      /invalid byte sequence for encoding|unsupported Unicode escape|invalid input syntax for type uuid/i,
    knownClass: CLASS_5,
  },
];

export function classesOfError(serverError: string | undefined): string[] {
  return ERROR_CLASSES.filter(({ error }) => serverError && error.test(serverError)).map(
    ({ knownClass }) => knownClass,
  );
}

export function traitsOf(request: FuzzRequest): Array<{ trait: string; knownClass: string }> {
  const text = `${request.path}\n${requestBodyText(request) ?? ''}`;
  return TRAITS.filter(({ test }) => test(text, request)).map(({ trait, knownClass }) => ({
    trait,
    knownClass,
  }));
}

interface FailureGroup {
  /** The server's logged error, else the symptom, with ids and numbers blanked out. */
  readonly error: string;
  readonly count: number;
  /** Failures of this error per operation, most first. */
  readonly operations: ReadonlyArray<[string, number]>;
  /** The shortest request of the group: the one to replay first. */
  readonly smallest: Failure;
  /** Known classes whose traits every request of the group has; empty: probably a new bug. */
  readonly likelyClasses: readonly string[];
}

const normalize = (text: string) =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 200);

const sizeOf = (failure: Failure) => describeRequest(failure.request).length;

/** The operation without the attack label http-attacks adds ("POST /x · auth …" is "POST /x"). */
const baseOperation = (operation: string) => operation.split(' · ')[0] ?? operation;

const countBy = (keys: readonly string[]): Array<[string, number]> => {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
};

/** Failures grouped by error (the server's, else the symptom), each with the operations it hit. */
export function groupFailures(failures: readonly Failure[]): FailureGroup[] {
  const groups = new Map<string, Failure[]>();
  for (const failure of failures) {
    const error = normalize(
      failure.serverError ? `${failure.problem}: ${failure.serverError}` : failure.problem,
    );
    groups.set(error, [...(groups.get(error) ?? []), failure]);
  }
  return [...groups.entries()]
    .map(([error, members]) => {
      const smallest = members.reduce((best, failure) => (sizeOf(failure) < sizeOf(best) ? failure : best));
      const shared = members
        .map((failure) => new Set(traitsOf(failure.request).map((trait) => trait.knownClass)))
        .reduce((common, classes) => new Set([...common].filter((known) => classes.has(known))));
      return {
        error,
        count: members.length,
        operations: countBy(members.map((failure) => baseOperation(failure.request.operation))),
        smallest,
        likelyClasses: [...new Set([...shared, ...classesOfError(smallest.serverError)])],
      };
    })
    .sort((a, b) => b.count - a.count || a.error.localeCompare(b.error));
}

/**
 * A summary a person can act on: failures per likely class and per operation, then per error the
 * operations it hit and the shortest request that shows it.
 */
export function formatReport(title: string, failures: readonly Failure[], sent: number): string {
  if (!failures.length) return `${title}: ${sent} requests, no failures`;
  const groups = groupFailures(failures);
  const classOf = (group: FailureGroup) =>
    group.likelyClasses.length ? group.likelyClasses.join(' + ') : 'NEW (no known class)';
  const byClass = countBy(groups.flatMap((group) => Array<string>(group.count).fill(classOf(group))));
  const byOperation = countBy(failures.map((failure) => baseOperation(failure.request.operation)));
  const lines = [
    `${title}: ${failures.length} failures in ${sent} requests, ${groups.length} distinct errors`,
    'by likely class:',
    ...byClass.map(([label, count]) => `  ${count}\t${label}`),
    'by operation:',
    ...byOperation.map(([operation, count]) => `  ${count}\t${operation}`),
    '',
  ];
  for (const group of groups) {
    const { smallest } = group;
    lines.push(
      `■ ${group.error} — ×${group.count} [class: ${classOf(group)}]`,
      `  in: ${group.operations.map(([operation, count]) => `${operation} ×${count}`).join(', ')}`,
      `  shortest (${smallest.problem}${smallest.status ? `, HTTP ${smallest.status}` : ''}):`,
      ...describeRequest(smallest.request)
        .split('\n')
        .map((line) => `  | ${line}`),
      '',
    );
  }
  return lines.join('\n');
}

/** A request's time on the wire (epoch ms), for finding what was running when the app stalled. */
export interface Span {
  readonly request: FuzzRequest;
  readonly start: number;
  readonly end: number;
}

/**
 * Operations in flight over the whole of each slow moment (sent before it, answered after it: what
 * can have blocked it), most frequent first.
 */
export function inFlightDuring(
  spans: readonly Span[],
  moments: ReadonlyArray<{ at: number; ms: number }>,
): Array<[string, number]> {
  return countBy(
    moments.flatMap(({ at, ms }) =>
      spans.filter((span) => span.start <= at && span.end >= at + ms).map((span) => span.request.operation),
    ),
  );
}

/** The slowest requests, to find what stalls (a request near the timeout is a hang). */
export function formatSlowest(spans: readonly Span[], count = 5): string {
  return [...spans]
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, count)
    .map(
      (span) =>
        `  ${span.end - span.start} ms\t${describeRequest(span.request).split('\n').join(' · ').slice(0, 400)}`,
    )
    .join('\n');
}
