// An LSTM autoencoder on sine windows (the shape issue 12's presets use): prints the loss per
// epoch and training samples/s. A rough check, not a benchmark: bench/ owns comparisons.
// Run: node --import tsx tools/lstm_sine_autoencoder.ts [--window 128] [--epochs 5] [--batch 64] [--threads 1]

import { input, layers, model, setSeed, setThreads, tensor } from '../src/index.js';
import { Random } from '../src/engine/random.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const window = opt('window', 128),
  epochs = opt('epochs', 5),
  batchSize = opt('batch', 64),
  samples = opt('samples', 512),
  units = opt('units', 64),
  learningRate = opt('lr', 0.005),
  // 0: one frequency (1/32) at random phases, the easy toy set; above: frequencies spread that wide.
  spread = opt('spread', 0);
setThreads(opt('threads', 1));
setSeed(1);

// Windows of sines at random phases (and, with --spread, random frequencies and amplitudes).
const rng = new Random(3);
const data = new Float32Array(samples * window);
for (let s = 0; s < samples; s++) {
  const freq = opt('freq', 1 / 32) + spread * rng.uniform(),
    phase = 2 * Math.PI * rng.uniform(),
    amp = spread > 0 ? 0.5 + 0.5 * rng.uniform() : 1;
  for (let t = 0; t < window; t++) data[s * window + t] = amp * Math.sin(2 * Math.PI * freq * t + phase);
}
const x = tensor(data, [samples, window, 1]);

const inp = input([window, 1]);
const code = layers.lstm(units).apply(inp);
const seq = layers.lstm(units, { returnSequences: true }).apply(layers.repeatVector(window).apply(code));
const ae = model({ inputs: inp, outputs: layers.timeDistributed(layers.dense(1)).apply(seq) });
ae.compile({ optimizer: { name: 'adam', learningRate }, loss: 'mse' });

const losses: number[] = [];
let trainSeconds = 0;
for (let e = 0; e < epochs; e++) {
  const t0 = performance.now();
  const h = await ae.fit(x, x, { epochs: 1, batchSize, verbose: false });
  const s = (performance.now() - t0) / 1000;
  trainSeconds += e > 0 || epochs === 1 ? s : 0; // the first epoch includes planning
  losses.push(h.history['loss']![0]!);
  console.log(`epoch ${e + 1}: loss ${losses[e]!.toFixed(5)}, ${(samples / s).toFixed(0)} samples/s`);
}
const timed = epochs > 1 ? epochs - 1 : 1;
console.log(
  JSON.stringify({
    window,
    units,
    batchSize,
    samples,
    firstLoss: losses[0],
    lastLoss: losses[losses.length - 1],
    samplesPerSecond: Math.round((samples * timed) / trainSeconds),
  }),
);
