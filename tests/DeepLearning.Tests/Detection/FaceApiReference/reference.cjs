// Oracle for FaceDetectorTests: runs @vladmandic/face-api's own TinyFaceDetector (its Node build
// for pure-JS TensorFlow.js, face-api.node-wasm.js, on the tfjs cpu backend) on one image.
// usage: node reference.cjs <node_modules dir> <out.json> <pixels.bin>:<height>:<width> ...
//   node_modules: holds @vladmandic/face-api and @tensorflow/tfjs (see .ci/run);
//   pixels.bin: float32 little-endian RGB pixels in [0, 255], layout [height, width, 3].
// out.json: one entry per image: { "raw": [...] (the network's output [1, 13, 13, 25], row-major),
//   "rawShape": [...], "faces": [{ "score", "x", "y", "width", "height" }] (original pixels, face-api's order) }
'use strict';

const fs = require('fs');
const path = require('path');

async function main() {
  const [modules, outPath, ...images] = process.argv.slice(2);
  if (images.length === 0) {
    throw new Error('usage: node reference.cjs <node_modules dir> <out.json> <pixels.bin>:<height>:<width> ...');
  }
  const packageDir = path.join(modules, '@vladmandic', 'face-api');
  const faceapi = require(path.join(packageDir, 'dist', 'face-api.node-wasm.js'));
  const { tf } = faceapi;
  await tf.setBackend('cpu');
  await tf.ready();

  const net = faceapi.nets.tinyFaceDetector;
  await net.loadFromDisk(path.join(packageDir, 'model'));

  const results = [];
  for (const image of images) {
    const [pixelsPath, height, width] = image.split(':');
    results.push(await run(faceapi, pixelsPath, Number(height), Number(width)));
  }
  fs.writeFileSync(outPath, JSON.stringify(results));
}

async function run(faceapi, pixelsPath, height, width) {
  const { tf } = faceapi;
  const net = faceapi.nets.tinyFaceDetector;
  const bytes = fs.readFileSync(pixelsPath);
  const pixels = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const image = tf.tensor3d(pixels, [height, width, 3], 'float32');
  const raw = await net.forward(image, 416);
  const faces = await net.locateFaces(image, new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 }));
  const result = {
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    rawShape: raw.shape,
    raw: Array.from(await raw.data()),
    faces: faces.map((f) => ({ score: f.score, x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height })),
  };
  raw.dispose();
  image.dispose();
  return result;
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
