// How environment variables' text becomes typed values (shared by the declarations in config-variables.ts).
import { isIP } from 'node:net';
import { z } from 'zod';

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

export const int = (min: number, max: number) =>
  z.coerce
    .number({ message: 'expected a whole number' })
    .int({ message: 'expected a whole number' })
    .min(min, { message: `expected at least ${min}` })
    .max(max, { message: `expected at most ${max}` });

function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

/**
 * Fastify's `trustProxy`: `true`/`false`, the number of proxy hops in front of the app, or the
 * proxies' addresses/CIDRs (comma-separated). Only trusted hops may set the client address.
 */
export const trustProxy = z.string().transform((value, ctx): boolean | number | string[] => {
  const text = value.trim().toLowerCase();
  if (['true', 'yes'].includes(text)) return true;
  if (['false', 'no', '0'].includes(text)) return false;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const addresses = text.split(',').map((item) => item.trim());
  if (addresses.every(isAddressOrCidr)) return addresses;
  ctx.addIssue({
    code: 'custom',
    message: 'expected true, false, a number of proxy hops, or comma-separated proxy addresses/CIDRs',
  });
  return z.NEVER;
});

export const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** A key in URL-safe base64 without padding (as `web-push generate-vapid-keys` prints it) of `bytes` bytes. */
export const base64UrlKey = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'expected URL-safe base64 without padding' })
    .refine((value) => Buffer.from(value, 'base64url').length === bytes, {
      message: `expected ${bytes} bytes in URL-safe base64`,
    });
