// The activation codes the kernels understand, defined once: this file is both TypeScript (the
// layers) and AssemblyScript (src/kernels/activation.ts imports it), so the two cannot drift.

export enum ActivationCode {
  Linear = 0,
  Relu = 1,
  LeakyRelu = 2,
  Elu = 3,
  Sigmoid = 4,
  Tanh = 5,
  Softplus = 6,
  Gelu = 7,
}
