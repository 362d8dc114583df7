// The seed document's Keras example in Hourglass, line for line, training the autoencoder
// on its own input (x to x). Run: npx tsx examples/seed.ts

import { input, layers, model, setSeed, tensor } from 'hourglass-ae';

// 生成随机数据 (random data)
setSeed(0);
const random = (rows: number, cols: number) =>
  tensor(Float32Array.from({ length: rows * cols }, Math.random), [rows, cols]);
const x_train = random(1000, 20);

// 定义输入层、隐藏层和输出层 (input, hidden and output layers)
const input_layer = input([20]);
const hidden_layer = layers.dense(10, { activation: 'relu' }).apply(input_layer);
const output_layer = layers.dense(20, { activation: 'sigmoid' }).apply(hidden_layer);

// 定义 Autoencoders 模型 (the autoencoder model)
const autoencoder = model({ inputs: input_layer, outputs: output_layer });

// 编译模型 (compile)
autoencoder.compile({ optimizer: 'adam', loss: 'mse' });

// 训练模型 (train, x to x)
const history = await autoencoder.fit(x_train, x_train, { epochs: 1000, batchSize: 256, verbose: false });

// 预测数据 (predict)
const x_test = random(10, 20);
const predictions = autoencoder.predict(x_test);

console.log(
  `loss after 1 epoch ${history.history['loss']![0]!.toFixed(4)}, after 1000 epochs ${history.history['loss']!.at(-1)!.toFixed(4)}`,
);
console.log(
  `predictions: ${predictions.shape.join(' x ')}, first row ${Array.from(predictions.data.subarray(0, 5), (v) => v.toFixed(3)).join(', ')} ...`,
);
