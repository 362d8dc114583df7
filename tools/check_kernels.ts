// Build step: the kernel table (src/engine/kernel_table.ts) must match the AssemblyScript exports
// exactly (names, parameter order, names and types, return types); any difference fails the build.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNEL_TABLE, type KernelSpec, type ParamType } from '../src/engine/kernel_table.js';

// The AssemblyScript sources to check (a test passes a mutated copy).
const kernelsDir = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'kernels');

const AS_TYPES: Record<string, ParamType> = { i32: 'i32', u32: 'i32', usize: 'ptr', f32: 'f32' };
const AS_RETURNS: Record<string, KernelSpec['returns']> = { void: 'void', i32: 'i32', f64: 'f64' };

interface Signature {
  params: [string, string][];
  returns: string;
}

/** Every `export function` of one AssemblyScript file, signatures possibly spanning lines. */
function signatures(file: string): Map<string, Signature> {
  const text = fs.readFileSync(path.join(kernelsDir, file), 'utf8');
  const out = new Map<string, Signature>();
  for (const m of text.matchAll(/export function (\w+)\(([^)]*)\)\s*:\s*(\w+)/g)) {
    const params = m[2]!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s): [string, string] => {
        const [name, type] = s.split(':').map((t) => t.trim());
        return [name!, type!];
      });
    out.set(m[1]!, { params, returns: m[3]! });
  }
  return out;
}

/** The functions src/kernels/index.ts exports, with their signatures. */
function exported(): Map<string, Signature> {
  const index = fs.readFileSync(path.join(kernelsDir, 'index.ts'), 'utf8');
  const all = new Map<string, Signature>();
  for (const m of index.matchAll(/export \{([^}]*)\} from '\.\/(\w+)'/g)) {
    const sigs = signatures(`${m[2]}.ts`);
    for (const name of m[1]!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const s = sigs.get(name);
      if (!s) throw new Error(`src/kernels/index.ts exports ${name} from ${m[2]}.ts, which has no such function`);
      all.set(name, s);
    }
  }
  for (const m of index.matchAll(/export \* from '\.\/(\w+)'/g))
    for (const [n, s] of signatures(`${m[1]}.ts`)) all.set(n, s);
  return all;
}

const problems: string[] = [];
const actual = exported();
const table: Record<string, KernelSpec> = KERNEL_TABLE;
for (const [name, spec] of Object.entries(table)) {
  const sig = actual.get(name);
  if (!sig) {
    problems.push(`${name}: in the kernel table but not exported by src/kernels`);
    continue;
  }
  if (AS_RETURNS[sig.returns] !== spec.returns)
    problems.push(`${name}: returns ${sig.returns} in src/kernels, table says ${spec.returns}`);
  if (sig.params.length !== spec.params.length) {
    problems.push(`${name}: ${sig.params.length} parameters in src/kernels, ${spec.params.length} in the table`);
    continue;
  }
  sig.params.forEach(([n, t], idx) => {
    const [tn, tt] = spec.params[idx]!;
    if (n !== tn || AS_TYPES[t] !== tt)
      problems.push(`${name}: parameter ${idx + 1} is ${n}: ${t} in src/kernels, ${tn}: ${tt} in the table`);
  });
}
for (const name of actual.keys())
  if (!(name in table)) problems.push(`${name}: exported by src/kernels but missing from the kernel table`);

if (problems.length) {
  console.error(`kernel table does not match src/kernels:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`kernel table matches src/kernels (${actual.size} kernels)`);
