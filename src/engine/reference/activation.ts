// Activation functions and their derivatives for the reference kernels, in float64, with the
// codes and conventions of src/kernels/activation.ts (derivatives from the output, GELU's from its input).

import { ActivationCode } from '../activation_codes.js';
import { activateRef, erf } from '../reference.js';

/**
 * f(x) for an activation code. Codes outside 1..7 are the identity (the AS kernels' `default`).
 * NaN propagates for every code, as the SIMD paths do (their ReLU is a pmax that keeps NaN).
 */
export function activate(x: number, act: number, alpha: number): number {
  if (act < ActivationCode.Relu || act > ActivationCode.Gelu || x !== x) return x;
  return activateRef(x, act, alpha);
}

/** f'(z) expressed through y = f(z), for every code but GELU (whose caller passes z instead). */
export function derivativeFromOutput(y: number, act: number, alpha: number): number {
  switch (act) {
    case ActivationCode.Relu:
      return y > 0 ? 1 : 0;
    case ActivationCode.LeakyRelu:
      return y > 0 ? 1 : alpha;
    case ActivationCode.Elu:
      return y > 0 ? 1 : y + alpha;
    case ActivationCode.Sigmoid:
      return y * (1 - y);
    case ActivationCode.Tanh:
      return 1 - y * y;
    case ActivationCode.Softplus:
      return -Math.expm1(-y);
    default:
      return 1;
  }
}

/** GELU'(z) = Phi(z) + z phi(z). */
export function geluDerivative(z: number): number {
  const cdf = 0.5 * (1 + erf(z * Math.SQRT1_2));
  const pdf = Math.exp(-0.5 * z * z) * 0.3989422804014327;
  return cdf + z * pdf;
}

/** The derivative activationBackward multiplies dy by: from z for GELU, from y otherwise. */
export function backwardFactor(v: number, act: number, alpha: number): number {
  return act === ActivationCode.Gelu ? geluDerivative(v) : derivativeFromOutput(v, act, alpha);
}
