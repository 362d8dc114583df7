// The reference executor's kernels: plain-TypeScript twins of every export of build/kernels.wasm,
// same signatures and semantics, working on the same WebAssembly.Memory (pointers are byte offsets).

import type { KernelExports } from '../kernels.js';
import { batchNormKernels } from './batchnorm.js';
import { convKernels } from './conv.js';
import { convDirectKernels } from './conv_direct.js';
import { elementwiseKernels } from './elementwise.js';
import { gemmKernels } from './gemm.js';
import { lossKernels } from './losses.js';
import { MemoryViews } from './memory_views.js';
import { optimizerKernels } from './optimizers.js';
import { poolingKernels } from './pooling.js';
import { recurrentKernels } from './recurrent.js';
import { reductionKernels } from './reductions.js';
import { resamplingKernels } from './resampling.js';

/**
 * Kernels computing what the AS kernels compute, in float64 where they accumulate (an oracle, not
 * a bit-exact twin). gemm ignores its packing scratch; everything else reads and writes exactly
 * the memory the AS kernel does.
 */
export function createReferenceKernels(memory: WebAssembly.Memory): KernelExports {
  const mem = new MemoryViews(memory);
  return {
    ...gemmKernels(mem),
    ...elementwiseKernels(mem),
    ...reductionKernels(mem),
    ...lossKernels(mem),
    ...optimizerKernels(mem),
    ...batchNormKernels(mem),
    ...convKernels(mem),
    ...convDirectKernels(mem),
    ...poolingKernels(mem),
    ...resamplingKernels(mem),
    ...recurrentKernels(mem),
  };
}

export { MemoryViews } from './memory_views.js';
