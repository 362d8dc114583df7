// hourglass evaluate: reconstruction loss of a saved model on data.

import { Command } from 'commander';
import { evaluateReconstruction } from '../../apps/train.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { DATA_HELP, rowsFor } from '../inputs.js';
import { fmt, report, run } from '../output.js';

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('reconstruction loss of a saved model on data')
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) =>
      run(async () => {
        const ae = loadAutoencoder(dir);
        const { ds, x } = await rowsFor(ae, data);
        const r = evaluateReconstruction(ae.model, x);
        const lossName = ae.model.compiled?.loss.name ?? 'mse';
        const rows = x.shape[0]!;
        report(o, [`${ds.name}: ${rows} rows, loss ${fmt(r['loss'])} (${lossName}), mse ${fmt(r['mse'])}`], {
          command: 'evaluate',
          model: dir,
          data: ds.name,
          rows,
          lossName,
          ...r,
        });
      }),
    );
}
