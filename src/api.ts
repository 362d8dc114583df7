// The public API, shared by every platform entry.

export { HourglassError } from './engine/errors.js';
export { TrainingDivergedError } from './model/divergence.js';
export { initEngine } from './engine/kernels.js';
export { setSeed } from './engine/seed.js';
export { setThreads, getThreads, threadNote, workerJobCounts } from './engine/threads.js';
export { usesFusedMultiplyAdd } from './engine/kernels.js';
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
export type {
  OptimizerName,
  AdamOptions,
  AdamWOptions,
  SGDOptions,
  RMSpropOptions,
  OptimizerConfig,
} from './optim/index.js';
export type { OptimizerOptions } from './optim/optimizer.js';
export { schedules, schedule, type Schedule, type ScheduleConfig } from './optim/schedules.js';
export { Model, model, sequential, type CompileOptions, type ModelArgs } from './model/model.js';
export type { FitOptions, History } from './model/fit.js';
export {
  callbacks,
  EarlyStopping,
  type Callback,
  type EarlyStoppingOptions,
  type Logs,
  type TrainingContext,
} from './model/callbacks.js';
export {
  setProgressFactory,
  setTaskProgressFactory,
  type ProgressReporter,
  type TaskReporter,
} from './model/progress.js';
export { saveModel } from './model/save.js';
export { loadModel } from './model/load.js';
export { modelToFiles } from './model/save.js';
export { modelFromFiles, type LoadedModel } from './model/load.js';
export { modelToZip, modelFromZip, filesToZip, filesFromZip } from './model/zip.js';
export { loadAutoencoderFromFiles, loadAutoencoderFromZip } from './models/index.js';
export {
  denseAutoencoder,
  encoderOf,
  decoderOf,
  type AutoencoderParts,
  type DenseAutoencoderOptions,
} from './models/dense_autoencoder.js';
export { convAutoencoder, type ConvAutoencoderOptions } from './models/conv_autoencoder.js';
export { anomalyScores, detectAnomalies, quantile, type Detection, type ThresholdRule } from './apps/anomaly.js';
export { rocAuc, averagePrecision } from './apps/metrics.js';
export { fitPca, pcaErrors, pcaTransform, pcaInverse, type Pca } from './apps/pca.js';
export { knnPredict, knnAccuracy } from './apps/knn.js';
export {
  quantize,
  dequantize,
  encodeContainer,
  decodeContainer,
  modelFingerprint,
  psnr,
  type Bits,
  type Quantized,
} from './apps/compress.js';
export {
  autoencoders,
  Autoencoder,
  VariationalAutoencoder,
  SequenceVariationalAutoencoder,
  loadAutoencoder,
} from './models/index.js';
export {
  CONTRACTIVE_DEFAULTS,
  CONV_DEFAULTS,
  DENSE_DEFAULTS,
  SEQUENCE_DEFAULTS,
  SPARSE_DEFAULTS,
  VARIATIONAL_DEFAULTS,
  TRAINING_DEFAULTS,
  codeSize,
  denseSizes,
  variationalSizes,
  trainingBudget,
  type NetworkSizes,
  type TrainingBudget,
} from './models/index.js';
export type {
  AutoencoderKind,
  ConvNetworkOptions,
  DenseNetworkOptions,
  ContractiveOptions,
  DenoisingOptions,
  NoiseSpec,
  SparseOptions,
  SparsitySpec,
  VariationalOptions,
  SequenceArch,
  SequenceOptions,
  Elbo,
  OutputActivation,
  AutoencoderFitOptions,
  AutoencoderRecord,
} from './models/index.js';
export { parseTable, formatTable, isMissing, type Table } from './data/table.js';
export {
  fitPreprocessing,
  transformTable,
  inverseRows,
  featureNames,
  type TabularPreprocessing,
  type ColumnPlan,
  type Scaling,
  type PreparedRows,
} from './data/tabular_preprocessing.js';
export { fitTable, prepareTable, rowsToTable, tableError, preprocessingOf } from './apps/tabular.js';
export { imputeRows, imputeTable, type ImputeOptions, type Imputed } from './apps/impute.js';
export { knnImpute } from './apps/knn_impute.js';
export { compressRows, decompressRows, meanSquaredError } from './apps/compress.js';
export {
  compressStream,
  openContainer,
  type ByteSource,
  type CompressedStream,
  type CompressStreamOptions,
  type OpenedContainer,
} from './apps/compress_stream.js';
export { reservoirSample, type ReservoirSample } from './data/reservoir.js';
export {
  summarizeTrainingScores,
  trainingQuantile,
  DEFAULT_TRAINING_QUANTILE,
  TRAINING_SCORES_KEY,
  type TrainingScores,
} from './apps/training_scores.js';
export {
  AnomalyDetector,
  DETECTOR_FILE,
  type DetectorOptions,
  type DetectorRecord,
  type DetectorScores,
} from './detection/detector.js';
export {
  ImageAnomalyDetector,
  IMAGE_DETECTOR_FILE,
  type ImageDetectorOptions,
  type ImageDetectorRecord,
} from './detection/image_detector.js';
export { blurredErrors, type ImageGeometry } from './detection/image_errors.js';
export * from './series/index.js';
export {
  trainOnSeries,
  detectInSeries,
  scoreSeriesWindows,
  reconstructSeries,
  imputeSeries,
  meanOverWindows,
  seriesRecordOf,
  type SeriesModelRecord,
  type SeriesTrainOptions,
  type SeriesTrained,
  type SeriesRule,
  type ScoredSeries,
} from './apps/series_model.js';
export { plotSeries, type SeriesPlotOptions } from './apps/series_plot.js';
