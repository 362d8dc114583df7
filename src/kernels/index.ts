// The kernel module's exports: everything JS calls lives in these files.
export { gemm, gemmScratchA, gemmScratchB } from './gemm';
export * from './elementwise';
export * from './loss';
export * from './optim';
export * from './batchnorm';
export * from './conv';
export * from './pooling';
export * from './conv_single';
export * from './conv_direct';
export * from './recurrent';
