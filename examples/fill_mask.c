/* fill_mask - the most likely words for a [MASK] (pipeline "fill-mask")

   Build and run (from the repository root):
       cc -O2 -o build/fill_mask examples/fill_mask.c -lm -lpthread
       build/fill_mask MODEL_DIR "Paris is the [MASK] of France."

   MODEL_DIR is a *ForMaskedLM folder, e.g. bert-base-uncased (mask token [MASK]) or roberta-base
   (<mask>). Prints the top 5 candidates with their scores and the completed sentences. */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "tests/fixtures/text/bert-mlm";
    tfm_pipeline_input input = {NULL, NULL};
    input.text = argc > 2 ? argv[2] : "Paris is the [MASK] of France.";
    tfm_pipeline_options opts;
    tfm_pipeline *pipe = NULL;
    tfm_json *result = NULL;
    char *json;

    memset(&opts, 0, sizeof opts); /* zero means Python's defaults */
    opts.top_k = 5;
    if (tfm_pipeline_open("fill-mask", model, &opts, &pipe) != TFM_OK ||
        tfm_pipeline_run(pipe, &input, 1, 0, NULL, &result) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        tfm_pipeline_free(pipe);
        return 1;
    }
    printf("best: %s\n", tfm_json_str(tfm_json_get(tfm_json_at(result, 0), "sequence")));
    json = tfm_json_write(result, NULL); /* the JSON Python's pipeline returns */
    printf("%s\n", json);
    tfm_free(json);
    tfm_json_free(result);
    tfm_pipeline_free(pipe);
    return 0;
}
