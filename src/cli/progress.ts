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

/**
 * The detectors' progress while they train their member autoencoders one after another, on
 * standard error (none with --quiet or --json): `options` goes into fit, `end` closes the line.
 */
export function memberProgress(o: { quiet?: boolean; json?: boolean }): {
  options: { onProgress?: (done: number, total: number) => void };
  end(): void;
} {
  const shown = !o.quiet && !o.json;
  return {
    options: shown
      ? { onProgress: (done, total) => process.stderr.write(`\rtrained ${done} of ${total} autoencoders`) }
      : {},
    end: () => {
      if (shown) process.stderr.write('\n');
    },
  };
}
