// Activation names users write, and the codes the kernels understand (defined once, in
// src/engine/activation_codes.ts, which the AssemblyScript kernels import too).

import { ActivationCode } from '../engine/activation_codes.js';
import { HourglassError } from '../engine/errors.js';

export type ActivationName = 'linear' | 'relu' | 'leakyRelu' | 'elu' | 'sigmoid' | 'tanh' | 'softplus' | 'gelu';

/** A name, or a name with its slope/scale (leakyRelu's negative slope, elu's alpha). */
export type ActivationSpec = ActivationName | { name: ActivationName; alpha?: number };

const CODES: Record<ActivationName, ActivationCode> = {
  linear: ActivationCode.Linear,
  relu: ActivationCode.Relu,
  leakyRelu: ActivationCode.LeakyRelu,
  elu: ActivationCode.Elu,
  sigmoid: ActivationCode.Sigmoid,
  tanh: ActivationCode.Tanh,
  softplus: ActivationCode.Softplus,
  gelu: ActivationCode.Gelu,
};
// Keras 3 defaults: leaky_relu negative_slope 0.2, elu alpha 1.
const DEFAULT_ALPHA: Partial<Record<ActivationName, number>> = { leakyRelu: 0.2, elu: 1 };

export interface ResolvedActivation {
  name: ActivationName;
  code: ActivationCode;
  alpha: number;
}

/** The identity: what a kernel epilogue applies when the activation runs elsewhere. */
export const LINEAR: ResolvedActivation = { name: 'linear', code: ActivationCode.Linear, alpha: 0 };

/** The activation's name for a code (plans print names, kernels take codes). */
export function activationName(code: number): ActivationName | undefined {
  return (Object.keys(CODES) as ActivationName[]).find((n) => CODES[n] === code);
}

export function resolveActivation(spec: ActivationSpec | undefined, where: string): ResolvedActivation {
  // null or a number (a damaged model.json) is refused below as an unknown activation.
  const name =
    spec === undefined ? 'linear' : typeof spec === 'string' ? spec : (spec as { name?: string } | null)?.name;
  // Own keys only: 'constructor' or 'toString' are not activations.
  if (typeof name !== 'string' || !Object.hasOwn(CODES, name)) {
    throw new HourglassError(
      `${where}: unknown activation '${String(name)}' (choose from ${Object.keys(CODES).join(', ')})`,
    );
  }
  const known = name as ActivationName;
  const alpha =
    typeof spec === 'object' && spec !== null && spec.alpha !== undefined ? spec.alpha : (DEFAULT_ALPHA[known] ?? 0);
  return { name: known, code: CODES[known], alpha };
}

export function activationSpec(a: ResolvedActivation): ActivationSpec {
  return a.alpha !== (DEFAULT_ALPHA[a.name] ?? 0) ? { name: a.name, alpha: a.alpha } : a.name;
}

/** GELU's derivative needs the pre-activation; every other derivative is computed from the output. */
export function needsPreactivation(a: ResolvedActivation): boolean {
  return a.name === 'gelu';
}
