// A plan printed for people: each phase's operations in order, with their kernel, the split
// across threads, sizes (B is the batch size), buffers by label, and the fused epilogue.

import { KERNEL_TABLE } from '../engine/kernel_table.js';
import type { Op, Pointer, Scalar } from '../engine/operation.js';
import { activationName } from '../layers/activations.js';
import { LossKernel } from '../engine/worker_loop.js';
import type { Plan, PlanPhases } from './plan.js';

const scalarText = (s: Scalar): string =>
  typeof s === 'number'
    ? String(Number(s.toPrecision(6)))
    : 'perSample' in s
      ? s.perSample === 1
        ? 'B'
        : `${s.perSample}·B`
      : 'overBatch' in s
        ? `${s.overBatch}/B`
        : s.label;

const pointerText = (p: Pointer): string => {
  if (p === null) return '-';
  if ('ptr' in p) return p.label || `@${p.ptr}`;
  const off = p.offset ? `+${p.offset}` : '';
  return `${p.buf.label || `@${p.buf.ptr}`}${off}`;
};

// Arguments that only carry scratch space or are filled in by the executor.
const HIDDEN = new Set(['scratchA', 'scratchB', 'r0', 'r1']);

function opText(op: Op): string {
  const term = op.lossTerm ? '  (+loss)' : '';
  if (op.kind === 'host') return `host ${op.name}${term}`;
  if (op.kind === 'loss') {
    const grad = op.grad ? ` grad=${op.grad.label}` : '';
    return `loss ${LossKernel[op.loss]} n=${scalarText(op.n)}${op.z ? ` z=${op.z.label}` : ''} y=${op.y.label} t=${op.t.label}${grad}${term}`;
  }
  const spec = KERNEL_TABLE[op.kernel];
  const args: Record<string, Scalar | Pointer> = op.args;
  const parts = spec.params
    .filter(([n]) => !HIDDEN.has(n))
    .map(([n, t]) => {
      const v = args[n]!;
      if (t === 'ptr') return `${n}=${pointerText(v as Pointer)}`;
      if ((n === 'act' || n === 'recAct') && typeof v === 'number') return `${n}=${activationName(v) ?? v}`;
      return `${n}=${scalarText(v as Scalar)}`;
    });
  const split = spec.split === 'none' ? '' : ` [split: ${spec.split}]`;
  return `${op.kernel}(${parts.join(' ')})${split}${term}`;
}

export function formatPlan(plan: Plan): string {
  const lines = [`Plan (${plan.mode}, batches up to ${plan.maxBatch}, executor ${plan.executor.name}):`];
  for (const phase of ['forward', 'loss', 'backward', 'update'] as (keyof PlanPhases)[]) {
    const ops = plan.phases[phase];
    if (!ops.length) continue;
    lines.push(`  ${phase}:`);
    ops.forEach((op, i) => lines.push(`    ${String(i + 1).padStart(3)}. ${opText(op)}`));
  }
  return lines.join('\n');
}
