// The convolutional autoencoder preset for images [height, width, channels]: blocks of
// conv2d + maxPooling2d down to the code, then conv2d + upSampling2d (or conv2dTranspose) back,
// Keras's classic layout. Encoder and decoder are sub-models sharing the weights.

import { HourglassError } from '../engine/errors.js';
import { Conv2D } from '../layers/conv2d.js';
import { Conv2DTranspose } from '../layers/conv2d_transpose.js';
import { Cropping2D } from '../layers/padding2d.js';
import { input } from '../layers/input.js';
import type { Layer, SymbolicTensor } from '../layers/layer.js';
import { MaxPooling2D } from '../layers/pooling2d.js';
import { UpSampling2D } from '../layers/up_sampling2d.js';
import { model } from '../model/model.js';
import type { AutoencoderParts } from './dense_autoencoder.js';

export interface ConvAutoencoderOptions {
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  /** Filters of each encoder block, outermost first (Keras's classic: [16, 8, 8]). */
  filters?: number[];
  kernelSize?: number;
  /** How the decoder grows the image back. */
  upsampling?: 'upsampling' | 'transpose';
  outputActivation?: 'sigmoid' | 'linear';
  /** Variants: a corruption applied to the input in training (denoising). */
  inputCorruption?: Layer;
}

export const CONV_CODE_LAYER = 'code';

export function convAutoencoder(o: ConvAutoencoderOptions): AutoencoderParts & { codeShape: number[] } {
  const filters = o.filters ?? [16, 8, 8];
  const k = o.kernelSize ?? 3;
  const [h, w, c] = o.inputShape;
  if (filters.length === 0 || filters.some((f) => !Number.isInteger(f) || f <= 0)) throw new HourglassError(`conv autoencoder: filters must be positive integers, got ${JSON.stringify(filters)}`);
  const x = input([h, w, c], { name: 'input' });
  let t: SymbolicTensor = o.inputCorruption ? o.inputCorruption.apply(x) : x;
  filters.forEach((f, i) => {
    t = new Conv2D(f, { kernelSize: k, padding: 'same', activation: 'relu', name: `encoder_conv_${i + 1}` }).apply(t);
    t = new MaxPooling2D({ poolSize: 2, padding: 'same', name: i === filters.length - 1 ? CONV_CODE_LAYER : `encoder_pool_${i + 1}` }).apply(t);
  });
  const code = t;
  // The decoder doubles the size per block; a final crop returns to odd sizes such as 7 -> 28.
  const decoderLayers: Layer[] = [];
  const reversed = [...filters].reverse();
  reversed.forEach((f, i) => {
    if (o.upsampling === 'transpose') {
      decoderLayers.push(new Conv2DTranspose(f, { kernelSize: k, strides: 2, padding: 'same', activation: 'relu', name: `decoder_deconv_${i + 1}` }));
    } else {
      decoderLayers.push(new Conv2D(f, { kernelSize: k, padding: 'same', activation: 'relu', name: `decoder_conv_${i + 1}` }));
      decoderLayers.push(new UpSampling2D({ size: 2, name: `decoder_up_${i + 1}` }));
    }
  });
  const grown = code.shape[0]! * 2 ** filters.length, grownW = code.shape[1]! * 2 ** filters.length;
  const cropH = grown - h, cropW = grownW - w;
  if (cropH > 0 || cropW > 0) {
    decoderLayers.push(new Cropping2D([[Math.floor(cropH / 2), Math.ceil(cropH / 2)], [Math.floor(cropW / 2), Math.ceil(cropW / 2)]], { name: 'decoder_crop' }));
  }
  decoderLayers.push(new Conv2D(c, { kernelSize: k, padding: 'same', activation: o.outputActivation ?? 'sigmoid', name: 'reconstruction' }));
  const decode = (s: SymbolicTensor) => decoderLayers.reduce((acc, l) => l.apply(acc), s);
  const autoencoder = model({ inputs: x, outputs: decode(code), name: 'conv_autoencoder' });
  const encoder = model({ inputs: x, outputs: code, name: 'encoder' });
  const codeInput = input(code.shape, { name: 'code_input' });
  const decoder = model({ inputs: codeInput, outputs: decode(codeInput), name: 'decoder' });
  return { autoencoder, encoder, decoder, codeShape: code.shape };
}
