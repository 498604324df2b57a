#!/usr/bin/env python3
"""Baseline for `tfm bench tokenize`: the Python `tokenizers` library (Rust core) on the same
corpus, the same repetition count and the same machine.

    python3 tools/bench_tokenizers_baseline.py [--corpus FILE] [--mb N] [--json] MODEL_DIR...

Single thread = `encode_batch` with TOKENIZERS_PARALLELISM=false (offsets are always computed by
the Rust core); batch = `encode_batch` with the library's own thread pool. Load = from_file.
"""
import argparse
import json
import os
import sys
import time


def load_lines(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            lines.append(json.loads(line) if path.endswith(".jsonl") else line)
    return lines


def bench(model_dir, lines, reps, parallel):
    os.environ["TOKENIZERS_PARALLELISM"] = "true" if parallel else "false"
    from tokenizers import Tokenizer  # imported after the variable is set

    t0 = time.perf_counter()
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    load = time.perf_counter() - t0
    tok.no_truncation()
    tok.no_padding()
    total_bytes = sum(len(s.encode("utf-8")) for s in lines) * reps
    tokens = 0
    t0 = time.perf_counter()
    for _ in range(reps):
        for enc in tok.encode_batch(lines, add_special_tokens=True):
            tokens += len(enc.ids)
    dt = time.perf_counter() - t0
    return load, total_bytes / dt / 1e6, tokens / dt / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="tests/tokenizer_corpus/corpus.jsonl")
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("models", nargs="+")
    a = ap.parse_args()
    lines = load_lines(a.corpus)
    once = sum(len(s.encode("utf-8")) for s in lines)
    reps = int(a.mb * 1e6 / max(once, 1)) + 1
    rows = []
    for m in a.models:
        load, mbs, mtok = bench(m, lines, reps, parallel=False)
        _, pmbs, pmtok = bench(m, lines, reps, parallel=True)
        rows.append({"model": m, "load_ms": load * 1e3, "single_mb_s": mbs, "single_mtok_s": mtok,
                     "batch_mb_s": pmbs, "batch_mtok_s": pmtok, "threads": os.cpu_count()})
    if a.json:
        print(json.dumps(rows))
    else:
        print("tokenizers (Rust core via Python): %d strings x %d, offsets on" % (len(lines), reps))
        for r in rows:
            print("%-28.28s load %7.1f ms  1T %6.2f MB/s %6.3f Mtok/s  batch %6.2f MB/s"
                  % (r["model"], r["load_ms"], r["single_mb_s"], r["single_mtok_s"], r["batch_mb_s"]))


if __name__ == "__main__":
    sys.exit(main())
