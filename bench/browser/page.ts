// The bench page: Hourglass (its browser entry, from source) and TensorFlow.js in one page, on
// the runner's data and initial weights (fetched from the same server), trained the way the Node
// children train. The page's URL says how many threads; bench/systems/browser.ts drives it through
// window.bench.run(). The page is cross-origin isolated (threads) or not (one thread), as served.

import { getThreads, ready, setThreads, threadNote, usesFusedMultiplyAdd } from '../../src/browser.js';
import { threadsStarted } from '../../src/engine/threads.js';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { hourglassModel, trainHourglass } from '../hourglass_model.js';
import { tfjsModel, trainTfjs } from '../tfjs_model.js';
import { splitWeights } from '../weights.js';
import type { Workload } from '../workloads.js';

export type PageSystem = 'hourglass' | 'tfjs-wasm' | 'tfjs-cpu' | 'tfjs-webgl';

export interface PageResult {
  samples_per_s: number;
  final_loss: number;
  threads: number;
  note: string | null;
}

export interface BenchPage {
  /** Trains `system` on the workload; an error (e.g. a kernel a backend lacks) rejects with its message. */
  run(system: PageSystem, w: Workload): Promise<PageResult>;
  isolated: boolean;
}

const threads = Number(new URLSearchParams(location.search).get('threads') ?? '1');

async function floats(url: string): Promise<Float32Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Float32Array(await r.arrayBuffer());
}

await ready();
setThreads(threads);
// Let the kernel workers start before the warm-up epoch (as the Node child waits for them).
for (const t0 = Date.now(); !threadsStarted() && Date.now() - t0 < 5000;) await new Promise((r) => setTimeout(r, 5));
// tfjs's wasm backend reads its thread count once, when it starts: this page's count.
setWasmPaths('./');
setThreadsCount(threads);
const [data, weights] = await Promise.all([floats('./data.f32'), floats('./weights.f32')]);

async function run(system: PageSystem, w: Workload): Promise<PageResult> {
  const rows = data.subarray(0, w.batch * w.steps * 784);
  if (system === 'hourglass') {
    const r = await trainHourglass(hourglassModel(w, splitWeights(weights, w)), w, rows);
    const notes = [threadNote(), usesFusedMultiplyAdd() ? 'fused multiply-add kernels (relaxed SIMD)' : null];
    return {
      samples_per_s: r.samplesPerSecond,
      final_loss: r.finalLoss,
      threads: getThreads(),
      note: notes.filter((n) => n !== null).join('; ') || null,
    };
  }
  const backend = system.slice('tfjs-'.length);
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not start its ${backend} backend in this page`);
  await tf.ready();
  const m = tfjsModel(w, splitWeights(weights, w));
  try {
    const r = await trainTfjs(m, w, rows);
    const wasmThreads = backend === 'wasm' && crossOriginIsolated ? threads : 1;
    return {
      samples_per_s: r.samplesPerSecond,
      final_loss: r.finalLoss,
      threads: wasmThreads,
      note: backend === 'webgl' ? webglRenderer() : null,
    };
  } finally {
    m.dispose();
  }
}

/** Which GPU WebGL ran on (SwiftShader, the CPU rasterizer, where there is no GPU). */
function webglRenderer(): string | null {
  const gl = document.createElement('canvas').getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null;
}

(window as unknown as { bench: BenchPage }).bench = { run, isolated: crossOriginIsolated };
