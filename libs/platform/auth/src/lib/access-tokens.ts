import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUuid } from '@todo/validation';

interface AccessTokenClaims {
  sub: string;
  exp?: number;
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
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
      return typeof claims.exp === 'number' && typeof claims.sub === 'string' && isUuid(claims.sub)
        ? claims.sub.toLowerCase()
        : null;
    } catch {
      return null;
    }
  }
}
