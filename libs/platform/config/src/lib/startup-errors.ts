/** A reason not to start whose message says it all (logged without a stack trace). */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A service the process needs at start-up (database, broker…) cannot be used. `address` is
 * `host:port` only, never a URL with credentials, so the error can be logged as it is.
 */
export class DependencyUnavailableError extends StartupError {
  constructor(
    readonly dependency: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`${dependency} at ${address} is unavailable: ${reason}`);
  }

  /** `host:port` of a URL (the scheme's default port when it has none), without user or password. */
  static addressOf(url: string, defaultPort: number): string {
    try {
      const { hostname, port } = new URL(url);
      return `${hostname || 'localhost'}:${port || defaultPort}`;
    } catch {
      return 'an unparsable address';
    }
  }
}
