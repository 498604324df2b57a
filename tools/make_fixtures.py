#!/usr/bin/env python3
"""Generate golden test fixtures for transformers.h.

Usage: python3 tools/make_fixtures.py [OUTDIR]      (default: tests/fixtures)

Deterministic (fixed seeds, CPU only, one thread, no network).  Needs torch,
transformers (5.x), safetensors and numpy.  Writes:

  OUTDIR/models/<name>/        tiny random HF models (config.json + safetensors)
  OUTDIR/expected/<name>.safetensors          every stored tensor, as float32
  OUTDIR/expected/<name>.forward.safetensors  input ids + logits/hidden states
  OUTDIR/ops.safetensors       reference inputs/outputs of single ops
  OUTDIR/VERSIONS.txt          versions of the software that made them
  OUTDIR/README.md             description of the above
"""
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["CUDA_VISIBLE_DEVICES"] = ""
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import glob
import inspect
import json
import math
import platform
import shutil

import numpy as np
import torch
import torch.nn.functional as F
import safetensors
import transformers
from safetensors.torch import load_file, save_file

torch.set_num_threads(1)
torch.set_grad_enabled(False)

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
LOG = []


def log(*a):
    s = " ".join(str(x) for x in a)
    LOG.append(s)
    print(s, flush=True)


def seed(n):
    torch.manual_seed(n)
    np.random.seed(n)


def prep(t):
    """Contiguous, own storage (save_file rejects shared tensors)."""
    return t.detach().contiguous().clone()


# ----------------------------------------------------------------------------
# 1. models
# ----------------------------------------------------------------------------

def perturb(model, std=0.05):
    """Add noise to every parameter so LayerNorm weights are not exactly 1 and
    biases not exactly 0 (catches swapped/ignored tensors).  named_parameters()
    de-duplicates tied parameters, so ties stay tied."""
    for _, p in model.named_parameters():
        p.add_(torch.randn_like(p) * std)


def save_model(model, d, max_shard_size=None):
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    kw = {}
    params = inspect.signature(model.save_pretrained).parameters
    if "safe_serialization" in params:  # transformers 4.x; always safetensors in 5.x
        kw["safe_serialization"] = True
    if max_shard_size is not None:
        kw["max_shard_size"] = max_shard_size
    model.save_pretrained(d, **kw)


def stored_tensors(d):
    files = sorted(glob.glob(os.path.join(d, "*.safetensors")))
    assert files, "no safetensors in " + d
    out = {}
    for f in files:
        for k, v in load_file(f).items():
            assert k not in out, k
            out[k] = v
    return files, out


def write_expected(name, d):
    files, tensors = stored_tensors(d)
    exp = {k: prep(v.float()) for k, v in tensors.items()}
    os.makedirs(os.path.join(OUT, "expected"), exist_ok=True)
    save_file(exp, os.path.join(OUT, "expected", name + ".safetensors"),
              metadata={"source": "models/" + name, "note": "stored tensors converted with t.float()"})
    log(f"[{name}] files: {[os.path.basename(f) for f in files]}")
    for k in sorted(tensors):
        log(f"[{name}]   {k} {tensors[k].dtype} {list(tensors[k].shape)}")
    return tensors


def write_forward(name, model, vocab, with_mask):
    """Golden forward pass (eager attention, CPU, fp32 or the model's dtype)."""
    try:
        try:
            model.config._attn_implementation = "eager"
        except Exception as e:  # noqa
            log(f"[{name}] could not set eager attention: {e!r}")
        model.eval()
        seed(4242)
        ids = torch.randint(0, vocab, (2, 8), dtype=torch.int64)
        mask = torch.ones(2, 8, dtype=torch.int64)
        kw = {}
        if with_mask:
            mask[1, 6:] = 0
            kw["attention_mask"] = mask
        out = model(input_ids=ids, output_hidden_states=True, **kw)
        t = {"input_ids": prep(ids), "attention_mask": prep(mask), "logits": prep(out.logits.float())}
        for i, h in enumerate(out.hidden_states):
            t[f"hidden_states.{i}"] = prep(h.float())
        meta = {"model": "models/" + name,
                "attn_implementation": str(getattr(model.config, "_attn_implementation", "?")),
                "compute_dtype": str(next(model.parameters()).dtype),
                "attention_mask_used": str(bool(with_mask)),
                "note": "hidden_states.0 = embeddings output; logits/hidden computed in the model dtype then .float()"}
        save_file(t, os.path.join(OUT, "expected", name + ".forward.safetensors"), metadata=meta)
        log(f"[{name}] forward ok: logits {list(out.logits.shape)} attn={meta['attn_implementation']}")
    except Exception as e:  # extra; never fail the whole run for it
        log(f"[{name}] forward FAILED (skipped): {e!r}")


def make_models():
    from transformers import (BertConfig, BertForMaskedLM, GPT2Config, GPT2LMHeadModel,
                              LlamaConfig, LlamaForCausalLM)
    mdir = os.path.join(OUT, "models")
    os.makedirs(mdir, exist_ok=True)
    info = {}

    def bert():
        cfg = BertConfig(vocab_size=128, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=64, max_position_embeddings=64, type_vocab_size=2,
                         initializer_range=0.5, layer_norm_eps=1e-12)
        seed(1001)
        m = BertForMaskedLM(cfg)
        perturb(m)
        return m.float().eval()

    # bert-f32
    m = bert()
    save_model(m, os.path.join(mdir, "bert-f32"))
    t_bert = write_expected("bert-f32", os.path.join(mdir, "bert-f32"))
    info["bert-f32"] = sorted(t_bert)

    # bert-sharded: same weights (same model object), small shards
    d = os.path.join(mdir, "bert-sharded")
    for size in ["40KB", "32KB", "24KB", "16KB", "8KB"]:
        save_model(m, d, max_shard_size=size)
        n = len(glob.glob(os.path.join(d, "*.safetensors")))
        log(f"[bert-sharded] max_shard_size={size}: {n} shards")
        if n >= 3:
            break
    log(f"[bert-sharded] index file present: {os.path.exists(os.path.join(d, 'model.safetensors.index.json'))}")
    t_sh = write_expected("bert-sharded", d)
    same = sorted(t_sh) == sorted(t_bert) and all(torch.equal(t_sh[k], t_bert[k]) for k in t_bert)
    log(f"[bert-sharded] identical to bert-f32: {same}")
    info["bert-sharded"] = {"max_shard_size": size, "shards": n}
    write_forward("bert-f32", m, 128, with_mask=True)

    # gpt2-f16
    cfg = GPT2Config(vocab_size=128, n_embd=32, n_layer=2, n_head=4, n_positions=64,
                     initializer_range=0.5, bos_token_id=0, eos_token_id=1)
    seed(1002)
    m = GPT2LMHeadModel(cfg)
    perturb(m)
    m = m.half().eval()
    save_model(m, os.path.join(mdir, "gpt2-f16"))
    info["gpt2-f16"] = sorted(write_expected("gpt2-f16", os.path.join(mdir, "gpt2-f16")))
    write_forward("gpt2-f16", m, 128, with_mask=False)

    # llama-bf16
    cfg = LlamaConfig(vocab_size=128, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                      tie_word_embeddings=False, initializer_range=0.5, rms_norm_eps=1e-6)
    seed(1003)
    m = LlamaForCausalLM(cfg)
    perturb(m)
    m = m.to(torch.bfloat16).eval()
    save_model(m, os.path.join(mdir, "llama-bf16"))
    info["llama-bf16"] = sorted(write_expected("llama-bf16", os.path.join(mdir, "llama-bf16")))
    write_forward("llama-bf16", m, 128, with_mask=False)
    return info


# ----------------------------------------------------------------------------
# 2. ops
# ----------------------------------------------------------------------------

def f32_from_bits(u):
    return np.asarray(u, dtype=np.uint32).view(np.float32)


def bits_of(f):
    return np.asarray(f, dtype=np.float32).view(np.uint32)


def make_f32_src():
    rng = np.random.default_rng(20240607)
    parts = []  # each a uint32 array of f32 bit patterns
    # a) specials
    spec = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000,            # +-0, +-inf
            0x7FC00000, 0xFFC00000, 0x7FC00001, 0x7FFFFFFF,            # quiet NaNs (payloads)
            0x7F800001, 0x7FA00000, 0xFF800001,                        # signalling NaNs
            0x00000001, 0x80000001, 0x00000002, 0x007FFFFF, 0x00400000, 0x807FFFFF,  # f32 subnormals
            0x00800000, 0x80800000, 0x7F7FFFFF, 0xFF7FFFFF,            # min normal, max
            0x7F7F8000, 0x7F7F7FFF, 0x7F7E8000, 0xFF7F8000,            # bf16 overflow / tie at top
            0x00008000, 0x00018000, 0x00007FFF, 0x00008001, 0x80008000]  # bf16 ties in subnormals
    parts.append(np.array(spec, dtype=np.uint32))
    # b) f16 edge values
    two = 2.0
    f16e = [65504.0, 65505.0, 65519.0, 65520.0, 65521.0, 70000.0, 65536.0, 1e5, 1e10, 3.0e38,
            -65504.0, -65520.0, -70000.0, -1e10,
            two ** -14, two ** -24, two ** -25, 1.5 * two ** -24, 2.5 * two ** -24, 0.75 * two ** -24,
            two ** -26, two ** -14 - two ** -25, two ** -14 - two ** -24,
            -(two ** -25), -(two ** -24), 1.0, -1.0, 0.5, 2.0, 1.0 / 3.0, 0.1, 3.14159265358979,
            1.0 + two ** -11, 1.0 + 3 * two ** -11, 1.0 + two ** -8, 1.0 + 3 * two ** -8,
            2048.0, 2049.0, 2050.0, 2051.0, 4097.0, 4098.0, 4099.0]
    a = np.array(f16e, dtype=np.float32)
    nx_up = np.nextafter(a, np.float32(np.inf))
    nx_dn = np.nextafter(a, np.float32(-np.inf))
    parts += [bits_of(a), bits_of(nx_up), bits_of(nx_dn)]
    # c) exact ties between adjacent f16 values (incl. subnormals), +- 1 f32 ulp
    h = rng.integers(0, 0x7BFF, size=300).astype(np.uint16)
    h = np.concatenate([h, np.array([0, 1, 2, 3, 0x3FF, 0x400, 0x401, 0x3BFF, 0x3C00, 0x7BFE], np.uint16)])
    lo = h.view(np.float16).astype(np.float64)
    hi = (h + 1).astype(np.uint16).view(np.float16).astype(np.float64)
    mid = ((lo + hi) / 2).astype(np.float32)  # exact
    sign = np.where(rng.random(mid.shape) < 0.5, -1.0, 1.0).astype(np.float32)
    mid = mid * sign
    parts += [bits_of(mid), bits_of(np.nextafter(mid, np.float32(np.inf))),
              bits_of(np.nextafter(mid, np.float32(-np.inf)))]
    # d) bf16 ties / near ties: random finite upper halves, special lower halves
    up = rng.integers(0, 0xFFFF, size=160).astype(np.uint32)
    up = up[((up >> 7) & 0xFF) != 0xFF]  # finite only
    for low in (0x8000, 0x7FFF, 0x8001, 0x0000, 0xFFFF, 0x4000):
        parts.append((up << 16) | np.uint32(low))
    # e) normals at many scales
    for k in range(-12, 9):
        parts.append(bits_of((rng.standard_normal(48) * 10.0 ** k).astype(np.float32)))
    # f) f16 subnormal range and below
    parts.append(bits_of(rng.uniform(-(2.0 ** -14), 2.0 ** -14, 160).astype(np.float32)))
    parts.append(bits_of(rng.uniform(-(2.0 ** -23), 2.0 ** -23, 64).astype(np.float32)))
    # g) random bit patterns of finite floats (all exponents)
    rb = rng.integers(0, 2 ** 32, size=256, dtype=np.uint64).astype(np.uint32)
    parts.append(rb[((rb >> 23) & 0xFF) != 0xFF])
    # h) small integers
    parts.append(bits_of(np.arange(-16, 17, dtype=np.float32)))
    u = np.concatenate(parts).astype(np.uint32)
    # fill up to 4096 with uniform values in [-1000, 1000]
    n_fill = 4096 - len(u)
    assert n_fill >= 0, len(u)
    u = np.concatenate([u, bits_of(rng.uniform(-1000, 1000, n_fill).astype(np.float32))])
    t = torch.from_numpy(u.view(np.float32).copy())
    assert torch.equal(t.view(torch.int32), torch.from_numpy(u.view(np.int32).copy()))
    return t


def make_ops():
    T = {}
    M = {}

    def put(name, t):
        assert name not in T, name
        T[name] = prep(t)

    # --- dtype conversion
    a = torch.arange(65536, dtype=torch.int32)
    a16 = (a - (a >= 32768).to(torch.int32) * 65536).to(torch.int16)
    f16 = a16.view(torch.float16)
    bf16 = a16.clone().view(torch.bfloat16)
    put("conv.f16_bits", f16)
    put("conv.f16_as_f32", f16.float())
    put("conv.bf16_bits", bf16)
    put("conv.bf16_as_f32", bf16.float())
    b8 = torch.arange(256, dtype=torch.int32).to(torch.uint8)
    if hasattr(torch, "float8_e4m3fn"):
        e4 = b8.clone().view(torch.float8_e4m3fn)
        e5 = b8.clone().view(torch.float8_e5m2)
        put("conv.f8e4m3_bits", e4)
        put("conv.f8e4m3_as_f32", e4.float())
        put("conv.f8e5m2_bits", e5)
        put("conv.f8e5m2_as_f32", e5.float())
    src = make_f32_src()
    put("conv.f32_src", src)
    put("conv.f32_to_f16", src.half())
    put("conv.f32_to_bf16", src.bfloat16())
    M["conv.f32_src.note"] = ("sections: specials (+-0, +-inf, quiet+signalling NaNs, f32 subnormals), "
                              "f16 edges +-1ulp, f16 ties +-1ulp, bf16 ties, normals 1e-12..1e8, "
                              "f16-subnormal range, random finite bit patterns, -16..16, uniform fill")

    # --- activations
    seed(11)
    x = torch.randn(7, 33) * 3.0
    put("gelu.x", x)
    put("gelu.y", F.gelu(x))
    put("gelu_tanh.y", F.gelu(x, approximate="tanh"))
    put("silu.y", F.silu(x))
    put("relu.y", F.relu(x))
    put("sigmoid.y", torch.sigmoid(x))
    put("tanh.y", torch.tanh(x))
    put("quick_gelu.y", x * torch.sigmoid(1.702 * x))
    M["activations.input"] = "gelu.x is the input of all activations"
    M["gelu_tanh.note"] = "F.gelu(approximate='tanh') == HF gelu_new / gelu_pytorch_tanh"
    M["quick_gelu.formula"] = "x * sigmoid(1.702 * x)"

    # --- softmax
    seed(12)
    x = torch.randn(5, 37) * 4.0
    put("softmax.x", x)
    put("softmax.y", torch.softmax(x, dim=-1))
    mask = torch.zeros(5, 37)
    fmin = torch.finfo(torch.float32).min
    mask[0, 30:] = float("-inf")
    mask[1, ::3] = fmin
    mask[2, :] = fmin
    mask[2, 17] = 0.0                      # only one key left
    mask[3, 5:9] = float("-inf")
    mask[3, 20:25] = fmin
    mask[4, :] = -1.5                      # finite non-trivial additive values
    mask[4, 0] = float("-inf")
    put("softmax_masked.mask", mask)
    put("softmax_masked.y", torch.softmax(x + mask, dim=-1))
    M["softmax.dim"] = "-1"

    # --- layer norm
    seed(13)
    x = torch.randn(6, 48) * 2.0 + 0.5
    w = 1.0 + 0.3 * torch.randn(48)
    b = 0.2 * torch.randn(48)
    put("layer_norm.x", x)
    put("layer_norm.w", w)
    put("layer_norm.b", b)
    put("layer_norm.y", F.layer_norm(x, (48,), w, b, eps=1e-12))
    put("layer_norm_5.y", F.layer_norm(x, (48,), w, b, eps=1e-5))
    M["layer_norm.eps"] = "1e-12"
    M["layer_norm_5.eps"] = "1e-05"
    M["layer_norm_5.inputs"] = "layer_norm.x, layer_norm.w, layer_norm.b"

    # --- RMS norm (Llama)
    seed(14)
    x = torch.randn(6, 48) * 2.0
    w = 1.0 + 0.3 * torch.randn(48)
    eps = 1e-6
    try:
        from transformers.models.llama.modeling_llama import LlamaRMSNorm
        n = LlamaRMSNorm(48, eps=eps)
        n.weight.copy_(w)
        y = n(x)
        M["rms_norm.source"] = "transformers LlamaRMSNorm"
    except Exception as e:
        log("LlamaRMSNorm unavailable:", repr(e))
        y = w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))
        M["rms_norm.source"] = "manual formula"
    y_manual = w * (x.to(torch.float32) * torch.rsqrt(x.to(torch.float32).pow(2).mean(-1, keepdim=True) + eps))
    M["rms_norm.matches_manual_bitwise"] = str(bool(torch.equal(y, y_manual)))
    put("rms_norm.x", x)
    put("rms_norm.w", w)
    put("rms_norm.y", y)
    M["rms_norm.eps"] = "1e-06"

    # --- linear
    seed(15)
    x = torch.randn(5, 40)
    w = torch.randn(24, 40) * 0.3
    b = torch.randn(24) * 0.1
    put("linear.x", x)
    put("linear.w", w)
    put("linear.b", b)
    put("linear.y", F.linear(x, w, b))
    wh = w.half()
    wb = w.bfloat16()
    put("linear.w_f16", wh)
    put("linear.y_f16", F.linear(x, wh.float(), b))
    put("linear.w_bf16", wb)
    put("linear.y_bf16", F.linear(x, wb.float(), b))
    M["linear.layout"] = "w is [out, in]; y = x @ w.T + b"

    # --- RoPE
    seed(16)
    q = torch.randn(1, 4, 9, 16)
    k = torch.randn(1, 2, 9, 16)
    theta, dim = 10000.0, 16
    pos = torch.arange(9, dtype=torch.int64)
    inv_freq = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    freqs = pos.float()[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos_m, sin_m = emb.cos(), emb.sin()

    def rotate_half(t):
        t1, t2 = t[..., : t.shape[-1] // 2], t[..., t.shape[-1] // 2:]
        return torch.cat((-t2, t1), dim=-1)

    q_m = q * cos_m + rotate_half(q) * sin_m
    k_m = k * cos_m + rotate_half(k) * sin_m
    cos, sin, q_o, k_o = cos_m, sin_m, q_m, k_m
    M["rope.source"] = "manual formula"
    try:
        from transformers import LlamaConfig
        from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding, apply_rotary_pos_emb
        cfg = LlamaConfig(hidden_size=64, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                          max_position_embeddings=64, rope_theta=theta)
        rp = getattr(cfg, "rope_parameters", None)
        if isinstance(rp, dict):
            rp["rope_theta"] = theta
        rot = LlamaRotaryEmbedding(cfg)
        c, s = rot(q, pos[None, :])
        c, s = c.float(), s.float()
        qo, ko = apply_rotary_pos_emb(q, k, c, s)
        c, s = c[0], s[0]
        M["rope.hf_equals_manual"] = str(bool(torch.equal(c, cos_m) and torch.equal(s, sin_m)
                                             and torch.equal(qo, q_m) and torch.equal(ko, k_m)))
        M["rope.hf_max_abs_diff_q"] = repr(float((qo - q_m).abs().max()))
        cos, sin, q_o, k_o = c, s, qo, ko
        M["rope.source"] = "transformers LlamaRotaryEmbedding + apply_rotary_pos_emb"
    except Exception as e:
        log("HF rope unavailable, using manual:", repr(e))
    put("rope.q", q)
    put("rope.k", k)
    put("rope.cos", cos)
    put("rope.sin", sin)
    put("rope.q_out", q_o)
    put("rope.k_out", k_o)
    M["rope.theta"] = "10000"
    M["rope.head_dim"] = "16"
    M["rope.positions"] = "0..8"
    M["rope.convention"] = "rotate_half (HF Llama): out = x*cos + cat(-x2, x1)*sin, emb = cat(freqs, freqs)"

    # --- SDPA
    seed(17)
    q = torch.randn(2, 4, 7, 8)
    k = torch.randn(2, 2, 7, 8)
    v = torch.randn(2, 2, 7, 8)
    kr = k.repeat_interleave(2, dim=1)  # == HF repeat_kv
    vr = v.repeat_interleave(2, dim=1)
    put("sdpa.q", q)
    put("sdpa.k", k)
    put("sdpa.v", v)
    put("sdpa.y_causal", F.scaled_dot_product_attention(q, kr, vr, is_causal=True))
    keep = torch.ones(2, 7, dtype=torch.bool)
    keep[1, 5:] = False
    add = torch.zeros(2, 1, 1, 7).masked_fill(~keep[:, None, None, :], torch.finfo(torch.float32).min)
    put("sdpa.mask", keep)
    put("sdpa.y_padmask", F.scaled_dot_product_attention(q, kr, vr, attn_mask=add))
    # float64 references (plain math) for tolerance checks
    qd, kd, vd = q.double(), kr.double(), vr.double()
    sc = qd @ kd.transpose(-1, -2) / math.sqrt(8)
    cm = torch.ones(7, 7, dtype=torch.bool).tril()
    put("sdpa.y_causal_f64", torch.softmax(sc.masked_fill(~cm, float("-inf")), -1) @ vd)
    put("sdpa.y_padmask_f64", torch.softmax(sc.masked_fill(~keep[:, None, None, :], float("-inf")), -1) @ vd)
    M["sdpa.scale"] = repr(1.0 / math.sqrt(8))
    M["sdpa.gqa"] = "kv head j serves q heads 2j, 2j+1 (k.repeat_interleave(2, dim=1), HF repeat_kv)"
    M["sdpa.mask"] = "bool [batch, key], True = attend; y_padmask uses additive finfo(float32).min on False keys, not causal"

    # --- conv1d (Whisper-style)
    seed(18)
    x = torch.randn(2, 3, 20)
    w = torch.randn(5, 3, 3) * 0.5
    b = torch.randn(5) * 0.1
    put("conv1d.x", x)
    put("conv1d.w", w)
    put("conv1d.b", b)
    put("conv1d.y", F.conv1d(x, w, b, stride=2, padding=1))
    M["conv1d.stride"] = "2"
    M["conv1d.padding"] = "1"

    # --- conv2d (ViT patch embedding) and depthwise (ConvNeXt)
    seed(19)
    x = torch.randn(1, 3, 16, 16)
    w = torch.randn(8, 3, 4, 4) * 0.3
    b = torch.randn(8) * 0.1
    put("conv2d.x", x)
    put("conv2d.w", w)
    put("conv2d.b", b)
    put("conv2d.y", F.conv2d(x, w, b, stride=4, padding=0))
    M["conv2d.stride"] = "4"
    M["conv2d.padding"] = "0"
    seed(20)
    x = torch.randn(1, 6, 9, 9)
    w = torch.randn(6, 1, 7, 7) * 0.2
    b = torch.randn(6) * 0.1
    put("conv2d_dw.x", x)
    put("conv2d_dw.w", w)
    put("conv2d_dw.b", b)
    put("conv2d_dw.y", F.conv2d(x, w, b, stride=1, padding=3, groups=6))
    M["conv2d_dw.stride"] = "1"
    M["conv2d_dw.padding"] = "3"
    M["conv2d_dw.groups"] = "6"

    # --- embedding
    seed(21)
    w = torch.randn(20, 12)
    ids = torch.tensor([0, 5, 19, 3, 3, 7, 12, 1, 18], dtype=torch.int64)
    put("embedding.w", w)
    put("embedding.ids", ids)
    put("embedding.y", F.embedding(ids, w))

    M["generator"] = "tools/make_fixtures.py"
    M["torch_version"] = torch.__version__
    M["transformers_version"] = transformers.__version__
    M["torch_num_threads"] = str(torch.get_num_threads())
    M = {k: str(v) for k, v in M.items()}
    save_file(T, os.path.join(OUT, "ops.safetensors"), metadata=M)
    for k in sorted(T):
        log(f"[ops] {k} {T[k].dtype} {list(T[k].shape)}")
    for k in sorted(M):
        log(f"[ops meta] {k} = {M[k]}")
    return T, M


# ----------------------------------------------------------------------------

def write_versions():
    lines = [f"python {platform.python_version()}",
             f"torch {torch.__version__}",
             f"transformers {transformers.__version__}",
             f"safetensors {safetensors.__version__}",
             f"numpy {np.__version__}",
             f"platform {platform.platform()} {platform.machine()}",
             f"torch_num_threads {torch.get_num_threads()}"]
    with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


README = """# Golden test fixtures

Generated by `tools/make_fixtures.py` (PyTorch + Hugging Face transformers,
CPU, one thread, fixed seeds, no network). Regenerate with:

    python3 tools/make_fixtures.py tests/fixtures

`VERSIONS.txt` records the exact torch / transformers / safetensors / numpy
versions used. Outputs are only bit-identical across runs with the same versions.

## models/
Tiny random models written by `save_pretrained` (safetensors). Every parameter
is the config's init (`initializer_range` 0.5) plus N(0, 0.05) noise, so
LayerNorm weights are not exactly 1 and biases not exactly 0.

| dir | class | stored dtype | notes |
| --- | --- | --- | --- |
| `bert-f32` | BertForMaskedLM (vocab 128, hidden 32, 2 layers, 4 heads, ffn 64, 64 positions) | F32 | |
| `bert-sharded` | same weights as bert-f32 | F32 | {shards} shards (`max_shard_size` {shard_size}) + `model.safetensors.index.json` |
| `gpt2-f16` | GPT2LMHeadModel (vocab 128, n_embd 32, 2 layers, 4 heads, 64 positions) | F16 | Conv1D weights are [in, out] |
| `llama-bf16` | LlamaForCausalLM (vocab 128, hidden 32, ffn 64, 2 layers, 4 heads, 2 kv heads, untied) | BF16 | |

## expected/
- `<model>.safetensors`: every tensor stored in the model's safetensors file(s)
  (all shards), same name, converted by torch with `t.float()` (F32).
- `<model>.forward.safetensors`: `input_ids` [2, 8], `attention_mask`,
  `logits` and `hidden_states.<i>` (i = 0 embeddings, then one per layer) of a
  forward pass in the model's own dtype with eager attention, cast to F32.
  Only bert-f32 uses a padding mask (batch 1: last 2 tokens masked).

## ops.safetensors
Reference inputs/outputs of single ops computed by torch in float32 (the
`*_f64` tensors in float64), named `<op>.<field>`. Parameters (eps, stride,
padding, groups, theta, ...) are strings in the file's metadata under
`<op>.<param>`; read the metadata for notes on each op.

- `conv.*`: all 65536 F16 and BF16 bit patterns (`*_bits`) and their `.float()`
  (`*_as_f32`); all 256 F8_E4M3 / F8_E5M2 patterns likewise; `conv.f32_src`
  (4096 float32 values: specials incl. NaN payloads and signalling NaNs,
  subnormals, rounding ties, overflow values) with `conv.f32_to_f16` (`.half()`)
  and `conv.f32_to_bf16` (`.bfloat16()`).
- activations on `gelu.x` [7,33]: `gelu.y` (erf), `gelu_tanh.y`, `silu.y`,
  `relu.y`, `sigmoid.y`, `tanh.y`, `quick_gelu.y`.
- `softmax.*`, `softmax_masked.*` (additive mask with -inf and finfo.min).
- `layer_norm.*` (eps 1e-12), `layer_norm_5.y` (eps 1e-5, same inputs),
  `rms_norm.*` (LlamaRMSNorm, eps 1e-6).
- `linear.*` (w is [out, in]); `linear.y_f16` / `linear.y_bf16` use the
  16-bit-rounded weights `linear.w_f16` / `linear.w_bf16` upcast to F32.
- `rope.*` (HF Llama rotate_half, theta 10000, positions 0..8).
- `sdpa.*` (F.scaled_dot_product_attention, GQA 4 q heads / 2 kv heads,
  causal and key-padding variants, plus float64 references).
- `conv1d.*` (stride 2, padding 1), `conv2d.*` (patch embed, stride 4),
  `conv2d_dw.*` (depthwise 7x7, groups 6, padding 3), `embedding.*`.

## generation log
`generation.log` lists every stored tensor name, dtype and shape.
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    for sub in ("models", "expected"):
        p = os.path.join(OUT, sub)
        if os.path.isdir(p):
            shutil.rmtree(p)
    for f in ("ops.safetensors",):
        p = os.path.join(OUT, f)
        if os.path.exists(p):
            os.remove(p)
    log(f"torch {torch.__version__} transformers {transformers.__version__} "
        f"safetensors {safetensors.__version__} numpy {np.__version__}")
    write_versions()
    make_ops()
    info = make_models()
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README.format(shards=info["bert-sharded"]["shards"],
                              shard_size=info["bert-sharded"]["max_shard_size"]))
    with open(os.path.join(OUT, "generation.log"), "w") as f:
        f.write("\n".join(LOG) + "\n")
    log("done")


if __name__ == "__main__":
    main()
