/* classify_image - image classification of a picture file (pipeline "image-classification")

   Build and run (from the repository root):
       cc -O2 -o build/classify_image examples/classify_image.c -lm -lpthread
       build/classify_image MODEL_DIR cat.jpg

   MODEL_DIR is a Hub folder of an image classifier (config.json, model.safetensors,
   preprocessor_config.json), e.g. google/vit-base-patch16-224. The image may be a PNG, JPEG, BMP or
   PPM/PGM file, a data URI or a base64 string. Prints [{"label": ..., "score": ...}] like Python's
   pipeline("image-classification"), then the same answer from pixels a program already holds. */
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "tests/fixtures/vision/vit-cls";
    tfm_pipeline_input input;
    tfm_pipeline_options opts;
    tfm_pipeline *pipe = NULL;
    tfm_json *result = NULL;
    tfm_image pixels;
    char *json;

    memset(&input, 0, sizeof input);
    input.text = argc > 2 ? argv[2] : "tests/fixtures/vision/images/rgb8.png";
    memset(&opts, 0, sizeof opts); /* zero means Python's defaults: top_k 5, softmax or sigmoid */
    opts.top_k = 3;
    if (tfm_pipeline_open("image-classification", model, &opts, &pipe) != TFM_OK ||
        tfm_pipeline_run(pipe, &input, 1, 0, NULL, &result) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        tfm_pipeline_free(pipe);
        return 1;
    }
    json = tfm_json_write(result, NULL);
    printf("%s\n", json);
    tfm_free(json);
    tfm_json_free(result);

    /* A game engine hands over its own pixels (RGB, RGBA or gray, 8-bit, rows top to bottom);
       here they come from the decoder, which applies the EXIF orientation as Pillow does. */
    if (tfm_image_load(input.text, &pixels) != TFM_OK) {
        fprintf(stderr, "error: %s\n", tfm_last_error());
        tfm_pipeline_free(pipe);
        return 1;
    }
    memset(&input, 0, sizeof input);
    input.image = &pixels;
    if (tfm_pipeline_run(pipe, &input, 1, 0, NULL, &result) == TFM_OK) {
        printf("from %dx%d pixels, %d channels: %s (%.4f)\n", pixels.width, pixels.height, pixels.channels,
               tfm_json_str(tfm_json_get(tfm_json_at(result, 0), "label")),
               tfm_json_num(tfm_json_get(tfm_json_at(result, 0), "score"), 0));
        tfm_json_free(result);
    }
    tfm_image_free(&pixels);
    tfm_pipeline_free(pipe);
    return 0;
}
