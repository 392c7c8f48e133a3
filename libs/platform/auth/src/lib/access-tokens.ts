import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUuid } from '@todo/validation';
import { LRUCache } from 'lru-cache';

interface AccessTokenClaims {
  sub: string;
  exp?: number;
  nbf?: number;
}

/** Tokens seen recently (one per signed-in client, typically): beyond that, the least recent are verified again. */
const MAX_VERIFIED_TOKENS = 10_000;

/** A verified token: whose it is and until when it is valid. */
export interface VerifiedToken {
  readonly userId: string;
  readonly expiresAt: Date;
}

/** Issues and verifies the bearer tokens (HS256 JWT, key and lifetime from configuration). */
@Injectable()
export class AccessTokens {
  /**
   * Tokens whose signature and claims were checked, by their text: checking the HMAC and parsing the
   * token again on every request of a client cost more than the rest of its authentication. Only
   * valid tokens get in, and one is trusted from here only until its `exp`, exactly as the verifier
   * would trust it (a token's claims cannot change without changing its text). Revocation is not
   * the token's business: the guard resolves the account on every request.
   */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: MAX_VERIFIED_TOKENS });

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
    const known = this.verified.get(token);
    if (known) {
      if (unexpired(known)) return known;
      this.verified.delete(token);
    }
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || !isUuid(claims.sub))
        return null;
      const verified = { userId: claims.sub.toLowerCase(), expiresAt: new Date(claims.exp * 1000) };
      // Not before a time: the verifier's check of it would have to be repeated too; ours have none.
      if (claims.nbf === undefined) this.verified.set(token, verified);
      return verified;
    } catch {
      return null;
    }
  }
}

/** The verifier's own rule (jsonwebtoken): expired from the second `exp` names, on the whole-second clock. */
const unexpired = ({ expiresAt }: VerifiedToken) =>
  Math.floor(Date.now() / 1000) < expiresAt.getTime() / 1000;
