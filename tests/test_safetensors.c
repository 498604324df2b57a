/* safetensors reader against the golden fixtures, sharded folders, zero-copy views, the writer. */

/* Model dtype from config.json's "dtype" / "torch_dtype" ("float32" -> TFM_F32, ...). */
static int st_model_dtype(const char *model_dir, tfm_dtype *out) {
    char path[1024];
    tfm_json *j;
    const char *s;
    int ok = 1;
    snprintf(path, sizeof path, "%s/config.json", model_dir);
    j = tfm_json_parse_file(path);
    s = tfm_json_str(tfm_json_get(j, "dtype"));
    if (!s) s = tfm_json_str(tfm_json_get(j, "torch_dtype"));
    if (s && strcmp(s, "float32") == 0) *out = TFM_F32;
    else if (s && strcmp(s, "float16") == 0) *out = TFM_F16;
    else if (s && strcmp(s, "bfloat16") == 0) *out = TFM_BF16;
    else ok = 0;
    tfm_json_free(j);
    return ok;
}

/* Compares the tensors of w with an expected f32 file. require_all: same tensor set; else w's
   tensors must be a subset. want_dtype: dtype every tensor of w must have. Also checks the table
   order, the hash lookup, byte spans, and zero-copy views. */
static void st_check_against_expected(tfm_weights *w, const char *expected_path, int require_all, tfm_dtype want_dtype,
                                      const char *label) {
    tfm_weights *e = NULL;
    int64_t i, n = tfm_weights_count(w), bad = 0;
    CHECK_OK(tfm_weights_open(expected_path, &e));
    if (!e || !w) {
        tfm_weights_close(e);
        return;
    }
    if (require_all) CHECKF(n == tfm_weights_count(e), "%s: %lld tensors, expected file has %lld", label, (long long)n,
                            (long long)tfm_weights_count(e));
    CHECKF(n > 0, "%s: no tensors", label);
    for (i = 0; i < n; i++) {
        const tfm_tensor_info *t = tfm_weights_info(w, i), *x;
        float *got, *want;
        const void *raw = NULL;
        tfm_tensor view;
        int d;
        if (!t) {
            CHECKF(0, "%s: tfm_weights_info(%lld) is NULL", label, (long long)i);
            continue;
        }
        if (i) CHECKF(strcmp(tfm_weights_info(w, i - 1)->name, t->name) < 0, "%s: tensors not sorted by name", label);
        CHECKF(tfm_weights_find(w, t->name) == t, "%s: find('%s') gives another entry", label, t->name);
        if (require_all) {
            const tfm_tensor_info *ei = tfm_weights_info(e, i);
            CHECKF(ei && strcmp(ei->name, t->name) == 0, "%s: tensor %lld is '%s', expected '%s'", label, (long long)i,
                   t->name, ei ? ei->name : "(none)");
        }
        x = tfm_weights_find(e, t->name);
        if (!x) {
            CHECKF(0, "%s: '%s' is not in the expected file", label, t->name);
            continue;
        }
        CHECKF(t->dtype == want_dtype, "%s: '%s' has dtype %s, expected %s", label, t->name, tfm_dtype_name(t->dtype),
               tfm_dtype_name(want_dtype));
        CHECKF(t->ndim == x->ndim && t->numel == x->numel, "%s: '%s' ndim/numel %d/%lld vs %d/%lld", label, t->name,
               t->ndim, (long long)t->numel, x->ndim, (long long)x->numel);
        for (d = 0; d < t->ndim && d < x->ndim; d++)
            CHECKF(t->shape[d] == x->shape[d], "%s: '%s' shape[%d] %lld vs %lld", label, t->name, d,
                   (long long)t->shape[d], (long long)x->shape[d]);
        CHECK_EQ_I64(t->nbytes, (uint64_t)t->numel * tfm_dtype_size(t->dtype));
        CHECK(t->shard >= 0 && t->shard < tfm_weights_shard_count(w));
        got = (float *)malloc((size_t)t->numel * sizeof(float) + 4);
        want = (float *)malloc((size_t)x->numel * sizeof(float) + 4);
        CHECK_OK(tfm_weights_read_f32(w, t, got, t->numel));
        CHECK_OK(tfm_weights_read_f32(e, x, want, x->numel));
        if (t->numel == x->numel && memcmp(got, want, (size_t)t->numel * sizeof(float)) != 0 && bad++ < 3)
            CHECKF(0, "%s: '%s' values differ from torch's f32", label, t->name);
        /* zero-copy view for f32/f16/bf16 */
        CHECK_OK(tfm_weights_data(w, t, &raw));
        CHECK_OK(tfm_weights_tensor(w, t->name, &view));
        if (t->dtype == TFM_F32 || t->dtype == TFM_F16 || t->dtype == TFM_BF16) {
            CHECKF(view.data == raw, "%s: view of '%s' is a copy, not zero-copy", label, t->name);
            CHECK(view.dtype == t->dtype);
        }
        CHECK(view.ndim == t->ndim && view.numel == t->numel);
        for (d = 0; d < t->ndim; d++) CHECK(view.shape[d] == t->shape[d]);
        free(got);
        free(want);
    }
    CHECKF(bad == 0, "%s: %lld tensors differ", label, (long long)bad);
    tfm_weights_close(e);
}

static void st_check_model(const char *model, const char *open_path, const char *expected) {
    tfm_weights *w = NULL;
    tfm_dtype dt = TFM_F32;
    char label[256];
    snprintf(label, sizeof label, "%s via %s", model, open_path);
    CHECKF(st_model_dtype(fx(model), &dt), "%s: no dtype in config.json", model);
    CHECK_OK(tfm_weights_open(open_path, &w));
    if (!w) return;
    CHECK_EQ_I64(tfm_weights_shard_count(w), 1);
    CHECK_STR_EQ(tfm_weights_metadata(w, "format"), "pt");
    st_check_against_expected(w, expected, 1, dt, label);
    tfm_weights_close(w);
}

static void st_bert_f32(void) {
    st_check_model("models/bert-f32", fx("models/bert-f32"), fx("expected/bert-f32.safetensors"));
    st_check_model("models/bert-f32", fx("models/bert-f32/model.safetensors"), fx("expected/bert-f32.safetensors"));
}
static void st_gpt2_f16(void) {
    st_check_model("models/gpt2-f16", fx("models/gpt2-f16"), fx("expected/gpt2-f16.safetensors"));
    st_check_model("models/gpt2-f16", fx("models/gpt2-f16/model.safetensors"), fx("expected/gpt2-f16.safetensors"));
}
static void st_llama_bf16(void) {
    st_check_model("models/llama-bf16", fx("models/llama-bf16"), fx("expected/llama-bf16.safetensors"));
    st_check_model("models/llama-bf16", fx("models/llama-bf16/model.safetensors"),
                   fx("expected/llama-bf16.safetensors"));
}

/* Number of distinct shard files named in an index's weight_map, and how many tensors map to `file`. */
static int st_index_shards(const char *index_path, const char *file, int64_t *n_in_file, int64_t *total_size) {
    tfm_json *j = tfm_json_parse_file(index_path);
    const tfm_json *map = tfm_json_get(j, "weight_map");
    const char *seen[64];
    int n_seen = 0;
    size_t i;
    int s;
    if (n_in_file) *n_in_file = 0;
    if (total_size) *total_size = tfm_json_int(tfm_json_get(tfm_json_get(j, "metadata"), "total_size"), -1);
    for (i = 0; i < tfm_json_len(map); i++) {
        const char *f = tfm_json_str(tfm_json_at(map, i));
        if (!f) continue;
        if (file && n_in_file && strcmp(f, file) == 0) (*n_in_file)++;
        for (s = 0; s < n_seen && strcmp(seen[s], f) != 0; s++) {
        }
        if (s == n_seen && n_seen < 64) seen[n_seen++] = f;
    }
    tfm_json_free(j);
    return n_seen;
}

static void st_check_sharded(const char *open_path) {
    tfm_weights *w = NULL;
    int64_t total = -1, sum = 0, i;
    int n_files = st_index_shards(fx("models/bert-sharded/model.safetensors.index.json"), NULL, NULL, &total);
    int s;
    char label[1100];
    tfm_dtype dt = TFM_F32;
    snprintf(label, sizeof label, "bert-sharded via %s", open_path);
    CHECK(st_model_dtype(fx("models/bert-sharded"), &dt));
    CHECK_OK(tfm_weights_open(open_path, &w));
    if (!w) return;
    CHECK_EQ_I64(n_files, 3);
    CHECK_EQ_I64(tfm_weights_shard_count(w), n_files);
    for (s = 0; s < tfm_weights_shard_count(w); s++) {
        const char *p = tfm_weights_shard_path(w, s);
        CHECKF(p && strstr(p, "model-0000") && strstr(p, "-of-00003.safetensors"), "shard %d path '%s'", s,
               p ? p : "(null)");
    }
    CHECK(tfm_weights_shard_path(w, tfm_weights_shard_count(w)) == NULL);
    CHECK(tfm_weights_shard_path(w, -1) == NULL);
    st_check_against_expected(w, fx("expected/bert-sharded.safetensors"), 1, dt, label);
    /* every shard is used */
    {
        int used[8] = {0};
        for (i = 0; i < tfm_weights_count(w); i++) {
            const tfm_tensor_info *t = tfm_weights_info(w, i);
            if (t->shard >= 0 && t->shard < 8) used[t->shard] = 1;
            sum += (int64_t)t->nbytes;
        }
        for (s = 0; s < n_files && s < 8; s++) CHECKF(used[s], "shard %d holds no tensor", s);
    }
    /* the index's metadata */
    {
        char want[64];
        snprintf(want, sizeof want, "%lld", (long long)total);
        CHECK(total > 0);
        CHECK_STR_EQ(tfm_weights_metadata(w, "total_size"), want);
        CHECK_EQ_I64(sum, total);
        CHECK(tfm_weights_metadata_count(w) >= 1);
        CHECK(tfm_weights_metadata_key(w, tfm_weights_metadata_count(w)) == NULL);
        for (i = 0; i < tfm_weights_metadata_count(w); i++) {
            const char *k = tfm_weights_metadata_key(w, i);
            CHECK(k != NULL && tfm_weights_metadata(w, k) != NULL);
        }
    }
    tfm_weights_close(w);
}
static void st_bert_sharded_folder(void) {
    st_check_sharded(fx("models/bert-sharded"));
    st_check_sharded(fx("models/bert-sharded/")); /* trailing slash */
}
static void st_bert_sharded_index(void) { st_check_sharded(fx("models/bert-sharded/model.safetensors.index.json")); }
static void st_bert_sharded_single_shard(void) {
    static const char *shards[] = {"model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                                   "model-00003-of-00003.safetensors"};
    size_t k;
    int64_t total = 0;
    for (k = 0; k < 3; k++) {
        char rel[256];
        tfm_weights *w = NULL;
        int64_t n_in = 0;
        snprintf(rel, sizeof rel, "models/bert-sharded/%s", shards[k]);
        st_index_shards(fx("models/bert-sharded/model.safetensors.index.json"), shards[k], &n_in, NULL);
        CHECK_OK(tfm_weights_open(fx(rel), &w));
        if (!w) continue;
        CHECK_EQ_I64(tfm_weights_count(w), n_in);
        CHECK_EQ_I64(tfm_weights_shard_count(w), 1);
        CHECK_STR_EQ(tfm_weights_metadata(w, "format"), "pt");
        st_check_against_expected(w, fx("expected/bert-sharded.safetensors"), 0, TFM_F32, rel);
        total += tfm_weights_count(w);
        tfm_weights_close(w);
    }
    {
        tfm_weights *e = NULL;
        CHECK_OK(tfm_weights_open(fx("expected/bert-sharded.safetensors"), &e));
        CHECK_EQ_I64(total, tfm_weights_count(e));
        tfm_weights_close(e);
    }
}

/* The same image opened from memory gives the same tensors, zero-copy into the caller's bytes. */
static void st_open_memory(void) {
    static const char *models[] = {"bert-f32", "gpt2-f16", "llama-bf16"};
    size_t k;
    for (k = 0; k < 3; k++) {
        char rel[256], exp[256];
        size_t size = 0;
        unsigned char *bytes;
        tfm_weights *w = NULL;
        tfm_dtype dt = TFM_F32;
        snprintf(rel, sizeof rel, "models/%s/model.safetensors", models[k]);
        snprintf(exp, sizeof exp, "expected/%s.safetensors", models[k]);
        bytes = tt_read_file(fx(rel), &size);
        CHECKF(bytes != NULL, "cannot read %s", fx(rel));
        if (!bytes) continue;
        snprintf(rel, sizeof rel, "models/%s", models[k]);
        CHECK(st_model_dtype(fx(rel), &dt));
        CHECK_OK(tfm_weights_open_memory(bytes, size, &w));
        if (w) {
            const void *raw = NULL;
            CHECK_EQ_I64(tfm_weights_shard_count(w), 1);
            CHECK(tfm_weights_shard_path(w, 0) != NULL);
            CHECK_STR_EQ(tfm_weights_metadata(w, "format"), "pt");
            st_check_against_expected(w, fx(exp), 1, dt, models[k]);
            CHECK_OK(tfm_weights_data(w, tfm_weights_info(w, 0), &raw));
            CHECK((const unsigned char *)raw >= bytes && (const unsigned char *)raw < bytes + size);
            tfm_weights_close(w);
        }
        free(bytes);
    }
}

/* Misaligned data (an image at an odd address) and non-float dtypes come back as f32 copies. */
static void st_tensor_views_converted(void) {
    size_t size = 0;
    unsigned char *bytes = tt_read_file(fx("models/gpt2-f16/model.safetensors"), &size), *odd;
    tfm_weights *w = NULL;
    int64_t i;
    if (!bytes) {
        CHECK(bytes != NULL);
        return;
    }
    odd = (unsigned char *)malloc(size + 1);
    memcpy(odd + 1, bytes, size);
    CHECK_OK(tfm_weights_open_memory(odd + 1, size, &w));
    for (i = 0; w && i < tfm_weights_count(w); i++) {
        const tfm_tensor_info *t = tfm_weights_info(w, i);
        tfm_tensor v, v2;
        const void *raw = NULL;
        float *want = (float *)malloc((size_t)t->numel * sizeof(float) + 4);
        CHECK_OK(tfm_weights_data(w, t, &raw));
        CHECK_OK(tfm_weights_read_f32(w, t, want, t->numel));
        CHECK_OK(tfm_weights_tensor(w, t->name, &v));
        if ((uintptr_t)raw % tfm_dtype_size(t->dtype) != 0) {
            CHECKF(v.dtype == TFM_F32 && v.data != raw, "misaligned '%s' not converted", t->name);
        }
        CHECK(v.numel == t->numel && v.ndim == t->ndim);
        if (v.dtype == TFM_F32) CHECK(memcmp(v.data, want, (size_t)t->numel * sizeof(float)) == 0);
        CHECK(((uintptr_t)v.data % tfm_dtype_size(v.dtype)) == 0);
        CHECK_OK(tfm_weights_tensor(w, t->name, &v2));
        CHECK(v2.data == v.data); /* the copy is made once */
        free(want);
    }
    tfm_weights_close(w);
    free(odd);
    free(bytes);
    /* a non-float tensor (I64 ids in ops.safetensors) */
    {
        tfm_tensor v;
        const tfm_tensor_info *t = OPS_INFO("embedding.ids");
        if (t) {
            float *want = (float *)malloc((size_t)t->numel * sizeof(float));
            CHECK_EQ_I64(t->dtype, TFM_I64);
            CHECK_OK(tfm_weights_read_f32(tt_ops(), t, want, t->numel));
            CHECK_OK(tfm_weights_tensor(tt_ops(), "embedding.ids", &v));
            CHECK(v.dtype == TFM_F32 && v.numel == t->numel);
            if (v.data) CHECK(memcmp(v.data, want, (size_t)t->numel * sizeof(float)) == 0);
            free(want);
        }
    }
}

static void st_api_errors(void) {
    tfm_weights *w = NULL, *w2 = NULL;
    const tfm_tensor_info *t;
    tfm_tensor v;
    float small[2];
    const void *raw = NULL;
    CHECK_STATUS(tfm_weights_open(NULL, &w), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_weights_open(fx("models/bert-f32"), NULL), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_weights_open_memory(NULL, 10, &w), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_weights_open(fx("models/does-not-exist"), &w), TFM_ERR_IO);
    CHECK(w == NULL);
    CHECK_ERROR_SET();
    CHECK_STATUS(tfm_weights_open(fx("models/does-not-exist/model.safetensors"), &w), TFM_ERR_IO);
    CHECK_STATUS(tfm_weights_open(fx("models/does-not-exist/model.safetensors.index.json"), &w), TFM_ERR_IO);
    {
        const char *dir = tt_tmp_path("empty_dir");
        mkdir(dir, 0700);
        CHECK_STATUS(tfm_weights_open(dir, &w), TFM_ERR_NOT_FOUND);
        CHECK_ERROR_SET();
    }
    CHECK_OK(tfm_weights_open(fx("models/bert-f32"), &w));
    CHECK_OK(tfm_weights_open(fx("models/gpt2-f16"), &w2));
    if (!w || !w2) {
        tfm_weights_close(w);
        tfm_weights_close(w2);
        return;
    }
    tfm_clear_error();
    CHECK(tfm_weights_find(w, "no.such.tensor") == NULL);
    CHECK_ERROR_SET();
    CHECK(tfm_weights_find(w, NULL) == NULL);
    CHECK(tfm_weights_find(NULL, "x") == NULL);
    CHECK_STATUS(tfm_weights_tensor(w, "no.such.tensor", &v), TFM_ERR_NOT_FOUND);
    CHECK(tfm_weights_info(w, -1) == NULL);
    CHECK(tfm_weights_info(w, tfm_weights_count(w)) == NULL);
    CHECK(tfm_weights_info(NULL, 0) == NULL);
    CHECK_EQ_I64(tfm_weights_count(NULL), 0);
    CHECK_EQ_I64(tfm_weights_shard_count(NULL), 0);
    CHECK(tfm_weights_metadata(w, NULL) == NULL);
    CHECK(tfm_weights_metadata(w, "no-such-key") == NULL);
    CHECK(tfm_weights_metadata(NULL, "format") == NULL);
    CHECK(tfm_weights_metadata_key(w, -1) == NULL);
    CHECK_EQ_I64(tfm_weights_metadata_count(NULL), 0);
    t = tfm_weights_info(w, 0);
    CHECK(t && t->numel > 2);
    CHECK_STATUS(tfm_weights_read_f32(w, t, small, 2), TFM_ERR_SHAPE);
    CHECK_STATUS(tfm_weights_read_f32(w, t, NULL, 100000), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_weights_data(w2, t, &raw), TFM_ERR_INVALID_ARGUMENT); /* info of another handle */
    CHECK_STATUS(tfm_weights_data(w, NULL, &raw), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_weights_data(w, t, NULL), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_weights_tensor(w, t->name, NULL), TFM_ERR_INVALID_ARGUMENT);
    tfm_weights_close(w);
    tfm_weights_close(w2);
    tfm_weights_close(NULL);
}

/* Lazy shard mapping from several threads at once. */
typedef struct st_thread_arg {
    tfm_weights *w;
    int ok;
    uint64_t checksum;
} st_thread_arg;
static void *st_reader_thread(void *p) {
    st_thread_arg *a = (st_thread_arg *)p;
    int64_t i;
    a->ok = 1;
    for (i = 0; i < tfm_weights_count(a->w); i++) {
        const tfm_tensor_info *t = tfm_weights_info(a->w, i);
        const void *raw = NULL;
        uint64_t k;
        if (tfm_weights_data(a->w, t, &raw) != TFM_OK || !raw) {
            a->ok = 0;
            continue;
        }
        for (k = 0; k < t->nbytes; k++) a->checksum = a->checksum * 31 + ((const unsigned char *)raw)[k];
    }
    for (i = tfm_weights_count(a->w) - 1; i >= 0; i--) {
        tfm_tensor v;
        if (tfm_weights_tensor(a->w, tfm_weights_info(a->w, i)->name, &v) != TFM_OK) a->ok = 0;
    }
    return NULL;
}
static void st_concurrent_first_access(void) {
    int rep;
    for (rep = 0; rep < 20; rep++) {
        tfm_weights *w = NULL;
        st_thread_arg args[4];
        pthread_t th[4];
        int i;
        CHECK_OK(tfm_weights_open(fx("models/bert-sharded"), &w));
        if (!w) return;
        memset(args, 0, sizeof args);
        for (i = 0; i < 4; i++) {
            args[i].w = w;
            pthread_create(&th[i], NULL, st_reader_thread, &args[i]);
        }
        for (i = 0; i < 4; i++) pthread_join(th[i], NULL);
        for (i = 0; i < 4; i++) {
            CHECK(args[i].ok);
            CHECK(args[i].checksum == args[0].checksum);
        }
        tfm_weights_close(w);
    }
}

/* ---- writer ---- */

typedef struct st_wt {
    const char *name;
    tfm_dtype dtype;
    int ndim;
    int64_t shape[3];
} st_wt;

static const st_wt st_write_set[] = {
    {"f32 \"quoted\"", TFM_F32, 2, {2, 3, 0}},
    {"f16/uni\xc3\xa9\xe2\x82\xac", TFM_F16, 1, {5, 0, 0}},
    {"bf16\\back\\slash", TFM_BF16, 2, {3, 1, 0}},
    {"f64", TFM_F64, 1, {2, 0, 0}},
    {"i64", TFM_I64, 1, {3, 0, 0}},
    {"i32", TFM_I32, 3, {1, 1, 1}},
    {"i16", TFM_I16, 1, {4, 0, 0}},
    {"i8", TFM_I8, 1, {7, 0, 0}},
    {"u8", TFM_U8, 1, {5, 0, 0}},
    {"bool", TFM_BOOL, 1, {3, 0, 0}},
    {"e4m3", TFM_F8_E4M3, 2, {2, 3, 0}},
    {"e5m2", TFM_F8_E5M2, 1, {2, 0, 0}},
    {"u16", TFM_U16, 1, {3, 0, 0}},
    {"u32", TFM_U32, 1, {2, 0, 0}},
    {"u64", TFM_U64, 1, {2, 0, 0}},
    {"empty", TFM_F32, 1, {0, 0, 0}},
    {"empty2d", TFM_F16, 2, {3, 0, 0}},
    {"scalar", TFM_F32, 0, {0, 0, 0}},
    {"scalar_i8", TFM_I8, 0, {0, 0, 0}},
    {"tab\tand\x01" "ctl", TFM_U8, 1, {1, 0, 0}},
    {"a", TFM_F32, 1, {1, 0, 0}},
    {"B", TFM_F32, 1, {1, 0, 0}},
    {"emoji \xf0\x9f\x98\x80", TFM_BF16, 1, {2, 0, 0}},
};
#define ST_NW (sizeof st_write_set / sizeof st_write_set[0])

static const char *const st_write_meta[] = {
    "format", "pt", "quote\"key", "value with \"quotes\", a \\ backslash and a\nnewline", "uni\xc3\xa9",
    "\xe2\x82\xac \xf0\x9f\x98\x80", "empty", "",
};

/* Builds the writer's tensors with random data. Caller frees each data pointer. */
static void st_make_write_set(tfm_tensor *ts, const char **names, tt_rng *r) {
    size_t i;
    for (i = 0; i < ST_NW; i++) {
        const st_wt *s = &st_write_set[i];
        size_t bytes, k;
        unsigned char *d;
        tfm_tensor_view(&ts[i], s->dtype, s->ndim, s->shape, NULL);
        bytes = (size_t)ts[i].numel * tfm_dtype_size(s->dtype);
        d = (unsigned char *)malloc(bytes ? bytes : 1);
        for (k = 0; k < bytes; k++) d[k] = (unsigned char)tt_rand(r);
        ts[i].data = ts[i].numel ? d : NULL;
        if (!ts[i].numel) free(d);
        names[i] = s->name;
    }
}

static void st_check_written(tfm_weights *w, const tfm_tensor *ts, const char **names, size_t n, const char *label) {
    size_t i;
    int d;
    CHECKF(tfm_weights_count(w) == (int64_t)n, "%s: %lld tensors, wrote %zu", label, (long long)tfm_weights_count(w), n);
    for (i = 0; i < n; i++) {
        const tfm_tensor_info *t = tfm_weights_find(w, names[i]);
        const void *raw = NULL;
        size_t bytes = (size_t)ts[i].numel * tfm_dtype_size(ts[i].dtype);
        if (!t) {
            CHECKF(0, "%s: '%s' missing after reopening", label, names[i]);
            continue;
        }
        CHECKF(t->dtype == ts[i].dtype, "%s: '%s' dtype %s", label, names[i], tfm_dtype_name(t->dtype));
        CHECKF(t->ndim == ts[i].ndim && t->numel == ts[i].numel, "%s: '%s' ndim %d numel %lld", label, names[i],
               t->ndim, (long long)t->numel);
        for (d = 0; d < t->ndim && d < ts[i].ndim; d++) CHECK(t->shape[d] == ts[i].shape[d]);
        CHECK_OK(tfm_weights_data(w, t, &raw));
        if (bytes) CHECKF(raw && memcmp(raw, ts[i].data, bytes) == 0, "%s: '%s' bytes differ", label, names[i]);
    }
    for (i = 0; i + 1 < sizeof st_write_meta / sizeof st_write_meta[0]; i += 2)
        CHECK_STR_EQ(tfm_weights_metadata(w, st_write_meta[i]), st_write_meta[i + 1]);
    CHECK_EQ_I64(tfm_weights_metadata_count(w), sizeof st_write_meta / sizeof st_write_meta[0] / 2);
}

typedef struct st_order {
    size_t idx;
    size_t esize;
    const char *name;
} st_order;
static int st_order_cmp(const void *a, const void *b) {
    const st_order *x = (const st_order *)a, *y = (const st_order *)b;
    if (x->esize != y->esize) return x->esize > y->esize ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void st_writer_roundtrip(void) {
    tfm_tensor ts[ST_NW];
    const char *names[ST_NW];
    tt_rng r = {31337};
    const char *path = tt_tmp_path("roundtrip.safetensors");
    tfm_weights *w = NULL;
    size_t i, size = 0;
    unsigned char *bytes;
    st_make_write_set(ts, names, &r);
    CHECK_OK(tfm_safetensors_write(path, ts, names, (int64_t)ST_NW, st_write_meta,
                                   (int64_t)(sizeof st_write_meta / sizeof st_write_meta[0] / 2)));
    CHECK_OK(tfm_weights_open(path, &w));
    if (w) st_check_written(w, ts, names, ST_NW, "file");
    tfm_weights_close(w);
    /* layout: header padded so data starts at a multiple of 8; data sorted by dtype size, then name */
    bytes = tt_read_file(path, &size);
    CHECK(bytes && size >= 8);
    if (bytes && size >= 8) {
        uint64_t hlen = 0;
        int b;
        tfm_json *h;
        st_order ord[ST_NW];
        uint64_t off = 0;
        for (b = 7; b >= 0; b--) hlen = (hlen << 8) | bytes[b];
        CHECKF((8 + hlen) % 8 == 0, "data starts at %llu, not a multiple of 8", (unsigned long long)(8 + hlen));
        CHECK(8 + hlen <= size);
        h = tfm_json_parse((const char *)bytes + 8, (size_t)hlen, "written header");
        CHECKF(h != NULL, "header: %s", tfm_last_error());
        for (i = 0; i < ST_NW; i++) {
            ord[i].idx = i;
            ord[i].esize = tfm_dtype_size(ts[i].dtype);
            ord[i].name = names[i];
        }
        qsort(ord, ST_NW, sizeof ord[0], st_order_cmp);
        for (i = 0; i < ST_NW && h; i++) {
            const tfm_json *e = tfm_json_get(h, ord[i].name), *o = tfm_json_get(e, "data_offsets");
            uint64_t bytes_i = (uint64_t)ts[ord[i].idx].numel * ord[i].esize;
            CHECKF(tfm_json_int(tfm_json_at(o, 0), -1) == (int64_t)off && tfm_json_int(tfm_json_at(o, 1), -1) ==
                                                                             (int64_t)(off + bytes_i),
                   "'%s' at [%lld, %lld], expected [%llu, %llu] (order: dtype size desc, then name)", ord[i].name,
                   (long long)tfm_json_int(tfm_json_at(o, 0), -1), (long long)tfm_json_int(tfm_json_at(o, 1), -1),
                   (unsigned long long)off, (unsigned long long)(off + bytes_i));
            CHECK_STR_EQ(tfm_json_str(tfm_json_get(e, "dtype")), tfm_dtype_name(ts[ord[i].idx].dtype));
            CHECK_EQ_I64(tfm_json_len(tfm_json_get(e, "shape")), ts[ord[i].idx].ndim);
            off += bytes_i;
        }
        CHECK_EQ_I64(8 + hlen + off, size);
        CHECK(tfm_json_kind(tfm_json_get(h, "__metadata__")) == TFM_JSON_OBJECT);
        tfm_json_free(h);
        /* and from memory */
        w = NULL;
        CHECK_OK(tfm_weights_open_memory(bytes, size, &w));
        if (w) st_check_written(w, ts, names, ST_NW, "memory");
        tfm_weights_close(w);
    }
    free(bytes);
    for (i = 0; i < ST_NW; i++) free(ts[i].data);
}

static void st_writer_empty_and_rewrite(void) {
    const char *path = tt_tmp_path("empty.safetensors");
    tfm_weights *w = NULL;
    size_t size = 0;
    unsigned char *bytes;
    CHECK_OK(tfm_safetensors_write(path, NULL, NULL, 0, NULL, 0));
    CHECK_OK(tfm_weights_open(path, &w));
    CHECK_EQ_I64(tfm_weights_count(w), 0);
    CHECK(tfm_weights_find(w, "x") == NULL);
    tfm_weights_close(w);
    bytes = tt_read_file(path, &size);
    CHECK(bytes && size >= 10 && size % 8 == 0);
    free(bytes);
    {
        /* overwriting an existing file; metadata only */
        const char *kv[] = {"k", "v"};
        w = NULL;
        CHECK_OK(tfm_safetensors_write(path, NULL, NULL, 0, kv, 1));
        CHECK_OK(tfm_weights_open(path, &w));
        CHECK_STR_EQ(tfm_weights_metadata(w, "k"), "v");
        CHECK_EQ_I64(tfm_weights_count(w), 0);
        tfm_weights_close(w);
    }
}

/* Writes the whole fixture model back out and compares. */
static void st_writer_copies_fixture(void) {
    tfm_weights *w = NULL, *w2 = NULL;
    const char *path = tt_tmp_path("copy.safetensors");
    tfm_tensor *ts;
    const char **names;
    int64_t i, n;
    CHECK_OK(tfm_weights_open(fx("models/llama-bf16"), &w));
    if (!w) return;
    n = tfm_weights_count(w);
    ts = (tfm_tensor *)calloc((size_t)n, sizeof *ts);
    names = (const char **)calloc((size_t)n, sizeof *names);
    for (i = 0; i < n; i++) {
        const tfm_tensor_info *t = tfm_weights_info(w, i);
        const void *raw = NULL;
        tfm_weights_data(w, t, &raw);
        tfm_tensor_view(&ts[i], t->dtype, t->ndim, t->shape, (void *)raw);
        names[i] = t->name;
    }
    CHECK_OK(tfm_safetensors_write(path, ts, names, n, NULL, 0));
    CHECK_OK(tfm_weights_open(path, &w2));
    if (w2) {
        CHECK_EQ_I64(tfm_weights_count(w2), n);
        st_check_against_expected(w2, fx("expected/llama-bf16.safetensors"), 1, TFM_BF16, "llama copy");
    }
    tfm_weights_close(w2);
    free(ts);
    free(names);
    tfm_weights_close(w);
}

static void st_writer_rejects(void) {
    float data[4] = {0};
    tfm_tensor t[2];
    const char *names[2];
    int64_t shape[1] = {4};
    const char *path = tt_tmp_path("rejected.safetensors");
    static const char *bad_utf8[] = {"\xff", "a\xc0\x80", "\xed\xa0\x80", "x\xe2\x82", "\xf4\x90\x80\x80", "\x80",
                                     "\xf8\x88\x80\x80\x80"};
    size_t i;
    tfm_tensor_view(&t[0], TFM_F32, 1, shape, data);
    tfm_tensor_view(&t[1], TFM_F32, 1, shape, data);
    names[0] = "same";
    names[1] = "same";
    CHECK_STATUS(tfm_safetensors_write(path, t, names, 2, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
    CHECK_ERROR_SET();
    CHECK(!tt_exists(path));
    names[1] = "other";
    for (i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++) {
        names[0] = bad_utf8[i];
        CHECK_STATUS(tfm_safetensors_write(path, t, names, 2, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
        CHECK(!tt_exists(path));
    }
    names[0] = "";
    CHECK_STATUS(tfm_safetensors_write(path, t, names, 2, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
    names[0] = "__metadata__";
    CHECK_STATUS(tfm_safetensors_write(path, t, names, 2, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
    names[0] = NULL;
    CHECK_STATUS(tfm_safetensors_write(path, t, names, 2, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
    names[0] = "ok";
    t[1].data = NULL;
    CHECK_STATUS(tfm_safetensors_write(path, t, names, 2, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
    t[1].data = data;
    t[1].dtype = TFM_DTYPE_COUNT;
    CHECK_STATUS(tfm_safetensors_write(path, t, names, 2, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
    t[1].dtype = TFM_F32;
    CHECK_STATUS(tfm_safetensors_write(NULL, t, names, 2, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_safetensors_write(path, t, names, -1, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_safetensors_write(path, NULL, names, 2, NULL, 0), TFM_ERR_INVALID_ARGUMENT);
    {
        const char *kv[] = {"k", NULL};
        CHECK_STATUS(tfm_safetensors_write(path, t, names, 2, kv, 1), TFM_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(tfm_safetensors_write(path, t, names, 2, NULL, 1), TFM_ERR_INVALID_ARGUMENT);
    }
    CHECK(!tt_exists(path));
    /* a folder that does not exist */
    CHECK_STATUS(tfm_safetensors_write(tt_tmp_path("no/such/dir/x.safetensors"), t, names, 2, NULL, 0), TFM_ERR_IO);
    CHECK_ERROR_SET();
}

/* Whatever the writer accepts, the reader must read back (metadata is free text). */
static void st_writer_output_always_reopens(void) {
    static const char *meta_vals[] = {"plain", "ctl\x01\x1f", "quote\"", "bad utf8 \xff", "overlong \xc0\xaf",
                                      "surrogate \xed\xa0\x80", "cut \xe2\x82"};
    size_t i;
    float data[2] = {1, 2};
    int64_t shape[1] = {2};
    tfm_tensor t;
    const char *name = "t";
    tfm_tensor_view(&t, TFM_F32, 1, shape, data);
    for (i = 0; i < sizeof meta_vals / sizeof meta_vals[0]; i++) {
        const char *kv[2];
        const char *path = tt_tmp_path("meta.safetensors");
        tfm_status st;
        kv[0] = "key";
        kv[1] = meta_vals[i];
        st = tfm_safetensors_write(path, &t, &name, 1, kv, 1);
        if (st == TFM_OK) {
            tfm_weights *w = NULL;
            tfm_status so = tfm_weights_open(path, &w);
            CHECKF(so == TFM_OK, "metadata value %zu was written but the file does not reopen: %s", i,
                   tfm_last_error());
            if (w) CHECK_STR_EQ(tfm_weights_metadata(w, "key"), meta_vals[i]);
            tfm_weights_close(w);
        } else {
            CHECK_ERROR_SET();
            CHECK(!tt_exists(path));
        }
    }
}

static const tt_case safetensors_tests[] = {
    TT(st_bert_f32),
    TT(st_gpt2_f16),
    TT(st_llama_bf16),
    TT(st_bert_sharded_folder),
    TT(st_bert_sharded_index),
    TT(st_bert_sharded_single_shard),
    TT(st_open_memory),
    TT(st_tensor_views_converted),
    TT(st_api_errors),
    TT(st_concurrent_first_access),
    TT(st_writer_roundtrip),
    TT(st_writer_empty_and_rewrite),
    TT(st_writer_copies_fixture),
    TT(st_writer_rejects),
    TT(st_writer_output_always_reopens),
};
