import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type WebPushConfig } from '@todo/config';
import { generateRequestDetails } from 'web-push';
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

/**
 * Sends one Web Push message (RFC 8030) with VAPID (RFC 8292) and an `aes128gcm` payload
 * (RFC 8291). The `web-push` library signs and encrypts; the request itself goes out with `fetch`,
 * which bounds the whole exchange by a deadline and refuses redirects (a subscription must not
 * steer the server elsewhere) — its own sender only speaks https and times out idle sockets only.
 */
@Injectable()
export class PushSender {
  private readonly config: WebPushConfig;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.config = config.webPush;
  }

  /** `delivered`, or `gone` when the push service no longer knows the subscription; throws otherwise. */
  async send(target: PushTarget, payload: string): Promise<'delivered' | 'gone'> {
    const { vapid, ttlSeconds, timeoutMs } = this.config;
    if (!vapid) throw new Error('Web Push is not configured (VAPID keys)');
    const request = generateRequestDetails(target, payload, {
      vapidDetails: vapid,
      TTL: ttlSeconds,
      urgency: 'high',
      contentEncoding: 'aes128gcm',
    });
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([name]) => name.toLowerCase() !== 'content-length') // fetch sets it from the body
        .map(([name, value]) => [name, String(value)]),
    );
    const response = await fetch(request.endpoint, {
      method: request.method,
      headers,
      body: request.body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    }).catch((error: unknown) => {
      throw new PushServiceError(`${originOf(target.endpoint)} did not answer: ${messageOf(error)}`);
    });
    const text = await response.text().catch(() => '');
    if (response.ok) return 'delivered';
    if (GONE.has(response.status)) return 'gone';
    throw new PushServiceError(
      `${originOf(target.endpoint)} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    );
  }
}

/** Errors name the push service, never the whole endpoint (it is a capability URL). */
const originOf = (endpoint: string) => new URL(endpoint).origin;

/** The error and its cause ("fetch failed" alone says nothing); duck-typed, errors may come from another realm. */
function messageOf(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown } };
  if (typeof message !== 'string') return String(error);
  return typeof cause?.message === 'string' ? `${message} (${cause.message})` : message;
}
