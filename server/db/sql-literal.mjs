// SQL literals for the room log's append in the database thread (pglite-worker.mjs), which sends
// it as one simple-protocol statement. Plain JavaScript, like the worker.

/**
 * A string as an SQL literal. PostgreSQL's standard_conforming_strings is on (its default, and
 * PGlite's): within '…' only a quote is special, and it is doubled. A NUL cannot be stored in
 * TEXT, so it is refused (the log's JSON escapes it as \u0000 and never holds one).
 * @param {unknown} value
 */
export function sqlText(value) {
  if (typeof value !== "string") throw new TypeError("a room log value must be a string");
  if (value.includes("\0")) throw new TypeError("a room log value cannot hold a NUL character");
  return `'${value.replaceAll("'", "''")}'`;
}

/** @param {unknown} value */
export function sqlInteger(value) {
  if (!Number.isSafeInteger(value)) throw new TypeError("a room log seq must be an integer");
  return String(value);
}
