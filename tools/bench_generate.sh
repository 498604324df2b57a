#!/bin/sh
# Text-generation benchmark with its PyTorch baseline in one run, on one machine:
#   build/tfm bench generate (prompt and decode tokens/s at batch 1, greedy, KV cache; read bandwidth
#   and the bandwidth bound; peak RSS), then PyTorch (tools/bench_generate_baseline.py) on the same
#   folder, prompt, lengths and thread count; prints a table with the ratios tfm/PyTorch.
#
#   tools/bench_generate.sh [DIR]      DIR: a causal-LM folder; none: a random model (kept for the baseline)
#
# Environment: MODEL (gpt2 or llama1b: the random model's shape, default gpt2), DTYPE (f32, bf16 or f16;
# random model only), THREADS (default: every core), PROMPT (128), NEW (64), REPS (3), TORCH_DTYPE (f32:
# 16-bit weights widened, as PyTorch CPU users run them; native: kept 16-bit), TFM (default build/tfm),
# PYTHON (default: a python3 that imports torch, else /usr/bin/python3), KEEP_JSON (a folder to copy the
# raw tfm.json and baseline.jsonl into).
# Needs: PyTorch (Debian: apt-get install python3-torch; the system /usr/bin/python3 sees it).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TFM=${TFM:-$ROOT/build/tfm}
MODEL=${MODEL:-gpt2}
DTYPE=${DTYPE:-f32}
THREADS=${THREADS:-0}
PROMPT=${PROMPT:-128}
NEW=${NEW:-64}
REPS=${REPS:-3}
TORCH_DTYPE=${TORCH_DTYPE:-f32}
if [ -z "${PYTHON:-}" ]; then
    PYTHON=python3
    python3 -c 'import torch' 2>/dev/null || { [ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3; }
fi
[ -x "$TFM" ] || (cd "$ROOT" && make build/tfm >&2)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tfm-bench-generate-XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

set -- "${1:-}"
if [ -n "$1" ]; then
    DIR=$1
    "$TFM" bench generate --model "$DIR" --threads "$THREADS" --prompt-tokens "$PROMPT" --new-tokens "$NEW" \
        --reps "$REPS" --json > "$WORK/tfm.json"
else
    DIR=$WORK/model
    "$TFM" bench generate --make-random "$MODEL" --keep "$DIR" --dtype "$DTYPE" --threads "$THREADS" \
        --prompt-tokens "$PROMPT" --new-tokens "$NEW" --reps "$REPS" --json > "$WORK/tfm.json"
fi
N=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["threads"])' "$WORK/tfm.json")
"$PYTHON" "$ROOT/tools/bench_generate_baseline.py" "$DIR" --threads "$N" --prompt-tokens "$PROMPT" \
    --new-tokens "$NEW" --reps "$REPS" --torch-dtype "$TORCH_DTYPE" > "$WORK/baseline.jsonl" || true
if [ -n "${KEEP_JSON:-}" ]; then cp "$WORK/tfm.json" "$WORK/baseline.jsonl" "$KEEP_JSON"/; fi
"$PYTHON" "$ROOT/tools/bench_generate_baseline.py" --report "$WORK/tfm.json" "$WORK/baseline.jsonl"
