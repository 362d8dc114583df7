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

export function setProgressFactory(f: ProgressFactory): void {
  factory = f;
}
export function createProgress(): ProgressReporter | null {
  return factory();
}

/** Progress of work that is not training (long predictions, imputation rounds). */
export interface TaskReporter {
  update(done: number, detail?: string): void;
  done(): void;
}
export type TaskProgressFactory = (label: string, total: number) => TaskReporter | null;

let taskFactory: TaskProgressFactory = () => null;

export function setTaskProgressFactory(f: TaskProgressFactory): void {
  taskFactory = f;
}
export function createTaskProgress(label: string, total: number): TaskReporter | null {
  return taskFactory(label, total);
}
