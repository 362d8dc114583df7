// The element-wise parts of one LSTM or GRU time step (src/layers/lstm.ts, gru.ts): gate
// activations, the cell update and their backward, on strided rows (one row per sample).
//
// The GEMMs around them (input projection for all steps, h U per step, dW/dU/dX) are the plain
// gemm kernel; these kernels only touch one step's slice of each buffer. Strides are in floats.
// Gate order in a row is Keras's: LSTM i, f, c, o; GRU z, r, h (each `units` wide).
// tanh and sigmoid (the defaults) run 4 units at a time; other activations run the scalar path.

import { activate, derivativeFromOutput, sigmoid, ACT_SIGMOID, ACT_TANH } from './activation';
import { sigmoidVec, vOne, vZero } from './simd_math';

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }
@inline function ld(p: usize, i: i32): f32 { return load<f32>(at(p, i)); }
@inline function st(p: usize, i: i32, v: f32): void { store<f32>(at(p, i), v); }
@inline function tanhScalar(x: f32): f32 { return <f32>Math.tanh(<f64>x); }
// tanh(x) = 2 sigmoid(2x) - 1: one exp per lane; absolute error ~1e-7, which is what f32 carries anyway.
@inline function tanhVec(x: v128): v128 {
  const one = vOne();
  const two = f32x4.add(one, one);
  return f32x4.sub(f32x4.mul(two, sigmoidVec(f32x4.mul(two, x))), one);
}
@inline function act1(x: f32, act: i32): f32 {
  if (act == ACT_TANH) return tanhScalar(x);
  if (act == ACT_SIGMOID) return sigmoid(x);
  return activate(x, act, 0);
}

/**
 * LSTM step forward. `gates` holds z = x W + b + h U for this step and is overwritten with the
 * activated gates (i, f, g, o), which backward needs. cPrev null is the zero initial state.
 * Writes c, and h into `h` and (when not null) `h2`.
 */
export function lstmForward(rows: i32, units: i32, gates: usize, gatesStride: i32, cPrev: usize, cPrevStride: i32,
  c: usize, cStride: i32, h: usize, hStride: i32, h2: usize, h2Stride: i32, act: i32, recAct: i32): void {
  const fast = act == ACT_TANH && recAct == ACT_SIGMOID;
  for (let r = 0; r < rows; r++) {
    const g = at(gates, r * gatesStride), cp = cPrev ? at(cPrev, r * cPrevStride) : 0;
    const cr = at(c, r * cStride), hr = at(h, r * hStride), h2r = h2 ? at(h2, r * h2Stride) : 0;
    let j = 0;
    if (fast) {
      for (; j + 4 <= units; j += 4) {
        const ig = sigmoidVec(v128.load(at(g, j))), fg = sigmoidVec(v128.load(at(g, units + j)));
        const cc = tanhVec(v128.load(at(g, 2 * units + j))), og = sigmoidVec(v128.load(at(g, 3 * units + j)));
        const prev = cp ? v128.load(at(cp, j)) : vZero();
        const cv = f32x4.add(f32x4.mul(fg, prev), f32x4.mul(ig, cc));
        const hv = f32x4.mul(og, tanhVec(cv));
        v128.store(at(g, j), ig); v128.store(at(g, units + j), fg);
        v128.store(at(g, 2 * units + j), cc); v128.store(at(g, 3 * units + j), og);
        v128.store(at(cr, j), cv); v128.store(at(hr, j), hv);
        if (h2r) v128.store(at(h2r, j), hv);
      }
    }
    for (; j < units; j++) {
      const ig = act1(ld(g, j), recAct), fg = act1(ld(g, units + j), recAct);
      const cc = act1(ld(g, 2 * units + j), act), og = act1(ld(g, 3 * units + j), recAct);
      const cv = fg * (cp ? ld(cp, j) : 0) + ig * cc;
      const hv = og * act1(cv, act);
      st(g, j, ig); st(g, units + j, fg); st(g, 2 * units + j, cc); st(g, 3 * units + j, og);
      st(cr, j, cv); st(hr, j, hv);
      if (h2r) st(h2r, j, hv);
    }
  }
}

/**
 * LSTM step backward. dh/dc hold the gradients flowing back from the later step (ignored at the
 * last processed step, `last`); dy (when not null) is this step's output gradient, added to dh.
 * Overwrites `gates` with the gradient at the pre-activations and dc with the gradient at c_{t-1}.
 */
export function lstmBackward(rows: i32, units: i32, gates: usize, gatesStride: i32, cPrev: usize, cPrevStride: i32,
  c: usize, cStride: i32, dh: usize, dy: usize, dyStride: i32, dc: usize, last: i32, act: i32, recAct: i32): void {
  const fast = act == ACT_TANH && recAct == ACT_SIGMOID;
  for (let r = 0; r < rows; r++) {
    const g = at(gates, r * gatesStride), cp = cPrev ? at(cPrev, r * cPrevStride) : 0;
    const cr = at(c, r * cStride), dyr = dy ? at(dy, r * dyStride) : 0;
    const dhr = at(dh, r * units), dcr = at(dc, r * units);
    let j = 0;
    if (fast) {
      const one = vOne();
      for (; j + 4 <= units; j += 4) {
        let dhv = last ? vZero() : v128.load(at(dhr, j));
        if (dyr) dhv = f32x4.add(dhv, v128.load(at(dyr, j)));
        let dcv = last ? vZero() : v128.load(at(dcr, j));
        const ig = v128.load(at(g, j)), fg = v128.load(at(g, units + j));
        const cc = v128.load(at(g, 2 * units + j)), og = v128.load(at(g, 3 * units + j));
        const tc = tanhVec(v128.load(at(cr, j)));
        const prev = cp ? v128.load(at(cp, j)) : vZero();
        dcv = f32x4.add(dcv, f32x4.mul(f32x4.mul(dhv, og), f32x4.sub(one, f32x4.mul(tc, tc))));
        const dOg = f32x4.mul(f32x4.mul(dhv, tc), f32x4.mul(og, f32x4.sub(one, og)));
        const dIg = f32x4.mul(f32x4.mul(dcv, cc), f32x4.mul(ig, f32x4.sub(one, ig)));
        const dFg = f32x4.mul(f32x4.mul(dcv, prev), f32x4.mul(fg, f32x4.sub(one, fg)));
        const dCc = f32x4.mul(f32x4.mul(dcv, ig), f32x4.sub(one, f32x4.mul(cc, cc)));
        v128.store(at(g, j), dIg); v128.store(at(g, units + j), dFg);
        v128.store(at(g, 2 * units + j), dCc); v128.store(at(g, 3 * units + j), dOg);
        v128.store(at(dcr, j), f32x4.mul(dcv, fg));
      }
    }
    for (; j < units; j++) {
      let dhv: f32 = last ? 0 : ld(dhr, j);
      if (dyr) dhv += ld(dyr, j);
      let dcv: f32 = last ? 0 : ld(dcr, j);
      const ig = ld(g, j), fg = ld(g, units + j), cc = ld(g, 2 * units + j), og = ld(g, 3 * units + j);
      const tc = act1(ld(cr, j), act);
      dcv += dhv * og * derivativeFromOutput(tc, act, 0);
      st(g, j, dcv * cc * derivativeFromOutput(ig, recAct, 0));
      st(g, units + j, dcv * (cp ? ld(cp, j) : 0) * derivativeFromOutput(fg, recAct, 0));
      st(g, 2 * units + j, dcv * ig * derivativeFromOutput(cc, act, 0));
      st(g, 3 * units + j, dhv * tc * derivativeFromOutput(og, recAct, 0));
      st(dcr, j, dcv * fg);
    }
  }
}

/**
 * GRU step forward (Keras reset_after=True, PyTorch's GRU). `gates` holds x W + b_input for this
 * step (z, r, h parts) and is overwritten with z, r and the candidate n; rec holds h_{t-1} U
 * (null at the first step: zeros), recBias the recurrent bias (null without biases).
 * h = z h_{t-1} + (1 - z) n, with n = act(x_h + r (h_{t-1} U_h + b_rec_h)).
 */
export function gruForward(rows: i32, units: i32, gates: usize, gatesStride: i32, rec: usize, recStride: i32,
  recBias: usize, hPrev: usize, hPrevStride: i32, h: usize, hStride: i32, h2: usize, h2Stride: i32, act: i32,
  recAct: i32): void {
  const fast = act == ACT_TANH && recAct == ACT_SIGMOID;
  for (let r = 0; r < rows; r++) {
    const g = at(gates, r * gatesStride), rr = rec ? at(rec, r * recStride) : 0;
    const hp = hPrev ? at(hPrev, r * hPrevStride) : 0;
    const hr = at(h, r * hStride), h2r = h2 ? at(h2, r * h2Stride) : 0;
    let j = 0;
    if (fast) {
      const one = vOne();
      for (; j + 4 <= units; j += 4) {
        let az = v128.load(at(g, j)), ar = v128.load(at(g, units + j));
        let hh = recBias ? v128.load(at(recBias, 2 * units + j)) : vZero();
        if (recBias) { az = f32x4.add(az, v128.load(at(recBias, j))); ar = f32x4.add(ar, v128.load(at(recBias, units + j))); }
        if (rr) {
          az = f32x4.add(az, v128.load(at(rr, j))); ar = f32x4.add(ar, v128.load(at(rr, units + j)));
          hh = f32x4.add(hh, v128.load(at(rr, 2 * units + j)));
        }
        const z = sigmoidVec(az), rg = sigmoidVec(ar);
        const n = tanhVec(f32x4.add(v128.load(at(g, 2 * units + j)), f32x4.mul(rg, hh)));
        const prev = hp ? v128.load(at(hp, j)) : vZero();
        const hv = f32x4.add(f32x4.mul(z, prev), f32x4.mul(f32x4.sub(one, z), n));
        v128.store(at(g, j), z); v128.store(at(g, units + j), rg); v128.store(at(g, 2 * units + j), n);
        v128.store(at(hr, j), hv);
        if (h2r) v128.store(at(h2r, j), hv);
      }
    }
    for (; j < units; j++) {
      let az = ld(g, j), ar = ld(g, units + j);
      let hh: f32 = recBias ? ld(recBias, 2 * units + j) : 0;
      if (recBias) { az += ld(recBias, j); ar += ld(recBias, units + j); }
      if (rr) { az += ld(rr, j); ar += ld(rr, units + j); hh += ld(rr, 2 * units + j); }
      const z = act1(az, recAct), rg = act1(ar, recAct);
      const n = act1(ld(g, 2 * units + j) + rg * hh, act);
      const hv = z * (hp ? ld(hp, j) : 0) + (1 - z) * n;
      st(g, j, z); st(g, units + j, rg); st(g, 2 * units + j, n);
      st(hr, j, hv);
      if (h2r) st(h2r, j, hv);
    }
  }
}

/**
 * GRU step backward. Overwrites `gates` with the gradient at the input pre-activations
 * (z, r, h parts) and writes the gradient at h_{t-1} U + b_rec into dRec (which may be rec
 * itself: each value is read before it is written). dh (read unless `last`, plus dy when not
 * null) becomes the direct part of the gradient at h_{t-1}, dh z; the caller adds dRec U^T.
 */
export function gruBackward(rows: i32, units: i32, gates: usize, gatesStride: i32, rec: usize, recStride: i32,
  recBias: usize, hPrev: usize, hPrevStride: i32, dRec: usize, dh: usize, dy: usize, dyStride: i32, last: i32,
  act: i32, recAct: i32): void {
  const fast = act == ACT_TANH && recAct == ACT_SIGMOID;
  for (let r = 0; r < rows; r++) {
    const g = at(gates, r * gatesStride), rr = rec ? at(rec, r * recStride) : 0, dr = at(dRec, r * recStride);
    const hp = hPrev ? at(hPrev, r * hPrevStride) : 0;
    const dyr = dy ? at(dy, r * dyStride) : 0, dhr = at(dh, r * units);
    let j = 0;
    if (fast) {
      const one = vOne();
      for (; j + 4 <= units; j += 4) {
        let dhv = last ? vZero() : v128.load(at(dhr, j));
        if (dyr) dhv = f32x4.add(dhv, v128.load(at(dyr, j)));
        const z = v128.load(at(g, j)), rg = v128.load(at(g, units + j)), n = v128.load(at(g, 2 * units + j));
        let hh = recBias ? v128.load(at(recBias, 2 * units + j)) : vZero();
        if (rr) hh = f32x4.add(hh, v128.load(at(rr, 2 * units + j)));
        const prev = hp ? v128.load(at(hp, j)) : vZero();
        const dz = f32x4.mul(f32x4.mul(dhv, f32x4.sub(prev, n)), f32x4.mul(z, f32x4.sub(one, z)));
        const dn = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
        const drg = f32x4.mul(f32x4.mul(dn, hh), f32x4.mul(rg, f32x4.sub(one, rg)));
        v128.store(at(g, j), dz); v128.store(at(g, units + j), drg); v128.store(at(g, 2 * units + j), dn);
        v128.store(at(dr, j), dz); v128.store(at(dr, units + j), drg); v128.store(at(dr, 2 * units + j), f32x4.mul(dn, rg));
        v128.store(at(dhr, j), f32x4.mul(dhv, z));
      }
    }
    for (; j < units; j++) {
      let dhv: f32 = last ? 0 : ld(dhr, j);
      if (dyr) dhv += ld(dyr, j);
      const z = ld(g, j), rg = ld(g, units + j), n = ld(g, 2 * units + j);
      let hh: f32 = recBias ? ld(recBias, 2 * units + j) : 0;
      if (rr) hh += ld(rr, 2 * units + j);
      const dz = dhv * ((hp ? ld(hp, j) : 0) - n) * derivativeFromOutput(z, recAct, 0);
      const dn = dhv * (1 - z) * derivativeFromOutput(n, act, 0);
      const drg = dn * hh * derivativeFromOutput(rg, recAct, 0);
      st(g, j, dz); st(g, units + j, drg); st(g, 2 * units + j, dn);
      st(dr, j, dz); st(dr, units + j, drg); st(dr, 2 * units + j, dn * rg);
      st(dhr, j, dhv * z);
    }
  }
}

/** Sets `cols` floats of each of `rows` rows (stride in floats) to value: one step's slice of a buffer. */
export function fillRows(rows: i32, cols: i32, dst: usize, stride: i32, value: f32): void {
  for (let r = 0; r < rows; r++) {
    const d = at(dst, r * stride);
    for (let j = 0; j < cols; j++) st(d, j, value);
  }
}

// GRU with the reset gate before the recurrent product (Keras reset_after=False):
// n = act(x_h + (r h_{t-1}) U_h), so a step is GEMM (z, r parts), gruResetGates, GEMM (h part on
// r h_{t-1}), gruResetCandidate; backward mirrors it with the two GEMMs in between.

/** z, r = recAct(gates z, r parts) in place; rh = r h_{t-1} (zeros when hPrev is null). */
export function gruResetGates(rows: i32, units: i32, gates: usize, gatesStride: i32, hPrev: usize, hPrevStride: i32,
  rh: usize, rhStride: i32, recAct: i32): void {
  for (let r = 0; r < rows; r++) {
    const g = at(gates, r * gatesStride), hp = hPrev ? at(hPrev, r * hPrevStride) : 0, o = at(rh, r * rhStride);
    let j = 0;
    if (recAct == ACT_SIGMOID) {
      for (; j + 4 <= units; j += 4) {
        const z = sigmoidVec(v128.load(at(g, j))), rg = sigmoidVec(v128.load(at(g, units + j)));
        v128.store(at(g, j), z); v128.store(at(g, units + j), rg);
        v128.store(at(o, j), hp ? f32x4.mul(rg, v128.load(at(hp, j))) : vZero());
      }
    }
    for (; j < units; j++) {
      const z = act1(ld(g, j), recAct), rg = act1(ld(g, units + j), recAct);
      st(g, j, z); st(g, units + j, rg);
      st(o, j, hp ? rg * ld(hp, j) : 0);
    }
  }
}

/** n = act(gates h part) in place; h = z h_{t-1} + (1 - z) n into h and (when not null) h2. */
export function gruResetCandidate(rows: i32, units: i32, gates: usize, gatesStride: i32, hPrev: usize, hPrevStride: i32,
  h: usize, hStride: i32, h2: usize, h2Stride: i32, act: i32): void {
  for (let r = 0; r < rows; r++) {
    const g = at(gates, r * gatesStride), hp = hPrev ? at(hPrev, r * hPrevStride) : 0;
    const hr = at(h, r * hStride), h2r = h2 ? at(h2, r * h2Stride) : 0;
    let j = 0;
    if (act == ACT_TANH) {
      const one = vOne();
      for (; j + 4 <= units; j += 4) {
        const z = v128.load(at(g, j)), n = tanhVec(v128.load(at(g, 2 * units + j)));
        const prev = hp ? v128.load(at(hp, j)) : vZero();
        const hv = f32x4.add(f32x4.mul(z, prev), f32x4.mul(f32x4.sub(one, z), n));
        v128.store(at(g, 2 * units + j), n); v128.store(at(hr, j), hv);
        if (h2r) v128.store(at(h2r, j), hv);
      }
    }
    for (; j < units; j++) {
      const z = ld(g, j), n = act1(ld(g, 2 * units + j), act);
      const hv = z * (hp ? ld(hp, j) : 0) + (1 - z) * n;
      st(g, 2 * units + j, n); st(hr, j, hv);
      if (h2r) st(h2r, j, hv);
    }
  }
}

/**
 * Backward of gruResetCandidate: dh (read unless `last`, plus dy when not null) gives the
 * gradients at the z and h pre-activations (written over z and n) and becomes dh z, the direct
 * part of the gradient at h_{t-1}.
 */
export function gruResetCandidateBackward(rows: i32, units: i32, gates: usize, gatesStride: i32, hPrev: usize,
  hPrevStride: i32, dh: usize, dy: usize, dyStride: i32, last: i32, act: i32, recAct: i32): void {
  const fast = act == ACT_TANH && recAct == ACT_SIGMOID;
  for (let r = 0; r < rows; r++) {
    const g = at(gates, r * gatesStride), hp = hPrev ? at(hPrev, r * hPrevStride) : 0;
    const dyr = dy ? at(dy, r * dyStride) : 0, dhr = at(dh, r * units);
    let j = 0;
    if (fast) {
      const one = vOne();
      for (; j + 4 <= units; j += 4) {
        let dhv = last ? vZero() : v128.load(at(dhr, j));
        if (dyr) dhv = f32x4.add(dhv, v128.load(at(dyr, j)));
        const z = v128.load(at(g, j)), n = v128.load(at(g, 2 * units + j));
        const prev = hp ? v128.load(at(hp, j)) : vZero();
        v128.store(at(g, j), f32x4.mul(f32x4.mul(dhv, f32x4.sub(prev, n)), f32x4.mul(z, f32x4.sub(one, z))));
        v128.store(at(g, 2 * units + j), f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n))));
        v128.store(at(dhr, j), f32x4.mul(dhv, z));
      }
    }
    for (; j < units; j++) {
      let dhv: f32 = last ? 0 : ld(dhr, j);
      if (dyr) dhv += ld(dyr, j);
      const z = ld(g, j), n = ld(g, 2 * units + j);
      st(g, j, dhv * ((hp ? ld(hp, j) : 0) - n) * derivativeFromOutput(z, recAct, 0));
      st(g, 2 * units + j, dhv * (1 - z) * derivativeFromOutput(n, act, 0));
      st(dhr, j, dhv * z);
    }
  }
}

/**
 * Backward of gruResetGates, given drh (the gradient at r h_{t-1}, [rows, units]): writes the
 * gradient at the r pre-activation over r and adds drh r to dh.
 */
export function gruResetGatesBackward(rows: i32, units: i32, gates: usize, gatesStride: i32, hPrev: usize,
  hPrevStride: i32, drh: usize, dh: usize, recAct: i32): void {
  for (let r = 0; r < rows; r++) {
    const g = at(gates, r * gatesStride), hp = hPrev ? at(hPrev, r * hPrevStride) : 0;
    const dr = at(drh, r * units), dhr = at(dh, r * units);
    let j = 0;
    if (recAct == ACT_SIGMOID) {
      const one = vOne();
      for (; j + 4 <= units; j += 4) {
        const rg = v128.load(at(g, units + j)), d = v128.load(at(dr, j));
        const prev = hp ? v128.load(at(hp, j)) : vZero();
        v128.store(at(g, units + j), f32x4.mul(f32x4.mul(d, prev), f32x4.mul(rg, f32x4.sub(one, rg))));
        v128.store(at(dhr, j), f32x4.add(v128.load(at(dhr, j)), f32x4.mul(d, rg)));
      }
    }
    for (; j < units; j++) {
      const rg = ld(g, units + j), d = ld(dr, j);
      st(g, units + j, d * (hp ? ld(hp, j) : 0) * derivativeFromOutput(rg, recAct, 0));
      st(dhr, j, ld(dhr, j) + d * rg);
    }
  }
}
