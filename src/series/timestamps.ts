// Timestamps as written in CSV files: ISO-style dates and date-times, read as UTC when they carry
// no zone (so that no result depends on the machine's time zone, as Date.parse's local reading of
// "2014-04-01 00:00:00" would), or plain numbers (seconds, step indexes: kept as they are).

export type TimeKind = 'datetime' | 'number';

// 2014-04-01, 2014-04-01 00:05:00, 2014-04-01T00:05:00.123456Z, 2014/04/01 00:05+02:00
const DATE_TIME =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Milliseconds since 1970-01-01 UTC, or NaN when the text is not a valid date or date-time. */
export function parseDateTime(text: string): number {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Fractions past milliseconds (NAB writes microseconds) are rounded to the millisecond.
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return NaN;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2014-02-30 over to March: a day that changes the month is not a date.
  if (day < 1 || new Date(t).getUTCMonth() !== month - 1) return NaN;
  return t - zoneOffsetMs(m[8]);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
}

/** The time as `YYYY-MM-DD HH:MM:SS` in UTC (with `.mmm` when it has milliseconds), or the number. */
export function formatTime(t: number, kind: TimeKind): string {
  if (kind === 'number') return String(t);
  const iso = new Date(t).toISOString(); // 2014-04-01T00:05:00.000Z
  const ms = iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '.000' ? '' : ms}`;
}

/** A length of time in words ("5 minutes", "1.5 hours"), or the plain difference for numbers. */
export function formatDuration(dt: number, kind: TimeKind): string {
  if (kind === 'number') return String(dt);
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  for (const [name, size] of units) {
    if (Math.abs(dt) >= size) {
      const n = Number((dt / size).toPrecision(4));
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${dt} ms`;
}
