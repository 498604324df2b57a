/* libFuzzer harness for the image decoders and the image processor behind them.

     clang -fsanitize=fuzzer,address,undefined -DTFM_LIBFUZZER tests/fuzz_image.c -lm -lpthread
     clang ... -DFUZZ_IMAGE_JPEG tests/fuzz_image.c ...      (the JPEG decoder)
     (or: make fuzz-images, FUZZ_SECONDS each, both at once)

   Default build: the PNG, BMP and PPM/PGM decoders, the EXIF parser and base64 on every input;
   -DFUZZ_IMAGE_JPEG: the JPEG decoder and the orientation transform. Whatever decodes then goes
   through a CLIP-like processor (shortest edge, bicubic, center crop with padding), so odd sizes
   reach the resize too. Without TFM_LIBFUZZER a small main() runs each file given on the command
   line once (a crash reproducer, or the smoke run over the fixture images in make test). */
#define _GNU_SOURCE
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_PIXELS ((int64_t)1 << 20)

/* A decoder either fills the whole image or fails with a message and keeps nothing. */
static void fuzz_image_check(tfm_status st, tfm__img *img, int orientation) {
    volatile unsigned sink = 0;
    if (st != TFM_OK) {
        if (!tfm_last_error()[0] || img->data) abort();
        return;
    }
    if (img->width < 1 || img->height < 1 || img->channels < 1 || img->channels > 4 || !img->data ||
        (int64_t)img->width * img->height > FUZZ_MAX_PIXELS)
        abort();
    if (orientation > 1 && tfm__img_apply_orientation(img, orientation) != TFM_OK) {
        TFM_FREE(img->data);
        return;
    }
    {
        size_t bytes = (size_t)img->width * (size_t)img->height * (size_t)img->channels;
        tfm_image_processor proc;
        tfm_image in;
        float *pv = NULL;
        int64_t h = 0, w = 0;
        sink += img->data[0] + img->data[bytes - 1];
        memset(&proc, 0, sizeof proc);
        proc.kind = TFM__IP_CLIP;
        proc.do_resize = proc.do_center_crop = proc.do_rescale = proc.do_normalize = 1;
        proc.shortest_edge = 24;
        proc.crop_h = 20;
        proc.crop_w = 28;
        proc.resample = (int)(bytes % 4); /* nearest, lanczos (bicubic), bilinear, bicubic */
        proc.rescale_factor = 1.0 / 255.0;
        proc.mean[0] = proc.mean[1] = proc.mean[2] = 0.5f;
        proc.std[0] = proc.std[1] = proc.std[2] = 0.5f;
        in.width = img->width;
        in.height = img->height;
        in.channels = img->channels;
        in.data = img->data;
        if (tfm_image_processor_run(&proc, &in, 1, &pv, &h, &w) == TFM_OK) {
            if (h != 20 || w != 28) abort();
            sink += pv[0] != pv[0];
            tfm_free(pv);
        } else if ((int64_t)img->width * 24 / (img->height > 0 ? img->height : 1) < 65536 &&
                   (int64_t)img->height * 24 / (img->width > 0 ? img->width : 1) < 65536) {
            abort(); /* only absurd aspect ratios may be refused */
        }
    }
    (void)sink;
    TFM_FREE(img->data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tfm__img img;
    int orientation = 1;
    memset(&img, 0, sizeof img);
    tfm_clear_error();
#ifdef FUZZ_IMAGE_JPEG
    fuzz_image_check(tfm__jpeg_decode(data, size, FUZZ_MAX_PIXELS, &img, &orientation), &img, orientation);
#else
    {
        uint8_t *b64 = NULL;
        size_t n = 0;
        fuzz_image_check(tfm__png_decode(data, size, FUZZ_MAX_PIXELS, &img, &orientation), &img, orientation);
        tfm_clear_error();
        fuzz_image_check(tfm__bmp_decode(data, size, FUZZ_MAX_PIXELS, &img), &img, 1);
        tfm_clear_error();
        fuzz_image_check(tfm__pnm_decode(data, size, FUZZ_MAX_PIXELS, &img), &img, 1);
        orientation = tfm__exif_orientation(data, size);
        if (orientation < 1 || orientation > 8) abort();
        if (tfm__base64_decode((const char *)data, size, &b64, &n) == TFM_OK) TFM_FREE(b64);
    }
#endif
    if (orientation < 1 || orientation > 8) abort();
    return 0;
}

#include "fuzz_main.h"
