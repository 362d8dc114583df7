// hourglass sample: new rows from a variational autoencoder's prior, as a PNG grid or rows.

import { Command } from 'commander';
import { writeImageGrid } from '../../data/png.js';
import { checkRowsFileName, encodeRowsFile } from '../../data/rows_file.js';
import { HourglassError } from '../../engine/errors.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { VariationalAutoencoder } from '../../models/variational_autoencoder.js';
import { preprocessingOf, rowsToTable } from '../../apps/tabular.js';
import { seriesRecordOf } from '../../apps/series_model.js';
import { unscaleValues } from '../../series/scaling.js';
import { formatTable } from '../../data/table.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { report, run } from '../output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';

export function sampleCommand(): Command {
  return new Command('sample')
    .description(
      'draw new rows from a variational autoencoder (hourglass train --kind variational), or new windows from a variational sequence one (--kind sequence --variational)',
    )
    .argument('<dir>', 'model folder of a variational autoencoder')
    .option('--count <n>', 'rows to draw', positiveInt, 64)
    .option('--seed <n>', 'random seed of the codes', nonNegativeInt, 0)
    .requiredOption('--out <file>', 'a .png grid (image models) or .csv, .json, .npy')
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, o) =>
      run(async () => {
        checkOutputPath(o.out, o.overwrite, '--out');
        const ae = loadAutoencoder(dir);
        if (!(ae instanceof VariationalAutoencoder))
          throw new HourglassError(
            `${dir} holds a ${ae.kind} autoencoder; sampling needs a variational one (--kind variational, or --kind sequence --variational)`,
          );
        const drawn = ae.sample(o.count, { seed: o.seed });
        // A series model draws windows in the series' own units: each row is window x features
        // values, steps first, unscaled with the training series' scaling.
        const series = seriesRecordOf(ae);
        const s = series ? { ...drawn, data: unscaleValues(series.scaling, drawn.data) } : drawn;
        const dims = s.data.length / o.count;
        const image = ae.extra['image'] as [number, number, number] | undefined;
        const preprocessing = preprocessingOf(ae);
        if (/\.png$/i.test(o.out)) {
          if (!image)
            throw new HourglassError('--out .png needs a model trained on images; write .csv, .json or .npy instead');
          const [h, w, c] = image as [number, number, 1 | 3];
          const size = h * w * c,
            columns = Math.min(8, o.count);
          const rows: Float32Array[][] = [];
          for (let i = 0; i < o.count; i += columns)
            rows.push(
              Array.from({ length: Math.min(columns, o.count - i) }, (_, k) =>
                s.data.subarray((i + k) * size, (i + k + 1) * size),
              ),
            );
          writeImageGrid(o.out, rows, { height: h, width: w, columns, channels: c, scale: 2 });
        } else if (preprocessing) {
          // A model trained on a table draws rows in the table's own columns and units.
          if (!/\.csv$/i.test(o.out))
            throw new HourglassError(
              `--out ${o.out}: this model was trained on a table; its rows come out as a .csv file`,
            );
          writeFileAtomic(o.out, formatTable(rowsToTable(preprocessing, s.data)));
        } else {
          checkRowsFileName(o.out, '--out');
          writeFileAtomic(o.out, encodeRowsFile(s.data, o.count, dims, o.out, 'rows', 'x'));
        }
        const what = series
          ? `windows of ${series.window} steps x ${series.scaling.columns.length} columns (${dims} values, in the series' units)`
          : `rows of ${dims} values`;
        report(o, [`drew ${o.count} ${what} into ${o.out}`], {
          command: 'sample',
          model: dir,
          count: o.count,
          dims,
          out: o.out,
        });
      }),
    );
}
