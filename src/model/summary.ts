// model.summary(): the Keras-style table of layers, output shapes and parameter counts.

import { formatShape } from '../layers/layer.js';
import type { PlannedModel } from './model_types.js';
import { formatPlan } from './plan_format.js';

export function formatSummary(model: PlannedModel, options: { plan?: boolean } = {}): string {
  const rows: [string, string, string][] = [['Layer (type)', 'Output shape', 'Param #']];
  for (const node of model.graph.nodes) {
    rows.push([
      `${node.layer.name} (${node.layer.className})`,
      formatShape(node.shape),
      String(node.layer.countParams()),
    ]);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i as 0 | 1 | 2].length)) + 2);
  const line = (r: [string, string, string]) =>
    r[0].padEnd(widths[0]!) + r[1].padEnd(widths[1]!) + r[2].padStart(widths[2]! - 2);
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0));
  const total = model.countParams();
  const trainable = model.trainableParams().reduce((s, p) => s + p.value.length, 0);
  return [
    `Model: "${model.name}"`,
    rule,
    line(rows[0]!),
    rule,
    ...rows.slice(1).map(line),
    rule,
    `Total params: ${total.toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
    // The training step as the executor runs it (compiled for batches of one; sizes print per batch B).
    ...(options.plan ? ['', formatPlan(model.compiled ? model.planForTraining(1) : model.planForInference(1))] : []),
  ].join('\n');
}
