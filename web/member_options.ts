// The options that make each member of the family what it is, in the model form: the noise of
// the denoising autoencoder, the sparse one's L1 weight, the variational one's beta. Each shows
// only for its member, and starts at a preset that trains well on the kind of data.

import { SPARSE_DEFAULTS, VARIATIONAL_DEFAULTS } from '../src/browser.js';
import type { Member } from './model_form.js';

type DataKind = 'images' | 'table';

/**
 * Presets: images are corrupted by masking (a share of pixels set to 0, the classic denoising
 * autoencoder on MNIST), table rows by Gaussian noise in standard deviations of each column.
 */
export const MEMBER_PRESETS = {
  noise: { images: 0.3, table: 0.2 },
  l1: SPARSE_DEFAULTS.sparsity.l1,
  beta: VARIATIONAL_DEFAULTS.beta,
} as const;

const OPTION_OF: Partial<Record<Member, string>> = { denoising: 'noise', sparse: 'l1', variational: 'beta' };

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

/** Shows the member's own option (if it has one), with the noise described for the data. */
export function showMemberOptions(member: Member, kind: DataKind): void {
  for (const id of ['noise', 'l1', 'beta']) document.getElementById(`${id}-option`)!.hidden = OPTION_OF[member] !== id;
  document.getElementById('noise-label')!.textContent =
    kind === 'images' ? 'Noise: share of pixels masked' : 'Noise: Gaussian, in standard deviations';
}

/** Puts every member option back to its preset for this kind of data. */
export function resetMemberOptions(kind: DataKind): void {
  field('noise').value = String(MEMBER_PRESETS.noise[kind]);
  field('l1').value = String(MEMBER_PRESETS.l1);
  field('beta').value = String(MEMBER_PRESETS.beta);
}
