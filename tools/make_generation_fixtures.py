#!/usr/bin/env python3
"""Generate golden fixtures for text generation (decoder-only causal LMs) in transformers.h.

Usage:
  python3 tools/make_generation_fixtures.py [OUTDIR] [folder,folder,...]   (default: tests/fixtures/generation)
  python3 tools/make_generation_fixtures.py --tokenizers-only OUTDIR
        (pure Python: only writes the reduced tokenizer files; no torch / transformers needed)

Same conventions as tools/make_text_fixtures.py (whose helpers it imports): deterministic (fixed
seeds, CPU, one thread, no network), reduced real vocabularies built from the files in
tools/text_fixture_vocab/ (see its PROVENANCE.md), tiny random models written with save_pretrained
and loaded back from disk (float32, eager attention) for every expected output.

Writes OUTDIR/<folder>/ (model + tokenizer + generation_config.json), OUTDIR/expected/<folder>.json
(logits / greedy / pipeline / perplexity), OUTDIR/expected/<folder>.logits.safetensors,
OUTDIR/README.md, OUTDIR/VERSIONS.txt, OUTDIR/generation.log.
"""
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["CUDA_VISIBLE_DEVICES"] = ""
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import copy
import json
import platform
import shutil
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_text_fixtures as mtf  # noqa: E402  (own sibling generator: reduced-tokenizer helpers)

VOCAB_DIR = os.path.join(HERE, "text_fixture_vocab")
vocab_path = mtf.vocab_path
bytes_to_unicode = mtf.bytes_to_unicode
load_json = mtf.load_json
write_json = mtf.write_json
same_json = mtf.same_json
stored_keys = mtf.stored_keys
LOG = mtf.LOG  # this run's lines (the text generator is not run in the same process)
log = mtf.log


# ----------------------------------------------------------------------------
# 0. texts
# ----------------------------------------------------------------------------

P_SHORT = "Hello"
P_UNI = "Le café à Zürich coûte 3€ — 東京 😀!"
P_LONG = ("The quick brown fox jumps over the lazy dog, while Paris, the capital of France, "
          "sleeps under the stars.")
PROMPTS = [P_SHORT, P_UNI, P_LONG]
PIPE_PROMPTS = [P_SHORT, P_LONG]
PPL_TEXT = " ".join([
    "Paris is the capital and largest city of France. With an estimated population of more than two",
    "million residents, it is the centre of the Paris Region, and one of the largest cities in Europe.",
    "The city is a major railway, highway and air-transport hub, served by two international airports.",
    "Since the seventeenth century, Paris has been one of the world's major centres of finance,",
    "diplomacy, commerce, culture, fashion and gastronomy. For its leading role in the arts and",
    "sciences, as well as its early and extensive system of street lighting, in the nineteenth century",
    "it became known as the City of Light. The river Seine flows through the city, and many bridges",
    "cross it. Visitors come from all over the world to see its museums, gardens and old churches.",
])
VERIFY_EXTRA = ["  two  spaces and\ttab\nnewline", "<s> </s> <|endoftext|> <|user|>\nHi<|end|>\n<|assistant|>",
                "ÀÉÎÕÜ ßç ñ 中文 🤖", ""]

GPT2_VOCAB = 600          # 256 byte chars + merges + <|endoftext|>
SP_VOCAB = 600            # <unk> <s> </s> + 256 <0xHH> + single chars + merge results (before added tokens)
SP_EXTRA_CHARS = "éàèùâêîôûçëïüöäßñÉÀÜ€—’“”…"


# ----------------------------------------------------------------------------
# 1. reduced tokenizers (pure json)
# ----------------------------------------------------------------------------

def f32s(x):
    """float -> the shortest decimal that round-trips the float32 value (keeps JSON small)."""
    import numpy as np
    return float(str(np.float32(x)))


def build_gpt2():
    j = load_json(vocab_path("gpt2", "tokenizer.json"))
    vocab, merges = j["model"]["vocab"], j["model"]["merges"]
    alphabet = list(bytes_to_unicode().values())
    keep = set(alphabet)
    kept = []
    n_merges = GPT2_VOCAB - 256 - 1
    for m in merges:
        if len(kept) >= n_merges:
            break
        a, b = m.split(" ") if isinstance(m, str) else m
        if a in keep and b in keep and (a + b) in vocab and (a + b) not in keep:
            keep.add(a + b)
            kept.append(m)
    body = sorted(keep, key=lambda t: vocab[t])
    new = body + ["<|endoftext|>"]
    nv = {t: i for i, t in enumerate(new)}
    out = copy.deepcopy(j)
    out["model"]["vocab"] = nv
    out["model"]["merges"] = kept
    for a in out["added_tokens"]:
        a["id"] = nv[a["content"]]
    eot = nv["<|endoftext|>"]
    info = {"name": "gpt2", "source": "gpt2 (openai-community/gpt2 byte-level BPE)", "vocab_size": len(nv),
            "n_merges": len(kept), "ids": {"<|endoftext|>": eot},
            "bos": eot, "eos": eot, "pad": eot, "adds_bos": False,
            "classes": ["GPT2Tokenizer", "PreTrainedTokenizerFast", "TokenizersBackend"]}
    tc = {"tokenizer_class": None, "model_max_length": 128, "add_prefix_space": False, "add_bos_token": False,
          "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
          "clean_up_tokenization_spaces": False, "errors": "replace"}
    log(f"[tok gpt2] vocab {len(vocab)} -> {len(nv)}, merges {len(merges)} -> {len(kept)}; <|endoftext|>={eot}")
    return out, tc, info


def byte_token(b):
    return "<0x%02X>" % b


def build_sp(name, src):
    """SentencePiece-BPE (byte_fallback) reduction: <unk> <s> </s>, the 256 <0xHH> tokens, printable ASCII +
    a few Latin single-character pieces, the results of the first merges whose parts are kept; added
    tokens beyond the base vocab (Phi-3) kept, appended in their original order."""
    j = load_json(vocab_path(src, "tokenizer.json"))
    vocab, merges = j["model"]["vocab"], j["model"]["merges"]
    base = ["<unk>", "<s>", "</s>"] + [byte_token(b) for b in range(256)]
    for t in base:
        assert t in vocab, t
    keep = set(base)
    for t in vocab:
        if len(t) == 1 and (t == "\u2581" or (t.isascii() and t.isprintable() and t != " ") or t in SP_EXTRA_CHARS):
            keep.add(t)
    kept = []
    n_chars = len(keep)
    for m in merges:
        if len(keep) >= SP_VOCAB:
            break
        parts = m.split(" ") if isinstance(m, str) else m
        if len(parts) != 2:
            continue
        a, b = parts
        if a in keep and b in keep and (a + b) in vocab and (a + b) not in keep:
            keep.add(a + b)
            kept.append(m)
    body = sorted(keep, key=lambda t: vocab[t])
    added_hi = [a["content"] for a in sorted(j["added_tokens"], key=lambda a: a["id"]) if a["id"] >= len(vocab)]
    new = body + added_hi
    nv = {t: i for i, t in enumerate(new)}
    out = copy.deepcopy(j)
    out["model"]["vocab"] = {t: nv[t] for t in body}
    out["model"]["merges"] = kept
    for a in out["added_tokens"]:
        a["id"] = nv[a["content"]]
    pp = out.get("post_processor")
    if pp and pp.get("type") == "TemplateProcessing":
        for k, v in pp["special_tokens"].items():
            v["ids"] = [nv[t] for t in v["tokens"]]
    tc = load_json(vocab_path(src, "tokenizer_config.json"))
    tc["model_max_length"] = 128
    if "added_tokens_decoder" in tc:
        tc["added_tokens_decoder"] = {str(nv[v["content"]]): v for v in tc["added_tokens_decoder"].values()}
    adds_bos = bool(pp and "<s>" in json.dumps(pp.get("single")))
    info = {"name": name, "source": src, "vocab_size": len(nv), "n_merges": len(kept), "n_single": n_chars - 259,
            "ids": {t: nv[t] for t in ["<unk>", "<s>", "</s>"] + added_hi}, "adds_bos": adds_bos,
            "classes": [tc.get("tokenizer_class", "LlamaTokenizer"), "PreTrainedTokenizerFast", "TokenizersBackend"]}
    log(f"[tok {name}] vocab {len(vocab)}+{len(added_hi)} -> {len(nv)} ({n_chars - 259} single chars, "
        f"{len(kept)} merges); ids {info['ids']}; post-processor adds BOS: {adds_bos}")
    return out, tc, info


TOKS = {}


def get_tokenizers():
    if not TOKS:
        TOKS["gpt2"] = build_gpt2()
        TOKS["mistral"] = build_sp("mistral", "mistral-7b-v0.1")
        TOKS["phi3"] = build_sp("phi3", "phi-3-mini-4k-instruct")
        m = TOKS["mistral"][2]
        m.update(bos=m["ids"]["<s>"], eos=m["ids"]["</s>"], pad=m["ids"]["</s>"])
        p = TOKS["phi3"][2]
        p.update(bos=p["ids"]["<s>"], eos=p["ids"]["<|endoftext|>"], pad=p["ids"]["<|endoftext|>"],
                 eos_list=[p["ids"]["<|endoftext|>"], p["ids"]["<|assistant|>"], p["ids"]["<|end|>"]])
    return TOKS


def write_tokenizer(d, kind, cls):
    tj, tc, info = get_tokenizers()[kind]
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tj, f, ensure_ascii=False, separators=(",", ":"))
    tc = dict(tc)
    tc["tokenizer_class"] = cls
    write_json(os.path.join(d, "tokenizer_config.json"), tc)
    stm = {k: v for k, v in tc.items() if k.endswith("_token") and v is not None}
    write_json(os.path.join(d, "special_tokens_map.json"), stm)


EQUIV = []


def noop_post_processor(pp):
    """A post-processor that adds no token and does not change offsets."""
    if pp is None:
        return True
    if pp.get("type") == "ByteLevel":
        return pp.get("trim_offsets") is False
    if pp.get("type") == "TemplateProcessing":
        return (not pp.get("special_tokens") and all("Sequence" in x for x in pp.get("single", []))
                and all("Sequence" in x for x in pp.get("pair", [])))
    return False


def verify_tokenizer(d):
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer
    problems = []
    tk = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
    at = AutoTokenizer.from_pretrained(d)
    fj = json.loads(tk.to_str())
    aj = json.loads(at.backend_tokenizer.to_str())
    for k in ("normalizer", "pre_tokenizer", "post_processor", "decoder", "model", "added_tokens"):
        if k == "post_processor" and noop_post_processor(fj.get(k)) and noop_post_processor(aj.get(k)):
            if fj.get(k) != aj.get(k):
                EQUIV.append(f"{os.path.basename(d)}: post_processor {json.dumps(fj.get(k))} (file) vs "
                             f"{json.dumps(aj.get(k))} (as loaded): both add nothing and leave offsets alone")
            continue
        if fj.get(k) != aj.get(k) and not same_json(fj.get(k), aj.get(k)):
            a, b = json.dumps(fj.get(k), ensure_ascii=False), json.dumps(aj.get(k), ensure_ascii=False)
            i = next((n for n in range(min(len(a), len(b))) if a[n] != b[n]), min(len(a), len(b)))
            problems.append(f"component {k} differs at char {i}: file=...{a[max(0, i - 100):i + 100]}... "
                            f"auto=...{b[max(0, i - 100):i + 100]}...")
    for t in PROMPTS + [PPL_TEXT] + VERIFY_EXTRA:
        e = tk.encode(t)
        a = at(t)["input_ids"]
        if a != e.ids:
            problems.append(f"ids differ on {t!r}: auto {a} vs file {e.ids}")
        if tk.decode(e.ids, skip_special_tokens=True) != at.decode(a, skip_special_tokens=True):
            problems.append(f"decode differs on {t!r}: {at.decode(a, skip_special_tokens=True)!r} vs "
                            f"{tk.decode(e.ids, skip_special_tokens=True)!r}")
    if len(at) != tk.get_vocab_size(with_added_tokens=True):
        problems.append(f"len(tokenizer) {len(at)} != {tk.get_vocab_size(with_added_tokens=True)}")
    return problems, type(at).__name__


def choose_tokenizer_class(kind, tmp):
    """Try the class the real model uses first; fall back to PreTrainedTokenizerFast / TokenizersBackend."""
    results = []
    for cls in get_tokenizers()[kind][2]["classes"]:
        d = os.path.join(tmp, f"tok-{kind}-{cls}")
        shutil.rmtree(d, ignore_errors=True)
        write_tokenizer(d, kind, cls)
        try:
            problems, loaded = verify_tokenizer(d)
        except Exception as e:
            problems, loaded = [f"loading raised {e!r:.300}"], "?"
        log(f"[tok {kind}] tokenizer_class {cls}: loaded as {loaded}; problems: {problems[:3]}")
        results.append((cls, loaded, problems))
        if not problems:
            break
    ok = [r for r in results if not r[2]]
    pick = ok[0] if ok else results[0]
    eq = [e for e in EQUIV if e.startswith(f"tok-{kind}-{pick[0]}:")]
    return {"class": pick[0], "loaded_as": pick[1], "problems": pick[2], "equivalent": eq,
            "rejected": [(c, l, p[:2]) for c, l, p in results if c != pick[0]]}


def tokenizers_only(outdir):
    for kind in ("gpt2", "mistral", "phi3"):
        cls = get_tokenizers()[kind][2]["classes"][0]
        write_tokenizer(os.path.join(outdir, kind), kind, cls)
    log("wrote", outdir)


# ----------------------------------------------------------------------------
# 2. models
# ----------------------------------------------------------------------------

INIT = 0.3          # initializer_range (init_std for OPT)
FINAL_NORM_GAIN = 3.0   # the final norm weight is multiplied by this: larger logits, clear greedy margins

# folder -> (architecture, tokenizer kind, stored dtype, options)
FOLDERS = [
    ("gpt2", "gpt2", "gpt2", "float32", {}),
    ("gpt2-f16", "gpt2", "gpt2", "float16", {}),
    ("opt", "opt", "gpt2", "float32", {}),
    ("opt-proj", "opt", "gpt2", "float32", {"proj": 16}),
    ("llama", "llama", "mistral", "bfloat16", {}),
    ("llama3-rope", "llama", "mistral", "bfloat16", {"rope": "llama3"}),
    ("mistral", "mistral", "mistral", "float32", {}),
    ("qwen2", "qwen2", "gpt2", "float32", {}),
    ("phi3", "phi3", "phi3", "float32", {}),
    ("phi3-longrope", "phi3", "phi3", "float32", {"rope": "longrope"}),
    ("opt-postln", "opt", "gpt2", "float32", {"proj": 16, "postln": True}),
]
SEEDS = {"gpt2-f16": "gpt2"}   # starts from the final seed of (so the same weights before rounding)


def rope_cfg(cls, kw, rope):
    """Build a config with a rope-scaling dict: rope_parameters (transformers 5) first, rope_scaling (v4 name) else."""
    try:
        cfg = cls(**kw, rope_parameters=dict(rope, rope_theta=10000.0))
        rp = getattr(cfg, "rope_parameters", None) or {}
        if rp.get("rope_type", rp.get("type")) == rope.get("rope_type"):
            return cfg, "rope_parameters"
        log(f"  rope_parameters not kept ({rp}); trying rope_scaling")
    except Exception as e:
        log(f"  rope_parameters raised {e!r:.200}; trying rope_scaling")
    if rope.get("rope_type") == "default":
        return cls(**kw, rope_theta=10000.0), "rope_theta"
    cfg = cls(**kw, rope_theta=10000.0, rope_scaling=dict(rope))
    return cfg, "rope_scaling"


def make_config(arch, kind, opts):
    import transformers as tr
    info = get_tokenizers()[kind][2]
    V = info["vocab_size"]
    ids = dict(bos_token_id=info["bos"], eos_token_id=info["eos"], pad_token_id=info["pad"])
    how = None
    if arch == "gpt2":
        cfg = tr.GPT2Config(vocab_size=V, n_positions=128, n_embd=32, n_layer=2, n_head=4, n_inner=128,
                            initializer_range=INIT, **ids)
    elif arch == "opt":
        cfg = tr.OPTConfig(vocab_size=V, hidden_size=32, num_hidden_layers=2, ffn_dim=128, num_attention_heads=4,
                           max_position_embeddings=128, do_layer_norm_before=not opts.get("postln"),
                           word_embed_proj_dim=opts.get("proj", 32), init_std=INIT, **ids)
    elif arch == "llama":
        kw = dict(vocab_size=V, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=128, rms_norm_eps=1e-6, tie_word_embeddings=False,
                  initializer_range=INIT, **ids)
        if opts.get("rope") == "llama3":
            cfg, how = rope_cfg(tr.LlamaConfig, kw, {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                                     "high_freq_factor": 4.0, "original_max_position_embeddings": 32})
        else:
            cfg, how = rope_cfg(tr.LlamaConfig, kw, {"rope_type": "default"})
    elif arch == "mistral":
        kw = dict(vocab_size=V, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                  sliding_window=16, rms_norm_eps=1e-6, tie_word_embeddings=False, initializer_range=INIT, **ids)
        cfg, how = rope_cfg(tr.MistralConfig, kw, {"rope_type": "default"})
    elif arch == "qwen2":
        kw = dict(vocab_size=V, hidden_size=32, intermediate_size=128, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                  rms_norm_eps=1e-6, tie_word_embeddings=False, use_sliding_window=False,
                  initializer_range=INIT, **ids)
        cfg, how = rope_cfg(tr.Qwen2Config, kw, {"rope_type": "default"})
    elif arch == "phi3":
        kw = dict(vocab_size=V, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=4, max_position_embeddings=128,
                  original_max_position_embeddings=32 if opts.get("rope") == "longrope" else 128,
                  rms_norm_eps=1e-5, tie_word_embeddings=False, initializer_range=INIT, **ids)
        if opts.get("rope") == "longrope":
            hd2 = 64 // 4 // 2
            short = [round(1.0 + 0.05 * i, 4) for i in range(hd2)]
            long = [round(1.0 + 0.6 * i, 4) for i in range(hd2)]
            cfg, how = rope_cfg(tr.Phi3Config, kw, {"rope_type": "longrope", "short_factor": short,
                                                    "long_factor": long, "original_max_position_embeddings": 32})
        else:
            cfg, how = rope_cfg(tr.Phi3Config, kw, {"rope_type": "default"})
    else:
        raise ValueError(arch)
    return cfg, how


def seed(n):
    import numpy as np
    import torch
    torch.manual_seed(n)
    np.random.seed(n)


def perturb(model):
    """Noise on every parameter (biases not 0), extra noise on norm weights (not 1), and the final norm
    scaled by FINAL_NORM_GAIN so the logits are large enough for clear greedy margins."""
    import torch
    for _, p in model.named_parameters():
        p.add_(torch.randn_like(p) * 0.05)
    finals = []
    for n, m in model.named_modules():
        tn = type(m).__name__
        if isinstance(m, torch.nn.LayerNorm) or tn.endswith("LayerNorm") or tn.endswith("RMSNorm"):
            for p in m.parameters(recurse=False):
                p.add_(torch.randn_like(p) * 0.1)
            if n.endswith(("ln_f", "final_layer_norm", "model.norm")):
                finals.append(n)
                m.weight.mul_(FINAL_NORM_GAIN)
    return finals


# ----------------------------------------------------------------------------
# 3. expected outputs
# ----------------------------------------------------------------------------

def fl(t):
    return [f32s(x) for x in t.detach().float().reshape(-1).tolist()]


def jsonable(x):
    return mtf.jsonable(x)


def top2_gap(v):
    import torch
    t = torch.topk(v.float(), 2).values
    return float(t[0] - t[1])


def greedy_case(model, tok, prompt, info):
    import torch
    ids = tok(prompt, return_tensors="pt")["input_ids"]
    eos = model.generation_config.eos_token_id
    eos_l = eos if isinstance(eos, list) else ([eos] if eos is not None else [])
    kw = {"do_sample": False, "max_new_tokens": 40}
    g = model.generate(ids, attention_mask=torch.ones_like(ids), **kw, return_dict_in_generate=True,
                       output_scores=True, output_logits=True)
    new = g.sequences[0, ids.shape[1]:].tolist()
    early = len(new) < 40 or any(t in eos_l for t in new)
    if early:
        kw["min_new_tokens"] = 40
        g = model.generate(ids, attention_mask=torch.ones_like(ids), **kw, return_dict_in_generate=True,
                           output_scores=True, output_logits=True)
        new = g.sequences[0, ids.shape[1]:].tolist()
    gaps = [top2_gap(s[0]) for s in g.scores]
    # the same greedy loop without a KV cache (full recompute every step)
    seq = ids.clone()
    for step in range(len(new)):
        lg = model(seq, use_cache=False).logits[0, -1].clone()
        if kw.get("min_new_tokens") and step < kw["min_new_tokens"]:
            for e in eos_l:
                lg[e] = -float("inf")
        gaps.append(top2_gap(lg))
        seq = torch.cat([seq, lg.argmax().view(1, 1)], 1)
    nocache = seq[0].tolist()
    case = {"prompt": prompt, "input_ids": ids[0].tolist(), "kwargs": kw,
            "output_ids": g.sequences[0].tolist(), "new_ids": new,
            "new_text": tok.decode(new, skip_special_tokens=True),
            "full_text": tok.decode(g.sequences[0].tolist(), skip_special_tokens=True),
            "min_top2_gap": f32s(min(gaps))}
    if nocache != g.sequences[0].tolist():
        case["output_ids_nocache"] = nocache
        case["nocache_note"] = "greedy loop with full recompute (use_cache=False) differs from generate()"
    return case, min(gaps)


def make_pipeline(d):
    import torch
    from transformers import pipeline
    errs = []
    for kw in ({"dtype": torch.float32}, {"torch_dtype": torch.float32}):
        try:
            p = pipeline("text-generation", model=d, device="cpu",
                         model_kwargs={"attn_implementation": "eager"}, **kw)
            if next(p.model.parameters()).dtype != torch.float32:
                raise RuntimeError(f"pipeline model dtype {next(p.model.parameters()).dtype}")
            return p, kw
        except Exception as e:
            errs.append(repr(e)[:200])
    raise RuntimeError("; ".join(errs))


def ppl_text(tok, text, max_length, strides):
    """The docs' loop divides 0 by 0 (NaN loss) for a window whose shifted labels are all -100 (a last window
    of 1 token when stride == max_length): drop trailing characters of the text until no window is that short."""
    while True:
        n = len(tok(text)["input_ids"])
        bad = False
        for stride in strides:
            prev = 0
            for b in range(0, n, stride):
                e = min(b + max_length, n)
                if e - b < 2 or e - prev < 2:
                    bad = True
                prev = e
                if e == n:
                    break
        if not bad:
            return text
        text = text[:-1].rstrip()


def perplexity(model, tok, text, max_length, stride, adds_bos):
    import torch
    enc = tok(text, return_tensors="pt")
    seq_len = enc.input_ids.size(1)
    nll_sum, n_tokens, prev_end_loc = 0.0, 0, 0
    windows = []
    for begin_loc in range(0, seq_len, stride):
        end_loc = min(begin_loc + max_length, seq_len)
        trg_len = end_loc - prev_end_loc
        input_ids = enc.input_ids[:, begin_loc:end_loc]
        target_ids = input_ids.clone()
        target_ids[:, :-trg_len] = -100
        outputs = model(input_ids, labels=target_ids)
        neg_log_likelihood = outputs.loss
        num_valid_tokens = (target_ids != -100).sum().item()
        batch_size = target_ids.size(0)
        num_loss_tokens = num_valid_tokens - batch_size
        nll_sum += neg_log_likelihood * num_loss_tokens
        n_tokens += num_loss_tokens
        windows.append({"begin": begin_loc, "end": end_loc, "trg_len": trg_len, "loss": f32s(neg_log_likelihood.item()),
                        "num_valid_tokens": num_loss_tokens})
        prev_end_loc = end_loc
        if end_loc == seq_len:
            break
    avg_nll = nll_sum / n_tokens
    ppl = torch.exp(avg_nll)
    return {"text": text, "max_length": max_length, "stride": stride, "perplexity": float(ppl),
            "avg_nll": float(avg_nll), "tokens": int(n_tokens), "seq_len": int(seq_len),
            "bos_added": bool(adds_bos and enc.input_ids[0, 0].item() == tok.bos_token_id),
            "first_ids": enc.input_ids[0, :4].tolist(), "windows": windows}


def folder_tokenizer(d, kind, tokcls):
    """Write the tokenizer into the model folder and re-verify it there (AutoTokenizer may also look at
    config.json's model_type); on a difference try the other classes."""
    first = tokcls[kind]["class"]
    cands = [first] + [c for c in get_tokenizers()[kind][2]["classes"] if c != first]
    tried = []
    for cls in cands:
        write_tokenizer(d, kind, cls)
        try:
            problems, loaded = verify_tokenizer(d)
        except Exception as e:
            problems, loaded = [f"loading raised {e!r:.300}"], "?"
        tried.append((cls, loaded, problems[:2]))
        if not problems:
            notes = [] if cls == first else [f"tokenizer_class {first} gave differences in this folder "
                                             f"({tried[0]}); {cls} written instead (loads as {loaded})"]
            return cls, notes
    write_tokenizer(d, kind, first)
    return first, [f"tokenizer differences remain with every class: {tried}"]


def build_folder(out, name, arch, kind, dtype, opts, base_seed, tmp, tokcls):
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig
    d = os.path.join(out, name)
    info = get_tokenizers()[kind][2]
    rec = None
    for attempt in range(10):
        s = base_seed + 1000 * attempt
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        cfg, how = make_config(arch, kind, opts)
        seed(s)
        m = AutoModelForCausalLM.from_config(cfg)
        finals = perturb(m)
        m.eval()
        gc = {"bos_token_id": info["bos"], "eos_token_id": info.get("eos_list", info["eos"]),
              "pad_token_id": info["pad"]}
        m.generation_config = GenerationConfig(**gc)
        if dtype != "float32":
            m = m.to(getattr(torch, dtype))
        m.save_pretrained(d)
        del m
        used_cls, fold_notes = folder_tokenizer(d, kind, tokcls)
        model = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32, attn_implementation="eager").eval()
        tok = AutoTokenizer.from_pretrained(d)
        greedy, gaps = [], []
        for p in PROMPTS:
            c, g = greedy_case(model, tok, p, info)
            greedy.append(c)
            gaps.append(g)
        rec = {"seed": s, "used_cls": used_cls, "model": model, "tok": tok, "greedy": greedy, "min_gap": min(gaps), "how": how,
               "finals": finals}
        if min(gaps) >= 1e-2:
            break
        log(f"[{name}] seed {s}: min top-2 gap {min(gaps):.2e} < 1e-2; reseeding")
    model, tok = rec["model"], rec["tok"]
    notes = list(fold_notes)
    rot = None
    for n_, m_ in model.named_modules():
        if n_.endswith("rotary_emb"):
            inv = getattr(m_, "inv_freq", None)
            rot = {"module": n_, "rope_type": getattr(m_, "rope_type", None),
                   "attention_scaling": float(getattr(m_, "attention_scaling", 1.0)),
                   "inv_freq": None if inv is None else [f32s(x) for x in inv.float().tolist()]}
            notes.append(f"rotary embedding after loading (before any forward): {json.dumps(rot)}")
            break
    if rec["min_gap"] < 1e-2:
        notes.append(f"WARNING: min top-2 logit gap {rec['min_gap']:.2e} < 1e-2 after 10 seeds")
    for p in PROMPTS:       # the folder's tokenizer must agree with tokenizers.Tokenizer.from_file
        from tokenizers import Tokenizer
        e = Tokenizer.from_file(os.path.join(d, "tokenizer.json")).encode(p).ids
        if tok(p)["input_ids"] != e:
            notes.append(f"tokenizer ids differ on {p!r}: {tok(p)['input_ids']} vs {e}")
    # logits
    logits = []
    for i, p in enumerate(PROMPTS):
        ids = tok(p, return_tensors="pt")["input_ids"]
        lg = model(ids).logits[0]
        logits.append({"prompt": p, "input_ids": ids[0].tolist(), "last_logits": fl(lg[-1])})
        if i == 2:
            save_file({"input_ids": ids[0].to(torch.int64).contiguous(), "logits": lg.float().contiguous()},
                      os.path.join(out, "expected", name + ".logits.safetensors"),
                      metadata={"model": name, "prompt": p, "note": "all-position logits of the folder loaded "
                                "with dtype=float32, attn_implementation=eager"})
    # pipeline
    pipe_cases, skipped = [], []
    try:
        pipe, pkw = make_pipeline(d)
        for p in PIPE_PROMPTS:
            for extra in ({}, {"return_full_text": False}, {"return_tensors": True}):
                kw = {"do_sample": False, "max_new_tokens": 20, **extra}
                try:
                    o = pipe(p, **kw)
                    pipe_cases.append({"inputs": p, "kwargs": kw, "output": jsonable(o)})
                except Exception as e:
                    skipped.append({"inputs": p, "kwargs": kw, "error": repr(e)[:300]})
                    log(f"[{name}] pipeline {kw} FAILED: {e!r}")
        notes.append(f"pipeline created as pipeline('text-generation', model=<folder>, device='cpu', "
                     f"model_kwargs={{'attn_implementation': 'eager'}}, {', '.join(f'{k}={v}' for k, v in pkw.items())})")
    except Exception as e:
        skipped.append({"inputs": "pipeline()", "error": repr(e)[:400]})
        log(f"[{name}] pipeline FAILED: {e!r}\n{traceback.format_exc()}")
    # perplexity
    ppl = []
    text = ppl_text(tok, PPL_TEXT, 64, (32, 64))
    if text != PPL_TEXT:
        notes.append(f"perplexity text shortened to end at {text[-30:]!r} (a 1-token last window gives a NaN loss)")
    for stride in (32, 64):
        try:
            ppl.append(perplexity(model, tok, text, 64, stride, info["adds_bos"]))
        except Exception as e:
            skipped.append({"perplexity_stride": stride, "error": repr(e)[:300]})
            log(f"[{name}] perplexity stride {stride} FAILED: {e!r}\n{traceback.format_exc()}")
    doc = {"model": name, "logits": logits, "greedy": rec["greedy"], "pipeline": pipe_cases, "perplexity": ppl}
    if skipped:
        doc["skipped"] = skipped
    write_json(os.path.join(out, "expected", name + ".json"), doc, indent=1)
    cfgj = load_json(os.path.join(d, "config.json"))
    gcj = load_json(os.path.join(d, "generation_config.json"))
    for c in rec["greedy"]:
        if "output_ids_nocache" in c:
            notes.append(f"greedy on {c['prompt']!r}: generate() (KV cache) and a full-recompute greedy loop "
                         f"differ; both recorded (output_ids / output_ids_nocache)")
    if any(c["kwargs"].get("min_new_tokens") for c in rec["greedy"]):
        notes.append("min_new_tokens=40 used for: " + ", ".join(repr(c["prompt"]) for c in rec["greedy"]
                                                              if c["kwargs"].get("min_new_tokens")))
    res = {"name": name, "arch": arch, "kind": kind, "tokenizer_class": rec["used_cls"], "model_type": cfgj.get("model_type"),
           "architectures": cfgj.get("architectures"), "dtype": cfgj.get("dtype", cfgj.get("torch_dtype")),
           "vocab_size": cfgj.get("vocab_size"), "seed": rec["seed"], "min_gap": rec["min_gap"],
           "files": sorted(os.listdir(d)), "keys": stored_keys(d), "notes": notes, "config": cfgj,
           "generation_config": gcj, "rope_how": rec["how"], "rotary": rot, "finals": rec["finals"],
           "ppl": [(x["stride"], x["perplexity"], x["tokens"], x["seq_len"]) for x in ppl],
           "n_pipe": len(pipe_cases), "skipped": skipped, "state_dict": list(model.state_dict().keys())}
    log(f"[{name}] ok: {res['model_type']} {res['architectures']} {res['dtype']} seed {rec['seed']} "
        f"gap {rec['min_gap']:.3e} ppl {res['ppl']} pipe {len(pipe_cases)} skipped {len(skipped)} notes {notes}")
    return res


# ----------------------------------------------------------------------------
# 4. README / VERSIONS
# ----------------------------------------------------------------------------

def write_versions(out):
    import numpy as np
    import safetensors
    import tokenizers
    import torch
    import transformers
    lines = [f"python {platform.python_version()}", f"torch {torch.__version__}",
             f"transformers {transformers.__version__}", f"tokenizers {tokenizers.__version__}",
             f"safetensors {safetensors.__version__}", f"numpy {np.__version__}",
             f"platform {platform.platform()} {platform.machine()}", f"torch_num_threads {torch.get_num_threads()}"]
    with open(os.path.join(out, "VERSIONS.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def write_readme(out, infos, tokcls):
    import transformers as tr
    L = [f"""# Text-generation golden fixtures

Generated by `tools/make_generation_fixtures.py` (PyTorch + Hugging Face transformers {tr.__version__}, CPU,
one thread, fixed seeds, no network); `VERSIONS.txt` has the exact versions. Regenerate with

    python3 tools/make_generation_fixtures.py tests/fixtures/generation

Every `<folder>/` is a tiny random decoder-only model written by `save_pretrained` (safetensors) plus a
reduced-vocabulary tokenizer and a `generation_config.json`. **All expected outputs were computed from the
folder loaded back from disk** (`AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32,
attn_implementation="eager")`, `AutoTokenizer.from_pretrained(folder)`), never from the in-memory model;
float16 / bfloat16 folders are therefore those stored weights upcast to float32.

## Models
2 layers, 4 attention heads, `max_position_embeddings` 128 (OPT: 128 + its offset of 2 = 130 rows),
`initializer_range` (OPT `init_std`) {INIT}; every parameter plus N(0, 0.05) noise, every LayerNorm / RMSNorm
weight (and bias) plus another N(0, 0.1), and the final norm weight (`transformer.ln_f`,
`model.decoder.final_layer_norm`, `model.norm`) multiplied by {FINAL_NORM_GAIN} so the logits are large and
greedy argmax has clear margins. gpt2 / opt / qwen2: hidden 32, intermediate 128; llama / mistral / phi3:
hidden 64, intermediate 128 (head_dim 16). A seed is re-drawn (+1000, at most 10) while the top-2 gap of the
(processed) logits at any greedy step of the recorded continuations (generate() and the no-cache loop) is
below 1e-2; `min gap` is the final minimum. `vocab_size` = the reduced tokenizer's size incl. added tokens.

| folder | model_type | architectures | stored dtype | vocab | tokenizer | seed | min gap | notes |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
"""]
    for i in infos:
        if "error" in i:
            L.append(f"| `{i['name']}` | FAILED | {i['error'][:300]} | | | | | | |\n")
            continue
        L.append(f"| `{i['name']}` | {i['model_type']} | {', '.join(i['architectures'] or [])} | {i['dtype']} | "
                 f"{i['vocab_size']} | {i['kind']} ({i['tokenizer_class']}) | {i['seed']} | {i['min_gap']:.2e} | "
                 f"{len(i['notes'])} |\n")
    L.append("""
- `gpt2`: GPT2LMHeadModel, `lm_head` tied to `wte` (not stored), n_inner 128, activation gelu_new.
  `gpt2-f16`: the same config and seed (so the gpt2 weights before rounding), saved in float16.
- `opt`: OPTForCausalLM, word_embed_proj_dim == hidden_size 32, do_layer_norm_before true, relu, learned
  positions with offset 2; `opt-proj`: word_embed_proj_dim 16 != hidden 32 (`project_in` / `project_out`,
  bias-free; `lm_head` tied to the 16-wide `embed_tokens`). Both use the gpt2 tokenizer (real OPT checkpoints
  use GPT-2's BPE with `</s>` prepended as BOS; here no BOS is added, as for gpt2). `opt-postln`:
  do_layer_norm_before false (LayerNorm after each residual, no final LayerNorm; as opt-350m) with
  word_embed_proj_dim 16.
- `llama`: LlamaForCausalLM, 4 heads / 2 kv heads (GQA), rope_theta 10000, untied lm_head, saved in bfloat16,
  mistral tokenizer. `llama3-rope`: the same plus llama3 rope scaling (factor 8, low_freq_factor 1,
  high_freq_factor 4, original_max_position_embeddings 32; with head_dim 16 and theta 10000 the 8 frequencies
  fall in all three bands: unchanged, smoothed and divided by 8).
- `mistral`: MistralForCausalLM, 4 heads / 2 kv heads, sliding_window 16 (transformers semantics: query i sees
  keys j with i - 16 < j <= i), float32; the long prompt + 40 new tokens is longer than the window.
- `qwen2`: Qwen2ForCausalLM (q/k/v biases), 4 heads / 2 kv heads, untied, use_sliding_window false, gpt2
  tokenizer files (a stand-in). NOTE: in this folder transformers 5 loads the tokenizer as Qwen2Tokenizer
  (chosen from config.json's model_type whatever tokenizer_class says), which rebuilds it from the vocab / merges
  with an NFC normalizer and the Qwen2 pre-tokenizer regex (e.g. digits split one by one), so its ids differ
  from tokenizer.json read as is; all qwen2 expected outputs use the ids recorded in the JSON (Qwen2Tokenizer's).
- `phi3`: Phi3ForCausalLM (fused `qkv_proj`, `gate_up_proj`), 4 heads / 4 kv heads, Phi-3 tokenizer, float32,
  original_max_position_embeddings 128 (= max_position_embeddings, as Phi-3-mini-4k has 4096 / 4096). `phi3-longrope`: rope type longrope, short_factor / long_factor of
  head_dim/2 = 8 values, original_max_position_embeddings 32, max_position_embeddings 128 (so the attention
  factor sqrt(1 + ln(4)/ln(32)) scales cos/sin). transformers picks long_factor when max(position_ids) + 1 > 32
  *per forward call*: in cached generation the keys already in the cache keep the short-factor rotation, so a
  full recompute can differ (`output_ids_nocache` is recorded where it does).

Rope configuration as written to config.json:
""")
    for i in infos:
        if "error" in i:
            continue
        c = i["config"]
        rk = {k: c[k] for k in ("rope_parameters", "rope_scaling", "rope_theta", "original_max_position_embeddings",
                                 "sliding_window", "partial_rotary_factor") if k in c}
        if rk:
            L.append(f"- `{i['name']}` (set via {i['rope_how'] or 'rope_theta'}): `{json.dumps(rk)}`\n")
    L.append("""
## generation_config.json (exact content written by save_pretrained)
Set explicitly: `GenerationConfig(bos_token_id, eos_token_id, pad_token_id)`; pad = eos everywhere (the real
gpt2 / mistral checkpoints have no pad token); phi3 folders use the real Phi-3 eos list
[<|endoftext|>, <|assistant|>, <|end|>] (remapped ids).
""")
    seen = set()
    for i in infos:
        if "error" in i:
            continue
        s = json.dumps(i["generation_config"], sort_keys=True)
        L.append(f"- `{i['name']}`: `{s}`\n")
        seen.add(s)
    L.append("""
## Tokenizers (reduced vocabularies)
Built from the real files in `tools/text_fixture_vocab/` (see its PROVENANCE.md) by editing `tokenizer.json`
(model vocab / merges, added_tokens ids, post-processor ids); normalizer, pre-tokenizer, decoder and the
other settings are the originals.
""")
    for k, (tj, tc, info) in get_tokenizers().items():
        t = tokcls[k]
        L.append(f"- **{k}** (from {info['source']}): vocab {info['vocab_size']}, {info['n_merges']} merges, "
                 f"special ids {info['ids']}; BOS added by default: {info['adds_bos']}; tokenizer_class "
                 f"`{t['class']}` (loads as {t['loaded_as']})" +
                 (f"; rejected: {t['rejected']}" if t["rejected"] else "") +
                 (f"; accepted as equivalent: {t['equivalent']}" if t["equivalent"] else "") +
                 (f"; REMAINING DIFFERENCES: {t['problems']}" if t["problems"] else "") + ".\n")
    L.append(f"""
  - gpt2: the 256 byte-level characters (original ids 0-255) and the results of the first {GPT2_VOCAB - 257}
    merges whose parts are kept (original id order), `<|endoftext|>` last; ByteLevel pre-tokenizer / post-processor
    / decoder as in gpt2; no BOS/EOS added. tokenizer_config: add_bos_token false, bos/eos/unk <|endoftext|>, no pad.
  - mistral (Mistral-7B-v0.1, SentencePiece BPE with byte_fallback, Metaspace prepend_scheme first, no
    normalizer): `<unk>`=0 `<s>`=1 `</s>`=2, `<0x00>`..`<0xFF>` = 3..258, the single-character pieces that are
    printable ASCII, `▁` or one of `{SP_EXTRA_CHARS}`, then merge results of the first merges whose parts are kept
    (original id order), up to {SP_VOCAB} tokens. Characters outside (e.g. 東京, 😀) fall back to <0xHH> bytes.
    TemplateProcessing adds `<s>`; tokenizer_config as the original (add_bos_token true, legacy false) but
    model_max_length 128.
  - phi3 (Phi-3-mini-4k-instruct, the Llama-2 vocab; legacy layout: normalizer Prepend ▁ + Replace ' '->▁, no
    pre-tokenizer): reduced the same way, then the 11 added tokens (<|endoftext|>, <|assistant|>,
    <|placeholder1-4|>, <|system|>, <|end|>, <|placeholder5-6|>, <|user|>) appended in their original order; `</s>`
    stays a non-special added token with rstrip, as in the original. No BOS added (add_bos_token false, as the
    original file); eos_token / pad_token <|endoftext|>.
- Verification (per tokenizer, before the models): `AutoTokenizer.from_pretrained` must give the same
  normalizer / pre_tokenizer / post_processor / decoder / model / added_tokens JSON as the file, the same ids as
  `tokenizers.Tokenizer.from_file(tokenizer.json)` on the prompts, the perplexity text and a few extra strings,
  the same `decode(..., skip_special_tokens=True)` and the same length. The real model's class is tried first
  (GPT2Tokenizer / LlamaTokenizer); when transformers rebuilds it differently from the file,
  `PreTrainedTokenizerFast` is written instead (the "rejected" entries above say why).

## expected/<folder>.json
- `logits`: for each prompt {json.dumps(PROMPTS, ensure_ascii=False)}: `input_ids` (tokenizer defaults, as the
  text-generation pipeline adds them) and `last_logits`, the full last-position logits (float32 values written as
  their shortest round-trip decimal). `expected/<folder>.logits.safetensors`: `input_ids` (I64 [seq]) and `logits`
  (F32 [seq, vocab]) of the third prompt, all positions.
- `greedy`: `model.generate(input_ids, attention_mask=ones, **kwargs)` with kwargs `{{"do_sample": false,
  "max_new_tokens": 40}}`, plus `"min_new_tokens": 40` where the first run produced an eos before 40 tokens (then
  every eos id of generation_config is masked for 40 steps); `output_ids` = prompt + new ids, `new_ids`,
  `new_text` = `tokenizer.decode(new_ids, skip_special_tokens=True)`, `full_text` = decode of all ids,
  `min_top2_gap`. The generation_config used is the folder's generation_config.json. `output_ids_nocache` appears
  only where a greedy loop with full recompute (no KV cache) gives other ids.
- `pipeline`: `pipeline("text-generation", model=<folder>, dtype=torch.float32, model_kwargs={{"attn_implementation":
  "eager"}})(prompt, **kwargs)` for prompts {json.dumps(PIPE_PROMPTS, ensure_ascii=False)} with kwargs
  `{{"do_sample": false, "max_new_tokens": 20}}` (return_full_text default true), `+ return_full_text: false`,
  `+ return_tensors: true`; `output` is exactly what Python returned (JSON). No min_new_tokens here: an eos stops.
- `perplexity`: the strided sliding-window perplexity of the HF docs ("Perplexity of fixed-length models") on
  `text` (tokenized with the tokenizer defaults: `bos_added` says whether a BOS was prepended, i.e. true for
  llama / llama3-rope / mistral), max_length 64, stride 32 and 64:
  `for begin_loc in range(0, seq_len, stride): end_loc = min(begin_loc + max_length, seq_len); trg_len = end_loc -
  prev_end_loc; input_ids = ids[:, begin_loc:end_loc]; target_ids = input_ids.clone(); target_ids[:, :-trg_len] =
  -100; loss = model(input_ids, labels=target_ids).loss; num_valid_tokens = (target_ids != -100).sum() - batch_size;
  nll_sum += loss * num_valid_tokens; n_tokens += num_valid_tokens; prev_end_loc = end_loc; break at seq_len;
  ppl = exp(nll_sum / n_tokens)`. `loss` is the mean over the valid *shifted* labels (the model shifts by one), so
  for windows after the first it averages trg_len terms but is weighted by trg_len - 1 (the docs' approximation,
  kept as is). `tokens` = n_tokens, `seq_len` = the text's token count, `windows` = per-window begin / end / trg_len /
  loss / num_valid_tokens, `avg_nll` = nll_sum / n_tokens.

## Notes
""")
    for i in infos:
        for n in i.get("notes", []):
            L.append(f"- `{i['name']}`: {n}\n")
        for s in i.get("skipped", []):
            L.append(f"- `{i['name']}`: case skipped: {json.dumps(s, ensure_ascii=False)}\n")
    L.append("\n## Stored tensor names\n\nFull list (name, dtype, shape) for one folder per architecture; for the "
             "others only the tensors outside the decoder layers.\n")
    full = {"gpt2", "opt", "opt-proj", "llama", "mistral", "qwen2", "phi3"}
    for i in infos:
        if "error" in i:
            continue
        L.append(f"\n### {i['name']} ({i['model_type']}, files: {', '.join(i['files'])})\n```\n")
        for k, dt, sh, f in i["keys"]:
            if i["name"] in full or not (".h." in k or ".layers." in k):
                L.append(f"{k} {dt} {sh}\n")
        L.append("```\n")
        if i["name"] in full:
            extra = sorted(set(i["state_dict"]) - {k for k, *_ in i["keys"]})
            if extra:
                L.append(f"state_dict keys not stored (tied / buffers): {', '.join(extra)}\n")
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("".join(L))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--tokenizers-only":
        tokenizers_only(sys.argv[2])
        return
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/generation"
    only = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else None
    import torch
    import transformers
    torch.set_num_threads(1)
    torch.set_grad_enabled(False)
    transformers.logging.set_verbosity_error()
    if os.path.isdir(out) and not only:
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "expected"), exist_ok=True)
    tmp = os.path.join(out, "_tok")
    write_versions(out)
    get_tokenizers()
    tokcls = {k: choose_tokenizer_class(k, tmp) for k in ("gpt2", "mistral", "phi3")}
    shutil.rmtree(tmp, ignore_errors=True)
    infos = []
    final_seed = {}
    for n, (name, arch, kind, dtype, opts) in enumerate(FOLDERS):
        if only and name not in only:
            continue
        base = final_seed.get(SEEDS.get(name), 40000 + 17 * n)
        t0 = time.time()
        try:
            infos.append(build_folder(out, name, arch, kind, dtype, opts, base, tmp, tokcls))
            log(f"[{name}] {time.time() - t0:.1f}s")
            final_seed[name] = infos[-1]["seed"]
        except Exception as e:
            log(f"[{name}] FAILED: {e!r}\n{traceback.format_exc()}")
            infos.append({"name": name, "error": repr(e)})
            shutil.rmtree(os.path.join(out, name), ignore_errors=True)
    write_readme(out, infos, tokcls)
    with open(os.path.join(out, "generation.log"), "w", encoding="utf-8") as f:
        f.write("\n".join(LOG) + "\n")
    bad = [i["name"] for i in infos if "error" in i]
    log(f"done; {len(infos) - len(bad)} folders ok, failed: {bad}")


if __name__ == "__main__":
    main()
