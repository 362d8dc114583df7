// Filling holes in a value column from its observed cells: linear interpolation in time between
// the observed neighbours, or the previous observed value. Before the first observation both
// take the first observed value, after the last one the last (there is nothing to interpolate).

import { HourglassError } from '../engine/errors.js';

export type FillRule = 'interpolate' | 'previous';

/**
 * Fills the NaN cells of one column (every `stride`-th value from `offset` in `values`, one per
 * time), each by the rule `ruleAt(i)` gives its time step, from the cells observed (not NaN) before
 * any filling. Returns how many cells it filled.
 */
export function fillColumn(
  values: Float64Array,
  times: Float64Array,
  offset: number,
  stride: number,
  ruleAt: (i: number) => FillRule,
  what: string,
): number {
  const n = times.length;
  const at = (i: number) => values[i * stride + offset]!;
  const observed: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(at(i))) observed.push(i);
  if (observed.length === 0) throw new HourglassError(`${what} has no values (every cell is missing)`);
  if (observed.length === n) return 0;
  const snapshot = Float64Array.from(observed, at);
  let filled = 0,
    next = 0; // index into observed of the first observation after i
  for (let i = 0; i < n; i++) {
    while (next < observed.length && observed[next]! <= i) next++;
    if (!Number.isNaN(at(i))) continue;
    const before = next - 1;
    let v: number;
    if (before < 0) v = snapshot[0]!;
    else if (next >= observed.length || ruleAt(i) === 'previous') v = snapshot[before]!;
    else {
      const [t0, t1] = [times[observed[before]!]!, times[observed[next]!]!];
      const w = (times[i]! - t0) / (t1 - t0);
      v = snapshot[before]! + w * (snapshot[next]! - snapshot[before]!);
    }
    values[i * stride + offset] = v;
    filled++;
  }
  return filled;
}
