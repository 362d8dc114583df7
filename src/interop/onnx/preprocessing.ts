// Folding the tabular preprocessing (src/data/tabular_preprocessing.ts) into the exported graph,
// so the ONNX model takes and returns a table's raw numeric columns:
//   in:  scaled = (raw - center) / scale (Sub, Div), and a missing cell (NaN) becomes the column's
//        fill value (IsNaN, Where), as transformTable does;
//   out: raw = scaled * scale + center (Mul, Add), as inverseRows does.
// Not foldable: text columns, one-hot encoded by category name (the model would need string
// inputs and a category table; ONNX-ML's OneHotEncoder is not in the default domain). Such
// preprocessing is refused, naming the columns.

import { HourglassError } from '../../engine/errors.js';
import type { TabularPreprocessing } from '../../data/tabular_preprocessing.js';
import type { OnnxGraphBuilder, Value } from './graph_builder.js';

interface NumericColumns {
  center: number[];
  scale: number[];
  fill: number[];
}

export function numericColumns(p: TabularPreprocessing): NumericColumns {
  const text = p.columns.filter((c) => c.kind !== 'numeric').map((c) => c.name);
  if (text.length > 0)
    throw new HourglassError(
      `the preprocessing cannot be folded into the ONNX model: text column${text.length > 1 ? 's' : ''} ${text.map((t) => `'${t}'`).join(', ')} ${text.length > 1 ? 'are' : 'is'} one-hot encoded by category name; export without folding and encode them before calling the model`,
    );
  const cols = p.columns as Extract<TabularPreprocessing['columns'][number], { kind: 'numeric' }>[];
  return { center: cols.map((c) => c.center), scale: cols.map((c) => c.scale), fill: cols.map((c) => c.fill) };
}

export function foldInput(b: OnnxGraphBuilder, x: Value, cols: NumericColumns): Value {
  const n = cols.center.length;
  const center = b.floatConstant('preprocessing/center', [n], cols.center);
  const scale = b.floatConstant('preprocessing/scale', [n], cols.scale);
  const fill = b.floatConstant('preprocessing/fill', [n], cols.fill);
  const scaled = b.node(
    'Div',
    [b.node('Sub', [x.name, center], 'preprocessing/centered'), scale],
    'preprocessing/scaled',
  );
  const missing = b.node('IsNaN', [x.name], 'preprocessing/missing');
  return { ...x, name: b.node('Where', [missing, fill, scaled], 'preprocessing/filled') };
}

export function foldOutput(b: OnnxGraphBuilder, y: Value, cols: NumericColumns): Value {
  const n = cols.center.length;
  const center = b.floatConstant('postprocessing/center', [n], cols.center);
  const scale = b.floatConstant('postprocessing/scale', [n], cols.scale);
  return {
    ...y,
    name: b.node('Add', [b.node('Mul', [y.name, scale], 'postprocessing/scaled'), center], 'postprocessing/raw'),
  };
}
