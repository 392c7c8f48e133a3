import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeNow, listenOnLoopback, readRequestBody } from './loopback-server';

/** What `PushSubscription.toJSON()` gives a web app, and what it posts to the server. */
export interface BrowserPushSubscription {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

/** A message the push service accepted: signed by the expected VAPID key and decrypted. */
interface ReceivedPush {
  endpoint: string;
  /** The decrypted payload, parsed as JSON. */
  payload: unknown;
  /** The verified VAPID JWT claims. */
  claims: { aud: string; exp: number; sub: string };
  headers: IncomingHttpHeaders;
  /** `Date.now()` when it was decrypted. */
  receivedAt: number;
}

/** A request the push service refused, and why (a broken signature, a payload it could not decrypt…). */
interface RefusedPush {
  endpoint: string;
  status: number;
  reason: string;
}

interface Browser {
  readonly keys: ECDH;
  readonly authSecret: Buffer;
  /** The `applicationServerKey` the subscription was made with: pushes must be signed with it. */
  readonly applicationServerKey: string;
  expired: boolean;
  /** Statuses to answer the next requests with, before any processing (scripted failures). */
  readonly scripted: number[];
}

/** RFC 8291 §4: a push message body is at most 4096 bytes. */
const MAX_MESSAGE_BYTES = 4096;

class PushRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A push service on loopback (RFC 8030) that does what a real one and the browser behind it do with a
 * message: checks the VAPID `Authorization: vapid t=…, k=…` header (RFC 8292: ES256 signature by the
 * key the subscription was made with, `aud` = the endpoint's origin, `exp` within 24 hours) and
 * decrypts the `aes128gcm` body with the subscription's private key and auth secret (RFC 8291, RFC
 * 8188). Subscriptions can be expired (then 410 Gone) or given scripted answers (e.g. 500).
 */
export class DecryptingPushService {
  readonly received: ReceivedPush[] = [];
  readonly refused: RefusedPush[] = [];
  private readonly browsers = new Map<string, Browser>();
  private readonly server = createServer((request, response) => void this.handle(request, response));
  private baseUrl = '';

  static async start(): Promise<DecryptingPushService> {
    const service = new DecryptingPushService();
    service.baseUrl = await listenOnLoopback(service.server);
    return service;
  }

  get origin(): string {
    return this.baseUrl;
  }

  /** What `pushManager.subscribe({applicationServerKey})` does: a new key pair and auth secret. */
  subscribe(applicationServerKey: string): BrowserPushSubscription {
    const keys = createECDH('prime256v1');
    keys.generateKeys();
    const authSecret = randomBytes(16);
    const endpoint = `${this.baseUrl}/push/${randomUUID()}`;
    this.browsers.set(endpoint, { keys, authSecret, applicationServerKey, expired: false, scripted: [] });
    return {
      endpoint,
      expirationTime: null,
      keys: { p256dh: keys.getPublicKey('base64url'), auth: authSecret.toString('base64url') },
    };
  }

  /** The user revoked the permission or the subscription expired: pushes get 410 Gone from now on. */
  expire(endpoint: string): void {
    this.browserAt(endpoint).expired = true;
  }

  /** Answers the next `statuses.length` pushes to `endpoint` with these statuses, unprocessed. */
  answerNext(endpoint: string, ...statuses: number[]): void {
    this.browserAt(endpoint).scripted.push(...statuses);
  }

  /** The decrypted payloads delivered to `endpoint`, in order. */
  payloadsFor(endpoint: string): unknown[] {
    return this.received.filter((push) => push.endpoint === endpoint).map((push) => push.payload);
  }

  close(): Promise<void> {
    return closeNow(this.server);
  }

  private browserAt(endpoint: string): Browser {
    const browser = this.browsers.get(endpoint);
    if (!browser) throw new Error(`no subscription at ${endpoint}`);
    return browser;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const endpoint = `${this.baseUrl}${request.url}`;
    const body = await readRequestBody(request);
    const browser = this.browsers.get(endpoint);
    const status = (() => {
      if (request.method !== 'POST' || !browser) return 404;
      const scripted = browser.scripted.shift();
      if (scripted !== undefined) return scripted;
      if (browser.expired) return 410;
      try {
        this.received.push(this.accept(endpoint, browser, request.headers, body));
        return 201;
      } catch (error) {
        const refusal = error instanceof PushRefused ? error : new PushRefused(400, String(error));
        this.refused.push({ endpoint, status: refusal.status, reason: refusal.message });
        return refusal.status;
      }
    })();
    if (status === 201) response.setHeader('location', `${this.baseUrl}/message/${randomUUID()}`);
    response.writeHead(status).end();
  }

  private accept(
    endpoint: string,
    browser: Browser,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): ReceivedPush {
    if (!/^\d+$/.test(String(headers['ttl'] ?? ''))) throw new PushRefused(400, 'TTL header missing');
    if (headers['content-encoding'] !== 'aes128gcm')
      throw new PushRefused(415, `Content-Encoding ${headers['content-encoding']} is not aes128gcm`);
    if (body.length > MAX_MESSAGE_BYTES) throw new PushRefused(413, `${body.length} bytes is too large`);
    const claims = verifyVapid(headers.authorization, browser.applicationServerKey, new URL(endpoint).origin);
    let plaintext: Buffer;
    try {
      plaintext = decryptAes128gcm(body, browser.keys, browser.authSecret);
    } catch (error) {
      throw new PushRefused(400, `cannot decrypt: ${(error as Error).message}`);
    }
    const payload: unknown = JSON.parse(plaintext.toString('utf8'));
    return { endpoint, payload, claims, headers, receivedAt: Date.now() };
  }
}

/** RFC 8292: `vapid t=<JWT>, k=<public key>`, an ES256 JWT for this origin, signed by that key. */
function verifyVapid(
  authorization: string | undefined,
  expectedKey: string,
  origin: string,
): ReceivedPush['claims'] {
  const params = new Map(
    (authorization?.match(/^vapid (.*)$/)?.[1] ?? '')
      .split(',')
      .map((part) => part.trim().split('=') as [string, string]),
  );
  const token = params.get('t');
  const key = params.get('k');
  if (!token || !key) throw new PushRefused(401, `not a VAPID authorization: ${authorization}`);
  if (key !== expectedKey) throw new PushRefused(403, 'signed with another key than the subscription');
  const [header, claims, signature] = token.split('.');
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (decode(header).alg !== 'ES256') throw new PushRefused(403, 'the JWT is not ES256');
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new PushRefused(403, 'the JWT signature does not verify');
  const { aud, exp, sub } = decode(claims);
  const now = Date.now() / 1000;
  if (aud !== origin) throw new PushRefused(403, `aud ${aud} is not ${origin}`);
  if (!(exp > now && exp <= now + 24 * 3600)) throw new PushRefused(403, `exp ${exp} is not within 24 hours`);
  if (!/^(mailto:|https:)/.test(sub)) throw new PushRefused(403, `sub ${sub} is not mailto: or https:`);
  return { aud, exp, sub };
}

/**
 * RFC 8291 §3.4 key derivation, then one RFC 8188 record: header (salt, record size, the sender's
 * public key as key id), ciphertext with its tag, padding delimiter 0x02 (last record).
 */
function decryptAes128gcm(body: Buffer, receiver: ECDH, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const keyIdLength = body[20];
  if (keyIdLength !== 65)
    throw new Error(`key id of ${keyIdLength} bytes, expected the sender's 65-byte key`);
  const senderKey = body.subarray(21, 21 + keyIdLength);
  const record = body.subarray(21 + keyIdLength);
  if (record.length > recordSize) throw new Error('a push message must be a single record');
  const ecdhSecret = receiver.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.getPublicKey(), senderKey]);
  const ikm = hkdf(ecdhSecret, authSecret, keyInfo, 32);
  const contentKey = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12);
  const decipher = createDecipheriv('aes-128-gcm', contentKey, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the last record does not end with the 0x02 delimiter');
  return padded.subarray(0, end);
}

const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number) =>
  Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
