// hourglass detect: score every row by reconstruction error and flag anomalies.

import { Command } from 'commander';
import { flagRows, squaredErrors } from '../../apps/anomaly.js';
import { checkTrainingScores, TRAINING_SCORES_KEY } from '../../apps/training_scores.js';
import { chooseThreshold } from '../detect_threshold.js';
import { detectWithDetectorCli, isDetectorFolder } from '../detector_commands.js';
import { detectWithImageDetectorCli, isImageDetectorFolder } from '../image_detector_commands.js';
import { readLabels } from '../../data/labels.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { seriesRecordOf } from '../../apps/series_model.js';
import { checkOutputPath } from '../files.js';
import { detectionQuality, writeScoresCsv } from '../detection_output.js';
import { addSeriesDetectOptions, detectSeriesCommand } from '../series_commands.js';
import { DATA_HELP, rowsFor } from '../inputs.js';
import { run } from '../output.js';
import { finiteNumber, fraction, positiveInt } from '../parse.js';
import { seriesStreams, STREAM_HELP, streamsData } from '../stream_data.js';
import { detectStream } from '../stream_jobs.js';
import { reportDetection, reportStreamedDetection } from '../streamed_detection.js';

export function detectCommand(): Command {
  return addSeriesDetectOptions(detectFlags());
}

function detectFlags(): Command {
  return new Command('detect')
    .description(
      'score every row (reconstruction error, or the anomaly detector) and flag anomalies: by default above the threshold saved at train time',
    )
    .argument('<dir>', 'model or detector folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .option('--contamination <r>', 'expected share of anomalies in the data (flags the top share)', fraction)
    .option('--threshold <t>', 'flag rows whose score is above this', finiteNumber)
    .option(
      '--quantile <q>',
      "flag rows above this quantile of the training rows' scores (saved at train time)",
      fraction,
    )
    .option('--labels <file>', 'one 0 (normal) or 1 (anomaly) per row: reports ROC-AUC and PR-AUC')
    .option('--top <k>', 'features named per flagged row', positiveInt, 3)
    .requiredOption('--out <file>', 'CSV of row, score, anomaly, top features (separated by ;)')
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--stream', STREAM_HELP)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) =>
      run(async () => {
        checkOutputPath(o.out, o.overwrite, '--out');
        // A detector folder (train --kind detector) has its own scores and saved threshold.
        if (isDetectorFolder(dir)) return detectWithDetectorCli(dir, data, o);
        if (isImageDetectorFolder(dir)) return detectWithImageDetectorCli(dir, data, o);
        const ae = loadAutoencoder(dir);
        if (seriesRecordOf(ae)) return detectSeriesCommand(ae, dir, data, seriesStreams(data, o.stream), o);
        if (streamsData(data, o.stream)) {
          const saved = checkTrainingScores(ae.extra[TRAINING_SCORES_KEY], `${dir}/model.json`);
          const d = await detectStream(ae, data, o, saved, !o.json);
          reportStreamedDetection(o, data, 'rows flagged', d, { command: 'detect', model: dir, data });
          return;
        }
        const { ds, x, mask, features } = await rowsFor(ae, data);
        const labels = o.labels ? readLabels(o.labels, x.shape[0]!) : null;
        // Rows with gaps are scored on their observed cells only. One prediction serves both the
        // threshold (a share of these rows' scores) and the flags with their worst features.
        const saved = checkTrainingScores(ae.extra[TRAINING_SCORES_KEY], `${dir}/model.json`);
        const errors = squaredErrors(ae.model, x, mask);
        const chosen = chooseThreshold(o, errors.scores, saved);
        const d = flagRows(errors, { threshold: chosen.threshold }, o.top);
        const count = writeScoresCsv(o.out, d, (j) => features?.[j] ?? `x${j}`);
        const quality = detectionQuality(d.scores, labels);
        reportDetection(
          o,
          ds.name,
          'rows flagged',
          { rows: d.scores.length, flagged: count, chosen: { ...chosen, threshold: d.threshold }, quality },
          { command: 'detect', model: dir, data: ds.name },
        );
      }),
    );
}
