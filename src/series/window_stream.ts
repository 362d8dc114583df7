// The windows slidingWindows cuts from a series in memory, cut from a series that arrives one
// step at a time (series_stream.ts): each step is scaled as it comes and kept in a ring of the
// last `window` steps, stored twice over so that the window ending at the newest step is one
// contiguous slice; windows start every `stride` steps, and when the stride skips the last step
// one more window ends there (slidingWindows' coverEnd). The windows come in blocks, so a
// consumer (detect, encode, the streamed training set) takes many per async step. Memory: the
// ring and the block being filled, whatever the series' length.

import type { SeriesScaling } from './scaling.js';
import type { SeriesStep } from './series_stream.js';

export interface WindowBlock {
  /** [starts.length, window, features] scaled values, row-major; a fresh array per block. */
  data: Float32Array;
  /** The first step of each window. */
  starts: number[];
}

export interface WindowStreamOptions {
  window: number;
  stride: number;
  /** The scaling applied to each step (its columns are the steps' values, in order). */
  scaling: SeriesScaling;
  /** Windows per block at most. */
  perBlock: number;
  /** Each step as read (index from 0), before any window ending at it is cut. */
  onStep?: (step: SeriesStep, index: number) => void;
}

/** Windows in blocks; nothing when the series is shorter than a window (the caller says so). */
export async function* scaledWindowBlocks(
  steps: AsyncIterable<SeriesStep>,
  o: WindowStreamOptions,
): AsyncGenerator<WindowBlock> {
  const { window, stride, perBlock } = o;
  const columns = o.scaling.columns;
  const d = columns.length;
  const size = window * d;
  const ring = new Float32Array(2 * size);
  let block = new Float32Array(perBlock * size);
  let starts: number[] = [];
  let t = 0,
    lastStart = -1;
  // Copies the window ending at the newest step into the block; true when the block is full.
  const cut = (start: number): boolean => {
    const at = (start % window) * d;
    block.set(ring.subarray(at, at + size), starts.length * size);
    starts.push(start);
    lastStart = start;
    return starts.length === perBlock;
  };
  const handOut = (): WindowBlock => {
    const out = { data: block.subarray(0, starts.length * size), starts };
    block = new Float32Array(perBlock * size);
    starts = [];
    return out;
  };
  for await (const step of steps) {
    o.onStep?.(step, t);
    const at = (t % window) * d;
    for (let f = 0; f < d; f++) {
      // The expression scaleSeries computes, rounded to float32 as slidingWindows stores it.
      const v = (step.values[f]! - columns[f]!.center) / columns[f]!.scale;
      ring[at + f] = v;
      ring[at + size + f] = v;
    }
    t++;
    const start = t - window;
    if (start >= 0 && start % stride === 0 && cut(start)) yield handOut();
  }
  if (t >= window && lastStart + window < t && cut(t - window)) yield handOut();
  if (starts.length) yield handOut();
}

/** How many windows slidingWindows cuts from `steps` steps (0 when fewer than a window). */
export function windowCount(steps: number, window: number, stride: number): number {
  if (steps < window) return 0;
  const regular = Math.floor((steps - window) / stride) + 1;
  return (regular - 1) * stride + window < steps ? regular + 1 : regular;
}
