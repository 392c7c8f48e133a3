import { ECDH } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { WebPushConfig } from '@todo/config';

const ENDPOINT_MAX_LENGTH = 2048;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const isLocalName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/**
 * Where the server will POST: a push service, always reached by host name over https. IP literals and
 * `localhost` are refused so a subscription cannot aim the server at its own network (a cloud
 * metadata address, say); `allowHttpLoopback` admits http://127.0.0.1 and http://localhost for tests.
 */
function endpointSchema(allowHttpLoopback: boolean) {
  return z
    .string({ message: 'must be the push service URL from the browser (PushSubscription.endpoint)' })
    .max(ENDPOINT_MAX_LENGTH, { message: `must be at most ${ENDPOINT_MAX_LENGTH} characters` })
    .superRefine((value, ctx) => {
      const problem = endpointProblem(value, allowHttpLoopback);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

function endpointProblem(value: string, allowHttpLoopback: boolean): string | undefined {
  if (!URL.canParse(value)) return 'must be an absolute https:// URL';
  const url = new URL(value);
  if (allowHttpLoopback && LOOPBACK_HOSTS.has(url.hostname) && url.protocol === 'http:') return undefined;
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  if (url.username || url.password) return 'must not contain a user name or password';
  if (isLocalName(url.hostname) || isIP(url.hostname.replace(/^\[|\]$/g, '')))
    return 'must name the push service by its host name, not an IP address or localhost';
  return undefined;
}

const base64Url = (what: string) =>
  z
    .string({ message: `must be the ${what} in URL-safe base64` })
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { message: 'must be URL-safe base64 (A–Z, a–z, 0–9, "-", "_")' })
    .transform((value) => Buffer.from(value, 'base64url'));

/** The browser's P-256 public key: an uncompressed point (65 bytes) that is really on the curve. */
const p256dh = base64Url('browser public key (keys.p256dh)')
  .refine((key) => key.length === 65 && isCurvePoint(key), {
    message: 'must be an uncompressed P-256 public key (65 bytes)',
  })
  .transform((key) => key.toString('base64url'));

const auth = base64Url('authentication secret (keys.auth)')
  .refine((key) => key.length === 16, { message: 'must be 16 bytes' })
  .transform((key) => key.toString('base64url'));

function isCurvePoint(key: Buffer): boolean {
  try {
    ECDH.convertKey(key, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}

/**
 * `PushSubscription.toJSON()` as the browser produces it. `expirationTime` is accepted and ignored:
 * a push service answers 404/410 once a subscription has expired, which removes it.
 */
export function pushSubscriptionInputSchema(options: Pick<WebPushConfig, 'allowHttpLoopback'>) {
  return z.strictObject({
    endpoint: endpointSchema(options.allowHttpLoopback),
    expirationTime: z.number({ message: 'must be a number of milliseconds or null' }).nullable().optional(),
    keys: z.strictObject(
      { p256dh, auth },
      { message: 'must be the subscription keys {"p256dh", "auth"} from the browser' },
    ),
  });
}

export type PushSubscriptionInput = z.output<ReturnType<typeof pushSubscriptionInputSchema>>;
