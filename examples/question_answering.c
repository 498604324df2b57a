/* question_answering - extractive question answering (pipeline "question-answering")

   Build and run (from the repository root):
       cc -O2 -o build/question_answering examples/question_answering.c -lm -lpthread
       build/question_answering MODEL_DIR "Where do I live?" "My name is Sarah and I live in London."

   MODEL_DIR is a *ForQuestionAnswering folder, e.g. distilbert-base-cased-distilled-squad. Long
   contexts are split into overlapping windows (doc_stride) as the reference pipeline does. */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "tests/fixtures/text/bert-qa";
    tfm_pipeline_input input = {NULL, NULL};
    input.text = argc > 2 ? argv[2] : "Where do I live?";                          /* question */
    input.text_pair = argc > 3 ? argv[3] : "My name is Sarah and I live in London."; /* context */
    tfm_pipeline_options opts;
    tfm_pipeline *pipe = NULL;
    tfm_json *result = NULL;
    char *json;

    memset(&opts, 0, sizeof opts); /* zero means Python's defaults */
    opts.max_answer_len = 15;
    if (tfm_pipeline_open("question-answering", model, &opts, &pipe) != TFM_OK ||
        tfm_pipeline_run(pipe, &input, 1, 0, NULL, &result) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        tfm_pipeline_free(pipe);
        return 1;
    }
    printf("answer: %s\n", tfm_json_str(tfm_json_get(result, "answer")));
    json = tfm_json_write(result, NULL); /* the JSON Python's pipeline returns */
    printf("%s\n", json);
    tfm_free(json);
    tfm_json_free(result);
    tfm_pipeline_free(pipe);
    return 0;
}
