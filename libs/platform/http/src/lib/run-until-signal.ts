/**
 * Runs the shutdown steps in order on SIGTERM/SIGINT (drain HTTP and close pools first, stop an
 * embedded database last), then exits. A second signal exits at once.
 */
export function onShutdownSignal(
  steps: Array<() => Promise<unknown>>,
  log: (message: string) => void = console.log,
): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    log(`${signal} received, shutting down`);
    let code = 0;
    for (const step of steps) {
      await step().catch((error: unknown) => {
        code = 1;
        log(`shutdown step failed: ${String(error)}`);
      });
    }
    process.exit(code);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
