/* Vision: image decoders, image processors, ViT / DeiT / ConvNeXt / CLIP and the vision pipelines,
   against tests/fixtures/vision (tools/make_vision_fixtures.py: Pillow, torchvision-backend
   processors and transformers 5.x on the same files). */

static const char *vx_models[] = {"vit-cls", "vit-base", "deit-distilled", "convnext-cls", "convnext-multi", "clip"};

/* Largest |got - want| relative to the largest |want| of a tensor in an expected file. */
static double vx_diff(tfm_weights *w, const char *name, const float *got, int64_t n, int64_t *n_want) {
    const tfm_tensor_info *t = tfm_weights_find(w, name);
    float *want;
    double maxabs = 1e-30, maxdiff = 0;
    int64_t i;
    if (!t) return -1;
    if (n_want) *n_want = t->numel;
    if (t->numel != n) return 1e30;
    want = (float *)malloc((size_t)n * sizeof(float));
    tfm_weights_read_f32(w, t, want, n);
    for (i = 0; i < n; i++) {
        maxabs = fmax(maxabs, fabs(want[i]));
        maxdiff = fmax(maxdiff, fabs(want[i] - got[i]));
    }
    free(want);
    return maxdiff / maxabs;
}

static float *vx_read(tfm_weights *w, const char *name, int64_t *numel, int64_t *shape) {
    const tfm_tensor_info *t = tfm_weights_find(w, name);
    float *v;
    int i;
    if (!t) return NULL;
    v = (float *)malloc((size_t)t->numel * sizeof(float));
    tfm_weights_read_f32(w, t, v, t->numel);
    if (numel) *numel = t->numel;
    if (shape)
        for (i = 0; i < t->ndim; i++) shape[i] = t->shape[i];
    return v;
}

static void vx_normalize(float *v, int64_t rows, int64_t n) {
    int64_t r, i;
    for (r = 0; r < rows; r++) {
        double s = 0;
        for (i = 0; i < n; i++) s += (double)v[r * n + i] * v[r * n + i];
        for (i = 0; i < n; i++) v[r * n + i] = (float)(v[r * n + i] / sqrt(s));
    }
}

#define VX_CHECK_DIFF(w, name, got, n, tol)                                                                            \
    do {                                                                                                               \
        double d_ = vx_diff(w, name, got, n, NULL);                                                                    \
        CHECKF(d_ >= 0 && d_ <= (tol), "%s %s: relative difference %g", model, name, d_);                             \
    } while (0)

/* The model's forward pass on the reference's own pixel_values (and token ids for CLIP). */
static void vision_forward(void) {
    size_t mi;
    for (mi = 0; mi < sizeof vx_models / sizeof vx_models[0]; mi++) {
        const char *model = vx_models[mi];
        char path[1024], dir[1024];
        tfm_weights *w = NULL;
        tfm_model *m = NULL;
        tfm_model_output out;
        int64_t n, shape[4];
        float *pix;
        snprintf(path, sizeof path, "%s/%s.forward.safetensors", fx("vision/expected"), model);
        snprintf(dir, sizeof dir, "%s/%s", fx("vision"), model);
        CHECK_OK(tfm_weights_open(path, &w));
        if (!w) continue;
        if (tfm_model_load(dir, TFM_HEAD_AUTO, &m) != TFM_OK) {
            CHECKF(0, "%s: %s", dir, tfm_last_error());
            tfm_weights_close(w);
            continue;
        }
        pix = vx_read(w, "pixel_values", &n, shape);
        if (tfm_model_forward_image(m, NULL, pix, shape[0], shape[2], shape[3], &out) != TFM_OK)
            CHECKF(0, "%s: forward: %s", model, tfm_last_error());
        else {
            int64_t hs = out.batch * out.seq * out.hidden;
            if (!strcmp(model, "clip")) {
                VX_CHECK_DIFF(w, "vision_last_hidden_state", out.hidden_states, hs, 1e-4);
                /* transformers 5 reports the projected features as the towers' pooler_output, and
                   image_embeds / text_embeds normalised */
                VX_CHECK_DIFF(w, "vision_pooler_output", out.embeds, out.batch * out.embed_dim, 1e-4);
                vx_normalize(out.embeds, out.batch, out.embed_dim);
                VX_CHECK_DIFF(w, "image_embeds", out.embeds, out.batch * out.embed_dim, 1e-4);
            } else {
                VX_CHECK_DIFF(w, "last_hidden_state", out.hidden_states, hs, 1e-4);
                if (out.logits) VX_CHECK_DIFF(w, "logits", out.logits, out.batch * out.n_logits, 1e-4);
                if (tfm_weights_find(w, "pooler_output") && !out.logits)
                    VX_CHECK_DIFF(w, "pooler_output", out.pooled, out.batch * tfm_weights_find(w, "pooler_output")->shape[1], 1e-4);
                tfm_clear_error();
            }
            if (!strcmp(model, "clip")) {
                int64_t ni, s2[4], i;
                float *ids_f = vx_read(w, "input_ids", &ni, s2), *mask_f = vx_read(w, "attention_mask", NULL, NULL);
                int32_t *ids = (int32_t *)malloc((size_t)ni * 2 * sizeof(int32_t)), *mask = ids + ni;
                tfm_model_input in;
                tfm_model_output t;
                float *img = out.embeds;
                for (i = 0; i < ni; i++) {
                    ids[i] = (int32_t)ids_f[i];
                    mask[i] = (int32_t)mask_f[i];
                }
                memset(&in, 0, sizeof in);
                in.batch = s2[0];
                in.seq = s2[1];
                in.ids = ids;
                in.attention_mask = mask;
                if (tfm_model_forward(m, NULL, &in, &t) != TFM_OK)
                    CHECKF(0, "clip text: %s", tfm_last_error());
                else {
                    int64_t a, b, k, E = t.embed_dim;
                    float *lpi = (float *)malloc((size_t)(out.batch * t.batch) * sizeof(float));
                    VX_CHECK_DIFF(w, "text_last_hidden_state", t.hidden_states, t.batch * t.seq * t.hidden, 1e-4);
                    VX_CHECK_DIFF(w, "text_pooler_output", t.embeds, t.batch * E, 1e-4);
                    vx_normalize(t.embeds, t.batch, E);
                    VX_CHECK_DIFF(w, "text_embeds", t.embeds, t.batch * E, 1e-4);
                    for (a = 0; a < out.batch; a++)
                        for (b = 0; b < t.batch; b++) {
                            double dot = 0, na = 0, nb = 0;
                            for (k = 0; k < E; k++) {
                                dot += img[a * E + k] * t.embeds[b * E + k];
                                na += img[a * E + k] * img[a * E + k];
                                nb += t.embeds[b * E + k] * t.embeds[b * E + k];
                            }
                            lpi[a * t.batch + b] = (float)(dot / sqrt(na * nb) * tfm_model_logit_scale(m));
                        }
                    VX_CHECK_DIFF(w, "logits_per_image", lpi, out.batch * t.batch, 1e-4);
                    free(lpi);
                    tfm_model_output_free(&t);
                }
                free(ids);
                free(ids_f);
                free(mask_f);
            }
            tfm_model_output_free(&out);
        }
        free(pix);
        tfm_model_free(m);
        tfm_weights_close(w);
    }
}


/* Decoded pixels against Pillow's exif_transpose(Image.open(f)).convert("RGB"): lossless formats
   byte for byte; JPEG as the issue asks (+-1 on >= 99.9 % of values, +-3 everywhere), with the
   exact-match share reported. */
static void vision_decode(void) {
    tfm_json *meta = tfm_json_parse_file(fx("vision/expected/images.json"));
    tfm_weights *w = NULL;
    size_t i;
    int lossless = 0, jpeg = 0;
    int64_t jpeg_values = 0, jpeg_exact = 0, jpeg_within1 = 0, jpeg_max = 0;
    if (!meta) SKIP("no tests/fixtures/vision/expected/images.json");
    CHECK_OK(tfm_weights_open(fx("vision/expected/decoded.safetensors"), &w));
    for (i = 0; w && i < tfm_json_len(meta); i++) {
        const char *name = tfm_json_key_at(meta, i);
        int is_lossless = tfm_json_bool(tfm_json_get(tfm_json_at(meta, i), "lossless"), 1);
        char path[1024];
        tfm_image img, rgb;
        const tfm_tensor_info *t = tfm_weights_find(w, name);
        snprintf(path, sizeof path, "%s/%s", fx("vision/images"), name);
        if (tfm_image_load(path, &img) != TFM_OK) {
            CHECKF(0, "%s: %s", name, tfm_last_error());
            continue;
        }
        CHECK_OK(tfm_image_to_rgb(&img, &rgb));
        if (!t || t->shape[0] != rgb.height || t->shape[1] != rgb.width) {
            CHECKF(0, "%s: decoded %dx%d, Pillow %lldx%lld", name, rgb.width, rgb.height, t ? (long long)t->shape[1] : -1LL,
                   t ? (long long)t->shape[0] : -1LL);
        } else {
            const void *raw = NULL;
            const uint8_t *want;
            int64_t k, n = t->numel, exact = 0, within1 = 0, mx = 0;
            tfm_weights_data(w, t, &raw);
            want = (const uint8_t *)raw;
            for (k = 0; k < n; k++) {
                int64_t d = llabs((long long)rgb.data[k] - (long long)want[k]);
                exact += d == 0;
                within1 += d <= 1;
                mx = d > mx ? d : mx;
            }
            if (is_lossless) {
                CHECKF(exact == n, "%s: %lld of %lld values differ from Pillow (max %lld)", name, (long long)(n - exact),
                       (long long)n, (long long)mx);
                lossless++;
            } else {
                jpeg++;
                jpeg_values += n;
                jpeg_exact += exact;
                jpeg_within1 += within1;
                jpeg_max = mx > jpeg_max ? mx : jpeg_max;
                CHECKF(mx <= 3, "%s: max difference %lld from Pillow", name, (long long)mx);
            }
        }
        tfm_image_free(&rgb);
        tfm_image_free(&img);
    }
    CHECKF(lossless >= 15 && jpeg >= 8, "only %d lossless and %d JPEG images", lossless, jpeg);
    if (jpeg_values) {
        CHECKF(jpeg_within1 * 1000 >= jpeg_values * 999, "JPEG: only %lld of %lld values within +-1", (long long)jpeg_within1,
               (long long)jpeg_values);
        INFO("%d lossless images identical to Pillow; %d JPEGs: %.4f%% of values identical, max difference %lld",
             lossless, jpeg, 100.0 * (double)jpeg_exact / (double)jpeg_values, (long long)jpeg_max);
    }
    tfm_weights_close(w);
    tfm_json_free(meta);
}

/* pixel_values of every processor configuration on every lossless image (and one JPEG). */
static void vision_processors(void) {
    tfm_weights *w = NULL;
    int64_t i, cases = 0;
    double worst = 0;
    if (tfm_weights_open(fx("vision/expected/processors.safetensors"), &w) != TFM_OK) SKIP("no processor fixtures");
    for (i = 0; i < tfm_weights_count(w); i++) {
        const tfm_tensor_info *t = tfm_weights_info(w, i);
        char proc_dir[1024], img_path[1024], proc[128];
        const char *slash = strchr(t->name, '/');
        tfm_image_processor *ip = NULL;
        tfm_image img;
        float *pv = NULL;
        int64_t h = 0, wd = 0;
        if (!slash) continue;
        snprintf(proc, sizeof proc, "%.*s", (int)(slash - t->name), t->name);
        snprintf(proc_dir, sizeof proc_dir, "%s/%s", fx("vision/processors"), proc);
        snprintf(img_path, sizeof img_path, "%s/%s", fx("vision/images"), slash + 1);
        if (tfm_image_processor_load(proc_dir, &ip) != TFM_OK) {
            CHECKF(0, "%s: %s", proc, tfm_last_error());
            continue;
        }
        if (tfm_image_load(img_path, &img) != TFM_OK) {
            CHECKF(0, "%s: %s", img_path, tfm_last_error());
            tfm_image_processor_free(ip);
            continue;
        }
        if (tfm_image_processor_run(ip, &img, 1, &pv, &h, &wd) != TFM_OK)
            CHECKF(0, "%s: %s", t->name, tfm_last_error());
        else if (t->shape[1] != h || t->shape[2] != wd)
            CHECKF(0, "%s: %lldx%lld, the reference %lldx%lld", t->name, (long long)h, (long long)wd,
                   (long long)t->shape[1], (long long)t->shape[2]);
        else {
            float *want = (float *)malloc((size_t)t->numel * sizeof(float));
            double mx = 0;
            int64_t k;
            int jpeg = strstr(t->name, ".jpg") != NULL;
            tfm_weights_read_f32(w, t, want, t->numel);
            for (k = 0; k < t->numel; k++) mx = fmax(mx, fabs((double)want[k] - pv[k]));
            /* a JPEG's +-1 decoding differences can move a value by 1/255/std */
            CHECKF(mx <= (jpeg ? 0.05 : 1e-5), "%s: max difference %g", t->name, mx);
            if (!jpeg) worst = fmax(worst, mx);
            cases++;
            free(want);
        }
        tfm_free(pv);
        tfm_image_free(&img);
        tfm_image_processor_free(ip);
    }
    tfm_weights_close(w);
    CHECKF(cases >= 100, "only %lld processor cases", (long long)cases);
    INFO("%lld processor outputs, largest difference on lossless images %g", (long long)cases, worst);
}

/* Every pipeline case of expected/<model>.json; inputs naming fixture images get the folder. */
static int vx_pipeline_cases(int64_t batch_size, int threads) {
    size_t mi;
    int ran = 0;
    for (mi = 0; mi < sizeof vx_models / sizeof vx_models[0]; mi++) {
        char path[1024], dir[1024], where[600];
        tfm_json *doc;
        const tfm_json *cases;
        size_t c;
        snprintf(path, sizeof path, "%s/%s.json", fx("vision/expected"), vx_models[mi]);
        snprintf(dir, sizeof dir, "%s/%s", fx("vision"), vx_models[mi]);
        doc = tfm_json_parse_file(path);
        if (!doc) {
            CHECKF(0, "%s: %s", path, tfm_last_error());
            continue;
        }
        cases = tfm_json_get(doc, "cases");
        for (c = 0; c < tfm_json_len(cases); c++) {
            const tfm_json *cs = tfm_json_at(cases, c), *inp = tfm_json_get(cs, "inputs");
            const char *task = tfm_json_str(tfm_json_get(cs, "task"));
            tfm_pipeline *p = NULL;
            tfm_pipeline_options o;
            tfm_pipeline_input in[8];
            char paths[8][1024];
            int64_t n = tfm_json_kind(inp) == TFM_JSON_ARRAY ? (int64_t)tfm_json_len(inp) : 1, k;
            int as_list = tfm_json_kind(inp) == TFM_JSON_ARRAY;
            tfm_json *got = NULL;
            tx_options(tfm_json_get(cs, "kwargs"), &o);
            o.threads = threads;
            o.batch_size = batch_size;
            memset(in, 0, sizeof in);
            for (k = 0; k < n && k < 8; k++) {
                const char *s = tfm_json_str(as_list ? tfm_json_at(inp, (size_t)k) : inp);
                if (s && !strncmp(s, "images/", 7)) {
                    snprintf(paths[k], sizeof paths[k], "%s/%s", fx("vision"), s);
                    in[k].text = paths[k];
                } else
                    in[k].text = s;
            }
            if (tfm_pipeline_open(task, dir, &o, &p) != TFM_OK) {
                CHECKF(0, "%s: open %s: %s", vx_models[mi], task, tfm_last_error());
            } else if (tfm_pipeline_run(p, in, n, as_list, NULL, &got) != TFM_OK) {
                CHECKF(0, "%s case %zu (%s): %s", vx_models[mi], c, task, tfm_last_error());
            } else if (!tx_same(got, tfm_json_get(cs, "output"), 1e-4, where, sizeof where, "$")) {
                char *js = tfm_json_write(got, NULL);
                CHECKF(0, "%s case %zu (%s): %s", vx_models[mi], c, task, where);
                if (tt_verbose) fprintf(stderr, "    got: %.400s\n", js);
                tfm_free(js);
            }
            ran++;
            tfm_json_free(got);
            tfm_pipeline_free(p);
            tx_options_free(&o);
        }
        tfm_json_free(doc);
    }
    return ran;
}

static void vision_pipelines(void) {
    int ran = vx_pipeline_cases(1, 1);
    CHECKF(ran >= 50, "only %d vision pipeline cases", ran);
    INFO("%d image-classification / image-feature-extraction / zero-shot-image-classification calls", ran);
}

/* The same calls in batches of 3 on a 3-thread pool. */
static void vision_pipelines_batched(void) { CHECK(vx_pipeline_cases(3, 3) >= 50); }

/* Pixels handed over directly answer like the file they came from. */
static void vision_raw_pixels(void) {
    char dir[1024], path[1024];
    tfm_pipeline *p = NULL;
    tfm_image img;
    tfm_pipeline_input a, b;
    tfm_json *ra = NULL, *rb = NULL;
    char where[600];
    snprintf(dir, sizeof dir, "%s/vit-cls", fx("vision"));
    snprintf(path, sizeof path, "%s/images/rgba8.png", fx("vision"));
    CHECK_OK(tfm_pipeline_open("image-classification", dir, NULL, &p));
    CHECK_OK(tfm_image_load(path, &img));
    if (!p || !img.data) return;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.text = path;
    b.image = &img;
    CHECK_OK(tfm_pipeline_run(p, &a, 1, 0, NULL, &ra));
    CHECK_OK(tfm_pipeline_run(p, &b, 1, 0, NULL, &rb));
    CHECKF(ra && rb && tx_same(rb, ra, 0, where, sizeof where, "$"), "raw pixels: %s", where);
    tfm_json_free(ra);
    tfm_json_free(rb);
    tfm_image_free(&img);
    tfm_pipeline_free(p);
}

/* Rewrites the CRC of a PNG's IHDR chunk (bytes 12..28: type and data) after an edit. */
static void vx_png_fix_ihdr_crc(unsigned char *png) {
    uint32_t crc = 0xFFFFFFFFu;
    int i, bit;
    for (i = 12; i < 29; i++) {
        crc ^= png[i];
        for (bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    crc = ~crc;
    png[29] = (unsigned char)(crc >> 24);
    png[30] = (unsigned char)(crc >> 16);
    png[31] = (unsigned char)(crc >> 8);
    png[32] = (unsigned char)crc;
}

/* Truncated, corrupt and oversized images, bad processor configs and wrong inputs: an error
   with a message, never a crash. */
static void vision_bad_input(void) {
    static const char *const files[] = {"rgb8.png", "palette_trns.png", "rgba16_adam7.png", "q75_420.jpg",
                                        "q85_420_prog.jpg", "rgb24.bmp", "palette8.bmp", "rgb.ppm"};
    size_t f;
    tfm_image img;
    for (f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[1024];
        FILE *fp;
        long n, cut;
        unsigned char *buf;
        snprintf(path, sizeof path, "%s/%s", fx("vision/images"), files[f]);
        fp = fopen(path, "rb");
        if (!fp) {
            CHECKF(0, "%s missing", path);
            continue;
        }
        fseek(fp, 0, SEEK_END);
        n = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        buf = (unsigned char *)malloc((size_t)n);
        CHECK(fread(buf, 1, (size_t)n, fp) == (size_t)n);
        fclose(fp);
        for (cut = 0; cut < n - 1; cut += cut < 64 ? 1 : 37) { /* every truncation must fail cleanly */
            tfm_status st = tfm_image_decode(buf, (size_t)cut, &img);
            CHECKF(st != TFM_OK && tfm_last_error()[0], "%s cut at %ld: status %d", files[f], cut, (int)st);
            if (st == TFM_OK) tfm_image_free(&img);
        }
        {
            long k;
            for (k = 8; k < n; k += n / 50 + 1) { /* flipped bytes: an error or some image, never a crash */
                buf[k] ^= 0x5A;
                if (tfm_image_decode(buf, (size_t)n, &img) == TFM_OK) tfm_image_free(&img);
                else CHECKF(tfm_last_error()[0] != 0, "%s: error without a message", files[f]);
                buf[k] ^= 0x5A;
            }
        }
        if (strstr(files[f], ".png")) { /* a bad CRC is refused */
            buf[20] ^= 1;
            CHECK(tfm_image_decode(buf, (size_t)n, &img) == TFM_ERR_FORMAT);
            CHECK(strstr(tfm_last_error(), "CRC") != NULL || strstr(tfm_last_error(), "crc") != NULL);
            buf[20] ^= 1;
            /* declared dimensions over the limit (with a valid CRC) are refused before allocating */
            buf[16] = 0x7f;
            buf[17] = 0xff;
            buf[20] = 0x7f;
            vx_png_fix_ihdr_crc(buf);
            CHECK(tfm_image_decode(buf, (size_t)n, &img) == TFM_ERR_LIMIT);
            CHECK(strstr(tfm_last_error(), "limit") != NULL);
        }
        free(buf);
    }
    CHECK(tfm_image_decode("GIF89a", 6, &img) == TFM_ERR_UNSUPPORTED);
    CHECK(tfm_image_decode(NULL, 0, &img) != TFM_OK);
    CHECK(tfm_image_load("https://example.com/cat.png", &img) == TFM_ERR_UNSUPPORTED);
    CHECK(tfm_image_load("no such file and not base64 !!", &img) != TFM_OK);
    CHECK(tfm_image_load("data:image/png;base64,iVBORw0KGgo=", &img) != TFM_OK); /* a signature, no chunks */
    {
        char dir[1024];
        tfm_pipeline *p = NULL;
        tfm_pipeline_input in;
        tfm_json *r = NULL;
        tfm_pipeline_options o;
        snprintf(dir, sizeof dir, "%s/vit-cls", fx("vision"));
        CHECK(tfm_pipeline_open("text-classification", dir, NULL, &p) != TFM_OK);
        CHECK(tfm_pipeline_open("zero-shot-image-classification", dir, NULL, &p) != TFM_OK);
        snprintf(dir, sizeof dir, "%s/clip", fx("vision"));
        CHECK_OK(tfm_pipeline_open("zero-shot-image-classification", dir, NULL, &p));
        memset(&in, 0, sizeof in);
        in.text = "not an image";
        memset(&o, 0, sizeof o);
        CHECK(tfm_pipeline_run(p, &in, 1, 0, &o, &r) != TFM_OK); /* no candidate labels */
        tfm_pipeline_free(p);
        snprintf(dir, sizeof dir, "%s/text/bert-seqcls", fx(""));
        CHECK(tfm_pipeline_open("image-classification", dir, NULL, &p) != TFM_OK);
    }
    {
        tfm_model *m = NULL;
        char dir[1024];
        float px[3 * 16 * 16] = {0};
        tfm_model_output out;
        snprintf(dir, sizeof dir, "%s/vit-cls", fx("vision"));
        CHECK_OK(tfm_model_load(dir, TFM_HEAD_AUTO, &m));
        CHECK(tfm_model_forward_image(m, NULL, px, 1, 16, 16, &out) == TFM_ERR_SHAPE); /* 32x32 expected */
        CHECK(strstr(tfm_last_error(), "doesn't match") != NULL);
        tfm_model_free(m);
    }
}

static const tt_case vision_tests[] = {
    TT(vision_decode),   TT(vision_processors), TT(vision_forward),   TT(vision_pipelines),
    TT(vision_pipelines_batched), TT(vision_raw_pixels), TT(vision_bad_input),
};
