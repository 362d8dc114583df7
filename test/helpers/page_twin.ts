// The Node twin of the small model the browser tests train in a page (their page scripts build
// the same 300-64-6-300 network, seed and data): its weights are what the page must reproduce.

import { input, layers, sequential, setSeed, tensor } from '../../src/index.js';

export async function nodeTwinWeights(): Promise<number[][]> {
  setSeed(11);
  const m = sequential([
    input([300]),
    layers.dense(64, { activation: 'relu' }),
    layers.dense(6, { activation: 'tanh' }),
    layers.dense(300, { activation: 'sigmoid' }),
  ]);
  m.compile({ loss: 'bce', optimizer: 'adam', seed: 3 });
  const rows = 256,
    data = new Float32Array(rows * 300);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1000) / 1000;
  const x = tensor(data, [rows, 300]);
  await m.fit(x, x, { epochs: 3, batchSize: 128, verbose: false });
  return m.getWeights().map((w) => Array.from(w));
}
