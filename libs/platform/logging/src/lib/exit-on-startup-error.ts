import { DependencyUnavailableError, InvalidConfigError, StartupError } from '@todo/config';
import { destination, pino } from 'pino';
import { serializeError } from './log-redaction';
import { logLineBase } from './request-logging';

/** What a start-up failure logs besides its message: a reason a person can act on. */
export function describeStartupError(error: unknown): { msg: string; fields: Record<string, unknown> } {
  if (error instanceof InvalidConfigError)
    return { msg: 'cannot start: invalid configuration', fields: { problems: error.problems } };
  const unavailable = error instanceof DependencyUnavailableError ? error : kafkaBrokerUnavailable(error);
  if (unavailable)
    return {
      msg: `cannot start: ${unavailable.message}`,
      fields: { dependency: unavailable.dependency, address: unavailable.address },
    };
  if (error instanceof StartupError) return { msg: `cannot start: ${error.message}`, fields: {} };
  return {
    msg: `cannot start: ${error instanceof Error ? error.message : String(error)}`,
    fields: error instanceof Error ? { err: serializeError(error) } : {},
  };
}

/** kafkajs names the broker it could not reach on the connection error, under any retry wrapper. */
function kafkaBrokerUnavailable(error: unknown): DependencyUnavailableError | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const broker = (cause as { broker?: unknown }).broker;
    if (cause.name === 'KafkaJSConnectionError' && typeof broker === 'string')
      return new DependencyUnavailableError('Kafka broker', broker, cause.message);
    cause = cause.cause;
  }
  return undefined;
}

/**
 * `main().catch(exitOnStartupError('gateway'))`: a start-up failure becomes one JSON log line
 * (the app's log format, on stderr) naming the cause, then the process exits with status 1.
 */
export function exitOnStartupError(service: string): (error: unknown) => never {
  return (error) => {
    const { msg, fields } = describeStartupError(error);
    pino({ base: logLineBase(service) }, destination({ fd: 2, sync: true })).fatal(fields, msg);
    process.exit(1);
  };
}
