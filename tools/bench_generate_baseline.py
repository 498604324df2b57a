#!/usr/bin/env python3
"""PyTorch (CPU) baseline for `tfm bench generate`: greedy generation at batch 1 with a KV cache on
the same model folder, same prompt, same lengths and thread count; medians as one JSON line.

    python3 tools/bench_generate_baseline.py DIR [--threads N] [--prompt-tokens P] [--new-tokens G]
                                                 [--reps R] [--impl auto|plain|transformers]
                                                 [--torch-dtype f32|native]
    python3 tools/bench_generate_baseline.py --report TFM_JSON BASELINE_JSONL  (the table of bench_generate.sh)

Only torch and numpy are needed (Debian: apt-get install python3-torch). The model is
transformers' AutoModelForCausalLM when that imports, else (or with --impl plain) a plain-torch
GPT-2 or Llama built from the safetensors with a tiny reader (header JSON + numpy.frombuffer):
GPT-2 as HF's GPT2LMHeadModel computes it (Conv1D = addmm, gelu_new, tied lm_head), Llama as
LlamaForCausalLM (RMSNorm, rotate-half RoPE, grouped KV heads, SiLU gate). The plain KV cache is
preallocated for P + G positions and written in place (no torch.cat per token).
--torch-dtype f32 (default) widens 16-bit weights to f32, the path PyTorch CPU users run; native
keeps them 16-bit (slow on CPUs without bf16/f16 matmul kernels).

Measured as tfm bench generate does: prompt ids[i] = (i * 7919 + 101) % vocab; one repetition =
empty cache, the prompt in one forward (timed: prompt tokens/s) and its argmax, then G one-token
forwards feeding back the argmax (timed together: decode tokens/s); medians of R after a warm-up
(prompt + 2 tokens). "tokens" are the first 16 greedy tokens.

Tuning as shared/reference/baselines.md says: a worker process with OMP_WAIT_POLICY=PASSIVE,
OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = threads, OPENBLAS_CORETYPE=SkylakeX when
the CPU has avx512f (and none is set), torch.set_num_threads(threads), torch.inference_mode().
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_model_baseline import (load_results, n_cores, openblas_core, peak_rss_bytes,  # noqa: E402
                                  read_folder_weights, torch_python, tuned_env)

N_TOKENS = 16


# ---- weights (read with bench_model_baseline's safetensors reader) -----------------------------

def to_torch(raw):
    import torch
    w = {}
    for k, (a, dt) in raw.items():
        if dt == "BF16" and str(a.dtype) == "uint16":  # kept 16-bit: reinterpret the bits
            w[k] = torch.from_numpy(a.view("int16")).view(torch.bfloat16)
        else:
            w[k] = torch.from_numpy(a)
    return w


# ---- plain-torch GPT-2 and Llama with a preallocated KV cache ------------------------------------

class PlainLM:
    """forward(ids [1, S]) -> logits of the last position [vocab]; appends to the cache."""

    def __init__(self, d, widen):
        import torch
        with open(os.path.join(d, "config.json")) as f:
            self.cfg = cfg = json.load(f)
        raw = read_folder_weights(d, widen)
        self.src_dtype = ",".join(sorted({v[1] for v in raw.values()}))
        self.w = to_torch(raw)
        self.kind = cfg["model_type"]
        self.dtype = self.w[next(iter(self.w))].dtype
        if self.kind == "gpt2":
            self.H = cfg.get("n_embd", cfg.get("hidden_size"))
            self.L = cfg.get("n_layer", cfg.get("num_hidden_layers"))
            self.nh = cfg.get("n_head", cfg.get("num_attention_heads"))
            self.nkv = self.nh
            self.eps = cfg.get("layer_norm_epsilon", 1e-5)
            self.pre = "transformer." if "transformer.wte.weight" in self.w else ""
            self.lm_head = self.w.get("lm_head.weight", self.w[self.pre + "wte.weight"])
        elif self.kind in ("llama", "mistral", "qwen2"):
            self.H = cfg["hidden_size"]
            self.L = cfg["num_hidden_layers"]
            self.nh = cfg["num_attention_heads"]
            self.nkv = cfg.get("num_key_value_heads", self.nh)
            self.eps = cfg.get("rms_norm_eps", 1e-6)
            self.lm_head = self.w.get("lm_head.weight", self.w["model.embed_tokens.weight"])
        else:
            raise SystemExit("bench_generate_baseline: plain torch has GPT-2 and Llama only, not %s" % self.kind)
        self.D = cfg.get("head_dim", self.H // self.nh)
        if self.kind != "gpt2":
            theta = cfg.get("rope_theta", 10000.0)
            self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.D, 2, dtype=torch.int64).float() / self.D))
        self.k = self.v = None
        self.len = 0

    def alloc(self, max_len):
        import torch
        self.k = torch.zeros(self.L, 1, self.nkv, max_len, self.D, dtype=self.dtype)
        self.v = torch.zeros_like(self.k)
        self.len = 0

    def reset(self):
        self.len = 0

    def attend(self, l, q, k, v):
        import torch
        S, past = q.shape[2], self.len
        self.k[l, :, :, past:past + S] = k
        self.v[l, :, :, past:past + S] = v
        K = self.k[l, :, :, :past + S]
        V = self.v[l, :, :, :past + S]
        if self.nkv != self.nh:
            rep = self.nh // self.nkv
            K = K.repeat_interleave(rep, dim=1)
            V = V.repeat_interleave(rep, dim=1)
        s = torch.matmul(q, K.transpose(-1, -2)) / math.sqrt(self.D)
        if S > 1:
            mask = torch.full((S, past + S), float("-inf"), dtype=s.dtype).triu(past + 1)
            s = s + mask
        return torch.matmul(torch.softmax(s, dim=-1), V)  # [1, nh, S, D]

    def forward(self, ids):
        import torch
        import torch.nn.functional as F
        w, S, H, D, nh, nkv = self.w, ids.shape[1], self.H, self.D, self.nh, self.nkv
        pos = torch.arange(self.len, self.len + S)
        if self.kind == "gpt2":
            p = self.pre
            x = F.embedding(ids, w[p + "wte.weight"]) + F.embedding(pos, w[p + "wpe.weight"])[None]
            x = x.view(S, H)
            for l in range(self.L):
                q = p + "h.%d." % l
                h = F.layer_norm(x, (H,), w[q + "ln_1.weight"], w[q + "ln_1.bias"], self.eps)
                qkv = torch.addmm(w[q + "attn.c_attn.bias"], h, w[q + "attn.c_attn.weight"])
                qq, kk, vv = (t.view(1, S, nh, D).transpose(1, 2) for t in qkv.split(H, dim=1))
                a = self.attend(l, qq, kk, vv).transpose(1, 2).reshape(S, H)
                x = x + torch.addmm(w[q + "attn.c_proj.bias"], a, w[q + "attn.c_proj.weight"])
                h = F.layer_norm(x, (H,), w[q + "ln_2.weight"], w[q + "ln_2.bias"], self.eps)
                h = F.gelu(torch.addmm(w[q + "mlp.c_fc.bias"], h, w[q + "mlp.c_fc.weight"]), approximate="tanh")
                x = x + torch.addmm(w[q + "mlp.c_proj.bias"], h, w[q + "mlp.c_proj.weight"])
            x = F.layer_norm(x[-1:], (H,), w[p + "ln_f.weight"], w[p + "ln_f.bias"], self.eps)
        else:
            def rms(t, g):
                tf = t.float()
                tf = tf * torch.rsqrt(tf.pow(2).mean(-1, keepdim=True) + self.eps)
                return g * tf.to(t.dtype)

            freqs = torch.outer(pos.float(), self.inv_freq)
            emb = torch.cat((freqs, freqs), dim=-1)
            cos, sin = emb.cos().to(self.dtype), emb.sin().to(self.dtype)

            def rope(t):  # [1, heads, S, D]
                t1, t2 = t[..., :D // 2], t[..., D // 2:]
                return t * cos + torch.cat((-t2, t1), dim=-1) * sin

            x = F.embedding(ids, w["model.embed_tokens.weight"]).view(S, H)
            for l in range(self.L):
                q = "model.layers.%d." % l
                h = rms(x, w[q + "input_layernorm.weight"])
                qq = rope(F.linear(h, w[q + "self_attn.q_proj.weight"]).view(1, S, nh, D).transpose(1, 2))
                kk = rope(F.linear(h, w[q + "self_attn.k_proj.weight"]).view(1, S, nkv, D).transpose(1, 2))
                vv = F.linear(h, w[q + "self_attn.v_proj.weight"]).view(1, S, nkv, D).transpose(1, 2)
                a = self.attend(l, qq, kk, vv).transpose(1, 2).reshape(S, nh * D)
                x = x + F.linear(a, w[q + "self_attn.o_proj.weight"])
                h = rms(x, w[q + "post_attention_layernorm.weight"])
                g = F.silu(F.linear(h, w[q + "mlp.gate_proj.weight"])) * F.linear(h, w[q + "mlp.up_proj.weight"])
                x = x + F.linear(g, w[q + "mlp.down_proj.weight"])
            x = rms(x[-1:], w["model.norm.weight"])
        self.len += S
        return F.linear(x, self.lm_head)[0].float()


class HFLM:
    """transformers' AutoModelForCausalLM with its own cache (past_key_values)."""

    def __init__(self, d, torch_dtype):
        from transformers import AutoModelForCausalLM
        self.m = AutoModelForCausalLM.from_pretrained(d, torch_dtype=torch_dtype).eval()
        self.cfg = self.m.config.to_dict()
        self.past = None

    def alloc(self, max_len):
        self.past = None

    def reset(self):
        self.past = None

    def forward(self, ids):
        o = self.m(input_ids=ids, past_key_values=self.past, use_cache=True)
        self.past = o.past_key_values
        return o.logits[0, -1].float()


def build(d, impl, torch_dtype_opt):
    import torch
    widen = torch_dtype_opt == "f32"
    if impl in ("auto", "transformers"):
        try:
            with open(os.path.join(d, "config.json")) as f:
                td = json.load(f).get("torch_dtype", "float32")
            dt = torch.float32 if widen else getattr(torch, td, torch.float32)
            m = HFLM(d, dt)
            return m, "transformers (%s)" % str(dt).replace("torch.", "")
        except Exception as e:  # no transformers, or too new for this torch
            if impl == "transformers":
                raise
            print("bench_generate_baseline: transformers not usable (%s); plain torch" % type(e).__name__,
                  file=sys.stderr)
    m = PlainLM(d, widen)
    return m, "plain-torch (weights %s, computed in %s)" % (m.src_dtype, str(m.dtype).replace("torch.", ""))


# ---- worker --------------------------------------------------------------------------------------

def worker(a):
    import torch
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    t0 = time.perf_counter()
    model, how = build(a.model, a.impl, a.torch_dtype)
    load_ms = (time.perf_counter() - t0) * 1e3
    vocab = model.cfg["vocab_size"]
    P, G = a.prompt_tokens, a.new_tokens
    ids = ((torch.arange(P, dtype=torch.int64) * 7919 + 101) % vocab).view(1, P)
    model.alloc(P + G)
    tp, td, tokens = [], [], []
    with torch.inference_mode():
        for r in range(-1, a.reps):
            n_new = 2 if r < 0 else G
            model.reset()
            t = time.perf_counter()
            cur = int(torch.argmax(model.forward(ids)))
            dt_p = time.perf_counter() - t
            if r == 0:
                tokens.append(cur)
            t = time.perf_counter()
            for _ in range(n_new):
                cur = int(torch.argmax(model.forward(torch.tensor([[cur]], dtype=torch.int64))))
                if r == 0 and len(tokens) < N_TOKENS:
                    tokens.append(cur)
            dt_d = time.perf_counter() - t
            if r >= 0:
                tp.append(dt_p)
                td.append(dt_d)
                print("  pytorch rep %d: prompt %.1f ms, decode %.2f ms/token" % (r + 1, dt_p * 1e3, dt_d * 1e3 / G),
                      file=sys.stderr, flush=True)
    p_s, d_s = statistics.median(tp), statistics.median(td)
    print(json.dumps({"impl": "pytorch", "version": torch.__version__, "how": how, "threads": a.threads,
                      "prompt_tokens": P, "new_tokens": G, "reps": a.reps, "load_ms": load_ms,
                      "prompt_ms": p_s * 1e3, "prompt_tok_s": P / p_s, "decode_ms_per_token": d_s * 1e3 / G,
                      "decode_tok_s": G / d_s, "prompt_ms_all": [x * 1e3 for x in tp],
                      "decode_ms_per_token_all": [x * 1e3 / G for x in td], "peak_rss_bytes": peak_rss_bytes(),
                      "tokens": tokens, "openblas_core": openblas_core(),
                      "env": {k: os.environ.get(k) for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS",
                                                             "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE")}}),
          flush=True)


def drive(a):
    py = torch_python()
    if py is None:
        print(json.dumps({"impl": "pytorch", "error": "no python with torch+numpy (apt-get install python3-torch)"}))
        return 1
    cmd = [py, os.path.abspath(__file__), "--worker", "--threads", str(a.threads), "--prompt-tokens",
           str(a.prompt_tokens), "--new-tokens", str(a.new_tokens), "--reps", str(a.reps), "--impl", a.impl,
           "--torch-dtype", a.torch_dtype, a.model]
    r = subprocess.run(cmd, env=tuned_env(a.threads), stdout=subprocess.PIPE, text=True)
    got = False
    for line in r.stdout.splitlines():
        if line.strip().startswith("{"):
            print(line.strip(), flush=True)
            got = True
    if r.returncode != 0 or not got:
        print(json.dumps({"impl": "pytorch", "error": "worker exited %d" % r.returncode}), flush=True)
        return 1
    return 0


# ---- report ----------------------------------------------------------------------------------------

def report(tfm_json, base_jsonl):
    tfm, base = load_results(tfm_json, base_jsonl)
    pt = next((b for b in base if "decode_tok_s" in b), None)
    print("model %s (%s, %s weights %.1f MB), kernels %s, %d threads; prompt %d, %d new tokens, medians of %d" % (
        tfm.get("model"), tfm.get("model_type"), tfm.get("dtype"), tfm["weight_bytes"] / 1e6, tfm.get("isa"),
        tfm["threads"], tfm["prompt_tokens"], tfm["new_tokens"], tfm["reps"]))
    if pt:
        print("PyTorch %s: %s, OpenBLAS core %s" % (pt.get("version"), pt.get("how"), pt.get("openblas_core")))
    hdr = "%-20s %12s %12s %12s %12s" % ("tokens/s", "tfm", "PyTorch", "tfm/PyTorch", "bw bound")
    print(hdr)
    print("-" * len(hdr))

    def row(name, key, bound=None):
        a, b = tfm[key], pt.get(key) if pt else None
        print("%-20s %12.2f %12s %12s %12s" % (name, a, "%.2f" % b if b else "-", "%.2fx" % (a / b) if b else "-",
                                              "%.2f" % bound if bound else ""))

    row("prompt", "prompt_tok_s")
    row("decode", "decode_tok_s", tfm.get("bound_tok_s"))
    bound = tfm.get("bound_tok_s") or 0
    print("read bandwidth %.2f GB/s; %.1f MB of weights read per token -> bound %.2f tokens/s" % (
        tfm["bandwidth_gbs"], tfm["read_bytes_per_token"] / 1e6, bound))
    if bound:
        print("decode: tfm %.0f%% of the bound%s" % (100 * tfm["decode_tok_s"] / bound,
                                                     ", PyTorch %.0f%%" % (100 * pt["decode_tok_s"] / bound) if pt else ""))
    print("peak RSS MB: tfm %.1f (%.2f x weights)%s" % (
        tfm["peak_rss_bytes"] / 1e6, tfm["rss_over_weights"],
        ", PyTorch %.1f" % (pt["peak_rss_bytes"] / 1e6) if pt else ""))
    if pt:
        a, b = tfm.get("tokens", []), pt.get("tokens", [])
        n = min(len(a), len(b))
        same = 0
        while same < n and a[same] == b[same]:
            same += 1
        print("greedy tokens tfm    : %s" % " ".join(map(str, a)))
        print("greedy tokens PyTorch: %s" % " ".join(map(str, b)))
        print("first %d of %d agree%s" % (same, n, "" if same == n else "  <-- DIVERGE at %d" % same))
    for e in base:
        if "error" in e:
            print("%s: %s" % (e["impl"], e["error"]))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", nargs="?")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--prompt-tokens", type=int, default=128)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--impl", choices=["auto", "plain", "transformers"], default="auto")
    ap.add_argument("--torch-dtype", choices=["f32", "native"], default="f32")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--report", nargs=2, metavar=("TFM_JSON", "BASELINE_JSONL"))
    a = ap.parse_args()
    if a.report:
        return report(*a.report)
    if not a.model:
        ap.error("a model folder is needed")
    a.threads = a.threads if a.threads > 0 else int(os.environ.get("TFM_NUM_THREADS", "0") or 0) or n_cores()
    a.reps = max(1, a.reps)
    a.prompt_tokens = max(1, a.prompt_tokens)
    a.new_tokens = max(1, a.new_tokens)
    if a.worker:
        worker(a)
        return 0
    return drive(a)


if __name__ == "__main__":
    sys.exit(main())
