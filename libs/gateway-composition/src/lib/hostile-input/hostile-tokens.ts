import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';

const HOUR = 3600;

/**
 * Authorization headers by name: the attacker's real one, none at all, and credentials that are
 * forged, expired or well signed with claims the app never issues. Signed with the app's own key
 * where the point is the claims, not the signature.
 */
export function hostileAuthorizations(
  secret: string,
  attacker: { token: string; userId: string },
): Record<string, string | undefined> {
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: object, options: jwt.SignOptions = {}) =>
    `Bearer ${jwt.sign(claims, secret, { algorithm: 'HS256', ...options })}`;
  const unsigned = (claims: object) =>
    `Bearer ${[{ alg: 'none', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.')}.`;
  return {
    attacker: `Bearer ${attacker.token}`,
    none: undefined,
    'empty bearer': 'Bearer ',
    'not a JWT': 'Bearer not-a-jwt',
    'basic scheme': `Basic ${Buffer.from('a:b').toString('base64')}`,
    'two tokens': `Bearer ${attacker.token} ${attacker.token}`,
    'lower-case scheme': `bearer ${attacker.token}`,
    'huge token': `Bearer ${'a'.repeat(12_000)}`,
    'alg none': unsigned({ sub: attacker.userId, exp: now + HOUR }),
    'wrong key': `Bearer ${jwt.sign({ sub: attacker.userId }, 'not the key', { expiresIn: HOUR })}`,
    'HS512 with the key': sign({ sub: attacker.userId, exp: now + HOUR }, { algorithm: 'HS512' }),
    expired: sign({ sub: attacker.userId, iat: now - 2 * HOUR, exp: now - HOUR }),
    'not yet valid': sign({ sub: attacker.userId, exp: now + HOUR, nbf: now + HOUR / 2 }),
    'no exp': sign({ sub: attacker.userId }, { noTimestamp: true }),
    'non-uuid sub': sign({ sub: 'admin', exp: now + HOUR }),
    'numeric sub': sign({ sub: 42, exp: now + HOUR }),
    'empty sub': sign({ sub: '', exp: now + HOUR }),
    'NUL in sub': sign({ sub: `${attacker.userId}\u0000`, exp: now + HOUR }),
    'no sub': sign({ exp: now + HOUR }),
    'unknown user': sign({ sub: randomUUID(), exp: now + HOUR }),
    'exp far future': sign({ sub: attacker.userId, exp: 253402300800 }),
  };
}
