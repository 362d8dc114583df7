// Crashes found and not fixed in Hourglass, because they are in a library it uses: each is
// reported in every run's table (and the README), never silently dropped.

import type { CrashKind } from './protocol.js';

export interface KnownIssue {
  parser: string;
  kind: CrashKind;
  /** What happens and where, for the report. */
  reason: string;
  /** A committed input that shows it. */
  example: string;
}

export const KNOWN_ISSUES: KnownIssue[] = [
  {
    parser: 'parquet',
    kind: 'hang',
    reason:
      "hyparquet 1.33.0 (latest) readRle repeats a damaged run length of up to 2^31 values without checking it against the page's values: seconds per run, several runs per file",
    example: 'test/fuzz/known/parquet-rle-run-count-hang.bin',
  },
];

export const isKnown = (parser: string, kind: CrashKind): boolean =>
  KNOWN_ISSUES.some((k) => k.parser === parser && k.kind === kind);
