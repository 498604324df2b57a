/* zero_shot - classify a text into labels chosen at run time (pipeline "zero-shot-classification")

   Build and run (from the repository root):
       cc -O2 -o build/zero_shot examples/zero_shot.c -lm -lpthread
       build/zero_shot MODEL_DIR "The match went to extra time." sports,politics,cooking

   MODEL_DIR is an NLI model folder (entailment label in config.json), e.g.
   MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli or roberta-large-mnli. */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "tests/fixtures/text/roberta-nli";
    tfm_pipeline_input input = {NULL, NULL};
    const char *labels[3] = {"sports", "politics", "cooking"};
    input.text = argc > 2 ? argv[2] : "The match went to extra time.";
    tfm_pipeline_options opts;
    tfm_pipeline *pipe = NULL;
    tfm_json *result = NULL;
    char *json;

    memset(&opts, 0, sizeof opts); /* zero means Python's defaults */
    opts.candidate_labels = labels;
    opts.n_candidate_labels = 3;
    opts.hypothesis_template = "This example is {}.";
    if (tfm_pipeline_open("zero-shot-classification", model, &opts, &pipe) != TFM_OK ||
        tfm_pipeline_run(pipe, &input, 1, 0, NULL, &result) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        tfm_pipeline_free(pipe);
        return 1;
    }
    printf("top label: %s\n", tfm_json_str(tfm_json_at(tfm_json_get(result, "labels"), 0)));
    json = tfm_json_write(result, NULL); /* the JSON Python's pipeline returns */
    printf("%s\n", json);
    tfm_free(json);
    tfm_json_free(result);
    tfm_pipeline_free(pipe);
    return 0;
}
