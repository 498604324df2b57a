/* tfm bench vision - image classification (ViT-base by default): decode + preprocess throughput
   on one thread, forward latency of tfm_model_forward_image at batch 1 and B on N threads, and the
   image-classification pipeline end to end; peak RSS against the weight bytes. Included by
   tools/tfm.c after the transformers.h implementation and bench_gemm.c (no main here).

     tfm bench vision [--model DIR] [--make-random DIR] [--images DIR] [--threads N] [--reps R]
                      [--batch B] [--json]

   Without --model a ViT-base-shaped ViTForImageClassification with random weights (f32, fixed
   seed, std 0.02; 1000 labels) is written to a temporary folder (kept with --make-random DIR) as
   HF saves it: config.json, model.safetensors, preprocessor_config.json (ViTImageProcessor
   defaults). It is generated in a child process so that the generator's buffers stay out of the
   peak RSS. Images: the *.jpg, *.jpeg, *.png (and *.ppm) files of --images DIR in name order
   (tools/bench_vision.sh makes 16 JPEGs 640x480 and 16 PNGs 500x375 with Pillow); without it,
   16 synthetic 640x480 PPMs (a fallback only: JPEG and PNG decoding then go unmeasured).

   Forward inputs are the processed pixels of the first B images of the first format present
   (JPEG, else PNG, else PPM), cycled if fewer; batch 1 is image 0. Times are medians of R runs
   after 2 warm-ups (1 for batch B; 1 warm-up pass for decode + preprocess and the pipeline).
   "check" in the JSON is logits[0, 0:4] of image 0 at batch 1 (last_hidden_state[0, 0, 0:4] for
   a model without a classification head) and "pixels_check" the sum of image 0's pixel_values,
   to compare with tools/bench_vision_baseline.py; "check_fixed"
   the same outputs for fixed pixels ((i * 7919 + 101) % 256 / 127.5 - 1 over the flat [1, 3, H, W]
   index), which compare the forward alone.
   FLOPs per image: 2 * (encoder linear weights) * S + 4 * S * S * hidden * layers (QK^T and PV)
   + patch embedding + classifier, S = (image / patch)^2 + 1. */
#if !defined(_WIN32)
#include <dirent.h>
#endif
#include "bench_common.c"




/* ---- random ViT-base folder ------------------------------------------------------------------- */

typedef struct tfm__bv_cfg {
    int64_t hidden, layers, heads, inter, image, patch, channels, labels;
} tfm__bv_cfg;

static const tfm__bv_cfg tfm__bv_vit_base = {768, 12, 12, 3072, 224, 16, 3, 1000};




/* f32 tensor of up to 4 dims (unused dims 0). kind 0: N(0, 0.02); 1: 1 + N(0, 0.02) (LayerNorm
   weight); 2: N(0, 0.02) * 0.1 (biases) */

static int tfm__bv_write_random(const char *dir, const tfm__bv_cfg *c) {
    tfm__bench_gen g;
    char name[160];
    FILE *f;
    int64_t l, i, grid = c->image / c->patch, H = c->hidden;
    int ok;
    static const char *const lin[6] = {"attention.attention.query", "attention.attention.key",
                                       "attention.attention.value", "attention.output.dense", "intermediate.dense",
                                       "output.dense"};
    memset(&g, 0, sizeof g);
    g.seed = 0x5EEDB175ull;
    tfm__bench_add(&g, "vit.embeddings.cls_token", 0, 1, 1, H, 0);
    tfm__bench_add(&g, "vit.embeddings.position_embeddings", 0, 1, grid * grid + 1, H, 0);
    tfm__bench_add(&g, "vit.embeddings.patch_embeddings.projection.weight", 0, H, c->channels, c->patch, c->patch);
    tfm__bench_add(&g, "vit.embeddings.patch_embeddings.projection.bias", 2, H, 0, 0, 0);
    for (l = 0; l < c->layers; l++) {
        for (i = 0; i < 6; i++) {
            int64_t out = i == 4 ? c->inter : H, in = i == 5 ? c->inter : H;
            snprintf(name, sizeof name, "vit.encoder.layer.%lld.%s.weight", (long long)l, lin[i]);
            tfm__bench_add(&g, name, 0, out, in, 0, 0);
            snprintf(name, sizeof name, "vit.encoder.layer.%lld.%s.bias", (long long)l, lin[i]);
            tfm__bench_add(&g, name, 2, out, 0, 0, 0);
        }
        snprintf(name, sizeof name, "vit.encoder.layer.%lld.layernorm_before.weight", (long long)l);
        tfm__bench_add(&g, name, 1, H, 0, 0, 0);
        snprintf(name, sizeof name, "vit.encoder.layer.%lld.layernorm_before.bias", (long long)l);
        tfm__bench_add(&g, name, 2, H, 0, 0, 0);
        snprintf(name, sizeof name, "vit.encoder.layer.%lld.layernorm_after.weight", (long long)l);
        tfm__bench_add(&g, name, 1, H, 0, 0, 0);
        snprintf(name, sizeof name, "vit.encoder.layer.%lld.layernorm_after.bias", (long long)l);
        tfm__bench_add(&g, name, 2, H, 0, 0, 0);
    }
    tfm__bench_add(&g, "vit.layernorm.weight", 1, H, 0, 0, 0);
    tfm__bench_add(&g, "vit.layernorm.bias", 2, H, 0, 0, 0);
    tfm__bench_add(&g, "classifier.weight", 0, c->labels, H, 0, 0);
    tfm__bench_add(&g, "classifier.bias", 2, c->labels, 0, 0, 0);
    ok = tfm__bench_gen_write(&g, dir, "tfm bench vision");
    if (!ok) return 0;
    if (!(f = tfm__bench_create(dir, "config.json", "tfm bench vision"))) return 0;
    fprintf(f,
            "{\n  \"architectures\": [\"ViTForImageClassification\"],\n  \"attention_probs_dropout_prob\": 0.0,\n"
            "  \"encoder_stride\": %lld,\n  \"hidden_act\": \"gelu\",\n  \"hidden_dropout_prob\": 0.0,\n"
            "  \"hidden_size\": %lld,\n  \"id2label\": {",
            (long long)c->patch, (long long)H);
    for (i = 0; i < c->labels; i++) fprintf(f, "%s\n    \"%lld\": \"LABEL_%lld\"", i ? "," : "", (long long)i, (long long)i);
    fprintf(f,
            "\n  },\n  \"image_size\": %lld,\n  \"initializer_range\": 0.02,\n  \"intermediate_size\": %lld,\n"
            "  \"label2id\": {",
            (long long)c->image, (long long)c->inter);
    for (i = 0; i < c->labels; i++) fprintf(f, "%s\n    \"LABEL_%lld\": %lld", i ? "," : "", (long long)i, (long long)i);
    fprintf(f,
            "\n  },\n  \"layer_norm_eps\": 1e-12,\n  \"model_type\": \"vit\",\n  \"num_attention_heads\": %lld,\n"
            "  \"num_channels\": %lld,\n  \"num_hidden_layers\": %lld,\n  \"patch_size\": %lld,\n"
            "  \"qkv_bias\": true,\n  \"torch_dtype\": \"float32\"\n}\n",
            (long long)c->heads, (long long)c->channels, (long long)c->layers, (long long)c->patch);
    if (fclose(f) != 0) return 0;
    if (!(f = tfm__bench_create(dir, "preprocessor_config.json", "tfm bench vision"))) return 0;
    fprintf(f,
            "{\n  \"do_normalize\": true,\n  \"do_rescale\": true,\n  \"do_resize\": true,\n"
            "  \"image_mean\": [0.5, 0.5, 0.5],\n  \"image_processor_type\": \"ViTImageProcessor\",\n"
            "  \"image_std\": [0.5, 0.5, 0.5],\n  \"resample\": 2,\n  \"rescale_factor\": 0.00392156862745098,\n"
            "  \"size\": {\"height\": %lld, \"width\": %lld}\n}\n",
            (long long)c->image, (long long)c->image);
    return fclose(f) == 0;
}

/* Generates in a child process (its buffers stay out of this process's ru_maxrss). */
typedef struct tfm__bv_job {
    const char *dir;
} tfm__bv_job;
static int tfm__bv_write_job(const void *arg) {
    const tfm__bv_job *j = (const tfm__bv_job *)arg;
    return tfm__bv_write_random(j->dir, &tfm__bv_vit_base);
}
static int tfm__bv_make_random(const char *dir) {
    tfm__bv_job j;
    j.dir = dir;
    return tfm__bench_in_child(tfm__bv_write_job, &j);
}

/* ---- test images ------------------------------------------------------------------------------ */

enum { TFM__BV_JPEG, TFM__BV_PNG, TFM__BV_PPM, TFM__BV_NFMT };
static const char *const tfm__bv_fmt_name[TFM__BV_NFMT] = {"jpeg", "png", "ppm"};

typedef struct tfm__bv_images {
    char **paths[TFM__BV_NFMT]; /* per format, in name order */
    int n[TFM__BV_NFMT];
} tfm__bv_images;

static int tfm__bv_ext_is(const char *name, const char *ext) {
    size_t n = strlen(name), e = strlen(ext), i;
    if (n <= e || name[n - e - 1] != '.') return 0;
    for (i = 0; i < e; i++) {
        char ch = name[n - e + i];
        if ((ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) != ext[i]) return 0;
    }
    return 1;
}

static int tfm__bv_cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void tfm__bv_images_free(tfm__bv_images *im) {
    int k, i;
    for (k = 0; k < TFM__BV_NFMT; k++) {
        for (i = 0; i < im->n[k]; i++) free(im->paths[k][i]);
        free(im->paths[k]);
    }
    memset(im, 0, sizeof *im);
}

/* The images of dir (not recursive) by format. */
static int tfm__bv_list_images(const char *dir, tfm__bv_images *im) {
#if !defined(_WIN32)
    DIR *d = opendir(dir);
    struct dirent *e;
    int cap[TFM__BV_NFMT] = {0, 0, 0}, k;
    memset(im, 0, sizeof *im);
    if (!d) return 0;
    while ((e = readdir(d)) != NULL) {
        size_t len;
        char *p;
        k = tfm__bv_ext_is(e->d_name, "jpg") || tfm__bv_ext_is(e->d_name, "jpeg") ? TFM__BV_JPEG
            : tfm__bv_ext_is(e->d_name, "png")                                      ? TFM__BV_PNG
            : tfm__bv_ext_is(e->d_name, "ppm")                                      ? TFM__BV_PPM
                                                                                    : -1;
        if (k < 0) continue;
        if (im->n[k] == cap[k]) {
            char **np = (char **)realloc(im->paths[k], (size_t)(cap[k] ? cap[k] * 2 : 32) * sizeof(char *));
            if (!np) break;
            im->paths[k] = np;
            cap[k] = cap[k] ? cap[k] * 2 : 32;
        }
        len = strlen(dir) + strlen(e->d_name) + 2;
        if (!(p = (char *)malloc(len))) break;
        snprintf(p, len, "%s/%s", dir, e->d_name);
        im->paths[k][im->n[k]++] = p;
    }
    closedir(d);
    for (k = 0; k < TFM__BV_NFMT; k++)
        if (im->n[k]) qsort(im->paths[k], (size_t)im->n[k], sizeof(char *), tfm__bv_cmp_str);
    return im->n[0] + im->n[1] + im->n[2] > 0;
#else
    (void)dir;
    memset(im, 0, sizeof *im);
    return 0;
#endif
}

/* Fallback images: gradients, a few rectangles and noise, as binary PPMs. */
static int tfm__bv_write_ppms(const char *dir, int n, int w, int h) {
    uint8_t *px = (uint8_t *)malloc((size_t)w * (size_t)h * 3);
    uint64_t s = 0xC0FFEEull;
    int i, x, y, c, r;
    if (!px) return 0;
    for (i = 0; i < n; i++) {
        char path[4200];
        FILE *f;
        for (y = 0; y < h; y++)
            for (x = 0; x < w; x++)
                for (c = 0; c < 3; c++) {
                    int v = (x * (c + 1) * 255 / w + y * (3 - c) * 255 / h + i * 37) / 2;
                    v += (int)(tfm__bench_rng_next(&s) % 17) - 8;
                    px[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
                }
        for (r = 0; r < 6; r++) {
            int x0 = (int)(tfm__bench_rng_next(&s) % (uint64_t)w), y0 = (int)(tfm__bench_rng_next(&s) % (uint64_t)h);
            int x1 = x0 + w / 8, y1 = y0 + h / 8;
            uint8_t col[3];
            for (c = 0; c < 3; c++) col[c] = (uint8_t)tfm__bench_rng_next(&s);
            for (y = y0; y < y1 && y < h; y++)
                for (x = x0; x < x1 && x < w; x++) memcpy(px + ((size_t)y * (size_t)w + (size_t)x) * 3, col, 3);
        }
        snprintf(path, sizeof path, "%s/synthetic_%02d.ppm", dir, i);
        if (!(f = fopen(path, "wb"))) break;
        fprintf(f, "P6\n%d %d\n255\n", w, h);
        if (fwrite(px, 1, (size_t)w * (size_t)h * 3, f) != (size_t)w * (size_t)h * 3) i = n + 1;
        if (fclose(f) != 0 || i > n) break;
    }
    free(px);
    return i == n;
}

/* ---- measurement ------------------------------------------------------------------------------ */



typedef struct tfm__bv_prep {
    int fmt, n, width, height;
    double images_per_s, decode_ms, preprocess_ms; /* ms: per image */
} tfm__bv_prep;

/* Decode + preprocess every image of one format, one at a time on this thread: 1 warm-up pass,
   then the medians of `reps` passes. */
static int tfm__bv_time_prep(const tfm_image_processor *proc, char **paths, int n, int reps, tfm__bv_prep *r) {
    double *dec = (double *)malloc((size_t)reps * 3 * sizeof(double)), *pre, *tot;
    int rep, i;
    if (!dec) return 0;
    pre = dec + reps;
    tot = pre + reps;
    for (rep = -1; rep < reps; rep++) {
        double td = 0, tp = 0;
        for (i = 0; i < n; i++) {
            tfm_image img;
            float *pv = NULL;
            int64_t h, w;
            double t0 = tfm__bench_now(), t1, t2;
            if (tfm_image_load(paths[i], &img) != TFM_OK) {
                fprintf(stderr, "tfm bench vision: %s: %s\n", paths[i], tfm_last_error());
                free(dec);
                return 0;
            }
            t1 = tfm__bench_now();
            if (tfm_image_processor_run(proc, &img, 1, &pv, &h, &w) != TFM_OK) {
                fprintf(stderr, "tfm bench vision: preprocessing %s: %s\n", paths[i], tfm_last_error());
                tfm_image_free(&img);
                free(dec);
                return 0;
            }
            t2 = tfm__bench_now();
            if (i == 0) {
                r->width = img.width;
                r->height = img.height;
            }
            tfm_free(pv);
            tfm_image_free(&img);
            td += t1 - t0;
            tp += t2 - t1;
        }
        if (rep >= 0) {
            dec[rep] = td;
            pre[rep] = tp;
            tot[rep] = td + tp;
        }
    }
    r->n = n;
    r->images_per_s = (double)n / tfm__bench_median(tot, reps);
    r->decode_ms = tfm__bench_median(dec, reps) * 1e3 / n;
    r->preprocess_ms = tfm__bench_median(pre, reps) * 1e3 / n;
    free(dec);
    return 1;
}

/* median seconds of `reps` forwards after `warm` warm-ups; < 0 on failure. check: the first 4
   logits (or hidden values) of image 0. */
static double tfm__bv_time_forward(const tfm_model *m, const tfm_ctx *ctx, const float *pv, int64_t batch, int64_t h,
                                   int64_t w, int warm, int reps, float check[4], int *check_is_logits) {
    double *t = (double *)malloc((size_t)reps * sizeof(double)), med;
    int r;
    if (!t) return -1;
    for (r = -warm; r < reps; r++) {
        tfm_model_output out;
        double t0 = tfm__bench_now();
        if (tfm_model_forward_image(m, ctx, pv, batch, h, w, &out) != TFM_OK) {
            fprintf(stderr, "tfm bench vision: forward failed: %s\n", tfm_last_error());
            free(t);
            return -1;
        }
        if (r >= 0) t[r] = tfm__bench_now() - t0;
        if (check) {
            const float *src = out.logits && out.n_logits >= 4 ? out.logits : out.hidden_states;
            *check_is_logits = src == out.logits;
            if (src) memcpy(check, src, 4 * sizeof(float));
        }
        tfm_model_output_free(&out);
    }
    med = tfm__bench_median(t, reps);
    free(t);
    return med;
}

static const char tfm__bv_usage[] =
    "usage: tfm bench vision [--model DIR] [--make-random DIR] [--images DIR] [--threads N] [--reps R]\n"
    "                        [--batch B] [--json]\n"
    "  Image classification: decode + preprocess throughput per format on 1 thread (tfm_image_load +\n"
    "  tfm_image_processor_run), forward latency at batch 1 and B (default 16) on N threads (default:\n"
    "  TFM_NUM_THREADS, else every core), and the image-classification pipeline end to end over the\n"
    "  JPEGs at batch_size 1; medians of R (default 10). Images: *.jpg/*.png of --images DIR (default:\n"
    "  16 synthetic PPMs). Without --model a random ViT-base classifier is written to a temporary\n"
    "  folder, or to --make-random DIR and kept. Reports GFLOP/s, % of the FMA peak, peak RSS.\n";

static int tfm_cli_bench_vision(int argc, char **argv) {
    const char *model_dir = NULL, *keep_dir = NULL, *img_opt = NULL, *td = getenv("TMPDIR");
    char tmp_dir[4096] = "", img_tmp[4096] = "", dir[4096];
    int threads = 0, reps = 10, json = 0, i, k, rc = 0, n_prep = 0, main_fmt = -1, n_main, have_check = 0;
    int check_is_logits = 0, n_res = 0;
    int64_t batch = 16, hidden, layers, inter, heads, img_size, patch, channels, labels, S, grid, linear_params;
    int64_t ph = 0, pw = 0, batches[2];
    tfm_model *m = NULL;
    tfm_weights *w = NULL;
    tfm_image_processor *proc = NULL;
    tfm_pool *pool = NULL;
    tfm__bv_images im;
    tfm__bv_prep prep[TFM__BV_NFMT];
    tfm_image *imgs = NULL;
    float *pv = NULL, check[4] = {0, 0, 0, 0}, check_fixed[4] = {0, 0, 0, 0};
    double peak = 0, weight_bytes = 0, t_load = 0, rss_load = 0, rss_peak, flops_img = 0, pixels_sum = 0;
    double res_ms[2] = {0, 0}, pipe_s = 0;
    const char *pipe_top = NULL;
    double pipe_score = 0;
    char *pipe_label = NULL;
    int n_pipe = 0;
    tfm_isa isa = tfm_isa_best();

    memset(&im, 0, sizeof im);
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--model") == 0 && i + 1 < argc) model_dir = argv[++i];
        else if (strcmp(a, "--make-random") == 0 && i + 1 < argc) keep_dir = argv[++i];
        else if (strcmp(a, "--images") == 0 && i + 1 < argc) img_opt = argv[++i];
        else if (strcmp(a, "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
        else if (strcmp(a, "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else if (strcmp(a, "--batch") == 0 && i + 1 < argc) batch = atoll(argv[++i]);
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(tfm__bv_usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "tfm bench vision: unknown argument '%s'\n%s", a, tfm__bv_usage);
            return 2;
        }
    }
    if (model_dir && keep_dir) {
        fprintf(stderr, "tfm bench vision: --make-random applies to the generated model, not --model\n");
        return 2;
    }
    if (reps < 1) reps = 1;
    if (batch < 1) batch = 16;
    batches[0] = 1;
    batches[1] = batch;
    if (!td || !*td) td = "/tmp";

    /* the images */
    if (img_opt) {
        if (!tfm__bv_list_images(img_opt, &im)) {
            fprintf(stderr, "tfm bench vision: no .jpg, .jpeg, .png or .ppm files in %s\n", img_opt);
            return 2;
        }
    } else {
        snprintf(img_tmp, sizeof img_tmp, "%s/tfm-bench-images-XXXXXX", td);
        if (!mkdtemp(img_tmp)) {
            fprintf(stderr, "tfm bench vision: cannot create a temporary folder in %s\n", td);
            img_tmp[0] = 0;
            return 1;
        }
        if (!json) fprintf(stderr, "tfm bench vision: no --images; writing 16 synthetic PPMs to %s\n", img_tmp);
        if (!tfm__bv_write_ppms(img_tmp, 16, 640, 480) || !tfm__bv_list_images(img_tmp, &im)) {
            fprintf(stderr, "tfm bench vision: cannot write the images\n");
            rc = 1;
            goto done;
        }
    }
    for (k = 0; k < TFM__BV_NFMT && main_fmt < 0; k++)
        if (im.n[k]) main_fmt = k;
    n_main = im.n[main_fmt];

    /* the model folder */
    if (model_dir) {
        snprintf(dir, sizeof dir, "%s", model_dir);
    } else {
        if (!tfm__bench_scratch_dir(keep_dir, "vision", tmp_dir, sizeof tmp_dir, dir, sizeof dir)) {
            rc = 1;
            goto done;
        }
        if (!json) fprintf(stderr, "tfm bench vision: writing a random ViT-base classifier (f32) to %s\n", dir);
        if (!tfm__bv_make_random(dir)) {
            rc = 1;
            goto done;
        }
    }
    if (tfm_image_processor_load(dir, &proc) != TFM_OK) {
        rc = cli_fail("loading the image processor");
        goto done;
    }

    /* (a) decode + preprocess, one thread, before the model is mapped */
    for (k = 0; k < TFM__BV_NFMT; k++) {
        if (!im.n[k]) continue;
        memset(&prep[n_prep], 0, sizeof prep[n_prep]);
        prep[n_prep].fmt = k;
        if (!tfm__bv_time_prep(proc, im.paths[k], im.n[k], reps, &prep[n_prep])) {
            rc = 1;
            goto done;
        }
        n_prep++;
    }

    /* pixels of the forward batch: the first `batch` images of the main format, cycled */
    imgs = (tfm_image *)calloc((size_t)batch, sizeof *imgs);
    if (!imgs) {
        rc = cli_fail("out of memory");
        goto done;
    }
    for (i = 0; i < (int)batch; i++)
        if (tfm_image_load(im.paths[main_fmt][i % n_main], &imgs[i]) != TFM_OK) {
            rc = cli_fail(im.paths[main_fmt][i % n_main]);
            goto done;
        }
    if (tfm_image_processor_run(proc, imgs, batch, &pv, &ph, &pw) != TFM_OK) {
        rc = cli_fail("preprocessing");
        goto done;
    }
    for (i = 0; i < (int)batch; i++) tfm_image_free(&imgs[i]);
    for (i = 0; i < (int)(3 * ph * pw); i++) pixels_sum += pv[i];

    t_load = tfm__bench_now();
    if (tfm_model_load(dir, TFM_HEAD_AUTO, &m) != TFM_OK) {
        rc = cli_fail("loading the model");
        goto done;
    }
    t_load = tfm__bench_now() - t_load;
    rss_load = tfm__bench_rss_bytes();
    {
        const tfm_config *cfg = tfm_model_config(m);
        hidden = tfm_model_hidden_size(m);
        layers = tfm_config_int(cfg, "num_hidden_layers", 12);
        inter = tfm_config_int(cfg, "intermediate_size", 4 * hidden);
        heads = tfm_config_int(cfg, "num_attention_heads", 12);
        img_size = tfm_config_int(cfg, "image_size", 224);
        patch = tfm_config_int(cfg, "patch_size", 16);
        channels = tfm_config_int(cfg, "num_channels", 3);
        labels = tfm_model_head(m) == TFM_HEAD_SEQUENCE_CLASSIFICATION ? tfm_model_num_labels(m) : 0;
    }
    grid = patch > 0 ? img_size / patch : 0;
    S = grid * grid + 1;
    linear_params = layers * (4 * hidden * hidden + 2 * hidden * inter);
    flops_img = 2.0 * (double)linear_params * (double)S + 4.0 * (double)S * (double)S * (double)hidden * (double)layers +
                2.0 * (double)(grid * grid) * (double)(channels * patch * patch) * (double)hidden +
                2.0 * (double)hidden * (double)labels;
    if (tfm_weights_open(dir, &w) == TFM_OK) {
        int64_t j, n = tfm_weights_count(w);
        for (j = 0; j < n; j++) weight_bytes += (double)tfm_weights_info(w, j)->nbytes;
        tfm_weights_close(w);
    }

    /* (b) forward on N threads */
    if (!(pool = tfm_pool_create(threads))) {
        rc = cli_fail("thread pool");
        goto done;
    }
    threads = tfm_pool_threads(pool);
#if defined(TFM_CLI_HAVE_BENCH_GEMM)
    peak = tfm__bench_peak(pool, isa);
#endif
    if (!json) {
        printf("tfm bench vision: %s (%s, %lld layers, hidden %lld, %lld heads, intermediate %lld, image %lld, "
               "patch %lld, %lld labels), kernels %s\n",
               model_dir ? model_dir : "random ViT-base", tfm_model_type(m), (long long)layers, (long long)hidden,
               (long long)heads, (long long)inter, (long long)img_size, (long long)patch, (long long)labels,
               tfm_isa_name(isa));
        printf("weights %.1f MB, loaded in %.1f ms; %.2f GFLOP per image; medians of %d\n", weight_bytes / 1e6,
               t_load * 1e3, flops_img * 1e-9, reps);
        if (peak > 0) printf("FMA peak (%s, f32): %.1f GFLOP/s on %d thread%s\n", tfm_isa_name(isa), peak, threads,
                             threads == 1 ? "" : "s");
        printf("\ndecode + preprocess (1 thread, %s)\n%-6s %5s %10s %10s %11s %10s\n", img_opt ? img_opt : img_tmp,
               "format", "n", "size", "images/s", "decode ms", "prep ms");
        for (k = 0; k < n_prep; k++) {
            char sz[32];
            snprintf(sz, sizeof sz, "%dx%d", prep[k].width, prep[k].height);
            printf("%-6s %5d %10s %10.1f %11.2f %10.2f\n", tfm__bv_fmt_name[prep[k].fmt], prep[k].n, sz,
                   prep[k].images_per_s, prep[k].decode_ms, prep[k].preprocess_ms);
        }
        printf("\nforward (%lldx%lld pixels, %s images)\n%-8s %-8s %10s %10s %9s %10s\n", (long long)ph, (long long)pw,
               tfm__bv_fmt_name[main_fmt], "batch", "threads", "ms", "GFLOP/s", "% peak", "ms/image");
        fflush(stdout);
    }
    for (i = 0; i < (batch == 1 ? 1 : 2); i++) {
        tfm_ctx ctx;
        double t;
        memset(&ctx, 0, sizeof ctx);
        ctx.pool = pool;
        ctx.isa = isa;
        ctx.backend = TFM_BACKEND_CPU;
        t = tfm__bv_time_forward(m, &ctx, pv, batches[i], ph, pw, i == 0 ? 2 : 1, reps, have_check ? NULL : check,
                                 &check_is_logits);
        if (t < 0) {
            rc = 1;
            goto done;
        }
        have_check = 1;
        res_ms[i] = t * 1e3;
        n_res++;
        if (!json) {
            double gf = flops_img * (double)batches[i] / t * 1e-9;
            printf("%-8lld %-8d %10.1f %10.1f ", (long long)batches[i], threads, res_ms[i], gf);
            if (peak > 0) printf("%8.0f%%", 100.0 * gf / peak);
            else printf("%9s", "-");
            printf(" %10.1f\n", res_ms[i] / (double)batches[i]);
            fflush(stdout);
        }
    }
    { /* the forward alone, on pixels both sides make bit for bit */
        tfm_model_output out;
        tfm_ctx ctx;
        float *fx = (float *)malloc((size_t)(3 * ph * pw) * sizeof(float));
        memset(&ctx, 0, sizeof ctx);
        ctx.pool = pool;
        ctx.isa = isa;
        if (!fx) {
            rc = cli_fail("out of memory");
            goto done;
        }
        for (i = 0; i < (int)(3 * ph * pw); i++) fx[i] = (float)(((int64_t)i * 7919 + 101) % 256) / 127.5f - 1.0f;
        if (tfm_model_forward_image(m, &ctx, fx, 1, ph, pw, &out) != TFM_OK) {
            free(fx);
            rc = cli_fail("forward");
            goto done;
        }
        memcpy(check_fixed, out.logits && out.n_logits >= 4 ? out.logits : out.hidden_states, sizeof check_fixed);
        tfm_model_output_free(&out);
        free(fx);
    }
    tfm_pool_free(pool);
    pool = NULL;
    tfm_model_free(m); /* the pipeline maps its own copy */
    m = NULL;

    /* (c) the image-classification pipeline over the main format's images, batch_size 1 */
    {
        tfm_pipeline_options o;
        tfm_pipeline *p = NULL;
        tfm_pipeline_input *in = (tfm_pipeline_input *)calloc((size_t)n_main, sizeof *in);
        double *t = (double *)malloc((size_t)reps * sizeof(double));
        int rep;
        memset(&o, 0, sizeof o);
        o.threads = threads;
        o.batch_size = 1;
        if (!in || !t || tfm_pipeline_open("image-classification", dir, &o, &p) != TFM_OK) {
            free(in);
            free(t);
            rc = cli_fail("image-classification pipeline");
            goto done;
        }
        for (i = 0; i < n_main; i++) in[i].text = im.paths[main_fmt][i];
        for (rep = -1; rep < reps && rc == 0; rep++) {
            tfm_json *res = NULL;
            double t0 = tfm__bench_now();
            if (tfm_pipeline_run(p, in, n_main, 1, NULL, &res) != TFM_OK) {
                rc = cli_fail("image-classification pipeline");
                break;
            }
            if (rep >= 0) t[rep] = tfm__bench_now() - t0;
            if (rep == -1) { /* top-1 of image 0, to compare with the baseline */
                const tfm_json *top = tfm_json_at(tfm_json_at(res, 0), 0);
                pipe_top = tfm_json_str(tfm_json_get(top, "label"));
                pipe_score = tfm_json_num(tfm_json_get(top, "score"), 0);
                if (pipe_top && (pipe_label = (char *)malloc(strlen(pipe_top) + 1)) != NULL) strcpy(pipe_label, pipe_top);
            }
            tfm_json_free(res);
        }
        if (rc == 0) pipe_s = tfm__bench_median(t, reps);
        n_pipe = n_main;
        tfm_pipeline_free(p);
        free(in);
        free(t);
        if (rc) goto done;
    }
    rss_peak = tfm__bench_maxrss_bytes();

    if (json) {
        printf("{\"impl\": \"transformers.h\", \"version\": \"%s\", \"model\": ", tfm_version());
        if (model_dir) print_json_string(stdout, model_dir);
        else printf("\"random-vit-base\"");
        printf(", \"dir\": ");
        print_json_string(stdout, dir);
        printf(", \"images_dir\": ");
        print_json_string(stdout, img_opt ? img_opt : img_tmp);
        printf(", \"model_type\": \"vit\", \"isa\": \"%s\", \"threads\": %d, \"reps\": %d, \"layers\": %lld, "
               "\"hidden\": %lld, \"heads\": %lld, \"intermediate\": %lld, \"image_size\": %lld, \"patch\": %lld, "
               "\"num_labels\": %lld, \"gflop_per_image\": %.4f, \"weight_bytes\": %.0f, \"load_ms\": %.2f, "
               "\"rss_after_load_bytes\": %.0f, \"peak_rss_bytes\": %.0f, \"rss_over_weights\": %.3f, "
               "\"peak_gflops\": {\"%d\": %.2f}, ",
               tfm_isa_name(isa), threads, reps, (long long)layers, (long long)hidden, (long long)heads,
               (long long)inter, (long long)img_size, (long long)patch, (long long)labels, flops_img * 1e-9, weight_bytes,
               t_load * 1e3, rss_load, rss_peak, weight_bytes > 0 ? rss_peak / weight_bytes : 0, threads, peak);
        printf("\"check_of\": \"%s\", \"check\": [%.7g, %.7g, %.7g, %.7g], \"pixels_check\": %.6f, "
               "\"check_fixed\": [%.7g, %.7g, %.7g, %.7g], \"prep\": [",
               check_is_logits ? "logits[0,0:4]" : "last_hidden_state[0,0,0:4]", check[0], check[1], check[2],
               check[3], pixels_sum, check_fixed[0], check_fixed[1], check_fixed[2], check_fixed[3]);
        for (k = 0; k < n_prep; k++)
            printf("%s\n  {\"format\": \"%s\", \"n\": %d, \"width\": %d, \"height\": %d, \"threads\": 1, "
                   "\"images_per_s\": %.3f, \"decode_ms\": %.4f, \"preprocess_ms\": %.4f}",
                   k ? "," : "", tfm__bv_fmt_name[prep[k].fmt], prep[k].n, prep[k].width, prep[k].height,
                   prep[k].images_per_s, prep[k].decode_ms, prep[k].preprocess_ms);
        printf("\n], \"forward_format\": \"%s\", \"results\": [", tfm__bv_fmt_name[main_fmt]);
        for (i = 0; i < n_res; i++) {
            double gf = flops_img * (double)batches[i] / (res_ms[i] * 1e-3) * 1e-9;
            printf("%s\n  {\"batch\": %lld, \"height\": %lld, \"width\": %lld, \"threads\": %d, \"ms\": %.3f, "
                   "\"gflops\": %.2f, \"pct_peak\": ",
                   i ? "," : "", (long long)batches[i], (long long)ph, (long long)pw, threads, res_ms[i], gf);
            if (peak > 0) printf("%.1f}", 100.0 * gf / peak);
            else printf("null}");
        }
        printf("\n], \"pipeline\": {\"task\": \"image-classification\", \"format\": \"%s\", \"n\": %d, "
               "\"batch_size\": 1, \"threads\": %d, \"ms\": %.3f, \"images_per_s\": %.3f, \"top1_image0\": ",
               tfm__bv_fmt_name[main_fmt], n_pipe, threads, pipe_s * 1e3, pipe_s > 0 ? n_pipe / pipe_s : 0);
        print_json_string(stdout, pipe_label ? pipe_label : "");
        printf(", \"top1_score\": %.7g}}\n", pipe_score);
    } else {
        printf("\npipeline image-classification, %d %s images, batch_size 1, %d threads: %.1f ms, %.2f images/s "
               "(image 0: %s %.4f)\n",
               n_pipe, tfm__bv_fmt_name[main_fmt], threads, pipe_s * 1e3, pipe_s > 0 ? n_pipe / pipe_s : 0,
               pipe_label ? pipe_label : "?", pipe_score);
        printf("peak RSS %.1f MB (%.1f MB after load), weights %.1f MB: RSS / weights = %.2f\n", rss_peak / 1e6,
               rss_load / 1e6, weight_bytes / 1e6, weight_bytes > 0 ? rss_peak / weight_bytes : 0);
        printf("check: %s = %.6g %.6g %.6g %.6g (image 0; sum of its pixel_values %.4f), %.6g %.6g %.6g %.6g "
               "(fixed pixels)\n",
               check_is_logits ? "logits[0,0:4]" : "last_hidden_state[0,0,0:4]", check[0], check[1], check[2],
               check[3], pixels_sum, check_fixed[0], check_fixed[1], check_fixed[2], check_fixed[3]);
        if (keep_dir) printf("model kept in %s\n", dir);
    }

done:
    if (imgs)
        for (i = 0; i < (int)batch; i++) tfm_image_free(&imgs[i]);
    free(imgs);
    tfm_free(pv);
    free(pipe_label);
    tfm_model_free(m);
    tfm_pool_free(pool);
    tfm_image_processor_free(proc);
    if (tmp_dir[0]) {
        static const char *const files[3] = {"model.safetensors", "config.json", "preprocessor_config.json"};
        char path[4200];
        for (k = 0; k < 3; k++) {
            snprintf(path, sizeof path, "%s/%s", tmp_dir, files[k]);
            remove(path);
        }
        remove(tmp_dir);
    }
    if (img_tmp[0]) {
        for (k = 0; k < TFM__BV_NFMT; k++)
            for (i = 0; i < im.n[k]; i++) remove(im.paths[k][i]);
        remove(img_tmp);
    }
    tfm__bv_images_free(&im);
    return rc;
}
