// A series read from a CSV/TSV file in one pass at a time, keeping only the rows the current step
// needs, with the in-memory reader's rules (read_series.ts) on a file already in time order:
// timestamps must increase (rows are not sorted: a row that goes back in time is an error naming
// it), rows sharing a timestamp are merged by the duplicates rule (they are adjacent in an
// in-order file), gaps are filled or refused by the gaps rule, missing cells by the missing rule.
//
// The gap rule compares differences with the series' usual step, the most common difference over
// the whole file: a first pass reads the timestamps only (keeping a count of each distinct
// difference, not the times) and checks every row; the second pass gives the steps. A step is
// handed on once each of its missing cells is filled; linear interpolation needs the next value
// observed in the column, so steps wait in a queue as long as a run of missing cells lasts (and
// no longer: memory stays bounded by the longest hole, not the file).

import { HourglassError } from '../engine/errors.js';
import { openFile, type TableFile } from '../data/dataset_files.js';
import { isMissing, isNumber } from '../data/table.js';
import { chooseTimeColumn } from './columns.js';
import type { FillRule } from './fill.js';
import type { DuplicateRule, GapRule, MissingRule } from './read_series.js';
import { gapSteps, mostCommonStep, wholeSteps } from './sampling.js';
import { parseDateTime, type TimeKind } from './timestamps.js';

export interface SeriesStreamOptions {
  timeColumn: string;
  /** The value columns, in this order (a trained model's). */
  valueColumns: string[];
  missing: MissingRule;
  gaps: GapRule;
  duplicates: DuplicateRule;
  /** Called for each step of the first (layout) pass, with the file (progress over its bytes). */
  onLayoutStep?: (table: TableFile) => void;
}

/** One step of the series as read: NaN marks a missing cell (not yet filled). */
interface RawStep {
  time: number;
  timeText: string;
  /** The file line of its first row. */
  line: number;
  values: Float64Array;
  kind: TimeKind;
}

export interface SeriesStep {
  time: number;
  /** The value columns, filled. */
  values: Float64Array;
  /**
   * 1 for each cell that was not in the file (a missing cell, or every cell of a step inserted
   * into a gap) and was filled by the rules; absent when the step was read whole. What impute fills.
   */
  missing?: Uint8Array;
}

export interface StreamedSeries {
  file: string;
  timeColumn: string;
  timeKind: TimeKind;
  columns: string[];
  features: number;
  /** Steps the series has (after merging duplicates and filling gaps). */
  steps: number;
  /** A pass over the steps, in time order. */
  read(): AsyncGenerator<SeriesStep>;
  /** The file as opened (its size and the bytes read so far in a pass: progress). */
  table: TableFile;
}

interface Layout {
  file: string;
  table: TableFile;
  timeAt: number;
  valueAt: number[];
}

async function layoutOf(file: string, o: SeriesStreamOptions): Promise<Layout> {
  if (!/\.(csv|tsv)$/i.test(file)) throw new HourglassError(`${file}: a series is read from a .csv or .tsv file`);
  const table = (await openFile(file)) as TableFile;
  const columns = table.columns;
  const quoted = columns.map((c) => `'${c}'`).join(', ');
  const timeAt = chooseTimeColumn({ columns, rows: [] }, file, o.timeColumn);
  const valueAt = o.valueColumns.map((name) => {
    const at = columns.indexOf(name);
    if (at < 0) throw new HourglassError(`${file}: no column '${name}' (columns: ${quoted})`);
    if (at === timeAt) throw new HourglassError(`${file}: '${name}' is the timestamp column, not a value column`);
    return at;
  });
  return { file, table, timeAt, valueAt };
}

/** The rows as steps: times parsed and checked for order, duplicates merged, cells checked. */
async function* rawSteps(l: Layout, o: SeriesStreamOptions): AsyncGenerator<RawStep> {
  const { file, table, timeAt, valueAt } = l;
  const names = table.columns;
  const features = valueAt.length;
  let kind: TimeKind | null = null;
  let r = 0;
  // The step being gathered: its rows' first and last cells and the running mean of each column.
  let group: {
    time: number;
    text: string;
    line: number;
    lastLine: number;
    first: string[];
    last: string[];
    sum: Float64Array;
    n: Float64Array;
  } | null = null;
  const value = (cell: string) => (isMissing(cell) ? NaN : Number(cell));
  const finish = (g: NonNullable<typeof group>): RawStep => {
    const values = new Float64Array(features);
    for (let f = 0; f < features; f++) {
      const single = g.line === g.lastLine;
      let v: number;
      if (single || o.duplicates === 'first') v = value(g.first[f]!);
      else if (o.duplicates === 'last') v = value(g.last[f]!);
      else v = g.n[f]! > 0 ? g.sum[f]! / g.n[f]! : NaN;
      if (o.missing === 'error' && Number.isNaN(v)) {
        const [line, cell] = o.duplicates === 'last' ? [g.lastLine, g.last[f]!] : [g.line, g.first[f]!];
        throw new HourglassError(
          `${file}: row ${line}, column '${names[valueAt[f]!]}' is missing (${cell === '' ? 'empty' : `'${cell}'`}): fill missing values with missing: 'interpolate' or 'previous'`,
        );
      }
      values[f] = v;
    }
    return { time: g.time, timeText: g.text, line: g.line, values, kind: kind! };
  };
  for await (const cells of table.cells) {
    const line = r + 2;
    r++;
    const text = cells[timeAt]!;
    kind ??= isNumber(text) ? 'number' : 'datetime';
    const time = kind === 'number' ? (isNumber(text) ? Number(text) : NaN) : parseDateTime(text);
    if (Number.isNaN(time))
      throw new HourglassError(
        `${file}: row ${line}, column '${names[timeAt]}' is ${text === '' ? 'empty' : `'${text}'`}, not ${kind === 'number' ? 'a number as the times before it are' : 'a timestamp (write dates as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)'}`,
      );
    const picked = valueAt.map((c) => {
      const cell = cells[c]!;
      if (!isNumber(cell) && !isMissing(cell))
        throw new HourglassError(
          `${file}: row ${line}, column '${names[c]}' is '${cell}', not a number (leave the cell empty to mark it missing)`,
        );
      return cell;
    });
    if (group && time < group.time)
      throw new HourglassError(
        `${file}: timestamps go backwards: row ${line} ('${text}') comes after row ${group.lastLine} ('${group.text}'): ` +
          `--stream reads the series in one pass, in the file's order, so sort the file by time`,
      );
    if (group && time === group.time) {
      if (o.duplicates === 'error')
        throw new HourglassError(
          `${file}: rows ${group.lastLine} and ${line} have the same timestamp '${text}' (merge them with duplicates: 'mean', 'first' or 'last')`,
        );
      group.lastLine = line;
      group.last = picked;
      picked.forEach((cell, f) => {
        if (!isMissing(cell)) [group!.sum[f], group!.n[f]] = [group!.sum[f]! + Number(cell), group!.n[f]! + 1];
      });
      continue;
    }
    if (group) yield finish(group);
    const sum = new Float64Array(features),
      n = new Float64Array(features);
    picked.forEach((cell, f) => {
      if (!isMissing(cell)) [sum[f], n[f]] = [Number(cell), 1];
    });
    group = { time, text, line, lastLine: line, first: picked, last: picked, sum, n };
  }
  if (group) yield finish(group);
  if (r === 0) throw new HourglassError(`${file} has a header but no data rows`);
}

/** Fills the missing cells of steps handed in order, by the rules of fill.ts, in bounded memory. */
class StreamFill {
  private readonly queue: { step: SeriesStep; inserted: boolean; open: number }[] = [];
  private head = 0;
  private readonly last: ({ time: number; value: number } | null)[];
  private readonly waiting: { entry: StreamFill['queue'][number] }[][];

  constructor(
    private readonly features: number,
    private readonly gapFill: FillRule,
    private readonly missingFill: FillRule,
  ) {
    this.last = Array.from({ length: features }, () => null);
    this.waiting = Array.from({ length: features }, () => []);
  }

  push(step: SeriesStep, inserted: boolean): void {
    const entry = { step, inserted, open: 0 };
    this.queue.push(entry);
    const rule = inserted ? this.gapFill : this.missingFill;
    for (let f = 0; f < this.features; f++) {
      const v = step.values[f]!;
      const last = this.last[f]!;
      if (Number.isNaN(v)) {
        (step.missing ??= new Uint8Array(this.features))[f] = 1;
        if (last && rule === 'previous') step.values[f] = last.value;
        else {
          entry.open++;
          this.waiting[f]!.push({ entry });
        }
        continue;
      }
      // An observation: the cells waiting for it take their value (as fillColumn computes it).
      for (const w of this.waiting[f]!) {
        const e = w.entry;
        const t = e.step.time;
        const ruleThere = e.inserted ? this.gapFill : this.missingFill;
        let filled: number;
        if (!last || ruleThere === 'previous') filled = last ? last.value : v;
        else {
          const weight = (t - last.time) / (step.time - last.time);
          filled = last.value + weight * (v - last.value);
        }
        e.step.values[f] = filled;
        e.open--;
      }
      this.waiting[f] = [];
      this.last[f] = { time: step.time, value: v };
    }
  }

  /** The steps at the front whose cells are all filled. */
  *ready(): Generator<SeriesStep> {
    while (this.head < this.queue.length && this.queue[this.head]!.open === 0) yield this.queue[this.head++]!.step;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** After the last step: cells after the last observation take it. */
  end(): void {
    for (let f = 0; f < this.features; f++) {
      const last = this.last[f];
      for (const w of this.waiting[f]!) {
        w.entry.step.values[f] = last!.value;
        w.entry.open--;
      }
      this.waiting[f] = [];
    }
  }
}

/**
 * Opens a series for streaming: the first pass (timestamps, order, duplicates, cells, the usual
 * step and the gaps) runs here, so every error of the file's layout comes before any output.
 */
export async function openSeriesStream(file: string, o: SeriesStreamOptions): Promise<StreamedSeries> {
  const l = await layoutOf(file, o);
  const features = l.valueAt.length;
  const counts = new Map<number, number>();
  const observed = new Float64Array(features);
  let n = 0,
    prev = NaN,
    kind: TimeKind = 'number';
  for await (const s of rawSteps(l, o)) {
    o.onLayoutStep?.(l.table);
    kind = s.kind;
    if (n > 0) counts.set(s.time - prev, (counts.get(s.time - prev) ?? 0) + 1);
    for (let f = 0; f < features; f++) if (!Number.isNaN(s.values[f]!)) observed[f]!++;
    prev = s.time;
    n++;
  }
  observed.forEach((k, f) => {
    if (k === 0)
      throw new HourglassError(`${file}: column '${o.valueColumns[f]}' has no values (every cell is missing)`);
  });
  // The in-memory reader takes a series of fewer than three steps as it is (no usual step).
  const resampled = n >= 3;
  const step = mostCommonStep(counts);
  let inserted = 0;
  if (resampled)
    for (const [dt, k] of counts) {
      const w = wholeSteps(dt, step);
      if (w > 1 && o.gaps !== 'keep' && o.gaps !== 'error') inserted += (w - 1) * k;
    }
  // A difference the gap rule refuses: found again in order, so the message names its rows.
  const refused = (dt: number) => {
    const w = wholeSteps(dt, step);
    return o.gaps === 'error' ? w !== 1 : o.gaps !== 'keep' && w === 0;
  };
  if (resampled && [...counts.keys()].some(refused)) {
    let before: RawStep | null = null;
    for await (const s of rawSteps(l, o)) {
      if (before && refused(s.time - before.time))
        gapSteps(
          { dt: s.time - before.time, lines: [before.line, s.line], times: [before.timeText, s.timeText] },
          step,
          kind,
          o.gaps,
          file,
        );
      before = s;
    }
  }
  // Filling a long outage of a fast sensor could make the series many times longer than the file.
  if (inserted > 10 * n)
    throw new HourglassError(
      `${file}: filling its gaps would insert ${inserted} steps into ${n}: keep the irregular steps with gaps: 'keep'`,
    );
  const gapFill: FillRule = o.gaps === 'previous' ? 'previous' : 'interpolate';
  const missingFill: FillRule = o.missing === 'previous' ? 'previous' : 'interpolate';
  return {
    file,
    timeColumn: l.table.columns[l.timeAt]!,
    timeKind: kind,
    columns: o.valueColumns,
    features,
    steps: n + inserted,
    table: l.table,
    async *read() {
      const fill = new StreamFill(features, gapFill, missingFill);
      let before: RawStep | null = null;
      for await (const s of rawSteps(l, o)) {
        if (resampled && before) {
          const add = gapSteps(
            { dt: s.time - before.time, lines: [before.line, s.line], times: [before.timeText, s.timeText] },
            step,
            kind,
            o.gaps,
            file,
          );
          for (let j = 1; j <= add; j++)
            fill.push({ time: before.time + j * step, values: new Float64Array(features).fill(NaN) }, true);
        }
        fill.push({ time: s.time, values: s.values }, false);
        yield* fill.ready();
        before = s;
      }
      fill.end();
      yield* fill.ready();
    },
  };
}
