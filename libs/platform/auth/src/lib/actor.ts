/** The authenticated caller. Every service method that touches user data takes one. */
export interface Actor {
  readonly userId: string;
  /** The user's IANA time zone, for interpreting dates such as "2026-12-01" (all-day). */
  readonly timeZone: string;
  /** Set when a service acts for the user on its own (e.g. `scheduler` creating the next occurrence). */
  readonly service?: string;
}

/**
 * Port implemented by the accounts feature: turns a token's subject into a live Actor, or null
 * when the account no longer exists (its tokens then stop working at once).
 */
export abstract class ActorResolver {
  abstract resolve(userId: string): Promise<Actor | null>;
}

/**
 * Port implemented by the accounts feature: tells long-lived connections (WebSockets) that an
 * account changed or was deleted, so they can check it again. `listener` gets the user id; the
 * returned function unsubscribes.
 */
export abstract class AccountChanges {
  abstract subscribe(listener: (userId: string) => void): () => void;
}
