/**
 * The one range every stored instant lies in: due times, reminder times (given or computed), and
 * anything else written to a timestamptz column from input. Outside it, PostgreSQL still stores the
 * value (years 4713 BC to 294276) but JavaScript and JSON cannot read it back: a year-0 reminder once
 * made every task query of its owner fail.
 */
export const STORABLE_YEARS = { first: 1970, last: 9999 } as const;

export const STORABLE_INSTANTS = {
  min: new Date(Date.UTC(STORABLE_YEARS.first, 0, 1)),
  max: new Date(Date.UTC(STORABLE_YEARS.last, 11, 31, 23, 59, 59, 999)),
} as const;

export const STORABLE_TIME_MESSAGE = `must be between ${STORABLE_YEARS.first}-01-01 and ${STORABLE_YEARS.last}-12-31`;

export const isStorableInstant = (instant: Date): boolean =>
  instant.getTime() >= STORABLE_INSTANTS.min.getTime() &&
  instant.getTime() <= STORABLE_INSTANTS.max.getTime();

/** For calendar texts that start with their year ("YYYY-MM-DD…", wall times, dates without zone). */
export function hasStorableYear(text: string): boolean {
  const year = /^\d{4}/.test(text) ? Number(text.slice(0, 4)) : NaN;
  return year >= STORABLE_YEARS.first && year <= STORABLE_YEARS.last;
}

/** The nearest storable instant: for values computed from stored ones (a due minus an offset). */
export function clampToStorable(instant: Date): Date {
  if (instant.getTime() < STORABLE_INSTANTS.min.getTime()) return STORABLE_INSTANTS.min;
  if (instant.getTime() > STORABLE_INSTANTS.max.getTime()) return STORABLE_INSTANTS.max;
  return instant;
}

/**
 * Reads a timestamptz from a row without ever failing: node-postgres gives a Date (or ±Infinity), JSON
 * built in SQL gives text ("0001-12-31T10:00:00+00:00 BC", "20000-01-01T…", "infinity") that `new Date`
 * cannot parse. A value outside the storable range reads as the nearest bound, so a row that somehow
 * holds one stays listable, editable and deletable.
 */
export function readStoredInstant(value: Date | string | number): Date {
  let instant: Date;
  if (value instanceof Date) instant = value;
  else if (typeof value === 'number') instant = new Date(value);
  else if (/(^-|\bBC$)/i.test(value)) return STORABLE_INSTANTS.min;
  else instant = new Date(value);
  if (Number.isNaN(instant.getTime()))
    return value === -Infinity ? STORABLE_INSTANTS.min : STORABLE_INSTANTS.max;
  return clampToStorable(instant);
}

/** SQL condition for a CHECK constraint keeping a column in the storable range (NULL passes). */
export const storableInstantCheck = (column: string): string =>
  `${column} BETWEEN '${STORABLE_INSTANTS.min.toISOString()}'::timestamptz AND '${STORABLE_INSTANTS.max.toISOString()}'::timestamptz`;

/** SQL expression moving a column's value into the storable range (for repairing old rows). */
export const clampToStorableSql = (column: string): string =>
  `least(greatest(${column}, '${STORABLE_INSTANTS.min.toISOString()}'::timestamptz), '${STORABLE_INSTANTS.max.toISOString()}'::timestamptz)`;
