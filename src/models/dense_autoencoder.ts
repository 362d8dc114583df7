// The dense (deep) autoencoder preset: mirrored hidden layers around a code layer, with the
// encoder and decoder as sub-models that share the autoencoder's weights (built when first used).

import { HourglassError } from '../engine/errors.js';
import type { ActivationSpec } from '../layers/activations.js';
import { Dense, type DenseOptions } from '../layers/dense.js';
import { input } from '../layers/input.js';
import type { Layer, SymbolicTensor } from '../layers/layer.js';
import { model, type Model } from '../model/model.js';
import { DENSE_DEFAULTS } from './defaults.js';

export interface DenseAutoencoderOptions {
  inputDim: number;
  /** Encoder hidden sizes, outermost first; the decoder mirrors them. */
  hidden?: number[];
  latent: number;
  activation?: ActivationSpec;
  /** Activation of the code layer (default: the hidden activation). */
  codeActivation?: ActivationSpec;
  /** sigmoid for data in [0, 1], linear otherwise. */
  outputActivation?: 'sigmoid' | 'linear';
  /** Variants: a corruption applied to the input in training (denoising). */
  inputCorruption?: Layer;
  /** Variants: extra options of the code layer (activity regularizer, contractive weight). */
  codeOptions?: DenseOptions;
  /** Variants: an identity layer with a penalty on the code (KL sparsity). */
  codePenalty?: Layer;
}

export interface AutoencoderParts {
  readonly autoencoder: Model;
  readonly encoder: Model;
  readonly decoder: Model;
}

/**
 * Parts whose encoder and decoder are built on first use and then kept: every sub-model is a
 * graph with its own plans, so a caller that only trains the autoencoder (as the family's
 * builders do) must not pay for two more that nobody uses.
 */
export function lazyParts(autoencoder: Model, encoder: () => Model, decoder: () => Model): AutoencoderParts {
  let enc: Model | undefined, dec: Model | undefined;
  return {
    autoencoder,
    get encoder() {
      return (enc ??= encoder());
    },
    get decoder() {
      return (dec ??= decoder());
    },
  };
}

export const CODE_LAYER = 'code';

export function denseAutoencoder(o: DenseAutoencoderOptions): AutoencoderParts {
  const hidden = o.hidden ?? [];
  for (const [what, v] of [
    ['inputDim', o.inputDim],
    ['latent', o.latent],
    ...hidden.map((h, i) => [`hidden[${i}]`, h] as const),
  ] as const) {
    if (!Number.isInteger(v) || v <= 0)
      throw new HourglassError(`dense autoencoder: ${what} must be a positive integer, got ${v}`);
  }
  const activation = o.activation ?? DENSE_DEFAULTS.activation;
  const x = input([o.inputDim], { name: 'input' });
  let h: SymbolicTensor = o.inputCorruption ? o.inputCorruption.apply(x) : x;
  hidden.forEach((units, i) => {
    h = new Dense(units, { activation, name: `encoder_${i + 1}` }).apply(h);
  });
  const code = new Dense(o.latent, {
    ...o.codeOptions,
    activation: o.codeActivation ?? activation,
    name: CODE_LAYER,
  }).apply(h);
  const decoderInput = o.codePenalty ? o.codePenalty.apply(code) : code;
  const decoderLayers = [...hidden]
    .reverse()
    .map((units, i) => new Dense(units, { activation, name: `decoder_${i + 1}` }));
  const output = new Dense(o.inputDim, { activation: o.outputActivation ?? 'sigmoid', name: 'reconstruction' });
  const decode = (t: SymbolicTensor) => output.apply(decoderLayers.reduce((acc, l) => l.apply(acc), t));
  const autoencoder = model({ inputs: x, outputs: decode(decoderInput), name: 'autoencoder' });
  return lazyParts(
    autoencoder,
    () => model({ inputs: x, outputs: code, name: 'encoder' }),
    () => {
      const codeInput = input([o.latent], { name: 'code_input' });
      return model({ inputs: codeInput, outputs: decode(codeInput), name: 'decoder' });
    },
  );
}

/** The encoder inside a trained or loaded autoencoder: input up to the named code layer. */
export function encoderOf(ae: Model, codeLayer = CODE_LAYER): Model {
  const node = ae.graph.nodes.find((n) => n.layer.name === codeLayer);
  if (!node) throw new HourglassError(`model '${ae.name}' has no layer '${codeLayer}' to encode with`);
  return model({ inputs: ae.input, outputs: node, name: 'encoder' });
}

/**
 * The decoder inside a trained or loaded autoencoder: a new input of the code's shape run through
 * every layer that follows the code layer, sharing their weights.
 */
export function decoderOf(ae: Model, codeLayer = CODE_LAYER): Model {
  const nodes = ae.graph.nodes;
  const at = nodes.findIndex((n) => n.layer.name === codeLayer);
  if (at < 0) throw new HourglassError(`model '${ae.name}' has no layer '${codeLayer}' to decode from`);
  const codeInput = input(nodes[at]!.shape, { name: 'code_input' });
  const mapped = new Map<SymbolicTensor, SymbolicTensor>([[nodes[at]!, codeInput]]);
  for (const n of nodes.slice(at + 1)) {
    if (n.inputs.length > 0 && n.inputs.every((i) => mapped.has(i)))
      mapped.set(n, n.layer.apply(n.inputs.map((i) => mapped.get(i)!)));
  }
  const out = mapped.get(ae.output);
  if (!out) throw new HourglassError(`model '${ae.name}': its output does not follow only from layer '${codeLayer}'`);
  return model({ inputs: codeInput, outputs: out, name: 'decoder' });
}
