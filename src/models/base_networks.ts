// The two base networks every variant starts from, as builders for the high-level Autoencoder:
// dense (mirrored hidden layers around a code layer) and convolutional (pooling or strided blocks).
// Variants pass their extra pieces (an input corruption, code options, a code penalty). Only the
// training network is taken from the presets: the Autoencoder makes its encoder and decoder
// from it when they are first used, so the presets' lazy ones are never built.

import { HourglassError } from '../engine/errors.js';
import type { ActivationSpec } from '../layers/activations.js';
import type { DenseOptions } from '../layers/dense.js';
import { size, type Layer, type Shape } from '../layers/layer.js';
import type { NetworkBuilder, OutputActivation } from './autoencoder.js';
import { convAutoencoder } from './conv_autoencoder.js';
import { denseSizes } from './defaults.js';
import { CODE_LAYER, denseAutoencoder } from './dense_autoencoder.js';

export interface DenseNetworkOptions {
  /** Encoder hidden sizes, outermost first; the decoder mirrors them (default: denseSizes of the input, at most [128, 64]). */
  hidden?: number[];
  /** Size of the code (default: a quarter of the input, 2 to 32; see denseSizes). */
  latent?: number;
  activation?: ActivationSpec;
  codeActivation?: ActivationSpec;
}

export interface ConvNetworkOptions {
  /** [height, width, channels] when the rows are given flat (default: the data's own shape). */
  imageShape?: [number, number, number];
  filters?: number[];
  kernelSize?: number;
  /** 'pooling' (Keras's classic, CONV_DEFAULTS.downsampling) or 'strided' (reconstructs better; see convAutoencoder). */
  downsampling?: 'pooling' | 'strided';
  /** Strided layout: channels of the code (default CONV_DEFAULTS.codeChannels, 8). */
  codeChannels?: number;
  /**
   * Pooling layout: a dense code of this many values after the pooling blocks (default: a quarter
   * of the pixels, at most 32, see convCodeSize); false keeps the pooled map as the code.
   */
  latent?: number | false;
  activation?: ActivationSpec;
  upsampling?: 'upsampling' | 'transpose';
  /** Pooling layout with a dense code: 'conv' or 'dense' decoder, and their sizes (see convAutoencoder). */
  decoder?: 'conv' | 'dense';
  decoderHidden?: number[];
  decoderChannels?: number;
  codeActivation?: ActivationSpec;
  /** Pooling layout with a dense code: dense hidden layers before the code (see convAutoencoder). */
  encoderHidden?: number[];
}

export interface VariantPieces {
  inputCorruption?: () => Layer;
  codeOptions?: DenseOptions;
  codePenalty?: () => Layer;
}

export function denseNetwork(o: DenseNetworkOptions, pieces: VariantPieces = {}): NetworkBuilder {
  return (inputShape: Shape, outputActivation: OutputActivation) => {
    // Sizes left out are chosen from the input width: the code always narrower than the input.
    const sized = denseSizes(size(inputShape));
    const parts = denseAutoencoder({
      inputDim: size(inputShape),
      hidden: [...(o.hidden ?? sized.hidden)],
      latent: o.latent ?? sized.latent,
      outputActivation,
      ...(o.activation ? { activation: o.activation } : {}),
      ...(o.codeActivation ? { codeActivation: o.codeActivation } : {}),
      ...(pieces.inputCorruption ? { inputCorruption: pieces.inputCorruption() } : {}),
      ...(pieces.codeOptions ? { codeOptions: pieces.codeOptions } : {}),
      ...(pieces.codePenalty ? { codePenalty: pieces.codePenalty() } : {}),
    });
    return { model: parts.autoencoder, encodeLayer: CODE_LAYER, codeLayer: CODE_LAYER };
  };
}

export function convNetwork(o: ConvNetworkOptions, pieces: VariantPieces = {}): NetworkBuilder {
  return (inputShape: Shape, outputActivation: OutputActivation) => {
    const shape = o.imageShape ?? inputShape;
    if (shape.length !== 3)
      throw new HourglassError(
        `a convolutional autoencoder needs images [height, width, channels]; the rows have shape [${inputShape.join(', ')}] (pass imageShape)`,
      );
    const parts = convAutoencoder({
      inputShape: shape as [number, number, number],
      outputActivation,
      ...(o.filters ? { filters: o.filters } : {}),
      ...(o.kernelSize ? { kernelSize: o.kernelSize } : {}),
      ...(o.upsampling ? { upsampling: o.upsampling } : {}),
      ...(o.downsampling ? { downsampling: o.downsampling } : {}),
      ...(o.codeChannels ? { codeChannels: o.codeChannels } : {}),
      ...(o.latent !== undefined ? { latent: o.latent } : {}),
      ...(o.activation ? { activation: o.activation } : {}),
      ...(o.decoder ? { decoder: o.decoder } : {}),
      ...(o.decoderHidden ? { decoderHidden: o.decoderHidden } : {}),
      ...(o.decoderChannels !== undefined ? { decoderChannels: o.decoderChannels } : {}),
      ...(o.codeActivation ? { codeActivation: o.codeActivation } : {}),
      ...(o.encoderHidden ? { encoderHidden: o.encoderHidden } : {}),
      ...(pieces.inputCorruption ? { inputCorruption: pieces.inputCorruption() } : {}),
    });
    return { model: parts.autoencoder, encodeLayer: CODE_LAYER, codeLayer: CODE_LAYER };
  };
}
