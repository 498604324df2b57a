/* libFuzzer harness for the JSON parser (and the config loader on top of it).

     clang -fsanitize=fuzzer,address,undefined -DTFM_LIBFUZZER tests/fuzz_json.c -lm -lpthread
     (or: make fuzz)

   Without TFM_LIBFUZZER a small main() runs each file given on the command line once
   (reproducing a crash, or a smoke test over a seed corpus). */
#define _GNU_SOURCE
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Touches every node so that a corrupt tree is noticed by the sanitizers. */
static size_t fuzz_walk(const tfm_json *n, int depth) {
    size_t i, sum = 0;
    if (!n || depth > TFM_MAX_JSON_DEPTH + 1) return 0;
    switch (tfm_json_kind(n)) {
    case TFM_JSON_STRING: {
        const char *s = tfm_json_str(n);
        size_t len = tfm_json_len(n);
        if (s && len) sum += (unsigned char)s[len - 1];
        if (s) sum += (unsigned char)s[len]; /* the NUL terminator */
        break;
    }
    case TFM_JSON_NUMBER: sum += (size_t)tfm_json_int(n, 0) + (size_t)(tfm_json_num(n, 0) != 0) + (size_t)tfm_json_is_int(n); break;
    case TFM_JSON_OBJECT:
        for (i = 0; i < tfm_json_len(n); i++) {
            const char *k = tfm_json_key_at(n, i);
            sum += k ? strlen(k) : 0;
            sum += tfm_json_get(n, k) != NULL;
        }
        /* fall through */
    case TFM_JSON_ARRAY:
        for (i = 0; i < tfm_json_len(n); i++) sum += fuzz_walk(tfm_json_at(n, i), depth + 1);
        break;
    default: sum += (size_t)tfm_json_bool(n, 2); break;
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tfm_json *j = tfm_json_parse((const char *)data, size, "fuzz");
    tfm_config *cfg = NULL;
    volatile size_t sink;
    if (j) {
        sink = fuzz_walk(j, 0);
        (void)sink;
        tfm_json_free(j);
    } else if (!tfm_last_error()[0]) {
        abort(); /* every failure must explain itself */
    }
    if (tfm_config_parse((const char *)data, size, &cfg) == TFM_OK) {
        double eps = tfm_config_float(cfg, "layer_norm_eps", 0); /* any double: never cast it to an integer */
        sink = (size_t)tfm_config_int(cfg, "hidden_size", 0) + (size_t)(eps != eps) +
               (size_t)tfm_config_bool(cfg, "use_cache", 0) + strlen(tfm_config_str(cfg, "model_type", ""));
        (void)sink;
        tfm_config_free(cfg);
    }
    return 0;
}

#include "fuzz_main.h"
