#!/bin/sh
# Encoder benchmark with its baselines in one run, on one machine:
#   build/tfm bench model, then PyTorch and ONNX Runtime (tools/bench_model_baseline.py) on the same
#   folder, same inputs, shapes and thread counts; prints a table with the ratios tfm/PyTorch, tfm/ORT.
#
#   tools/bench_model.sh [DIR]          DIR: a model folder; none: a random BERT-base (kept for the baselines)
#
# Environment: THREADS (default: every core), REPS (10), BATCH (8), SEQ (128), DTYPE (f32; random model
# only), TFM (default build/tfm), PYTHON (default: a python3 that imports torch, else /usr/bin/python3),
# ORT_NODE_DIR (a folder with node_modules/onnxruntime-node; default tools/node_modules), KEEP_JSON (a folder
# to copy the raw tfm.json and baseline.jsonl into).
# Needs: PyTorch (Debian: apt-get install python3-torch; the system /usr/bin/python3 sees it) and, for ONNX
# Runtime, node 20 with: ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save --prefix tools onnxruntime-node
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TFM=${TFM:-$ROOT/build/tfm}
REPS=${REPS:-10}
BATCH=${BATCH:-8}
SEQ=${SEQ:-128}
DTYPE=${DTYPE:-f32}
THREADS=${THREADS:-0}
if [ -z "${PYTHON:-}" ]; then
    PYTHON=python3
    python3 -c 'import torch' 2>/dev/null || { [ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3; }
fi
[ -x "$TFM" ] || (cd "$ROOT" && make build/tfm >&2)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tfm-bench-model-XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

set -- "${1:-}"
if [ -n "$1" ]; then
    DIR=$1
    "$TFM" bench model --model "$DIR" --threads "$THREADS" --reps "$REPS" --batch "$BATCH" --seq "$SEQ" --json \
        > "$WORK/tfm.json"
else
    DIR=$WORK/model
    "$TFM" bench model --make-random "$DIR" --dtype "$DTYPE" --threads "$THREADS" --reps "$REPS" --batch "$BATCH" \
        --seq "$SEQ" --json > "$WORK/tfm.json"
fi
N=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["threads"])' "$WORK/tfm.json")
"$PYTHON" "$ROOT/tools/bench_model_baseline.py" "$DIR" --threads "$N" --reps "$REPS" --batch "$BATCH" --seq "$SEQ" \
    > "$WORK/baseline.jsonl"
if [ -n "${KEEP_JSON:-}" ]; then cp "$WORK/tfm.json" "$WORK/baseline.jsonl" "$KEEP_JSON"/; fi
"$PYTHON" "$ROOT/tools/bench_model_baseline.py" --report "$WORK/tfm.json" "$WORK/baseline.jsonl"
