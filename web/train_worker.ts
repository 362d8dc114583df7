// The playground's training worker (a module Web Worker): trains what the page sends through
// trainInWorker() and posts progress and the trained model back.

import { serveTraining } from '../src/browser.js';

serveTraining();
