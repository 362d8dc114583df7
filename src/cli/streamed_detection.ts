// What a streamed detect run found (every detector kind streams its scores CSV the same way) and
// the one report all of them print: the count flagged, the threshold and how it was chosen, and
// the ROC-AUC when labels were given.

import type { ChosenThreshold } from './detect_threshold.js';
import { report, type CommonFlags } from './output.js';

export interface StreamDetection {
  rows: number;
  flagged: number;
  chosen: ChosenThreshold;
  quality: { rocAuc: number; prAuc: number } | null;
}

/**
 * `flaggedBy` finishes the first line ("rows flagged by the anomaly detector"); `fields` are the
 * JSON report's own (command, model, kind, data ...), before the figures every kind shares.
 */
export function reportStreamedDetection(
  o: CommonFlags & { out: string },
  spec: string,
  flaggedBy: string,
  d: StreamDetection,
  fields: Record<string, unknown>,
): void {
  reportDetection(o, spec, flaggedBy, d, fields, true);
}

/** The same report for a detect run in memory (`streamed` says which; only a streamed one says so). */
export function reportDetection(
  o: CommonFlags & { out: string },
  spec: string,
  flaggedBy: string,
  d: StreamDetection,
  fields: Record<string, unknown>,
  streamed = false,
): void {
  report(
    o,
    [
      `${spec}: ${d.flagged} of ${d.rows} ${flaggedBy}, scores in ${o.out}`,
      `threshold ${d.chosen.threshold.toPrecision(4)}: ${d.chosen.how}`,
      ...(d.quality ? [`ROC-AUC ${d.quality.rocAuc.toFixed(4)}, PR-AUC ${d.quality.prAuc.toFixed(4)}`] : []),
    ],
    {
      ...fields,
      rows: d.rows,
      flagged: d.flagged,
      threshold: d.chosen.threshold,
      thresholdRule: d.chosen.how,
      out: o.out,
      ...(streamed ? { streamed: true } : {}),
      ...(d.quality ?? {}),
    },
  );
}
