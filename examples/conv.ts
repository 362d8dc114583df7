// A convolutional autoencoder on MNIST with the strided layout: its 4x4x8 code (128 values)
// rebuilds test digits better than a dense autoencoder with a 128-value code does. Trains for two
// epochs (about a minute on two cores), reports the test MSE, and writes test digits above the
// pictures their 128 code values decode back to.
// Run: npm run example:conv

import { autoencoders, loadMnist, writeImageGrid } from 'hourglass-ae';

const asImages = (t: { data: Float32Array; shape: number[] }) => ({ data: t.data, shape: [t.shape[0]!, 28, 28, 1] });
const train = asImages(loadMnist('train').images),
  test = asImages(loadMnist('test').images);

// Stride-2 convolutions 28 -> 14 -> 7 -> 4 (32, 64, 128 filters), a linear 4x4x8 code, and
// transposed convolutions back.
const ae = autoencoders.conv({ downsampling: 'strided' });
await ae.fit(train, { epochs: 2, batchSize: 64, learningRate: 0.002 });
const errors = ae.score(test);
console.log(`test MSE per pixel: ${(errors.reduce((a, b) => a + b, 0) / errors.length).toFixed(5)}`);

const shown = { data: test.data.subarray(0, 16 * 784), shape: [16, 28, 28, 1] };
const codes = ae.encode(shown);
console.log(`codes: ${codes.shape[0]} rows of ${codes.shape[1]} values`);
const rebuilt = ae.decode(codes).data;
const images = (t: Float32Array) => Array.from({ length: 16 }, (_, i) => t.subarray(i * 784, (i + 1) * 784));
writeImageGrid('conv.png', [images(shown.data), images(rebuilt)], { height: 28, width: 28, columns: 16, scale: 3 });
console.log('wrote conv.png: test digits above their reconstructions from the codes');
