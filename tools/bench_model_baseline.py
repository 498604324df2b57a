#!/usr/bin/env python3
"""Baselines for `tfm bench model`: PyTorch (CPU) and ONNX Runtime (onnxruntime-node) on the same
model folder, same inputs, same shapes and thread counts, medians in ms as JSON lines.

    python3 tools/bench_model_baseline.py DIR [--threads N] [--reps R] [--batch B] [--seq S]
                                              [--impl auto|plain|transformers] [--skip-torch] [--skip-ort]
    python3 tools/bench_model_baseline.py --report TFM_JSON BASELINE_JSONL   (the table of tools/bench_model.sh)

Only torch and numpy are needed (Debian: apt-get install python3-torch). The model is loaded with
transformers' AutoModel when that imports, else (or with --impl plain) a plain-torch BERT is built
from the safetensors with a tiny reader (header JSON + numpy.frombuffer): embeddings, post-LN layers,
pooler. 16-bit weights are widened to f32 (the PyTorch CPU path users run).

Tuning as shared/reference/baselines.md says: each (library, thread count) runs in its own process
with OMP_WAIT_POLICY=PASSIVE, OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = threads,
OPENBLAS_CORETYPE=SkylakeX when the CPU has avx512f (and none is set), torch.set_num_threads(threads),
torch.inference_mode(). ONNX: torch.onnx.export (opset 14, dynamic batch/seq) to a temporary file,
run by tools/bench_model_ort.mjs under node with onnxruntime-node found in $ORT_NODE_DIR or
tools/node_modules (graph optimisation 'all', intra-op threads = threads). Install it with
    ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save --prefix tools onnxruntime-node
(the CPU build ships in the package; without the variable its install script tries to fetch CUDA
binaries from outside the npm registry and fails offline; --no-save writes no package.json).

Inputs match tfm bench model: ids[i] = (i * 7919 + 101) % vocab over the flat [batch, seq] index,
token types 0, mask 1; "check" is last_hidden_state[0, 0, 0:4].
"""
import argparse
import json
import math
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


# ---- environment -------------------------------------------------------------------------------

def cpu_has_avx512f():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return "avx512f" in line.split()
    except OSError:
        pass
    return False


def n_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def tuned_env(threads):
    env = dict(os.environ)
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[k] = str(threads)
    if cpu_has_avx512f() and "OPENBLAS_CORETYPE" not in os.environ:
        env["OPENBLAS_CORETYPE"] = "SkylakeX"
    return env


def torch_python():
    """An interpreter that imports torch: this one, else Debian's /usr/bin/python3."""
    for py in (sys.executable, "/usr/bin/python3"):
        if py and os.path.exists(py):
            r = subprocess.run([py, "-c", "import torch, numpy"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode == 0:
                return py
    return None


def find_ort_dir():
    """A folder from which require('onnxruntime-node') resolves."""
    cands = []
    if os.environ.get("ORT_NODE_DIR"):
        cands.append(os.environ["ORT_NODE_DIR"])
    cands.append(HERE)
    for c in cands:
        c = os.path.abspath(c)
        if os.path.isfile(os.path.join(c, "node_modules", "onnxruntime-node", "package.json")):
            return c
        if os.path.basename(c) == "onnxruntime-node" and os.path.isfile(os.path.join(c, "package.json")):
            return os.path.dirname(os.path.dirname(c))  # .../node_modules/onnxruntime-node
    return None


# ---- safetensors without the safetensors package ------------------------------------------------

def read_safetensors(path, widen=True):
    """name -> (numpy array, safetensors dtype). widen: 16-bit to f32; else bf16 stays raw uint16."""
    import numpy as np
    dt = {"F32": np.float32, "F16": np.float16, "BF16": np.uint16, "F64": np.float64,
          "I64": np.int64, "I32": np.int32}
    raw = bytearray(os.path.getsize(path))  # writable: f32 tensors are views of it, no second copy
    with open(path, "rb") as f:
        f.readinto(raw)
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        d = dt[info["dtype"]]
        a = np.frombuffer(raw, dtype=d, count=(end - start) // np.dtype(d).itemsize, offset=8 + n + start)
        if info["dtype"] == "BF16" and widen:
            a = (a.astype(np.uint32) << 16).view(np.float32)
        elif info["dtype"] == "F64" or (info["dtype"] == "F16" and widen):
            a = a.astype(np.float32)
        out[name] = (a.reshape(info["shape"]), info["dtype"])
    return out


def read_folder_weights(d, widen=True):
    idx = os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(idx):
        with open(idx) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    w = {}
    for fn in files:
        w.update(read_safetensors(os.path.join(d, fn), widen))
    return w


# ---- plain-torch BERT ---------------------------------------------------------------------------

def build_plain_bert(d):
    import torch
    import torch.nn.functional as F

    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    raw = read_folder_weights(d)
    src_dtype = sorted({v[1] for v in raw.values()})
    # accept checkpoints saved from BertFor* (prefix "bert.")
    w = {}
    for k, (a, _) in raw.items():
        w[k[5:] if k.startswith("bert.") else k] = torch.from_numpy(a)
    H = cfg["hidden_size"]
    nh = cfg["num_attention_heads"]
    L = cfg["num_hidden_layers"]
    eps = cfg.get("layer_norm_eps", 1e-12)
    act = cfg.get("hidden_act", "gelu")

    class PlainBert(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.p = torch.nn.ParameterDict(
                {k.replace(".", "__"): torch.nn.Parameter(v, requires_grad=False) for k, v in w.items()})

        def g(self, name):
            return self.p[name.replace(".", "__")]

        def forward(self, input_ids, token_type_ids, attention_mask):
            B, S = input_ids.shape
            dh = H // nh
            pos = torch.arange(S, device=input_ids.device).unsqueeze(0)
            x = (F.embedding(input_ids, self.g("embeddings.word_embeddings.weight"))
                 + F.embedding(pos, self.g("embeddings.position_embeddings.weight"))
                 + F.embedding(token_type_ids, self.g("embeddings.token_type_embeddings.weight")))
            x = F.layer_norm(x, (H,), self.g("embeddings.LayerNorm.weight"), self.g("embeddings.LayerNorm.bias"), eps)
            ext = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
            scale = 1.0 / math.sqrt(dh)
            for i in range(L):
                p = "encoder.layer.%d." % i

                def lin(t, n):
                    return F.linear(t, self.g(p + n + ".weight"), self.g(p + n + ".bias"))

                def heads(t):
                    return t.view(B, S, nh, dh).transpose(1, 2)

                q = heads(lin(x, "attention.self.query"))
                k = heads(lin(x, "attention.self.key"))
                v = heads(lin(x, "attention.self.value"))
                s = torch.matmul(q, k.transpose(-1, -2)) * scale + ext
                c = torch.matmul(torch.softmax(s, dim=-1), v).transpose(1, 2).reshape(B, S, H)
                x = F.layer_norm(lin(c, "attention.output.dense") + x, (H,), self.g(p + "attention.output.LayerNorm.weight"),
                                 self.g(p + "attention.output.LayerNorm.bias"), eps)
                h = lin(x, "intermediate.dense")
                h = F.gelu(h, approximate="tanh") if act in ("gelu_new", "gelu_pytorch_tanh") else F.gelu(h)
                x = F.layer_norm(lin(h, "output.dense") + x, (H,), self.g(p + "output.LayerNorm.weight"),
                                 self.g(p + "output.LayerNorm.bias"), eps)
            if "pooler.dense.weight" in w:
                pooled = torch.tanh(F.linear(x[:, 0], self.g("pooler.dense.weight"), self.g("pooler.dense.bias")))
                return x, pooled
            return (x,)

    return PlainBert().eval(), cfg, ",".join(src_dtype)


def build_model(d, impl):
    import torch
    if impl in ("auto", "transformers"):
        try:
            from transformers import AutoModel
            m = AutoModel.from_pretrained(d, torch_dtype=torch.float32).eval()
            with open(os.path.join(d, "config.json")) as f:
                cfg = json.load(f)

            class Wrap(torch.nn.Module):
                def __init__(self, m):
                    super().__init__()
                    self.m = m

                def forward(self, input_ids, token_type_ids, attention_mask):
                    o = self.m(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask,
                               return_dict=False)
                    return tuple(o)

            return Wrap(m).eval(), cfg, "transformers"
        except Exception as e:  # no transformers, or too new for this torch
            if impl == "transformers":
                raise
            print("bench_model_baseline: transformers not usable (%s); plain torch" % type(e).__name__, file=sys.stderr)
    m, cfg, src = build_plain_bert(d)
    return m, cfg, "plain-torch (weights %s)" % src


def make_inputs(torch, b, s, vocab):
    ids = ((torch.arange(b * s, dtype=torch.int64) * 7919 + 101) % vocab).reshape(b, s)
    return ids, torch.zeros_like(ids), torch.ones_like(ids)


def peak_rss_bytes():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def openblas_core():
    try:
        import ctypes
        for lib in ("libopenblas.so.0", "libblas.so.3"):
            try:
                h = ctypes.CDLL(lib, mode=ctypes.RTLD_GLOBAL)
                f = h.openblas_get_corename
                f.restype = ctypes.c_char_p
                return f().decode()
            except (OSError, AttributeError):
                continue
    except Exception:
        pass
    return None


# ---- workers (one process per library x thread count) ------------------------------------------

def worker_torch(a):
    import torch
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    t0 = time.perf_counter()
    model, cfg, how = build_model(a.model, a.impl)
    load_ms = (time.perf_counter() - t0) * 1e3
    vocab = cfg.get("vocab_size", 30522)
    for b in a.batches:
        ids, tt, mask = make_inputs(torch, b, a.seq, vocab)
        times = []
        with torch.inference_mode():
            for r in range(-2, a.reps):
                t = time.perf_counter()
                out = model(ids, tt, mask)
                dt = time.perf_counter() - t
                if r >= 0:
                    times.append(dt)
        check = [float(v) for v in out[0][0, 0, :4]]
        print(json.dumps({"impl": "pytorch", "version": torch.__version__, "how": how, "threads": a.threads,
                          "batch": b, "seq": a.seq, "ms": statistics.median(times) * 1e3, "reps": a.reps,
                          "load_ms": load_ms, "peak_rss_bytes": peak_rss_bytes(), "check": check,
                          "openblas_core": openblas_core(),
                          "env": {k: os.environ.get(k) for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS",
                                                                 "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE")}}),
              flush=True)


def worker_export(a):
    import torch
    model, cfg, how = build_model(a.model, a.impl)
    ids, tt, mask = make_inputs(torch, 2, 16, cfg.get("vocab_size", 30522))
    with torch.no_grad():
        n_out = len(model(ids, tt, mask))
    names = ["last_hidden_state", "pooler_output"][:n_out]
    axes = {"input_ids": {0: "batch", 1: "seq"}, "token_type_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"}, "last_hidden_state": {0: "batch", 1: "seq"},
            "pooler_output": {0: "batch"}}
    torch.onnx.export(model, (ids, tt, mask), a.onnx, opset_version=14, do_constant_folding=True,
                      input_names=["input_ids", "token_type_ids", "attention_mask"], output_names=names,
                      dynamic_axes={k: v for k, v in axes.items() if k in names or k.endswith(("ids", "mask"))})
    print(json.dumps({"exported": a.onnx, "how": how, "vocab": cfg.get("vocab_size", 30522)}), flush=True)


# ---- driver --------------------------------------------------------------------------------------

def run_lines(cmd, env):
    """Runs cmd, relays stderr, returns the JSON objects it printed one a line."""
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.stderr.strip():
        sys.stderr.write(r.stderr)
    out = []
    for line in r.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    if r.returncode != 0:
        print("bench_model_baseline: %s exited %d" % (os.path.basename(cmd[1] if len(cmd) > 1 else cmd[0]),
                                                      r.returncode), file=sys.stderr)
    return out


def drive(a):
    threads_list = [a.threads] if a.threads == 1 else [a.threads, 1]
    common = ["--reps", str(a.reps), "--seq", str(a.seq), "--batches", ",".join(map(str, a.batches)),
              "--impl", a.impl, a.model]
    py = torch_python()
    if py is None:
        print(json.dumps({"impl": "pytorch", "error": "no python with torch+numpy (apt-get install python3-torch)"}))
        return 1
    if not a.skip_torch:
        for t in threads_list:
            for o in run_lines([py, os.path.abspath(__file__), "--worker", "torch", "--threads", str(t)] + common,
                               tuned_env(t)):
                print(json.dumps(o), flush=True)
    if a.skip_ort:
        return 0
    node = shutil.which("node")
    ort_dir = find_ort_dir()
    if not node or not ort_dir:
        print(json.dumps({"impl": "onnxruntime", "error": "node or onnxruntime-node not found (set ORT_NODE_DIR "
                                                          "or npm install onnxruntime-node in tools/)"}), flush=True)
        return 0
    tmp = tempfile.mkdtemp(prefix="tfm-bench-onnx-")
    try:
        onnx = os.path.join(tmp, "model.onnx")
        t0 = time.perf_counter()
        ex = run_lines([py, os.path.abspath(__file__), "--worker", "export", "--threads", str(a.threads),
                        "--onnx", onnx] + common, tuned_env(a.threads))
        if not ex or not os.path.exists(onnx):
            print(json.dumps({"impl": "onnxruntime", "error": "torch.onnx.export failed"}), flush=True)
            return 0
        export_s = time.perf_counter() - t0
        for t in threads_list:
            env = tuned_env(t)
            env["ORT_NODE_DIR"] = ort_dir
            for o in run_lines([node, os.path.join(HERE, "bench_model_ort.mjs"), "--model", onnx, "--threads", str(t),
                                "--reps", str(a.reps), "--seq", str(a.seq), "--batches", ",".join(map(str, a.batches)),
                                "--vocab", str(ex[0]["vocab"])], env):
                o["export_s"] = round(export_s, 2)
                o["exported_from"] = ex[0]["how"]
                print(json.dumps(o), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def load_results(tfm_json, base_jsonl):
    """The tfm bench JSON and the baseline's JSON lines (other lines skipped)."""
    with open(tfm_json) as f:
        tfm = json.load(f)
    base = []
    with open(base_jsonl) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                base.append(json.loads(line))
    return tfm, base


def report(tfm_json, base_jsonl):
    tfm, base = load_results(tfm_json, base_jsonl)
    errors = [b for b in base if "error" in b]
    ms = {}
    rss = {}
    checks = {}
    for b in base:
        if "ms" in b:
            ms[(b["impl"], b["batch"], b["seq"], b["threads"])] = b["ms"]
            rss[b["impl"]] = max(rss.get(b["impl"], 0), b.get("peak_rss_bytes", 0))
            checks.setdefault(b["impl"], b.get("check"))
    print("model %s (%s, %s weights %.1f MB), kernels %s; medians of %d, ms" % (
        tfm.get("model"), tfm.get("model_type"), tfm.get("dtype"), tfm["weight_bytes"] / 1e6, tfm.get("isa"),
        tfm.get("reps", 0)))
    hdr = "%-7s %-5s %-8s %10s %10s %10s %12s %12s %9s" % ("batch", "seq", "threads", "tfm", "PyTorch", "ORT",
                                                            "tfm/PyTorch", "tfm/ORT", "tfm %peak")
    print(hdr)
    print("-" * len(hdr))

    def f(v):
        return "%10.1f" % v if v else "%10s" % "-"

    for r in tfm["results"]:
        k = (r["batch"], r["seq"], r["threads"])
        pt = ms.get(("pytorch",) + k)
        ort = ms.get(("onnxruntime",) + k)
        print("%-7d %-5d %-8d %s %s %s %12s %12s %9s" % (
            r["batch"], r["seq"], r["threads"], f(r["ms"]), f(pt), f(ort),
            "%.2f" % (r["ms"] / pt) if pt else "-", "%.2f" % (r["ms"] / ort) if ort else "-",
            "%.0f%%" % r["pct_peak"] if r.get("pct_peak") else "-"))
    print("peak RSS MB: tfm %.1f (%.2f x weights)%s%s" % (
        tfm["peak_rss_bytes"] / 1e6, tfm["rss_over_weights"],
        ", PyTorch %.1f" % (rss["pytorch"] / 1e6) if rss.get("pytorch") else "",
        ", ORT (node) %.1f" % (rss["onnxruntime"] / 1e6) if rss.get("onnxruntime") else ""))
    c = tfm.get("check")
    for impl, bc in checks.items():
        if c and bc:
            d = max(abs(x - y) for x, y in zip(c, bc))
            print("check vs %s: max |diff| of last_hidden_state[0,0,0:4] = %.2g%s" % (
                impl, d, "" if d < 1e-3 else "  <-- MISMATCH"))
    for e in errors:
        print("%s: %s" % (e["impl"], e["error"]))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", nargs="?")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--batches", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--impl", choices=["auto", "plain", "transformers"], default="auto")
    ap.add_argument("--skip-torch", action="store_true")
    ap.add_argument("--skip-ort", action="store_true")
    ap.add_argument("--worker", choices=["torch", "export"], help=argparse.SUPPRESS)
    ap.add_argument("--onnx", help=argparse.SUPPRESS)
    ap.add_argument("--report", nargs=2, metavar=("TFM_JSON", "BASELINE_JSONL"))
    a = ap.parse_args()
    if a.report:
        return report(*a.report)
    if not a.model:
        ap.error("a model folder is needed")
    a.threads = a.threads if a.threads > 0 else int(os.environ.get("TFM_NUM_THREADS", "0") or 0) or n_cores()
    a.reps = max(1, a.reps)
    a.batches = [int(x) for x in a.batches.split(",")] if a.batches else ([1] if a.batch == 1 else [1, a.batch])
    if a.worker == "torch":
        worker_torch(a)
        return 0
    if a.worker == "export":
        worker_export(a)
        return 0
    return drive(a)


if __name__ == "__main__":
    sys.exit(main())
