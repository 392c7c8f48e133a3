import type { AppConfig } from '@todo/config';
import { closeNow, DecryptingPushService, listenOnLoopback } from '@todo/testing';
import { createServer } from 'node:http';
import { generateVAPIDKeys } from 'web-push';
import { PushSender, PushServiceError } from './push-sender';
import { reminderNotification } from './reminder-notification';

/** The sender against a loopback push service that verifies VAPID and decrypts like a browser. */
describe('PushSender', () => {
  const vapid = { ...generateVAPIDKeys(), subject: 'https://todo.example.com/contact' };
  const senders: PushSender[] = [];
  const senderWith = (keys = vapid, timeoutMs = 2000, maxInFlight = 64) => {
    const sender = new PushSender({
      webPush: { vapid: keys, allowHttpLoopback: true, timeoutMs, ttlSeconds: 60, maxInFlight },
    } as AppConfig);
    senders.push(sender);
    return sender;
  };
  const topic = 'b2f0c1e7a3d94f5e8c6a0b1d2e3f4a5b';
  let push: DecryptingPushService;
  beforeAll(async () => (push = await DecryptingPushService.start()));
  afterAll(async () => {
    await Promise.all(senders.map((sender) => sender.onApplicationShutdown()));
    await push.close();
  });

  const target = () => {
    const browser = push.subscribe(vapid.publicKey);
    return { id: 'local', endpoint: browser.endpoint, keys: browser.keys };
  };

  it('delivers a payload the browser decrypts, signed for the push service origin', async () => {
    const to = target();
    await expect(senderWith().send(to, '{"hello":"world"}', topic)).resolves.toBe('delivered');
    expect(push.payloadsFor(to.endpoint)).toEqual([{ hello: 'world' }]);
    const [message] = push.received.filter((received) => received.endpoint === to.endpoint);
    expect(message.claims).toMatchObject({ aud: push.origin, sub: vapid.subject });
    expect(message.headers).toMatchObject({
      ttl: '60',
      urgency: 'high',
      topic,
      'content-encoding': 'aes128gcm',
    });
  });

  it('signs once per push service and reuses the token until an hour before it expires', async () => {
    const sender = senderWith();
    const [one, two] = [target(), target()];
    await sender.send(one, '{}', topic);
    await sender.send(two, '{}', topic);
    const [first, second] = push.received.filter((received) =>
      [one.endpoint, two.endpoint].includes(received.endpoint),
    );
    // ES256 signatures are randomized: equal headers mean one signature.
    expect(second.headers.authorization).toBe(first.headers.authorization);
    expect(first.claims.exp * 1000 - Date.now()).toBeGreaterThan(11.9 * 3600_000);
  });

  it('fits the largest reminder into one push message (4096 bytes)', async () => {
    const to = target();
    // 500 characters that JSON escapes to six bytes each: the worst title the task API accepts.
    const title = '\u0001'.repeat(500);
    const notification = reminderNotification({
      user_id: '00000000-0000-4000-8000-000000000000',
      reminder: {
        id: '00000000-0000-4000-8000-000000000001',
        before: 'P1W',
        at: null,
        fire_at: '2030-01-01T00:00:00.000Z',
      },
      task: {
        id: '00000000-0000-4000-8000-000000000002',
        number: 2_147_483_647,
        title,
        due: '2030-01-08T00:00:00.000Z',
        time_zone: 'America/Argentina/ComodRivadavia',
      },
      fired_at: '2030-01-01T00:00:00.000Z',
    });
    await expect(senderWith().send(to, JSON.stringify(notification), topic)).resolves.toBe('delivered');
    expect(push.payloadsFor(to.endpoint)).toEqual([notification]);
  });

  it('is refused when signing with another key than the subscription was made with', async () => {
    const to = target();
    const other = { ...generateVAPIDKeys(), subject: vapid.subject };
    await expect(senderWith(other).send(to, '{}', topic)).rejects.toThrow(PushServiceError);
    expect(push.refused.find((refusal) => refusal.endpoint === to.endpoint)).toMatchObject({
      status: 403,
      reason: 'signed with another key than the subscription',
    });
  });

  it('is refused when the payload is encrypted for other browser keys', async () => {
    const to = target();
    const stranger = target();
    await expect(senderWith().send({ ...to, keys: stranger.keys }, '{}', topic)).rejects.toThrow(
      /answered 400/,
    );
    expect(push.refused.find((refusal) => refusal.endpoint === to.endpoint)?.reason).toMatch(
      /cannot decrypt/,
    );
  });

  it('reports a gone subscription (404/410) and throws on anything else', async () => {
    const to = target();
    push.answerNext(to.endpoint, 404, 429, 500);
    await expect(senderWith().send(to, '{}', topic)).resolves.toBe('gone');
    await expect(senderWith().send(to, '{}', topic)).rejects.toThrow(`${push.origin} answered 429`);
    await expect(senderWith().send(to, '{}', topic)).rejects.toThrow(`${push.origin} answered 500`);
    push.expire(to.endpoint);
    await expect(senderWith().send(to, '{}', topic)).resolves.toBe('gone');
  });

  it('gives up on a push service that does not answer in time, and never follows redirects', async () => {
    const paths: string[] = [];
    const silent = createServer((request, response) => {
      paths.push(request.url ?? '');
      if (request.url === '/redirect') response.writeHead(307, { location: '/elsewhere' }).end();
    });
    const base = await listenOnLoopback(silent);
    try {
      const keys = target().keys;
      const started = Date.now();
      await expect(
        senderWith(vapid, 300).send({ id: 'x', endpoint: `${base}/hang`, keys }, '{}', topic),
      ).rejects.toThrow(/did not answer: .*(timeout|aborted)/i);
      expect(Date.now() - started).toBeLessThan(2000);
      await expect(
        senderWith().send({ id: 'x', endpoint: `${base}/redirect`, keys }, '{}', topic),
      ).rejects.toThrow(`${base} answered 307`);
      expect(paths).toEqual(['/hang', '/redirect']);
    } finally {
      await closeNow(silent);
    }
  });

  it('keeps at most maxInFlight pushes in flight, over kept-alive connections', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const sockets = new Set<unknown>();
    const slow = createServer((request, response) => {
      sockets.add(request.socket);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      request.resume();
      setTimeout(() => {
        inFlight--;
        response.writeHead(201).end();
      }, 100);
    });
    const base = await listenOnLoopback(slow);
    try {
      const keys = target().keys;
      const sender = senderWith(vapid, 2000, 3);
      const sendTo = (i: number) =>
        sender.send({ id: `${i}`, endpoint: `${base}/push/${i}`, keys }, '{}', topic);
      await expect(Promise.all(Array.from({ length: 12 }, (_, i) => sendTo(i)))).resolves.toEqual(
        Array(12).fill('delivered'),
      );
      expect(mostInFlight).toBe(3);
      expect(sockets.size).toBe(3);
    } finally {
      await closeNow(slow);
    }
  });
});
