// Progress reporting for fit(): the model asks a factory for a reporter; the Node entry installs
// a terminal progress bar, the browser build can install its own (or none).

export interface ProgressReporter {
  epochBegin(epoch: number, epochs: number, steps: number): void;
  batchEnd(step: number, loss: number): void;
  epochEnd(logs: Record<string, number>, seconds: number): void;
  done(): void;
}

export type ProgressFactory = () => ProgressReporter | null;

let factory: ProgressFactory = () => null;

export function setProgressFactory(f: ProgressFactory): void { factory = f; }
export function createProgress(): ProgressReporter | null { return factory(); }
