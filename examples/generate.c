/* generate - stream a completion from a causal language model (GPT-2, OPT, Llama, Mistral, Qwen2,
   Phi-3 folders from the Hub).

   Build and run (from the repository root):
       cc -O2 -o build/generate examples/generate.c -lm -lpthread
       build/generate MODEL_DIR "Once upon a time" [max_new_tokens]

   Prints the text as it is generated (sampling with top_p 0.95 and a fixed seed, so the same
   command prints the same text on any machine), then the token count. */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int print_piece(void *user, const char *text, size_t len) {
    (void)user;
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    return 0; /* nonzero would stop generation here */
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/fixtures/generation/gpt2";
    const char *prompt = argc > 2 ? argv[2] : "Once upon a time";
    tfm_model *model = NULL;
    tfm_tokenizer *tok = NULL;
    tfm_encoding enc;
    tfm_generation_options opts;
    tfm_generation_result out;
    tfm_ctx ctx;
    const int32_t *ids;
    int64_t n;
    int rc = 1;

    memset(&enc, 0, sizeof enc);
    memset(&ctx, 0, sizeof ctx);
    memset(&opts, 0, sizeof opts); /* zero: generation_config.json, else the reference's defaults */
    ctx.pool = tfm_pool_create(0);
    opts.max_new_tokens = argc > 3 ? atoll(argv[3]) : 40;
    opts.do_sample = 1;
    opts.top_p = 0.95f;
    opts.seed = 42;
    opts.stream = print_piece;
    if (tfm_model_load(dir, TFM_HEAD_AUTO, &model) != TFM_OK || tfm_tokenizer_load(dir, &tok) != TFM_OK ||
        tfm_tokenizer_encode(tok, prompt, strlen(prompt), NULL, 0, NULL, &enc) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        goto done;
    }
    ids = enc.ids;
    n = enc.length;
    printf("%s", prompt);
    if (tfm_generate(model, tok, &ctx, &ids, &n, 1, &opts, &out) != TFM_OK) {
        fprintf(stderr, "\nerror: %s\n", tfm_last_error());
        goto done;
    }
    printf("\n(%lld new tokens)\n", (long long)(out.lens[0] - out.prompt_lens[0]));
    tfm_generation_result_free(&out);
    rc = 0;
done:
    tfm_encoding_free(&enc);
    tfm_tokenizer_free(tok);
    tfm_model_free(model);
    tfm_pool_free(ctx.pool);
    return rc;
}
