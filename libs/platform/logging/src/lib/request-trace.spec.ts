import type { IncomingMessage } from 'node:http';
import { formatTraceparent, outgoingTraceHeaders, parseTraceparent, traceOf } from './request-trace';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

const request = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;

describe('W3C traceparent', () => {
  it('accepts a version-00 header and keeps its trace id and flags', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${PARENT_ID}-01`)).toEqual({ traceId: TRACE_ID, flags: '01' });
    // A later version may carry more fields; its first four are read the same way.
    expect(parseTraceparent(`cc-${TRACE_ID}-${PARENT_ID}-00-extra`)).toEqual({
      traceId: TRACE_ID,
      flags: '00',
    });
  });

  it.each([
    ['absent', undefined],
    ['sent twice', [`00-${TRACE_ID}-${PARENT_ID}-01`, `00-${TRACE_ID}-${PARENT_ID}-01`]],
    ['upper case', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['extra fields on version 00', `00-${TRACE_ID}-${PARENT_ID}-01-extra`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
  ])('refuses one that is %s', (_, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });
});

describe('request trace', () => {
  it('continues the caller trace in a span of its own, keeping a sane request id', () => {
    const trace = traceOf(
      request({ 'x-request-id': 'ticket-42', traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }),
    );
    expect(trace).toEqual({
      requestId: 'ticket-42',
      traceId: TRACE_ID,
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      flags: '01',
    });
    expect(trace.spanId).not.toBe(PARENT_ID);
    expect(formatTraceparent(trace)).toBe(`00-${TRACE_ID}-${trace.spanId}-01`);
  });

  it('starts a new trace and id when none (or nothing sane) came in, once per request', () => {
    const incoming = request({ 'x-request-id': 'x'.repeat(129) });
    const trace = traceOf(incoming);
    expect(trace.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceOf(incoming)).toBe(trace);
    for (const id of ['has space', 'line\nbreak', '"quoted"', ''])
      expect(traceOf(request({ 'x-request-id': id })).requestId).not.toBe(id);
  });

  it('has no headers to pass on outside a request', () => {
    expect(outgoingTraceHeaders()).toEqual({});
  });
});
