import { ValidationError } from './app-errors';

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
