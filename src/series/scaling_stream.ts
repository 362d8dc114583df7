// fitSeriesScaling over a streamed series (series_stream.ts), in passes over the file instead of
// over values in memory: one pass for the sums and the range of each column, and for 'standard'
// a second for the squared deviations from the mean. The sums run over the steps in the same
// order as the in-memory fit's, so the centers and scales are the same numbers, not just close
// (a one-pass running variance would differ in the last bits); the messages are its messages.

import { HourglassError } from '../engine/errors.js';
import type { SeriesScaling, SeriesScalingMethod } from './scaling.js';
import type { StreamedSeries } from './series_stream.js';

/** Each step of a pass as read (the pass, 'sums' or 'deviations'; the steps so far). */
export type ScalingProgress = (pass: 'sums' | 'deviations', steps: number) => void;

export async function fitSeriesScalingStream(
  s: StreamedSeries,
  method: SeriesScalingMethod = 'standard',
  progress?: ScalingProgress,
): Promise<SeriesScaling> {
  if (method !== 'standard' && method !== 'minmax')
    throw new HourglassError(`series scaling must be 'standard' or 'minmax', got '${String(method)}'`);
  const d = s.features;
  const sum = new Float64Array(d),
    lo = new Float64Array(d).fill(Infinity),
    hi = new Float64Array(d).fill(-Infinity);
  let steps = 0;
  for await (const step of s.read()) {
    for (let f = 0; f < d; f++) {
      const v = step.values[f]!;
      sum[f]! += v;
      lo[f] = Math.min(lo[f]!, v);
      hi[f] = Math.max(hi[f]!, v);
    }
    progress?.('sums', ++steps);
  }
  if (steps < 2) throw new HourglassError(`${s.file} has ${steps} step: scaling needs at least two`);
  s.columns.forEach((name, f) => {
    if (!(hi[f]! > lo[f]!))
      throw new HourglassError(
        `${s.file}: column '${name}' is constant (${lo[f]}) over all ${steps} steps, so it cannot be scaled: leave it out of the value columns`,
      );
  });
  const columns = s.columns.map((name, f) => ({ name, center: lo[f]!, scale: hi[f]! - lo[f]! }));
  if (method === 'standard') {
    const mean = Float64Array.from(sum, (v) => v / steps);
    const ss = new Float64Array(d);
    let n = 0;
    for await (const step of s.read()) {
      for (let f = 0; f < d; f++) ss[f]! += (step.values[f]! - mean[f]!) ** 2;
      progress?.('deviations', ++n);
    }
    columns.forEach((c, f) => {
      c.center = mean[f]!;
      c.scale = Math.sqrt(ss[f]! / (steps - 1));
    });
  }
  return { format: 'hourglass-series-scaling', version: 1, method, columns };
}
