// The scoring server's hot path for a JSON body: the request's bytes read straight into network
// rows, without building the parsed value. JSON.parse made a heap number for each of a request's
// hundreds of cells and an array for each row, only for the cell encoder to read them once: under
// load that was a third of the main thread's time, more than the model. This scanner reads the
// one shape clients send in bulk, {"rows": [[cell, ...], ...]} with cells that are numbers,
// plain strings or null, and hands each cell to a sink as it goes.
//
// It never decides anything on its own: any other shape (objects by column name, other keys,
// escapes, non-ASCII text, true/false, malformed JSON) and any cell the sink will not take
// returns null, and the caller reads the body the general way (JSON.parse and the checks with
// their messages). So a body gives the same rows, or the same error, either way; numbers are
// the doubles JSON.parse gives (test/server/json_row_scan.test.ts checks both).

/** Where the scanned cells go. Each method answers false to hand the body to the general path. */
export interface CellSink {
  /** Cells each row must have. */
  readonly columns: number;
  /** Makes room for `rows` rows before the first cell of the last one is given. */
  reserve(rows: number): void;
  number(row: number, column: number, value: number): boolean;
  text(row: number, column: number, value: string): boolean;
  missing(row: number, column: number): boolean;
}

/** Powers of ten that are exact doubles (10^22 is the largest). */
const EXACT_POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);

const QUOTE = 0x22,
  COMMA = 0x2c,
  MINUS = 0x2d,
  DOT = 0x2e,
  ZERO = 0x30,
  NINE = 0x39,
  COLON = 0x3a,
  OPEN_ARRAY = 0x5b,
  BACKSLASH = 0x5c,
  CLOSE_ARRAY = 0x5d,
  OPEN_OBJECT = 0x7b,
  CLOSE_OBJECT = 0x7d;
const ROWS_KEY = [QUOTE, 0x72, 0x6f, 0x77, 0x73, QUOTE]; // "rows"

/** Thrown inside the scanner to give the body to the general path (never escapes it). */
const GENERAL = new Error('general path');

/**
 * The rows scanned into the sink, or null when the body must be read the general way. A body of
 * more than `maxRows` rows stops there (the general path refuses it): scanning on would grow the
 * sink by a row of the model's width for every few bytes of body.
 */
export function scanJsonRows(bytes: Buffer, sink: CellSink, maxRows = Infinity): number | null {
  try {
    return scan(bytes, sink, maxRows);
  } catch (e) {
    if (e === GENERAL) return null;
    throw e;
  }
}

/** The first byte at or after `i` that is not JSON whitespace. */
function skipSpace(b: Buffer, i: number): number {
  if (i >= b.length) return i; // the end of every body: no read past it here
  let c = b[i];
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
  return i;
}

/** Past `byte` (after whitespace), or the general path. */
function past(b: Buffer, i: number, byte: number): number {
  i = skipSpace(b, i);
  if (b[i] !== byte) throw GENERAL;
  return i + 1;
}

// One function with the number and string readers written out in the cell loop: the position
// stays a local variable (closures sharing it made the scan slower than JSON.parse). In a body cut
// off inside a number or a string, b[i] past the end is undefined (the `!`s do not hold there):
// every comparison with it is false, which ends each loop, and the grammar checks then refuse it.
function scan(b: Buffer, sink: CellSink, maxRows: number): number {
  let i = past(b, 0, OPEN_OBJECT);
  i = skipSpace(b, i);
  for (const byte of ROWS_KEY) if (b[i++] !== byte) throw GENERAL;
  i = past(b, i, COLON);
  i = past(b, i, OPEN_ARRAY);
  const columns = sink.columns;
  let rows = 0;
  for (;;) {
    if (rows === maxRows) throw GENERAL;
    i = past(b, i, OPEN_ARRAY);
    sink.reserve(rows + 1);
    for (let column = 0; ;) {
      // Whitespace is skipped in line here and below: calls per cell cost a fifth of the scan.
      let c = b[i]!;
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i]!;
      let taken: boolean;
      if (c === QUOTE) {
        // A string of printable ASCII without escapes (anything else takes the general path).
        const start = ++i;
        c = b[i]!;
        while (c !== QUOTE) {
          if (c === undefined || c === BACKSLASH || c < 0x20 || c > 0x7e) throw GENERAL;
          c = b[++i]!;
        }
        taken = sink.text(rows, column, b.toString('latin1', start, i++));
      } else if (c === 0x6e) {
        if (b[i + 1] !== 0x75 || b[i + 2] !== 0x6c || b[i + 3] !== 0x6c) throw GENERAL;
        i += 4;
        taken = sink.missing(rows, column);
      } else {
        // A JSON number (RFC 8259 grammar), as the double JSON.parse gives.
        const start = i;
        const negative = c === MINUS;
        if (negative) c = b[++i]!;
        let mantissa = 0,
          digits = 0,
          exponent = 0;
        if (c === ZERO) {
          c = b[++i]!;
          if (c >= ZERO && c <= NINE) throw GENERAL; // a leading zero is not JSON
        } else if (c > ZERO && c <= NINE) {
          do {
            mantissa = mantissa * 10 + (c - ZERO);
            digits++;
            c = b[++i]!;
          } while (c >= ZERO && c <= NINE);
        } else throw GENERAL;
        if (c === DOT) {
          c = b[++i]!;
          if (!(c >= ZERO && c <= NINE)) throw GENERAL;
          do {
            mantissa = mantissa * 10 + (c - ZERO);
            digits++;
            exponent--;
            c = b[++i]!;
          } while (c >= ZERO && c <= NINE);
        }
        if (c === 0x65 || c === 0x45) {
          c = b[++i]!;
          let sign = 1;
          if (c === 0x2b || c === MINUS) {
            if (c === MINUS) sign = -1;
            c = b[++i]!;
          }
          if (!(c >= ZERO && c <= NINE)) throw GENERAL;
          let e = 0;
          do {
            if (e < 100_000) e = e * 10 + (c - ZERO);
            c = b[++i]!;
          } while (c >= ZERO && c <= NINE);
          exponent += sign * e;
        }
        let value: number;
        // Clinger's fast path: a mantissa of at most 15 digits and a power of ten up to 22 are
        // both exact doubles, so one rounded multiply or divide is the correctly rounded value,
        // the one JSON.parse gives. Longer ones go to Number, which rounds the same text alike.
        if (digits > 15 || exponent < -22 || exponent > 22) value = Number(b.toString('latin1', start, i));
        else {
          value = exponent < 0 ? mantissa / EXACT_POWERS[-exponent]! : mantissa * EXACT_POWERS[exponent]!;
          if (negative) value = -value;
        }
        taken = sink.number(rows, column, value);
      }
      if (!taken) throw GENERAL;
      column++;
      let next = b[i++];
      while (next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09) next = b[i++];
      if (next === CLOSE_ARRAY) {
        if (column !== columns) throw GENERAL;
        break;
      }
      if (next !== COMMA || column === columns) throw GENERAL;
    }
    rows++;
    i = skipSpace(b, i);
    const next = b[i++];
    if (next === CLOSE_ARRAY) break;
    if (next !== COMMA) throw GENERAL;
  }
  i = past(b, i, CLOSE_OBJECT);
  if (skipSpace(b, i) !== b.length) throw GENERAL;
  return rows;
}
