// The shape and training budget of one ensemble member, from the table's size. The rules:
// - the code is always narrower than the input (a quarter of it, at least 2, at most 32), so no
//   member can learn the identity;
// - the hidden layer's width varies between members (half to twice the input) for diversity;
// - training is a budget of optimizer steps, not epochs, so a 200-row table gets as many updates
//   as a 50,000-row one (10 epochs of a small table at batch 256 would be 10 steps in all);
// - the batch grows with the table (16 to 64 rows) so small tables still see many batches.

export interface MemberShape {
  hidden: number[];
  latent: number;
  batchSize: number;
  epochs: number;
}

/** Hidden widths of successive members, as multiples of the input width. */
export const MEMBER_WIDTHS = [1, 2, 0.5, 1.5, 0.75] as const;

export function memberShape(rows: number, features: number, member: number, steps: number): MemberShape {
  const latent = Math.min(32, Math.max(2, Math.round(features / 4)));
  const width = MEMBER_WIDTHS[member % MEMBER_WIDTHS.length]!;
  const hidden = Math.max(latent + 2, Math.round(features * width));
  const batchSize = Math.min(64, Math.max(16, Math.round(rows / 16)));
  const epochs = Math.max(2, Math.ceil((steps * batchSize) / rows));
  return { hidden: [hidden], latent, batchSize, epochs };
}
