#!/usr/bin/env python3
"""Generate golden fixtures for the vision side of transformers.h.

Usage:
  python3 tools/make_vision_fixtures.py [OUTDIR]        (default: tests/fixtures/vision)

Deterministic (fixed seeds, CPU only, one thread, no network). Needs torch, torchvision,
transformers (5.x), tokenizers, safetensors, numpy and Pillow. It draws its own test images
(smooth gradients, shapes and noise) and writes them in every format the decoders handle, then
records what the Python reference makes of them:

  OUTDIR/images/*                      the test images (PNG, JPEG, BMP, PPM/PGM)
  OUTDIR/expected/images.json          per image: Pillow mode, size, EXIF orientation, lossless flag
  OUTDIR/expected/decoded.safetensors  per image: exif_transpose(Image.open(f)).convert("RGB"), U8 [h, w, 3]
  OUTDIR/processors/<name>/preprocessor_config.json   image processor configurations
  OUTDIR/expected/processors.safetensors   "<processor>/<image>": pixel_values F32 [3, H, W]
  OUTDIR/<model>/                      tiny random models (ViT, DeiT, ConvNeXt, CLIP) saved with
                                       save_pretrained, with their processor (and CLIP tokenizer)
  OUTDIR/expected/<model>.json         pipeline cases: task, inputs, kwargs, output
  OUTDIR/expected/<model>.forward.safetensors   direct forward pass on a batch of two images
  OUTDIR/VERSIONS.txt, OUTDIR/generation.log
"""
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["CUDA_VISIBLE_DEVICES"] = ""
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import base64
import io
import json
import platform
import shutil
import struct
import zlib

import numpy as np

LOG = []


def log(*a):
    s = " ".join(str(x) for x in a)
    LOG.append(s)
    print(s, flush=True)


def write_json(p, obj):
    with open(p, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")


# ----------------------------------------------------------------------------
# 1. images
# ----------------------------------------------------------------------------

def photo(w, h, seed):
    """A photo-like RGB image: smooth gradients, a few discs and bars, mild noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.zeros((h, w, 3))
    for c in range(3):
        fx, fy, ph = rng.uniform(0.5, 3.0), rng.uniform(0.5, 3.0), rng.uniform(0, 6.28)
        img[..., c] = 128 + 90 * np.sin(fx * x / w * 6.28 + ph) * np.cos(fy * y / h * 6.28)
    for _ in range(4):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.1, 0.35) * min(w, h)
        col = rng.uniform(0, 255, 3)
        m = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        img[m] = 0.3 * img[m] + 0.7 * col
    x0 = int(rng.uniform(0, w * 0.7))
    img[:, x0:x0 + max(1, w // 10)] = rng.uniform(0, 255, 3)
    img += rng.normal(0, 6, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def png_chunk(kind, data):
    c = kind + data
    return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)


def png_write(path, arr, bit_depth, color_type, palette=None, trns=None, interlace=False, filt=None, exif=None):
    """Own PNG writer for what Pillow cannot write (16-bit RGB, Adam7, every filter, eXIf).
    arr: [h, w, channels] of sample values (uint16 for 16-bit, indices for palette)."""
    h, w = arr.shape[:2]
    ch = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    arr = arr.reshape(h, w, ch)

    def raw_rows(a, pass_index):
        rows = []
        ah, aw = a.shape[:2]
        for yy in range(ah):
            vals = a[yy].reshape(-1)
            if bit_depth == 16:
                row = b"".join(struct.pack(">H", int(v)) for v in vals)
            elif bit_depth == 8:
                row = bytes(int(v) for v in vals)
            else:
                per = 8 // bit_depth
                out = bytearray()
                for i in range(0, len(vals), per):
                    byte = 0
                    for k in range(per):
                        v = int(vals[i + k]) if i + k < len(vals) else 0
                        byte |= v << (8 - bit_depth * (k + 1))
                    out.append(byte)
                row = bytes(out)
            rows.append(row)
        bpp = max(1, ch * bit_depth // 8)
        data = bytearray()
        prev = bytes(len(rows[0])) if rows else b""
        for yy, row in enumerate(rows):
            f = filt if filt is not None else (yy + pass_index) % 5
            out = bytearray()
            for i, v in enumerate(row):
                a_ = row[i - bpp] if i >= bpp else 0
                b_ = prev[i]
                c_ = prev[i - bpp] if i >= bpp else 0
                if f == 0:
                    p = 0
                elif f == 1:
                    p = a_
                elif f == 2:
                    p = b_
                elif f == 3:
                    p = (a_ + b_) // 2
                else:
                    pa, pb, pc = abs(b_ - c_), abs(a_ - c_), abs(a_ + b_ - 2 * c_)
                    p = a_ if pa <= pb and pa <= pc else (b_ if pb <= pc else c_)
                out.append((v - p) & 255)
            data.append(f)
            data += out
            prev = row
        return bytes(data)

    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for pi, (x0, y0, dx, dy) in enumerate(passes):
            sub = arr[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                raw += raw_rows(sub, pi)
    else:
        raw = raw_rows(arr, 0)
    out = b"\x89PNG\r\n\x1a\n"
    out += png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 1 if interlace else 0))
    if exif is not None:
        out += png_chunk(b"eXIf", exif)
    if palette is not None:
        out += png_chunk(b"PLTE", bytes(int(v) for v in np.asarray(palette).reshape(-1)))
    if trns is not None:
        out += png_chunk(b"tRNS", trns)
    comp = zlib.compress(raw, 9)
    half = len(comp) // 2
    out += png_chunk(b"IDAT", comp[:half]) + png_chunk(b"IDAT", comp[half:])  # split: several IDATs
    out += png_chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(out)


def exif_bytes(orientation):
    # minimal little-endian TIFF: IFD0 with one entry, Orientation (0x0112) SHORT
    return b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1) + \
        struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack("<I", 0)


def make_images(outdir):
    from PIL import Image
    d = os.path.join(outdir, "images")
    os.makedirs(d, exist_ok=True)
    files = []

    def add(name, lossless=True):
        files.append((name, lossless))

    base = photo(61, 47, 1)
    tall = photo(40, 64, 2)
    small = photo(13, 17, 3)
    Image.fromarray(base).save(os.path.join(d, "rgb8.png")); add("rgb8.png")
    Image.fromarray(tall).save(os.path.join(d, "tall.png")); add("tall.png")
    Image.fromarray(small).save(os.path.join(d, "small.png")); add("small.png")
    rgba = np.dstack([base, photo(61, 47, 4)[..., :1]])
    Image.fromarray(rgba, "RGBA").save(os.path.join(d, "rgba8.png")); add("rgba8.png")
    gray = np.asarray(Image.fromarray(base).convert("L"))
    Image.fromarray(gray).save(os.path.join(d, "gray8.png")); add("gray8.png")
    Image.fromarray(gray).convert("1").save(os.path.join(d, "gray1.png")); add("gray1.png")
    pal = Image.fromarray(base).quantize(colors=23)
    pal.save(os.path.join(d, "palette.png")); add("palette.png")
    idx = np.asarray(pal)
    palette = np.asarray(pal.getpalette()[:3 * 23]).reshape(23, 3)
    png_write(os.path.join(d, "palette_trns.png"), idx, 8, 3, palette=palette,
              trns=bytes([0, 128, 255, 40])); add("palette_trns.png")
    png_write(os.path.join(d, "palette4_adam7.png"), np.minimum(idx, 15), 4, 3, palette=palette[:16],
              interlace=True); add("palette4_adam7.png")
    rng = np.random.default_rng(7)
    rgb16 = base.astype(np.uint16) * 257 + rng.integers(0, 257, base.shape).astype(np.uint16)
    png_write(os.path.join(d, "rgb16.png"), rgb16, 16, 2); add("rgb16.png")
    png_write(os.path.join(d, "rgba16_adam7.png"), np.dstack([rgb16, rgb16[..., :1]]), 16, 6,
              interlace=True); add("rgba16_adam7.png")
    g16 = (gray.astype(np.uint16) * 3)[..., None]  # some values above 255: Pillow clips when converting
    png_write(os.path.join(d, "gray16.png"), g16, 16, 0); add("gray16.png")
    png_write(os.path.join(d, "gray2_adam7.png"), (gray // 64)[..., None], 2, 0, interlace=True); add("gray2_adam7.png")
    png_write(os.path.join(d, "graya8.png"), np.dstack([gray, 255 - gray]), 8, 4); add("graya8.png")
    png_write(os.path.join(d, "rgb8_adam7_trns.png"), base, 8, 2, interlace=True,
              trns=struct.pack(">HHH", 10, 20, 30)); add("rgb8_adam7_trns.png")
    png_write(os.path.join(d, "rgb8_exif6.png"), tall, 8, 2, exif=exif_bytes(6)); add("rgb8_exif6.png")
    Image.fromarray(base).save(os.path.join(d, "rgb24.bmp")); add("rgb24.bmp")
    pal.save(os.path.join(d, "palette8.bmp")); add("palette8.bmp")
    Image.fromarray(base).save(os.path.join(d, "rgb.ppm")); add("rgb.ppm")
    Image.fromarray(gray).save(os.path.join(d, "gray.pgm")); add("gray.pgm")
    photo_big = photo(96, 72, 5)
    for q, ss, prog in [(30, 2, False), (75, 2, False), (95, 0, False), (90, 1, False), (85, 2, True), (75, 0, True)]:
        name = "q%d_%s%s.jpg" % (q, {0: "444", 1: "422", 2: "420"}[ss], "_prog" if prog else "")
        Image.fromarray(photo_big).save(os.path.join(d, name), quality=q, subsampling=ss, progressive=prog)
        add(name, False)
    Image.fromarray(photo(33, 19, 6)).save(os.path.join(d, "odd_420.jpg"), quality=80, subsampling=2); add("odd_420.jpg", False)
    Image.fromarray(np.asarray(Image.fromarray(photo_big).convert("L"))).save(os.path.join(d, "gray.jpg"), quality=85)
    add("gray.jpg", False)
    for o in (3, 6, 8):
        ex = Image.Exif()
        ex[0x0112] = o
        Image.fromarray(tall).save(os.path.join(d, "exif%d.jpg" % o), quality=90, exif=ex.tobytes())
        add("exif%d.jpg" % o, False)
    return files


def record_images(outdir, files):
    from PIL import Image, ImageOps
    from safetensors.numpy import save_file
    meta, dec = {}, {}
    for name, lossless in files:
        p = os.path.join(outdir, "images", name)
        im = Image.open(p)
        mode, size = im.mode, im.size
        orient = im.getexif().get(0x0112, 1)
        rgb = np.ascontiguousarray(np.asarray(ImageOps.exif_transpose(im).convert("RGB")))
        dec[name] = rgb
        meta[name] = {"mode": mode, "size": list(size), "orientation": int(orient), "lossless": lossless,
                      "bytes": os.path.getsize(p)}
        log("image", name, mode, size, "orientation", orient)
    save_file(dec, os.path.join(outdir, "expected", "decoded.safetensors"))
    write_json(os.path.join(outdir, "expected", "images.json"), meta)


# ----------------------------------------------------------------------------
# 2. image processors
# ----------------------------------------------------------------------------

PROCESSORS = {
    # name: (class, kwargs)
    "vit-bilinear-32": ("ViTImageProcessor", dict(size={"height": 32, "width": 32})),
    "vit-nearest-24": ("ViTImageProcessor", dict(size={"height": 24, "width": 20}, resample=0)),
    "vit-bicubic-noresc": ("ViTImageProcessor", dict(size={"height": 28, "width": 36}, resample=3,
                                                    do_normalize=False)),
    "deit-40-crop-32": ("DeiTImageProcessor", dict(size={"height": 40, "width": 40},
                                                   crop_size={"height": 32, "width": 32})),
    "clip-32": ("CLIPImageProcessor", dict(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})),
    "clip-crop-pad": ("CLIPImageProcessor", dict(size={"shortest_edge": 20}, crop_size={"height": 24, "width": 24})),
    "convnext-32": ("ConvNextImageProcessor", dict(size={"shortest_edge": 32})),
    "vit-lanczos-30": ("ViTImageProcessor", dict(size={"height": 30, "width": 30}, resample=1)),
}


def make_processors(outdir, files):
    import transformers
    from transformers import AutoImageProcessor
    from PIL import Image
    from safetensors.numpy import save_file
    from transformers.image_utils import load_image
    out = {}
    for name, (cls, kw) in PROCESSORS.items():
        d = os.path.join(outdir, "processors", name)
        os.makedirs(d, exist_ok=True)
        getattr(transformers, cls)(**kw).save_pretrained(d)
        proc = AutoImageProcessor.from_pretrained(d)
        log("processor", name, type(proc).__name__, getattr(proc, "backend", "?"))
        for img, lossless in files:
            if not lossless and not img.startswith("q75_420"):
                continue
            pv = proc(images=load_image(os.path.join(outdir, "images", img)), return_tensors="pt")["pixel_values"]
            out["%s/%s" % (name, img)] = np.ascontiguousarray(pv[0].numpy().astype(np.float32))
    save_file(out, os.path.join(outdir, "expected", "processors.safetensors"))


# ----------------------------------------------------------------------------
# 3. models
# ----------------------------------------------------------------------------

LABELS = ["cat", "dog", "car", "tree", "house", "boat"]


def randomize(model, seed):
    """Spread the weights so that scores are well apart (the default init gives near-uniform
    probabilities whose order would hinge on the last bits)."""
    import torch
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("logit_scale"):
                continue
            if "norm" in name or "layrnorm" in name:
                base = 1.0 if name.endswith("weight") else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=g))
            elif "layer_scale" in name:
                p.copy_(0.5 + 0.1 * torch.randn(p.shape, generator=g))
            elif p.dim() >= 2:
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) / np.sqrt(fan_in))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))


def clip_tokenizer(d):
    """A CLIP-layout BPE tokenizer (byte-level, '</w>' suffix) trained on a small generated corpus."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers, Regex
    from transformers import CLIPTokenizer
    words = LABELS + ["photo", "picture", "drawing", "red", "blue", "small", "big", "this", "is", "a", "of",
                      "an", "the", "on", "street", "in", "water", "garden", "cats", "dogs"]
    corpus = []
    for i, a in enumerate(words):
        for j, b in enumerate(words):
            if (i * 7 + j * 3) % 5 == 0:
                corpus.append("This is a photo of a %s %s." % (a, b))
                corpus.append("A %s, in the %s!" % (b, a))
    tok = Tokenizer(models.BPE(end_of_word_suffix="</w>", continuing_subword_prefix=""))
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "),
                                           normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|"""
                                   r"""[\p{N}]|[^\s\p{L}\p{N}]+"""), behavior="removed", invert=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False)])
    trainer = trainers.BpeTrainer(vocab_size=700, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  end_of_word_suffix="</w>", show_progress=False)
    tok.train_from_iterator(corpus, trainer)
    merges = json.loads(tok.to_str())["model"]["merges"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in merges]
    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet(), key=lambda c: ord(c))
    vocab = {}
    for c in alphabet:
        vocab[c] = len(vocab)
    for c in alphabet:
        vocab[c + "</w>"] = len(vocab)
    for a, b in merges:
        if a + b not in vocab:
            vocab[a + b] = len(vocab)
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    t = CLIPTokenizer(vocab=vocab, merges=merges)
    t.save_pretrained(d)
    return t


def build_models(outdir):
    import torch
    import transformers as T
    torch.manual_seed(0)
    id2label = {i: l for i, l in enumerate(LABELS[:5])}
    specs = []

    def vit_cfg(**kw):
        c = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37, image_size=32,
                 patch_size=8, layer_norm_eps=1e-12)
        c.update(kw)
        return c

    # ViT classifier
    specs.append(("vit-cls", T.ViTForImageClassification(T.ViTConfig(**vit_cfg(id2label=id2label,
                  label2id={v: k for k, v in id2label.items()}))), "vit-bilinear-32"))
    # ViT base model with its pooler (image-feature-extraction)
    specs.append(("vit-base", T.ViTModel(T.ViTConfig(**vit_cfg(hidden_act="gelu_new", qkv_bias=False)),
                                         add_pooling_layer=True), "vit-bilinear-32"))
    # DeiT with the distillation token
    specs.append(("deit-distilled", T.DeiTForImageClassificationWithTeacher(T.DeiTConfig(**vit_cfg(
        id2label=id2label, label2id={v: k for k, v in id2label.items()}))), "deit-40-crop-32"))
    # ConvNeXt classifier, single label (sigmoid by default)
    specs.append(("convnext-cls", T.ConvNextForImageClassification(T.ConvNextConfig(
        num_channels=3, patch_size=4, hidden_sizes=[8, 16, 24, 32], depths=[1, 1, 2, 1], image_size=32,
        id2label={0: "object"}, label2id={"object": 0})), "convnext-32"))
    specs.append(("convnext-multi", T.ConvNextForImageClassification(T.ConvNextConfig(
        num_channels=3, patch_size=4, hidden_sizes=[8, 12, 16, 20], depths=[2, 1, 1, 1], image_size=32,
        drop_path_rate=0.0, id2label=id2label, label2id={v: k for k, v in id2label.items()})), "convnext-32"))
    made = []
    for i, (name, model, proc) in enumerate(specs):
        randomize(model, 100 + i)
        model.eval()
        d = os.path.join(outdir, name)
        model.save_pretrained(d)
        shutil.copy(os.path.join(outdir, "processors", proc, "preprocessor_config.json"), d)
        made.append(name)
    # CLIP
    d = os.path.join(outdir, "clip")
    os.makedirs(d, exist_ok=True)
    tok = clip_tokenizer(d)
    cfg = T.CLIPConfig(
        text_config=dict(vocab_size=len(tok), hidden_size=32, intermediate_size=37, num_hidden_layers=2,
                         num_attention_heads=4, max_position_embeddings=32, bos_token_id=tok.bos_token_id,
                         eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id),
        vision_config=dict(hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
                           image_size=32, patch_size=8),
        projection_dim=16)
    model = T.CLIPModel(cfg)
    randomize(model, 200)
    model.eval()
    model.save_pretrained(d)
    shutil.copy(os.path.join(outdir, "processors", "clip-32", "preprocessor_config.json"), d)
    made.append("clip")
    return made


def run_pipelines(outdir, models):
    import torch
    from transformers import pipeline, AutoModel, AutoImageProcessor, AutoTokenizer, AutoConfig
    from transformers.image_utils import load_image
    from safetensors.torch import save_file
    os.chdir(outdir)  # inputs are paths relative to the fixture folder
    with open("images/small.png", "rb") as f:
        small_b64 = base64.b64encode(f.read()).decode()
    imgs = ["images/rgb8.png", "images/tall.png", "images/rgba8.png", "images/palette.png", "images/gray16.png"]
    for name in models:
        cases = []
        cfg = AutoConfig.from_pretrained(name)

        def case(task, inputs, **kw):
            p = pipeline(task, model=name)
            out = p(inputs, **kw)
            cases.append({"task": task, "inputs": inputs, "kwargs": kw, "output": out})

        if name == "clip":
            labels = ["cat", "dog", "red car", "a tree in the garden"]
            for im in imgs[:3]:
                case("zero-shot-image-classification", im, candidate_labels=labels)
            case("zero-shot-image-classification", imgs[3], candidate_labels=["boat", "house"],
                 hypothesis_template="A picture of a {}!")
            case("zero-shot-image-classification", "data:image/png;base64," + small_b64, candidate_labels=labels[:3])
            case("zero-shot-image-classification", imgs[:2], candidate_labels=labels)
            case("zero-shot-image-classification", "images/q75_420.jpg", candidate_labels=labels)
        elif name in ("vit-base",):
            for im in imgs[:2]:
                case("image-feature-extraction", im)
                case("image-feature-extraction", im, pool=True)
        else:
            for im in imgs:
                case("image-classification", im)
            case("image-classification", imgs[0], top_k=2)
            case("image-classification", imgs[1], top_k=100)
            case("image-classification", imgs[0], function_to_apply="sigmoid")
            case("image-classification", imgs[1], function_to_apply="none")
            case("image-classification", small_b64)
            case("image-classification", imgs[:3])
            case("image-classification", "images/q75_420.jpg")
            if name.startswith("convnext"):
                case("image-feature-extraction", imgs[0])
                case("image-feature-extraction", imgs[1], pool=True)
            if name.startswith("deit"):
                # no pool=True here: the head checkpoint has no pooler, which the reference would
                # initialise at random
                case("image-feature-extraction", imgs[0])
        write_json(os.path.join("expected", name + ".json"), {"model": name, "cases": cases})
        log("pipelines", name, len(cases), "cases")

        # direct forward on a batch of two lossless images
        proc = AutoImageProcessor.from_pretrained(name)
        pix = proc(images=[load_image(imgs[0]), load_image(imgs[1])], return_tensors="pt")["pixel_values"]
        t = {"pixel_values": pix.contiguous()}
        with torch.no_grad():
            if name == "clip":
                model = AutoModel.from_pretrained(name).eval()
                tok = AutoTokenizer.from_pretrained(name)
                enc = tok(["This is a photo of a cat.", "a red car", "dog"], padding=True, return_tensors="pt")
                o = model(pixel_values=pix, **enc)
                t.update(input_ids=enc["input_ids"].to(torch.int64).contiguous(),
                         attention_mask=enc["attention_mask"].to(torch.int64).contiguous(),
                         image_embeds=o.image_embeds, text_embeds=o.text_embeds,
                         logits_per_image=o.logits_per_image,
                         vision_last_hidden_state=o.vision_model_output.last_hidden_state,
                         vision_pooler_output=o.vision_model_output.pooler_output,
                         text_last_hidden_state=o.text_model_output.last_hidden_state,
                         text_pooler_output=o.text_model_output.pooler_output)
            else:
                import transformers as T
                model = getattr(T, cfg.architectures[0]).from_pretrained(name).eval()
                o = model(pixel_values=pix)
                if getattr(o, "logits", None) is not None:
                    t["logits"] = o.logits
                base = getattr(model, model.base_model_prefix, model)
                bo = base(pixel_values=pix)
                t["last_hidden_state"] = bo.last_hidden_state
                if getattr(bo, "pooler_output", None) is not None:
                    t["pooler_output"] = bo.pooler_output
        save_file({k: v.contiguous().float() if v.dtype.is_floating_point else v.contiguous() for k, v in t.items()},
                  os.path.join("expected", name + ".forward.safetensors"))


def main():
    outdir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "vision"))
    import torch
    torch.set_num_threads(1)
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    os.makedirs(os.path.join(outdir, "expected"))
    files = make_images(outdir)
    record_images(outdir, files)
    make_processors(outdir, files)
    models = build_models(outdir)
    run_pipelines(outdir, models)
    import PIL, transformers, tokenizers, torchvision, safetensors
    from PIL import features
    with open(os.path.join(outdir, "VERSIONS.txt"), "w") as f:
        f.write("python %s\ntorch %s\ntorchvision %s\ntransformers %s\ntokenizers %s\nsafetensors %s\n"
                "Pillow %s (libjpeg-turbo %s)\nnumpy %s\nmachine %s\n" % (
                    platform.python_version(), torch.__version__, torchvision.__version__, transformers.__version__,
                    tokenizers.__version__, safetensors.__version__, PIL.__version__,
                    features.version("libjpeg_turbo"), np.__version__, platform.machine()))
        f.write("torch cpu capability %s\n" % torch.backends.cpu.get_cpu_capability())
    with open(os.path.join(outdir, "generation.log"), "w") as f:
        f.write("\n".join(LOG) + "\n")


if __name__ == "__main__":
    main()
