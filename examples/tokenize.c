/* tokenize - encode a text with a Hugging Face tokenizer.json and decode it back.

   Build and run (from the repository root):
       cc -O2 -o build/tokenize examples/tokenize.c -lm -lpthread
       build/tokenize tests/fixtures/tokenizers/bert-base-uncased "Hello, world!"

   MODEL is a folder with tokenizer.json (or vocab.txt, or vocab.json + merges.txt) or the
   tokenizer.json itself. Prints each token with its id and its character span in the text. */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "tests/fixtures/tokenizers/bert-base-uncased";
    const char *text = argc > 2 ? argv[2] : "Hello, world! Tokenizers in one C header.";
    tfm_tokenizer *tok = NULL;
    tfm_encoding enc;
    char *decoded = NULL;
    int64_t i;

    if (tfm_tokenizer_load(model, &tok) != TFM_OK ||
        tfm_tokenizer_encode(tok, text, strlen(text), NULL, 0, NULL, &enc) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        tfm_tokenizer_free(tok);
        return 1;
    }
    for (i = 0; i < enc.length; i++)
        printf("%6d  %-16s [%lld, %lld)\n", enc.ids[i], enc.tokens[i], (long long)enc.offsets[2 * i],
               (long long)enc.offsets[2 * i + 1]);
    if (tfm_tokenizer_decode(tok, enc.ids, enc.length, 1, &decoded, NULL) == TFM_OK) printf("decoded: %s\n", decoded);
    tfm_free(decoded);
    tfm_encoding_free(&enc);
    tfm_tokenizer_free(tok);
    return 0;
}
