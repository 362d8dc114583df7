// hourglass denoise: every row replaced by the model's reconstruction. Images go to a PNG grid
// (inputs above outputs) or a folder of PNG files; tables to CSV in their own columns and units;
// other rows to .csv/.json/.npy.

import { Command } from 'commander';
import path from 'node:path';
import { rowsToTable } from '../../apps/tabular.js';
import { encodePng, writeImageGrid } from '../../data/png.js';
import { checkRowsFileName, encodeRowsFile } from '../../data/rows_file.js';
import { formatTable } from '../../data/table.js';
import { HourglassError } from '../../engine/errors.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { seriesRecordOf } from '../../apps/series_model.js';
import { denoiseSeriesCommand } from '../series_commands.js';
import { addSeriesReadOptions } from '../series_inputs.js';
import { checkOutputPath, writeFileAtomic, writeOutputFolder } from '../files.js';
import { DATA_HELP, rowsFor } from '../inputs.js';
import { report, run } from '../output.js';
import { positiveInt } from '../parse.js';
import { seriesStreams, STREAM_HELP, streamsData } from '../stream_data.js';
import { denoiseStream } from '../stream_denoise.js';

export function denoiseCommand(): Command {
  return addSeriesReadOptions(denoiseFlags());
}

function denoiseFlags(): Command {
  return new Command('denoise')
    .description(
      'clean every row with the model (train it with --kind denoising): images to a PNG grid or folder, tables to CSV',
    )
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .requiredOption(
      '--out <path>',
      'images: a .png grid or a folder of PNG files; tables: .csv; other rows: .csv, .json or .npy',
    )
    .option('--grid <n>', 'images in a .png grid, each above its cleaned version', positiveInt, 32)
    .option('--overwrite', 'replace an existing --out', false)
    .option(
      '--stream',
      `${STREAM_HELP}; images stream to a .png grid of the first --grid or to a folder of PNG files named by row`,
    )
    .option('--json', 'print one JSON object as the last line')
    .option('--quiet', 'no progress output')
    .action((dir: string, data: string, o) =>
      run(async () => {
        checkOutputPath(o.out, o.overwrite, '--out');
        const ae = loadAutoencoder(dir);
        if (seriesRecordOf(ae)) return denoiseSeriesCommand(ae, dir, data, seriesStreams(data, o.stream), o);
        if (streamsData(data, o.stream)) {
          const r = await denoiseStream(ae, data, o.out, { grid: o.grid }, !o.quiet && !o.json);
          report(o, [`${data}: wrote ${r.wrote} to ${o.out} (streamed)`], {
            command: 'denoise',
            model: dir,
            data,
            rows: r.rows,
            out: o.out,
            streamed: true,
          });
          return;
        }
        const { ds, x, preprocessing } = await rowsFor(ae, data);
        const rows = x.shape[0]!;
        const cleaned = ae.reconstruct(x).data;
        const image = ds.image ?? (ae.extra['image'] as [number, number, number] | undefined);
        let wrote: string;
        if (preprocessing) {
          if (!/\.csv$/i.test(o.out)) throw new HourglassError(`--out ${o.out}: a table is written as a .csv file`);
          writeFileAtomic(o.out, formatTable(rowsToTable(preprocessing, cleaned)));
          wrote = `${rows} rows of ${preprocessing.columns.length} columns`;
        } else if (image && x.data.length === rows * image[0] * image[1] * image[2]) {
          const [h, w, c] = image as [number, number, 1 | 3];
          const size = h * w * c;
          const img = (t: Float32Array, i: number) => t.subarray(i * size, (i + 1) * size);
          if (/\.png$/i.test(o.out)) {
            const n = Math.min(o.grid, rows),
              columns = Math.min(16, n);
            const gridRows: Float32Array[][] = [];
            for (let s = 0; s < n; s += columns) {
              const ids = Array.from({ length: Math.min(columns, n - s) }, (_, k) => s + k);
              gridRows.push(
                ids.map((i) => img(x.data, i)),
                ids.map((i) => img(cleaned, i)),
              );
            }
            writeImageGrid(o.out, gridRows, {
              height: h,
              width: w,
              columns,
              channels: c,
              scale: 2,
              ...(ds.files ? { invert: false } : {}),
            });
            wrote = `a grid of ${n} images above their cleaned versions`;
          } else {
            if (path.extname(o.out) !== '')
              throw new HourglassError(
                `--out ${o.out}: images go to a .png grid or a folder (a path without an extension)`,
              );
            const files: Record<string, Uint8Array> = {};
            const digits = String(rows - 1).length;
            for (let i = 0; i < rows; i++) {
              const name = ds.files
                ? `${path.basename(ds.files[i]!, path.extname(ds.files[i]!))}.png`
                : `${String(i).padStart(digits, '0')}.png`;
              files[name] = encodePng(img(cleaned, i), h, w, c);
            }
            writeOutputFolder(o.out, files);
            wrote = `${rows} PNG files`;
          }
        } else {
          checkRowsFileName(o.out, '--out');
          const dims = cleaned.length / rows;
          writeFileAtomic(o.out, encodeRowsFile(cleaned, rows, dims, o.out, 'rows', 'x'));
          wrote = `${rows} rows of ${dims} values`;
        }
        report(o, [`${ds.name}: wrote ${wrote} to ${o.out}`], {
          command: 'denoise',
          model: dir,
          data: ds.name,
          rows,
          out: o.out,
        });
      }),
    );
}
