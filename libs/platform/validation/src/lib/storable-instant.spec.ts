import {
  clampToStorable,
  hasStorableYear,
  isStorableInstant,
  readStoredInstant,
  STORABLE_INSTANTS,
} from './storable-instant';

describe('storable instants', () => {
  it('are the years 1970 to 9999', () => {
    expect(STORABLE_INSTANTS.min.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(STORABLE_INSTANTS.max.toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(isStorableInstant(new Date('1970-01-01T00:00:00Z'))).toBe(true);
    expect(isStorableInstant(new Date('1969-12-31T23:59:59.999Z'))).toBe(false);
    expect(isStorableInstant(new Date('+010000-01-01T00:00:00Z'))).toBe(false);
    expect(['1970-01-01', '9999-12-31T23:59', '2026'].map(hasStorableYear)).toEqual([true, true, true]);
    expect(['0001-01-01', '1969-12-31', '+10000-01-01', 'abcd'].map(hasStorableYear)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('clamps computed instants to the nearest bound', () => {
    expect(clampToStorable(new Date('1969-06-01T00:00:00Z'))).toEqual(STORABLE_INSTANTS.min);
    expect(clampToStorable(new Date('2026-06-01T00:00:00Z'))).toEqual(new Date('2026-06-01T00:00:00Z'));
  });

  it('reads any timestamptz a row can hold without failing', () => {
    // As node-postgres parses columns, and as PostgreSQL writes them into JSON built in SQL.
    expect(readStoredInstant(new Date('2026-11-24T16:00:00Z'))).toEqual(new Date('2026-11-24T16:00:00Z'));
    expect(readStoredInstant('2026-11-24T17:00:00+01:00')).toEqual(new Date('2026-11-24T16:00:00Z'));
    expect(readStoredInstant('0001-12-31T10:00:00+00:00 BC')).toEqual(STORABLE_INSTANTS.min);
    expect(readStoredInstant('0001-01-01T00:00:00+00:00')).toEqual(STORABLE_INSTANTS.min);
    expect(readStoredInstant('20000-01-01T00:00:00+00:00')).toEqual(STORABLE_INSTANTS.max);
    expect(readStoredInstant('infinity')).toEqual(STORABLE_INSTANTS.max);
    expect(readStoredInstant('-infinity')).toEqual(STORABLE_INSTANTS.min);
    expect(readStoredInstant(Infinity)).toEqual(STORABLE_INSTANTS.max);
    expect(readStoredInstant(-Infinity)).toEqual(STORABLE_INSTANTS.min);
    expect(readStoredInstant(new Date(NaN))).toEqual(STORABLE_INSTANTS.max);
  });
});
