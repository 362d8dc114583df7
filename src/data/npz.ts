// NumPy .npz archives: a zip of .npy files, one per array (arr_0, arr_1, ... from np.savez, or the
// names given to it). An array is chosen by name (`file.npz:codes`); without a name the archive
// must hold exactly one array, so a guess never silently trains on the wrong one.

import { unzipSync } from 'fflate';
import { HourglassError } from '../engine/errors.js';
import { parseNpy, type NpyArray } from './npy_read.js';
import { zipDirectory } from './zip_directory.js';

/** Splits `file.npz:name` into the file and the array name. */
export function splitNpzSpec(spec: string): { file: string; name?: string } {
  const m = /^(.*\.npz):([^:/\\]+)$/i.exec(spec);
  return m ? { file: m[1]!, name: m[2]! } : { file: spec };
}

export function npzArrayNames(bytes: Uint8Array, file: string): string[] {
  return Object.keys(unzipNpz(bytes, file, () => false)).map((k) => k.replace(/\.npy$/, ''));
}

function unzipNpz(bytes: Uint8Array, file: string, want: (name: string) => boolean): Record<string, Uint8Array> {
  const names: string[] = [];
  let out: Record<string, Uint8Array>;
  // Sizes checked before fflate allocates what a damaged header claims.
  try {
    zipDirectory(bytes, 'it');
  } catch (e) {
    throw new HourglassError(`${file} is not a valid .npz file: ${(e as Error).message.replace(/^it: /, '')}`);
  }
  try {
    out = unzipSync(bytes, {
      filter: (f) => {
        names.push(f.name);
        return want(f.name.replace(/\.npy$/, ''));
      },
    });
  } catch (e) {
    throw new HourglassError(`${file} is not a valid .npz file: ${(e as Error).message}`);
  }
  // The filter saw every entry: keep the names even where the data was not unpacked.
  return Object.fromEntries(names.map((n) => [n, out[n] ?? new Uint8Array(0)]));
}

export function parseNpz(bytes: Uint8Array, file: string, name?: string): NpyArray & { name: string } {
  const names = npzArrayNames(bytes, file);
  if (names.length === 0) throw new HourglassError(`${file} holds no arrays`);
  const list = names.map((n) => `'${n}'`).join(', ');
  const chosen = name ?? (names.length === 1 ? names[0]! : undefined);
  if (chosen === undefined)
    throw new HourglassError(`${file} holds several arrays (${list}): choose one as ${file}:${names[0]}`);
  if (!names.includes(chosen)) throw new HourglassError(`${file} has no array '${chosen}' (it holds ${list})`);
  // The entry may be named with or without .npy (np.savez adds it; other writers may not).
  const unpacked = unzipNpz(bytes, file, (n) => n === chosen);
  const entry = unpacked[`${chosen}.npy`] ?? unpacked[chosen];
  if (!entry) throw new HourglassError(`${file}: array '${chosen}' could not be unpacked`);
  return { ...parseNpy(entry, `${file}:${chosen}`), name: chosen };
}
