// A JSON request body as a value, with a 400 that says where the text stops being JSON.
//
// Fastify's own JSON parser (secure-json-parse) scans every body twice more, for "__proto__"
// and "constructor" keys, to protect code that merges parsed objects into others. Nothing here
// merges a body: rows are read by the model's column names with Object.hasOwn, and JSON.parse
// makes a "__proto__" key an ordinary own property, which the column check refuses as a column
// not in the model. So the body goes to JSON.parse alone, one pass on the hot path.

import { RequestError } from './request_error.js';

export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw new RequestError(400, 'the body is empty: send {"rows": [...]} as JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new RequestError(400, `the body is not valid JSON (${(e as Error).message})`);
  }
}
