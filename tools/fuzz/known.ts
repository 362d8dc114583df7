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

// None at present. hyparquet's hang on damaged page headers (a missing level length made its reader
// offset NaN, and a run of 0 values read there looped forever) was listed here until
// src/data/parquet_pages.ts checked the pages before hyparquet decodes them
// (test/fuzz/regressions/parquet/*-hang.bin).
export const KNOWN_ISSUES: KnownIssue[] = [];

export const isKnown = (parser: string, kind: CrashKind): boolean =>
  KNOWN_ISSUES.some((k) => k.parser === parser && k.kind === kind);
