#!/usr/bin/env python3
"""Generates the Unicode section of transformers.h (character properties, case mapping and
normalization with alignment changes) from the Unicode Character Database.

    python3 tools/gen_unicode.py [UCD_DIR] [OUTPUT]

UCD_DIR defaults to /usr/share/unicode (Debian package `unicode-data`), OUTPUT to
transformers.h beside this folder: a file holding the markers "BEGIN GENERATED UNICODE TABLES" /
"END GENERATED UNICODE TABLES" gets the block between them replaced; any other OUTPUT is written
whole. Needed files: UnicodeData.txt, PropList.txt, DerivedCoreProperties.txt,
DerivedNormalizationProps.txt, SpecialCasing.txt, CaseFolding.txt, ReadMe.txt (for the version).

The output is plain C99 and is pasted verbatim into transformers.h; CI never runs this script.
Table layout:
  * per-code-point byte properties (general category + White_Space + Alphabetic, canonical
    combining class) and the decomposition index use three-level tables: the code point is
    split into hi / mid / lo bit fields, identical blocks are shared at both levels;
  * case mappings are runs (start, length, stride, delta) searched by bisection, plus a small
    table of the multi-code-point SpecialCasing entries;
  * canonical compositions are a sorted (first, second) -> composite array.
"""
import os
import re
import sys

UCD = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "transformers.h"))
BEGIN = "/* BEGIN GENERATED UNICODE TABLES */\n"
END = "\n/* END GENERATED UNICODE TABLES */"
NCP = 0x110000

CATS = ["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps",
        "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs",
        "Co", "Cn"]
CAT_IDX = {c: i for i, c in enumerate(CATS)}

S_BASE, L_BASE, V_BASE, T_BASE = 0xAC00, 0x1100, 0x1161, 0x11A7
L_COUNT, V_COUNT, T_COUNT = 19, 21, 28
N_COUNT = V_COUNT * T_COUNT
S_COUNT = L_COUNT * N_COUNT


def path(name):
    return os.path.join(UCD, name)


def unicode_version():
    with open(path("ReadMe.txt"), encoding="utf-8") as f:
        m = re.search(r"Version (\d+\.\d+\.\d+)", f.read())
    if m:
        return m.group(1)
    with open(path("DerivedCoreProperties.txt"), encoding="utf-8") as f:
        m = re.search(r"DerivedCoreProperties-(\d+\.\d+\.\d+)", f.readline())
    return m.group(1) if m else "unknown"


def parse_ranges(name, want):
    """code point set of property `want` in a `XXXX..YYYY ; Prop # ...` file."""
    s = set()
    with open(path(name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            if fields[1] != want:
                continue
            a, _, b = fields[0].partition("..")
            lo = int(a, 16)
            hi = int(b, 16) if b else lo
            s.update(range(lo, hi + 1))
    return s


# ---------------------------------------------------------------- UnicodeData.txt
cat = [CAT_IDX["Cn"]] * NCP
ccc = [0] * NCP
decomp = {}          # cp -> (is_compat, [cps]) one level
upper1 = {}
lower1 = {}
with open(path("UnicodeData.txt"), encoding="utf-8") as f:
    first = None
    for line in f:
        fl = line.rstrip("\n").split(";")
        cp = int(fl[0], 16)
        name = fl[1]
        if name.endswith(", First>"):
            first = cp
            continue
        if name.endswith(", Last>"):
            for c in range(first, cp + 1):
                cat[c] = CAT_IDX[fl[2]]
                ccc[c] = int(fl[3])
            continue
        cat[cp] = CAT_IDX[fl[2]]
        ccc[cp] = int(fl[3])
        if fl[5]:
            parts = fl[5].split()
            compat = parts[0].startswith("<")
            if compat:
                parts = parts[1:]
            decomp[cp] = (compat, [int(x, 16) for x in parts])
        if fl[12]:
            upper1[cp] = int(fl[12], 16)
        if fl[13]:
            lower1[cp] = int(fl[13], 16)

white = parse_ranges("PropList.txt", "White_Space")
alpha = parse_ranges("DerivedCoreProperties.txt", "Alphabetic")
full_excl = parse_ranges("DerivedNormalizationProps.txt", "Full_Composition_Exclusion")

# ---------------------------------------------------------------- case mappings
special_lower, special_upper = {}, {}
with open(path("SpecialCasing.txt"), encoding="utf-8") as f:
    for line in f:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fl = [x.strip() for x in line.split(";")]
        if len(fl) > 4 and fl[4]:
            continue  # conditional (language or context): Rust's char methods ignore these
        cp = int(fl[0], 16)
        lo = [int(x, 16) for x in fl[1].split()]
        up = [int(x, 16) for x in fl[3].split()]
        if len(lo) != 1:
            special_lower[cp] = lo
        if len(up) != 1:
            special_upper[cp] = up
fold1 = {}
with open(path("CaseFolding.txt"), encoding="utf-8") as f:
    for line in f:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fl = [x.strip() for x in line.split(";")]
        if fl[1] in ("C", "S"):
            fold1[int(fl[0], 16)] = int(fl[2], 16)


# ---------------------------------------------------------------- decompositions
def full_decomp(cp, compat):
    if S_BASE <= cp < S_BASE + S_COUNT:
        si = cp - S_BASE
        r = [L_BASE + si // N_COUNT, V_BASE + (si % N_COUNT) // T_COUNT]
        if si % T_COUNT:
            r.append(T_BASE + si % T_COUNT)
        return r
    d = decomp.get(cp)
    if d is None or (d[0] and not compat):
        return [cp]
    out = []
    for c in d[1]:
        out.extend(full_decomp(c, compat))
    return out


canon_full, compat_full = {}, {}
for cp in sorted(decomp):
    c = full_decomp(cp, False)
    k = full_decomp(cp, True)
    if c != [cp]:
        canon_full[cp] = c
    if k != c:
        compat_full[cp] = k
assert all(cp > 0x7F for cp in decomp)

# pool: header word (canonical length | compat length << 5), canonical cps, compat cps.
pool = [0]
dec_index = [0] * NCP
for cp in sorted(set(canon_full) | set(compat_full)):
    c = canon_full.get(cp, [])
    k = compat_full.get(cp, [])
    assert len(c) < 32 and len(k) < 32
    dec_index[cp] = len(pool)
    pool.append(len(c) | (len(k) << 5))
    pool.extend(c)
    pool.extend(k)
assert len(pool) < 65536
max_dec = max(len(v) for v in list(canon_full.values()) + list(compat_full.values()))

# canonical composition pairs: two-code-point canonical mappings of primary composites
comps = []
for cp, (compat, parts) in decomp.items():
    if compat or cp in full_excl:
        continue
    assert len(parts) == 2, hex(cp)
    comps.append((parts[0], parts[1], cp))
comps.sort()


# ---------------------------------------------------------------- table builders
def c_num_list(vals, per_line=None):
    """comma-separated numbers, wrapped at 100 columns"""
    lines, line = [], "   "
    for v in vals:
        item = str(v) + ","
        if len(line) + len(item) > 100:
            lines.append(line)
            line = "   "
        line += item
    lines.append(line)
    return "\n".join(lines)


def build3(values, hi_shift, lo_shift):
    """three-level table: top[cp >> hi_shift] -> mid block, mid[...] -> leaf block."""
    lo_size = 1 << lo_shift
    mid_size = 1 << (hi_shift - lo_shift)
    leaves, leaf_id = [], {}
    leaf_of = []
    for b in range(0, NCP, lo_size):
        blk = tuple(values[b:b + lo_size])
        if blk not in leaf_id:
            leaf_id[blk] = len(leaves)
            leaves.append(blk)
        leaf_of.append(leaf_id[blk])
    mids, mid_id, top = [], {}, []
    for b in range(0, len(leaf_of), mid_size):
        blk = tuple(leaf_of[b:b + mid_size])
        if blk not in mid_id:
            mid_id[blk] = len(mids)
            mids.append(blk)
        top.append(mid_id[blk])
    mid_flat = [x for blk in mids for x in blk]
    leaf_flat = [x for blk in leaves for x in blk]
    return top, mid_flat, leaf_flat


def text_cost(arrs):
    return sum(len(",".join(str(v) for v in a)) + 1 for a in arrs)


def best3(values):
    best = None
    for hi in range(9, 16):
        for lo in range(3, hi):
            t = build3(values, hi, lo)
            cost = text_cost(t)
            if best is None or cost < best[0]:
                best = (cost, hi, lo, t)
    return best[1], best[2], best[3]


def ctype(maxv):
    return "uint8_t" if maxv < 256 else ("uint16_t" if maxv < 65536 else "uint32_t")


def emit3(name, values, doc):
    hi, lo, (top, mid, leaf) = best3(values)
    s = ["/* %s.\n   Three-level table: cp >> %d selects a middle block of %d entries, which selects a"
         " leaf\n   block of %d entries. */" % (doc, hi, 1 << (hi - lo), 1 << lo)]
    for part, arr in (("top", top), ("mid", mid), ("leaf", leaf)):
        s.append("static const %s tfm__uc_%s_%s[%d] = {" % (ctype(max(arr)), name, part, len(arr)))
        s.append(c_num_list(arr))
        s.append("};")
    s.append("static unsigned tfm__uc_%s_get(uint32_t cp) {" % name)
    s.append("    unsigned m = tfm__uc_%s_top[cp >> %d];" % (name, hi))
    s.append("    unsigned l = tfm__uc_%s_mid[(m << %d) + ((cp >> %d) & %du)];"
             % (name, hi - lo, lo, (1 << (hi - lo)) - 1))
    s.append("    return tfm__uc_%s_leaf[(l << %d) + (cp & %du)];" % (name, lo, (1 << lo) - 1))
    s.append("}")
    return "\n".join(s)


def case_runs(mapping):
    """maximal runs of code points start, start+stride, ... with one constant delta."""
    items = sorted(mapping.items())
    runs = []
    i = 0
    while i < len(items):
        cp, tgt = items[i]
        delta = tgt - cp
        best_len, best_stride = 1, 1
        for stride in (1, 2):
            n = 1
            while (i + n < len(items) and items[i + n][0] == cp + n * stride
                   and items[i + n][1] - items[i + n][0] == delta):
                n += 1
            if n > best_len:
                best_len, best_stride = n, stride
        runs.append((cp, best_len, best_stride, delta))
        i += best_len
    # runs must not interleave (a stride-2 run may hide other mappings in its gaps): verify
    covered = {}
    for start, n, stride, delta in runs:
        for k in range(n):
            covered[start + k * stride] = start + k * stride + delta
    assert covered == dict(items)
    for a, b in zip(runs, runs[1:]):
        assert a[0] + (a[1] - 1) * a[2] < b[0]
    return runs


def emit_runs(name, mapping, doc):
    runs = case_runs(mapping)
    s = ["/* %s: %d runs {first, count, stride, delta}:\n   cp = first + k * stride"
         " (k < count) maps to cp + delta. */" % (doc, len(runs))]
    s.append("static const tfm__uc_case_run tfm__uc_%s_runs[%d] = {" % (name, len(runs)))
    line = "   "
    rows = []
    for r in runs:
        item = "{%d,%d,%d,%d}," % r
        if len(line) + len(item) > 100:
            rows.append(line)
            line = "   "
        line += item
    rows.append(line)
    s.extend(rows)
    s.append("};")
    return "\n".join(s), len(runs)


# ---------------------------------------------------------------- runtime C code (emitted verbatim)
RUNTIME = r'''
/* ---- properties ---- */
static int tfm__uc_category(uint32_t cp) {
    if (cp > 0x10FFFFu) return TFM__UC_CN;
    return (int)(tfm__uc_prop_get(cp) & 31u);
}
static int tfm__uc_is_whitespace(uint32_t cp) {
    if (cp < 128) return cp == 32 || (cp >= 9 && cp <= 13);
    return cp <= 0x10FFFFu && ((tfm__uc_prop_get(cp) >> 5) & 1u);
}
static int tfm__uc_is_alphabetic(uint32_t cp) {
    if (cp < 128) return (cp | 32u) >= 'a' && (cp | 32u) <= 'z';
    return cp <= 0x10FFFFu && ((tfm__uc_prop_get(cp) >> 6) & 1u);
}
static int tfm__uc_is_numeric(uint32_t cp) {
    int c;
    if (cp < 128) return cp >= '0' && cp <= '9';
    c = tfm__uc_category(cp);
    return c == TFM__UC_ND || c == TFM__UC_NL || c == TFM__UC_NO;
}
/* unicode-normalization's is_combining_mark is General_Category=Mark (Mn | Mc | Me). */
static int tfm__uc_is_combining_mark(uint32_t cp) {
    int c = tfm__uc_category(cp);
    return c == TFM__UC_MN || c == TFM__UC_MC || c == TFM__UC_ME;
}
/* BERT's _is_chinese_char ranges (transformers BasicTokenizer, tokenizers BertNormalizer). */
static int tfm__uc_is_cjk_ideograph(uint32_t cp) {
    return (cp >= 0x4E00u && cp <= 0x9FFFu) || (cp >= 0x3400u && cp <= 0x4DBFu) ||
           (cp >= 0x20000u && cp <= 0x2A6DFu) || (cp >= 0x2A700u && cp <= 0x2B73Fu) ||
           (cp >= 0x2B740u && cp <= 0x2B81Fu) || (cp >= 0x2B920u && cp <= 0x2CEAFu) ||
           (cp >= 0xF900u && cp <= 0xFAFFu) || (cp >= 0x2F800u && cp <= 0x2FA1Fu);
}
/* BERT's _is_punctuation: every non-alphanumeric printable ASCII char, or category P*. */
static int tfm__uc_is_bert_punct(uint32_t cp) {
    int c;
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
        (cp >= 123 && cp <= 126))
        return 1;
    if (cp < 128) return 0;
    c = tfm__uc_category(cp);
    return c >= TFM__UC_PC && c <= TFM__UC_PO;
}
static int tfm__uc_ccc(uint32_t cp) {
    if (cp < 0x300u || cp > 0x10FFFFu) return 0;
    return (int)tfm__uc_ccc_get(cp);
}

/* ---- case mapping ---- */
static uint32_t tfm__uc_case_find(const tfm__uc_case_run *runs, int n, uint32_t cp) {
    int lo = 0, hi = n - 1;
    uint32_t d;
    while (lo <= hi) { /* last run whose first code point is <= cp */
        int mid = lo + (hi - lo) / 2;
        if (runs[mid].first <= cp) lo = mid + 1;
        else hi = mid - 1;
    }
    if (hi < 0) return cp;
    d = cp - runs[hi].first;
    if (d % runs[hi].stride != 0 || d / runs[hi].stride >= runs[hi].count) return cp;
    return (uint32_t)((int32_t)cp + runs[hi].delta);
}
static const tfm__uc_case_special *tfm__uc_case_special_find(uint32_t cp) {
    int lo = 0, hi = @NSPECIAL@ - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (tfm__uc_case_specials[mid].cp == cp) return &tfm__uc_case_specials[mid];
        if (tfm__uc_case_specials[mid].cp < cp) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}
static int tfm__uc_copy_special(const uint32_t *src, uint32_t out[3]) {
    int k = 0;
    while (k < 3 && src[k]) { out[k] = src[k]; k++; }
    return k;
}
static int tfm__uc_to_lower(uint32_t cp, uint32_t out[3]) {
    const tfm__uc_case_special *s;
    if (cp < 128) { out[0] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp; return 1; }
    if ((s = tfm__uc_case_special_find(cp)) != NULL) return tfm__uc_copy_special(s->lower, out);
    out[0] = tfm__uc_case_find(tfm__uc_lower_runs, @NLOWER@, cp);
    return 1;
}
#ifdef TFM_UNICODE_UPPERCASE
static int tfm__uc_to_upper(uint32_t cp, uint32_t out[3]) {
    const tfm__uc_case_special *s;
    if (cp < 128) { out[0] = (cp >= 'a' && cp <= 'z') ? cp - 32 : cp; return 1; }
    if ((s = tfm__uc_case_special_find(cp)) != NULL) return tfm__uc_copy_special(s->upper, out);
    out[0] = tfm__uc_case_find(tfm__uc_upper_runs, @NUPPER@, cp);
    return 1;
}
#endif
static uint32_t tfm__uc_simple_fold(uint32_t cp) {
    if (cp < 128) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return tfm__uc_case_find(tfm__uc_fold_runs, @NFOLD@, cp);
}

/* ---- normalization ----

   How the Rust crate `unicode-normalization-alignments` (used by tokenizers'
   NormalizedString::nfd/nfkd/nfc/nfkc) reports changes, restated:

   Decomposition (NFD / NFKD). Each input char is fully decomposed (ASCII never decomposes,
   Hangul syllables arithmetically into L V [T], others through the recursive canonical or
   compatibility mapping). The first char of each input char's decomposition gets change 0
   ("replaces the input char"), every further one gets +1 ("inserted"); a char without a
   decomposition is itself with 0. Then every maximal run of chars with a non-zero combining
   class is stably sorted by class, and each char carries its change value with it while
   moving. So the changes still sum to (outputs - inputs) but after a reorder the values are
   no longer in input order: NFD of U+1E0B U+0323 yields d 0, U+0323 0, U+0307 +1.

   Composition (NFC / NFKC) runs over that decomposed stream. It keeps a "composee" (the last
   starter), the chars buffered after it, and the class of the last buffered char. A char with
   nothing to compose with (no starter seen yet) passes through with its own change. When a
   char composes with the composee, it disappears and the composee's change becomes
   (composee change + char change - 1): e + U+0301 (0, 0) gives é with -1, while e +1-inserted
   U+0301 (NFD of é) gives back é with 0. Composition is tried when nothing is buffered (even
   for two starters, e.g. Hangul L+V, LV+T) or when the last buffered class is lower than the
   char's class; otherwise the char is blocked and buffered, and a blocked starter flushes the
   composee and the buffer and becomes the new composee. Output order = composee, then its
   buffered chars, so the result is the standard NFC string; uncomposed chars keep their
   (possibly reordered) decomposition changes.

   The caller (tokenizers' NormalizedString::transform) walks the outputs in order: change <= 0
   consumes the next original char (and -n more), +1 inserts a char aligned like the previous
   output char. */
static uint32_t tfm__uc_compose_pair(uint32_t a, uint32_t b) {
    int lo = 0, hi = @NCOMP@ - 1;
    if (a >= 0x1100u && a < 0x1100u + 19u && b >= 0x1161u && b < 0x1161u + 21u)
        return 0xAC00u + ((a - 0x1100u) * 21u + (b - 0x1161u)) * 28u;
    if (a >= 0xAC00u && a < 0xAC00u + 11172u && (a - 0xAC00u) % 28u == 0 && b > 0x11A7u &&
        b < 0x11A7u + 28u)
        return a + (b - 0x11A7u);
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        const tfm__uc_comp_pair *p = &tfm__uc_comp[mid];
        if (p->first == a && p->second == b) return p->composite;
        if (p->first < a || (p->first == a && p->second < b)) lo = mid + 1;
        else hi = mid - 1;
    }
    return 0;
}
/* Full decomposition of cp into out (room for TFM__UC_MAX_DECOMP); returns the count (>= 1). */
static int tfm__uc_decompose(uint32_t cp, int compat, uint32_t *out) {
    unsigned idx, h, cl, kl, k;
    const uint32_t *src;
    if (cp < 0xA0u || cp > 0x10FFFFu) { out[0] = cp; return 1; }
    if (cp >= 0xAC00u && cp < 0xAC00u + 11172u) {
        uint32_t s = cp - 0xAC00u;
        out[0] = 0x1100u + s / 588u;
        out[1] = 0x1161u + (s % 588u) / 28u;
        if (s % 28u == 0) return 2;
        out[2] = 0x11A7u + s % 28u;
        return 3;
    }
    idx = tfm__uc_dec_get(cp);
    if (idx == 0) { out[0] = cp; return 1; }
    h = tfm__uc_dec_pool[idx];
    cl = h & 31u;
    kl = (h >> 5) & 31u;
    if (compat && kl) src = tfm__uc_dec_pool + idx + 1 + cl;
    else if (cl) { src = tfm__uc_dec_pool + idx + 1; kl = cl; }
    else { out[0] = cp; return 1; }
    for (k = 0; k < kl; k++) out[k] = src[k];
    return (int)kl;
}
/* Stable sort of items [s, e) by combining class (counting sort through tmp). */
static void tfm__uc_sort_run(tfm__uc_change *buf, unsigned char *cc, int64_t s, int64_t e,
                             tfm__uc_change *tmp, unsigned char *tmpc) {
    int64_t i, j, pos[256];
    if (e - s <= 8) { /* insertion sort: the common short case */
        for (i = s + 1; i < e; i++) {
            tfm__uc_change x = buf[i];
            unsigned char c = cc[i];
            for (j = i; j > s && cc[j - 1] > c; j--) { buf[j] = buf[j - 1]; cc[j] = cc[j - 1]; }
            buf[j] = x;
            cc[j] = c;
        }
        return;
    }
    for (i = 0; i < 256; i++) pos[i] = 0;
    for (i = s; i < e; i++) pos[cc[i]]++;
    for (i = 0, j = 0; i < 256; i++) { int64_t t = pos[i]; pos[i] = j; j += t; }
    for (i = s; i < e; i++) { int64_t p = pos[cc[i]]++; tmp[p] = buf[i]; tmpc[p] = cc[i]; }
    for (i = s; i < e; i++) { buf[i] = tmp[i - s]; cc[i] = tmpc[i - s]; }
}
/* Normalizes n code points (form 0 NFD, 1 NFC, 2 NFKD, 3 NFKC) into *out (TFM_MALLOC'd, caller
   frees with TFM_FREE) with the change values of unicode-normalization-alignments. Returns the
   count, or -1 on allocation failure / size overflow (*out is then NULL). */
static int64_t tfm__uc_normalize(const uint32_t *in, int64_t n, int form, tfm__uc_change **out) {
    int compat = (form == TFM__UC_NFKD || form == TFM__UC_NFKC);
    int compose = (form == TFM__UC_NFC || form == TFM__UC_NFKC);
    uint32_t d[TFM__UC_MAX_DECOMP];
    tfm__uc_change *buf, *tmp = NULL;
    unsigned char *cc, *tmpc = NULL;
    int64_t total = 0, len = 0, i, s;
    *out = NULL;
    if (n < 0) return -1;
    for (i = 0; i < n; i++) total += tfm__uc_decompose(in[i], compat, d);
    if ((uint64_t)total > (uint64_t)(SIZE_MAX / sizeof(tfm__uc_change))) return -1;
    buf = (tfm__uc_change *)tfm__malloc((size_t)total * sizeof(tfm__uc_change));
    cc = (unsigned char *)tfm__malloc((size_t)total);
    if (!buf || !cc) goto fail;
    for (i = 0; i < n; i++) {
        int k, m = tfm__uc_decompose(in[i], compat, d);
        for (k = 0; k < m; k++) {
            buf[len].cp = d[k];
            buf[len].change = k ? 1 : 0;
            cc[len] = (unsigned char)tfm__uc_ccc(d[k]);
            len++;
        }
    }
    /* canonical ordering: stable sort of every maximal run of non-starters */
    for (s = 0; s < len;) {
        int64_t e;
        if (cc[s] == 0) { s++; continue; }
        for (e = s + 1; e < len && cc[e] != 0; e++) {}
        if (e - s > 1) {
            if (e - s > 8 && !tmp) {
                tmp = (tfm__uc_change *)tfm__malloc((size_t)len * sizeof(tfm__uc_change));
                tmpc = (unsigned char *)tfm__malloc((size_t)len);
                if (!tmp || !tmpc) goto fail;
            }
            tfm__uc_sort_run(buf, cc, s, e, tmp, tmpc);
        }
        s = e;
    }
    if (compose) { /* in place: the write index never passes the read index */
        int64_t w = 0, si = -1; /* si: output index of the composee, -1 before any starter */
        int last = -1;          /* class of the last char buffered after the composee, -1: none */
        for (i = 0; i < len; i++) {
            tfm__uc_change it = buf[i];
            int c = cc[i];
            if (si >= 0 && (last < 0 || last < c)) {
                uint32_t r = tfm__uc_compose_pair(buf[si].cp, it.cp);
                if (r) {
                    buf[si].cp = r;
                    buf[si].change += it.change - 1;
                    continue;
                }
            }
            if (c == 0) { si = w; last = -1; }
            else if (si >= 0) last = c;
            buf[w] = it;
            cc[w] = (unsigned char)c;
            w++;
        }
        len = w;
    }
    TFM_FREE(cc);
    TFM_FREE(tmp);
    TFM_FREE(tmpc);
    *out = buf;
    return len;
fail:
    TFM_FREE(buf);
    TFM_FREE(cc);
    TFM_FREE(tmp);
    TFM_FREE(tmpc);
    return -1;
}
'''


# ---------------------------------------------------------------- assemble
version = unicode_version()
prop_vals = [cat[cp] | ((cp in white) << 5) | ((cp in alpha) << 6) for cp in range(NCP)]
# surrogates and the private-use planes come from the ranges in UnicodeData; unlisted is Cn.

lower_simple = {cp: t for cp, t in lower1.items() if cp not in special_lower}
upper_simple = {cp: t for cp, t in upper1.items() if cp not in special_upper}
specials = sorted(set(special_lower) | set(special_upper))
assert max(len(v) for v in list(special_lower.values()) + list(special_upper.values())) <= 3

out = []
w = out.append
w("""/* =============================================================================================
   Unicode %(ver)s character data: categories, properties, case mapping, normalization.
   GENERATED by `python3 tools/gen_unicode.py` (it rewrites this block of transformers.h) from the
   Unicode %(ver)s Character Database (Debian package unicode-data); do not edit by hand.

   API (all static, code points are uint32_t; anything above U+10FFFF is unassigned):
     tfm__uc_category(cp)            general category, TFM__UC_LU .. TFM__UC_CN
     tfm__uc_is_whitespace(cp)       White_Space property (Rust char::is_whitespace)
     tfm__uc_is_alphabetic(cp)       Alphabetic derived property (Rust char::is_alphabetic)
     tfm__uc_is_numeric(cp)          Nd | Nl | No (Rust char::is_numeric)
     tfm__uc_is_combining_mark(cp)   Mn | Mc | Me (unicode-normalization char::is_combining_mark,
                                     used by tokenizers' StripAccents)
     tfm__uc_is_cjk_ideograph(cp)    the CJK ranges of BERT's BasicTokenizer / BertNormalizer
     tfm__uc_is_bert_punct(cp)       ASCII 33-47, 58-64, 91-96, 123-126, or category P*
     tfm__uc_ccc(cp)                 canonical combining class
     tfm__uc_to_lower(cp, out[3])    full lowercase of one char as Rust char::to_lowercase:
     tfm__uc_to_upper(cp, out[3])    UnicodeData simple mapping, overridden by the unconditional
                                     SpecialCasing entries; returns the count (1..3). No final
                                     sigma rule (char-level, like Rust).
     tfm__uc_simple_fold(cp)         simple case folding (CaseFolding.txt status C + S)
     tfm__uc_normalize(in, n, form, &out)   NFD / NFC / NFKD / NFKC with alignment changes
   ============================================================================================= */
""" % {"ver": version})

w("""enum {
    TFM__UC_LU, TFM__UC_LL, TFM__UC_LT, TFM__UC_LM, TFM__UC_LO, TFM__UC_MN, TFM__UC_MC,
    TFM__UC_ME, TFM__UC_ND, TFM__UC_NL, TFM__UC_NO, TFM__UC_PC, TFM__UC_PD, TFM__UC_PS,
    TFM__UC_PE, TFM__UC_PI, TFM__UC_PF, TFM__UC_PO, TFM__UC_SM, TFM__UC_SC, TFM__UC_SK,
    TFM__UC_SO, TFM__UC_ZS, TFM__UC_ZL, TFM__UC_ZP, TFM__UC_CC, TFM__UC_CF, TFM__UC_CS,
    TFM__UC_CO, TFM__UC_CN
};
enum { TFM__UC_NFD = 0, TFM__UC_NFC = 1, TFM__UC_NFKD = 2, TFM__UC_NFKC = 3 };
#define TFM__UC_MAX_DECOMP %d /* longest full decomposition (U+FDFA) */

typedef struct tfm__uc_case_run {
    uint32_t first;
    uint16_t count;
    uint8_t stride;
    int32_t delta;
} tfm__uc_case_run;
typedef struct tfm__uc_case_special { uint32_t cp, lower[3], upper[3]; } tfm__uc_case_special;
typedef struct tfm__uc_comp_pair { uint32_t first, second, composite; } tfm__uc_comp_pair;
/* One output code point and its change value as the Rust crate reports it. */
typedef struct tfm__uc_change { uint32_t cp; int32_t change; } tfm__uc_change;
""" % max_dec)

sizes = {}


def section(label, text):
    sizes[label] = len(text)
    w(text)


section("properties", emit3("prop", prop_vals,
                            "bits 0-4 general category, bit 5 White_Space, bit 6 Alphabetic"))
section("ccc", emit3("ccc", ccc, "canonical combining class"))
section("decomposition index", emit3(
    "dec", dec_index, "decomposition: 0 = none, else index of a header in tfm__uc_dec_pool"))
section("decomposition pool",
        "/* Full (recursive) decompositions. Header word: bits 0-4 canonical length (0: none), bits\n"
        "   5-9 compatibility length (0: same as canonical), then the canonical code points, then\n"
        "   the compatibility ones. Hangul syllables are decomposed arithmetically instead. */\n"
        "static const uint32_t tfm__uc_dec_pool[%d] = {\n%s\n};" % (len(pool), c_num_list(pool, 16)))
rows = []
line = "   "
for a, b, c in comps:
    item = "{%d,%d,%d}," % (a, b, c)
    if len(line) + len(item) > 100:
        rows.append(line)
        line = "   "
    line += item
rows.append(line)
section("compositions",
        "/* Canonical compositions (primary composites, Full_Composition_Exclusion removed), sorted\n"
        "   by (first, second). Hangul is composed arithmetically. */\n"
        "static const tfm__uc_comp_pair tfm__uc_comp[%d] = {\n%s\n};" % (len(comps), "\n".join(rows)))
t, nl = emit_runs("lower", lower_simple, "simple lowercase (UnicodeData field 13)")
section("lowercase runs", t)
t, nu = emit_runs("upper", upper_simple, "simple uppercase (UnicodeData field 12)")
section("uppercase runs", "#ifdef TFM_UNICODE_UPPERCASE /* unused by the tokenizers; kept for callers that want it */\n" + t + "\n#endif")
t, nf = emit_runs("fold", fold1, "simple case folding (CaseFolding.txt C + S)")
section("fold runs", t)
rows = []
for cp in specials:
    lo = special_lower.get(cp, [lower1.get(cp, cp)])
    up = special_upper.get(cp, [upper1.get(cp, cp)])
    lo = lo + [0] * (3 - len(lo))
    up = up + [0] * (3 - len(up))
    rows.append("    {%d,{%d,%d,%d},{%d,%d,%d}}," % tuple([cp] + lo + up))
section("special casing",
        "/* Unconditional SpecialCasing entries with a multi-code-point lowercase or uppercase;\n"
        "   the other direction is filled with the simple mapping. Zero-padded. */\n"
        "static const tfm__uc_case_special tfm__uc_case_specials[%d] = {\n%s\n};"
        % (len(specials), "\n".join(rows)))

code = RUNTIME
code = code.replace("@NLOWER@", str(nl)).replace("@NUPPER@", str(nu)).replace("@NFOLD@", str(nf))
code = code.replace("@NSPECIAL@", str(len(specials))).replace("@NCOMP@", str(len(comps)))
w(code)

text = "\n".join(out)
old = open(OUT, encoding="utf-8").read() if os.path.exists(OUT) else ""
if BEGIN in old and END in old:  # splice into the header between the markers
    s = old.index(BEGIN) + len(BEGIN)
    e = old.index(END)
    text_out = old[:s] + text.rstrip("\n") + old[e:]
else:
    text_out = text
with open(OUT, "w", encoding="utf-8") as f:
    f.write(text_out)
total = len(text.encode("utf-8"))
sys.stderr.write("wrote %s: %d bytes (Unicode %s)\n" % (OUT, total, version))
for k, v in sizes.items():
    sys.stderr.write("  %-22s %7d bytes of C\n" % (k, v))
