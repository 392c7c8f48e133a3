import { generateVAPIDKeys } from 'web-push';
import { pushSubscriptionInputSchema } from './push-subscription-input';

describe('pushSubscriptionInputSchema', () => {
  // Any valid P-256 public key does for the browser's key.
  const keys = { p256dh: generateVAPIDKeys().publicKey, auth: Buffer.alloc(16, 7).toString('base64url') };
  const strict = pushSubscriptionInputSchema({ allowHttpLoopback: false });
  const forTests = pushSubscriptionInputSchema({ allowHttpLoopback: true });
  const endpointIssue = (schema: typeof strict, endpoint: string) =>
    schema.safeParse({ endpoint, keys }).error?.issues.map((issue) => issue.message);

  it('accepts what browsers send, padded base64 too, and ignores expirationTime', () => {
    const endpoint = 'https://fcm.googleapis.com/fcm/send/dXJL:APA91b';
    expect(strict.parse({ endpoint, expirationTime: null, keys })).toEqual({
      endpoint,
      expirationTime: null,
      keys,
    });
    expect(strict.parse({ endpoint, keys: { ...keys, auth: `${keys.auth}==` } }).keys.auth).toBe(keys.auth);
  });

  it.each([
    ['http://updates.push.services.mozilla.com/wpush/v2/x', 'must be an https:// URL'],
    ['ftp://push.example.com/x', 'must be an https:// URL'],
    ['https://user:secret@push.example.com/x', 'must not contain a user name or password'],
    ['https://10.0.0.7/x', 'must name the push service by its host name, not an IP address or localhost'],
    ['https://2130706433/x', 'must name the push service by its host name, not an IP address or localhost'],
    ['https://[fd00::1]/x', 'must name the push service by its host name, not an IP address or localhost'],
    ['https://localhost/x', 'must name the push service by its host name, not an IP address or localhost'],
    [
      'https://admin.localhost/x',
      'must name the push service by its host name, not an IP address or localhost',
    ],
    ['http://127.0.0.1:9000/x', 'must be an https:// URL'],
    ['/relative/path', 'must be an absolute https:// URL'],
  ])('refuses the endpoint %s', (endpoint, message) => {
    expect(endpointIssue(strict, endpoint)).toEqual([message]);
  });

  it('admits http loopback endpoints only when the setting allows them, and nothing else besides', () => {
    expect(endpointIssue(forTests, 'http://127.0.0.1:9000/push/1')).toBeUndefined();
    expect(endpointIssue(forTests, 'http://localhost:9000/push/1')).toBeUndefined();
    expect(endpointIssue(forTests, 'http://[::1]:9000/push/1')).toBeUndefined();
    expect(endpointIssue(forTests, 'http://10.0.0.7/x')).toEqual(['must be an https:// URL']);
    expect(endpointIssue(forTests, 'https://127.0.0.1/x')).toEqual([
      'must name the push service by its host name, not an IP address or localhost',
    ]);
  });

  it('refuses keys that could never decrypt: wrong sizes, not on the curve, standard base64', () => {
    const issues = (p256dh: string, auth: string) =>
      strict
        .safeParse({ endpoint: 'https://push.example.com/x', keys: { p256dh, auth } })
        .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url');
    expect(issues(offCurve, keys.auth)).toEqual([
      'keys.p256dh: must be an uncompressed P-256 public key (65 bytes)',
    ]);
    expect(issues(keys.p256dh.slice(0, 40), Buffer.alloc(32).toString('base64url'))).toEqual([
      'keys.p256dh: must be an uncompressed P-256 public key (65 bytes)',
      'keys.auth: must be 16 bytes',
    ]);
    expect(issues(keys.p256dh, 'ab+/cd==')).toEqual([
      'keys.auth: must be URL-safe base64 (A–Z, a–z, 0–9, "-", "_")',
    ]);
  });
});
