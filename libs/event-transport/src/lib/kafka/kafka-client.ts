import { Logger } from '@nestjs/common';
import type { EventsConfig } from '@todo/config';
import {
  Kafka,
  type KafkaConfig,
  type LogEntry,
  logLevel,
  type RetryOptions,
  type SASLOptions,
} from 'kafkajs';

type KafkaSettings = EventsConfig['kafka'];

/**
 * Timeouts shared by every client. kafkajs's defaults (30 s requests, 1 s connect) either hang a
 * publish for minutes behind a stalled broker or are too short for a TLS handshake to a cloud broker.
 * Fetch and JoinGroup requests carry their own, longer timeouts (derived from `maxWaitTimeInMs` and
 * the session/rebalance timeouts), so a short `requestTimeout` does not cut a long poll or a join short.
 */
export const KAFKA_TIMEOUTS = {
  connectionTimeout: 3_000,
  authenticationTimeout: 5_000,
  requestTimeout: 5_000,
} as const;

/**
 * Producer retries: bounded so a `send` against a broker that accepts connections but never answers
 * fails after about (retries + 1) × requestTimeout + backoff ≈ 10.5 s. The outbox relay is the outer
 * retry loop (it keeps the rows and tries again with its own backoff), so retrying longer here only
 * holds the relay's transaction open.
 */
export const PRODUCER_RETRY: RetryOptions = { retries: 1, initialRetryTime: 300, maxRetryTime: 1_000 };

/** Cluster-level retries (connecting, metadata) of the publisher's client, bounded like `PRODUCER_RETRY`. */
export const PUBLISHER_CLIENT_RETRY: RetryOptions = {
  retries: 2,
  initialRetryTime: 300,
  maxRetryTime: 1_000,
};

/**
 * Builds a kafkajs client from the `KAFKA_*` configuration; `purpose` is appended to the client id.
 * `retry` bounds connecting and metadata requests (consumers keep the patient default: kafkajs restarts
 * them after failures anyway).
 */
export function createKafkaClient(
  settings: KafkaSettings,
  purpose: string,
  retry: RetryOptions = { retries: 5, initialRetryTime: 300, maxRetryTime: 10_000 },
): Kafka {
  if (settings.brokers.length === 0)
    throw new Error('EVENT_TRANSPORT=kafka needs KAFKA_BROKERS (comma-separated host:port list)');
  const config: KafkaConfig = {
    clientId: `${settings.clientId}-${purpose}`,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    sasl: saslOptions(settings.sasl),
    ...KAFKA_TIMEOUTS,
    enforceRequestTimeout: true,
    retry,
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
  };
  return new Kafka(config);
}

function saslOptions(sasl: KafkaSettings['sasl']): SASLOptions | undefined {
  if (!sasl) return undefined;
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/** kafkajs logs through Nest's logger (context `Kafka`), warnings and errors only: it is chatty. */
function nestLogCreator(): (entry: LogEntry) => void {
  const logger = new Logger('Kafka');
  return ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _name, stack: _stack, ...extra } = log;
    const details = Object.entries(extra)
      .map(([name, value]) => [name, value instanceof Error ? value.message : value] as const)
      .filter(([, value]) => value !== undefined && typeof value !== 'object')
      .map(([name, value]) => `${name}=${String(value)}`)
      .join(' ');
    const text = `${namespace ? `[${namespace}] ` : ''}${message}${details ? ` (${details})` : ''}`;
    if (level <= logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN) logger.warn(text);
    else if (level === logLevel.INFO) logger.log(text);
    else logger.debug(text);
  };
}
