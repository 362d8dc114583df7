// A progress bar for command work that is not a training epoch (imputation rounds), through the
// platform's task progress (a terminal bar on standard error, so --json output stays clean).

import { createTaskProgress } from '../model/progress.js';

export interface TaskProgress {
  update(value: number, detail: string): void;
  stop(): void;
}

export function taskProgress(label: string, total: number, enabled: boolean): TaskProgress {
  const bar = enabled ? createTaskProgress(label, total) : null;
  return { update: (value, detail) => bar?.update(value, detail), stop: () => bar?.done() };
}
