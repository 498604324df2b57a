/* inspect_weights - open a Hugging Face model folder, list its tensors, and run one layer.

   Build and run (from the repository root):
       cc -O2 -o build/inspect_weights examples/inspect_weights.c -lm -lpthread
       build/inspect_weights tests/fixtures/models/bert-f32

   Works with any folder holding model.safetensors or a sharded model.safetensors.index.json. */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/fixtures/models/bert-f32";
    tfm_weights *w = NULL;
    tfm_config *cfg = NULL;
    tfm_pool *pool = NULL;
    tfm_ctx ctx = {0};
    int64_t i, hidden;
    int rc = 1;

    if (tfm_weights_open(dir, &w) != TFM_OK || tfm_config_load(dir, &cfg) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        goto done;
    }
    hidden = tfm_config_int(cfg, "hidden_size", 0); /* n_embd / d_model work too */
    printf("%s: model_type %s, hidden_size %lld, %lld tensors\n", dir, tfm_config_str(cfg, "model_type", "?"),
           (long long)hidden, (long long)tfm_weights_count(w));
    for (i = 0; i < tfm_weights_count(w) && i < 8; i++) {
        const tfm_tensor_info *t = tfm_weights_info(w, i);
        printf("  %-50s %-5s %lld elements\n", t->name, tfm_dtype_name(t->dtype), (long long)t->numel);
    }
    if (tfm_weights_count(w) > 8) printf("  ... %lld more\n", (long long)(tfm_weights_count(w) - 8));

    /* Run the first square Linear layer found on a vector of ones: y = x . W^T + b. */
    pool = tfm_pool_create(0); /* all cores */
    ctx.pool = pool;
    for (i = 0; i < tfm_weights_count(w); i++) {
        const tfm_tensor_info *t = tfm_weights_info(w, i);
        tfm_tensor W;
        float *x, *y;
        int64_t k;
        if (t->ndim != 2 || t->shape[0] != hidden || t->shape[1] != hidden) continue;
        if (tfm_weights_tensor(w, t->name, &W) != TFM_OK) break;
        x = (float *)malloc((size_t)hidden * sizeof(float));
        y = (float *)malloc((size_t)hidden * sizeof(float));
        if (!x || !y) {
            free(x);
            free(y);
            break;
        }
        for (k = 0; k < hidden; k++) x[k] = 1.0f;
        if (tfm_linear(&ctx, x, 1, hidden, &W, NULL, y) == TFM_OK)
            printf("%s . ones -> [%g, %g, ...] (%s kernels, %d threads)\n", t->name, y[0], y[1],
                   tfm_isa_name(tfm_isa_best()), tfm_pool_threads(pool));
        free(x);
        free(y);
        break;
    }
    rc = 0;
done:
    tfm_pool_free(pool);
    tfm_config_free(cfg);
    tfm_weights_close(w);
    return rc;
}
