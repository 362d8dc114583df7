// hourglass evaluate: reconstruction loss of a saved model on data.

import { Command } from 'commander';
import { evaluateReconstruction } from '../../apps/train.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { DATA_HELP, rowsFor } from '../inputs.js';
import { fmt, report, run } from '../output.js';
import { STREAM_HELP, streamsData } from '../stream_data.js';
import { evaluateStream } from '../stream_jobs.js';

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('reconstruction loss of a saved model on data')
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .option('--stream', STREAM_HELP)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) =>
      run(async () => {
        const ae = loadAutoencoder(dir);
        let name = data,
          rows: number,
          r: Record<string, number>;
        if (streamsData(data, o.stream)) {
          ({ rows, results: r } = await evaluateStream(ae, data, !o.json));
        } else {
          const { ds, x } = await rowsFor(ae, data);
          r = evaluateReconstruction(ae.model, x);
          rows = x.shape[0]!;
          name = ds.name;
        }
        const lossName = ae.model.compiled?.loss.name ?? 'mse';
        report(o, [`${name}: ${rows} rows, loss ${fmt(r['loss'])} (${lossName}), mse ${fmt(r['mse'])}`], {
          command: 'evaluate',
          model: dir,
          data: name,
          rows,
          lossName,
          ...r,
        });
      }),
    );
}
