// Training inside a module Web Worker, so the page stays responsive: the page posts the family
// member, its options and the data; the worker trains, posts progress, and sends the model back
// as one zip that the page loads. Page side: trainInWorker(); worker side: serveTraining().

import { HourglassError } from '../engine/errors.js';
import { getEngine } from '../engine/kernels.js';
import { toTensor, type TensorLike } from '../engine/tensor.js';
import type { History } from '../model/fit.js';
import type { Logs } from '../model/callbacks.js';
import type { Autoencoder, AutoencoderFitOptions } from '../models/autoencoder.js';
import { autoencoders } from '../models/index.js';

/** Which member of the family to train, with its options (as `autoencoders.<member>(options)`). */
export type FamilySpec =
  | { member: 'dense'; options?: Parameters<typeof autoencoders.dense>[0] }
  | { member: 'conv'; options?: Parameters<typeof autoencoders.conv>[0] }
  | { member: 'denoising'; options: Parameters<typeof autoencoders.denoising>[0] }
  | { member: 'sparse'; options?: Parameters<typeof autoencoders.sparse>[0] }
  | { member: 'contractive'; options?: Parameters<typeof autoencoders.contractive>[0] }
  | { member: 'variational'; options?: Parameters<typeof autoencoders.variational>[0] };

/** fit() options that can cross to a worker (no callbacks: progress comes back as events). */
export type WorkerFitOptions = Pick<
  AutoencoderFitOptions,
  'epochs' | 'batchSize' | 'shuffle' | 'validationSplit' | 'learningRate' | 'seed' | 'loss'
>;

export interface TrainInWorkerOptions extends WorkerFitOptions {
  /** After each epoch: its losses (train and validation). */
  onEpochEnd?: (epoch: number, logs: Logs) => void;
  /** During an epoch, at most every `progressEveryMs` (default 100): the running loss. */
  onBatchEnd?: (step: number, loss: number) => void;
  progressEveryMs?: number;
  /** Engine options for the worker's ready() (e.g. { fma: false } to match Node bit for bit). */
  engine?: { fma?: boolean };
  /** Target mask, as fit's: 1 observed, 0 missing (missing values add nothing to the loss). */
  mask?: TensorLike;
}

export interface TrainingRun {
  /** The trained autoencoder, loaded in this page, and its history. */
  result: Promise<{ autoencoder: Autoencoder; history: History }>;
  /** Stops the worker; `result` rejects. */
  cancel(): void;
}

type ToWorker = {
  type: 'fit';
  spec: FamilySpec;
  data: Float32Array;
  shape: number[];
  /** The target mask's values (shape as the data's), or null. */
  mask: Float32Array | null;
  fit: WorkerFitOptions;
  progressEveryMs: number;
  engine: { fma?: boolean };
};
type FromWorker =
  | { type: 'epoch'; epoch: number; logs: Logs }
  | { type: 'batch'; step: number; loss: number }
  | { type: 'done'; zip: Uint8Array; history: History }
  | { type: 'error'; message: string };

/**
 * Trains in `worker` (a module Worker whose script calls serveTraining()) and loads the result
 * here. The page must have awaited ready(); the data is copied, the page keeps its own.
 */
export function trainInWorker(
  worker: Worker,
  spec: FamilySpec,
  x: TensorLike,
  options: TrainInWorkerOptions = {},
): TrainingRun {
  getEngine();
  const data = toTensor(x, 'trainInWorker x');
  const { onEpochEnd, onBatchEnd, progressEveryMs, engine, mask, ...fit } = options;
  const maskValues = mask === undefined ? null : toTensor(mask, 'trainInWorker mask');
  // Checked here too (fit checks it again in the worker), so that the page gets the message at once.
  if (maskValues && maskValues.data.length !== data.data.length)
    throw new HourglassError(
      `trainInWorker: the mask has shape [${maskValues.shape.join(', ')}], the data [${data.shape.join(', ')}]`,
    );
  let reject: (e: Error) => void = () => {};
  const result = new Promise<{ autoencoder: Autoencoder; history: History }>((resolve, fail) => {
    reject = fail;
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      if (m.type === 'epoch') onEpochEnd?.(m.epoch, m.logs);
      else if (m.type === 'batch') onBatchEnd?.(m.step, m.loss);
      else if (m.type === 'error') fail(new HourglassError(`training in the worker failed: ${m.message}`));
      else {
        try {
          resolve({ autoencoder: autoencoders.loadZip(m.zip, "the worker's model"), history: m.history });
        } catch (e) {
          fail(e instanceof Error ? e : new Error(String(e)));
        }
      }
    };
    worker.onerror = (e) => fail(new HourglassError(`the training worker failed to run: ${e.message}`));
  });
  const message: ToWorker = {
    type: 'fit',
    spec,
    data: data.data,
    shape: data.shape,
    mask: maskValues ? maskValues.data : null,
    fit,
    progressEveryMs: progressEveryMs ?? 100,
    engine: engine ?? {},
  };
  worker.postMessage(message);
  return {
    result,
    cancel: () => {
      worker.terminate();
      reject(new HourglassError('training cancelled'));
    },
  };
}

function build(spec: FamilySpec): Autoencoder {
  switch (spec.member) {
    case 'dense':
      return autoencoders.dense(spec.options);
    case 'conv':
      return autoencoders.conv(spec.options);
    case 'denoising':
      return autoencoders.denoising(spec.options);
    case 'sparse':
      return autoencoders.sparse(spec.options);
    case 'contractive':
      return autoencoders.contractive(spec.options);
    case 'variational':
      return autoencoders.variational(spec.options);
    default:
      throw new HourglassError(`unknown family member ${JSON.stringify((spec as { member: unknown }).member)}`);
  }
}

/** The worker side: answers trainInWorker's requests. `ready` is the browser entry's. */
export function serveTrainingWith(ready: (options: { fma?: boolean }) => Promise<void>): void {
  const post = (m: FromWorker, transfer: Transferable[] = []) => postMessage(m, { transfer });
  addEventListener('message', (event: MessageEvent<ToWorker>) => {
    const m = event.data;
    if (m?.type !== 'fit') return;
    void (async () => {
      try {
        await ready(m.engine);
        const ae = build(m.spec);
        let last = 0;
        const history = await ae.fit(
          { data: m.data, shape: m.shape },
          {
            ...m.fit,
            ...(m.mask ? { mask: { data: m.mask, shape: m.shape } } : {}),
            verbose: false,
            callbacks: [
              {
                onEpochEnd: (epoch, logs) => post({ type: 'epoch', epoch, logs }),
                onBatchEnd: (step, logs) => {
                  const now = performance.now();
                  if (now - last >= m.progressEveryMs) {
                    last = now;
                    post({ type: 'batch', step, loss: logs['loss']! });
                  }
                },
              },
            ],
          },
        );
        const zip = ae.toZip();
        ae.dispose();
        post({ type: 'done', zip, history }, [zip.buffer]);
      } catch (e) {
        post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
}
