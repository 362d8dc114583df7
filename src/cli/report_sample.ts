// The rows a report shows of a streamed file: a seeded uniform sample (reservoirSample) drawn in
// one streaming pass, so `train --report` and `report --stream` stay at bounded memory whatever
// the file's size. The report's figures (reconstruction errors, codes, anomalies, compression)
// are then the sample's; a file no longer than the sample is reported whole, in its order, as
// the in-memory report does. A table model's sample keeps the rows' cells, so the report reads
// them through the saved preprocessing as it reads a whole table.

import fs from 'node:fs';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { preprocessingOf } from '../apps/tabular.js';
import { openFile } from '../data/dataset_files.js';
import { reservoirSample } from '../data/reservoir.js';
import type { Table } from '../data/table.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { modelStream, StreamProgress } from './stream_data.js';

/** Rows a streamed report shows at most (the code map's default points). */
export const REPORT_SAMPLE_ROWS = 10_000;
const REPORT_SAMPLE_SEED = 42;

export interface ReportSample {
  /** A table model's sampled rows of cells, else the sampled rows as the model reads them. */
  data: Table | Tensor;
  /** Rows in the file, and rows in the sample. */
  rows: number;
  sampled: number;
  image?: [number, number, number];
  /** A table's bytes in the file, scaled to the sample's share of its rows. */
  rawBytes?: number;
  /** What the report's subtitle names: the file, and the sample when it is one. */
  source: string;
}

async function* rowsOfBatches(batches: AsyncIterable<{ x: Tensor }>): AsyncGenerator<Float32Array> {
  for await (const b of batches) {
    const n = b.x.shape[0]!,
      width = b.x.data.length / n;
    for (let r = 0; r < n; r++) yield b.x.data.subarray(r * width, (r + 1) * width);
  }
}

export async function reportSample(
  ae: Autoencoder,
  spec: string,
  progress: boolean,
  capacity = REPORT_SAMPLE_ROWS,
): Promise<ReportSample> {
  const bar = new StreamProgress(progress);
  try {
    let out: Omit<ReportSample, 'source'>;
    if (preprocessingOf(ae)) {
      const file = await openFile(spec);
      if (file.kind !== 'table')
        throw new HourglassError(
          `${spec}: this model was trained on a table; give it a table (CSV, NDJSON or Parquet)`,
        );
      const cells = file.cells.map((c, i) => {
        bar.update('Sampling rows for the report', i + 1, file);
        return c;
      });
      const s = await reservoirSample(cells, capacity, REPORT_SAMPLE_SEED, (c) => c.slice());
      const bytes = fs.statSync(spec).size;
      out = {
        data: { columns: file.columns, rows: s.items },
        rows: s.seen,
        sampled: s.items.length,
        rawBytes: s.seen ? Math.round((bytes * s.items.length) / s.seen) : bytes,
      };
    } else {
      const m = await modelStream(ae, spec);
      let done = 0;
      const rows = rowsOfBatches(m.batches);
      const counted = (async function* () {
        for await (const r of rows) {
          bar.update('Sampling rows for the report', ++done, m.file);
          yield r;
        }
      })();
      const s = await reservoirSample(counted, capacity, REPORT_SAMPLE_SEED, (r) => r.slice());
      const width = s.items[0]?.length ?? 0;
      const data = new Float32Array(s.items.length * width);
      s.items.forEach((r, i) => data.set(r, i * width));
      const image = m.file.kind === 'array' ? m.file.image : undefined;
      out = {
        data: { data, shape: [s.items.length, width] },
        rows: s.seen,
        sampled: s.items.length,
        ...(image ? { image } : {}),
        ...(m.file.kind === 'table'
          ? { rawBytes: Math.round((m.file.bytes * s.items.length) / Math.max(1, s.seen)) }
          : {}),
      };
    }
    if (!out.rows) throw new HourglassError(`${spec} has no rows`);
    const source =
      out.sampled < out.rows
        ? `${spec} (a uniform sample of ${out.sampled.toLocaleString('en-US')} of its ${out.rows.toLocaleString('en-US')} rows, streamed)`
        : spec;
    return { ...out, source };
  } finally {
    bar.stop();
  }
}
