// ONNX Runtime baseline for `tfm bench model` (run by tools/bench_model_baseline.py).
//
//   node tools/bench_model_ort.mjs --model MODEL.onnx [--threads N] [--reps R] [--seq S] [--batches 1,8]
//                                  [--vocab V]
//
// onnxruntime-node is resolved from $ORT_NODE_DIR (a folder holding node_modules/onnxruntime-node),
// else from tools/node_modules. Session: graph optimisation 'all', intra-op threads = N, one inter-op
// thread, sequential execution, CPU provider. Inputs as tfm bench model: ids[i] = (i * 7919 + 101) %
// vocab, token types 0, mask 1 (int64). Prints one JSON line per shape: median ms of R runs after 2
// warm-ups, peak RSS, last_hidden_state[0, 0, 0:4].
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const modelPath = opt('--model', null);
const threads = parseInt(opt('--threads', '1'), 10);
const reps = Math.max(1, parseInt(opt('--reps', '10'), 10));
const seq = parseInt(opt('--seq', '128'), 10);
const batches = opt('--batches', '1,8').split(',').map((x) => parseInt(x, 10));
const vocab = parseInt(opt('--vocab', '30522'), 10);
if (!modelPath) {
  console.error('usage: node bench_model_ort.mjs --model MODEL.onnx [--threads N] [--reps R] [--seq S] [--batches 1,8]');
  process.exit(2);
}

function loadOrt() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dirs = [process.env.ORT_NODE_DIR, here].filter(Boolean);
  for (const d of dirs) {
    try {
      return createRequire(path.join(path.resolve(d), 'noop.js'))('onnxruntime-node');
    } catch (e) {
      /* next */
    }
  }
  return null;
}

const ort = loadOrt();
if (!ort) {
  console.log(JSON.stringify({ impl: 'onnxruntime', error: 'onnxruntime-node not found (ORT_NODE_DIR, tools/node_modules)' }));
  process.exit(0);
}

const t0 = performance.now();
const session = await ort.InferenceSession.create(modelPath, {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
});
const loadMs = performance.now() - t0;

for (const b of batches) {
  const n = b * seq;
  const ids = new BigInt64Array(n);
  for (let i = 0; i < n; i++) ids[i] = BigInt((i * 7919 + 101) % vocab);
  const all = {
    input_ids: new ort.Tensor('int64', ids, [b, seq]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), [b, seq]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [b, seq]),
  };
  const feeds = {};
  for (const name of session.inputNames) feeds[name] = all[name];
  const times = [];
  let out = null;
  for (let r = -2; r < reps; r++) {
    const t = performance.now();
    out = await session.run(feeds);
    const dt = performance.now() - t;
    if (r >= 0) times.push(dt);
  }
  times.sort((x, y) => x - y);
  const mid = times.length >> 1;
  const med = times.length % 2 ? times[mid] : 0.5 * (times[mid - 1] + times[mid]);
  const h = out[session.outputNames[0]].data;
  console.log(JSON.stringify({
    impl: 'onnxruntime',
    version: ort.env.versions ? ort.env.versions.node || ort.env.versions.common : null,
    threads, batch: b, seq, ms: med, reps, load_ms: loadMs,
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
    check: [h[0], h[1], h[2], h[3]],
  }));
}
