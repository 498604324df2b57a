/* libFuzzer harness for the safetensors reader: the input is a whole safetensors image.

     clang -fsanitize=fuzzer,address,undefined -DTFM_LIBFUZZER tests/fuzz_safetensors.c -lm -lpthread
     (or: make fuzz)

   Without TFM_LIBFUZZER a small main() runs each file given on the command line once. */
#define _GNU_SOURCE
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tfm_weights *w = NULL;
    tfm_status st;
    /* an exact-size copy: libFuzzer's buffer is exact too, but the standalone runner's is not */
    unsigned char *copy = (unsigned char *)malloc(size ? size : 1);
    if (!copy) return 0;
    if (size) memcpy(copy, data, size);
    st = tfm_weights_open_memory(copy, size, &w);
    if (st == TFM_OK) {
        int64_t i, k;
        volatile float sink = 0;
        for (i = 0; i < tfm_weights_count(w); i++) {
            const tfm_tensor_info *t = tfm_weights_info(w, i);
            tfm_tensor v;
            float *buf;
            if (t->offset + t->nbytes > size || (uint64_t)t->numel * tfm_dtype_size(t->dtype) != t->nbytes) abort();
            if (tfm_weights_find(w, t->name) != t) abort();
            if (t->numel > ((int64_t)1 << 24)) continue; /* cannot be: nbytes <= size */
            buf = (float *)malloc((size_t)t->numel * sizeof(float) + 1);
            if (!buf) continue;
            if (tfm_weights_read_f32(w, t, buf, t->numel) != TFM_OK) abort();
            for (k = 0; k < t->numel; k++) sink += buf[k];
            free(buf);
            if (tfm_weights_tensor(w, t->name, &v) != TFM_OK) abort();
            if (v.numel && v.data) sink += ((const unsigned char *)v.data)[0];
        }
        for (i = 0; i < tfm_weights_metadata_count(w); i++) {
            const char *key = tfm_weights_metadata_key(w, i);
            if (!key || !tfm_weights_metadata(w, key)) abort();
        }
        (void)sink;
        tfm_weights_close(w);
    } else if (w != NULL || !tfm_last_error()[0]) {
        abort();
    }
    free(copy);
    return 0;
}

#include "fuzz_main.h"
