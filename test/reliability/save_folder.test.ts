// The manifest save protocol (src/platform/node_folder.ts): what a folder holds after saves,
// killed saves (their leftovers planted by hand), legacy folders and two processes at once.

import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { zipSync } from 'fflate';
import { HourglassError } from '../../src/engine/errors.js';
import { readFolder, writeFolder, writeFileDurable } from '../../src/platform/node_folder.js';
import { MANIFEST_FILE, parseManifest } from '../../src/platform/manifest.js';
import { filesFromZip } from '../../src/model/zip.js';
import { toLegacyFolder } from '../helpers/saved_folder.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-folder-'));
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const noLegacy = () => {
  throw new Error('legacy reader called on a manifest folder');
};

test('a save writes generation files and a manifest; the next save removes the older files', () => {
  const dir = path.join(tmp, 'a');
  writeFolder(dir, { 'model.json': '{"v":1}', 'weights.safetensors': bytes('one') });
  const first = fs.readdirSync(dir).sort();
  writeFolder(dir, { 'model.json': '{"v":2}', 'weights.safetensors': bytes('two'), 'history.json': '[]' });
  const files = readFolder(dir, noLegacy);
  assert.equal(text(files['model.json']), '{"v":2}');
  assert.equal(text(files['weights.safetensors']), 'two');
  assert.equal(text(files['history.json']), '[]', 'an extra file is one more manifest entry');
  const now = fs.readdirSync(dir).sort();
  assert.equal(now.length, 4, now.join(' '));
  for (const old of first.filter((f) => f !== MANIFEST_FILE)) assert.ok(!now.includes(old), `${old} removed`);
  const m = parseManifest(fs.readFileSync(path.join(dir, MANIFEST_FILE)), 'm');
  assert.equal(m.generation, 2);
  assert.equal(m.files['weights.safetensors']!.sha256, crypto.createHash('sha256').update('two').digest('hex'));
});

test('leftovers of a killed save are ignored by a load and removed by the next save; user files stay', () => {
  const dir = path.join(tmp, 'b');
  writeFolder(dir, { 'model.json': 'old' });
  // What a save killed at various points leaves: its new files, a manifest temporary, its lock
  // (held by a pid that no longer runs) and a lock candidate.
  const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
  fs.writeFileSync(path.join(dir, 'model.g9-0123abcd.json'), 'half');
  fs.writeFileSync(path.join(dir, 'manifest.json.tmp-0123abcd'), '{"form');
  fs.writeFileSync(path.join(dir, '.hourglass-save.lock'), `${dead}\n`);
  fs.writeFileSync(path.join(dir, '.hourglass-save.lock.cand-0123abcd'), `${dead}\n`);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
  assert.equal(text(readFolder(dir, noLegacy)['model.json']), 'old');
  writeFolder(dir, { 'model.json': 'new' });
  assert.equal(text(readFolder(dir, noLegacy)['model.json']), 'new');
  const names = fs.readdirSync(dir).sort();
  assert.deepEqual(
    names.filter((n) => !/^model\.g2-[0-9a-f]{8}\.json$/.test(n)),
    ['manifest.json', 'notes.txt'],
  );
  assert.equal(names.length, 3);
});

test('a damaged file is refused by its checksum; a damaged manifest is a HourglassError', () => {
  const dir = path.join(tmp, 'c');
  writeFolder(dir, { 'model.json': 'abc' });
  const m = parseManifest(fs.readFileSync(path.join(dir, MANIFEST_FILE)), 'm');
  fs.writeFileSync(path.join(dir, m.files['model.json']!.file), 'abd');
  assert.throws(
    () => readFolder(dir, noLegacy),
    (e) => e instanceof HourglassError && /SHA-256 does not match/.test(e.message),
  );
  for (const bad of [
    '{',
    '{"format":"hourglass-folder","version":1,"generation":1,"files":{"x":{"file":"../../etc/passwd","bytes":1,"sha256":"' +
      '0'.repeat(64) +
      '"}}}',
  ]) {
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), bad);
    assert.throws(() => readFolder(dir, noLegacy), HourglassError);
  }
  // A save over a damaged manifest replaces it.
  writeFolder(dir, { 'model.json': 'fresh' });
  assert.equal(text(readFolder(dir, noLegacy)['model.json']), 'fresh');
});

test('a folder saved before manifests loads, and the first save replaces its plain files', () => {
  const dir = path.join(tmp, 'd');
  writeFolder(dir, { 'model.json': 'plain', 'weights.safetensors': bytes('w') });
  toLegacyFolder(dir);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'weights.safetensors']);
  const legacy = readFolder(dir, (read) => ({ 'model.json': read('model.json') }));
  assert.equal(text(legacy['model.json']), 'plain');
  writeFolder(dir, { 'model.json': 'managed', 'weights.safetensors': bytes('w2') });
  assert.ok(!fs.existsSync(path.join(dir, 'model.json')) && !fs.existsSync(path.join(dir, 'weights.safetensors')));
  assert.equal(text(readFolder(dir, noLegacy)['model.json']), 'managed');
});

test('a zip of a manifest folder (zip -r model/) gives the files of its last save', () => {
  const dir = path.join(tmp, 'e');
  writeFolder(dir, { 'model.json': 'j', 'weights.safetensors': bytes('w') });
  const entries = Object.fromEntries(
    fs.readdirSync(dir).map((n) => [`e/${n}`, new Uint8Array(fs.readFileSync(path.join(dir, n)))]),
  );
  const files = filesFromZip(zipSync(entries), 'e.zip');
  assert.equal(text(files['model.json']), 'j');
  assert.equal(text(files['weights.safetensors']), 'w');
});

test('an output file is replaced whole, and no temporary is left', () => {
  const p = path.join(tmp, 'out.csv');
  writeFileDurable(p, 'a\n');
  writeFileDurable(p, 'b\n');
  assert.equal(fs.readFileSync(p, 'utf8'), 'b\n');
  assert.deepEqual(
    fs.readdirSync(tmp).filter((n) => n.startsWith('out.csv')),
    ['out.csv'],
  );
});

test('two processes saving to one folder at once leave one complete save', async () => {
  const dir = path.join(tmp, 'f');
  const script = `
    import { writeFolder } from ${JSON.stringify(path.resolve('src/platform/node_folder.ts'))};
    const who = process.argv.at(-1);
    const big = new Uint8Array(1 << 20).fill(who.charCodeAt(0));
    for (let i = 0; i < 15; i++) writeFolder(${JSON.stringify(dir)}, { 'model.json': who + i, 'weights.safetensors': big });
  `;
  const run = (who: string) =>
    new Promise<number>((resolve) =>
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, who], { stdio: 'inherit' }).on(
        'exit',
        (c) => resolve(c ?? -1),
      ),
    );
  assert.deepEqual(await Promise.all([run('A'), run('B')]), [0, 0]);
  const files = readFolder(dir, noLegacy);
  const who = text(files['model.json']).slice(0, 1);
  assert.match(text(files['model.json']), /^[AB]14$/);
  assert.ok(
    files['weights.safetensors']!.every((b) => b === who.charCodeAt(0)),
    'weights of the same save as model.json',
  );
  assert.equal(fs.readdirSync(dir).length, 3, fs.readdirSync(dir).join(' '));
});
