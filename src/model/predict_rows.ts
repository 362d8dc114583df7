// How many rows predict() runs per forward pass when the caller gives no batchSize. Inference
// rows are independent and every kernel computes a row the same way whatever the block's size
// (the GEMM's K blocking never depends on M), so the block size changes speed and memory, never
// results. Larger blocks pay: each GEMM is split across the kernel workers once per block, so
// more rows per block mean fewer hand-offs and more work per worker between them, and the
// weights are packed once per block instead of once per 256 rows.

import { Random } from '../engine/random.js';
import type { Param } from '../layers/layer.js';
import type { Graph } from './graph.js';
import { measureLayout } from './plan_layout.js';

/** The rows per block before predict() had its own choice (still its floor). */
export const MIN_PREDICT_ROWS = 256;
/** Beyond this the hand-offs are already a small share of a block's work. */
export const MAX_PREDICT_ROWS = 2048;
/** The inference plan's buffers stay within about this many floats (64 MB) when rows are chosen. */
export const PREDICT_BUDGET_FLOATS = 1 << 24;

/** Rows per forward pass for predict() without batchSize: as many as the memory budget allows, in [256, 2048]. */
export function defaultPredictRows(graph: Graph, params: Param[]): number {
  const layout = (maxBatch: number) => measureLayout(graph, params, { mode: 'infer', maxBatch, random: new Random(0) });
  const fixed = layout(1);
  const perRow = Math.max(1, layout(2) - fixed);
  const fit = Math.floor((PREDICT_BUDGET_FLOATS - fixed) / perRow);
  // Whole multiples of 256 rows: a block's rows split into even shares of the micro-kernel's tiles.
  const rows = Math.floor(fit / MIN_PREDICT_ROWS) * MIN_PREDICT_ROWS;
  return Math.min(MAX_PREDICT_ROWS, Math.max(MIN_PREDICT_ROWS, rows));
}
