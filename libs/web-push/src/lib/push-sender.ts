import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type WebPushConfig } from '@todo/config';
import { encrypt, getVapidHeaders } from 'web-push';
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

/**
 * Sends one Web Push message (RFC 8030) with VAPID (RFC 8292) and an `aes128gcm` payload
 * (RFC 8291). The `web-push` library signs and encrypts. The signed token is kept per push service
 * (signing costs ~2 ms of CPU, as much as the rest of a push). The request goes out with `fetch`,
 * which bounds the whole exchange by a deadline and refuses redirects (a subscription must not steer
 * the server elsewhere); the library's own sender speaks https only and times out idle sockets only.
 */
@Injectable()
export class PushSender {
  private readonly config: WebPushConfig;
  private readonly authorizations = new Map<string, { header: string; renewAt: number }>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.config = config.webPush;
  }

  /** `delivered`, or `gone` when the push service no longer knows the subscription; throws otherwise. */
  async send(target: PushTarget, payload: string): Promise<'delivered' | 'gone'> {
    const origin = new URL(target.endpoint).origin;
    const { cipherText } = encrypt(target.keys.p256dh, target.keys.auth, payload, 'aes128gcm');
    const response = await fetch(target.endpoint, {
      method: 'POST',
      headers: {
        authorization: this.authorization(origin),
        'content-encoding': 'aes128gcm',
        'content-type': 'application/octet-stream',
        ttl: String(this.config.ttlSeconds),
        urgency: 'high',
      },
      body: cipherText,
      redirect: 'error',
      signal: AbortSignal.timeout(this.config.timeoutMs),
    }).catch((error: unknown) => {
      throw new PushServiceError(`${origin} did not answer: ${messageOf(error)}`);
    });
    const text = await response.text().catch(() => '');
    if (response.ok) return 'delivered';
    if (GONE.has(response.status)) return 'gone';
    // Errors name the push service, never the whole endpoint (it is a capability URL).
    throw new PushServiceError(
      `${origin} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    );
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
