// The convolutional autoencoder preset for images [height, width, channels]. Two layouts:
// - 'pooling' (after Keras's classic): blocks of conv2d + maxPooling2d and a dense code made from
//   the pooled map. By default (decoder: 'dense') one block of 16 filters, then the dense
//   preset's encoder layers to the code and its decoder back (dense layers to every pixel,
//   reshaped): for one-class detection the network must hold the class's global shape, and conv
//   filters after the code redraw strokes of any digit, anomalies included. decoder: 'conv' is
//   Keras's network: [16, 8, 8] blocks, dense back to the pooled size, then conv2d +
//   upSampling2d (or conv2dTranspose) back and a final crop; latent: false keeps the pooled map
//   itself as the code (with that decoder).
// - 'strided': conv2d with stride 2 per block, a linear conv2d making the code, and
//   conv2dTranspose blocks back, each cropped to the size its encoder block saw. The network
//   learns its own downsampling instead of max pooling throwing three values in four away, which
//   is why the same 4x4x8 code on MNIST reconstructs better than a dense 128-value code.
// Encoder and decoder are sub-models sharing the weights, built when first used.

import { HourglassError } from '../engine/errors.js';
import type { ActivationSpec } from '../layers/activations.js';
import { Activation } from '../layers/activation.js';
import { Conv2D } from '../layers/conv2d.js';
import { Conv2DTranspose } from '../layers/conv2d_transpose.js';
import { Dense } from '../layers/dense.js';
import { Cropping2D } from '../layers/padding2d.js';
import { Flatten, Reshape } from '../layers/reshape.js';
import { input } from '../layers/input.js';
import { size, type Layer, type SymbolicTensor } from '../layers/layer.js';
import { MaxPooling2D } from '../layers/pooling2d.js';
import { UpSampling2D } from '../layers/up_sampling2d.js';
import { model } from '../model/model.js';
import { CONV_DEFAULTS, convCodeSize, denseSizes } from './defaults.js';
import { lazyParts, type AutoencoderParts } from './dense_autoencoder.js';

export interface ConvAutoencoderOptions {
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  /** Filters of each encoder block, outermost first (default CONV_DEFAULTS.filters: [16] before the dense decoder, Keras's classic [16, 8, 8] with the conv decoder; [32, 64, 128] strided). */
  filters?: number[];
  kernelSize?: number;
  /** Activation of the hidden convolutions (default relu pooling, elu strided). */
  activation?: ActivationSpec;
  /** How the encoder shrinks the image: max pooling after each conv, or convs with stride 2. */
  downsampling?: 'pooling' | 'strided';
  /** Strided layout: channels of the code (default 8); the pooling layout's code has the last filters. */
  codeChannels?: number;
  /** Pooling layout, conv decoder: how it grows the image back (the strided layout uses conv2dTranspose). */
  upsampling?: 'upsampling' | 'transpose';
  outputActivation?: 'sigmoid' | 'linear';
  /**
   * Pooling layout: a dense code of this many values after the last pooling block (flatten,
   * dense code, dense back to the pooled size, reshape); default convCodeSize (32 on MNIST).
   * `false`: the pooled feature map itself is the code (Keras's classic network). For detection:
   * a 4x4x8 map decoded by local filters rebuilds strokes of any digit; a dense code of 32 lifted
   * one-class MNIST's mean ROC-AUC from 0.923 to 0.958 (bench/oneclass).
   */
  latent?: number | false;
  /** Pooling layout: activation of the dense code (default linear; the dense preset's code has its hidden activation). */
  codeActivation?: ActivationSpec;
  /** Pooling layout with a dense code: dense hidden layers between the pooled map and the code (default: the dense preset's, denseSizes of the pixels, with the dense decoder; none with the conv decoder). */
  encoderHidden?: number[];
  /**
   * Pooling layout with a dense code: what grows the code back into an image. 'dense' (default,
   * CONV_DEFAULTS.decoder): the dense preset's decoder, dense hidden layers (decoderHidden) and a
   * dense layer to every pixel, reshaped to the image: per-pixel templates of the class's global
   * shape rather than local filters that redraw strokes of anything; it detects better
   * (bench/oneclass, README). 'conv': dense to a feature map, then conv + upsampling blocks
   * (Keras's decoder; the one chosen by decoderChannels, upsampling: 'transpose' or latent: false).
   */
  decoder?: 'conv' | 'dense';
  /** Dense decoder: its hidden sizes, code side first (default: denseSizes of the pixels mirrored, [64, 128] on MNIST). */
  decoderHidden?: number[];
  /**
   * Conv decoder after a dense code: grow the code to a map of this many channels at the
   * last-but-one pooled size (7x7 on MNIST) instead of the last pooled map (4x4x8), then the
   * remaining conv + upsampling blocks: a wider start, and no doubling past the image to crop.
   */
  decoderChannels?: number;
  /** Variants: a corruption applied to the input in training (denoising). */
  inputCorruption?: Layer;
}

export const CONV_CODE_LAYER = 'code';

export function convAutoencoder(o: ConvAutoencoderOptions): AutoencoderParts & { codeShape: number[] } {
  const layout = o.downsampling ?? CONV_DEFAULTS.downsampling;
  if (layout !== 'pooling' && layout !== 'strided')
    throw new HourglassError(
      `conv autoencoder: downsampling must be 'pooling' or 'strided', got ${JSON.stringify(layout)}`,
    );
  const strided = layout === 'strided';
  const filters = [
    ...(o.filters ??
      (strided
        ? CONV_DEFAULTS.filters.strided
        : decoderOf(o) === 'dense'
          ? CONV_DEFAULTS.filters.denseDecoder
          : CONV_DEFAULTS.filters.pooling)),
  ];
  const activation = o.activation ?? CONV_DEFAULTS.activation[layout];
  const k = o.kernelSize ?? CONV_DEFAULTS.kernelSize;
  const [h, w, c] = o.inputShape;
  if (filters.length === 0 || filters.some((f) => !Number.isInteger(f) || f <= 0))
    throw new HourglassError(`conv autoencoder: filters must be positive integers, got ${JSON.stringify(filters)}`);
  const x = input([h, w, c], { name: 'input' });
  const corrupted: SymbolicTensor = o.inputCorruption ? o.inputCorruption.apply(x) : x;
  const { code, decoderLayers } = strided
    ? stridedLayers(corrupted, { filters, k, activation, shape: [h, w, c] }, o)
    : poolingLayers(corrupted, { filters, k, activation, shape: [h, w, c] }, o);
  const decode = (s: SymbolicTensor) => decoderLayers.reduce((acc, l) => l.apply(acc), s);
  const autoencoder = model({ inputs: x, outputs: decode(code), name: 'conv_autoencoder' });
  // Object.assign adds codeShape without reading (and so building) the lazy encoder and decoder.
  return Object.assign(
    lazyParts(
      autoencoder,
      () => model({ inputs: x, outputs: code, name: 'encoder' }),
      () => {
        const codeInput = input(code.shape, { name: 'code_input' });
        return model({ inputs: codeInput, outputs: decode(codeInput), name: 'decoder' });
      },
    ),
    { codeShape: code.shape },
  );
}

interface Layout {
  code: SymbolicTensor;
  decoderLayers: Layer[];
}
interface Settings {
  filters: number[];
  k: number;
  activation: ActivationSpec;
  shape: [number, number, number];
}

function poolingLayers(
  x: SymbolicTensor,
  { filters, k, activation, shape: [h, w, c] }: Settings,
  o: ConvAutoencoderOptions,
): Layout {
  if (o.latent !== undefined && o.latent !== false && !(Number.isInteger(o.latent) && o.latent > 0))
    throw new HourglassError(`conv autoencoder: latent must be a positive integer or false, got ${o.latent}`);
  const denseCode = o.latent !== false;
  const decoder = checkDecoder(o, denseCode, filters.length);
  let t = x;
  const pooledShapes: number[][] = [];
  filters.forEach((f, i) => {
    t = new Conv2D(f, { kernelSize: k, padding: 'same', activation, name: `encoder_conv_${i + 1}` }).apply(t);
    t = new MaxPooling2D({
      poolSize: 2,
      padding: 'same',
      name: i === filters.length - 1 && !denseCode ? CONV_CODE_LAYER : `encoder_pool_${i + 1}`,
    }).apply(t);
    pooledShapes.push(t.shape);
  });
  const pooled = t.shape;
  let code = t;
  if (denseCode) {
    const latent = typeof o.latent === 'number' ? o.latent : convCodeSize(h * w * c, size(pooled));
    let flat = new Flatten({ name: 'encoder_flatten' }).apply(t);
    // The dense decoder's encoder ends as the dense preset's does: its hidden layers, then the code.
    const encoderHidden = o.encoderHidden ?? (decoder === 'dense' ? denseSizes(h * w * c).hidden : []);
    encoderHidden.forEach((units, i) => {
      flat = new Dense(units, { activation, name: `encoder_dense_${i + 1}` }).apply(flat);
    });
    code = new Dense(latent, {
      name: CONV_CODE_LAYER,
      ...(o.codeActivation ? { activation: o.codeActivation } : {}),
    }).apply(flat);
  }
  const output = o.outputActivation ?? 'sigmoid';
  if (decoder === 'dense') {
    const hidden = o.decoderHidden ?? [...denseSizes(h * w * c).hidden].reverse();
    return {
      code,
      decoderLayers: [
        ...hidden.map((units, i) => new Dense(units, { activation, name: `decoder_dense_${i + 1}` })),
        new Dense(h * w * c, { name: 'decoder_pixels' }),
        new Reshape([h, w, c], { name: 'decoder_reshape' }),
        // The output activation as a layer of its own after the reshape, so that training still
        // fuses the sigmoid into the cross-entropy (the planner fuses only a final sigmoid).
        new Activation(output, { name: 'reconstruction' }),
      ],
    };
  }
  // The map the decoder starts from: the last pooled map, or with decoderChannels a wider one at
  // the last-but-one pooled size whose block the decoder then skips.
  const wide = o.decoderChannels !== undefined;
  const start = wide ? [...pooledShapes[pooledShapes.length - 2]!.slice(0, 2), o.decoderChannels!] : pooled;
  const blocks = [...filters].reverse().slice(wide ? 1 : 0);
  const decoderLayers: Layer[] = [];
  if (denseCode)
    decoderLayers.push(
      new Dense(size(start), { activation, name: 'decoder_dense' }),
      new Reshape([...start], { name: 'decoder_reshape' }),
    );
  // The decoder doubles the size per block; a final crop returns to odd sizes such as 7 -> 28.
  blocks.forEach((f, i) => {
    if (o.upsampling === 'transpose') {
      decoderLayers.push(
        new Conv2DTranspose(f, {
          kernelSize: k,
          strides: 2,
          padding: 'same',
          activation,
          name: `decoder_deconv_${i + 1}`,
        }),
      );
    } else {
      decoderLayers.push(new Conv2D(f, { kernelSize: k, padding: 'same', activation, name: `decoder_conv_${i + 1}` }));
      decoderLayers.push(new UpSampling2D({ size: 2, name: `decoder_up_${i + 1}` }));
    }
  });
  const grown = start[0]! * 2 ** blocks.length,
    grownW = start[1]! * 2 ** blocks.length;
  const cropH = grown - h,
    cropW = grownW - w;
  if (cropH > 0 || cropW > 0) {
    decoderLayers.push(
      new Cropping2D(
        [
          [Math.floor(cropH / 2), Math.ceil(cropH / 2)],
          [Math.floor(cropW / 2), Math.ceil(cropW / 2)],
        ],
        { name: 'decoder_crop' },
      ),
    );
  }
  decoderLayers.push(
    new Conv2D(c, {
      kernelSize: k,
      padding: 'same',
      activation: output,
      name: 'reconstruction',
    }),
  );
  return { code, decoderLayers };
}

/** The pooling layout's decoder: as asked, else 'conv' for the map code or conv-only options, else the default. */
function decoderOf(o: ConvAutoencoderOptions): 'conv' | 'dense' {
  const convOnly = o.decoderChannels !== undefined || o.upsampling === 'transpose' || o.latent === false;
  return o.decoder ?? (convOnly ? 'conv' : CONV_DEFAULTS.decoder);
}

/** The pooling layout's decoder options, checked against each other: the decoder kind. */
function checkDecoder(o: ConvAutoencoderOptions, denseCode: boolean, blocks: number): 'conv' | 'dense' {
  const decoder = decoderOf(o);
  if (decoder !== 'conv' && decoder !== 'dense')
    throw new HourglassError(`conv autoencoder: decoder must be 'conv' or 'dense', got ${JSON.stringify(decoder)}`);
  const needsCode = (what: string) => {
    if (!denseCode)
      throw new HourglassError(`conv autoencoder: ${what} needs a dense code (latent: false keeps the map)`);
  };
  if (decoder === 'dense') needsCode("decoder: 'dense'");
  if (o.codeActivation !== undefined) needsCode('codeActivation');
  if (o.encoderHidden !== undefined) {
    needsCode('encoderHidden');
    if (o.encoderHidden.some((u) => !Number.isInteger(u) || u <= 0))
      throw new HourglassError(
        `conv autoencoder: encoderHidden must be positive integers, got ${JSON.stringify(o.encoderHidden)}`,
      );
  }
  if (decoder === 'dense' && o.upsampling === 'transpose')
    throw new HourglassError("conv autoencoder: upsampling: 'transpose' is for decoder: 'conv'");
  if (o.decoderHidden !== undefined) {
    if (decoder !== 'dense') throw new HourglassError("conv autoencoder: decoderHidden is for decoder: 'dense'");
    if (o.decoderHidden.some((u) => !Number.isInteger(u) || u <= 0))
      throw new HourglassError(
        `conv autoencoder: decoderHidden must be positive integers, got ${JSON.stringify(o.decoderHidden)}`,
      );
  }
  if (o.decoderChannels !== undefined) {
    if (decoder !== 'conv') throw new HourglassError("conv autoencoder: decoderChannels is for decoder: 'conv'");
    needsCode('decoderChannels');
    if (!Number.isInteger(o.decoderChannels) || o.decoderChannels <= 0)
      throw new HourglassError(
        `conv autoencoder: decoderChannels must be a positive integer, got ${o.decoderChannels}`,
      );
    if (blocks < 2)
      throw new HourglassError(
        'conv autoencoder: decoderChannels needs at least two encoder blocks (it starts at the last-but-one pooled size)',
      );
  }
  return decoder;
}

function stridedLayers(
  x: SymbolicTensor,
  { filters, k, activation, shape: [, , c] }: Settings,
  o: ConvAutoencoderOptions,
): Layout {
  if (o.latent !== undefined && o.latent !== false)
    throw new HourglassError('conv autoencoder: latent (a dense code) is an option of the pooling layout');
  if (
    o.decoder !== undefined ||
    o.decoderHidden !== undefined ||
    o.decoderChannels !== undefined ||
    o.codeActivation !== undefined
  )
    throw new HourglassError(
      'conv autoencoder: decoder, decoderHidden, decoderChannels and codeActivation are options of the pooling layout',
    );
  const codeChannels = o.codeChannels ?? CONV_DEFAULTS.codeChannels;
  if (!Number.isInteger(codeChannels) || codeChannels <= 0)
    throw new HourglassError(`conv autoencoder: codeChannels must be a positive integer, got ${codeChannels}`);
  let t = x;
  const sizes: number[][] = [];
  filters.forEach((f, i) => {
    sizes.push(t.shape.slice(0, 2));
    t = new Conv2D(f, { kernelSize: k, strides: 2, padding: 'same', activation, name: `encoder_conv_${i + 1}` }).apply(
      t,
    );
  });
  const code = new Conv2D(codeChannels, { kernelSize: k, padding: 'same', name: CONV_CODE_LAYER }).apply(t);
  const reversed = [...filters].reverse();
  const decoderLayers: Layer[] = [
    new Conv2D(reversed[0]!, { kernelSize: k, padding: 'same', activation, name: 'decoder_conv' }),
  ];
  // Each transposed conv doubles the size; a crop after it returns to the size the mirrored
  // encoder block saw (4 -> 8 -> 7 on MNIST), so the later blocks never work on padding.
  let [gh, gw] = t.shape as [number, number];
  reversed.forEach((_, i) => {
    const last = i === reversed.length - 1;
    decoderLayers.push(
      new Conv2DTranspose(last ? c : reversed[i + 1]!, {
        kernelSize: k,
        strides: 2,
        padding: 'same',
        activation: last ? (o.outputActivation ?? 'sigmoid') : activation,
        name: last ? 'reconstruction' : `decoder_deconv_${i + 1}`,
      }),
    );
    const [th, tw] = sizes[sizes.length - 1 - i] as [number, number];
    gh *= 2;
    gw *= 2;
    if (gh > th || gw > tw)
      decoderLayers.push(
        new Cropping2D(
          [
            [0, gh - th],
            [0, gw - tw],
          ],
          { name: `decoder_crop_${i + 1}` },
        ),
      );
    gh = th;
    gw = tw;
  });
  return { code, decoderLayers };
}
