// hourglass-ae for Node.js: loads the kernels, installs the Node adapters and exports the API.

import { initEngine, sharedMemorySupported } from './engine/kernels.js';
import { setProgressFactory, setTaskProgressFactory } from './model/progress.js';
import { setFileStore } from './platform/files.js';
import { setThreads, setWorkerSpawner } from './engine/threads.js';
import {
  defaultThreads,
  enableRelaxedSimd,
  nodeFileStore,
  nodeWorkerSpawner,
  readWasm,
  terminalProgress,
  terminalTaskProgress,
} from './platform/node.js';

// Node always shares memory with workers; the single-thread build is the browser-page fallback
// (and HOURGLASS_SINGLE_THREAD=1 selects it here, to test that path). Where the runtime has
// relaxed SIMD (Node 20 after enableRelaxedSimd() sets its flag) the GEMM uses fused
// multiply-adds; HOURGLASS_FMA=0 keeps the plain build. Results are bit-identical within one
// build (any thread count) and within rounding across builds.
const shared = sharedMemorySupported() && process.env['HOURGLASS_SINGLE_THREAD'] !== '1';
const fma = shared && process.env['HOURGLASS_FMA'] !== '0' && enableRelaxedSimd();
initEngine(readWasm(fma ? 'fma' : shared ? 'threads' : 'single'), { shared, fma });
setFileStore(nodeFileStore);
setProgressFactory(terminalProgress);
setTaskProgressFactory(terminalTaskProgress);
setWorkerSpawner(nodeWorkerSpawner);
setThreads(defaultThreads());

export * from './api.js';
// Node-only: datasets from files and npm packages, PNG output.
export { loadDataset, readDataset, type Dataset, type LoadOptions } from './data/datasets.js';
export { parseNpy, parseNpyHeader, type NpyArray } from './data/npy_read.js';
export { parseNpz } from './data/npz.js';
export { parseJsonTable, parseNdjsonTable } from './data/json_table.js';
export { readParquetTable } from './data/parquet.js';
// The name Dataset is already the in-memory result of loadDataset; the streaming one is exported as StreamDataset.
export { Dataset as StreamDataset } from './data/dataset.js';
export { openFile, type StreamedFile, type ArrayFile, type TableFile, type OpenOptions } from './data/dataset_files.js';
export {
  fitPreprocessingStream,
  preparedRows,
  maskedRows,
  maskedBatches,
  type PreparedRow,
} from './data/table_stream.js';
export type { FitDatasetOptions, TrainBatch, MaskedBatch } from './model/fit_dataset.js';
export { fitFile, type FileFitOptions, type FileFit } from './apps/fit_file.js';
// trainOnSeries (in the shared API) for a series file larger than memory.
export {
  trainOnSeriesFile,
  seriesFileEpochs,
  type SeriesFileTrainOptions,
  type SeriesFileTrained,
  type SeriesFilePlan,
  type SeriesFilePhase,
} from './apps/series_file_train.js';
export type { AutoencoderDatasetFitOptions } from './models/autoencoder.js';
export { loadMnist } from './data/mnist.js';
export { loadFashionMnist } from './data/fashion_mnist.js';
export { writeImageGrid, type GridOptions } from './data/png.js';
export { writeSeriesPlot } from './data/series_png.js';
// Reports (in browsers: import them from 'hourglass-ae/report', which keeps uPlot's 55 KB out of
// the main browser bundle and its 100 KB budget).
export { report, seriesSection, type ReportOptions, type Section as ReportSection } from './report/index.js';
// Node-only: interop with ONNX (export) and PyTorch (export, and import of weights trained there).
export { exportOnnx, type OnnxExportOptions, type ExportPart } from './interop/onnx/export.js';
export { exportPytorch, type PytorchExport, type PytorchMap } from './interop/pytorch/export.js';
export { importPytorch, type PytorchImportResult } from './interop/pytorch/import.js';
// Keras import (.keras, legacy .h5). jsfive reads them in browsers too, but it would take the main
// browser bundle past its budget, so only Node exports it for now.
export { importKeras, type KerasImport, type KerasImportOptions } from './interop/keras/import.js';
export { importKerasAutoencoder } from './interop/keras/autoencoder.js';
export type { CodeLayerReason } from './interop/keras/code_layer.js';
export { importTfjs, type TfjsFiles, type TfjsImportResult } from './interop/tfjs/import.js';
export { importTfjsFolder } from './interop/tfjs/node_folder.js';
