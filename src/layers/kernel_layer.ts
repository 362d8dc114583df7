// What dense and convolution layers share: a kernel and an optional bias with their
// initializers and regularizers, an activation (fusable with a sigmoid loss), and their options.

import type { ActivationSpec, ResolvedActivation } from './activations.js';
import { activationSpec, resolveActivation } from './activations.js';
import { serializableInitializer, type Initializer } from './initializers.js';
import { Layer, type LayerOptions, type Param } from './layer.js';
import type { Regularizer } from './regularizers.js';

export interface KernelLayerOptions extends LayerOptions {
  activation?: ActivationSpec;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
  kernelRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
  activityRegularizer?: Regularizer;
}

export abstract class KernelLayer extends Layer {
  readonly activation: ResolvedActivation;
  kernel!: Param;
  bias: Param | null = null;

  constructor(
    readonly kernelOptions: KernelLayerOptions,
    baseName: string,
  ) {
    super(kernelOptions, baseName);
    this.activation = resolveActivation(kernelOptions.activation, `layer '${this.name}'`);
  }

  /** Creates the kernel of this shape and a bias of `units` values (unless useBias is false). */
  protected buildKernel(kernelShape: number[], units: number): void {
    const o = this.kernelOptions;
    this.kernel = this.addParam(
      'kernel',
      kernelShape,
      o.kernelInitializer ?? 'glorotUniform',
      o.kernelRegularizer ? { regularizer: o.kernelRegularizer } : {},
    );
    if (o.useBias ?? true)
      this.bias = this.addParam(
        'bias',
        [units],
        o.biasInitializer ?? 'zeros',
        o.biasRegularizer ? { regularizer: o.biasRegularizer } : {},
      );
  }

  override endsInSigmoid(): boolean {
    return this.activation.name === 'sigmoid';
  }

  /** The shared part of getOptions(). */
  protected kernelConfig(): object {
    const o = this.kernelOptions;
    return {
      activation: activationSpec(this.activation),
      useBias: o.useBias ?? true,
      kernelInitializer: serializableInitializer(o.kernelInitializer ?? 'glorotUniform'),
      biasInitializer: serializableInitializer(o.biasInitializer ?? 'zeros'),
      ...(o.kernelRegularizer ? { kernelRegularizer: o.kernelRegularizer } : {}),
      ...(o.biasRegularizer ? { biasRegularizer: o.biasRegularizer } : {}),
      ...(this.activityRegularizer ? { activityRegularizer: this.activityRegularizer } : {}),
    };
  }
}
