// Compile-as-C++ check: the implementation in a C++ translation unit, a few calls through it.
// Exit status 0 when every call behaves; prints one line.
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

static int failures = 0;
#define EXPECT(cond)                                                                                                   \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            std::fprintf(stderr, "test_cpp: %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, tfm_last_error());           \
            failures++;                                                                                                \
        }                                                                                                              \
    } while (0)

static std::string fixture(const char *rel) {
    const char *root = std::getenv("TFM_FIXTURES");
    return std::string(root && *root ? root : "tests/fixtures") + "/" + rel;
}

int main() {
    EXPECT(std::strcmp(tfm_version(), TFM_VERSION_STRING) == 0);
    EXPECT(std::strcmp(tfm_status_string(TFM_ERR_FORMAT), "TFM_ERR_FORMAT") == 0);

    const char doc[] = "{\"a\": [1, 2.5, \"\\u00e9\"], \"b\": true}";
    tfm_json *j = tfm_json_parse(doc, sizeof doc - 1, "cpp");
    EXPECT(j != nullptr);
    EXPECT(tfm_json_int(tfm_json_at(tfm_json_get(j, "a"), 0), 0) == 1);
    EXPECT(tfm_json_bool(tfm_json_get(j, "b"), 0) == 1);
    tfm_json_free(j);
    EXPECT(tfm_json_parse("[1,]", 4, nullptr) == nullptr);

    EXPECT(tfm_f16_to_f32(tfm_f32_to_f16(1.5f)) == 1.5f);
    EXPECT(tfm_bf16_to_f32(tfm_f32_to_bf16(-2.0f)) == -2.0f);

    tfm_config *cfg = nullptr;
    EXPECT(tfm_config_load(fixture("models/gpt2-f16").c_str(), &cfg) == TFM_OK);
    EXPECT(tfm_config_int(cfg, "hidden_size", -1) == tfm_config_int(cfg, "n_embd", -2));
    tfm_config_free(cfg);

    tfm_weights *w = nullptr;
    EXPECT(tfm_weights_open(fixture("models/bert-sharded").c_str(), &w) == TFM_OK);
    if (w) {
        EXPECT(tfm_weights_shard_count(w) == 3);
        for (int64_t i = 0; i < tfm_weights_count(w); i++) {
            const tfm_tensor_info *t = tfm_weights_info(w, i);
            std::vector<float> buf((size_t)t->numel);
            EXPECT(tfm_weights_read_f32(w, t, buf.data(), t->numel) == TFM_OK);
        }
        tfm_weights_close(w);
    }

    tfm_pool *pool = tfm_pool_create(2);
    std::vector<int> hits(100, 0);
    tfm_pool_for(pool, 100, [](void *arg, int64_t task, int) { static_cast<int *>(arg)[task]++; }, hits.data());
    for (int h : hits) EXPECT(h == 1);
    tfm_pool_free(pool);

    std::printf("test_cpp: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
