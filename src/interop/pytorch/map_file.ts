// Reading hourglass.json (written by exportPytorch beside model.py) back: `hourglass import`
// compares its input shape with the model folder's, so a damaged or foreign file must be a
// HourglassError naming it, not a TypeError from a missing field.

import { HourglassError } from '../../engine/errors.js';
import type { PytorchMap } from './export.js';

const isShape = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && (d as number) >= 0);

export function parsePytorchMap(bytes: Uint8Array, file: string): PytorchMap {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new HourglassError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const m = v as Partial<PytorchMap> | null;
  if (typeof v !== 'object' || m === null || m.format !== 'hourglass-pytorch' || m.version !== 1)
    throw new HourglassError(`${file}: not a version-1 map of hourglass export --format pytorch`);
  if (!isShape(m.inputShape) || !isShape(m.outputShape) || !Array.isArray(m.tensors))
    throw new HourglassError(`${file}: its inputShape, outputShape or tensors are missing or damaged`);
  return m as PytorchMap;
}
