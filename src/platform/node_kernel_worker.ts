// A kernel worker thread (Node): instantiates the kernels over the shared memory and runs
// the worker loop until told to quit.

import { workerData } from 'node:worker_threads';
import { runWorkerLoop } from '../engine/worker_loop.js';
import { checkExports } from '../engine/kernels.js';
import type { WorkerInit } from '../engine/threads.js';

const init = workerData as WorkerInit;
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
