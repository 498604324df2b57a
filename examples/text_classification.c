/* text_classification - sentiment / topic classification of a text (pipeline "text-classification")

   Build and run (from the repository root):
       cc -O2 -o build/text_classification examples/text_classification.c -lm -lpthread
       build/text_classification MODEL_DIR "I love this movie!"

   MODEL_DIR is a Hub folder of a *ForSequenceClassification model, e.g. distilbert-base-uncased-finetuned-sst-2-english.
   Prints [{"label": ..., "score": ...}] like Python's pipeline("text-classification"). */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "tests/fixtures/text/bert-seqcls";
    tfm_pipeline_input input = {NULL, NULL};
    input.text = argc > 2 ? argv[2] : "I love this movie!";
    tfm_pipeline_options opts;
    tfm_pipeline *pipe = NULL;
    tfm_json *result = NULL;
    char *json;

    memset(&opts, 0, sizeof opts); /* zero means Python's defaults */
    opts.top_k = 0; /* 0: best label only (legacy default); TFM_TOP_K_ALL: every label, sorted */
    if (tfm_pipeline_open("text-classification", model, &opts, &pipe) != TFM_OK ||
        tfm_pipeline_run(pipe, &input, 1, 0, NULL, &result) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        tfm_pipeline_free(pipe);
        return 1;
    }
    /* results are a JSON document: read fields with the accessors */
    printf("best label: %s (%.4f)\n", tfm_json_str(tfm_json_get(tfm_json_at(result, 0), "label")),
           tfm_json_num(tfm_json_get(tfm_json_at(result, 0), "score"), 0));
    json = tfm_json_write(result, NULL); /* the JSON Python's pipeline returns */
    printf("%s\n", json);
    tfm_free(json);
    tfm_json_free(result);
    tfm_pipeline_free(pipe);
    return 0;
}
