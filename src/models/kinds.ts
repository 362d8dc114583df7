// The family's kinds as saved in model.json, each with how it comes back around its loaded
// network: one explicit table, so loading never depends on which modules were imported first.

import { loadModel } from '../model/load.js';
import { Autoencoder, type AutoencoderKind, type Restorer } from './autoencoder.js';
import { VariationalAutoencoder } from './variational_autoencoder.js';

// The members that are the base class with their own builder need no builder once the network
// is loaded: they come back as the base class, with their kind and options.
const restoredAsBase: Restorer = (settings) => new Autoencoder(settings, null);

/** Every kind with its restorer; `satisfies` makes a kind added to AutoencoderKind fail here until it has one. */
export const KINDS = {
  dense: restoredAsBase,
  conv: restoredAsBase,
  denoising: restoredAsBase,
  sparse: restoredAsBase,
  contractive: restoredAsBase,
  variational: (settings) => new VariationalAutoencoder(settings),
} as const satisfies Readonly<Record<AutoencoderKind, Restorer>>;

/** Loads an autoencoder saved by save() or by `hourglass train`. */
export function loadAutoencoder(dir: string): Autoencoder {
  const { model, json } = loadModel(dir);
  try {
    return Autoencoder.restore(model, json.extra, `${dir}/model.json`, KINDS);
  } catch (e) {
    // A record this version cannot restore must not leave the loaded weights behind.
    model.dispose();
    throw e;
  }
}
