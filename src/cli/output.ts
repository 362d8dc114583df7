// How every command ends: human lines on stdout, or with --json one JSON object as the last
// line; user errors as one clear line on stderr and a non-zero exit, never a stack trace.

import { HourglassError } from '../engine/errors.js';

/** A loss or error value for people: five decimals, or '-' when absent. */
export const fmt = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(5));

export interface CommonFlags {
  json?: boolean;
  quiet?: boolean;
}

export function report(flags: CommonFlags, human: string[], json: Record<string, unknown>): void {
  if (flags.json) {
    process.stdout.write(JSON.stringify(json) + '\n');
    return;
  }
  for (const line of human) process.stdout.write(line + '\n');
}

/** Runs a command body, turning user errors into `error: ...` and exit code 1. */
export function run(body: () => Promise<void>): Promise<void> {
  return body().catch((e: unknown) => {
    if (e instanceof HourglassError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  });
}
