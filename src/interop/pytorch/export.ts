// exportPytorch: a Hourglass model as a PyTorch project folder: model.py (an nn.Module written out
// layer by layer, see writer.ts and the py_*.ts writers) and weights.safetensors with PyTorch's
// names and layouts (weights.ts), plus hourglass.json naming which Hourglass tensor each entry is,
// for the way back (import.ts).

import { HourglassError } from '../../engine/errors.js';
import { InputLayer } from '../../layers/input.js';
import type { Layer, SymbolicTensor } from '../../layers/layer.js';
import { type Model } from '../../model/model.js';
import { encodeSafetensors, type NamedTensor } from '../../model/safetensors.js';
import { Autoencoder } from '../../models/autoencoder.js';
import { PYTORCH_EMITTERS } from './emitter_table.js';
import { HEADER, HELPERS, SAFETENSORS } from './prelude.js';
import { weightLinks } from './weights.js';
import { PyWriter, type PyValue } from './writer.js';

export const PYTORCH_MODEL_FILE = 'model.py';
export const PYTORCH_WEIGHTS_FILE = 'weights.safetensors';
export const PYTORCH_MAP_FILE = 'hourglass.json';

/** hourglass.json: for each state_dict entry, the Hourglass layer/parameter and the axis order. */
export interface PytorchMap {
  format: 'hourglass-pytorch';
  version: 1;
  model: string;
  inputShape: number[];
  outputShape: number[];
  /** perm: torch axis i is Hourglass axis perm[i]; transform: what a mapping that is not a permutation does. */
  tensors: { torch: string; hourglass: string; shape: number[]; perm: number[] | null; transform?: string }[];
}

export interface PytorchExport {
  files: Record<string, Uint8Array>;
  map: PytorchMap;
}

export function networkOf(source: Model | Autoencoder): Model {
  return source instanceof Autoencoder ? source.model : source;
}

export function layerAttributes(model: Model, w: PyWriter): Map<Layer, string> {
  const attrs = new Map<Layer, string>();
  for (const l of model.layers) if (!(l instanceof InputLayer)) attrs.set(l, w.identifier(l.name));
  return attrs;
}

/** encode(x): the forward lines that compute the code, and the code back in channels-last. */
function encodeMethod(w: PyWriter, upTo: { lines: number; value: PyValue }, layer: string): string[] {
  // A separate writer, so the permute (if any) does not land in forward.
  const probe = new PyWriter();
  const code = probe.channelsLast(upTo.value);
  return [
    '',
    '    def encode(self, x):',
    `        """The code (layer '${layer}'), [batch, ${upTo.value.shape.join(', ')}], as Hourglass's encoder gives it."""`,
    ...[...w.forward.slice(0, upTo.lines), ...probe.forward].map((l) => `        ${l}`),
    `        return ${code.name}`,
  ];
}

export function exportPytorch(source: Model | Autoencoder): PytorchExport {
  const model = networkOf(source);
  const unsupported = model.layers.filter((l) => !(l instanceof InputLayer) && !PYTORCH_EMITTERS[l.className]);
  if (unsupported.length > 0)
    throw new HourglassError(
      `cannot export to PyTorch: no PyTorch mapping for ${unsupported.map((l) => `${l.name} (${l.className})`).join(', ')}`,
    );
  const w = new PyWriter();
  const attrs = layerAttributes(model, w);
  const values = new Map<SymbolicTensor, PyValue>();
  const applied = new Map<Layer, number>();
  // An autoencoder's module also gets encode(x): forward's lines up to its code layer.
  const encodeLayer = source instanceof Autoencoder ? source.record().encodeLayer : null;
  let encodeUpTo: { lines: number; value: PyValue } | null = null;
  for (const t of model.graph.nodes) {
    if (t.layer instanceof InputLayer) {
      values.set(t, { name: 'x', shape: t.shape, layout: 'channelsLast' });
      continue;
    }
    const attr = attrs.get(t.layer)!;
    const n = (applied.get(t.layer) ?? 0) + 1;
    applied.set(t.layer, n);
    const emit = PYTORCH_EMITTERS[t.layer.className]!;
    const out = emit({
      w,
      layer: t.layer,
      inputs: t.inputs.map((i) => values.get(i)!),
      outputShape: t.shape,
      attr,
      target: n === 1 ? attr : `${attr}_${n}`,
    });
    values.set(t, out);
    if (t.layer.name === encodeLayer) encodeUpTo = { lines: w.forward.length, value: out };
    if (n > 1) throw new HourglassError(`cannot export to PyTorch: layer '${t.layer.name}' is applied more than once`);
  }
  const encodeLines = encodeUpTo ? encodeMethod(w, encodeUpTo, encodeLayer!) : [];
  const out = w.channelsLast(values.get(model.output)!);
  const frozen = model.layers.filter((l) => !l.trainable && l.params.length > 0);
  const init = [
    ...w.init,
    ...frozen.map((l) => `self.${attrs.get(l)!}.requires_grad_(False)  # trainable=False in Hourglass`),
  ];
  const py = [
    HEADER,
    SAFETENSORS,
    ...[...w.helpers].sort().map((h) => HELPERS[h]!),
    '',
    '',
    'class HourglassModel(nn.Module):',
    `    """Hourglass model '${model.name}': input [batch, ${model.input.shape.join(', ')}], output [batch, ${model.output.shape.join(', ')}]."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...(init.length ? init : ['pass']).map((l) => `        ${l}`),
    '',
    '    def forward(self, x):',
    ...w.forward.map((l) => `        ${l}`),
    `        return ${out.name}`,
    ...encodeLines,
    '',
  ].join('\n');

  const tensors: NamedTensor[] = [];
  const map: PytorchMap = {
    format: 'hourglass-pytorch',
    version: 1,
    model: model.name,
    inputShape: model.input.shape,
    outputShape: model.output.shape,
    tensors: [],
  };
  for (const [layer, attr] of attrs) {
    for (const link of weightLinks(layer, attr)) {
      const values = link.toTorch(Float32Array.from(link.param.value.view()));
      link.parts.forEach((part, i) => {
        tensors.push({ name: part.name, shape: part.shape, data: values[i]! });
        map.tensors.push({
          torch: part.name,
          hourglass: `${layer.name}/${link.param.name}`,
          shape: part.shape,
          perm: link.perm,
          ...(link.transform ? { transform: link.transform } : {}),
        });
      });
    }
  }
  return {
    files: {
      [PYTORCH_MODEL_FILE]: new TextEncoder().encode(py),
      [PYTORCH_WEIGHTS_FILE]: encodeSafetensors(tensors, { format: 'pt', producer: 'hourglass-ae' }),
      [PYTORCH_MAP_FILE]: new TextEncoder().encode(JSON.stringify(map, null, 2) + '\n'),
    },
    map,
  };
}
