import { Injectable } from '@nestjs/common';
import type { VerifiedToken } from '@todo/auth';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

/** How long a ticket can be redeemed: enough to open a socket right after asking for it. */
const TICKET_TTL_SECONDS = 30;

interface IssuedTicket {
  readonly ticket: string;
  readonly expiresAt: Date;
}

const hashOf = (ticket: string) => createHash('sha256').update(ticket).digest();

/**
 * Short-lived, single-use tickets that stand in for the access token in a WebSocket URL (browsers
 * cannot set headers on a WebSocket; a long-lived token must never appear in a URL, where proxies
 * and logs keep it). A ticket is good for one connection, which lives as long as the token that
 * asked for it.
 */
@Injectable()
export class RealtimeTickets {
  constructor(private readonly dataSource: DataSource) {}

  async issue(token: VerifiedToken): Promise<IssuedTicket> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + TICKET_TTL_SECONDS * 1000);
    await this.dataSource.query(
      `WITH purged AS (DELETE FROM realtime_tickets WHERE expires_at < now())
       INSERT INTO realtime_tickets (ticket_hash, user_id, expires_at, access_expires_at) VALUES ($1, $2, $3, $4)`,
      [hashOf(ticket), token.userId, expiresAt, token.expiresAt],
    );
    return { ticket, expiresAt };
  }

  /** The token the ticket stands for, once: the row is deleted by the same statement that reads it. */
  async redeem(ticket: string): Promise<VerifiedToken | null> {
    // a DELETE … RETURNING answers [rows, affected count]
    const [[row]]: [Array<{ user_id: string; access_expires_at: Date }>, number] =
      await this.dataSource.query(
        `DELETE FROM realtime_tickets WHERE ticket_hash = $1 AND expires_at >= now()
       RETURNING user_id, access_expires_at`,
        [hashOf(ticket)],
      );
    return row ? { userId: row.user_id, expiresAt: new Date(row.access_expires_at) } : null;
  }
}
