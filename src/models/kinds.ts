// The family's kinds as saved in model.json, each with how it comes back around its loaded
// network: one explicit table, so loading never depends on which modules were imported first.

import { loadModel, modelFromFiles, type LoadedModel } from '../model/load.js';
import { modelFromZip } from '../model/zip.js';
import { Autoencoder, type AutoencoderKind, type Restorer } from './autoencoder.js';
import { SequenceVariationalAutoencoder } from './sequence_autoencoder.js';
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
  // The variational sequence variant comes back with its ELBO, sample() and interpolate().
  sequence: (settings) =>
    (settings.options as { variational?: unknown }).variational === true
      ? new SequenceVariationalAutoencoder(settings)
      : restoredAsBase(settings),
} as const satisfies Readonly<Record<AutoencoderKind, Restorer>>;

/** Loads an autoencoder saved by save() or by `hourglass train`. */
export function loadAutoencoder(dir: string): Autoencoder {
  return restoreAutoencoder(loadModel(dir), dir);
}

/** An autoencoder from the bytes of its two saved files (IndexedDB, fetched files); `where` names them in errors. */
export function loadAutoencoderFromFiles(files: Readonly<Record<string, Uint8Array>>, where: string): Autoencoder {
  return restoreAutoencoder(modelFromFiles(files, where), where);
}

/** An autoencoder from a .zip made by toZip() (in Node or a browser), or a zipped model folder. */
export function loadAutoencoderFromZip(bytes: Uint8Array, where = 'model.zip'): Autoencoder {
  return restoreAutoencoder(modelFromZip(bytes, where), where);
}

function restoreAutoencoder({ model, json }: LoadedModel, where: string): Autoencoder {
  try {
    return Autoencoder.restore(model, json.extra, `${where}/model.json`, KINDS);
  } catch (e) {
    // A record this version cannot restore must not leave the loaded weights behind.
    model.dispose();
    throw e;
  }
}
