import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type WebPushConfig } from '@todo/config';
import { Agent } from 'undici';
import { encrypt, getVapidHeaders } from 'web-push';
import { InFlightLimit } from './in-flight-limit';
import type { PushTarget } from './push-subscriptions';

/** The push service answered with an error that may pass (5xx, 429, a timeout…): retry later. */
export class PushServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushServiceError';
  }
}

/** 404/410: the subscription expired or the user revoked it (RFC 8030 §7.3). */
const GONE = new Set([404, 410]);

/** A VAPID JWT is valid for 12 hours (at most 24, RFC 8292) and reused until an hour before it expires. */
const VAPID_TOKEN_SECONDS = 12 * 3600;
const VAPID_RENEW_BEFORE_MS = 3600_000;
/** Push services are few; many distinct origins mean odd endpoints, not a reason to grow without bound. */
const MAX_CACHED_ORIGINS = 1000;

/** Bounds what a push service may answer with (an error text is shown, at most 200 characters of it). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Sends one Web Push message (RFC 8030) with VAPID (RFC 8292) and an `aes128gcm` payload
 * (RFC 8291). The `web-push` library signs and encrypts. The signed token is kept per push service
 * (signing costs ~2 ms of CPU, as much as the rest of a push). Requests go out through one undici
 * agent: kept-alive connections to each push service (at most `maxInFlight` each), no redirects
 * followed (a subscription must not steer the server elsewhere), half the CPU of `fetch` per request.
 * At most `maxInFlight` pushes are in flight in the process; the deadline `timeoutMs` counts the wait
 * for a place, so a push ends within it whatever the load.
 */
@Injectable()
export class PushSender implements OnApplicationShutdown {
  private readonly config: WebPushConfig;
  private readonly authorizations = new Map<string, { header: string; renewAt: number }>();
  private readonly inFlight: InFlightLimit;
  private readonly agent: Agent;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.config = config.webPush;
    this.inFlight = new InFlightLimit(this.config.maxInFlight);
    this.agent = new Agent({ connections: this.config.maxInFlight, maxResponseSize: MAX_RESPONSE_BYTES });
  }

  /**
   * `delivered`, or `gone` when the push service no longer knows the subscription; throws otherwise.
   * `topic` (RFC 8030 §5.4, ≤ 32 URL-safe characters) lets a message sent again replace the first
   * while the browser has not fetched it.
   */
  async send(target: PushTarget, payload: string, topic: string): Promise<'delivered' | 'gone'> {
    const url = new URL(target.endpoint);
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    let sent = false;
    const { status, text } = await this.inFlight
      .run(signal, async () => {
        sent = true;
        const { cipherText } = encrypt(target.keys.p256dh, target.keys.auth, payload, 'aes128gcm');
        const response = await this.agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: {
            authorization: this.authorization(url.origin),
            'content-encoding': 'aes128gcm',
            'content-type': 'application/octet-stream',
            ttl: String(this.config.ttlSeconds),
            urgency: 'high',
            topic,
          },
          body: cipherText,
          signal,
        });
        return { status: response.statusCode, text: await response.body.text().catch(() => '') };
      })
      .catch((error: unknown) => {
        throw new PushServiceError(
          sent
            ? `${url.origin} did not answer: ${messageOf(error)}`
            : `not sent to ${url.origin}: no free place among the WEB_PUSH_MAX_IN_FLIGHT=${this.config.maxInFlight} pushes within ${this.config.timeoutMs} ms`,
        );
      });
    if (status >= 200 && status < 300) return 'delivered';
    if (GONE.has(status)) return 'gone';
    // Errors name the push service, never the whole endpoint (it is a capability URL).
    throw new PushServiceError(`${url.origin} answered ${status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }

  /** Lets pushes in flight finish, then closes the kept-alive connections. */
  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }

  /** `vapid t=<JWT for this origin>, k=<public key>`, signed again an hour before it expires. */
  private authorization(origin: string): string {
    const cached = this.authorizations.get(origin);
    if (cached && Date.now() < cached.renewAt) return cached.header;
    const { vapid } = this.config;
    if (!vapid) throw new Error('Web Push is not configured (VAPID keys)');
    const expiresAt = Math.floor(Date.now() / 1000) + VAPID_TOKEN_SECONDS;
    const { Authorization: header } = getVapidHeaders(
      origin,
      vapid.subject,
      vapid.publicKey,
      vapid.privateKey,
      'aes128gcm',
      expiresAt,
    );
    if (this.authorizations.size >= MAX_CACHED_ORIGINS) this.authorizations.clear();
    this.authorizations.set(origin, { header, renewAt: expiresAt * 1000 - VAPID_RENEW_BEFORE_MS });
    return header;
  }
}

/** The error and its cause ("fetch failed" alone says nothing); duck-typed, errors may come from another realm. */
function messageOf(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown } };
  if (typeof message !== 'string') return String(error);
  return typeof cause?.message === 'string' ? `${message} (${cause.message})` : message;
}
