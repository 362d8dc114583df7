// Every hourglass command, in the order --help lists them.

export { trainCommand } from './train.js';
export { evaluateCommand } from './evaluate.js';
export { encodeCommand } from './encode.js';
export { detectCommand } from './detect.js';
export { imputeCommand } from './impute.js';
export { denoiseCommand } from './denoise.js';
export { compressCommand, decompressCommand } from './compress.js';
export { sampleCommand } from './sample.js';
export { reportCommand } from './report.js';
export { demoCommand } from './demo.js';
export { playgroundCommand } from './playground.js';
export { exportCommand } from './export.js';
export { importCommand } from './import.js';
export { serveCommand } from './serve.js';
