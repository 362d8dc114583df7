// Flag value parsers: each rejects a bad value with a message naming the flag.

import { InvalidArgumentError } from 'commander';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  return n;
}

export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n < 1))
    throw new InvalidArgumentError(`expected a number between 0 and 1, got '${value}'`);
  return n;
}

export function intList(value: string): number[] {
  if (value.trim() === '') return [];
  return value.split(',').map((s) => {
    try {
      return positiveInt(s);
    } catch {
      throw new InvalidArgumentError(`expected comma-separated positive integers such as 128,64, got '${value}'`);
    }
  });
}

export function choice<T extends string>(options: readonly T[]) {
  return (value: string): T => {
    if (!(options as readonly string[]).includes(value))
      throw new InvalidArgumentError(`expected one of ${options.join(', ')}, got '${value}'`);
    return value as T;
  };
}

export function imageSize(value: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(value.trim());
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0)
    throw new InvalidArgumentError(`expected HEIGHTxWIDTH such as 28x28, got '${value}'`);
  return [Number(m[1]), Number(m[2])];
}

/** Any finite number (e.g. a detector's threshold, which may be below 0). */
export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got '${value}'`);
  return n;
}
