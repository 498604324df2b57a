/* libFuzzer harnesses for the tokenizers.

     clang -fsanitize=fuzzer,address,undefined -DTFM_LIBFUZZER tests/fuzz_tokenizer.c -lm -lpthread
     (or: make fuzz-tokenizers)

   Built with -DFUZZ_TOKENIZER_LOAD the input is a tokenizer.json: it must load or fail with a
   message, and a loaded tokenizer must encode and decode a few texts. Otherwise the input is text
   for the real tokenizers under $TFM_FIXTURES/tokenizers: the first byte picks the tokenizer and
   the options (pair, special tokens, truncation with stride, padding), the rest is the text (a NUL
   byte splits it into a pair); every encoding is decoded whole and streamed.

   Without TFM_LIBFUZZER a small main() runs each file given on the command line once. */
#define _GNU_SOURCE
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fuzz_exercise(const tfm_tokenizer *tok, const char *text, size_t len, const char *pair, size_t pair_len,
                          unsigned flags) {
    tfm_encode_options o;
    tfm_encoding e;
    memset(&o, 0, sizeof o);
    o.no_special_tokens = flags & 1;
    if (flags & 2) {
        o.truncation = (tfm_truncation)(1 + (flags >> 2) % 3);
        o.max_length = 1 + (int64_t)((flags >> 4) % 24);
        o.stride = (int64_t)((flags >> 5) % 4);
        o.truncate_left = (flags >> 7) & 1;
    }
    if (flags & 64) o.padding = TFM_PAD_LONGEST;
    if (tfm_tokenizer_encode(tok, text, len, pair, pair_len, &o, &e) == TFM_OK) {
        char *out = NULL;
        size_t out_len;
        tfm_decode_stream *ds = NULL;
        int64_t i;
        if (tfm_tokenizer_decode(tok, e.ids, e.length, (int)(flags & 1), &out, &out_len) == TFM_OK) tfm_free(out);
        if (tfm_decode_stream_create(tok, 0, &ds) == TFM_OK) {
            for (i = 0; i < e.length; i++) {
                char *piece = NULL;
                if (tfm_decode_stream_step(ds, e.ids[i], &piece, NULL) != TFM_OK) break;
                tfm_free(piece);
            }
            tfm_decode_stream_free(ds);
        }
        for (i = 0; i < e.length; i++)
            if (e.offsets[2 * i] > e.offsets[2 * i + 1] || e.offsets[2 * i + 1] > (int64_t)(len + pair_len)) abort();
    } else if (!tfm_last_error()[0]) {
        abort(); /* every failure must explain itself */
    }
    tfm_encoding_free(&e);
}

#ifdef FUZZ_TOKENIZER_LOAD
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const texts[] = {"Hello, world! don't", "  x\ty\n", "\xE2\x96\x81" "a\xF0\x9F\x98\x80 <s>[CLS]", "\xff\xfe"};
    tfm_tokenizer *tok = NULL;
    size_t i;
    tfm_clear_error();
    if (tfm_tokenizer_load_memory((const char *)data, size, NULL, 0, &tok) == TFM_OK) {
        for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
            fuzz_exercise(tok, texts[i], strlen(texts[i]), i == 2 ? texts[0] : NULL, i == 2 ? strlen(texts[0]) : 0,
                          (unsigned)(i * 37));
        tfm_tokenizer_free(tok);
    } else if (!tfm_last_error()[0]) {
        abort();
    }
    return 0;
}
#else
static tfm_tokenizer *fuzz_toks[8];
static int fuzz_n_toks = -1;

static void fuzz_load_all(void) {
    static const char *const names[] = {"bert-base-uncased", "gpt2", "roberta-base", "Mistral-7B-v0.1",
                                        "Phi-3-mini-4k-instruct", "t5-small", "whisper-base", "all-MiniLM-L6-v2"};
    const char *root = getenv("TFM_FIXTURES");
    char path[1024];
    int i;
    fuzz_n_toks = 0;
    if (!root || !*root) root = "tests/fixtures";
    for (i = 0; i < 8; i++) {
        snprintf(path, sizeof path, "%s/tokenizers/%s", root, names[i]);
        if (tfm_tokenizer_load(path, &fuzz_toks[fuzz_n_toks]) == TFM_OK) fuzz_n_toks++;
    }
    if (fuzz_n_toks == 0) {
        fprintf(stderr, "fuzz_tokenizer: no tokenizer under %s/tokenizers\n", root);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned flags;
    const char *text, *nul;
    size_t len;
    if (fuzz_n_toks < 0) fuzz_load_all();
    if (size < 1) return 0;
    flags = data[0];
    text = (const char *)data + 1;
    len = size - 1;
    nul = (const char *)memchr(text, 0, len);
    tfm_clear_error();
    if (nul && (flags & 128))
        fuzz_exercise(fuzz_toks[flags % (unsigned)fuzz_n_toks], text, (size_t)(nul - text), nul + 1,
                      len - (size_t)(nul - text) - 1, flags);
    else
        fuzz_exercise(fuzz_toks[flags % (unsigned)fuzz_n_toks], text, len, NULL, 0, flags);
    return 0;
}
#endif

#if !defined(FUZZ_TOKENIZER_LOAD) && !defined(TFM_LIBFUZZER)
static void fuzz_free_all(void) {
    int i;
    for (i = 0; i < fuzz_n_toks; i++) tfm_tokenizer_free(fuzz_toks[i]);
}
#define FUZZ_CLEANUP() fuzz_free_all()
#endif
#include "fuzz_main.h"
