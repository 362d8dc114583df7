// The one table of the WebAssembly kernels: each export's parameters in order with their types,
// what it returns, and which axis a plan may split across threads. tools/check_kernels.ts verifies
// it against src/kernels at build time; KernelExports and every plan operation are typed from it.

export type ParamType = 'i32' | 'f32' | 'ptr';
type ParamList = readonly (readonly [string, ParamType])[];

/**
 * How an operation on this kernel is shared between threads: 'rows' (GEMM: output rows, through
 * r0/r1), 'batch' (the leading count `b` is split, pointers move by their per-sample strides),
 * 'chunks' (losses: fixed chunks summed in order) or 'none' (the main thread runs it whole).
 */
export type Split = 'none' | 'rows' | 'batch' | 'chunks';

export interface KernelSpec {
  readonly params: ParamList;
  readonly returns: 'void' | 'i32' | 'f64';
  readonly split: Split;
}

const i = 'i32',
  f = 'f32',
  p = 'ptr';

// Kept one kernel to a few lines, as the AssemblyScript signatures read.
// prettier-ignore
export const KERNEL_TABLE = {
  gemm: {
    params: [['m', i], ['n', i], ['k', i], ['a', p], ['lda', i], ['transA', i], ['b', p], ['ldb', i], ['transB', i],
      ['c', p], ['ldc', i], ['accumulate', i], ['bias', p], ['act', i], ['alpha', f], ['scratchA', p], ['scratchB', p],
      ['r0', i], ['r1', i]],
    returns: 'void', split: 'rows',
  },
  gemmScratchA: { params: [], returns: 'i32', split: 'none' },
  gemmScratchB: { params: [['n', i]], returns: 'i32', split: 'none' },
  activationForward: { params: [['n', i], ['x', p], ['y', p], ['act', i], ['alpha', f]], returns: 'void', split: 'none' },
  activationBackward: {
    params: [['n', i], ['y', p], ['dy', p], ['dz', p], ['act', i], ['alpha', f], ['accumulate', i]], returns: 'void', split: 'none',
  },
  columnSum: { params: [['rows', i], ['cols', i], ['d', p], ['out', p], ['accumulate', i]], returns: 'void', split: 'none' },
  copy: { params: [['n', i], ['src', p], ['dst', p]], returns: 'void', split: 'none' },
  fill: { params: [['n', i], ['dst', p], ['value', f]], returns: 'void', split: 'none' },
  addTo: { params: [['n', i], ['x', p], ['y', p], ['accumulate', i]], returns: 'void', split: 'none' },
  multiply: { params: [['n', i], ['x', p], ['m', p], ['y', p], ['accumulate', i]], returns: 'void', split: 'none' },
  addScaled: { params: [['n', i], ['x', p], ['noise', p], ['scale', f], ['y', p]], returns: 'void', split: 'none' },
  scale: { params: [['n', i], ['x', p], ['s', f]], returns: 'void', split: 'none' },
  clip: { params: [['n', i], ['x', p], ['lo', f], ['hi', f]], returns: 'void', split: 'none' },
  sumSquares: { params: [['n', i], ['x', p]], returns: 'f64', split: 'none' },
  sumAbs: { params: [['n', i], ['x', p]], returns: 'f64', split: 'none' },
  regularize: { params: [['n', i], ['w', p], ['g', p], ['l1', f], ['l2', f]], returns: 'f64', split: 'none' },
  allWithin: { params: [['n', i], ['x', p], ['lo', f], ['hi', f]], returns: 'i32', split: 'none' },
  gatherRows: {
    params: [['count', i], ['rowFloats', i], ['src', p], ['order', p], ['start', i], ['dst', p]], returns: 'void', split: 'none',
  },
  mse: { params: [['n', i], ['y', p], ['t', p], ['grad', p], ['invCount', f]], returns: 'f64', split: 'chunks' },
  mae: { params: [['n', i], ['y', p], ['t', p], ['grad', p], ['invCount', f]], returns: 'f64', split: 'chunks' },
  huber: { params: [['n', i], ['y', p], ['t', p], ['grad', p], ['invCount', f], ['delta', f]], returns: 'f64', split: 'chunks' },
  binaryCrossentropy: { params: [['n', i], ['y', p], ['t', p], ['grad', p], ['invCount', f]], returns: 'f64', split: 'chunks' },
  binaryCrossentropyLogits: {
    params: [['n', i], ['z', p], ['y', p], ['t', p], ['grad', p], ['invCount', f]], returns: 'f64', split: 'chunks',
  },
  adam: {
    params: [['n', i], ['w', p], ['g', p], ['m', p], ['v', p], ['lr', f], ['beta1', f], ['beta2', f], ['eps', f], ['bc1', f],
      ['bc2', f], ['decoupledDecay', f]],
    returns: 'void', split: 'none',
  },
  sgd: {
    params: [['n', i], ['w', p], ['g', p], ['buf', p], ['lr', f], ['momentum', f], ['nesterov', i]], returns: 'void', split: 'none',
  },
  rmsprop: {
    params: [['n', i], ['w', p], ['g', p], ['sq', p], ['buf', p], ['lr', f], ['rho', f], ['eps', f], ['momentum', f]],
    returns: 'void', split: 'none',
  },
  batchNormTrain: {
    params: [['rows', i], ['ch', i], ['x', p], ['y', p], ['xhat', p], ['gamma', p], ['beta', p], ['mean', p], ['invStd', p],
      ['movingMean', p], ['movingVar', p], ['momentum', f], ['eps', f]],
    returns: 'void', split: 'none',
  },
  batchNormInference: {
    params: [['rows', i], ['ch', i], ['x', p], ['y', p], ['gamma', p], ['beta', p], ['movingMean', p], ['movingVar', p], ['eps', f]],
    returns: 'void', split: 'none',
  },
  batchNormBackward: {
    params: [['rows', i], ['ch', i], ['dy', p], ['xhat', p], ['gamma', p], ['invStd', p], ['dx', p], ['dgamma', p], ['dbeta', p],
      ['accumulateInput', i], ['accumulateParams', i]],
    returns: 'void', split: 'none',
  },
  convSingle: {
    params: [['mode', i], ['b', i], ['h', i], ['w', i], ['c', i], ['oh', i], ['ow', i], ['kh', i], ['kw', i], ['sh', i], ['sw', i],
      ['pt', i], ['pl', i], ['x', p], ['wt', p], ['bias', f], ['y', p], ['accumulate', i]],
    returns: 'void', split: 'batch',
  },
  // Direct convolution for few output channels, stride 1 (src/kernels/conv_direct.ts).
  convDirect: {
    params: [['b', i], ['h', i], ['w', i], ['c', i], ['oh', i], ['ow', i], ['f', i], ['kh', i], ['kw', i], ['pt', i], ['pl', i], ['x', p], ['wt', p], ['bias', p], ['act', i], ['alpha', f], ['y', p], ['accumulate', i]],
    returns: 'void', split: 'batch',
  },
  convFlipKernel: { params: [['kh', i], ['kw', i], ['c', i], ['f', i], ['w', p], ['out', p]], returns: 'void', split: 'none' },
  convDirectKernelGrad: {
    params: [['b', i], ['h', i], ['w', i], ['c', i], ['oh', i], ['ow', i], ['f', i], ['kh', i], ['kw', i], ['sh', i], ['sw', i],
      ['pt', i], ['pl', i], ['x', p], ['dy', p], ['dw', p], ['db', p]],
    returns: 'void', split: 'batch',
  },
  activationBackwardSamples: {
    params: [['b', i], ['values', i], ['y', p], ['dy', p], ['dz', p], ['act', i], ['alpha', f], ['accumulate', i]],
    returns: 'void', split: 'batch',
  },
  im2col: {
    params: [['b', i], ['h', i], ['w', i], ['c', i], ['oh', i], ['ow', i], ['kh', i], ['kw', i], ['sh', i], ['sw', i], ['dh', i],
      ['dw', i], ['pt', i], ['pl', i], ['x', p], ['col', p]],
    returns: 'void', split: 'batch',
  },
  col2im: {
    params: [['b', i], ['h', i], ['w', i], ['c', i], ['oh', i], ['ow', i], ['kh', i], ['kw', i], ['sh', i], ['sw', i], ['dh', i],
      ['dw', i], ['pt', i], ['pl', i], ['col', p], ['x', p], ['accumulate', i]],
    returns: 'void', split: 'batch',
  },
  biasActivation: {
    params: [['rows', i], ['ch', i], ['y', p], ['bias', p], ['act', i], ['alpha', f]], returns: 'void', split: 'none',
  },
  maxPoolForward: {
    params: [['b', i], ['h', i], ['w', i], ['c', i], ['oh', i], ['ow', i], ['ph', i], ['pw', i], ['sh', i], ['sw', i], ['pt', i],
      ['pl', i], ['x', p], ['y', p], ['argmax', p]],
    returns: 'void', split: 'batch',
  },
  maxPoolBackward: {
    params: [['b', i], ['outPerSample', i], ['inPerSample', i], ['dy', p], ['argmax', p], ['dx', p], ['accumulate', i]],
    returns: 'void', split: 'batch',
  },
  avgPool: {
    params: [['b', i], ['h', i], ['w', i], ['c', i], ['oh', i], ['ow', i], ['ph', i], ['pw', i], ['sh', i], ['sw', i], ['pt', i],
      ['pl', i], ['x', p], ['y', p], ['backward', i], ['accumulate', i]],
    returns: 'void', split: 'batch',
  },
  upsampleNearest: {
    params: [['b', i], ['h', i], ['w', i], ['c', i], ['fh', i], ['fw', i], ['x', p], ['y', p], ['backward', i], ['accumulate', i]],
    returns: 'void', split: 'batch',
  },
  upsampleBilinear: {
    params: [['b', i], ['h', i], ['w', i], ['c', i], ['fh', i], ['fw', i], ['x', p], ['y', p], ['backward', i], ['accumulate', i]],
    returns: 'void', split: 'batch',
  },
  window2d: {
    params: [['b', i], ['sh', i], ['sw', i], ['lh', i], ['lw', i], ['c', i], ['top', i], ['left', i], ['small', p], ['large', p],
      ['toLarge', i], ['accumulate', i]],
    // Split: a crop of every image of a conv batch (the pooling preset's 32x32 -> 28x28) is a step's worth of copying.
    returns: 'void', split: 'batch',
  },
  globalAvgPool: {
    params: [['b', i], ['hw', i], ['c', i], ['x', p], ['y', p], ['backward', i], ['accumulate', i]], returns: 'void', split: 'none',
  },
  // One time step of a recurrent layer: rows are the batch (each kernel is a few microseconds, cheaper than a hand-off).
  lstmForward: {
    params: [['rows', i], ['units', i], ['gates', p], ['gatesStride', i], ['cPrev', p], ['cPrevStride', i], ['c', p],
      ['cStride', i], ['h', p], ['hStride', i], ['h2', p], ['h2Stride', i], ['act', i], ['recAct', i]],
    returns: 'void', split: 'none',
  },
  lstmBackward: {
    params: [['rows', i], ['units', i], ['gates', p], ['gatesStride', i], ['cPrev', p], ['cPrevStride', i], ['c', p],
      ['cStride', i], ['dh', p], ['dy', p], ['dyStride', i], ['dc', p], ['last', i], ['act', i], ['recAct', i]],
    returns: 'void', split: 'none',
  },
  gruForward: {
    params: [['rows', i], ['units', i], ['gates', p], ['gatesStride', i], ['rec', p], ['recStride', i], ['recBias', p],
      ['hPrev', p], ['hPrevStride', i], ['h', p], ['hStride', i], ['h2', p], ['h2Stride', i], ['act', i], ['recAct', i]],
    returns: 'void', split: 'none',
  },
  gruBackward: {
    params: [['rows', i], ['units', i], ['gates', p], ['gatesStride', i], ['rec', p], ['recStride', i], ['recBias', p],
      ['hPrev', p], ['hPrevStride', i], ['dRec', p], ['dh', p], ['dy', p], ['dyStride', i], ['last', i], ['act', i],
      ['recAct', i]],
    returns: 'void', split: 'none',
  },
  gruResetGates: {
    params: [['rows', i], ['units', i], ['gates', p], ['gatesStride', i], ['hPrev', p], ['hPrevStride', i], ['rh', p],
      ['rhStride', i], ['recAct', i]],
    returns: 'void', split: 'none',
  },
  gruResetCandidate: {
    params: [['rows', i], ['units', i], ['gates', p], ['gatesStride', i], ['hPrev', p], ['hPrevStride', i], ['h', p],
      ['hStride', i], ['h2', p], ['h2Stride', i], ['act', i]],
    returns: 'void', split: 'none',
  },
  gruResetCandidateBackward: {
    params: [['rows', i], ['units', i], ['gates', p], ['gatesStride', i], ['hPrev', p], ['hPrevStride', i], ['dh', p],
      ['dy', p], ['dyStride', i], ['last', i], ['act', i], ['recAct', i]],
    returns: 'void', split: 'none',
  },
  gruResetGatesBackward: {
    params: [['rows', i], ['units', i], ['gates', p], ['gatesStride', i], ['hPrev', p], ['hPrevStride', i], ['drh', p],
      ['dh', p], ['recAct', i]],
    returns: 'void', split: 'none',
  },
  fillRows: { params: [['rows', i], ['cols', i], ['dst', p], ['stride', i], ['value', f]], returns: 'void', split: 'none' },
} as const satisfies Record<string, KernelSpec>;

export type KernelTable = typeof KERNEL_TABLE;
export type KernelName = keyof KernelTable;
export const KERNEL_NAMES = Object.keys(KERNEL_TABLE) as KernelName[];

type Positional<P extends ParamList> = { -readonly [I in keyof P]: number };
type Returned<R> = R extends 'void' ? void : number;

/** The kernel module's exports, typed from the table: a wrong argument count fails to compile. */
export type KernelExports = {
  [K in KernelName]: (...args: Positional<KernelTable[K]['params']>) => Returned<KernelTable[K]['returns']>;
};

/** The parameter names of kernel K. */
export type ParamName<K extends KernelName> = KernelTable[K]['params'][number][0];
/** The type of kernel K's parameter N. */
export type ParamTypeOf<K extends KernelName, N extends ParamName<K>> = Extract<
  KernelTable[K]['params'][number],
  readonly [N, ParamType]
>[1];
