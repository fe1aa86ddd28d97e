#!/usr/bin/env node
// Reference outputs of nsfwjs's own MobileNetV2, run with TensorFlow.js in node, for checking juicer's
// libtorch import of the model (src/probe_cli/nsfw_model.cpp; the NsfwModel.MatchesTfjs test runs this).
//
// Usage: node scripts/nsfw_verify.js [--install] --out result.json IMAGE.rgb:HEIGHT:WIDTH ...
//   Each input is raw interleaved 8-bit RGB (HEIGHT*WIDTH*3 bytes), i.e. already decoded, so both sides
//   see identical pixels. For each image nsfwjs's infer() runs (pixels / 255, resizeBilinear with
//   alignCorners to 224x224, the Keras model) and result.json gets
//   [{"probs": [Drawing, Hentai, Neutral, Porn, Sexy], "embedding": [1280 floats of flatten_1]}, ...].
//
// Needs the npm packages nsfwjs (third_party/npm/nsfwjs, fetched by scripts/setup.sh; or
// $JUICER_NPM_DIR/nsfwjs) and @tensorflow/tfjs, looked for in $JUICER_NPM_NODE_DIR or
// third_party/npm-node/node_modules. --install runs `npm install --prefix third_party/npm-node
// @tensorflow/tfjs@4.22.0` first when it is missing. Exits 3 with a message when a package is missing.
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");
const { execFileSync } = require("child_process");

const kTfjs = "@tensorflow/tfjs@4.22.0";  // nsfwjs 4.4.0: peer ^4.0.0, built and tested with ^4.22.0
const repo = path.resolve(__dirname, "..");

function missing(msg) {
  process.stderr.write(`nsfw_verify: ${msg}\n`);
  process.exit(3);
}

function main() {
  const args = process.argv.slice(2);
  let install = false;
  let out = null;
  const inputs = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--install") install = true;
    else if (args[i] === "--out") out = args[++i];
    else inputs.push(args[i]);
  }
  if (!out) {
    process.stderr.write("usage: node scripts/nsfw_verify.js [--install] --out result.json IMAGE.rgb:H:W ...\n");
    process.exit(2);
  }
  const nodeDir = process.env.JUICER_NPM_NODE_DIR || path.join(repo, "third_party", "npm-node");
  const modules = path.join(nodeDir, "node_modules");
  const nsfwDir = path.join(process.env.JUICER_NPM_DIR || path.join(repo, "third_party", "npm"), "nsfwjs");
  if (!fs.existsSync(path.join(nsfwDir, "package.json"))) missing(`nsfwjs not found in ${nsfwDir}: run scripts/setup.sh`);
  if (!fs.existsSync(path.join(modules, "@tensorflow", "tfjs", "package.json"))) {
    if (!install) missing(`@tensorflow/tfjs not found in ${modules}: run node scripts/nsfw_verify.js --install --out /dev/null`);
    execFileSync("npm", ["install", "--prefix", nodeDir, "--no-audit", "--no-fund", "--no-save", kTfjs],
                 { stdio: ["ignore", process.stderr, process.stderr] });
  }
  // nsfwjs requires @tensorflow/tfjs from its own directory: make node_modules resolvable from there.
  process.env.NODE_PATH = [modules, process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  Module._initPaths();

  const log = console.log;
  console.log = console.info = console.warn = () => {};  // tfjs and nsfwjs chatter
  const tf = require("@tensorflow/tfjs");
  const nsfwjs = require(path.join(nsfwDir, "dist", "cjs", "index.js"));
  console.log = log;
  return (async () => {
    await tf.setBackend("cpu");
    const model = await nsfwjs.load("MobileNetV2");
    const results = [];
    for (const spec of inputs) {
      const m = /^(.*):(\d+):(\d+)$/.exec(spec);
      if (!m) throw new Error(`bad input ${spec} (expected FILE:HEIGHT:WIDTH)`);
      const [h, w] = [Number(m[2]), Number(m[3])];
      const bytes = fs.readFileSync(m[1]);
      if (bytes.length !== h * w * 3) throw new Error(`${m[1]}: ${bytes.length} bytes, expected ${h * w * 3}`);
      const img = tf.tensor3d(Int32Array.from(bytes), [h, w, 3], "int32");
      const probs = model.infer(img);
      const emb = model.infer(img, "flatten_1");
      results.push({ probs: Array.from(await probs.data()), embedding: Array.from(await emb.data()) });
      tf.dispose([img, probs, emb]);
    }
    fs.writeFileSync(out, JSON.stringify(results));
    process.stderr.write(`nsfw_verify: ${results.length} image(s) with tfjs ${tf.version.tfjs} (${tf.getBackend()})\n`);
  })();
}

main().catch((e) => {
  process.stderr.write(`nsfw_verify: ${e.stack || e}\n`);
  process.exit(1);
});
