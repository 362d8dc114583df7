// A kernel worker in a page (a module Web Worker): instantiates the kernels over the page's
// shared memory and runs the worker loop. Bundled into one script at build time
// (tools/build_worker.ts writes src/platform/kernel_worker_source.ts), loaded from a blob URL.

import { checkExports } from '../engine/kernels.js';
import type { WorkerInit } from '../engine/threads.js';
import { runWorkerLoop } from '../engine/worker_loop.js';

addEventListener(
  'message',
  (event: MessageEvent<WorkerInit>) => {
    const init = event.data;
    const instance = new WebAssembly.Instance(init.module, {
      env: {
        memory: init.memory,
        abort: () => {
          throw new Error('kernel abort in worker');
        },
        seed: () => 0,
      },
    });
    runWorkerLoop(checkExports(instance.exports), init.memory, new Int32Array(init.control));
  },
  { once: true },
);
