/** Number formatting shared by the tables and the chart labels, so both show the same figures. */

const grouped = (value: number, digits: number, minDigits = digits) =>
  value.toLocaleString('en-US', { minimumFractionDigits: minDigits, maximumFractionDigits: digits });

/**
 * Milliseconds: one decimal (`3.2 ms`); two below 1 ms, where one decimal would print `0.0 ms` for an
 * in-process call; none from 100 ms, where the decimal is noise.
 */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) < 1 ? 2 : Math.abs(value) < 100 ? 1 : 0;
  return `${grouped(value, digits)} ms`;
}

/** A count or a rate: an integer with thousands separators (`12,345`). */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? grouped(Math.round(value), 0) : String(value);
}

/** An `extra` figure: grouped, at most two decimals (`1,024`, `0.5`, `3.14`); strings as they are. */
export function formatExtra(value: number | string): string {
  return typeof value === 'string' || !Number.isFinite(value) ? String(value) : grouped(value, 2, 0);
}
