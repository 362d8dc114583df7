// The defaults of every member of the family, in one place: the factories in this folder apply
// them and the command line prints them in --help and leaves an unset flag to them, so
// `autoencoders.variational()` and `hourglass train --kind variational` build the same network.

/**
 * Dense autoencoders (and the denoising, sparse and contractive ones built on them): the widest
 * network; sizes left out are chosen from the input width by denseSizes (the same as these from
 * 128 inputs up).
 */
export const DENSE_DEFAULTS = {
  hidden: [128, 64],
  latent: 32,
  activation: 'relu',
} as const;

/** Convolutional autoencoders; the filters and hidden activation depend on the layout. */
export const CONV_DEFAULTS = {
  downsampling: 'pooling',
  /**
   * Filters per encoder block: Keras's classic [16, 8, 8] for the pooling layout with the conv
   * decoder or the pooled map as the code; one block of 16 before the dense decoder's dense
   * encoder layers (denseDecoder); [32, 64, 128] strided.
   */
  filters: { pooling: [16, 8, 8], denseDecoder: [16], strided: [32, 64, 128] },
  activation: { pooling: 'relu', strided: 'elu' },
  kernelSize: 3,
  codeChannels: 8,
  upsampling: 'upsampling',
  /**
   * Pooling layout with a dense code: what grows the code back. 'dense' (the default since
   * 2026-12-02): the dense preset's decoder (dense layers to every pixel, reshaped), after an
   * encoder of one conv block and the dense preset's encoder layers (denseSizes of the pixels
   * between the flattened map and the code). For one-class detection the network must hold the
   * class's global shape: conv filters after the code redraw strokes of anything, anomalies
   * included. One-class mean ROC-AUC (bench/oneclass, README), against the dense preset in the
   * same runs: MNIST 0.9665 vs 0.9641 (the old default, the conv decoder after 16-8-8: 0.9579),
   * Fashion-MNIST 0.9133 vs 0.9126 over three seeds (old default 0.8912). 'conv' is Keras's conv
   * + upsampling decoder (chosen by decoderChannels or upsampling: 'transpose' too).
   */
  decoder: 'dense' as 'conv' | 'dense',
  /**
   * Pooling layout: the widest dense code after the pooling blocks (sized by convCodeSize). A
   * dense code, not the pooled map, is the default because local filters decoding a 4x4x8 map
   * rebuild strokes of any digit: one-class MNIST's mean ROC-AUC was 0.923 with the map and 0.958
   * with a 32-value dense code (bench/oneclass, README), above PCA-32's 0.955. The denoising
   * variant keeps the map (its output is closer to the clean images with it, bench/conv_code).
   */
  latent: 32,
} as const;

/**
 * Sparse autoencoders: an L1 activity penalty unless a KL target is given; a KL penalty without
 * a weight gets klWeight. (Denoising has no default noise: the kind of corruption is the choice
 * that makes it a denoising autoencoder, so it is always given.)
 */
export const SPARSE_DEFAULTS = {
  sparsity: { l1: 1e-4 },
  klWeight: 1,
} as const;

/** Contractive autoencoders: the weight of the code layer's Jacobian penalty. */
export const CONTRACTIVE_DEFAULTS = {
  weight: 0.01,
} as const;

/**
 * Variational autoencoders: Kingma and Welling's MNIST network (784-400-20), the widest; sizes
 * left out are chosen from the input width by variationalSizes.
 */
export const VARIATIONAL_DEFAULTS = {
  hidden: [400],
  latent: 20,
  activation: 'relu',
  beta: 1,
  sigma: 1,
} as const;

/**
 * Sequence autoencoders of series windows: Keras's time-series example (conv1d 32 and 16 filters,
 * kernel 7, dropout 0.2); recurrent encoder-decoders with 64 units. The variational variant's
 * code is a quarter of window x features, 2 to `latent` (the family's codeSize rule).
 */
export const SEQUENCE_DEFAULTS = {
  arch: 'conv1d',
  filters: [32, 16],
  kernelSize: 7,
  dropout: 0.2,
  units: 64,
  latent: 16,
} as const;

// Sizes and training budgets chosen from the data, for every option left out. The rules (one set,
// used by autoencoders.*, `hourglass train` and the anomaly detector's members):
// - the code is a quarter of the input (at least 2, at most the preset's code), so it is always
//   narrower than the input and cannot learn the identity (a 32-value code for 30 inputs can);
// - hidden layers are twice the input, at most the preset's, halving toward the code;
// - training is a budget of optimizer steps rather than a number of epochs, so a 200-row table
//   gets as many updates as a large one (10 epochs of 200 rows at batch 256 are 10 steps in all);
// - the batch is a sixteenth of the rows, between 16 and 256, so small tables see many batches;
// - with enough rows, a tenth is held out and training stops once its loss stops falling
//   (keeping the best weights); with fewer rows every row is needed to learn from.

export interface NetworkSizes {
  hidden: number[];
  latent: number;
}

/** The code's width: a quarter of the input, at least 2 and at most `widest`, and always narrower than the input. */
export function codeSize(inputs: number, widest: number): number {
  return Math.max(1, Math.min(inputs - 1, Math.max(2, Math.min(widest, Math.round(inputs / 4)))));
}

/** Dense sizes for this input width: DENSE_DEFAULTS from 128 inputs up, narrower below. */
export function denseSizes(inputs: number): NetworkSizes {
  const latent = codeSize(inputs, DENSE_DEFAULTS.latent);
  const [widest, second] = DENSE_DEFAULTS.hidden;
  const first = Math.max(latent + 1, Math.min(widest, 2 * inputs));
  return { hidden: [first, Math.max(latent + 1, Math.min(second, Math.round(first / 2)))], latent };
}

/**
 * The conv preset's dense code (pooling layout): a quarter of the pixels like every code, at most
 * CONV_DEFAULTS.latent and never wider than the pooled map it is made from (a wider code would
 * only copy the map).
 */
export function convCodeSize(inputs: number, pooledValues: number): number {
  return codeSize(inputs, Math.min(CONV_DEFAULTS.latent, pooledValues));
}

/** Variational sizes for this input width: VARIATIONAL_DEFAULTS from 200 inputs up, narrower below. */
export function variationalSizes(inputs: number): NetworkSizes {
  const latent = codeSize(inputs, VARIATIONAL_DEFAULTS.latent);
  return { hidden: [Math.max(latent + 1, Math.min(VARIATIONAL_DEFAULTS.hidden[0], 2 * inputs))], latent };
}

export const TRAINING_DEFAULTS = {
  /** Optimizer steps a run aims for (fewer epochs never than minEpochs). */
  steps: 1500,
  minEpochs: 10,
  batch: { min: 16, max: 256, rowsPerBatch: 16 },
  /** Adam's usual rate; the step budget is sized for it. */
  learningRate: 1e-3,
  /** Rows from which a tenth is held out for early stopping (leaving at least 100 to validate on). */
  validationRows: 1000,
  validationSplit: 0.1,
  patience: 5,
} as const;

export interface TrainingBudget {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The share held out for early stopping, or 0 when the rows are too few to spare any. */
  validationSplit: number;
  patience: number;
  /** Optimizer steps if no early stop: epochs x batches per epoch. */
  steps: number;
}

/** The batch for this many rows: a sixteenth of them, within [min, max]. */
export function batchSizeFor(rows: number, max: number = TRAINING_DEFAULTS.batch.max): number {
  const b = TRAINING_DEFAULTS.batch;
  return Math.max(b.min, Math.min(max, Math.round(rows / b.rowsPerBatch)));
}

/** Epochs that give at least `steps` optimizer steps at this batch (and at least minEpochs). */
export function epochsFor(rows: number, batchSize: number, steps: number, minEpochs: number): number {
  // rows / batch steps per epoch, counting the last partial batch as a fraction: never fewer steps.
  return Math.max(minEpochs, Math.ceil((steps * Math.min(batchSize, rows)) / rows));
}

/**
 * The training budget for this many rows; anything given in `chosen` is kept and the rest sized
 * around it (a given batch changes the epochs that reach the step budget).
 */
export function trainingBudget(
  rows: number,
  chosen: { epochs?: number; batchSize?: number; learningRate?: number; validationSplit?: number } = {},
): TrainingBudget {
  const t = TRAINING_DEFAULTS;
  const validationSplit = chosen.validationSplit ?? (rows >= t.validationRows ? t.validationSplit : 0);
  const trainRows = rows - Math.floor(rows * validationSplit);
  const batchSize = chosen.batchSize ?? batchSizeFor(trainRows);
  const epochs = chosen.epochs ?? epochsFor(trainRows, batchSize, t.steps, t.minEpochs);
  return {
    epochs,
    batchSize,
    learningRate: chosen.learningRate ?? t.learningRate,
    validationSplit,
    patience: t.patience,
    steps: epochs * Math.ceil(trainRows / Math.min(batchSize, trainRows)),
  };
}
