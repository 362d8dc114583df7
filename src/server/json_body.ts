// A JSON request body: its bytes, parsed only when asked. The model routes first try to read the
// bytes straight into rows (json_row_scan.ts), and parse the body only when that cannot. So a
// body that is not JSON gets its 400 from the route that reads it: an unknown path (404), a wrong
// method (405) or /detect on a model without a threshold (409) answer before the body is looked at.
//
// Parsing is JSON.parse alone, with a 400 that says where the text stops being JSON. Fastify's
// own JSON parser (secure-json-parse) scans every body twice more, for "__proto__" and
// "constructor" keys, to protect code that merges parsed objects into others. Nothing here
// merges a body: rows are read by the model's column names with Object.hasOwn, and JSON.parse
// makes a "__proto__" key an ordinary own property, which the column check refuses as a column
// not in the model.

import { RequestError } from './request_error.js';

export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw new RequestError(400, 'the body is empty: send {"rows": [...]} as JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new RequestError(400, `the body is not valid JSON (${(e as Error).message})`);
  }
}

export class JsonBody {
  private parsed: { value: unknown } | null = null;

  constructor(readonly bytes: Buffer) {}

  /** The parsed value (a RequestError with status 400 when the body is not JSON). */
  value(): unknown {
    // Decoded the way Fastify decodes a body it parses as text.
    this.parsed ??= { value: parseJsonBody(this.bytes.toString('utf8')) };
    return this.parsed.value;
  }
}
