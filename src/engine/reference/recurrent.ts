// Reference kernels of one recurrent time step (src/kernels/recurrent.ts): LSTM and GRU gates,
// cell updates and their backward on strided rows, written from the equations in float64.

import type { KernelExports } from '../kernels.js';
import { activate, derivativeFromOutput } from './activation.js';
import { f32, i32, index, on, type MemoryViews } from './memory_views.js';

type Recurrent = Pick<
  KernelExports,
  | 'lstmForward'
  | 'lstmBackward'
  | 'gruForward'
  | 'gruBackward'
  | 'gruResetGates'
  | 'gruResetCandidate'
  | 'gruResetCandidateBackward'
  | 'gruResetGatesBackward'
  | 'fillRows'
>;

/** Float index of row r of a strided pointer, or -1 for the null pointer. */
const row = (p: number, r: number, stride: number): number => (on(p) ? index(p) + r * stride : -1);

/** Value k of a row from `row`, 0 for the null pointer's (absent states read as zeros). */
const valueOr0 = (F: Float32Array, p: number, k: number): number => (p >= 0 ? F[p + k]! : 0);

/** The gradient reaching a step's state: from the later step (unless it is the last) plus its output's. */
const incomingGrad = (F: Float32Array, fromFuture: boolean, DH: number, DY: number, j: number): number =>
  (fromFuture ? F[DH + j]! : 0) + valueOr0(F, DY, j);

/** Writes a step's new state into h and, when there is one, the second target h2. */
function storeState(F: Float32Array, H: number, H2: number, j: number, hv: number): void {
  F[H + j] = hv;
  if (H2 >= 0) F[H2 + j] = hv;
}

export function recurrentKernels(mem: MemoryViews): Recurrent {
  const d = (y: number, act: number) => derivativeFromOutput(y, act, 0);
  return {
    lstmForward(
      rows,
      units,
      gates,
      gatesStride,
      cPrev,
      cPrevStride,
      c,
      cStride,
      h,
      hStride,
      h2,
      h2Stride,
      act,
      recAct,
    ) {
      const F = mem.f32,
        u = i32(units);
      const a = (x: number, code: number) => activate(x, i32(code), 0);
      for (let r = 0; r < i32(rows); r++) {
        const G = row(gates, r, i32(gatesStride)),
          CP = row(cPrev, r, i32(cPrevStride)),
          C = row(c, r, i32(cStride)),
          H = row(h, r, i32(hStride)),
          H2 = row(h2, r, i32(h2Stride));
        for (let j = 0; j < u; j++) {
          const ig = a(F[G + j]!, recAct),
            fg = a(F[G + u + j]!, recAct),
            cc = a(F[G + 2 * u + j]!, act),
            og = a(F[G + 3 * u + j]!, recAct);
          const cv = fg * valueOr0(F, CP, j) + ig * cc;
          const hv = og * a(f32(cv), act);
          F[G + j] = ig;
          F[G + u + j] = fg;
          F[G + 2 * u + j] = cc;
          F[G + 3 * u + j] = og;
          F[C + j] = cv;
          storeState(F, H, H2, j, hv);
        }
      }
    },

    lstmBackward(
      rows,
      units,
      gates,
      gatesStride,
      cPrev,
      cPrevStride,
      c,
      cStride,
      dh,
      dy,
      dyStride,
      dc,
      last,
      act,
      recAct,
    ) {
      const F = mem.f32,
        u = i32(units),
        fromFuture = !on(last);
      for (let r = 0; r < i32(rows); r++) {
        const G = row(gates, r, i32(gatesStride)),
          CP = row(cPrev, r, i32(cPrevStride)),
          C = row(c, r, i32(cStride)),
          DY = row(dy, r, i32(dyStride)),
          DH = row(dh, r, u),
          DC = row(dc, r, u);
        for (let j = 0; j < u; j++) {
          const dhv = incomingGrad(F, fromFuture, DH, DY, j);
          const ig = F[G + j]!,
            fg = F[G + u + j]!,
            cc = F[G + 2 * u + j]!,
            og = F[G + 3 * u + j]!;
          const tc = activate(F[C + j]!, i32(act), 0);
          const dcv = (fromFuture ? F[DC + j]! : 0) + dhv * og * d(tc, act);
          F[G + j] = dcv * cc * d(ig, recAct);
          F[G + u + j] = dcv * valueOr0(F, CP, j) * d(fg, recAct);
          F[G + 2 * u + j] = dcv * ig * d(cc, act);
          F[G + 3 * u + j] = dhv * tc * d(og, recAct);
          F[DC + j] = dcv * fg;
        }
      }
    },

    gruForward(
      rows,
      units,
      gates,
      gatesStride,
      rec,
      recStride,
      recBias,
      hPrev,
      hPrevStride,
      h,
      hStride,
      h2,
      h2Stride,
      act,
      recAct,
    ) {
      const F = mem.f32,
        u = i32(units);
      const a = (x: number, code: number) => activate(x, i32(code), 0);
      const B = row(recBias, 0, 0);
      for (let r = 0; r < i32(rows); r++) {
        const G = row(gates, r, i32(gatesStride)),
          R = row(rec, r, i32(recStride)),
          HP = row(hPrev, r, i32(hPrevStride)),
          H = row(h, r, i32(hStride)),
          H2 = row(h2, r, i32(h2Stride));
        const recPart = (k: number) => valueOr0(F, R, k) + valueOr0(F, B, k);
        for (let j = 0; j < u; j++) {
          const z = a(F[G + j]! + recPart(j), recAct),
            rg = a(F[G + u + j]! + recPart(u + j), recAct);
          const n = a(F[G + 2 * u + j]! + rg * recPart(2 * u + j), act);
          const hv = z * valueOr0(F, HP, j) + (1 - z) * n;
          F[G + j] = z;
          F[G + u + j] = rg;
          F[G + 2 * u + j] = n;
          storeState(F, H, H2, j, hv);
        }
      }
    },

    gruBackward(
      rows,
      units,
      gates,
      gatesStride,
      rec,
      recStride,
      recBias,
      hPrev,
      hPrevStride,
      dRec,
      dh,
      dy,
      dyStride,
      last,
      act,
      recAct,
    ) {
      const F = mem.f32,
        u = i32(units),
        fromFuture = !on(last);
      const B = row(recBias, 0, 0);
      for (let r = 0; r < i32(rows); r++) {
        const G = row(gates, r, i32(gatesStride)),
          R = row(rec, r, i32(recStride)),
          DR = row(dRec, r, i32(recStride)),
          HP = row(hPrev, r, i32(hPrevStride)),
          DY = row(dy, r, i32(dyStride)),
          DH = row(dh, r, u);
        for (let j = 0; j < u; j++) {
          const dhv = incomingGrad(F, fromFuture, DH, DY, j);
          const z = F[G + j]!,
            rg = F[G + u + j]!,
            n = F[G + 2 * u + j]!;
          const hh = valueOr0(F, R, 2 * u + j) + valueOr0(F, B, 2 * u + j);
          const dz = dhv * (valueOr0(F, HP, j) - n) * d(z, recAct);
          const dn = dhv * (1 - z) * d(n, act);
          const drg = dn * hh * d(rg, recAct);
          F[G + j] = dz;
          F[G + u + j] = drg;
          F[G + 2 * u + j] = dn;
          F[DR + j] = dz;
          F[DR + u + j] = drg;
          F[DR + 2 * u + j] = dn * rg;
          F[DH + j] = dhv * z;
        }
      }
    },

    gruResetGates(rows, units, gates, gatesStride, hPrev, hPrevStride, rh, rhStride, recAct) {
      const F = mem.f32,
        u = i32(units);
      for (let r = 0; r < i32(rows); r++) {
        const G = row(gates, r, i32(gatesStride)),
          HP = row(hPrev, r, i32(hPrevStride)),
          RH = row(rh, r, i32(rhStride));
        for (let j = 0; j < u; j++) {
          const z = activate(F[G + j]!, i32(recAct), 0),
            rg = activate(F[G + u + j]!, i32(recAct), 0);
          F[G + j] = z;
          F[G + u + j] = rg;
          F[RH + j] = HP >= 0 ? rg * F[HP + j]! : 0;
        }
      }
    },

    gruResetCandidate(rows, units, gates, gatesStride, hPrev, hPrevStride, h, hStride, h2, h2Stride, act) {
      const F = mem.f32,
        u = i32(units);
      for (let r = 0; r < i32(rows); r++) {
        const G = row(gates, r, i32(gatesStride)),
          HP = row(hPrev, r, i32(hPrevStride)),
          H = row(h, r, i32(hStride)),
          H2 = row(h2, r, i32(h2Stride));
        for (let j = 0; j < u; j++) {
          const z = F[G + j]!,
            n = activate(F[G + 2 * u + j]!, i32(act), 0);
          const hv = z * valueOr0(F, HP, j) + (1 - z) * n;
          F[G + 2 * u + j] = n;
          storeState(F, H, H2, j, hv);
        }
      }
    },

    gruResetCandidateBackward(
      rows,
      units,
      gates,
      gatesStride,
      hPrev,
      hPrevStride,
      dh,
      dy,
      dyStride,
      last,
      act,
      recAct,
    ) {
      const F = mem.f32,
        u = i32(units),
        fromFuture = !on(last);
      for (let r = 0; r < i32(rows); r++) {
        const G = row(gates, r, i32(gatesStride)),
          HP = row(hPrev, r, i32(hPrevStride)),
          DY = row(dy, r, i32(dyStride)),
          DH = row(dh, r, u);
        for (let j = 0; j < u; j++) {
          const dhv = incomingGrad(F, fromFuture, DH, DY, j);
          const z = F[G + j]!,
            n = F[G + 2 * u + j]!;
          F[G + j] = dhv * (valueOr0(F, HP, j) - n) * d(z, recAct);
          F[G + 2 * u + j] = dhv * (1 - z) * d(n, act);
          F[DH + j] = dhv * z;
        }
      }
    },

    gruResetGatesBackward(rows, units, gates, gatesStride, hPrev, hPrevStride, drh, dh, recAct) {
      const F = mem.f32,
        u = i32(units);
      for (let r = 0; r < i32(rows); r++) {
        const G = row(gates, r, i32(gatesStride)),
          HP = row(hPrev, r, i32(hPrevStride)),
          DR = row(drh, r, u),
          DH = row(dh, r, u);
        for (let j = 0; j < u; j++) {
          const rg = F[G + u + j]!;
          F[G + u + j] = F[DR + j]! * valueOr0(F, HP, j) * d(rg, recAct);
          F[DH + j] = F[DH + j]! + F[DR + j]! * rg;
        }
      }
    },

    fillRows(rows, cols, dst, stride, value) {
      const F = mem.f32;
      for (let r = 0; r < i32(rows); r++) {
        const D = row(dst, r, i32(stride));
        F.fill(f32(value), D, D + i32(cols));
      }
    },
  };
}
