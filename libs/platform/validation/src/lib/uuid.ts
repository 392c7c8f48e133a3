const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any text PostgreSQL's uuid type accepts in canonical form (ids from paths, cursors, token subjects). */
export const isUuid = (text: string): boolean => UUID.test(text);
