// The shape and training budget of one ensemble member, from the table's size, by the library's
// rules (src/models/defaults.ts) with the detector's own budget:
// - the code is a quarter of the input (2 to 32), so no member can learn the identity;
// - the hidden layer's width varies between members (half to twice the input) for diversity;
// - training is a budget of optimizer steps, not epochs, so a 200-row table gets as many updates
//   as a 50,000-row one;
// - the batch is a sixteenth of the rows within 16 to 64 (smaller than the library's 256: the
//   members are small and many steps on small batches found outliers better than few big ones).

import { batchSizeFor, codeSize, DENSE_DEFAULTS, epochsFor } from '../models/defaults.js';

export interface MemberShape {
  hidden: number[];
  latent: number;
  batchSize: number;
  epochs: number;
}

/** Hidden widths of successive members, as multiples of the input width. */
export const MEMBER_WIDTHS = [1, 2, 0.5, 1.5, 0.75] as const;
const MEMBER_MAX_BATCH = 64;
const MEMBER_MIN_EPOCHS = 2;

export function memberShape(rows: number, features: number, member: number, steps: number): MemberShape {
  const latent = codeSize(features, DENSE_DEFAULTS.latent);
  const width = MEMBER_WIDTHS[member % MEMBER_WIDTHS.length]!;
  const hidden = Math.max(latent + 2, Math.round(features * width));
  const batchSize = batchSizeFor(rows, MEMBER_MAX_BATCH);
  const epochs = epochsFor(rows, batchSize, steps, MEMBER_MIN_EPOCHS);
  return { hidden: [hidden], latent, batchSize, epochs };
}
