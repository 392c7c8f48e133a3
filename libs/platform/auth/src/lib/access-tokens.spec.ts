import { JwtService } from '@nestjs/jwt';
import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { AccessTokens } from './access-tokens';

/** Tokens verified once are remembered; what a remembered token is worth must not change. */
describe('AccessTokens', () => {
  const secret = createSecretKey(randomBytes(32));
  const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256', expiresIn: 60 } });
  const tokens = new AccessTokens(jwt);
  const userId = randomUUID();

  afterEach(() => jest.useRealTimers());

  it('accepts a valid token every time, with its user and expiry', async () => {
    const token = await tokens.issue(userId);
    const first = await tokens.inspect(token);
    expect(first).toEqual({ userId, expiresAt: expect.any(Date) });
    expect(await tokens.inspect(token)).toEqual(first);
    expect(await tokens.verify(token)).toBe(userId);
  });

  it('rejects a remembered token from the second it expires', async () => {
    jest.useFakeTimers({
      now: new Date('2030-01-01T00:00:00.400Z'),
      doNotFake: ['nextTick', 'setImmediate'],
    });
    const token = await tokens.issue(userId); // exp: 00:01:00
    expect(await tokens.verify(token)).toBe(userId);
    jest.setSystemTime(new Date('2030-01-01T00:00:59.999Z'));
    expect(await tokens.verify(token)).toBe(userId);
    jest.setSystemTime(new Date('2030-01-01T00:01:00.000Z'));
    expect(await tokens.verify(token)).toBeNull();
  });

  it('rejects a token signed with another key, or altered, even after the genuine one was accepted', async () => {
    const token = await tokens.issue(userId);
    expect(await tokens.verify(token)).toBe(userId);
    const [header, , signature] = token.split('.');
    const otherUser = Buffer.from(JSON.stringify({ sub: randomUUID(), exp: 4_102_444_800 })).toString(
      'base64url',
    );
    expect(await tokens.verify(`${header}.${otherUser}.${signature}`)).toBeNull();
    const forged = await new JwtService({ secret: createSecretKey(randomBytes(32)) }).signAsync(
      { sub: userId },
      { algorithm: 'HS256', expiresIn: 60 },
    );
    expect(await tokens.verify(forged)).toBeNull();
  });

  it('checks a token that is not valid before some time on every use', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const later = await jwt.signAsync({ sub: userId }, { notBefore: 10 });
    expect(await tokens.verify(later)).toBeNull();
    jest.setSystemTime(new Date('2030-01-01T00:00:10Z'));
    expect(await tokens.verify(later)).toBe(userId);
  });

  it('refuses tokens without an expiry or with a subject that is no user id', async () => {
    const noExpiry = await new JwtService({ secret }).signAsync({ sub: userId }, { algorithm: 'HS256' });
    expect(await tokens.verify(noExpiry)).toBeNull();
    expect(await tokens.verify(await jwt.signAsync({ sub: 'admin' }))).toBeNull();
  });
});
