// The report's UMAP map (umap-js) in Node: its exact neighbours against a float64 brute force,
// clusters kept apart (k-NN on the 2-D map against the clusters' labels, beside PCA's 2-D map of
// the same points), the same seed giving the same map, and the seeded sample beyond the cap.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoencoders, tensor } from '../../src/index.js';
import { buildReport } from '../../src/report/report.js';
import { knnAccuracy } from '../../src/apps/knn.js';
import { fitPca, pcaTransform } from '../../src/apps/pca.js';
import { Random } from '../../src/engine/random.js';
import { exactNeighbours, sampleRows, umapMap } from '../../src/report/umap_map.js';
import { HourglassError } from '../../src/engine/errors.js';

test('exact neighbours: each row first, then the nearest by a float64 brute force', () => {
  const rng = new Random(5);
  const n = 300,
    d = 7,
    k = 6;
  const x = Float32Array.from({ length: n * d }, () => rng.normal());
  const { indices, distances } = exactNeighbours(x, n, k);
  for (let q = 0; q < n; q++) {
    const byDistance = Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[q * d + j]! - x[i * d + j]!) ** 2;
      return { i, dist: Math.sqrt(s) };
    })
      .filter((c) => c.i !== q)
      .sort((a, b) => a.dist - b.dist);
    assert.equal(indices[q]![0], q);
    assert.equal(distances[q]![0], 0);
    for (let p = 1; p < k; p++) {
      // Random normal rows have no ties within float32 rounding, so the order is the brute force's.
      assert.equal(indices[q]![p], byDistance[p - 1]!.i, `row ${q}, neighbour ${p}`);
      assert.ok(Math.abs(distances[q]![p]! - byDistance[p - 1]!.dist) < 1e-4);
    }
  }
});

/** 8 unit-variance clusters in 10-D, apart there but overlapping in PCA's best 2-D projection. */
function clusters(n: number, seed: number): { x: Float32Array; labels: Int32Array; d: number } {
  const rng = new Random(seed),
    d = 10,
    groups = 8;
  const centres = Array.from({ length: groups }, () => Array.from({ length: d }, () => rng.normal() * 2));
  const labels = Int32Array.from({ length: n }, () => rng.int(groups));
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = centres[labels[i]!]![j]! + rng.normal();
  return { x, labels, d };
}

function mapAccuracy(xy: Float32Array, labels: ArrayLike<number>, n: number): number {
  const cut = Math.floor(n * 0.8);
  const part = (a: number, b: number) => ({ data: xy.subarray(2 * a, 2 * b), shape: [b - a, 2] });
  return knnAccuracy(part(0, cut), Array.from(labels).slice(0, cut), part(cut, n), Array.from(labels).slice(cut), 5);
}

test('the UMAP map keeps clusters apart, seeded: the same seed gives the same map', () => {
  const n = 900;
  const { x, labels, d } = clusters(n, 11);
  const a = umapMap(x, n, { seed: 3 })!;
  assert.equal(a.rows.length, n, 'under the cap every row is drawn');
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) [xy[2 * i], xy[2 * i + 1]] = [a.xs[i]!, a.ys[i]!];
  const onUmap = mapAccuracy(xy, labels, n);
  const onPca = mapAccuracy(
    Float32Array.from(pcaTransform(fitPca({ data: x, shape: [n, d] }, 2), { data: x, shape: [n, d] })),
    labels,
    n,
  );
  console.log(`k-NN accuracy on the 2-D maps: UMAP ${onUmap}, PCA ${onPca}`);
  assert.ok(onUmap > 0.97, `k-NN on the UMAP map ${onUmap}`);
  assert.ok(onUmap > onPca + 0.05, `UMAP ${onUmap} vs PCA ${onPca}`);
  const again = umapMap(x, n, { seed: 3 })!;
  assert.deepEqual(again.xs, a.xs);
  assert.deepEqual(again.ys, a.ys);
  const other = umapMap(x, n, { seed: 4 })!;
  assert.notDeepEqual(other.xs, a.xs);
});

test('beyond the cap a seeded sample of rows is drawn, and the report says so', async () => {
  const picked = sampleRows(1000, 100, new Random(1));
  assert.equal(new Set(picked).size, 100);
  assert.ok(picked.every((r, i) => r >= 0 && r < 1000 && (i === 0 || r > picked[i - 1]!)));
  assert.deepEqual(sampleRows(1000, 100, new Random(1)), picked);

  const n = 400;
  const { x, labels, d } = clusters(n, 2);
  const ae = autoencoders.dense({ hidden: [8], latent: 3 });
  await ae.fit(tensor(x, [n, d]), { epochs: 2, batchSize: 50, verbose: false });
  const built = buildReport(ae, tensor(x, [n, d]), { labels, umapRows: 150, umapSeed: 9 });
  const umap = built.charts.find((c) => c.id === 'code-umap');
  assert.ok(umap && umap.kind === 'scatter');
  assert.equal(
    umap.series.reduce((s, g) => s + g.x.length, 0),
    150,
  );
  assert.equal(umap.series.length, new Set(labels).size, 'a series per label');
  assert.match(built.html, /on 150 of the 400 rows picked at random/);
  assert.match(built.html, /seed 9/);
  const none = buildReport(ae, tensor(x, [n, d]), { umapRows: 0 });
  assert.ok(!none.charts.some((c) => c.id === 'code-umap'), 'umapRows 0 leaves the map out');
  assert.throws(
    () => buildReport(ae, tensor(x, [n, d]), { umapRows: -1 }),
    (e: unknown) => e instanceof HourglassError && /umapRows must be a whole number/.test(e.message),
  );
});
