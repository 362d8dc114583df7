// hourglass impute: fill the missing cells of a table from the model's reconstruction.

import { Command } from 'commander';
import { imputeTable } from '../../apps/impute.js';
import { parseTable, formatTable } from '../../data/table.js';
import { HourglassError } from '../../engine/errors.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { seriesRecordOf } from '../../apps/series_model.js';
import { imputeSeriesCommand } from '../series_commands.js';
import { addSeriesReadOptions } from '../series_inputs.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { report, run } from '../output.js';
import { positiveInt, positiveNumber } from '../parse.js';
import { taskProgress } from '../progress.js';
import fs from 'node:fs';
import { seriesStreams, STREAM_HELP, streamsData } from '../stream_data.js';
import { imputeStream } from '../stream_jobs.js';

export function imputeCommand(): Command {
  return addSeriesReadOptions(imputeFlags());
}

function imputeFlags(): Command {
  return new Command('impute')
    .description('fill the missing cells (empty, NA, NaN, null) of a table; observed cells are copied unchanged')
    .argument(
      '<dir>',
      'model folder, trained on a table with the same columns (hourglass train data.csv --kind denoising --noise masking:0.2)',
    )
    .argument('<data>', 'a .csv/.tsv table with missing cells')
    .requiredOption('--out <file>', 'the filled table (.csv)')
    .option('--max-rounds <n>', 'rounds of refilling at most', positiveInt, 50)
    .option('--tolerance <t>', 'stop when no filled value moves more than this (scaled units)', positiveNumber, 1e-4)
    .option('--overwrite', 'replace an existing --out file', false)
    .option(
      '--stream',
      `${STREAM_HELP}; a table's batches of 1,024 rows are each filled to their own convergence, a series' missing values cluster by cluster (the in-memory values)`,
    )
    .option('--json', 'print one JSON object as the last line')
    .option('--quiet', 'no progress output')
    .action((dir: string, data: string, o) =>
      run(async () => {
        if (!/\.csv$/i.test(o.out))
          throw new HourglassError(`--out ${o.out}: the filled table is written as a .csv file`);
        checkOutputPath(o.out, o.overwrite, '--out');
        const ae = loadAutoencoder(dir);
        if (seriesRecordOf(ae)) return imputeSeriesCommand(ae, dir, data, seriesStreams(data, o.stream), o);
        if (!fs.existsSync(data)) throw new HourglassError(`${data}: no such file`);
        if (!/\.(csv|tsv)$/i.test(data)) throw new HourglassError(`${data}: impute reads a .csv or .tsv table`);
        if (streamsData(data, o.stream)) {
          const r = await imputeStream(
            ae,
            data,
            o.out,
            { maxIterations: o.maxRounds, tolerance: o.tolerance },
            !o.quiet && !o.json,
          );
          const converged = r.change < o.tolerance;
          report(
            o,
            [
              `${data}: filled ${r.filledCells} missing cells of ${r.rows} rows, streamed in batches (at most ${r.rounds} round${r.rounds === 1 ? '' : 's'}; ${r.filledCells === 0 ? 'nothing to fill' : converged ? 'converged' : `largest change still ${r.change.toExponential(2)}`}); wrote ${o.out}`,
            ],
            {
              command: 'impute',
              model: dir,
              data,
              rows: r.rows,
              filledCells: r.filledCells,
              rounds: r.rounds,
              converged,
              lastChange: r.change,
              out: o.out,
              streamed: true,
            },
          );
          return;
        }
        const table = parseTable(fs.readFileSync(data, 'utf8'), data);
        const bar = taskProgress('Imputing', o.maxRounds, !o.quiet && !o.json);
        const r = imputeTable(ae, table, data, {
          maxIterations: o.maxRounds,
          tolerance: o.tolerance,
          onIteration: (i, change) => bar.update(i, `largest change ${change.toExponential(2)}`),
        });
        bar.stop();
        writeFileAtomic(o.out, formatTable(r.table));
        const converged = r.change < o.tolerance;
        report(
          o,
          [
            `${data}: filled ${r.filledCells} missing cells of ${table.rows.length} rows in ${r.iterations} round${r.iterations === 1 ? '' : 's'} (${r.filledCells === 0 ? 'nothing to fill' : converged ? 'converged' : `largest change still ${r.change.toExponential(2)}`}); wrote ${o.out}`,
          ],
          {
            command: 'impute',
            model: dir,
            data,
            rows: table.rows.length,
            filledCells: r.filledCells,
            rounds: r.iterations,
            converged,
            lastChange: r.change,
            out: o.out,
          },
        );
      }),
    );
}
