// hourglass-ae for Node.js: loads the kernels, installs the Node adapters and exports the API.

import { initEngine } from './engine/kernels.js';
import { setProgressFactory } from './model/progress.js';
import { setFileStore } from './platform/files.js';
import { setThreads, setWorkerSpawner } from './engine/threads.js';
import { defaultThreads, nodeFileStore, nodeWorkerSpawner, readWasm, terminalProgress } from './platform/node.js';

initEngine(readWasm());
setFileStore(nodeFileStore);
setProgressFactory(terminalProgress);
setWorkerSpawner(nodeWorkerSpawner);
setThreads(defaultThreads());

export * from './api.js';
