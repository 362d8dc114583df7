// The public API, shared by every platform entry.

export { HourglassError } from './engine/errors.js';
export { initEngine } from './engine/kernels.js';
export { setSeed } from './engine/seed.js';
export { setThreads, getThreads, threadNote } from './engine/threads.js';
export { Random } from './engine/random.js';
export { tensor, toTensor, toArray, type Tensor, type TensorLike } from './engine/tensor.js';
export { input, InputLayer } from './layers/input.js';
export { Layer, SymbolicTensor, type Shape, type Param } from './layers/layer.js';
export * from './layers/index.js';
export type { ActivationName } from './layers/activations.js';
export type { Initializer } from './layers/initializers.js';
export { regularizers, type Regularizer } from './layers/regularizers.js';
export { losses, resolveLoss, type Loss, type LossSpec, type LossName } from './losses/index.js';
export { optimizers, resolveOptimizer, Optimizer, Adam, AdamW, SGD, RMSprop } from './optim/index.js';
export type { OptimizerName, AdamOptions, AdamWOptions, SGDOptions, RMSpropOptions, OptimizerConfig } from './optim/index.js';
export type { OptimizerOptions } from './optim/optimizer.js';
export { schedules, schedule, type Schedule, type ScheduleConfig } from './optim/schedules.js';
export { Model, model, sequential, type CompileOptions, type ModelArgs } from './model/model.js';
export type { FitOptions, History } from './model/fit.js';
export { callbacks, EarlyStopping, type Callback, type EarlyStoppingOptions, type Logs, type TrainingContext } from './model/callbacks.js';
export { setProgressFactory, type ProgressReporter } from './model/progress.js';
export { saveModel, loadModel } from './model/save.js';
