// Activation functions shared by the GEMM epilogue and the element-wise kernels.
// Codes come from src/engine/activation_codes.ts (shared with the layers); derivatives are taken from the output y where possible.

import { ActivationCode } from '../engine/activation_codes';

export const ACT_LINEAR: i32 = ActivationCode.Linear;
export const ACT_RELU: i32 = ActivationCode.Relu;
export const ACT_LEAKY_RELU: i32 = ActivationCode.LeakyRelu;
export const ACT_ELU: i32 = ActivationCode.Elu;
export const ACT_SIGMOID: i32 = ActivationCode.Sigmoid;
export const ACT_TANH: i32 = ActivationCode.Tanh;
export const ACT_SOFTPLUS: i32 = ActivationCode.Softplus;
export const ACT_GELU: i32 = ActivationCode.Gelu;

// Abramowitz & Stegun 7.1.26 is too coarse for GELU gradients; this is the
// Numerical Recipes erfc Chebyshev fit (relative error < 1.2e-7).
export function erf(x: f64): f64 {
  const z = Math.abs(x);
  const t = 1.0 / (1.0 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1.0 - r : r - 1.0;
}

@inline export function sigmoid(x: f32): f32 {
  // Branch on sign so exp never overflows.
  if (x >= 0) { const e = Mathf.exp(-x); return 1.0 / (1.0 + e); }
  const e = Mathf.exp(x); return e / (1.0 + e);
}

export function softplus(x: f32): f32 {
  return max<f32>(x, 0) + Mathf.log1p(Mathf.exp(-Mathf.abs(x)));
}

export function activate(x: f32, act: i32, alpha: f32): f32 {
  switch (act) {
    case ACT_RELU: return x > 0 ? x : 0;
    case ACT_LEAKY_RELU: return x > 0 ? x : alpha * x;
    case ACT_ELU: return x > 0 ? x : alpha * (Mathf.exp(x) - 1);
    case ACT_SIGMOID: return sigmoid(x);
    case ACT_TANH: return <f32>Math.tanh(<f64>x);
    case ACT_SOFTPLUS: return softplus(x);
    case ACT_GELU: return <f32>(0.5 * <f64>x * (1.0 + erf(<f64>x * 0.7071067811865476)));
    default: return x;
  }
}

/** f'(z) expressed through y = f(z); valid for every activation except GELU. */
export function derivativeFromOutput(y: f32, act: i32, alpha: f32): f32 {
  switch (act) {
    case ACT_RELU: return y > 0 ? 1 : 0;
    case ACT_LEAKY_RELU: return y > 0 ? 1 : alpha;
    case ACT_ELU: return y > 0 ? 1 : y + alpha;
    case ACT_SIGMOID: return y * (1 - y);
    case ACT_TANH: return 1 - y * y;
    case ACT_SOFTPLUS: return -Mathf.expm1(-y);
    default: return 1;
  }
}

export function geluDerivative(z: f32): f32 {
  const x = <f64>z;
  const cdf = 0.5 * (1.0 + erf(x * 0.7071067811865476));
  const pdf = Math.exp(-0.5 * x * x) * 0.3989422804014327;
  return <f32>(cdf + x * pdf);
}
