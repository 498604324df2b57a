#!/bin/sh
# Image-classification benchmark with its baseline in one run, on one machine:
#   test images made with Pillow (16 JPEGs 640x480, 16 PNGs 500x375), build/tfm bench vision, then
#   Pillow + PyTorch (tools/bench_vision_baseline.py) on the same folder, images and thread counts;
#   prints a table with the ratios tfm/PyTorch.
#
#   tools/bench_vision.sh [DIR]         DIR: a ViT model folder; none: a random ViT-base classifier (kept for the baseline)
#
# Environment: THREADS (default: every core), REPS (10), BATCH (16), IMAGES (a folder of *.jpg / *.png to use
# instead of the generated ones), TFM (default build/tfm), PYTHON (default: a python3 that imports torch, else
# /usr/bin/python3), KEEP_JSON (a folder to copy the raw tfm.json and baseline.jsonl into).
# Needs: PyTorch, NumPy and Pillow (Debian: apt-get install python3-torch python3-pil; the system /usr/bin/python3
# sees them).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TFM=${TFM:-$ROOT/build/tfm}
REPS=${REPS:-10}
BATCH=${BATCH:-16}
THREADS=${THREADS:-0}
if [ -z "${PYTHON:-}" ]; then
    PYTHON=python3
    python3 -c 'import torch, PIL' 2>/dev/null || { [ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3; }
fi
[ -x "$TFM" ] || (cd "$ROOT" && make build/tfm >&2)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tfm-bench-vision-XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

if [ -n "${IMAGES:-}" ]; then
    IMG=$IMAGES
else
    IMG=$WORK/images
    "$PYTHON" "$ROOT/tools/bench_vision_baseline.py" --make-images "$IMG"
fi

set -- "${1:-}"
if [ -n "$1" ]; then
    DIR=$1
    "$TFM" bench vision --model "$DIR" --images "$IMG" --threads "$THREADS" --reps "$REPS" --batch "$BATCH" --json \
        > "$WORK/tfm.json"
else
    DIR=$WORK/model
    "$TFM" bench vision --make-random "$DIR" --images "$IMG" --threads "$THREADS" --reps "$REPS" --batch "$BATCH" \
        --json > "$WORK/tfm.json"
fi
N=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["threads"])' "$WORK/tfm.json")
"$PYTHON" "$ROOT/tools/bench_vision_baseline.py" "$DIR" --images "$IMG" --threads "$N" --reps "$REPS" \
    --batch "$BATCH" > "$WORK/baseline.jsonl"
if [ -n "${KEEP_JSON:-}" ]; then cp "$WORK/tfm.json" "$WORK/baseline.jsonl" "$KEEP_JSON"/; fi
"$PYTHON" "$ROOT/tools/bench_vision_baseline.py" --report "$WORK/tfm.json" "$WORK/baseline.jsonl"
