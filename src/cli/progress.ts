// A progress bar for command work that is not a training epoch (imputation rounds): on a terminal
// only, on standard error, so --json output stays clean.

import cliProgress from 'cli-progress';

export interface TaskProgress { update(value: number, detail: string): void; stop(): void }

export function taskProgress(label: string, total: number, enabled: boolean): TaskProgress {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    format: `${label} {bar} {value}/{total} · {detail} · ETA {eta_formatted}`,
    stream: process.stderr, hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { detail: '-' });
  return { update: (value, detail) => bar.update(value, { detail }), stop: () => bar.stop() };
}
