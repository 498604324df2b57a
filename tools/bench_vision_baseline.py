#!/usr/bin/env python3
"""Baseline for `tfm bench vision`: Pillow + PyTorch (CPU) on the same model folder, same images,
batch sizes and thread counts, as JSON lines.

    python3 tools/bench_vision_baseline.py DIR --images IMGDIR [--threads N] [--reps R] [--batch B]
                                           [--impl auto|plain|transformers] [--prep auto|torch|transformers]
    python3 tools/bench_vision_baseline.py --make-images IMGDIR     (the test images of tools/bench_vision.sh)
    python3 tools/bench_vision_baseline.py --report TFM_JSON BASELINE_JSONL   (the table of tools/bench_vision.sh)

Measured as tfm bench vision does:
  - decode + preprocess, one image at a time on one thread, per format: decode as transformers'
    load_image does (Image.open, ImageOps.exif_transpose, convert("RGB")), then transformers'
    AutoImageProcessor (its default backend) when transformers imports, else torch:
    torch.from_numpy(np.asarray(img)).permute(2, 0, 1), F.interpolate(bilinear, antialias=True,
    align_corners=False) on float, width then height, each pass rounded back to 8-bit values as
    torchvision's uint8 resize (and Pillow) does, then rescale + normalize fused as
    (x - mean / f) / (std / f). 1 warm-up pass, medians.
  - forward at batch 1 and B on N threads (2 warm-ups at batch 1, 1 at batch B): transformers'
    AutoModelForImageClassification when it imports, else a plain-torch ViT built from the
    safetensors (tools/bench_model_baseline.py's reader): patch conv, class token + positions,
    pre-LN layers (GELU erf), final LayerNorm, classifier (or pooler for a base ViTModel).
  - end to end: decode + preprocess + forward + softmax/top-5 per image at batch 1 over the images
    of the first format present (JPEG, else PNG, else PPM); 1 warm-up pass, medians.
Inputs are the images of IMGDIR in name order; forward inputs are the first B images of that
format, cycled. "check" is logits[0, 0:4] of image 0 at batch 1 (last_hidden_state[0, 0, 0:4]
without a classifier) and "pixels_check" the sum of image 0's pixel values; "check_fixed" the same
outputs for fixed pixels ((i * 7919 + 101) % 256 / 127.5 - 1 over the flat [1, 3, H, W] index),
which compare the forward alone.

Tuning as shared/reference/baselines.md says (the helpers of tools/bench_model_baseline.py): each
measurement runs in its own process with OMP_WAIT_POLICY=PASSIVE, OMP_NUM_THREADS =
OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = threads, OPENBLAS_CORETYPE=SkylakeX when the CPU has
avx512f, torch.set_num_threads(threads), torch.inference_mode().
"""
import argparse
import glob
import json
import os
import statistics
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_model_baseline import (load_results, n_cores, openblas_core, peak_rss_bytes,  # noqa: E402
                                  read_folder_weights, run_lines, torch_python, tuned_env)

FORMATS = (("jpeg", (".jpg", ".jpeg")), ("png", (".png",)), ("ppm", (".ppm",)))


# ---- test images --------------------------------------------------------------------------------

def make_images(out, n_jpeg=16, n_png=16):
    """Photo-like JPEGs 640x480 (quality 90, 4:2:0) and PNGs 500x375: smooth gradients and blobs,
    shapes, noise; fixed seeds."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    os.makedirs(out, exist_ok=True)

    def picture(rng, w, h):
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        img = np.zeros((h, w, 3), np.float32)
        for c in range(3):  # a sky-to-ground gradient and a few soft blobs per channel
            img[..., c] = rng.uniform(40, 200) + rng.uniform(-80, 80) * (y / h) + rng.uniform(-40, 40) * (x / w)
            for _ in range(4):
                cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.1, 0.4) * w
                img[..., c] += rng.uniform(-60, 60) * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))
        im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(im)
        for _ in range(12):
            x0, y0 = rng.uniform(-0.1, 1.0) * w, rng.uniform(-0.1, 1.0) * h
            x1, y1 = x0 + rng.uniform(0.05, 0.4) * w, y0 + rng.uniform(0.05, 0.4) * h
            col = tuple(int(v) for v in rng.integers(0, 256, 3))
            k = rng.integers(0, 3)
            if k == 0:
                d.ellipse([x0, y0, x1, y1], fill=col)
            elif k == 1:
                d.rectangle([x0, y0, x1, y1], fill=col)
            else:
                d.polygon([(x0, y1), ((x0 + x1) / 2, y0), (x1, y1)], fill=col)
        im = im.filter(ImageFilter.GaussianBlur(1.2))  # soft edges, as a lens gives
        a = np.asarray(im).astype(np.float32) + rng.normal(0, 6, (h, w, 3))  # sensor-like grain
        return Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8))

    for i in range(n_jpeg):
        picture(np.random.default_rng(1000 + i), 640, 480).save(
            os.path.join(out, "photo_%02d.jpg" % i), quality=90, subsampling=2)
    for i in range(n_png):
        picture(np.random.default_rng(2000 + i), 500, 375).save(os.path.join(out, "image_%02d.png" % i))
    return 0


def list_images(d):
    """{format: sorted paths} for the formats present, in FORMATS order."""
    names = sorted(os.listdir(d))
    out = {}
    for fmt, exts in FORMATS:
        p = [os.path.join(d, n) for n in names if n.lower().endswith(exts)]
        if p:
            out[fmt] = p
    return out


# ---- decode + preprocess ------------------------------------------------------------------------

def load_image(path):
    from PIL import Image, ImageOps
    img = Image.open(path)
    img = ImageOps.exif_transpose(img)
    return img.convert("RGB")


def make_preprocessor(d, prep):
    """(callable PIL image -> [1, 3, H, W] float tensor, description)."""
    import numpy as np
    import torch
    import torch.nn.functional as F

    if prep in ("auto", "transformers"):
        try:
            from transformers import AutoImageProcessor
            proc = AutoImageProcessor.from_pretrained(d)

            def run_hf(img):
                return proc(images=img, return_tensors="pt")["pixel_values"]

            return run_hf, "transformers %s" % type(proc).__name__
        except Exception as e:
            if prep == "transformers":
                raise
            print("bench_vision_baseline: transformers' image processor not usable (%s); torch" % type(e).__name__,
                  file=sys.stderr)
    with open(os.path.join(d, "preprocessor_config.json")) as f:
        pc = json.load(f)
    size = pc.get("size", {"height": 224, "width": 224})
    if not isinstance(size, dict) or "height" not in size:
        raise SystemExit("bench_vision_baseline: the torch preprocessing does height x width sizes only (ViT)")
    hw = (int(size["height"]), int(size["width"]))
    mode = {0: "nearest", 2: "bilinear", 3: "bicubic"}.get(int(pc.get("resample", 2)), "bicubic")
    f_ = float(pc.get("rescale_factor", 1 / 255))
    mean = torch.tensor(pc.get("image_mean", [0.5] * 3), dtype=torch.float32).view(3, 1, 1)
    std = torch.tensor(pc.get("image_std", [0.5] * 3), dtype=torch.float32).view(3, 1, 1)
    mean_f, std_f = mean * (1.0 / f_), std * (1.0 / f_)  # fused rescale + normalize, as the fast processors
    do_resize, do_norm = pc.get("do_resize", True), pc.get("do_normalize", True)
    warnings.filterwarnings("ignore", message="The given NumPy array is not writable")

    kw = {"antialias": True, "align_corners": False} if mode != "nearest" else {}

    def run_torch(img):
        x = torch.from_numpy(np.asarray(img)).permute(2, 0, 1).float()[None]
        if do_resize and tuple(x.shape[2:]) != hw:
            if mode == "nearest":
                x = F.interpolate(x, size=hw, mode=mode)
            else:  # width then height, 8-bit values after each pass, as torchvision's uint8 resize (and Pillow)
                if x.shape[3] != hw[1]:
                    x = F.interpolate(x, size=(x.shape[2], hw[1]), mode=mode, **kw).add_(0.5).floor_().clamp_(0, 255)
                if x.shape[2] != hw[0]:
                    x = F.interpolate(x, size=hw, mode=mode, **kw).add_(0.5).floor_().clamp_(0, 255)
        return (x - mean_f) / std_f if do_norm else x * f_

    return run_torch, "torch %s" % torch.__version__


# ---- plain-torch ViT ----------------------------------------------------------------------------

def build_plain_vit(d):
    import math
    import torch
    import torch.nn.functional as F

    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    if cfg.get("model_type") != "vit":
        raise SystemExit("bench_vision_baseline: the plain-torch model is ViT only (model_type %r)" % cfg.get("model_type"))
    raw = read_folder_weights(d)
    src_dtype = sorted({v[1] for v in raw.values()})
    w = {(k[4:] if k.startswith("vit.") else k): torch.from_numpy(a) for k, (a, _) in raw.items()}
    H = cfg.get("hidden_size", 768)
    nh = cfg.get("num_attention_heads", 12)
    L = cfg.get("num_hidden_layers", 12)
    p = cfg.get("patch_size", 16)
    eps = cfg.get("layer_norm_eps", 1e-12)
    act = cfg.get("hidden_act", "gelu")
    classify = "classifier.weight" in w

    class PlainViT(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.p = torch.nn.ParameterDict(
                {k.replace(".", "__"): torch.nn.Parameter(v, requires_grad=False) for k, v in w.items()})

        def g(self, name):
            return self.p[name.replace(".", "__")]

        def forward(self, pixel_values):
            B = pixel_values.shape[0]
            x = F.conv2d(pixel_values, self.g("embeddings.patch_embeddings.projection.weight"),
                         self.g("embeddings.patch_embeddings.projection.bias"), stride=p)
            x = x.flatten(2).transpose(1, 2)
            x = torch.cat([self.g("embeddings.cls_token").expand(B, -1, -1), x], dim=1)
            x = x + self.g("embeddings.position_embeddings")
            S, dh = x.shape[1], H // nh
            scale = 1.0 / math.sqrt(dh)
            for i in range(L):
                pf = "encoder.layer.%d." % i

                def lin(t, n):
                    return F.linear(t, self.g(pf + n + ".weight"), self.g(pf + n + ".bias"))

                def heads(t):
                    return t.view(B, S, nh, dh).transpose(1, 2)

                h = F.layer_norm(x, (H,), self.g(pf + "layernorm_before.weight"), self.g(pf + "layernorm_before.bias"), eps)
                q = heads(lin(h, "attention.attention.query"))
                k = heads(lin(h, "attention.attention.key"))
                v = heads(lin(h, "attention.attention.value"))
                a = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * scale, dim=-1)
                x = x + lin(torch.matmul(a, v).transpose(1, 2).reshape(B, S, H), "attention.output.dense")
                h = F.layer_norm(x, (H,), self.g(pf + "layernorm_after.weight"), self.g(pf + "layernorm_after.bias"), eps)
                h = lin(h, "intermediate.dense")
                h = F.gelu(h, approximate="tanh") if act in ("gelu_new", "gelu_pytorch_tanh") else F.gelu(h)
                x = x + lin(h, "output.dense")
            x = F.layer_norm(x, (H,), self.g("layernorm.weight"), self.g("layernorm.bias"), eps)
            if classify:
                return F.linear(x[:, 0], self.g("classifier.weight"), self.g("classifier.bias")), True
            return x, False

    return PlainViT().eval(), cfg, "plain-torch ViT (weights %s)" % ",".join(src_dtype)


def build_model(d, impl):
    """(module: pixel_values -> (tensor, is_logits), config, description)."""
    import torch
    if impl in ("auto", "transformers"):
        try:
            import transformers
            with open(os.path.join(d, "config.json")) as f:
                cfg = json.load(f)
            classify = any(a.endswith("ForImageClassification") for a in cfg.get("architectures") or [])
            cls = transformers.AutoModelForImageClassification if classify else transformers.AutoModel
            m = cls.from_pretrained(d, torch_dtype=torch.float32).eval()

            class Wrap(torch.nn.Module):
                def __init__(self, m):
                    super().__init__()
                    self.m = m

                def forward(self, pixel_values):
                    o = self.m(pixel_values=pixel_values)
                    return (o.logits, True) if classify else (o.last_hidden_state, False)

            return Wrap(m).eval(), cfg, "transformers %s %s" % (transformers.__version__, type(m).__name__)
        except Exception as e:  # no transformers, or too new for this torch
            if impl == "transformers":
                raise
            print("bench_vision_baseline: transformers not usable (%s); plain torch" % type(e).__name__, file=sys.stderr)
    return build_plain_vit(d)


def labels_of(cfg, n):
    id2 = cfg.get("id2label") or {}
    return [id2.get(str(i), "LABEL_%d" % i) for i in range(n)]


# ---- workers (one process per thread count) -----------------------------------------------------

def worker_prep(a):
    import torch
    torch.set_num_threads(1)
    prep, how = make_preprocessor(a.model, a.prep)
    for fmt, paths in list_images(a.images).items():
        dec, pre = [], []
        for r in range(-1, a.reps):
            td = tp = 0.0
            for path in paths:
                t0 = time.perf_counter()
                img = load_image(path)
                t1 = time.perf_counter()
                pv = prep(img)
                t2 = time.perf_counter()
                td += t1 - t0
                tp += t2 - t1
            if r >= 0:
                dec.append(td)
                pre.append(tp)
        tot = [x + y for x, y in zip(dec, pre)]
        w, h = load_image(paths[0]).size
        print(json.dumps({"impl": "pytorch", "stage": "prep", "how": how, "format": fmt, "n": len(paths),
                          "width": w, "height": h, "threads": 1, "reps": a.reps,
                          "images_per_s": len(paths) / statistics.median(tot),
                          "decode_ms": statistics.median(dec) * 1e3 / len(paths),
                          "preprocess_ms": statistics.median(pre) * 1e3 / len(paths),
                          "pixel_shape": list(pv.shape)}), flush=True)


def worker_torch(a):
    import torch
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    prep, prep_how = make_preprocessor(a.model, a.prep)
    images = list_images(a.images)
    fmt = next(iter(images))
    paths = images[fmt]
    pv = torch.cat([prep(load_image(paths[i % len(paths)])) for i in range(a.batch)])
    pixels_check = float(pv[0].double().sum())
    t0 = time.perf_counter()
    model, cfg, how = build_model(a.model, a.impl)
    load_ms = (time.perf_counter() - t0) * 1e3
    env = {k: os.environ.get(k) for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                          "OPENBLAS_CORETYPE")}
    check, check_is_logits = None, False
    with torch.inference_mode():
        for b in ([1] if a.batch == 1 else [1, a.batch]):
            x = pv[:b].contiguous()
            times = []
            for r in range(-(2 if b == 1 else 1), a.reps):
                t = time.perf_counter()
                out, is_logits = model(x)
                dt = time.perf_counter() - t
                if r >= 0:
                    times.append(dt)
            if check is None:
                check_is_logits = is_logits
                check = [float(v) for v in (out[0, :4] if is_logits else out[0, 0, :4])]
            print(json.dumps({"impl": "pytorch", "stage": "forward", "version": torch.__version__, "how": how,
                              "threads": a.threads, "batch": b, "height": x.shape[2], "width": x.shape[3],
                              "ms": statistics.median(times) * 1e3, "reps": a.reps, "load_ms": load_ms,
                              "check": check, "check_of": "logits[0,0:4]" if check_is_logits
                              else "last_hidden_state[0,0,0:4]", "pixels_check": pixels_check,
                              "openblas_core": openblas_core(), "env": env}), flush=True)
        # the forward alone, on pixels both sides make bit for bit
        import numpy as np
        idx = np.arange(pv[0].numel(), dtype=np.int64)
        fx = ((idx * 7919 + 101) % 256).astype(np.float32) / np.float32(127.5) - np.float32(1)
        out, is_logits = model(torch.from_numpy(fx).view(1, *pv.shape[1:]))
        check_fixed = [float(v) for v in (out[0, :4] if is_logits else out[0, 0, :4])]
        # end to end, one image at a time
        labels = labels_of(cfg, 0)
        times, top1 = [], None
        for r in range(-1, a.reps):
            t = time.perf_counter()
            results = []
            for path in paths:
                out, is_logits = model(prep(load_image(path)))
                if is_logits:
                    s, i = torch.softmax(out[0], dim=-1).topk(min(5, out.shape[-1]))
                    if len(labels) != out.shape[-1]:
                        labels = labels_of(cfg, out.shape[-1])
                    results.append([{"label": labels[j], "score": float(v)} for v, j in zip(s.tolist(), i.tolist())])
                else:
                    results.append(out)
            dt = time.perf_counter() - t
            if r >= 0:
                times.append(dt)
            if top1 is None and results and isinstance(results[0], list):
                top1 = results[0][0]
    ms = statistics.median(times) * 1e3
    print(json.dumps({"impl": "pytorch", "stage": "pipeline", "how": how, "prep": prep_how, "format": fmt,
                      "n": len(paths), "batch_size": 1, "threads": a.threads, "ms": ms,
                      "images_per_s": len(paths) / ms * 1e3, "top1_image0": top1 and top1["label"],
                      "top1_score": top1 and top1["score"], "check_fixed": check_fixed,
                      "peak_rss_bytes": peak_rss_bytes(), "reps": a.reps}),
          flush=True)


# ---- driver --------------------------------------------------------------------------------------

def drive(a):
    py = torch_python()
    if py is None:
        print(json.dumps({"impl": "pytorch", "error": "no python with torch+numpy (apt-get install python3-torch)"}))
        return 1
    common = ["--reps", str(a.reps), "--batch", str(a.batch), "--impl", a.impl, "--prep", a.prep,
              "--images", a.images, a.model]
    me = os.path.abspath(__file__)
    for o in run_lines([py, me, "--worker", "prep", "--threads", "1"] + common, tuned_env(1)):
        print(json.dumps(o), flush=True)
    for o in run_lines([py, me, "--worker", "torch", "--threads", str(a.threads)] + common, tuned_env(a.threads)):
        print(json.dumps(o), flush=True)
    return 0


def report(tfm_json, base_jsonl):
    tfm, base = load_results(tfm_json, base_jsonl)
    errors = [b for b in base if "error" in b]
    prep = {b["format"]: b for b in base if b.get("stage") == "prep"}
    fwd = {b["batch"]: b for b in base if b.get("stage") == "forward"}
    pipe = next((b for b in base if b.get("stage") == "pipeline"), None)
    gf = tfm.get("gflop_per_image", 0)
    print("model %s (%s, weights %.1f MB, %.2f GFLOP/image), kernels %s; medians of %d" % (
        tfm.get("model"), tfm.get("model_type"), tfm["weight_bytes"] / 1e6, gf, tfm.get("isa"), tfm.get("reps", 0)))
    hows = sorted({b["how"] for b in base if b.get("stage") == "prep"})
    hows_m = sorted({b["how"] for b in base if b.get("stage") == "forward"})
    print("PyTorch side: decode Pillow, preprocess %s; model %s" % (", ".join(hows) or "-", ", ".join(hows_m) or "-"))
    print("ratios are tfm/PyTorch of the figure shown: above 1 is faster for images/s, below 1 for ms")
    hdr = "%-42s %-7s %10s %10s %12s %9s" % ("stage", "threads", "tfm", "PyTorch", "tfm/PyTorch", "tfm %peak")
    print(hdr)
    print("-" * len(hdr))

    def row(name, threads, t, p, pct=None, fmt="%10.1f"):
        print("%-42s %-7s %s %s %12s %9s" % (name, threads, fmt % t if t else "%10s" % "-",
                                             fmt % p if p else "%10s" % "-", "%.2f" % (t / p) if t and p else "-",
                                             "%.0f%%" % pct if pct else ""))

    for r in tfm.get("prep", []):
        b = prep.get(r["format"], {})
        label = "%s %dx%d" % (r["format"].upper(), r["width"], r["height"])
        row("decode+preprocess %s, images/s" % label, 1, r["images_per_s"], b.get("images_per_s"))
        row("  decode, ms/image", 1, r["decode_ms"], b.get("decode_ms"), fmt="%10.2f")
        row("  preprocess, ms/image", 1, r["preprocess_ms"], b.get("preprocess_ms"), fmt="%10.2f")
    for r in tfm.get("results", []):
        b = fwd.get(r["batch"], {})
        row("forward batch %d, ms" % r["batch"], r["threads"], r["ms"], b.get("ms"), r.get("pct_peak"))
    for r in tfm.get("results", []):
        b = fwd.get(r["batch"], {})
        row("forward batch %d, GFLOP/s" % r["batch"], r["threads"], r["gflops"],
            gf * r["batch"] / b["ms"] * 1e3 if b.get("ms") else None)
    tp = tfm.get("pipeline")
    if tp:
        row("pipeline %d %s b1 end to end, images/s" % (tp["n"], tp["format"].upper()), tp["threads"],
            tp["images_per_s"], pipe and pipe.get("images_per_s"), fmt="%10.2f")
    print("peak RSS MB: tfm %.1f (%.2f x weights)%s" % (
        tfm["peak_rss_bytes"] / 1e6, tfm["rss_over_weights"],
        ", PyTorch (forward + end to end) %.1f" % (pipe["peak_rss_bytes"] / 1e6) if pipe else ""))
    c = tfm.get("check")
    b1 = fwd.get(1)
    if c and b1 and b1.get("check"):
        d = max(abs(x - y) for x, y in zip(c, b1["check"]))
        print("check vs PyTorch (image 0, each side's preprocessing): max |diff| of %s = %.2g%s; "
              "sums of its pixel_values %.3f vs %.3f" % (
            tfm.get("check_of"), d, "" if d < 1e-3 else "  <-- MISMATCH", tfm.get("pixels_check", 0),
            b1.get("pixels_check", 0)))
    cf = tfm.get("check_fixed")
    if cf and pipe and pipe.get("check_fixed"):
        d = max(abs(x - y) for x, y in zip(cf, pipe["check_fixed"]))
        print("check vs PyTorch on fixed pixels (forward alone): max |diff| = %.2g%s" % (
            d, "" if d < 1e-4 else "  <-- MISMATCH"))
    if tp and pipe:
        print("top-1 of image 0: tfm %s (%.5f), PyTorch %s (%.5f)" % (
            tp.get("top1_image0"), tp.get("top1_score") or 0, pipe.get("top1_image0"), pipe.get("top1_score") or 0))
    for e in errors:
        print("%s: %s" % (e["impl"], e["error"]))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", nargs="?")
    ap.add_argument("--images")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--impl", choices=["auto", "plain", "transformers"], default="auto")
    ap.add_argument("--prep", choices=["auto", "torch", "transformers"], default="auto")
    ap.add_argument("--worker", choices=["prep", "torch"], help=argparse.SUPPRESS)
    ap.add_argument("--make-images", metavar="IMGDIR")
    ap.add_argument("--report", nargs=2, metavar=("TFM_JSON", "BASELINE_JSONL"))
    a = ap.parse_args()
    if a.report:
        return report(*a.report)
    if a.make_images:
        return make_images(a.make_images)
    if not a.model or not a.images:
        ap.error("a model folder and --images are needed")
    if not list_images(a.images):
        ap.error("no .jpg, .jpeg, .png or .ppm files in %s" % a.images)
    a.threads = a.threads if a.threads > 0 else int(os.environ.get("TFM_NUM_THREADS", "0") or 0) or n_cores()
    a.reps = max(1, a.reps)
    a.batch = max(1, a.batch)
    if a.worker == "prep":
        worker_prep(a)
        return 0
    if a.worker == "torch":
        worker_torch(a)
        return 0
    return drive(a)


if __name__ == "__main__":
    sys.exit(main())
