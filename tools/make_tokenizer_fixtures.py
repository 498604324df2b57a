#!/usr/bin/env python3
"""Generate golden tokenizer fixtures for transformers.h.

Usage:
  python3 tools/make_tokenizer_fixtures.py [--fixtures DIR] [--corpus DIR]
         [--tar FILE.tgz] [--raw DIR] [--bench-mb 1.0] [--only NAME,...]
  python3 tools/make_tokenizer_fixtures.py --recompact RAWDIR [--fixtures DIR]

Needs `tokenizers` and `transformers` (5.x); no network (HF_HUB_OFFLINE=1).
Reads the corpus written by tools/make_tokenizer_corpus.py
(tests/tokenizer_corpus/{corpus,pairs}.jsonl, subsets.json) and the tokenizer
files already in tests/fixtures/tokenizers/<name>/.  For bert-base-uncased,
whose only source file is vocab.txt, it first builds the tokenizer with
transformers' BertTokenizerFast and saves tokenizer.json /
tokenizer_config.json next to vocab.txt.

Writes, per tokenizer, tests/fixtures/tokenizers/<name>/expected.jsonl (see
tests/fixtures/tokenizers/README.md for the record layout), and
VERSIONS.txt, baseline.json and summary.json in tests/fixtures/tokenizers/.

--raw DIR keeps the uncompacted records (every field of every record) as
DIR/<name>.raw.jsonl; --recompact RAWDIR rebuilds the expected.jsonl files from
them without tokenizers/transformers.  --tar packs the generated files (not
the copied tokenizer files) into one .tgz, for copying back from a machine.
"""
import argparse
import json
import os
import platform
import shutil
import sys
import tarfile
import tempfile
import time
import traceback

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

sys.dont_write_bytecode = True  # no tools/__pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_tokenizer_corpus import dumps  # noqa: E402  (same escaping as the corpus)

# name -> settings.  model_type / hf_classes are used only when AutoTokenizer
# cannot pick the class by itself (no tokenizer_class and no config.json).
TOKENIZERS = [
    ("bert-base-uncased", {"model_type": "bert", "hf_classes": ["BertTokenizerFast", "BertTokenizer"]}),
    ("all-MiniLM-L6-v2", {"model_type": "bert", "hf_classes": ["BertTokenizerFast", "BertTokenizer"]}),
    ("gpt2", {"model_type": "gpt2", "hf_classes": ["GPT2TokenizerFast", "GPT2Tokenizer"]}),
    ("roberta-base", {"model_type": "roberta", "hf_classes": ["RobertaTokenizerFast", "RobertaTokenizer"],
                      "hf_class_first": True}),
    ("Mistral-7B-v0.1", {"model_type": "mistral", "hf_classes": ["LlamaTokenizerFast", "LlamaTokenizer"]}),
    ("Phi-3-mini-4k-instruct", {"model_type": "phi3", "hf_classes": ["LlamaTokenizerFast", "LlamaTokenizer"]}),
    ("t5-small", {"model_type": "t5", "hf_classes": ["T5TokenizerFast", "T5Tokenizer"]}),
    ("whisper-base", {"model_type": "whisper", "hf_classes": ["WhisperTokenizerFast", "WhisperTokenizer"]}),
]

MAX_LEN = 64
STRIDE = 16
SIZE_LIMIT = 3 * 1024 * 1024  # bytes per expected.jsonl


def log(*a):
    print(*a, flush=True)


def err_str(e):
    s = "%s: %s" % (type(e).__name__, e)
    return s.strip()[:500]


def guard(e):
    """Re-raise what must not be swallowed; tokenizers' Rust panics are BaseException."""
    if isinstance(e, (KeyboardInterrupt, SystemExit)):
        raise e


def read_jsonl(path):
    with open(path, "rb") as f:
        data = f.read().decode("utf-8")
    return [json.loads(line) for line in data.split("\n") if line]


# --------------------------------------------------------------------------
# Record construction (uncompacted: every field)
# --------------------------------------------------------------------------

def enc_fields(enc, text_decode=None):
    d = {
        "ids": list(enc.ids),
        "type_ids": list(enc.type_ids),
        "tokens": list(enc.tokens),
        "offsets": [list(o) for o in enc.offsets],
        "special_tokens_mask": list(enc.special_tokens_mask),
        "attention_mask": list(enc.attention_mask),
        "word_ids": list(enc.word_ids),
    }
    try:
        d["sequence_ids"] = list(enc.sequence_ids)
    except BaseException as e:  # older tokenizers
        guard(e)
    return d


def overflow_fields(enc):
    out = []
    for o in enc.overflowing:
        out.append({"ids": list(o.ids), "type_ids": list(o.type_ids), "offsets": [list(x) for x in o.offsets],
                    "special_tokens_mask": list(o.special_tokens_mask), "attention_mask": list(o.attention_mask)})
    return out


def decode_both(tok, ids):
    d = {}
    try:
        d["decoded"] = tok.decode(ids, skip_special_tokens=False)
    except BaseException as e:
        guard(e)
        d["decoded_error"] = err_str(e)
    try:
        d["decoded_skip"] = tok.decode(ids, skip_special_tokens=True)
    except BaseException as e:
        guard(e)
        d["decoded_skip_error"] = err_str(e)
    return d


class PPEncoder:
    """Encode through Tokenizer.post_process instead of Tokenizer.encode.

    tokenizers 0.23.1+ stops tokenizing once max_length tokens exist when
    truncation is enabled (huggingface/tokenizers PR #1990), which leaves
    Encoding.overflowing empty or short (issue #2091, fix PR #2098 not
    released).  The long-standing behaviour (<= 0.22.2) is: tokenize every
    sequence completely, then post_process = truncate (with overflow windows)
    + post-processor template + padding.  This class reproduces exactly that:
    the sequences are encoded by a copy of the tokenizer without
    post-processor, truncation and padding, and then handed to the real
    tokenizer's post_process.  The second sequence of a pair is encoded as
    the pair ("", b), which gives it type_id 1 like Tokenizer.encode does.
    """

    def __init__(self, tokenizer_json_path):
        from tokenizers import Tokenizer
        with open(tokenizer_json_path, encoding="utf-8") as f:
            j = json.load(f)
        j["post_processor"] = None
        j["truncation"] = None
        j["padding"] = None
        self.nopp = Tokenizer.from_str(json.dumps(j))

    def encode(self, tok, a, b=None, add_special_tokens=True):
        ea = self.nopp.encode(a, add_special_tokens=False)
        eb = None if b is None else self.nopp.encode("", b, add_special_tokens=False)
        return tok.post_process(ea, eb, add_special_tokens=add_special_tokens)


def same_encoding(e1, e2):
    f1, f2 = enc_fields(e1), enc_fields(e2)
    f1.pop("sequence_ids", None)  # not compared: the ("", b) trick leaves a stale range for sequence 0
    f2.pop("sequence_ids", None)
    return f1 == f2


def rust_records(name, tok, corpus, pairs, subsets, tokenizer_json, kinds, info):
    """All records produced with the Rust core (tokenizers.Tokenizer)."""
    recs = []
    file_trunc = tok.truncation
    file_pad = tok.padding
    ppe = PPEncoder(tokenizer_json)
    tok.no_truncation()
    tok.no_padding()

    # Check that the post_process path equals Tokenizer.encode when nothing is truncated.
    bad = []
    checked = 0
    for is_pair, items in ((False, [(t, None) for t in corpus]), (True, [tuple(p) for p in pairs])):
        for k, (a, b) in enumerate(items):
            try:
                e1 = tok.encode(a, b, add_special_tokens=True)
                e2 = ppe.encode(tok, a, b, add_special_tokens=True)
                checked += 1
                if not same_encoding(e1, e2):
                    bad.append([is_pair, k])
            except BaseException as e:
                guard(e)
                bad.append([is_pair, k, err_str(e)])
    info["post_process_path_checked"] = checked
    info["post_process_path_mismatches"] = bad[:50]
    info["post_process_path_mismatch_count"] = len(bad)

    # Records with the truncation/padding stored in tokenizer.json (if any).
    if "filecfg" in kinds and (file_trunc is not None or file_pad is not None):
        if file_trunc is not None:
            strat = {"LongestFirst": "longest_first", "OnlyFirst": "only_first", "OnlySecond": "only_second"}
            tok.enable_truncation(max_length=file_trunc["max_length"], stride=file_trunc.get("stride", 0),
                                  strategy=strat.get(file_trunc.get("strategy"), file_trunc.get("strategy",
                                                                                             "longest_first")),
                                  direction=file_trunc.get("direction", "right"))
        if file_pad is not None:
            tok.enable_padding(direction=file_pad.get("direction", "right"), pad_id=file_pad.get("pad_id", 0),
                               pad_type_id=file_pad.get("pad_type_id", 0),
                               pad_token=file_pad.get("pad_token", "[PAD]"), length=file_pad.get("length"),
                               pad_to_multiple_of=file_pad.get("pad_to_multiple_of"))
        sel = [(False, i) for i in [i for i in subsets["trunc"] if i not in subsets["longdoc"]][:12]
               + subsets["longdoc"][:3]]
        sel += [(True, j) for j in subsets["trunc_pairs"][:6]]
        for is_pair, i in sel:
            r = {"kind": "filecfg", "i": i, "pair": is_pair, "special": True}
            try:
                a, b = (pairs[i][0], pairs[i][1]) if is_pair else (corpus[i], None)
                enc = ppe.encode(tok, a, b, add_special_tokens=True)
                r.update(enc_fields(enc))
                r["overflow"] = overflow_fields(enc)
                direct = tok.encode(a, b, add_special_tokens=True)
                if not same_encoding(direct, enc) or len(direct.overflowing) != len(enc.overflowing):
                    r["encode_differs"] = True
            except BaseException as e:
                guard(e)
                r["error"] = err_str(e)
            recs.append(r)
        tok.no_truncation()
        tok.no_padding()

    # Single sequences, with and without special tokens.
    if "single" in kinds:
        for i, text in enumerate(corpus):
            for special in (True, False):
                r = {"kind": "single", "i": i, "special": special}
                try:
                    enc = tok.encode(text, add_special_tokens=special)
                    r.update(enc_fields(enc))
                    r.update(decode_both(tok, r["ids"]))
                except BaseException as e:
                    guard(e)
                    r["error"] = err_str(e)
                recs.append(r)

    # Pairs.
    if "pair" in kinds:
        for j, (a, b) in enumerate(pairs):
            r = {"kind": "pair", "i": j, "special": True}
            try:
                enc = tok.encode(a, b, add_special_tokens=True)
                r.update(enc_fields(enc))
                r.update(decode_both(tok, r["ids"]))
            except BaseException as e:
                guard(e)
                r["error"] = err_str(e)
            recs.append(r)

    # Truncation with overflow (max_length 64, stride 16), through post_process (see PPEncoder).
    if "trunc" not in kinds:
        return recs
    longdoc = set(subsets["longdoc"])
    cases = []
    for n, i in enumerate(subsets["trunc"]):
        cases.append((False, i, "longest_first", "right"))
        if n < 10:
            cases.append((False, i, "only_first", "right"))
        if n < 2:
            cases.append((False, i, "only_second", "right"))  # meaningless for one sequence
        if (i in longdoc and i < subsets["longdoc"][5]) or (i not in longdoc and n % 8 == 0):
            cases.append((False, i, "longest_first", "left"))
    for n, j in enumerate(subsets["trunc_pairs"]):
        for strat in ("longest_first", "only_first", "only_second"):
            cases.append((True, j, strat, "right"))
        if n % 4 == 0:
            cases.append((True, j, "longest_first", "left"))
    differs = 0
    for is_pair, i, strat, direction in cases:
        r = {"kind": "trunc", "i": i, "pair": is_pair, "special": True, "strategy": strat,
             "direction": direction, "max_length": MAX_LEN, "stride": STRIDE}
        a, b = (pairs[i][0], pairs[i][1]) if is_pair else (corpus[i], None)
        try:
            tok.enable_truncation(max_length=MAX_LEN, stride=STRIDE, strategy=strat, direction=direction)
            enc = ppe.encode(tok, a, b, add_special_tokens=True)
            r.update(enc_fields(enc))
            r["overflow"] = overflow_fields(enc)
        except BaseException as e:
            guard(e)
            r["error"] = err_str(e)
        # What Tokenizer.encode itself returns in this tokenizers version (for the notes only).
        try:
            direct = tok.encode(a, b, add_special_tokens=True)
            if "error" in r or list(direct.ids) != r["ids"] or overflow_fields(direct) != r["overflow"]:
                r["encode_differs"] = True
                differs += 1
        except BaseException as e:
            guard(e)
            if "error" not in r:
                r["encode_differs"] = True
                differs += 1
        finally:
            tok.no_truncation()
        recs.append(r)
    info["trunc_encode_path_differs"] = differs
    return recs


# --------------------------------------------------------------------------
# transformers level
# --------------------------------------------------------------------------

def load_hf(folder, cfg):
    import transformers
    from transformers import AutoTokenizer
    tries = []
    classes = [("class", c) for c in cfg.get("hf_classes", [])]
    auto = [("auto", None), ("auto_type", cfg.get("model_type"))]
    order = classes + auto if cfg.get("hf_class_first") else auto + classes
    errors = []
    for how, arg in order:
        try:
            if how == "auto":
                t = AutoTokenizer.from_pretrained(folder, local_files_only=True)
            elif how == "auto_type":
                t = AutoTokenizer.from_pretrained(folder, local_files_only=True, tokenizer_type=arg)
            else:
                cls = getattr(transformers, arg, None)
                if cls is None:
                    errors.append("%s: not in transformers" % arg)
                    continue
                t = cls.from_pretrained(folder, local_files_only=True)
            return t, ("AutoTokenizer" if how == "auto" else "AutoTokenizer(tokenizer_type=%s)" % arg
                       if how == "auto_type" else "%s.from_pretrained" % arg), errors
        except BaseException as e:
            guard(e)
            errors.append("%s %s: %s" % (how, arg or "", err_str(e)))
    return None, None, errors


def hf_info(t):
    info = {"class": type(t).__name__}
    for k in ("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token",
              "model_max_length", "padding_side", "truncation_side", "clean_up_tokenization_spaces",
              "add_bos_token", "add_eos_token", "add_prefix_space", "legacy", "do_lower_case"):
        try:
            v = getattr(t, k, None)
        except BaseException as e:
            guard(e)
            v = None
        if v is not None and not isinstance(v, (bool, int, float, str)):
            v = str(v)
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2 ** 53:
            v = str(v)
        if v is not None:
            info[k] = v
    try:
        info["all_special_tokens"] = [str(x) for x in t.all_special_tokens]
    except BaseException as e:
        guard(e)
    try:
        info["model_input_names"] = list(t.model_input_names)
    except BaseException as e:
        guard(e)
    return info


def hf_records(name, folder, cfg, corpus, pairs, subsets):
    recs = []
    t, how, errors = load_hf(folder, cfg)
    meta = {"hf_loader": how, "hf_load_errors": errors}
    if t is None:
        return recs, meta
    meta["hf_info"] = hf_info(t)
    for i in subsets["hf"]:
        r = {"kind": "hf", "i": i, "pair": False}
        try:
            out = t(corpus[i])
            ids = list(out["input_ids"])
            r["ids"] = ids
            if "token_type_ids" in out:
                r["type_ids"] = list(out["token_type_ids"])
            if "attention_mask" in out:
                r["attention_mask"] = list(out["attention_mask"])
            r["decoded"] = t.decode(ids)
            r["decoded_skip"] = t.decode(ids, skip_special_tokens=True)
        except BaseException as e:
            guard(e)
            r["error"] = err_str(e)
        recs.append(r)
    for j in subsets["hf_pairs"]:
        a, b = pairs[j]
        r = {"kind": "hf", "i": j, "pair": True}
        try:
            out = t(a, b)
            ids = list(out["input_ids"])
            r["ids"] = ids
            if "token_type_ids" in out:
                r["type_ids"] = list(out["token_type_ids"])
            if "attention_mask" in out:
                r["attention_mask"] = list(out["attention_mask"])
            r["decoded"] = t.decode(ids)
            r["decoded_skip"] = t.decode(ids, skip_special_tokens=True)
        except BaseException as e:
            guard(e)
            r["error"] = err_str(e)
        recs.append(r)
    return recs, meta


# --------------------------------------------------------------------------
# Compaction: which fields each record keeps in expected.jsonl
# --------------------------------------------------------------------------

KEEP = {
    # fields kept at compaction level 1 (the default)
    "single_special": ["ids", "type_ids", "tokens", "offsets", "special_tokens_mask", "word_ids",
                       "decoded", "decoded_skip"],
    "single_plain": ["ids", "offsets", "special_tokens_mask", "decoded"],
    "pair": ["ids", "type_ids", "tokens", "offsets", "special_tokens_mask", "sequence_ids",
             "decoded", "decoded_skip"],
    "trunc": ["ids", "type_ids", "offsets", "overflow"],
    "filecfg": ["ids", "type_ids", "tokens", "offsets", "special_tokens_mask", "attention_mask", "overflow"],
    "hf": ["ids", "type_ids", "decoded", "decoded_skip"],
}
OVERFLOW_KEEP = {"trunc": ["ids", "type_ids", "offsets"],
                 "filecfg": ["ids", "type_ids", "offsets", "special_tokens_mask", "attention_mask"]}
HEAD = ["kind", "i", "pair", "special", "strategy", "direction", "max_length", "stride"]
ERRS = ["error", "decoded_error", "decoded_skip_error"]
LONGDOC_FULL_OVERFLOW = 8  # trunc records of the first 8 long documents keep overflow offsets


def compact(rec, level, longdoc):
    """Fields of one record in expected.jsonl.  longdoc: list of long-document indices.

    Level 1 (default): KEEP above; a single without special tokens of a long
    document keeps only ids; trunc records of long documents after the first
    LONGDOC_FULL_OVERFLOW keep only the ids of their overflowing windows.
    Level 2: also drops "decoded" from singles without special tokens.
    Level 3: also drops tokens/word_ids from long-document singles and keeps
    only ids in every long-document overflow window.
    Level 4: also drops offsets from singles without special tokens.
    """
    kind = rec["kind"]
    if kind == "meta":
        return rec
    is_long = (not rec.get("pair")) and rec["i"] in longdoc
    key = kind
    if kind == "single":
        key = "single_special" if rec["special"] else "single_plain"
    keep = list(KEEP[key])
    if key == "single_plain":
        if is_long:
            keep = ["ids"]
        if level >= 2:
            keep = [k for k in keep if k != "decoded"]
        if level >= 4:
            keep = [k for k in keep if k != "offsets"]
    if level >= 3 and key == "single_special" and is_long:
        keep = [k for k in keep if k not in ("tokens", "word_ids")]
    out = {}
    for k in HEAD:
        if k in rec:
            out[k] = rec[k]
    for k in keep:
        if k not in rec:
            continue
        if k == "overflow":
            ok = OVERFLOW_KEEP[kind]
            if kind == "trunc" and is_long and (level >= 3 or longdoc.index(rec["i"]) >= LONGDOC_FULL_OVERFLOW):
                ok = ["ids"]
            out[k] = [{f: o[f] for f in ok if f in o} for o in rec[k]]
        else:
            out[k] = rec[k]
    for k in ERRS:
        if k in rec:
            out[k] = rec[k]
    return out


def write_expected(path, recs, longdoc):
    """Write at the lowest compaction level that fits SIZE_LIMIT; returns (level, size)."""
    for level in (1, 2, 3, 4):
        lines = [dumps(compact(r, level, longdoc)) for r in recs]
        data = ("\n".join(lines) + "\n").encode("utf-8")
        if len(data) <= SIZE_LIMIT or level == 4:
            # Stamp the level into the meta record (first line).
            meta = dict(recs[0])
            meta["compaction_level"] = level
            lines[0] = dumps(meta)
            data = ("\n".join(lines) + "\n").encode("utf-8")
            with open(path, "wb") as f:
                f.write(data)
            return level, len(data)


# --------------------------------------------------------------------------
# Throughput baseline
# --------------------------------------------------------------------------

def bench(tok, corpus, mb):
    texts = []
    nbytes = 0
    target = int(mb * 1e6)
    while nbytes < target:
        for t in corpus:
            texts.append(t)
            nbytes += len(t.encode("utf-8"))
            if nbytes >= target:
                break
    res = {"texts": len(texts), "bytes": nbytes}
    ntok = sum(len(e.ids) for e in tok.encode_batch(texts[:2000]))  # warm-up
    best = {}
    for rep in range(3):
        os.environ["TOKENIZERS_PARALLELISM"] = "false"
        t0 = time.perf_counter()
        ntok = 0
        for t in texts:
            ntok += len(tok.encode(t).ids)
        t1 = time.perf_counter()
        encs = tok.encode_batch(texts)
        t2 = time.perf_counter()
        os.environ["TOKENIZERS_PARALLELISM"] = "true"
        encs_p = tok.encode_batch(texts)
        t3 = time.perf_counter()
        os.environ["TOKENIZERS_PARALLELISM"] = "false"
        assert sum(len(e.ids) for e in encs) == ntok == sum(len(e.ids) for e in encs_p)
        for k, dt in (("encode_loop_1thread", t1 - t0), ("encode_batch_1thread", t2 - t1),
                      ("encode_batch_parallel", t3 - t2)):
            best[k] = min(best.get(k, 1e9), dt)
    res["tokens"] = ntok
    for k, dt in best.items():
        res[k] = {"seconds": round(dt, 4), "MB_per_s": round(nbytes / dt / 1e6, 3),
                  "tokens_per_s": round(ntok / dt)}
    t0 = time.perf_counter()
    tok.decode_batch([e.ids for e in encs])
    dt = time.perf_counter() - t0
    res["decode_batch_1thread"] = {"seconds": round(dt, 4), "tokens_per_s": round(ntok / dt)}
    return res


# --------------------------------------------------------------------------
# bert-base-uncased: build tokenizer.json from vocab.txt
# --------------------------------------------------------------------------

def build_bert(folder):
    import collections
    import transformers
    vocab_path = os.path.join(folder, "vocab.txt")
    kw = {"do_lower_case": True, "model_max_length": 512}
    cls = getattr(transformers, "BertTokenizerFast", None) or transformers.BertTokenizer
    notes = ["class %s" % cls.__name__]
    tmp_in = tempfile.mkdtemp()
    shutil.copy(vocab_path, tmp_in)  # vocab.txt alone: no config.json, no tokenizer.json
    def full(tok):  # a wrong call can "succeed" with a 5-token default vocabulary
        try:
            return tok is not None and len(tok.get_vocab()) >= 30522
        except BaseException as e:
            guard(e)
            return False

    t = None
    try:
        t = cls.from_pretrained(tmp_in, local_files_only=True, **kw)
        notes.append("built with %s.from_pretrained(<dir with vocab.txt only>, do_lower_case=True, "
                     "model_max_length=512)" % cls.__name__)
    except BaseException as e:
        guard(e)
        notes.append("from_pretrained failed: " + err_str(e))
    if not full(t):
        t = None
        vocab = collections.OrderedDict()
        with open(vocab_path, encoding="utf-8") as f:
            for n, line in enumerate(f.read().split("\n")[:-1]):
                vocab[line] = n
        try:
            t = cls(vocab=vocab, **kw)
            notes.append("built with %s(vocab=<dict from vocab.txt>, ...)" % cls.__name__)
        except BaseException as e:
            guard(e)
            notes.append("vocab= failed: " + err_str(e))
    if not full(t):
        t = cls(vocab_file=vocab_path, **kw)
        notes.append("built with %s(vocab_file=vocab.txt, ...)" % cls.__name__)
    if not full(t):
        raise RuntimeError("could not build bert-base-uncased from vocab.txt: " + "; ".join(notes))
    tmp = tempfile.mkdtemp()
    t.save_pretrained(tmp)
    notes.append("save_pretrained wrote: " + ", ".join(sorted(os.listdir(tmp))))
    for fn in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        p = os.path.join(tmp, fn)
        if os.path.exists(p):
            shutil.copy(p, os.path.join(folder, fn))
    sv = os.path.join(tmp, "vocab.txt")
    if os.path.exists(sv):
        same = open(sv, "rb").read() == open(vocab_path, "rb").read()
        notes.append("saved vocab.txt %s the original (original kept)" % ("equals" if same else "DIFFERS from"))
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(tmp_in, ignore_errors=True)
    return notes


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def versions():
    import tokenizers
    import transformers
    v = {"python": platform.python_version(), "tokenizers": tokenizers.__version__,
         "transformers": transformers.__version__}
    for mod in ("huggingface_hub", "sentencepiece", "tiktoken", "numpy", "torch"):
        try:
            m = __import__(mod)
            v[mod] = getattr(m, "__version__", "?")
        except BaseException as e:
            guard(e)
    v["platform"] = platform.platform()
    v["machine"] = platform.machine()
    v["cpu_count"] = os.cpu_count()
    try:
        v["cpu_affinity"] = len(os.sched_getaffinity(0))
    except BaseException as e:
        guard(e)
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    v["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except BaseException as e:
        guard(e)
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures", default="tests/fixtures/tokenizers")
    ap.add_argument("--corpus", default="tests/tokenizer_corpus")
    ap.add_argument("--tar", default=None)
    ap.add_argument("--raw", default=None)
    ap.add_argument("--recompact", default=None)
    ap.add_argument("--bench-mb", type=float, default=1.0)
    ap.add_argument("--only", default=None)
    ap.add_argument("--kinds", default="filecfg,single,pair,trunc,hf",
                    help="record kinds to generate (a subset skips expected.jsonl; use with --raw)")
    args = ap.parse_args()

    subsets = json.load(open(os.path.join(args.corpus, "subsets.json")))
    longdoc = list(subsets["longdoc"])
    names = [n for n, _ in TOKENIZERS]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]

    if args.recompact:
        for name in names:
            p = os.path.join(args.recompact, name + ".raw.jsonl")
            if not os.path.exists(p):
                continue
            recs = read_jsonl(p)
            level, size = write_expected(os.path.join(args.fixtures, name, "expected.jsonl"), recs, longdoc)
            log("%s: level %d, %d bytes" % (name, level, size))
        return

    from tokenizers import Tokenizer
    kinds = set(args.kinds.split(","))
    full = kinds >= {"filecfg", "single", "pair", "trunc", "hf"}

    corpus = read_jsonl(os.path.join(args.corpus, "corpus.jsonl"))
    pairs = read_jsonl(os.path.join(args.corpus, "pairs.jsonl"))
    ver = versions()
    log("versions:", json.dumps(ver))
    if args.raw:
        os.makedirs(args.raw, exist_ok=True)

    summary = {"versions": ver, "tokenizers": {}}
    baseline = {"note": "Informational. Measured on the machine in 'versions' (not the dev machine). "
                        "Text = tests/tokenizer_corpus/corpus.jsonl repeated to ~bench_mb MB; "
                        "encode with offsets, add_special_tokens=True, no truncation/padding; best of 3. "
                        "encode_loop_1thread: Python loop over Tokenizer.encode; encode_batch_1thread: "
                        "encode_batch with TOKENIZERS_PARALLELISM=false; encode_batch_parallel: with it true "
                        "(rayon, all cores). BPE word caches are warm (the corpus repeats).",
                "bench_mb": args.bench_mb, "versions": ver, "results": {}}
    t_all = time.time()
    for name, cfg in TOKENIZERS:
        if name not in names:
            continue
        t_start = time.time()
        folder = os.path.join(args.fixtures, name)
        info = {}
        try:
            if name == "bert-base-uncased" and (full or not os.path.exists(os.path.join(folder, "tokenizer.json"))):
                info["build_notes"] = build_bert(folder)
                log(name, "build:", info["build_notes"])
            tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
            info["file_truncation"] = tok.truncation
            info["file_padding"] = tok.padding
            recs = rust_records(name, tok, corpus, pairs, subsets, os.path.join(folder, "tokenizer.json"),
                                kinds, info)
            t_rust = time.time() - t_start
            if "hf" in kinds:
                hrecs, hmeta = hf_records(name, folder, cfg, corpus, pairs, subsets)
                info.update(hmeta)
                recs += hrecs
        except BaseException as e:
            guard(e)
            traceback.print_exc()
            info["fatal"] = err_str(e)
            summary["tokenizers"][name] = info
            continue

        # Comparisons worth reporting: transformers vs Rust core.
        by = {}
        for r in recs:
            if r["kind"] in ("single", "pair") and r.get("special", True) and "ids" in r:
                by[(r["kind"] == "pair", r["i"])] = r
        diff_ids, diff_dec = [], []
        for r in recs:
            if r["kind"] == "hf" and "ids" in r:
                base = by.get((r["pair"], r["i"]))
                if base is None:
                    continue
                if base["ids"] != r["ids"]:
                    diff_ids.append([r["pair"], r["i"]])
                if base.get("decoded") != r.get("decoded"):
                    diff_dec.append([r["pair"], r["i"]])
        info["hf_vs_rust_ids_differ"] = diff_ids
        info["hf_vs_rust_decoded_differ"] = diff_dec
        counts = {}
        errors = {}
        for r in recs:
            counts[r["kind"]] = counts.get(r["kind"], 0) + 1
            if "error" in r:
                errors[r["kind"]] = errors.get(r["kind"], 0) + 1
        info["record_counts"] = counts
        info["error_counts"] = errors
        info["seconds_rust"] = round(t_rust, 2)
        info["seconds_total"] = round(time.time() - t_start, 2)

        meta = {"kind": "meta", "tokenizer": name, "offsets": "char",
                "offsets_note": "offsets are [start, end) indices in Unicode code points (Python str "
                                "indices) into the ORIGINAL input string",
                "tokenizers_version": ver["tokenizers"], "transformers_version": ver["transformers"],
                "corpus_strings": len(corpus), "pairs": len(pairs),
                "max_length": MAX_LEN, "stride": STRIDE,
                "trunc_method": "Tokenizer.post_process on complete encodings (tokenizers <= 0.22.2 semantics); "
                                "see README",
                "file_truncation": info["file_truncation"], "file_padding": info["file_padding"],
                "hf_loader": info.get("hf_loader"), "hf_info": info.get("hf_info")}
        allrecs = [meta] + recs
        if args.raw:
            with open(os.path.join(args.raw, name + ".raw.jsonl"), "w", encoding="utf-8") as f:
                for r in allrecs:
                    f.write(dumps(r) + "\n")
        level, size = 0, 0
        if full:
            level, size = write_expected(os.path.join(folder, "expected.jsonl"), allrecs, longdoc)
            info["compaction_level"] = level
            info["expected_bytes"] = size

        if args.bench_mb > 0:
            try:
                tok.no_truncation()
                tok.no_padding()
                baseline["results"][name] = bench(tok, corpus, args.bench_mb)
            except BaseException as e:
                guard(e)
                baseline["results"][name] = {"error": err_str(e)}
        info["seconds_with_bench"] = round(time.time() - t_start, 2)
        summary["tokenizers"][name] = info
        log("%s: %s level=%d bytes=%d hf=%s diff_ids=%d diff_dec=%d errors=%s pp_path_mismatch=%d "
            "trunc_encode_differs=%s  %.1fs" % (
                name, counts, level, size, info.get("hf_loader"), len(diff_ids), len(diff_dec), errors,
                info["post_process_path_mismatch_count"], info.get("trunc_encode_path_differs"),
                time.time() - t_start))
        b = baseline["results"].get(name, {})
        if "encode_batch_1thread" in b:
            log("   bench: loop %.2f MB/s, batch1 %.2f MB/s (%d tok/s), batchN %.2f MB/s" % (
                b["encode_loop_1thread"]["MB_per_s"], b["encode_batch_1thread"]["MB_per_s"],
                b["encode_batch_1thread"]["tokens_per_s"], b["encode_batch_parallel"]["MB_per_s"]))

    summary["seconds"] = round(time.time() - t_all, 1)
    summary_name = "summary.json" if full else "summary_partial.json"
    with open(os.path.join(args.fixtures, summary_name), "w") as f:
        json.dump(summary, f, indent=1, ensure_ascii=False, default=str)
        f.write("\n")
    if full and args.bench_mb > 0:
        with open(os.path.join(args.fixtures, "baseline.json"), "w") as f:
            json.dump(baseline, f, indent=1, ensure_ascii=False)
            f.write("\n")
    if full:
        with open(os.path.join(args.fixtures, "VERSIONS.txt"), "w") as f:
            for k, v in ver.items():
                f.write("%s %s\n" % (k, v))
            f.write("offsets char (Unicode code point indices into the original string)\n")
    if args.tar:
        gen = ["VERSIONS.txt", "baseline.json", summary_name]
        for name in names:
            gen.append(os.path.join(name, "expected.jsonl"))
        gen += [os.path.join("bert-base-uncased", f) for f in
                ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")]
        with tarfile.open(args.tar, "w:gz") as tf:
            for g in gen:
                p = os.path.join(args.fixtures, g)
                if os.path.exists(p):
                    tf.add(p, arcname=os.path.join("tokenizers", g))
        log("wrote", args.tar, os.path.getsize(args.tar))
    log("done in %.1fs" % (time.time() - t_all))


if __name__ == "__main__":
    main()
