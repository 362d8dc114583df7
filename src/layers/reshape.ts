// flatten() and reshape(targetShape): the same values under another shape (row-major, so a copy).

import { HourglassError } from '../engine/errors.js';
import { identityOps } from './identity_ops.js';
import { Layer, formatShape, size, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

abstract class SameValues extends Layer {
  plan(ctx: PlanContext): LayerOps {
    return identityOps(ctx);
  }
}

export class Flatten extends SameValues {
  readonly className = 'Flatten';
  constructor(options: LayerOptions = {}) {
    super(options, 'flatten');
  }
  computeOutputShape(shapes: Shape[]): Shape {
    return [size(this.singleInput(shapes))];
  }
  getOptions(): object {
    return {};
  }
}

export class Reshape extends SameValues {
  readonly className = 'Reshape';
  constructor(
    readonly targetShape: number[],
    options: LayerOptions = {},
  ) {
    super(options, 'reshape');
    const unknown = targetShape.filter((d) => d === -1).length;
    if (unknown > 1 || targetShape.some((d) => !Number.isInteger(d) || (d <= 0 && d !== -1))) {
      throw new HourglassError(
        `layer '${this.name}': targetShape must be positive integers with at most one -1, got ${JSON.stringify(targetShape)}`,
      );
    }
  }
  computeOutputShape(shapes: Shape[]): Shape {
    const n = size(this.singleInput(shapes));
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const out = this.targetShape.map((d) => (d === -1 ? n / known : d));
    if (size(out) !== n || out.some((d) => !Number.isInteger(d))) {
      throw new HourglassError(
        `layer '${this.name}' cannot reshape ${formatShape(shapes[0]!)} (${n} values) to ${formatShape(this.targetShape)}`,
      );
    }
    return out;
  }
  getOptions(): object {
    return { targetShape: this.targetShape };
  }
}
