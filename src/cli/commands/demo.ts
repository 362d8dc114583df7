// hourglass demo: the main job on built-in MNIST in about a minute, with a picture.

import { Command, Option } from 'commander';
import { runDemo } from '../../apps/demo.js';
import { fmt, report, run } from '../output.js';
import { choice, positiveInt } from '../parse.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'train an autoencoder on MNIST (about a minute), report train/test loss, and save a PNG of reconstructions',
    )
    .addOption(
      new Option('--arch <kind>', 'conv (strided 32-64-128 filters, 4x4x8 code) or dense (784-256-64-32)')
        .argParser(choice(['conv', 'dense'] as const))
        .default('conv'),
    )
    .addOption(
      new Option('--data <name>', 'the built-in dataset to train on')
        .argParser(choice(['mnist', 'fashion-mnist'] as const))
        .default('mnist'),
    )
    .option('--epochs <n>', 'passes over the 60,000 training images (default: 2 for conv, 10 for dense)', positiveInt)
    .option(
      '--out <dir>',
      'folder for the model and the picture (the demo replaces its own files there)',
      'hourglass-demo',
    )
    .option('--json', 'print one JSON object as the last line')
    .action((o) =>
      run(async () => {
        const r = await runDemo({
          arch: o.arch,
          data: o.data,
          ...(o.epochs ? { epochs: o.epochs } : {}),
          out: o.out,
          verbose: !o.json,
        });
        report(
          o,
          [
            `${r.data === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} autoencoder, ${r.architecture}, ${r.epochs} epoch${r.epochs === 1 ? '' : 's'} in ${r.seconds.toFixed(1)}s (${Math.round(r.samplesPerSecond)} samples/s)`,
            `train: binary cross-entropy ${fmt(r.train['loss'])} per pixel, mse ${fmt(r.train['mse'])}`,
            `test:  binary cross-entropy ${fmt(r.test['loss'])} per pixel, mse ${fmt(r.test['mse'])}`,
            `reconstructions: ${r.image} (top: test images, bottom: reconstructions)`,
            `model: ${r.modelDir}`,
          ],
          { command: 'demo', ...r },
        );
      }),
    );
}
