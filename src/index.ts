// hourglass-ae for Node.js: loads the kernels, installs the Node adapters and exports the API.

import { initEngine } from './engine/kernels.js';
import { setProgressFactory } from './model/progress.js';
import { setFileStore } from './platform/files.js';
import { nodeFileStore, readWasm, terminalProgress } from './platform/node.js';

initEngine(readWasm());
setFileStore(nodeFileStore);
setProgressFactory(terminalProgress);

export * from './api.js';
