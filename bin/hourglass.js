#!/usr/bin/env node
// The `hourglass` command: runs the compiled CLI from dist/.
import v8 from 'node:v8';

// The GEMM has a fused multiply-add build (relaxed SIMD, 10-20% faster). Node 20 keeps relaxed
// SIMD behind a V8 flag; the library's Node entry turns it on too (src/platform/node.ts
// enableRelaxedSimd), this only does it first. HOURGLASS_FMA=0 keeps the plain build.
const { relaxedSimdSupported } = await import('../dist/engine/kernels.js');
if (!relaxedSimdSupported() && process.env['HOURGLASS_FMA'] !== '0')
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const { main } = await import('../dist/cli/main.js');

await main(process.argv);
