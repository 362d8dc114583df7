// detect --stream on an image detector folder: an IDX file, a float32 .npy and a PNG folder of more
// images than one streamed batch (1,024) are scored a batch at a time, and the scores CSV is the
// same bytes as the in-memory detect writes (the saved threshold, --quantile, --contamination and
// --labels, which keep every score); a failed run leaves no output behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { encodeNpy } from '../../src/data/npy.js';
import { encodePng } from '../../src/data/png.js';
import { loadMnist } from '../../src/data/mnist.js';
import { cliFolder } from '../helpers/cli_folder.js';

const { tmp, at, hourglass, ok } = cliFolder('stream-image-detector');
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);

function writeIdx(file: string, pixels: Uint8Array): void {
  const header = new DataView(new ArrayBuffer(16));
  header.setUint32(0, 0x00000803);
  header.setUint32(4, pixels.length / 784);
  header.setUint32(8, 28);
  header.setUint32(12, 28);
  fs.writeFileSync(file, Buffer.concat([new Uint8Array(header.buffer), pixels]));
}

const set = loadMnist('test');
const eightBit = (first: number, n: number) =>
  Uint8Array.from(set.images.data.subarray(first * 784, (first + n) * 784), (v) => Math.round(v * 255));
// 1,100 images: more than one streamed batch, so a batch boundary falls inside the file.
const N = 1100;
const pixels = eightBit(0, N);
writeIdx(at('train-idx3-ubyte'), eightBit(2000, 200));
writeIdx(at('mixed-idx3-ubyte'), pixels);
fs.writeFileSync(
  at('mixed.npy'),
  encodeNpy(
    Float32Array.from(pixels, (v) => v / 255),
    [N, 28, 28],
  ),
);
fs.writeFileSync(
  at('labels.txt'),
  ['label', ...Array.from({ length: N }, (_, i) => (set.labels[i] === 0 ? 0 : 1))].join('\n') + '\n',
);

ok(['train', 'train-idx3-ubyte', '--kind', 'detector', '--members', '1', '--steps', '40', '--out', 'det']);

test('detect --stream on IDX and .npy images writes the in-memory scores CSV, for each threshold rule', () => {
  // Each rule on one of the files (runs cost seconds each): the saved threshold on both.
  const runs: [string[], string[]][] = [
    [[], ['mixed-idx3-ubyte', 'mixed.npy']],
    [['--quantile', '0.5'], ['mixed-idx3-ubyte']],
    [['--contamination', '0.1', '--labels', 'labels.txt'], ['mixed.npy']],
  ];
  for (const [rule, files] of runs) {
    const m = lastJson(
      ok(['detect', 'det', 'mixed-idx3-ubyte', ...rule, '--out', 'm.csv', '--overwrite', '--json']).stdout,
    );
    for (const data of files) {
      const s = lastJson(
        ok(['detect', 'det', data, ...rule, '--stream', '--out', 's.csv', '--overwrite', '--json']).stdout,
      );
      assert.equal(s.streamed, true);
      assert.equal(s.rows, N);
      assert.equal(s.flagged, m.flagged, `${data} ${rule.join(' ')}`);
      assert.equal(s.threshold, m.threshold);
      assert.equal(s.thresholdRule, m.thresholdRule);
      assert.equal(s.rocAuc, m.rocAuc);
      assert.ok(fs.readFileSync(at('s.csv')).equals(fs.readFileSync(at('m.csv'))), `${data} ${rule.join(' ')}: bytes`);
    }
  }
  // The streamed run is picked without --stream above the size limit (here 0 MB).
  const r = ok(['detect', 'det', 'mixed.npy', '--out', 'auto.csv', '--json'], { HOURGLASS_STREAM_ABOVE_MB: '0' });
  assert.equal(lastJson(r.stdout).streamed, true);
});

test('detect --stream on a PNG folder scores as in memory; bad input leaves no output', () => {
  fs.mkdirSync(at('pngs'));
  for (let i = 0; i < 12; i++)
    fs.writeFileSync(
      at(`pngs/img${String(i).padStart(2, '0')}.png`),
      encodePng(
        Float32Array.from(pixels.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
        28,
        28,
        1,
      ),
    );
  ok(['detect', 'det', 'pngs', '--out', 'pm.csv']);
  ok(['detect', 'det', 'pngs', '--stream', '--out', 'ps.csv']);
  assert.ok(fs.readFileSync(at('ps.csv')).equals(fs.readFileSync(at('pm.csv'))));

  // Labels of the wrong length are found after the scoring: no scores file, no temporary left.
  fs.writeFileSync(at('short.txt'), 'label\n0\n1\n');
  const bad = hourglass(['detect', 'det', 'mixed.npy', '--labels', 'short.txt', '--stream', '--out', 'bad.csv']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: .*short\.txt/);
  assert.deepEqual(
    fs.readdirSync(tmp).filter((f) => f.startsWith('bad.csv')),
    [],
  );
  // Images of another size: one line.
  fs.writeFileSync(at('small.npy'), encodeNpy(new Float32Array(3 * 100), [3, 10, 10]));
  const wrong = hourglass(['detect', 'det', 'small.npy', '--stream', '--out', 'w.csv']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^error: small\.npy: its images have 100 values, this detector scores 28x28x1 images/);
});
