/* Build check with every trimming switch: TFM_STATIC + TFM_NO_THREADS + TFM_NO_SIMD + TFM_NO_MMAP
   and a counting allocator. Runs a few operations (successful and failing ones) and checks that
   each frees everything it allocated. Exit status 0 when all is well; prints one line. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long cnt_live, cnt_total, cnt_reallocs;
static void *cnt_malloc(size_t n) {
    void *p = malloc(n);
    if (p) {
        cnt_live++;
        cnt_total++;
    }
    return p;
}
static void *cnt_realloc(void *p, size_t n) {
    void *q = realloc(p, n);
    cnt_reallocs++;
    if (q && !p) {
        cnt_live++;
        cnt_total++;
    }
    return q;
}
static void cnt_free(void *p) {
    if (p) cnt_live--;
    free(p);
}

#define TFM_STATIC
#define TFM_NO_THREADS
#define TFM_NO_SIMD
#define TFM_NO_MMAP
#define TFM_MALLOC(sz) cnt_malloc(sz)
#define TFM_REALLOC(p, sz) cnt_realloc(p, sz)
#define TFM_FREE(p) cnt_free(p)
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <unistd.h>

static int failures;
#define EXPECT(cond)                                                                                                   \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "test_compile_static: %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, tfm_last_error());     \
            failures++;                                                                                                \
        }                                                                                                              \
    } while (0)
/* after each group of operations nothing may stay allocated */
#define EXPECT_ALL_FREED(what)                                                                                         \
    do {                                                                                                               \
        if (cnt_live != 0) {                                                                                           \
            fprintf(stderr, "test_compile_static: %s leaves %ld allocation(s) unfreed\n", what, cnt_live);             \
            failures++;                                                                                                \
            cnt_live = 0;                                                                                              \
        }                                                                                                              \
    } while (0)

static const char *fixture(const char *rel) {
    static char buf[4][1024];
    static int next;
    const char *root = getenv("TFM_FIXTURES");
    char *b = buf[next++ & 3];
    snprintf(b, sizeof buf[0], "%s/%s", root && *root ? root : "tests/fixtures", rel);
    return b;
}

static void count_task(void *arg, int64_t task, int thread_index) {
    ((int *)arg)[task] += 1 + thread_index; /* thread_index is always 0 here */
}

int main(void) {
    char tmpdir[] = "/tmp/tfm_static_XXXXXX";
    char path[1200];
    long before;

    EXPECT(tfm_isa_best() == TFM_ISA_SCALAR);
    EXPECT(!tfm_isa_available(TFM_ISA_AVX2));

    /* JSON */
    {
        const char doc[] = "{\"a\": [1, 2.5, \"x\\u00e9\"], \"b\": {\"c\": null}}";
        tfm_json *j = tfm_json_parse(doc, sizeof doc - 1, NULL);
        EXPECT(j && tfm_json_len(tfm_json_get(j, "a")) == 3);
        tfm_json_free(j);
        EXPECT(tfm_json_parse("[1, 2", 5, NULL) == NULL);
        EXPECT(tfm_json_parse("\"\\ud800\"", 8, NULL) == NULL);
        EXPECT(cnt_total > 0); /* the custom allocator is used */
        EXPECT_ALL_FREED("JSON parsing");
    }
    /* config */
    {
        tfm_config *c = NULL;
        EXPECT(tfm_config_load(fixture("models/llama-bf16"), &c) == TFM_OK);
        EXPECT(tfm_config_int(c, "hidden_size", -1) > 0);
        tfm_config_free(c);
        EXPECT(tfm_config_load(fixture("models/none"), &c) == TFM_ERR_IO);
        EXPECT_ALL_FREED("config loading");
    }
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "test_compile_static: cannot create a temp folder\n");
        return 1;
    }
    /* an empty config.json is malformed (read, not mapped, in this build) */
    {
        tfm_config *c = NULL;
        FILE *f;
        snprintf(path, sizeof path, "%s/config.json", tmpdir);
        f = fopen(path, "wb");
        if (f) fclose(f);
        EXPECT(tfm_config_load(path, &c) == TFM_ERR_FORMAT);
        EXPECT(tfm_json_parse_file(path) == NULL);
        EXPECT_ALL_FREED("loading an empty config.json");
        remove(path);
    }
    /* weights: sharded folder, every tensor, views */
    {
        tfm_weights *w = NULL;
        int64_t i;
        EXPECT(tfm_weights_open(fixture("models/bert-sharded"), &w) == TFM_OK);
        EXPECT(tfm_weights_shard_count(w) == 3);
        for (i = 0; i < tfm_weights_count(w); i++) {
            const tfm_tensor_info *t = tfm_weights_info(w, i);
            float *buf = (float *)malloc((size_t)t->numel * sizeof(float));
            tfm_tensor v;
            EXPECT(tfm_weights_read_f32(w, t, buf, t->numel) == TFM_OK);
            EXPECT(tfm_weights_tensor(w, t->name, &v) == TFM_OK);
            free(buf);
        }
        tfm_weights_close(w);
        EXPECT_ALL_FREED("reading a sharded model");
    }
    /* weights: 16-bit model from memory, converted views */
    {
        FILE *f = fopen(fixture("models/gpt2-f16/model.safetensors"), "rb");
        long n = 0;
        unsigned char *bytes = NULL;
        tfm_weights *w = NULL;
        if (f) {
            fseek(f, 0, SEEK_END);
            n = ftell(f);
            fseek(f, 0, SEEK_SET);
            bytes = (unsigned char *)malloc((size_t)n + 1);
            if (fread(bytes + 1, 1, (size_t)n, f) != (size_t)n) n = 0;
            fclose(f);
        }
        EXPECT(n > 0);
        before = cnt_live;
        /* bytes + 1: misaligned, so views are converted copies owned by the handle */
        EXPECT(tfm_weights_open_memory(bytes + 1, (size_t)n, &w) == TFM_OK);
        if (w) {
            int64_t i;
            for (i = 0; i < tfm_weights_count(w); i++) {
                tfm_tensor v;
                EXPECT(tfm_weights_tensor(w, tfm_weights_info(w, i)->name, &v) == TFM_OK);
                EXPECT(v.dtype == TFM_F32);
            }
        }
        tfm_weights_close(w);
        EXPECT(cnt_live == before);
        free(bytes);
        EXPECT_ALL_FREED("reading from memory");
    }
    /* malformed inputs free everything too */
    {
        static const char *bad[] = {"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}",
                                    "{\"a\":{\"dtype\":\"X\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                                    "{\"__metadata__\":{\"k\":1}}", "{\"a\":1}", "[]", "{"};
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            size_t h = strlen(bad[i]), k;
            unsigned char img[256];
            tfm_weights *w = NULL;
            for (k = 0; k < 8; k++) img[k] = (unsigned char)(h >> (8 * k));
            memcpy(img + 8, bad[i], h);
            memset(img + 8 + h, 0, 4);
            EXPECT(tfm_weights_open_memory(img, 8 + h + 4, &w) != TFM_OK);
            EXPECT(w == NULL);
        }
        EXPECT_ALL_FREED("rejecting malformed images");
    }
    /* writer round trip */
    {
        float data[6] = {1, 2, 3, 4, 5, 6};
        uint16_t half[2] = {0x3c00, 0xc000};
        int64_t s1[2] = {2, 3}, s2[1] = {2};
        tfm_tensor t[2];
        const char *names[2] = {"weight", "half"};
        const char *kv[2] = {"format", "pt"};
        tfm_weights *w = NULL;
        tfm_tensor_view(&t[0], TFM_F32, 2, s1, data);
        tfm_tensor_view(&t[1], TFM_F16, 1, s2, half);
        snprintf(path, sizeof path, "%s/out.safetensors", tmpdir);
        EXPECT(tfm_safetensors_write(path, t, names, 2, kv, 1) == TFM_OK);
        EXPECT(tfm_weights_open(path, &w) == TFM_OK);
        if (w) {
            float back[6];
            EXPECT(tfm_weights_read_f32(w, tfm_weights_find(w, "weight"), back, 6) == TFM_OK);
            EXPECT(memcmp(back, data, sizeof back) == 0);
            EXPECT(tfm_weights_read_f32(w, tfm_weights_find(w, "half"), back, 6) == TFM_OK);
            EXPECT(back[0] == 1.0f && back[1] == -2.0f);
        }
        tfm_weights_close(w);
        names[1] = "weight";
        EXPECT(tfm_safetensors_write(path, t, names, 2, kv, 1) == TFM_ERR_INVALID_ARGUMENT);
        remove(path);
        EXPECT_ALL_FREED("writing and reading back");
    }
    /* pool: serial in this build */
    {
        tfm_pool *pool = tfm_pool_create(4);
        int hits[50] = {0}, i, ok = 1;
        EXPECT(tfm_pool_threads(pool) == 1);
        tfm_pool_for(pool, 50, count_task, hits);
        for (i = 0; i < 50; i++) ok &= hits[i] == 1;
        EXPECT(ok);
        tfm_pool_free(pool);
        EXPECT_ALL_FREED("thread pool");
    }
    /* arena */
    {
        tfm_arena a;
        EXPECT(tfm_arena_init(&a, 4096) == TFM_OK);
        EXPECT(tfm_arena_alloc(&a, 100) != NULL);
        tfm_arena_free(&a);
        EXPECT_ALL_FREED("arena");
    }
    rmdir(tmpdir);
    printf("test_compile_static: %s (%ld allocations, %ld reallocs)\n", failures ? "FAILED" : "ok", cnt_total,
           cnt_reallocs);
    return failures ? 1 : 0;
}
