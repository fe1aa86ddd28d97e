#!/usr/bin/env node
// Unpacks the MobileNetV2 NSFW classifier that the npm package nsfwjs ships inside browserify bundles
// (dist/models/mobilenet_v2/model.min.js and group1-shardNofM.min.js) into a plain TensorFlow.js
// layers model: <out>/model.json (Keras topology + weights manifest) and one <shard>.bin per weight
// shard (the raw, still uint8-quantized bytes; the manifest keeps each weight's {min, scale, dtype},
// which juicer's loader uses to dequantize: value = min + scale * q, as tfjs does).
//
// Usage: node scripts/nsfw_extract.js <nsfwjs package dir> <out dir> [model name, default mobilenet_v2]
//
// Each bundle is a UMD wrapper whose module 1 sets `module.exports` to the model JSON object or to the
// shard's base64 string. The bundle is evaluated in an empty vm context (no require, no globals), and
// when that fails the payload is found in the text instead: the object literal that starts with
// `{modelTopology:` (evaluated alone) or the longest base64 string literal.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

function fail(msg) {
  process.stderr.write(`nsfw_extract: ${msg}\n`);
  process.exit(1);
}

// Runs the bundle in an empty sandbox and returns what it exported (undefined on failure).
function runBundle(src, file) {
  const module = { exports: {} };
  const sandbox = { module, exports: module.exports };
  try {
    vm.runInNewContext(src, sandbox, { filename: file, timeout: 60000 });
  } catch (e) {
    process.stderr.write(`nsfw_extract: evaluating ${file} failed (${e.message}); searching its text\n`);
    return undefined;
  }
  return module.exports;
}

// The balanced {...} starting at `start` (skips braces inside string literals).
function balancedObject(src, start) {
  let depth = 0;
  let quote = null;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return src.slice(start, i + 1);
  }
  return null;
}

function loadModelJson(file) {
  const src = fs.readFileSync(file, "utf8");
  let obj = runBundle(src, file);
  if (!obj || typeof obj !== "object" || !obj.modelTopology) {
    const at = src.indexOf("{modelTopology:");
    const lit = at >= 0 ? balancedObject(src, at) : null;
    if (!lit) fail(`${file}: no model JSON (an object literal starting with {modelTopology:) found`);
    obj = vm.runInNewContext(`(${lit})`, {}, { timeout: 60000 });
  }
  if (!obj.modelTopology || !Array.isArray(obj.weightsManifest))
    fail(`${file}: the model JSON has no modelTopology or weightsManifest`);
  return JSON.parse(JSON.stringify(obj));  // plain data, detached from the sandbox
}

function loadShard(file) {
  const src = fs.readFileSync(file, "utf8");
  let b64 = runBundle(src, file);
  if (typeof b64 !== "string") {
    let best = "";
    for (const m of src.matchAll(/"([A-Za-z0-9+/]{64,}={0,2})"/g)) if (m[1].length > best.length) best = m[1];
    if (!best) fail(`${file}: no base64 weight string found`);
    b64 = best;
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) fail(`${file}: the weight string is not base64`);
  return Buffer.from(b64, "base64");
}

const kBytes = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2, bool: 1 };

function main() {
  const [pkg, out, name = "mobilenet_v2"] = process.argv.slice(2);
  if (!pkg || !out) fail("usage: node scripts/nsfw_extract.js <nsfwjs package dir> <out dir> [model]");
  const dir = path.join(pkg, "dist", "models", name);
  const modelFile = path.join(dir, "model.min.js");
  if (!fs.existsSync(modelFile)) fail(`${modelFile} not found (is ${pkg} the nsfwjs package?)`);
  const model = loadModelJson(modelFile);

  fs.mkdirSync(out, { recursive: true });
  let shardBytes = 0;
  let expected = 0;
  for (const group of model.weightsManifest) {
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const dtype = w.quantization ? w.quantization.dtype : w.dtype;
      if (!(dtype in kBytes)) fail(`weight ${w.name}: unsupported dtype ${dtype}`);
      expected += count * kBytes[dtype];
    }
    group.paths = group.paths.map((p) => {
      const base = path.basename(p).replace(/\.(bin|min\.js)$/, "");
      const bytes = loadShard(path.join(dir, `${base}.min.js`));
      fs.writeFileSync(path.join(out, `${base}.bin`), bytes);
      shardBytes += bytes.length;
      return `${base}.bin`;
    });
  }
  if (shardBytes !== expected)
    fail(`the shards hold ${shardBytes} bytes but the manifest describes ${expected}`);
  const version = (() => {
    try {
      return JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version;
    } catch {
      return "?";
    }
  })();
  const json = {
    format: "layers-model",
    generatedBy: `nsfwjs@${version} dist/models/${name}`,
    convertedBy: "juicer scripts/nsfw_extract.js",
    modelTopology: model.modelTopology,
    weightsManifest: model.weightsManifest,
  };
  // Written last, so an interrupted run leaves no model.json next to missing shards.
  fs.writeFileSync(path.join(out, "model.json.tmp"), JSON.stringify(json));
  fs.renameSync(path.join(out, "model.json.tmp"), path.join(out, "model.json"));
  const layers = model.modelTopology.model_config.config.layers.length;
  process.stderr.write(`nsfw_extract: ${out}/model.json (${layers} layers, ${shardBytes} weight bytes)\n`);
}

main();
