import {
  classesOfError,
  type Failure,
  formatReport,
  groupFailures,
  inFlightDuring,
  traitsOf,
} from './fuzz-report';
import type { FuzzRequest } from './fuzz-request';

const request = (overrides: Partial<FuzzRequest>): FuzzRequest => ({
  surface: 'rest',
  operation: 'POST /api/v1/tasks',
  method: 'POST',
  path: '/api/v1/tasks',
  auth: 'attacker',
  ...overrides,
});

describe('traitsOf', () => {
  const traits = (overrides: Partial<FuzzRequest>) => traitsOf(request(overrides)).map(({ trait }) => trait);

  it('recognises what the known bug classes are about', () => {
    expect(traits({ body: { title: 'a\u0000b' } })).toEqual(['NUL']);
    expect(traits({ body: { title: '\ud800' } })).toEqual(['lone surrogate']);
    expect(traits({ path: '/api/v1/tasks/%ED%A0%80' })).toEqual(['lone surrogate']);
    expect(traits({ body: { due: '0001-01-01T00:00:00Z' } })).toEqual(['year 0000/0001 or negative']);
    expect(traits({ body: { due: '9999-12-31T23:59' } })).toEqual(['year ≥ 9999']);
    expect(traits({ body: { due: '2030-06-01T24:00' } })).toEqual(['hour 24']);
    expect(traits({ body: { recurrence: { rrule: 'FREQ=DAILY' } } })).toEqual(['recurrence rule']);
    expect(traits({ auth: 'non-uuid sub' })).toEqual(['token claims']);
    expect(traits({ operation: 'structure · 1,000 aliases of tasks' })).toEqual([
      'document shape (breadth, depth, size)',
    ]);
    expect(traits({ operation: 'structure · query is a number' })).toEqual([]);
  });

  it('does not take uuids of zeros for year 0000 or ordinary requests for anything', () => {
    expect(traits({ path: '/api/v1/tasks/00000000-0000-0000-0000-000000000000' })).toEqual([]);
    expect(traits({ body: { title: 'Buy milk', due: '2030-06-01T12:00:00Z' } })).toEqual([]);
  });
});

describe('groupFailures and formatReport', () => {
  const failures: Failure[] = [
    {
      request: request({
        operation: 'GET /api/v1/me · auth "non-uuid sub"',
        method: 'GET',
        path: '/api/v1/me',
        auth: 'non-uuid sub',
      }),
      problem: 'HTTP 500',
      status: 500,
      serverError: 'QueryFailedError: invalid input syntax for type uuid: "admin"',
    },
    {
      request: request({
        operation: 'GET /api/v1/tasks · auth "non-uuid sub"',
        method: 'GET',
        path: '/api/v1/tasks?limit=5',
        auth: 'non-uuid sub',
      }),
      problem: 'HTTP 500',
      status: 500,
      serverError: 'QueryFailedError: invalid input syntax for type uuid: "admin"',
    },
    {
      request: request({ body: { title: 'x'.repeat(50) } }),
      problem: 'HTTP 500',
      status: 500,
      serverError: 'TypeError: boom at 12',
    },
    {
      request: request({ body: { title: 'x' } }),
      problem: 'HTTP 500',
      status: 500,
      serverError: 'TypeError: boom at 13',
    },
  ];

  it('groups by error across operations, keeps the shortest request and the classes all members share', () => {
    const groups = groupFailures(failures);
    expect(
      groups.map(({ error, count, operations, likelyClasses }) => ({
        error,
        count,
        operations,
        likelyClasses,
      })),
    ).toEqual([
      {
        error: 'HTTP N: QueryFailedError: invalid input syntax for type uuid: "…"',
        count: 2,
        operations: [
          ['GET /api/v1/me', 1],
          ['GET /api/v1/tasks', 1],
        ],
        likelyClasses: ['5 NUL/surrogate/cursor/token/hour 24'],
      },
      {
        error: 'HTTP N: TypeError: boom at N',
        count: 2,
        operations: [['POST /api/v1/tasks', 2]],
        likelyClasses: [],
      },
    ]);
    expect(groups[0]?.smallest.request.path).toBe('/api/v1/me');
    expect(groups[1]?.smallest.request.body).toEqual({ title: 'x' });
  });

  it('prints per class, per operation and per error with a request to replay; new bugs stand out', () => {
    const report = formatReport('rest', failures, 100);
    expect(report).toContain('rest: 4 failures in 100 requests, 2 distinct errors');
    expect(report).toContain('2\tNEW (no known class)');
    expect(report).toContain('  | POST /api/v1/tasks\n  | auth: attacker\n  | {"title":"x"}');
    expect(formatReport('mcp', [], 7)).toBe('mcp: 7 requests, no failures');
  });
});

describe('classesOfError', () => {
  it('routes a failure by what the app logged when the request itself shows nothing', () => {
    expect(classesOfError('RangeError: Invalid time value')).toEqual(['4 out-of-range instant']);
    expect(classesOfError('QueryFailedError: invalid byte sequence for encoding "UTF8": 0x00')).toEqual([
      '5 NUL/surrogate/cursor/token/hour 24',
    ]);
    expect(classesOfError('TypeError: x is not a function')).toEqual([]);
    expect(classesOfError(undefined)).toEqual([]);
  });
});

describe('inFlightDuring', () => {
  it('names the requests that spanned a slow moment', () => {
    const spans = [
      { request: request({ operation: 'stalls' }), start: 0, end: 500 },
      { request: request({ operation: 'waited too' }), start: 150, end: 400 },
      { request: request({ operation: 'before' }), start: 0, end: 90 },
    ];
    expect(inFlightDuring(spans, [{ at: 100, ms: 300 }])).toEqual([['stalls', 1]]);
  });
});
