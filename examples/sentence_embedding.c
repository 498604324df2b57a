/* sentence_embedding - sentence embeddings as sentence-transformers computes them

   Build and run (from the repository root):
       cc -O2 -o build/sentence_embedding examples/sentence_embedding.c -lm -lpthread
       build/sentence_embedding MODEL_DIR "A sentence to embed."

   MODEL_DIR is a sentence-transformers folder (modules.json, 1_Pooling, 2_Normalize), e.g.
   sentence-transformers/all-MiniLM-L6-v2. For raw token embeddings use "feature-extraction". */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "tests/fixtures/text/st-mean-norm";
    tfm_pipeline_input input = {NULL, NULL};
    input.text = argc > 2 ? argv[2] : "A sentence to embed.";
    tfm_pipeline_options opts;
    tfm_pipeline *pipe = NULL;
    tfm_json *result = NULL;
    char *json;

    memset(&opts, 0, sizeof opts); /* zero means Python's defaults */
    opts.threads = 0; /* 0: every core */
    if (tfm_pipeline_open("sentence-embedding", model, &opts, &pipe) != TFM_OK ||
        tfm_pipeline_run(pipe, &input, 1, 0, NULL, &result) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        tfm_pipeline_free(pipe);
        return 1;
    }
    printf("dimension: %zu\n", tfm_json_len(result));
    json = tfm_json_write(result, NULL); /* the JSON Python's pipeline returns */
    printf("%s\n", json);
    tfm_free(json);
    tfm_json_free(result);
    tfm_pipeline_free(pipe);
    return 0;
}
