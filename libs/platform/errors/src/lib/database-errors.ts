import { ServiceUnavailableError, ValidationError } from './app-errors';

/**
 * PostgreSQL errors (SQLSTATE) that mean a value sent by the client was refused, not that the server
 * failed. Schemas must catch these first; this is the safety net that keeps a missed case a 400.
 */
const REFUSED_INPUT: Record<string, string> = {
  '22P02': 'a value is not in the expected format',
  '22P05': 'a text contains a character that cannot be stored',
  '22021': 'a text contains a character that cannot be stored',
  '22001': 'a text is too long',
  '22003': 'a number is out of range',
  '22007': 'a date or time is not valid',
  '22008': 'a date or time is out of range',
  '22009': 'a time zone offset is out of range',
  '54000': 'a value is too large',
};

/** The SQLSTATE of a node-postgres error, or of one wrapped by TypeORM (QueryFailedError). */
function sqlStateOf(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A 400 for a database error caused by an input value; null for anything else. */
export function refusedInputFromDatabase(error: unknown): ValidationError | null {
  const reason = REFUSED_INPUT[sqlStateOf(error) ?? ''];
  return reason ? new ValidationError([{ path: '', message: `The request was refused: ${reason}` }]) : null;
}

/** SQLSTATEs of a server that is full or starting: the request was fine, the moment was not. */
const BUSY_STATES = new Set(['53300', '57P03']);
/** node-postgres's messages when no connection could be had in time (pool queue, or connecting). */
const BUSY_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
];

/**
 * A 503 (retry in a second) when the database could not take the request in time: under overload
 * the connection pool's queue times out. The write did not happen, so retrying it is safe.
 */
export function busyDatabase(error: unknown): ServiceUnavailableError | null {
  const message = error instanceof Error ? error.message : '';
  const busy = BUSY_STATES.has(sqlStateOf(error) ?? '') || BUSY_MESSAGES.some((m) => message.includes(m));
  return busy ? new ServiceUnavailableError('The server is busy; retry in a moment', 1) : null;
}
