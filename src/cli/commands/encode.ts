// hourglass encode: the code of every row, as CSV, JSON or .npy.

import { Command } from 'commander';
import { checkRowsFileName, encodeRowsFile } from '../../data/rows_file.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { seriesRecordOf } from '../../apps/series_model.js';
import { encodeSeriesCommand } from '../series_commands.js';
import { addSeriesReadOptions } from '../series_inputs.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { DATA_HELP, rowsFor } from '../inputs.js';
import { report, run } from '../output.js';
import { positiveInt } from '../parse.js';
import { seriesStreams, STREAM_HELP, streamsData } from '../stream_data.js';
import { encodeStream } from '../stream_jobs.js';

export function encodeCommand(): Command {
  return addSeriesReadOptions(encodeFlags());
}

function encodeFlags(): Command {
  return new Command('encode')
    .description('write the code of every row as CSV, JSON or .npy (by the --out extension)')
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .requiredOption('--out <file>', 'file to write: .csv, .json or .npy')
    .option(
      '--stride <n>',
      'sequence models: steps between the windows encoded (default: the training stride)',
      positiveInt,
    )
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--stream', STREAM_HELP)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) =>
      run(async () => {
        checkRowsFileName(o.out, '--out');
        checkOutputPath(o.out, o.overwrite, '--out');
        const ae = loadAutoencoder(dir);
        if (seriesRecordOf(ae)) return encodeSeriesCommand(ae, dir, data, seriesStreams(data, o.stream), o);
        let name = data,
          rows: number,
          dims: number;
        if (streamsData(data, o.stream)) ({ rows, dims } = await encodeStream(ae, data, o.out, !o.json));
        else {
          const { ds, x } = await rowsFor(ae, data);
          const codes = ae.encode(x);
          [rows, dims] = codes.shape as [number, number];
          name = ds.name;
          writeFileAtomic(o.out, encodeRowsFile(codes.data, rows, dims, o.out, 'codes', 'z'));
        }
        report(o, [`wrote ${rows} codes of ${dims} values to ${o.out}`], {
          command: 'encode',
          model: dir,
          data: name,
          rows,
          dims,
          out: o.out,
        });
      }),
    );
}
