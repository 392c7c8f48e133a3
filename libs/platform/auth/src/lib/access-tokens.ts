import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUuid } from '@todo/validation';

interface AccessTokenClaims {
  sub: string;
  exp?: number;
}

/** A verified token: whose it is and until when it is valid. */
export interface VerifiedToken {
  readonly userId: string;
  readonly expiresAt: Date;
}

/** Issues and verifies the bearer tokens (HS256 JWT, key and lifetime from configuration). */
@Injectable()
export class AccessTokens {
  constructor(private readonly jwt: JwtService) {}

  issue(userId: string): Promise<string> {
    return this.jwt.signAsync({ sub: userId } satisfies AccessTokenClaims);
  }

  /**
   * The user id, or null for a token that is malformed, forged or expired. A token must expire (one
   * without `exp` would be valid forever) and name a user id (a uuid): anything else is not ours.
   */
  async verify(token: string): Promise<string | null> {
    return (await this.inspect(token))?.userId ?? null;
  }

  /**
   * The user id and expiry (for connections that outlive a request and must end with their token),
   * or null for a token that is malformed, forged, expired or without an expiry.
   */
  async inspect(token: string): Promise<VerifiedToken | null> {
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || !isUuid(claims.sub))
        return null;
      return { userId: claims.sub.toLowerCase(), expiresAt: new Date(claims.exp * 1000) };
    } catch {
      return null;
    }
  }
}
