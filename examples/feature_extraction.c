/* feature_extraction - one vector per token from a bare encoder (pipeline "feature-extraction").

   Build and run (from the repository root):
       cc -O2 -o build/feature_extraction examples/feature_extraction.c -lm -lpthread
       build/feature_extraction MODEL_DIR "Some text."

   MODEL_DIR is any supported encoder folder (bert-base-uncased, roberta-base, ...). The result has
   Python's shape [1][tokens][hidden], special tokens included. This example also shows the lower
   level: the tokenizer and tfm_model_forward, which the pipeline uses underneath. */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/fixtures/text/bert-base";
    const char *text = argc > 2 ? argv[2] : "Some text.";
    tfm_model *model = NULL;
    tfm_tokenizer *tok = NULL;
    tfm_encoding enc;
    tfm_model_input in;
    tfm_model_output out;
    tfm_ctx ctx;
    int64_t t;
    int rc = 1;

    memset(&enc, 0, sizeof enc);
    memset(&ctx, 0, sizeof ctx);
    ctx.pool = tfm_pool_create(0); /* every core; NULL would run on this thread */
    if (tfm_model_load(dir, TFM_HEAD_BASE, &model) != TFM_OK || tfm_tokenizer_load(dir, &tok) != TFM_OK ||
        tfm_tokenizer_encode(tok, text, strlen(text), NULL, 0, NULL, &enc) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        goto done;
    }
    in.batch = 1;
    in.seq = enc.length;
    in.ids = enc.ids;
    in.type_ids = enc.type_ids;
    in.attention_mask = enc.attention_mask;
    if (tfm_model_forward(model, &ctx, &in, &out) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        goto done;
    }
    for (t = 0; t < out.seq; t++)
        printf("%-12s [%9.5f %9.5f %9.5f ...] (%lld values)\n", enc.tokens[t], out.hidden_states[t * out.hidden],
               out.hidden_states[t * out.hidden + 1], out.hidden_states[t * out.hidden + 2], (long long)out.hidden);
    tfm_model_output_free(&out);
    rc = 0;
done:
    tfm_encoding_free(&enc);
    tfm_tokenizer_free(tok);
    tfm_model_free(model);
    tfm_pool_free(ctx.pool);
    return rc;
}
