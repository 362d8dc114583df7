// The model form: reads the family member, sizes and training settings the user picked and turns
// them into trainInWorker's FamilySpec and fit options, with a message for anything invalid.

import type { FamilySpec, WorkerFitOptions } from '../src/browser.js';

export type Member = 'dense' | 'conv' | 'denoising' | 'sparse' | 'variational';

export interface FormValues {
  member: Member;
  hidden: string;
  latent: string;
  epochs: string;
  batch: string;
  lr: string;
  /** Denoising: the share of pixels masked (images) or the Gaussian noise's standard deviation (tables). */
  noise: string;
  /** Sparse: the L1 weight of the code's activity penalty. */
  l1: string;
  /** Variational: the weight of the KL term. */
  beta: string;
}

export interface TrainingPlan {
  spec: FamilySpec;
  fit: WorkerFitOptions;
}

function int(value: string, name: string, lo: number, hi: number): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < lo || n > hi)
    throw new Error(`${name} must be a whole number from ${lo} to ${hi}`);
  return n;
}

function real(value: string, name: string, ok: (n: number) => boolean, range: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!(Number.isFinite(n) && ok(n))) throw new Error(`${name} must be a number ${range}`);
  return n;
}

/** Parses the form for data of this kind; throws an Error with a message for the page. */
export function trainingPlan(v: FormValues, image: [number, number] | null): TrainingPlan {
  const data = image ? 'images' : 'table';
  const hidden = v.hidden.trim() === '' ? [] : v.hidden.split(',').map((s) => int(s, 'each hidden size', 1, 4096));
  const latent = int(v.latent, v.member === 'conv' ? 'code channels' : 'code size', 1, 512);
  const fit: WorkerFitOptions = {
    epochs: int(v.epochs, 'epochs', 1, 500),
    batchSize: int(v.batch, 'batch size', 1, 4096),
    validationSplit: 0.2,
    seed: 42,
  };
  const lr = Number(v.lr);
  if (!(lr > 0 && lr <= 1)) throw new Error('learning rate must be a number above 0 and at most 1');
  fit.learningRate = lr;
  const dense = { hidden, latent };
  switch (v.member) {
    case 'dense':
      return { spec: { member: 'dense', options: dense }, fit };
    case 'conv':
      if (!image) throw new Error('the convolutional member needs images: pick the MNIST sample');
      return {
        spec: {
          member: 'conv',
          options: { imageShape: [image[0], image[1], 1], downsampling: 'strided', codeChannels: latent },
        },
        fit,
      };
    case 'denoising': {
      const noise =
        data === 'images'
          ? ({
              type: 'masking',
              rate: real(v.noise, 'the share of pixels masked', (n) => n > 0 && n < 1, 'above 0 and below 1'),
            } as const)
          : ({
              type: 'gaussian',
              stddev: real(v.noise, 'the noise', (n) => n > 0 && n <= 10, 'above 0 and at most 10'),
            } as const);
      return { spec: { member: 'denoising', options: { ...dense, noise } }, fit };
    }
    case 'sparse': {
      const l1 = real(v.l1, 'the L1 weight', (n) => n > 0 && n <= 1, 'above 0 and at most 1');
      return { spec: { member: 'sparse', options: { ...dense, sparsity: { l1 } } }, fit };
    }
    case 'variational': {
      const beta = real(v.beta, 'beta', (n) => n >= 0 && n <= 100, 'from 0 to 100');
      return { spec: { member: 'variational', options: { ...dense, beta } }, fit };
    }
  }
}
