// Image folders through the command line: PNG and JPEG files decoded, resized, trained on with
// --arch conv, evaluated and encoded; a broken image file gets a clear error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readImageFolder } from '../../src/data/images.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-img-'));
const folder = path.join(tmp, 'images');
fs.mkdirSync(folder);

// 24 images, 16x12: a dark bar at a varying position; every third one a JPEG.
for (let i = 0; i < 24; i++) {
  const w = 12,
    h = 16;
  const rgba = Buffer.alloc(w * h * 4, 255);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (Math.abs(x - (i % w)) <= 1) {
        const p = (y * w + x) * 4;
        rgba[p] = 0;
        rgba[p + 1] = 0;
        rgba[p + 2] = 0;
      }
    }
  if (i % 3 === 0)
    fs.writeFileSync(path.join(folder, `img${i}.jpg`), jpeg.encode({ data: rgba, width: w, height: h }, 95).data);
  else {
    const png = new PNG({ width: w, height: h });
    rgba.copy(png.data);
    fs.writeFileSync(path.join(folder, `img${i}.png`), PNG.sync.write(png));
  }
}

function hourglass(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a folder of PNG and JPEG files is read, resized and converted to grayscale', () => {
  const { x, files } = readImageFolder(folder, { height: 8, width: 6, channels: 1 });
  assert.equal(files.length, 24);
  assert.deepEqual(x.shape, [24, 8, 6, 1]);
  // img1.png has its bar at x = 0..2 of 12, i.e. the first output column is dark, the last white.
  const i = files.indexOf('img1.png');
  const row = x.data.subarray(i * 48, (i + 1) * 48);
  assert.ok(row[0]! < 0.2 && row[5]! > 0.95, `pixels ${row[0]} ${row[5]}`);
  const rgb = readImageFolder(folder, { height: 4, width: 4, channels: 3 });
  assert.deepEqual(rgb.x.shape, [24, 4, 4, 3]);
});

test('train --arch conv on an image folder, then evaluate and encode', () => {
  const model = path.join(tmp, 'model');
  const t = hourglass(
    'train',
    folder,
    '--arch',
    'conv',
    '--image-size',
    '8x8',
    '--filters',
    '4,2',
    '--epochs',
    '30',
    '--batch',
    '8',
    '--lr',
    '0.01',
    '--loss',
    'bce',
    '--out',
    model,
    '--json',
    '--quiet',
  );
  assert.equal(t.code, 0, t.stderr);
  const j = JSON.parse(t.stdout.trim().split('\n').at(-1)!);
  assert.equal(j.arch, 'conv');
  assert.ok(j.history.loss.at(-1) < j.history.loss[0], 'loss falls');
  // The folder is read at the size the model was trained on.
  const e = hourglass('evaluate', model, folder, '--json');
  assert.equal(e.code, 0, e.stderr);
  assert.ok(Math.abs(JSON.parse(e.stdout.trim().split('\n').at(-1)!).loss - j.history.loss.at(-1)) < 0.1);
  const codes = path.join(tmp, 'codes.csv');
  const en = hourglass('encode', model, folder, '--out', codes, '--json');
  assert.equal(en.code, 0, en.stderr);
  // 8x8 -> 4x4 -> 2x2 with 2 filters, a pooled map of 8 values: the dense code (a quarter of the
  // 64 pixels, 16) is capped at the map's 8 values.
  const lines = fs.readFileSync(codes, 'utf8').trim().split('\n');
  assert.equal(lines.length, 25);
  assert.equal(lines[1]!.split(',').length, 8);
});

test('train --arch conv --downsampling strided at an odd size: the code has --code-channels, reconstructions the image size', () => {
  const model = path.join(tmp, 'strided');
  const t = hourglass(
    'train',
    folder,
    '--arch',
    'conv',
    '--downsampling',
    'strided',
    '--image-size',
    '10x6',
    '--filters',
    '4,6',
    '--code-channels',
    '3',
    '--epochs',
    '20',
    '--batch',
    '8',
    '--lr',
    '0.01',
    '--out',
    model,
    '--json',
    '--quiet',
  );
  assert.equal(t.code, 0, t.stderr);
  const j = JSON.parse(t.stdout.trim().split('\n').at(-1)!);
  assert.ok(j.history.loss.at(-1) < j.history.loss[0], 'loss falls');
  // 10x6 -> 5x3 -> 3x2 with 3 code channels: 18 values per image.
  const codes = path.join(tmp, 'strided.csv');
  const en = hourglass('encode', model, folder, '--out', codes, '--json');
  assert.equal(en.code, 0, en.stderr);
  assert.equal(fs.readFileSync(codes, 'utf8').trim().split('\n')[1]!.split(',').length, 18);
  const e = hourglass('evaluate', model, folder, '--json');
  assert.equal(e.code, 0, e.stderr);
  // Without --filters the layout's defaults are used and reported, with the code's shape.
  const d = hourglass(
    'train',
    folder,
    '--arch',
    'conv',
    '--downsampling',
    'strided',
    '--image-size',
    '10x6',
    '--epochs',
    '1',
    '--out',
    path.join(tmp, 'strided-default'),
    '--quiet',
  );
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /convolutional \(strided, filters 32,64,128, code 2x1x8\)/);
  const bad = hourglass('train', folder, '--arch', 'conv', '--code-channels', '3', '--out', path.join(tmp, 'm3'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--code-channels is for --arch conv --downsampling strided/);
  assert.ok(!fs.existsSync(path.join(tmp, 'm3')));
  const latent = hourglass(
    'train',
    folder,
    '--arch',
    'conv',
    '--downsampling',
    'strided',
    '--latent',
    '4',
    '--out',
    path.join(tmp, 'm4'),
  );
  assert.equal(latent.code, 1);
  assert.match(latent.stderr, /--latent is for --arch conv --downsampling pooling/);
});

test('train --arch conv: the dense decoder by default, --decoder conv for the conv one; --decoder is refused off the pooling layout', () => {
  const train = (name: string, ...flags: string[]) =>
    hourglass(
      'train',
      folder,
      '--arch',
      'conv',
      '--image-size',
      '8x8',
      '--filters',
      '4,2',
      '--epochs',
      '1',
      ...flags,
      '--out',
      path.join(tmp, name),
      '--quiet',
    );
  const dense = train('decoder-default');
  assert.equal(dense.code, 0, dense.stderr);
  assert.match(dense.stdout, /convolutional \(pooling, filters 4,2, dense 128,64, code 8, dense decoder\)/);
  const conv = train('decoder-conv', '--decoder', 'conv');
  assert.equal(conv.code, 0, conv.stderr);
  assert.match(conv.stdout, /convolutional \(pooling, filters 4,2, code 8\) autoencoder/);
  // The denoising conv variant keeps the pooled map unless --latent asks for a dense code.
  const dae = train(
    'decoder-dae',
    '--kind',
    'denoising',
    '--noise',
    'masking:0.3',
    '--latent',
    '4',
    '--decoder',
    'dense',
  );
  assert.equal(dae.code, 0, dae.stderr);
  assert.match(dae.stdout, /convolutional \(pooling, filters 4,2, dense 128,64, code 4, dense decoder\)/);
  for (const [flags, message] of [
    [['--decoder', 'dense', '--downsampling', 'strided'], /--decoder is for --arch conv --downsampling pooling/],
    [['--decoder', 'dense', '--upsampling', 'transpose'], /--upsampling transpose is for --decoder conv/],
    [['--decoder', 'pixels'], /--decoder/],
    [
      ['--decoder', 'dense', '--kind', 'denoising', '--noise', 'masking:0.3'],
      /--decoder dense needs a dense code: give --latent N/,
    ],
  ] as const) {
    const bad = train('decoder-bad', ...flags);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, message);
    assert.ok(!fs.existsSync(path.join(tmp, 'decoder-bad')));
  }
});

test('a broken image file is named in the error', () => {
  const bad = path.join(tmp, 'bad');
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, 'broken.png'), 'not a png');
  const r = hourglass('train', bad, '--arch', 'conv', '--out', path.join(tmp, 'm2'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /broken.png: cannot decode the image/);
});
