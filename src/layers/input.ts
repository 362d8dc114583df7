// input(shape): the symbolic placeholder a functional model starts from.

import { HourglassError } from '../engine/errors.js';
import { Layer, SymbolicTensor, type LayerOps, type Shape } from './layer.js';

export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  constructor(
    readonly shape: Shape,
    name?: string,
  ) {
    super(name === undefined ? {} : { name }, 'input');
    if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new HourglassError(
        `input shape must be a non-empty array of positive integers (without the batch axis), got ${JSON.stringify(shape)}`,
      );
    }
  }
  computeOutputShape(): Shape {
    return this.shape;
  }
  plan(): LayerOps {
    return { forward: [], backward: [] };
  }
  getOptions(): object {
    return { shape: this.shape };
  }
}

/** A symbolic input of the given shape (without the batch axis), as Keras `Input(shape=...)`. */
export function input(shape: Shape, options: { name?: string } = {}): SymbolicTensor {
  const layer = new InputLayer(shape, options.name);
  return new SymbolicTensor([...shape], layer, []);
}
