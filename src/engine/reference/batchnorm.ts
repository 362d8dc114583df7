// Reference batch normalization over the last axis of [rows, channels] (src/kernels/batchnorm.ts):
// training (batch statistics, biased variance, moving averages), inference, and the backward pass.

import type { KernelExports } from '../kernels.js';
import { f32, i32, index, on, type MemoryViews } from './memory_views.js';

type BatchNorm = Pick<KernelExports, 'batchNormTrain' | 'batchNormInference' | 'batchNormBackward'>;

export function batchNormKernels(mem: MemoryViews): BatchNorm {
  return {
    batchNormTrain(rows, ch, x, y, xhat, gamma, beta, mean, invStd, movingMean, movingVar, momentum, eps): void {
      // Writes mean and 1/sqrt(var + eps) per channel, xhat = (x - mean) invStd and y = gamma xhat + beta;
      // moving = moving * momentum + batch * (1 - momentum) (Keras' convention for momentum).
      rows = i32(rows);
      ch = i32(ch);
      momentum = f32(momentum);
      eps = f32(eps);
      const F = mem.f32,
        X = index(x),
        Y = index(y),
        H = index(xhat),
        GA = index(gamma),
        BE = index(beta);
      const MU = index(mean),
        INV = index(invStd),
        MM = index(movingMean),
        MV = index(movingVar);
      for (let c = 0; c < ch; c++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += F[X + r * ch + c]!;
        const mu = s / rows;
        let q = 0;
        for (let r = 0; r < rows; r++) {
          const d = F[X + r * ch + c]! - mu;
          q += d * d;
        }
        const variance = q / rows;
        // The kernel stores the inverse std as an f32 and normalizes with it and the f32 mean.
        const inv = f32(1 / Math.sqrt(variance + eps));
        F[MU + c] = mu;
        F[INV + c] = inv;
        F[MM + c] = F[MM + c]! * momentum + mu * (1 - momentum);
        F[MV + c] = F[MV + c]! * momentum + variance * (1 - momentum);
        const g = F[GA + c]!,
          b = F[BE + c]!,
          m = f32(mu);
        for (let r = 0; r < rows; r++) {
          const i = r * ch + c;
          const h = (F[X + i]! - m) * inv;
          F[H + i] = h;
          F[Y + i] = g * h + b;
        }
      }
    },

    batchNormInference(rows, ch, x, y, gamma, beta, movingMean, movingVar, eps): void {
      // y = (x - movingMean) gamma / sqrt(movingVar + eps) + beta.
      rows = i32(rows);
      ch = i32(ch);
      eps = f32(eps);
      const F = mem.f32,
        X = index(x),
        Y = index(y),
        GA = index(gamma),
        BE = index(beta);
      const MM = index(movingMean),
        MV = index(movingVar);
      for (let c = 0; c < ch; c++) {
        const inv = 1 / Math.sqrt(F[MV + c]! + eps);
        const g = F[GA + c]! * inv;
        const b = F[BE + c]! - F[MM + c]! * g;
        for (let r = 0; r < rows; r++) F[Y + r * ch + c] = F[X + r * ch + c]! * g + b;
      }
    },

    batchNormBackward(rows, ch, dy, xhat, gamma, invStd, dx, dgamma, dbeta, accumulateInput, accumulateParams): void {
      // dbeta (+)= sum dy, dgamma (+)= sum dy xhat; when dx is non-zero,
      // dx (+)= gamma invStd / N (N dy - sum dy - xhat sum dy xhat).
      rows = i32(rows);
      ch = i32(ch);
      const F = mem.f32,
        DY = index(dy),
        H = index(xhat),
        GA = index(gamma),
        INV = index(invStd);
      const DG = index(dgamma),
        DB = index(dbeta),
        hasDx = on(dx),
        DX = hasDx ? index(dx) : 0;
      const accIn = on(accumulateInput),
        accParams = on(accumulateParams);
      for (let c = 0; c < ch; c++) {
        let sdy = 0,
          sdyx = 0;
        for (let r = 0; r < rows; r++) {
          const d = F[DY + r * ch + c]!;
          sdy += d;
          sdyx += d * F[H + r * ch + c]!;
        }
        F[DB + c] = (accParams ? F[DB + c]! : 0) + sdy;
        F[DG + c] = (accParams ? F[DG + c]! : 0) + sdyx;
        if (!hasDx) continue;
        const k = (F[GA + c]! * F[INV + c]!) / rows;
        for (let r = 0; r < rows; r++) {
          const i = r * ch + c;
          const v = k * (rows * F[DY + i]! - sdy - F[H + i]! * sdyx);
          F[DX + i] = accIn ? F[DX + i]! + v : v;
        }
      }
    },
  };
}
