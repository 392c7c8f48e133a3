import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { ServiceUnavailableError, ValidationError } from './app-errors';
import { busyDatabase, refusedInputFromDatabase } from './database-errors';

describe('refusedInputFromDatabase', () => {
  it('turns PostgreSQL input errors into a 400, also when TypeORM wraps them', () => {
    const nul = refusedInputFromDatabase({
      code: '22021',
      message: 'invalid byte sequence for encoding "UTF8": 0x00',
    });
    expect(nul).toBeInstanceOf(ValidationError);
    expect(nul?.status).toBe(400);
    expect(nul?.message).toBe('The request was refused: a text contains a character that cannot be stored');
    expect(refusedInputFromDatabase({ driverError: { code: '22008' } })?.message).toContain(
      'a date or time is out of range',
    );
  });

  it('leaves every other failure alone (a bug or an outage stays a 5xx)', () => {
    expect(refusedInputFromDatabase({ code: '23505' })).toBeNull(); // unique violation: the code handles it
    expect(refusedInputFromDatabase({ code: 'ECONNREFUSED' })).toBeNull();
    expect(refusedInputFromDatabase(new Error('boom'))).toBeNull();
    expect(refusedInputFromDatabase(undefined)).toBeNull();
  });
});

describe('busyDatabase', () => {
  // A server that accepts connections and never answers: node-postgres's own timeouts fire, as they
  // do when PostgreSQL is saturated.
  let silent: Server;
  let port: number;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it("turns the pool's queue timeout and a connect timeout into a 503 with a retry delay", async () => {
    const pool = new Pool({ host: '127.0.0.1', port, max: 1, connectionTimeoutMillis: 100 });
    const [connecting, queued] = await Promise.allSettled([pool.connect(), pool.connect()]);
    await pool.end();
    for (const outcome of [connecting, queued]) {
      expect(outcome.status).toBe('rejected');
      const busy = busyDatabase((outcome as PromiseRejectedResult).reason);
      expect(busy).toBeInstanceOf(ServiceUnavailableError);
      expect(busy?.status).toBe(503);
      expect(busy?.retryAfterSeconds).toBe(1);
    }
  });

  it('knows a full or starting server by its SQLSTATE, and leaves other failures alone', () => {
    expect(busyDatabase({ code: '53300' })?.status).toBe(503); // too_many_connections
    expect(busyDatabase({ driverError: { code: '57P03' } })?.status).toBe(503); // cannot_connect_now
    expect(busyDatabase({ code: '23505' })).toBeNull();
    expect(busyDatabase(new Error('boom'))).toBeNull();
    expect(busyDatabase(undefined)).toBeNull();
  });
});
