// What one layer family's PyTorch code writer receives and returns.

import type { Layer, Shape } from '../../layers/layer.js';
import type { PyValue, PyWriter } from './writer.js';

export interface PyContext {
  w: PyWriter;
  layer: Layer;
  inputs: PyValue[];
  outputShape: Shape;
  /** The module attribute (self.<attr>) and state_dict prefix of the layer's parameters. */
  attr: string;
  /** The variable the layer's output goes to. */
  target: string;
}

/** Writes the layer's __init__ and forward lines and returns its output value. */
export type PyEmitter = (ctx: PyContext) => PyValue;
