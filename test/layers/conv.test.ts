// Convolutional layers, channels-last: forward and gradients against PyTorch on odd sizes
// (tools/make_conv_fixtures.py, conv.json: 7x5 inputs, stride 2, 'same' with even kernels,
// dilation), and against finite differences.

import { test } from 'node:test';
import { Random } from '../../src/engine/random.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Conv2DTranspose } from '../../src/layers/conv2d_transpose.js';
import { AveragePooling2D, MaxPooling2D } from '../../src/layers/pooling2d.js';
import { UpSampling2D } from '../../src/layers/up_sampling2d.js';
import { Cropping2D, ZeroPadding2D } from '../../src/layers/padding2d.js';
import { GlobalAveragePooling2D } from '../../src/layers/global_average_pooling2d.js';
import { Flatten, Reshape } from '../../src/layers/reshape.js';
import { BatchNormalization } from '../../src/layers/batch_normalization.js';
import type { Layer } from '../../src/layers/layer.js';
import { resolveActivation, type ActivationName } from '../../src/layers/activations.js';
import { activateRef } from '../../src/engine/reference.js';
import { assertClose, randomArray } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';
import {
  checkAgainstFixture,
  checkGradientsOnRandom,
  fixtureWeights,
  type FixtureCase,
} from '../helpers/layer_cases.js';
import { runLayer } from '../helpers/layer_harness.js';

const { cases } = fixture<{ cases: FixtureCase[] }>('conv.json');

function make(c: FixtureCase): Layer {
  const o = c.options as Record<string, never>;
  const init = fixtureWeights(c);
  switch (c.layer) {
    case 'conv2d':
      return new Conv2D(o['filters']!, { kernelSize: o['kernelSize']!, ...o, ...init });
    case 'conv2dTranspose':
      return new Conv2DTranspose(o['filters']!, { kernelSize: o['kernelSize']!, ...o, ...init });
    case 'maxPooling2d':
      return new MaxPooling2D(o);
    case 'averagePooling2d':
      return new AveragePooling2D(o);
    case 'upSampling2d':
      return new UpSampling2D(o);
    case 'zeroPadding2d':
      return new ZeroPadding2D(o['padding']);
    case 'cropping2d':
      return new Cropping2D(o['cropping']);
    case 'globalAveragePooling2d':
      return new GlobalAveragePooling2D();
    default:
      throw new Error(c.layer);
  }
}

for (const c of cases) {
  test(`${c.layer} ${JSON.stringify(c.options)} matches PyTorch`, () => {
    const layer = make(c);
    checkAgainstFixture(layer, c);
  });
}

// Finite differences step over kinks (relu at 0, max-pooling near-ties): these cases use smooth
// activations, and max pooling a step small enough that near-ties are rare.
const gradientCases: [string, () => Layer, number[], number?][] = [
  [
    'conv2d same stride 2 even kernel',
    () => new Conv2D(2, { kernelSize: [2, 4], strides: 2, padding: 'same', activation: 'tanh' }),
    [5, 7, 2],
  ],
  [
    'conv2d dilated',
    () => new Conv2D(3, { kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'elu' }),
    [5, 6, 1],
  ],
  [
    'conv2dTranspose same stride 2',
    () => new Conv2DTranspose(2, { kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
    [3, 2, 3],
  ],
  [
    'conv2dTranspose valid',
    () => new Conv2DTranspose(3, { kernelSize: [2, 3], strides: [1, 2], activation: 'gelu' }),
    [3, 3, 2],
  ],
  ['averagePooling2d same', () => new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }), [5, 7, 2]],
  ['maxPooling2d', () => new MaxPooling2D({ poolSize: [2, 3] }), [5, 7, 2]],
  [
    'maxPooling2d same, 6 channels (vector and scalar lanes)',
    () => new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
    [5, 7, 6],
    1e-4,
  ],
  ['upSampling2d nearest, 5 channels', () => new UpSampling2D({ size: [2, 3] }), [3, 2, 5]],
  ['conv2d 8 channels in', () => new Conv2D(4, { kernelSize: 3, padding: 'same', activation: 'tanh' }), [4, 5, 8]],
  ['upSampling2d bilinear', () => new UpSampling2D({ size: [3, 2], interpolation: 'bilinear' }), [3, 4, 2]],
  ['upSampling2d nearest', () => new UpSampling2D({ size: 2 }), [3, 4, 2]],
  ['zeroPadding2d', () => new ZeroPadding2D([1, 2]), [3, 4, 2]],
  [
    'cropping2d',
    () =>
      new Cropping2D([
        [1, 0],
        [0, 2],
      ]),
    [4, 5, 2],
  ],
  ['globalAveragePooling2d', () => new GlobalAveragePooling2D(), [3, 4, 2]],
  [
    'conv2d one filter (direct kernels), 6 channels, same',
    () => new Conv2D(1, { kernelSize: 3, padding: 'same', activation: 'tanh' }),
    [5, 4, 6],
  ],
  [
    'conv2d one filter, stride 2, even kernel',
    () => new Conv2D(1, { kernelSize: [2, 4], strides: 2, padding: 'same', activation: 'gelu' }),
    [5, 7, 3],
  ],
  [
    'conv2d 3 channels in, 9 filters',
    () => new Conv2D(9, { kernelSize: 3, padding: 'same', activation: 'tanh' }),
    [4, 5, 3],
  ],
  [
    'conv2d kernel taller than the image, stride 2',
    () => new Conv2D(4, { kernelSize: [4, 2], strides: 2, padding: 'same', activation: 'sigmoid' }),
    [2, 3, 1],
  ],
  ['averagePooling2d, 6 channels', () => new AveragePooling2D({ poolSize: 2, strides: 1 }), [4, 3, 6]],
  ['upSampling2d bilinear, 6 channels', () => new UpSampling2D({ size: 2, interpolation: 'bilinear' }), [3, 2, 6]],
  ['globalAveragePooling2d, 6 channels', () => new GlobalAveragePooling2D(), [3, 2, 6]],
  ['flatten', () => new Flatten(), [3, 4, 2]],
  ['reshape', () => new Reshape([-1, 6]), [3, 4, 2]],
  ['batchNormalization over channels of images', () => new BatchNormalization(), [3, 4, 2]],
];

for (const [name, make, shape, eps] of gradientCases) {
  test(`${name} gradients match finite differences`, () => checkGradientsOnRandom(make(), shape, 90, eps));
}

test('maxPooling2d over many channels picks each window maximum (plain-JS reference)', () => {
  const rng = new Random(91);
  const [h, w, c] = [7, 5, 9];
  const x = randomArray(2 * h * w * c, rng);
  const r = runLayer(
    new MaxPooling2D({ poolSize: 2, padding: 'same' }),
    [h, w, c],
    2,
    x,
    new Float32Array(2 * 4 * 3 * c),
  );
  const expected: number[] = [];
  for (let n = 0; n < 2; n++)
    for (let oy = 0; oy < 4; oy++)
      for (let ox = 0; ox < 3; ox++)
        for (let ci = 0; ci < c; ci++) {
          let m = -Infinity;
          for (let iy = oy * 2; iy < Math.min(oy * 2 + 2, h); iy++)
            for (let ix = ox * 2; ix < Math.min(ox * 2 + 2, w); ix++)
              m = Math.max(m, x[((n * h + iy) * w + ix) * c + ci]!);
          expected.push(m);
        }
  assertClose(r.y, expected, 0, 0, 'max pooling');
});

// The fused activations of the conv layers (vector lanes and the scalar tail: 6 filters) against
// the same layer without activation followed by the float64 reference activation.
const fixedWeights = {
  kernelInitializer: { values: randomArray(3 * 3 * 3 * 6, new Random(93)) },
  biasInitializer: { values: randomArray(6, new Random(94)) },
};
for (const make of [
  (act: ActivationName) => new Conv2D(6, { kernelSize: 3, padding: 'same', activation: act, ...fixedWeights }),
  (act: ActivationName) =>
    new Conv2DTranspose(6, { kernelSize: 3, strides: 2, padding: 'same', activation: act, ...fixedWeights }),
]) {
  for (const act of ['relu', 'elu', 'sigmoid', 'tanh'] as ActivationName[]) {
    const layer = make(act);
    test(`${layer.className} fused ${act}, 6 filters, equals the linear layer and the reference activation`, () => {
      const x = randomArray(2 * 5 * 4 * 3, new Random(92));
      const r = runLayer(layer, [5, 4, 3], 2, x, new Float32Array(0));
      const linear = runLayer(make('linear'), [5, 4, 3], 2, x, new Float32Array(0));
      const a = resolveActivation(act, 'test');
      assertClose(
        r.y,
        Array.from(linear.y, (v) => activateRef(v, a.code, a.alpha)),
        1e-5,
        1e-6,
        act,
      );
    });
  }
}
