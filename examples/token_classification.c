/* token_classification - named entities in a text (pipeline "ner")

   Build and run (from the repository root):
       cc -O2 -o build/token_classification examples/token_classification.c -lm -lpthread
       build/token_classification MODEL_DIR "My name is Wolfgang and I live in Berlin."

   MODEL_DIR is a *ForTokenClassification folder, e.g. dslim/bert-base-NER. Words are grouped into
   entities with aggregation_strategy "simple"; start/end are character offsets into the text. */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "tests/fixtures/text/bert-tokcls";
    tfm_pipeline_input input = {NULL, NULL};
    input.text = argc > 2 ? argv[2] : "My name is Wolfgang and I live in Berlin.";
    tfm_pipeline_options opts;
    tfm_pipeline *pipe = NULL;
    tfm_json *result = NULL;
    char *json;

    memset(&opts, 0, sizeof opts); /* zero means Python's defaults */
    opts.aggregation_strategy = "simple";
    if (tfm_pipeline_open("token-classification", model, &opts, &pipe) != TFM_OK ||
        tfm_pipeline_run(pipe, &input, 1, 0, NULL, &result) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        tfm_pipeline_free(pipe);
        return 1;
    }
    {
        size_t i;
        for (i = 0; i < tfm_json_len(result); i++) {
            const tfm_json *e = tfm_json_at(result, i);
            printf("%-6s %-20s [%lld, %lld)\n", tfm_json_str(tfm_json_get(e, "entity_group")),
                   tfm_json_str(tfm_json_get(e, "word")), (long long)tfm_json_int(tfm_json_get(e, "start"), 0),
                   (long long)tfm_json_int(tfm_json_get(e, "end"), 0));
        }
    }
    json = tfm_json_write(result, NULL); /* the JSON Python's pipeline returns */
    printf("%s\n", json);
    tfm_free(json);
    tfm_json_free(result);
    tfm_pipeline_free(pipe);
    return 0;
}
