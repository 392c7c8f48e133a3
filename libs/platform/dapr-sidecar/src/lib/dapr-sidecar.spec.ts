import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DaprSidecar, SidecarCallError, sidecarUrl } from './dapr-sidecar';

/** A loopback HTTP server standing in for a sidecar that answers (or not) as told. */
async function serve(answer: (path: string, respond: (status: number, body?: string) => void) => void) {
  const server: Server = createServer((request, response) =>
    answer(request.url ?? '', (status, body) => {
      response.writeHead(status, body ? { 'content-type': 'application/json' } : {}).end(body);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    sidecar: (timeoutMs?: number) => new DaprSidecar({ host: '127.0.0.1', httpPort: port }, timeoutMs),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('DaprSidecar (the SDK client with deadlines and named errors)', () => {
  it('names the status and the sidecar answer of a refused call', async () => {
    const refusing = await serve((_path, respond) =>
      respond(500, '{"errorCode":"ERR_SECRET_GET","message":"secret x not found"}'),
    );
    try {
      const error = await refusing
        .sidecar()
        .call('read x', (client) => client.secret.get('secretstore', 'x'))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SidecarCallError);
      expect(error).toMatchObject({
        status: 500,
        body: '{"errorCode":"ERR_SECRET_GET","message":"secret x not found"}',
        message:
          'the Dapr sidecar refused to read x: HTTP 500 {"errorCode":"ERR_SECRET_GET","message":"secret x not found"}',
      });
    } finally {
      await refusing.close();
    }
  });

  it('fails a call the SDK answers with `{ error }` instead of throwing (publish, state save)', async () => {
    const refusing = await serve((_path, respond) => respond(403, '{"errorCode":"ERR_PUBSUB_FORBIDDEN"}'));
    try {
      await expect(
        refusing.sidecar().call('publish', (client) => client.pubsub.publish('pubsub', 'topic', { a: 1 })),
      ).rejects.toMatchObject({
        status: 403,
        message: expect.stringMatching(/refused to publish: HTTP 403/),
      });
    } finally {
      await refusing.close();
    }
  });

  it('answers at its deadline when the sidecar does not, and at once when nothing listens', async () => {
    const silent = await serve(() => undefined);
    try {
      const started = Date.now();
      await expect(
        silent.sidecar(300).call('read x', (client) => client.secret.get('secretstore', 'x')),
      ).rejects.toMatchObject({
        status: undefined,
        message: expect.stringMatching(/did not answer within 300 ms$/),
      });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await silent.close();
    }
    const gone = await serve(() => undefined);
    const sidecar = gone.sidecar(10_000);
    await gone.close();
    const started = Date.now();
    await expect(
      sidecar.call('read x', (client) => client.secret.get('secretstore', 'x')),
    ).rejects.toMatchObject({
      status: undefined,
      message: expect.stringMatching(/did not answer \(.*ECONNREFUSED/),
    });
    expect(Date.now() - started).toBeLessThan(2_000); // the SDK's wait for a starting sidecar is off
  });

  it('puts an IPv6 host in brackets', () => {
    expect(sidecarUrl({ host: '::1', httpPort: 3500 })).toBe('http://[::1]:3500');
    expect(sidecarUrl({ host: 'localhost', httpPort: 3500 })).toBe('http://localhost:3500');
  });
});
