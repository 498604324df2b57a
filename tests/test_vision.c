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

static const tt_case vision_tests[] = {
    TT(vision_forward),
};
