// The shape and training budget of one member of the image detector's ensemble. The rules:
// - dense members on the flattened pixels: on one-class MNIST a dense autoencoder's error
//   separates the digits better than a convolutional one's, whose local filters rebuild strokes
//   of any digit well (bench/oneclass measures both);
// - the code is narrow (32 values at most, an eighth of the pixels at most), so no member can
//   learn the identity and every member must keep only what the normal images share;
// - members differ in their hidden width (for diversity) and seed;
// - training is a budget of optimizer steps, not epochs, so a small set of images still gets
//   enough updates and a large one does not take forever.

export interface ImageMemberShape {
  hidden: number[];
  latent: number;
  batchSize: number;
  epochs: number;
}

/** Hidden widths of successive members, in units (before the cap by the pixel count). */
export const IMAGE_MEMBER_WIDTHS = [256, 128, 384] as const;

export function imageMemberShape(rows: number, pixels: number, member: number, steps: number): ImageMemberShape {
  const latent = Math.max(2, Math.min(32, Math.round(pixels / 8)));
  const width = IMAGE_MEMBER_WIDTHS[member % IMAGE_MEMBER_WIDTHS.length]!;
  const hidden = Math.max(latent + 2, Math.min(width, pixels));
  const batchSize = Math.min(64, Math.max(16, Math.round(rows / 16)));
  const epochs = Math.max(1, Math.ceil((steps * batchSize) / rows));
  return { hidden: [hidden], latent, batchSize, epochs };
}
