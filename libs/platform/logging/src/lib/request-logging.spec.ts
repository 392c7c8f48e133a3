import type { AppConfig } from '@todo/config';
import { createServer, type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import { ABORTED_REQUEST_MESSAGE, RequestLogging } from './request-logging';

type Line = Record<string, unknown>;

/** A real HTTP server whose handler runs inside `RequestLogging.begin`, as the app's first hook does. */
async function serve(level: string, handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const lines: Line[] = [];
  const logging = new RequestLogging({ log: { level }, service: 'svc' } as AppConfig, {
    write: (line: string) => void lines.push(JSON.parse(line) as Line),
  });
  const server = createServer((req, res) => logging.begin(req, res, () => handler(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) =>
      httpRequest({ port, path, headers }, (res) =>
        res.resume().on('end', () => resolve(res.statusCode ?? 0)),
      )
        .on('error', reject)
        .end(),
    );
  return { lines, logging, server, port, get, close: () => new Promise((resolve) => server.close(resolve)) };
}

const waitFor = async (check: () => boolean) => {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 2000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('RequestLogging', () => {
  // nestjs-pino's PinoLogger, as Nest's logger uses it inside a request
  const pinoLogger = (logging: RequestLogging) => new PinoLogger({ pinoHttp: { logger: logging.root } });

  it('writes one line per request with the request, its trace, the status and the time taken', async () => {
    const app = await serve('info', (_req, res) => res.end('ok'));
    try {
      await app.get('/api/v1/tasks?limit=2', {
        'x-request-id': 'ticket-1',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });
      await waitFor(() => app.lines.length > 0);
      expect(app.lines).toEqual([
        {
          level: 30,
          time: expect.any(Number),
          pid: process.pid,
          hostname: expect.any(String),
          service: 'svc',
          req: { id: 'ticket-1', method: 'GET', url: '/api/v1/tasks?limit=2' },
          trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
          span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
          res: { status: 200 },
          responseTime: expect.any(Number),
          msg: 'request completed',
        },
      ]);
      // in pino-http's order
      expect(Object.keys(app.lines[0])).toEqual(FIELD_ORDER);
    } finally {
      await app.close();
    }
  });

  it('says a 5xx answer errored, with the status as the error', async () => {
    const app = await serve('info', (_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    try {
      await app.get('/fails');
      await waitFor(() => app.lines.length > 0);
      expect(app.lines[0]).toMatchObject({
        level: 30,
        res: { status: 503 },
        err: { type: 'Error', message: 'failed with status code 503' },
        msg: 'request errored',
      });
    } finally {
      await app.close();
    }
  });

  it('logs a client that hung up before the answer, without a status', async () => {
    let hungUp!: () => void;
    const closed = new Promise<void>((resolve) => (hungUp = resolve));
    const app = await serve('info', (req) => req.socket.on('close', hungUp)); // never answers
    try {
      const socket = connect(app.port, '127.0.0.1', () =>
        socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: hangs-up\r\n\r\n', () =>
          setTimeout(() => socket.destroy(), 50),
        ),
      );
      await closed;
      await waitFor(() => app.lines.length > 0);
      expect(app.lines[0]).toMatchObject({
        req: { id: 'hangs-up' },
        res: { status: null },
        msg: ABORTED_REQUEST_MESSAGE,
      });
    } finally {
      await app.close();
    }
  });

  it('gives what is logged while serving a request its context, made only when a line is written', async () => {
    const app = await serve('warn', (req, res) => {
      if (req.url === '/logs')
        setTimeout(() => pinoLogger(app.logging).warn('later, in the same request'), 5);
      setTimeout(() => res.end(), 10);
    });
    try {
      const child = jest.spyOn(app.logging.root, 'child');
      await app.get('/logs', { 'x-request-id': 'ctx-1' });
      expect(app.lines).toEqual([
        expect.objectContaining({
          level: 40,
          req: { id: 'ctx-1', method: 'GET', url: '/logs' },
          trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
          msg: 'later, in the same request',
        }),
      ]);
      expect(child).toHaveBeenCalledTimes(1);
      child.mockClear();
      await app.get('/writes-nothing');
      expect(child).not.toHaveBeenCalled(); // at warn, no request line: no request logger either
    } finally {
      await app.close();
    }
  });

  it('writes no line for the health and metrics paths, and none when info is off', async () => {
    const info = await serve('info', (_req, res) => res.end());
    const warn = await serve('warn', (_req, res) => res.end());
    try {
      for (const path of ['/health/live', '/health/ready?x=1', '/metrics']) await info.get(path);
      await warn.get('/api/v1/tasks');
      await info.get('/api/v1/tasks');
      await waitFor(() => info.lines.length > 0);
      expect(info.lines.map((line) => (line['req'] as { url: string }).url)).toEqual(['/api/v1/tasks']);
      expect(warn.lines).toEqual([]);
    } finally {
      await Promise.all([info.close(), warn.close()]);
    }
  });
});

const FIELD_ORDER = [
  'level',
  'time',
  'pid',
  'hostname',
  'service',
  'req',
  'trace_id',
  'span_id',
  'res',
  'responseTime',
  'msg',
];
