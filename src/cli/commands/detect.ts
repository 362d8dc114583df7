// hourglass detect: score every row by reconstruction error and flag anomalies.

import { Command } from 'commander';
import { detectAnomalies, type ThresholdRule } from '../../apps/anomaly.js';
import { averagePrecision, rocAuc } from '../../apps/metrics.js';
import { readLabels } from '../../data/labels.js';
import { csvCell } from '../../data/table.js';
import { HourglassError } from '../../engine/errors.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { DATA_HELP, rowsFor } from '../inputs.js';
import { report, run } from '../output.js';
import { fraction, positiveInt, positiveNumber } from '../parse.js';

export function detectCommand(): Command {
  return new Command('detect')
    .description('score every row by reconstruction error and flag anomalies')
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .option('--contamination <r>', 'expected share of anomalies in the data (flags the top share)', fraction)
    .option('--threshold <t>', 'flag rows whose mean squared error is above this', positiveNumber)
    .option('--labels <file>', 'one 0 (normal) or 1 (anomaly) per row: reports ROC-AUC and PR-AUC')
    .option('--top <k>', 'features named per flagged row', positiveInt, 3)
    .requiredOption('--out <file>', 'CSV of row, score, anomaly, top features (separated by ;)')
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) =>
      run(async () => {
        if ((o.contamination === undefined) === (o.threshold === undefined))
          throw new HourglassError('give exactly one of --contamination or --threshold');
        checkOutputPath(o.out, o.overwrite, '--out');
        const ae = loadAutoencoder(dir);
        const { ds, x, mask, features } = await rowsFor(ae, data);
        const labels = o.labels ? readLabels(o.labels, x.shape[0]!) : null;
        const rule: ThresholdRule =
          o.threshold !== undefined ? { threshold: o.threshold } : { contamination: o.contamination };
        // Rows with gaps are scored on their observed cells only.
        const d = detectAnomalies(ae.model, x, rule, o.top, mask);
        const name = (j: number) => features?.[j] ?? `x${j}`;
        const lines = ['row,score,anomaly,top_features'];
        d.scores.forEach((s, r) =>
          lines.push(`${r},${s},${d.flagged[r]},${csvCell((d.topFeatures.get(r) ?? []).map(name).join(';'))}`),
        );
        writeFileAtomic(o.out, lines.join('\n') + '\n');
        const count = d.flagged.reduce((a, b) => a + b, 0);
        const quality = labels ? { rocAuc: rocAuc(d.scores, labels), prAuc: averagePrecision(d.scores, labels) } : null;
        report(
          o,
          [
            `${ds.name}: ${count} of ${d.scores.length} rows flagged (threshold ${d.threshold.toPrecision(4)}), scores in ${o.out}`,
            ...(quality ? [`ROC-AUC ${quality.rocAuc.toFixed(4)}, PR-AUC ${quality.prAuc.toFixed(4)}`] : []),
          ],
          {
            command: 'detect',
            model: dir,
            data: ds.name,
            rows: d.scores.length,
            flagged: count,
            threshold: d.threshold,
            out: o.out,
            ...(quality ?? {}),
          },
        );
      }),
    );
}
